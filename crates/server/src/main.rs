//! `shiftdesk-server`: serve the ticketing API, add agents, seed demo data,
//! simulate customers writing in.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use shiftdesk_server::channels::email::EmailGateway;
use shiftdesk_server::channels::telegram::TelegramGateway;
use shiftdesk_server::config::{ChannelSettings, ConfigFile};
use shiftdesk_server::intake::IntakeRules;
use shiftdesk_server::{now, seed, simulate, AppState, Db, DEFAULT_TEAM};

mod cli {
    pub mod agent;
}
use cli::agent::AgentCommand;

#[derive(Debug, Parser)]
#[command(
    version,
    about = "The reference ticketing API server Shiftdesk syncs with"
)]
struct Cli {
    /// A TOML configuration file (database, listen, intake team, the
    /// channel gateways).
    #[arg(long, env = "SHIFTDESK_SERVER_CONFIG", global = true)]
    config: Option<PathBuf>,
    /// The server's SQLite database file, created if missing [default:
    /// shiftdesk-server.sqlite]. Attachments are kept beside it.
    #[arg(long, env = "SHIFTDESK_SERVER_DB", global = true)]
    db: Option<PathBuf>,
    /// The team new tickets go to [default: L2 Support].
    #[arg(long, env = "SHIFTDESK_INTAKE_TEAM", global = true)]
    team: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API until interrupted.
    Serve {
        /// The address to listen on [default: 127.0.0.1:8780].
        #[arg(long, env = "SHIFTDESK_SERVER_LISTEN")]
        listen: Option<SocketAddr>,
    },
    /// Add agents, give them sign-in codes, disable them.
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
    /// Simulate customers writing in on every channel until interrupted.
    Simulate {
        /// Customer messages a minute, on average (new tickets and
        /// follow-ups), up to 6000.
        #[arg(long)]
        rate: f64,
        /// Makes the run repeatable; random when absent.
        #[arg(long)]
        seed: Option<u64>,
    },
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
    let file = match &cli.config {
        Some(path) => ConfigFile::load(path)?,
        None => ConfigFile::default(),
    };
    // Checked before the database is touched; only serving runs gateways.
    let channels = match cli.command {
        Command::Serve { .. } => Some(ChannelSettings::resolve(&file, |v| std::env::var(v).ok())?),
        _ => None,
    };
    let db_path = cli
        .db
        .or(file.database)
        .unwrap_or_else(|| PathBuf::from("shiftdesk-server.sqlite"));
    let intake = IntakeRules {
        team: cli
            .team
            .or(file.intake.team)
            .unwrap_or_else(|| DEFAULT_TEAM.to_owned()),
    };
    // Checked before the database is touched.
    if let Command::Simulate { rate, .. } = &cli.command {
        if !(rate.is_finite() && *rate > 0.0 && *rate <= simulate::MAX_RATE_PER_MINUTE) {
            return Err(format!(
                "--rate is customer messages a minute, more than 0 and at most {}",
                simulate::MAX_RATE_PER_MINUTE
            )
            .into());
        }
    }
    let db = Db::open(&db_path).await?;
    let mut out = std::io::stdout().lock();
    use std::io::Write;
    match cli.command {
        Command::Serve { listen } => {
            let listen = listen
                .or(file.listen)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8780)));
            let listener = tokio::net::TcpListener::bind(listen)
                .await
                .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
            tracing::info!(
                address = %listener.local_addr()?,
                database = %db_path.display(),
                team = %intake.team,
                "serving the ticketing API"
            );
            let mut state = AppState::new(db.clone());
            state.intake = intake;
            tokio::spawn(state.nudges.clone().watch_database(db.clone()));
            if let Some(channels) = channels {
                start_gateways(&mut state, channels)?;
            }
            shiftdesk_server::serve(listener, state, shutdown_signal()).await?;
            tracing::info!("stopped");
        }
        Command::Agent { command } => cli::agent::run(command, &db, &mut out).await?,
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
        Command::Simulate { rate, seed } => {
            let seed = seed.unwrap_or_else(rand::random);
            tracing::info!(rate, seed, team = %intake.team, "simulating customers");
            let arrivals = simulate::run(&db, &intake, rate, seed, shutdown_signal()).await?;
            tracing::info!(arrivals, "simulation stopped");
        }
    }
    db.close().await;
    Ok(())
}

/// Starts the gateways `channels` turns on; the phone webhook is a route,
/// so it only needs its secret in the state.
fn start_gateways(
    state: &mut AppState,
    channels: ChannelSettings,
) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(settings) = &channels.telegram {
        tracing::info!(api = %settings.api_base, "telegram: the bot gateway is on");
        TelegramGateway::new(state.clone(), settings)?.spawn();
    }
    if let Some(settings) = &channels.email {
        tracing::info!(
            address = %settings.address,
            imap = %format!("{}:{}", settings.imap.host, settings.imap.port),
            smtp = %format!("{}:{}", settings.smtp.host, settings.smtp.port),
            "email: the mailbox gateway is on"
        );
        EmailGateway::new(state.clone(), settings)?.spawn();
    }
    if let Some(settings) = channels.phone {
        tracing::info!("phone: the telephony webhook is on at /v1/channels/phone/events");
        state.phone = Some(settings);
    }
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
