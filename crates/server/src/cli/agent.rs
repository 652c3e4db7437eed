//! `shiftdesk-server agent …`: the operator adds agents, who then sign in
//! with a one-time code; gives new codes; disables and enables agents; and
//! issues device tokens for scripts.

use std::io::Write;

use clap::{Subcommand, ValueEnum};
use shiftdesk_domain::{AgentId, Role, Timestamp};
use shiftdesk_server::auth::accounts::{self, NewAgent, SignInCode, CODE_VALID_MINUTES};
use shiftdesk_server::{auth, now, Db};

#[derive(Debug, Subcommand)]
pub enum AgentCommand {
    /// Add an agent; prints a one-time sign-in code, valid for 30 minutes,
    /// with which they set their password (the server keeps only hashes).
    Add {
        #[arg(long)]
        name: String,
        /// Their email address: what they sign in with.
        #[arg(long)]
        login: String,
        #[arg(long, default_value = "L2 Support")]
        team: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Agent)]
        role: RoleArg,
    },
    /// Give an agent a new sign-in code (a forgotten password, a new
    /// machine); an earlier code stops working.
    Reset {
        #[arg(long)]
        id: i64,
    },
    /// Disable an agent: all their devices stop at once.
    Disable {
        #[arg(long)]
        id: i64,
    },
    /// Let a disabled agent sign in again.
    Enable {
        #[arg(long)]
        id: i64,
    },
    /// Issue a device token without a sign-in, for a script; it works
    /// until it expires or the device is signed out.
    Token {
        #[arg(long)]
        id: i64,
        /// Days the token works.
        #[arg(long, default_value_t = accounts::DEFAULT_TOKEN_DAYS, value_parser = clap::value_parser!(u32).range(1..=3650))]
        valid_days: u32,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    Agent,
    Lead,
}

pub async fn run(
    command: AgentCommand,
    db: &Db,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let now = now();
    match command {
        AgentCommand::Add {
            name,
            login,
            team,
            role,
        } => {
            let role = match role {
                RoleArg::Agent => Role::Agent,
                RoleArg::Lead => Role::Lead,
            };
            let new = NewAgent {
                name: &name,
                login: &login,
                team: &team,
                role,
            };
            let (agent, code) = accounts::add_agent(db, new, now).await?;
            writeln!(out, "agent {} ({}, {})", agent.id.0, agent.name, agent.role)?;
            print_code(out, &code)?;
        }
        AgentCommand::Reset { id } => {
            let code = accounts::reset(db, AgentId(id), now).await?;
            print_code(out, &code)?;
        }
        AgentCommand::Disable { id } => {
            let changed = accounts::disable(db, AgentId(id), now.0).await?;
            let state = if changed {
                "disabled"
            } else {
                "already disabled"
            };
            writeln!(out, "agent {id} {state}; their devices are signed out")?;
        }
        AgentCommand::Enable { id } => {
            let changed = accounts::enable(db, AgentId(id)).await?;
            let state = if changed {
                "enabled"
            } else {
                "already enabled"
            };
            writeln!(out, "agent {id} {state}")?;
        }
        AgentCommand::Token { id, valid_days } => {
            match auth::issue_token_until(db, AgentId(id), auth::expiry(now, valid_days)).await? {
                Some(token) => writeln!(out, "token {token}\nvalid for {valid_days} days")?,
                None => return Err(format!("no agent {id}").into()),
            }
        }
    }
    Ok(())
}

fn print_code(out: &mut impl Write, code: &SignInCode) -> std::io::Result<()> {
    writeln!(
        out,
        "sign-in code {}\nvalid for {CODE_VALID_MINUTES} minutes, until {} UTC, once: \
         the agent signs in with it and sets a password",
        code.code,
        utc_minute(code.expires_at)
    )
}

/// `2026-12-07 17:42`.
fn utc_minute(at: Timestamp) -> String {
    jiff::Timestamp::from_millisecond(at.0)
        .map(|t| t.strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| at.0.to_string())
}
