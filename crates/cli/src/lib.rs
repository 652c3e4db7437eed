//! `shiftdesk` on the command line: the same engine and cache as the
//! desktop app, for scripts, for the soak test, and for an agent on a
//! flaky connection. Replies are queued offline and delivered by `sync`.
//! Exit codes are stable: see [`Exit`].

mod profile;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use shiftdesk_domain::{
    CallDirection, CallOutcome, CallRecord, Channel, MessageId, MessageKind, Priority,
    TicketNumber, TicketStatus,
};
use shiftdesk_engine::credentials::{ApiToken, Storage, TokenKey, TokenVault, Where};
use shiftdesk_engine::outbox::{push_once, queue, OutboxError, PushError};
use shiftdesk_engine::pull::{pull_until_current, PullError, PAGE};
use shiftdesk_engine::sync::{Connectivity, SyncHandle, SyncTiming};
use shiftdesk_engine::{ApiClient, ApiError};
use shiftdesk_protocol::Mutation;
use shiftdesk_store::{OutboxState, QueueRequest, QueueView, Store};

pub use profile::{data_dir, Profile, CACHE_FILE};

/// The subcommands, so the desktop binary knows when it is asked for the
/// command line instead of a window.
pub const COMMANDS: &[&str] = &[
    "login",
    "sync",
    "queue",
    "show",
    "reply",
    "call",
    "retry",
    "set",
    "outbox",
    "status",
    "help",
    "--help",
    "-h",
    "--version",
    "-V",
];

#[derive(Debug, Parser)]
#[command(
    name = "shiftdesk",
    version,
    about = "Shiftdesk on the command line: the same cache and outbox as the app",
    after_help = "Exit status: 0 done; 1 failed (cache, files); 2 bad usage; 3 not signed in; \
                  4 the server did not answer (changes stay queued); 5 the server refused"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Sign in to a server; the token goes to the OS keyring (or --token-file).
    Login {
        #[arg(long)]
        server: String,
        /// The API token; `-` reads it from standard input.
        #[arg(long)]
        token: String,
        /// Keep the token in this file (mode 0600) instead of the keyring.
        #[arg(long)]
        token_file: Option<PathBuf>,
    },
    /// Send the outbox and pull changes until the cache is current.
    Sync {
        /// Keep syncing (event stream, retries with backoff) until
        /// interrupted, printing each change of status.
        #[arg(long)]
        follow: bool,
    },
    /// The queue in SLA order.
    Queue {
        #[arg(long, value_enum, default_value_t = ViewArg::Mine)]
        view: ViewArg,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
    /// A ticket and its conversation.
    Show { ticket: i64 },
    /// Queue a public reply (sent by the next `sync`, offline or not).
    /// A phone call is not a reply: log it with `call`.
    Reply {
        ticket: i64,
        #[arg(long, value_enum)]
        channel: ChannelArg,
        /// The text; `-` reads it from standard input.
        #[arg(long)]
        body: String,
    },
    /// Log a phone call with the customer (sent by the next `sync`); a
    /// call the customer took answers them for the SLA.
    Call {
        ticket: i64,
        #[arg(long, value_enum)]
        direction: DirectionArg,
        /// How long the call lasted, in seconds.
        #[arg(long, default_value_t = 0)]
        duration: u32,
        #[arg(long, value_enum, default_value_t = OutcomeArg::Answered)]
        outcome: OutcomeArg,
        /// What was said; `-` reads it from standard input.
        #[arg(long)]
        notes: String,
        /// You promised to call the customer back this many minutes from now.
        #[arg(long)]
        callback_in_minutes: Option<u32>,
    },
    /// Send a reply whose delivery failed again, as it was written (sent by
    /// the next `sync`); `show` gives the message's number.
    Retry { ticket: i64, message: i64 },
    /// Change a ticket's status, priority or tags (sent by the next `sync`).
    Set {
        ticket: i64,
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        #[arg(long, value_enum)]
        priority: Option<PriorityArg>,
        /// Comma-separated; an empty value clears them.
        #[arg(long)]
        tags: Option<String>,
    },
    /// What is waiting to be sent, failed, or waits for review.
    Outbox,
    /// Who is signed in where, and how much is waiting.
    Status,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ViewArg {
    Mine,
    Waiting,
    All,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatusArg {
    Open,
    Pending,
    OnHold,
    Solved,
    Closed,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum PriorityArg {
    Urgent,
    High,
    Normal,
    Low,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum DirectionArg {
    Inbound,
    Outbound,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutcomeArg {
    Answered,
    NoAnswer,
    Busy,
    Voicemail,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ChannelArg {
    Portal,
    Telegram,
    Email,
    Phone,
}

/// The exit codes a script can rely on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    Done = 0,
    Failed = 1,
    Usage = 2,
    NotSignedIn = 3,
    Unanswered = 4,
    Refused = 5,
}

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("no data folder: set SHIFTDESK_DATA_DIR or HOME")]
    NoDataDir,
    #[error("not signed in: run `shiftdesk login --server URL --token TOKEN`")]
    NotSignedIn,
    #[error("{0}")]
    NoKeyring(String),
    #[error("the profile {path} is damaged: {reason}", path = .0.display(), reason = .1)]
    BadProfile(PathBuf, String),
    #[error("{path}: {error}", path = .0.display(), error = .1)]
    Io(PathBuf, std::io::Error),
    #[error("the cache: {0}")]
    Store(#[from] shiftdesk_store::StoreError),
    #[error("the token store: {0} ({code})", code = .0.code())]
    Credentials(#[from] shiftdesk_engine::credentials::CredentialError),
    #[error("{0}")]
    Client(#[from] shiftdesk_engine::ClientError),
    #[error("{0}")]
    Api(ApiError),
    #[error("{0}")]
    Usage(String),
    #[error("no ticket #{0} in the cache; run `shiftdesk sync`")]
    NoTicket(i64),
    #[error("{0}")]
    Outbox(#[from] shiftdesk_engine::outbox::OutboxError),
}

impl CliError {
    pub fn exit(&self) -> Exit {
        match self {
            CliError::NotSignedIn | CliError::NoKeyring(_) => Exit::NotSignedIn,
            // Refused before queueing: what the agent typed must change.
            CliError::Usage(_) | CliError::Outbox(OutboxError::Refused(_)) => Exit::Usage,
            CliError::Api(e) if e.is_transient() => Exit::Unanswered,
            CliError::Api(_) => Exit::Refused,
            _ => Exit::Failed,
        }
    }
}

/// Runs the command line with the process's arguments.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("shiftdesk: {e}");
            return ExitCode::from(Exit::Failed as u8);
        }
    };
    let mut out = std::io::stdout().lock();
    match runtime.block_on(run(cli.command, &mut out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shiftdesk: {e}");
            ExitCode::from(e.exit() as u8)
        }
    }
}

async fn run(command: Command, out: &mut impl std::io::Write) -> Result<(), CliError> {
    let dir = data_dir()?;
    let line = |out: &mut dyn std::io::Write, text: String| {
        let _ = writeln!(out, "{text}");
    };
    match command {
        Command::Login {
            server,
            token,
            token_file,
        } => {
            let token = read_arg(token)?;
            let api = ApiClient::new(&server, &token)?;
            let agent = api.me().await.map_err(CliError::Api)?;
            let storage = token_file.clone().map_or(Storage::Keyring, Storage::File);
            let vault = TokenVault::open(TokenKey::new(&server, agent.id)?, storage)?;
            if let Where::MemoryOnly { .. } = vault.kept() {
                return Err(CliError::NoKeyring(format!(
                    "{}. The command line needs it kept: sign in with --token-file PATH \
                     (a file only you can read), or set SHIFTDESK_API_TOKEN for each run",
                    vault.kept()
                )));
            }
            vault.save(&ApiToken::new(token))?;
            let store = open_store(&dir).await?;
            store.set_me(agent.id).await?;
            Profile {
                server: api.base_url().to_string(),
                agent: agent.id,
                agent_name: agent.name.clone(),
                token_file,
            }
            .save(&dir)?;
            line(
                out,
                format!(
                    "signed in to {} as {} ({}). {}",
                    api.base_url(),
                    agent.name,
                    agent.role,
                    vault.kept()
                ),
            );
        }
        Command::Sync { follow: true } => {
            let (profile, api) = signed_in(&dir).await?;
            let store = open_store(&dir).await?;
            let sync = SyncHandle::start(api, store, profile.agent, SyncTiming::default());
            let mut status = sync.status();
            loop {
                tokio::select! {
                    changed = status.changed() => {
                        if changed.is_err() {
                            return Ok(());
                        }
                    }
                    _ = tokio::signal::ctrl_c() => return Ok(()),
                }
                let now = status.borrow_and_update().clone();
                let connectivity = match now.connectivity {
                    Connectivity::Online => "online",
                    Connectivity::Degraded => "degraded",
                    Connectivity::Offline => "offline",
                };
                line(
                    out,
                    format!(
                        "{connectivity}: {} queued, {} waiting for you{}",
                        now.pending,
                        now.needs_agent,
                        now.problem.map(|p| format!(" ({p})")).unwrap_or_default()
                    ),
                );
                let _ = out.flush();
            }
        }
        Command::Sync { follow: false } => {
            let (profile, api) = signed_in(&dir).await?;
            let store = open_store(&dir).await?;
            let mut sent = 0;
            loop {
                let pushed = push_once(&api, &store, profile.agent)
                    .await
                    .map_err(|e| match e {
                        PushError::Refused(e) => CliError::Api(e),
                        PushError::Store(e) => CliError::Store(e),
                        PushError::Outbox(e) => CliError::Outbox(e),
                    })?;
                if let Some(e) = pushed.unanswered {
                    return Err(CliError::Api(e));
                }
                sent += pushed.done;
                if pushed.sent == 0 {
                    break;
                }
            }
            let pulled = pull_until_current(&api, &store, PAGE)
                .await
                .map_err(|e| match e {
                    PullError::Api(e) => CliError::Api(e),
                    PullError::Store(e) => CliError::Store(e),
                })?;
            let waiting = store.outbox().await?.len();
            line(
                out,
                format!(
                    "sent {sent}, pulled {} changes, {waiting} waiting in the outbox",
                    pulled.changes
                ),
            );
        }
        Command::Queue { view, limit } => {
            let store = open_store(&dir).await?;
            let view = match view {
                ViewArg::Mine => QueueView::MineOpen,
                ViewArg::Waiting => QueueView::WaitingOnCustomer,
                ViewArg::All => QueueView::Team,
            };
            let page = store
                .queue_page(
                    &QueueRequest {
                        view,
                        after: None,
                        limit,
                        filter: None,
                    },
                    shiftdesk_engine::now(),
                )
                .await?;
            for row in page.rows {
                line(
                    out,
                    format!(
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        row.number,
                        row.status,
                        row.priority,
                        row.channel,
                        row.customer_name,
                        row.subject
                    ),
                );
            }
        }
        Command::Show { ticket } => {
            let store = open_store(&dir).await?;
            let number = TicketNumber(ticket);
            let row = store
                .queue_row(number)
                .await?
                .ok_or(CliError::NoTicket(ticket))?;
            line(
                out,
                format!(
                    "{} {}\n{} · {} · {} · {} · {}",
                    row.number,
                    row.subject,
                    row.customer_name,
                    row.status,
                    row.priority,
                    row.channel,
                    row.service_name
                ),
            );
            for message in store.conversation(number).await? {
                let state = match (&message.kind, &message.outbox) {
                    (_, Some(_)) => " [not sent yet]".to_owned(),
                    (MessageKind::PublicReply { delivery }, None) => {
                        format!(" [delivery: {}]", delivery.code())
                    }
                    _ => String::new(),
                };
                line(
                    out,
                    format!(
                        "\n— #{} {} · {} · {}{state}\n{}",
                        message.id.0,
                        message.kind.code(),
                        message.channel,
                        message.author,
                        message.body
                    ),
                );
            }
        }
        Command::Reply {
            ticket,
            channel,
            body,
        } => {
            let channel = match channel {
                ChannelArg::Portal => Channel::Portal,
                ChannelArg::Telegram => Channel::Telegram,
                ChannelArg::Email => Channel::Email,
                ChannelArg::Phone => {
                    return Err(CliError::Usage(format!(
                        "nobody can deliver a reply on the phone: log the call with \
                         `shiftdesk call {ticket} --direction outbound --duration SECONDS --notes TEXT`, \
                         or reply on the portal, Telegram or email"
                    )))
                }
            };
            let profile = Profile::load(&dir)?.ok_or(CliError::NotSignedIn)?;
            let store = open_store(&dir).await?;
            let body = read_arg(body)?;
            if body.trim().is_empty() {
                return Err(CliError::Usage("a reply needs text".into()));
            }
            let number = TicketNumber(ticket);
            if store.ticket_head(number).await?.is_none() {
                return Err(CliError::NoTicket(ticket));
            }
            let id = queue(
                &store,
                profile.agent,
                number,
                Mutation::Reply {
                    channel,
                    body,
                    attachments: vec![],
                    cc: vec![],
                },
                None,
                shiftdesk_engine::now(),
            )
            .await?;
            line(out, format!("queued {id}"));
        }
        Command::Retry { ticket, message } => {
            let profile = Profile::load(&dir)?.ok_or(CliError::NotSignedIn)?;
            let store = open_store(&dir).await?;
            let number = TicketNumber(ticket);
            if store.ticket_head(number).await?.is_none() {
                return Err(CliError::NoTicket(ticket));
            }
            let found = store
                .conversation(number)
                .await?
                .into_iter()
                .find(|m| m.id.0 == message);
            let delivery = found.as_ref().and_then(|m| match &m.kind {
                MessageKind::PublicReply { delivery } => Some(delivery.code()),
                _ => None,
            });
            match delivery {
                Some("failed") => {}
                Some(state) => {
                    return Err(CliError::Usage(format!(
                        "message {message} is {state}; only a failed reply is sent again"
                    )))
                }
                None if found.is_some() => {
                    return Err(CliError::Usage(format!(
                        "message {message} is not a reply to the customer"
                    )))
                }
                None => {
                    return Err(CliError::Usage(format!(
                        "ticket {ticket} has no message {message}: `shiftdesk show {ticket}` lists them"
                    )))
                }
            }
            let id = queue(
                &store,
                profile.agent,
                number,
                Mutation::RetryDelivery {
                    message: MessageId(message),
                },
                None,
                shiftdesk_engine::now(),
            )
            .await?;
            line(out, format!("queued {id}"));
        }
        Command::Call {
            ticket,
            direction,
            duration,
            outcome,
            notes,
            callback_in_minutes,
        } => {
            let profile = Profile::load(&dir)?.ok_or(CliError::NotSignedIn)?;
            let store = open_store(&dir).await?;
            let notes = read_arg(notes)?;
            if duration > CallRecord::MAX_DURATION_SECS {
                return Err(CliError::Usage(format!(
                    "a call lasts {} seconds at most",
                    CallRecord::MAX_DURATION_SECS
                )));
            }
            let number = TicketNumber(ticket);
            if store.ticket_head(number).await?.is_none() {
                return Err(CliError::NoTicket(ticket));
            }
            let now = shiftdesk_engine::now();
            let call = CallRecord {
                direction: match direction {
                    DirectionArg::Inbound => CallDirection::Inbound,
                    DirectionArg::Outbound => CallDirection::Outbound,
                },
                duration_secs: duration,
                outcome: match outcome {
                    OutcomeArg::Answered => CallOutcome::Answered,
                    OutcomeArg::NoAnswer => CallOutcome::NoAnswer,
                    OutcomeArg::Busy => CallOutcome::Busy,
                    OutcomeArg::Voicemail => CallOutcome::Voicemail,
                },
                callback_at: callback_in_minutes.map(|m| now.plus_minutes(i64::from(m))),
            };
            let id = queue(
                &store,
                profile.agent,
                number,
                Mutation::CallLog { call, notes },
                None,
                now,
            )
            .await?;
            line(out, format!("queued {id}"));
        }
        Command::Set {
            ticket,
            status,
            priority,
            tags,
        } => {
            let profile = Profile::load(&dir)?.ok_or(CliError::NotSignedIn)?;
            let store = open_store(&dir).await?;
            let number = TicketNumber(ticket);
            if store.ticket_head(number).await?.is_none() {
                return Err(CliError::NoTicket(ticket));
            }
            let mut edits = Vec::new();
            if let Some(status) = status {
                edits.push(Mutation::SetStatus {
                    status: match status {
                        StatusArg::Open => TicketStatus::Open,
                        StatusArg::Pending => TicketStatus::Pending,
                        StatusArg::OnHold => TicketStatus::OnHold,
                        StatusArg::Solved => TicketStatus::Solved,
                        StatusArg::Closed => TicketStatus::Closed,
                    },
                });
            }
            if let Some(priority) = priority {
                edits.push(Mutation::SetPriority {
                    priority: match priority {
                        PriorityArg::Urgent => Priority::Urgent,
                        PriorityArg::High => Priority::High,
                        PriorityArg::Normal => Priority::Normal,
                        PriorityArg::Low => Priority::Low,
                    },
                });
            }
            if let Some(tags) = tags {
                edits.push(Mutation::SetTags {
                    tags: tags
                        .split(',')
                        .map(str::trim)
                        .filter(|t| !t.is_empty())
                        .map(str::to_owned)
                        .collect(),
                });
            }
            if edits.is_empty() {
                return Err(CliError::Usage(
                    "say what to change: --status, --priority or --tags".into(),
                ));
            }
            for edit in edits {
                let id = queue(
                    &store,
                    profile.agent,
                    number,
                    edit,
                    None,
                    shiftdesk_engine::now(),
                )
                .await?;
                line(out, format!("queued {id}"));
            }
        }
        Command::Outbox => {
            let store = open_store(&dir).await?;
            for entry in store.outbox().await? {
                let kind = serde_json::from_str::<serde_json::Value>(&entry.mutation)
                    .ok()
                    .and_then(|m| m["type"].as_str().map(str::to_owned))
                    .unwrap_or_default();
                line(
                    out,
                    format!(
                        "{}\t{}\t{}\t{kind}\t{} attempts{}",
                        entry.id,
                        entry.ticket,
                        entry.state.code(),
                        entry.attempts,
                        entry.review.map(|r| format!("\t{r}")).unwrap_or_default()
                    ),
                );
            }
        }
        Command::Status => {
            let profile = Profile::load(&dir)?.ok_or(CliError::NotSignedIn)?;
            let store = open_store(&dir).await?;
            let entries = store.outbox().await?;
            let queued = entries
                .iter()
                .filter(|e| e.state == OutboxState::Queued)
                .count();
            line(
                out,
                format!(
                    "signed in to {} as {}\ncursor {}\noutbox: {queued} queued, {} waiting for you",
                    profile.server,
                    profile.agent_name,
                    store.pull_cursor().await?,
                    entries.len() - queued
                ),
            );
            let (_, api) = signed_in(&dir).await?;
            match api.me().await {
                Ok(_) => line(out, "server: online".into()),
                Err(e) => {
                    line(out, format!("server: {e}"));
                    return Err(CliError::Api(e));
                }
            }
        }
    }
    Ok(())
}

/// The profile and a client with its token: `SHIFTDESK_API_TOKEN` for
/// this run, else the token store the profile names.
async fn signed_in(dir: &std::path::Path) -> Result<(Profile, ApiClient), CliError> {
    let profile = Profile::load(dir)?.ok_or(CliError::NotSignedIn)?;
    let token = match std::env::var("SHIFTDESK_API_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token,
        _ => {
            let storage = profile
                .token_file
                .clone()
                .map_or(Storage::Keyring, Storage::File);
            let vault = TokenVault::open(TokenKey::new(&profile.server, profile.agent)?, storage)?;
            vault
                .load()?
                .ok_or(CliError::NotSignedIn)?
                .expose()
                .to_owned()
        }
    };
    let api = ApiClient::new(&profile.server, &token)?;
    Ok((profile, api))
}

async fn open_store(dir: &std::path::Path) -> Result<Store, CliError> {
    std::fs::create_dir_all(dir).map_err(|e| CliError::Io(dir.to_owned(), e))?;
    let opened = Store::open(&dir.join(CACHE_FILE)).await?;
    if let Some(moved) = opened.moved_aside {
        eprintln!("shiftdesk: the cache was damaged and was moved aside: {moved:?}");
    }
    Ok(opened.store)
}

/// An argument, or standard input when it is `-`.
fn read_arg(value: String) -> Result<String, CliError> {
    if value != "-" {
        return Ok(value);
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| CliError::Io(PathBuf::from("<stdin>"), e))?;
    Ok(text.trim_end_matches('\n').to_owned())
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// A subcommand missing from the list would open a window instead.
    #[test]
    fn every_subcommand_is_known_to_the_desktop_binary() {
        for command in Cli::command().get_subcommands() {
            assert!(
                COMMANDS.contains(&command.get_name()),
                "{} is not in COMMANDS",
                command.get_name()
            );
        }
    }
}
