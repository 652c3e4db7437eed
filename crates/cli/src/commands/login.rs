//! `shiftdesk login`: signs an agent in to a server, with the same flows as
//! the desktop app: a one-time code that sets the password, the login and
//! password, or (for scripts) a device token. The agent's account becomes
//! the data folder's current one; other accounts' folders stay as they
//! are. Secrets come from a prompt on a terminal, else from standard
//! input; never from argv.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use shiftdesk_engine::accounts::{Account, AccountBook};
use shiftdesk_engine::api::device_name;
use shiftdesk_engine::credentials::{ApiToken, TokenVault, Where};
use shiftdesk_engine::{ApiClient, SignInClient};
use shiftdesk_protocol::session::check_new_password;
use shiftdesk_protocol::{Credentials, SignInRequest};

use super::{line, open_cache};
use crate::error::CliError;

/// Sign in to a server; the device token goes to the OS keyring (or
/// --token-file). Give exactly one of --code, --login, --token-stdin.
#[derive(Debug, clap::Args)]
#[group(skip)]
#[command(group(clap::ArgGroup::new("how").required(true).args(["code", "login", "token_stdin"])))]
pub struct Args {
    /// The server's address: https, or http for a server on this machine.
    #[arg(long)]
    server: String,
    /// Sign in with the one-time code `shiftdesk-server agent add` or
    /// `agent reset` printed, and set your password: asked for, or the code
    /// and the password on two lines of standard input.
    #[arg(long)]
    code: bool,
    /// Sign in with your login (your email) and password: asked for, or
    /// one line of standard input.
    #[arg(long, value_name = "EMAIL")]
    login: Option<String>,
    /// Use a device token from `shiftdesk-server agent token`, read from
    /// standard input (for scripts).
    #[arg(long)]
    token_stdin: bool,
    /// Keep the token in this file (mode 0600) instead of the keyring.
    #[arg(long)]
    token_file: Option<PathBuf>,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let gate = SignInClient::new(&args.server)?;
    gate.meta().await.map_err(CliError::Api)?;
    let mut secrets = Secrets::new();
    let token = if args.token_stdin {
        secrets.line("Device token: ")?
    } else {
        let with = match &args.login {
            Some(login) => Credentials::Password {
                login: login.clone(),
                password: secrets.line("Password: ")?,
            },
            None => {
                let code = secrets.line("Sign-in code: ")?;
                Credentials::Code {
                    code,
                    new_password: secrets.new_password()?,
                }
            }
        };
        let request = SignInRequest {
            with,
            device: device_name("shiftdesk command line"),
        };
        gate.sign_in(&request).await.map_err(CliError::Api)?.token
    };
    let api = ApiClient::new(gate.base_url().as_str(), &token)?;
    let agent = api.me().await.map_err(CliError::Api)?;
    let account = Account::new(
        api.base_url().as_str(),
        agent.id,
        agent.name.clone(),
        args.token_file,
    )?;
    let vault = TokenVault::open(account.token_key()?, account.storage())?;
    if let Where::MemoryOnly { .. } = vault.kept() {
        return Err(CliError::NoKeyring(format!(
            "{}. The command line needs it kept: sign in with --token-file PATH \
             (a file only you can read)",
            vault.kept()
        )));
    }
    vault.save(&ApiToken::new(token))?;
    let mut book = AccountBook::open(dir)?;
    let store = open_cache(&book, &account).await?;
    store.set_me(agent.id).await?;
    store.close().await;
    // Current only once its token and cache are ready: a sign-in that
    // fails half-way leaves the previous account current.
    book.enter(account)?;
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

/// Where secrets are read from: the terminal without echo, or the lines
/// of standard input when it is not a terminal.
struct Secrets {
    piped: Option<std::io::Lines<std::io::StdinLock<'static>>>,
}

impl Secrets {
    fn new() -> Self {
        let stdin = std::io::stdin();
        let piped = (!stdin.is_terminal()).then(|| stdin.lock().lines());
        Self { piped }
    }

    fn line(&mut self, prompt: &str) -> Result<String, CliError> {
        let read = match &mut self.piped {
            Some(lines) => lines.next().unwrap_or_else(|| {
                Err(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    format!(
                        "standard input ended before the {}",
                        prompt.trim_end_matches([':', ' ']).to_lowercase()
                    ),
                ))
            }),
            None => rpassword::prompt_password(prompt),
        };
        let text = read.map_err(|e| CliError::Io(PathBuf::from("<stdin>"), e))?;
        let text = text.trim_end_matches('\r').to_owned();
        if text.trim().is_empty() {
            return Err(CliError::Usage(format!(
                "{} is empty",
                prompt.trim_end_matches([':', ' '])
            )));
        }
        Ok(text)
    }

    /// A new password, asked twice on a terminal.
    fn new_password(&mut self) -> Result<String, CliError> {
        let password = self.line("New password (10 characters or more): ")?;
        check_new_password(&password).map_err(|e| CliError::Usage(e.to_string()))?;
        if self.piped.is_none() && self.line("The same again: ")? != password {
            return Err(CliError::Usage("the two passwords differ".to_owned()));
        }
        Ok(password)
    }
}
