//! The email gateway: reads customers' mails from the support mailbox over
//! IMAP and stores each through intake, threaded into its ticket by
//! Message-ID, In-Reply-To, References and the subject's ticket tag, in one
//! transaction with the mail's reference, and only then marks it seen; and
//! sends agents' queued replies over SMTP as threaded text-and-HTML mails
//! to the customer and everyone else on the thread.

mod imap;
mod inbound;
mod outbound;
mod parse;

use std::sync::Arc;
use std::time::Duration;

use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, Tokio1Executor};

pub use self::imap::ImapError;
use crate::{AppState, ServerError};

/// How a connection to a mail server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Security {
    /// Plain TCP: a relay on the same machine, a test peer.
    Plain,
    /// TLS from the first byte (IMAPS on 993, SMTPS on 465).
    Tls,
    /// Plain first, then STARTTLS before anything else is said (143, 587).
    StartTls,
}

/// The support mailbox the gateway reads.
#[derive(Clone)]
pub struct ImapSettings {
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    /// `INBOX` usually.
    pub mailbox: String,
    /// How often to look for new mail when the server has no IDLE, and the
    /// longest an IDLE waits before looking anyway.
    pub poll_interval: Duration,
    pub security: Security,
}

/// The server replies are handed to.
#[derive(Clone)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    /// Log in with these when both are given.
    pub user: Option<String>,
    pub password: Option<String>,
    pub security: Security,
    /// How long the server may take to answer; beyond it the reply is
    /// tried again later.
    pub timeout: Duration,
}

/// Everything the gateway needs to know.
#[derive(Debug, Clone)]
pub struct EmailSettings {
    pub imap: ImapSettings,
    pub smtp: SmtpSettings,
    /// The desk's address: the From of every reply. Mail from it is never
    /// a ticket.
    pub address: String,
    /// The name shown with the address (`Example Support`).
    pub display_name: Option<String>,
    /// The domain of the desk's Message-IDs (`ticket-N.message-M@domain`).
    pub domain: String,
    /// Mails over this size are not taken in: their ticket gets a message
    /// saying so, with their size, subject and sender.
    pub max_mail_bytes: u64,
}

impl EmailSettings {
    /// What a support mailbox usually allows.
    pub const DEFAULT_MAX_MAIL_BYTES: u64 = 25 * 1024 * 1024;
}

impl std::fmt::Debug for ImapSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImapSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &"…")
            .field("mailbox", &self.mailbox)
            .field("poll_interval", &self.poll_interval)
            .field("security", &self.security)
            .finish()
    }
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "…"))
            .field("security", &self.security)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Settings the gateway cannot work with.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("the desk's address {address:?} is not a mail address: {source}")]
    Address {
        address: String,
        source: lettre::address::AddressError,
    },
    #[error("the Message-ID domain {0:?} is not a domain")]
    Domain(String),
    #[error("the mail size limit must be more than 0 bytes")]
    MaxMailBytes,
    #[error("TLS for SMTP: {0}")]
    SmtpTls(lettre::transport::smtp::Error),
    #[error("TLS for IMAP: {0}")]
    ImapTls(tokio_rustls::rustls::Error),
}

#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error(transparent)]
    Imap(#[from] ImapError),
    #[error(transparent)]
    Server(#[from] ServerError),
}

#[derive(Debug, Clone)]
pub struct EmailGateway {
    state: AppState,
    settings: Arc<EmailSettings>,
    /// The desk's address, lower-cased.
    address: String,
    from: Mailbox,
    imap: imap::Connector,
    smtp: AsyncSmtpTransport<Tokio1Executor>,
}

impl EmailGateway {
    pub fn new(state: AppState, settings: &EmailSettings) -> Result<Self, SettingsError> {
        let address = settings.address.trim().to_lowercase();
        let from = Mailbox::new(
            settings.display_name.clone(),
            address.parse().map_err(|source| SettingsError::Address {
                address: settings.address.clone(),
                source,
            })?,
        );
        let domain = settings.domain.trim();
        if domain.is_empty()
            || domain.contains(['@', '<', '>'])
            || domain.contains(char::is_whitespace)
        {
            return Err(SettingsError::Domain(settings.domain.clone()));
        }
        if settings.max_mail_bytes == 0 {
            return Err(SettingsError::MaxMailBytes);
        }
        Ok(Self {
            imap: imap::Connector::new(&settings.imap).map_err(SettingsError::ImapTls)?,
            smtp: smtp_transport(&settings.smtp)?,
            state,
            settings: Arc::new(settings.clone()),
            address,
            from,
        })
    }

    /// Runs the receiving and the sending loop until the process ends.
    pub fn spawn(self) {
        let gateway = Arc::new(self);
        let receiver = Arc::clone(&gateway);
        tokio::spawn(async move { receiver.receive_forever().await });
        tokio::spawn(async move { gateway.send_forever().await });
    }

    async fn receive_forever(&self) {
        let poll = self.settings.imap.poll_interval;
        let mut failures = 0u32;
        loop {
            match self.receive_once().await {
                Ok(_) => failures = 0,
                Err(e) => {
                    failures = failures.saturating_add(1);
                    let wait =
                        super::reconnect_wait(failures).min(poll.max(Duration::from_secs(1)));
                    tracing::warn!(error = %e, wait_s = wait.as_secs_f32(), "email: reading the mailbox failed; trying again");
                    tokio::time::sleep(wait).await;
                    continue;
                }
            }
            if let Err(e) = self.wait_for_mail(poll).await {
                tracing::warn!(error = %e, "email: waiting for mail failed; looking again");
                tokio::time::sleep(poll).await;
            }
        }
    }

    /// Returns when the mailbox may hold something new: at once when it
    /// has unseen mail, else after IDLE reports news or `at_most` passes.
    async fn wait_for_mail(&self, at_most: Duration) -> Result<(), ImapError> {
        let mut mailbox = self.imap.open().await?;
        if !mailbox.unseen().await?.is_empty() {
            mailbox.logout().await;
            return Ok(());
        }
        mailbox.wait_for_news(at_most).await
    }

    async fn send_forever(&self) {
        loop {
            match self.send_due().await {
                Ok(0) => tokio::time::sleep(Duration::from_millis(500)).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "email: the delivery queue cannot be read");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
            }
        }
    }
}

fn smtp_transport(
    settings: &SmtpSettings,
) -> Result<AsyncSmtpTransport<Tokio1Executor>, SettingsError> {
    let tls = match settings.security {
        Security::Plain => Tls::None,
        Security::Tls => {
            Tls::Wrapper(TlsParameters::new(settings.host.clone()).map_err(SettingsError::SmtpTls)?)
        }
        Security::StartTls => Tls::Required(
            TlsParameters::new(settings.host.clone()).map_err(SettingsError::SmtpTls)?,
        ),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
        .port(settings.port)
        .tls(tls)
        .timeout(Some(settings.timeout));
    if let (Some(user), Some(password)) = (&settings.user, &settings.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.clone()));
    }
    Ok(builder.build())
}

/// Adds `addresses` (lower-cased) to the people on the ticket's mail;
/// returns the whole list, sorted, when that grew it, for the caller to
/// carry in the ticket it saves.
pub(crate) async fn add_copies<'a>(
    conn: &mut sqlx::SqliteConnection,
    ticket: shiftdesk_domain::TicketNumber,
    addresses: impl IntoIterator<Item = &'a str>,
) -> Result<Option<Vec<String>>, ServerError> {
    let mut added = 0;
    for address in addresses {
        added +=
            sqlx::query("INSERT OR IGNORE INTO email_cc (ticket_number, address) VALUES (?, ?)")
                .bind(ticket.0)
                .bind(address.trim().to_lowercase())
                .execute(&mut *conn)
                .await?
                .rows_affected();
    }
    if added == 0 {
        return Ok(None);
    }
    let copies =
        sqlx::query_scalar("SELECT address FROM email_cc WHERE ticket_number = ? ORDER BY address")
            .bind(ticket.0)
            .fetch_all(&mut *conn)
            .await?;
    Ok(Some(copies))
}
