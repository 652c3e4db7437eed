//! `shiftdesk login`: signs this data folder in to a server.

use std::io::Write;
use std::path::{Path, PathBuf};

use shiftdesk_engine::credentials::{ApiToken, Storage, TokenKey, TokenVault, Where};
use shiftdesk_engine::ApiClient;

use super::{line, open_store};
use crate::args::text_or_stdin;
use crate::error::CliError;
use crate::profile::Profile;

/// Sign in to a server; the token goes to the OS keyring (or --token-file).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long)]
    server: String,
    /// The API token; `-` reads it from standard input (kept out of the
    /// process list and the shell's history).
    #[arg(long)]
    token: String,
    /// Keep the token in this file (mode 0600) instead of the keyring.
    #[arg(long)]
    token_file: Option<PathBuf>,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let token = text_or_stdin(args.token)?;
    let api = ApiClient::new(&args.server, &token)?;
    let agent = api.me().await.map_err(CliError::Api)?;
    let storage = args
        .token_file
        .clone()
        .map_or(Storage::Keyring, Storage::File);
    let vault = TokenVault::open(TokenKey::new(&args.server, agent.id)?, storage)?;
    if let Where::MemoryOnly { .. } = vault.kept() {
        return Err(CliError::NoKeyring(format!(
            "{}. The command line needs it kept: sign in with --token-file PATH \
             (a file only you can read), or set SHIFTDESK_API_TOKEN for each run",
            vault.kept()
        )));
    }
    vault.save(&ApiToken::new(token))?;
    let store = open_store(dir).await?;
    store.set_me(agent.id).await?;
    Profile {
        server: api.base_url().to_string(),
        agent: agent.id,
        agent_name: agent.name.clone(),
        token_file: args.token_file,
    }
    .save(dir)?;
    line(
        out,
        format_args!(
            "signed in to {} as {} ({}). {}",
            api.base_url(),
            agent.name,
            agent.role,
            vault.kept()
        ),
    );
    Ok(())
}
