//! `shiftdesk-server`: serve the ticketing API, add agents, seed demo data.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use shiftdesk_domain::{AgentId, Role};
use shiftdesk_server::{auth, now, router, seed, AppState, Db};

#[derive(Debug, Parser)]
#[command(
    version,
    about = "The reference ticketing API server Shiftdesk syncs with"
)]
struct Cli {
    /// The server's SQLite database file (created if missing).
    #[arg(
        long,
        env = "SHIFTDESK_SERVER_DB",
        default_value = "shiftdesk-server.sqlite",
        global = true
    )]
    db: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API until interrupted.
    Serve {
        #[arg(
            long,
            env = "SHIFTDESK_SERVER_LISTEN",
            default_value = "127.0.0.1:8780"
        )]
        listen: SocketAddr,
    },
    /// Manage agents and their tokens.
    Agent {
        #[command(subcommand)]
        command: AgentCommand,
    },
    /// Seed the demo desk: its team, policies, customers and tickets.
    Demo {
        #[arg(long, default_value_t = 2_000)]
        tickets: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
enum AgentCommand {
    /// Add an agent; prints their token once (the server keeps only a hash).
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "L2 Support")]
        team: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Agent)]
        role: RoleArg,
    },
    /// Issue a new token for an existing agent; the old one stops working.
    Token {
        #[arg(long)]
        id: i64,
    },
    /// Revoke an agent's token.
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum RoleArg {
    Agent,
    Lead,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shiftdesk-server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::open(&cli.db).await?;
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    match cli.command {
        Command::Serve { listen } => {
            let listener = tokio::net::TcpListener::bind(listen).await?;
            tracing::info!(address = %listener.local_addr()?, "serving the ticketing API");
            let state = AppState::new(db.clone());
            tokio::spawn(state.nudges.clone().watch_database(db.clone()));
            axum::serve(listener, router(state))
                .with_graceful_shutdown(shutdown_signal())
                .await?;
            tracing::info!("stopped");
        }
        Command::Agent {
            command: AgentCommand::Add { name, team, role },
        } => {
            let role = match role {
                RoleArg::Agent => Role::Agent,
                RoleArg::Lead => Role::Lead,
            };
            let (agent, token) = auth::add_agent(&db, &name, &team, role).await?;
            writeln!(
                out,
                "agent {} ({}, {})\ntoken {token}",
                agent.id.0, agent.name, agent.role
            )?;
        }
        Command::Agent {
            command: AgentCommand::Token { id },
        } => match auth::issue_token(&db, AgentId(id)).await? {
            Some(token) => writeln!(out, "token {token}")?,
            None => return Err(format!("no agent {id}").into()),
        },
        Command::Agent {
            command: AgentCommand::Revoke { id },
        } => {
            if !auth::revoke(&db, AgentId(id), now().0).await? {
                return Err(format!("no agent {id} with a live token").into());
            }
            writeln!(out, "revoked agent {id}")?;
        }
        Command::Demo { tickets, seed } => {
            let written = seed::demo(
                &db,
                &shiftdesk_demo::DemoConfig {
                    seed,
                    tickets,
                    now: now(),
                },
            )
            .await?;
            writeln!(out, "seeded {written} tickets")?;
        }
    }
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => {}
        _ = terminate => {}
    }
}
