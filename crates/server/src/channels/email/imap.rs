//! The IMAP side of the email gateway: a logged-in session on the support
//! mailbox over plain TCP, TLS from the first byte, or STARTTLS, and the
//! few commands the gateway uses (unseen mails, their sizes, their bytes
//! without touching \Seen, marking them seen, waiting with IDLE).

use std::sync::Arc;
use std::time::Duration;

use async_imap::extensions::idle::IdleResponse;
use async_imap::{Client, Session};
use futures_util::TryStreamExt;
use tokio::net::TcpStream;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};
use tokio_rustls::TlsConnector;
use tokio_util::either::Either;

use super::{ImapSettings, Security};

type Stream = Either<TcpStream, tokio_rustls::client::TlsStream<TcpStream>>;

/// How long one IMAP command may take; a 25 MB mail on a slow line fits.
const COMMAND_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, thiserror::Error)]
pub enum ImapError {
    #[error("cannot reach the IMAP server {address}: {source}")]
    Connect {
        address: String,
        source: std::io::Error,
    },
    #[error("the IMAP server did not answer within {} s", COMMAND_TIMEOUT.as_secs())]
    Timeout,
    #[error("TLS with the IMAP server failed: {0}")]
    Tls(std::io::Error),
    #[error("{0:?} is not a host name TLS can check")]
    HostName(String),
    #[error("the IMAP server refused the login of {user:?}: {source}")]
    Login {
        user: String,
        source: async_imap::error::Error,
    },
    #[error("the IMAP server closed the connection before greeting")]
    NoGreeting,
    #[error("IMAP: {0}")]
    Protocol(#[from] async_imap::error::Error),
}

/// Opens sessions on the mailbox the settings name.
#[derive(Debug, Clone)]
pub(super) struct Connector {
    settings: ImapSettings,
    tls: Option<Arc<ClientConfig>>,
}

impl Connector {
    pub(super) fn new(settings: &ImapSettings) -> Result<Self, rustls::Error> {
        let tls = match settings.security {
            Security::Plain => None,
            Security::Tls | Security::StartTls => Some(Arc::new(tls_config()?)),
        };
        Ok(Self {
            settings: settings.clone(),
            tls,
        })
    }

    /// Connects, logs in and selects the mailbox.
    pub(super) async fn open(&self) -> Result<Mailbox, ImapError> {
        let s = &self.settings;
        let address = format!("{}:{}", s.host, s.port);
        let tcp = within(async {
            TcpStream::connect((s.host.as_str(), s.port))
                .await
                .map_err(|source| ImapError::Connect {
                    address: address.clone(),
                    source,
                })
        })
        .await?;
        let client = match (&s.security, &self.tls) {
            (Security::Tls, Some(config)) => {
                let mut client = Client::new(Either::Right(self.handshake(config, tcp).await?));
                greeting(&mut client).await?;
                client
            }
            (Security::StartTls, Some(config)) => {
                let mut plain = Client::new(Either::Left(tcp));
                greeting(&mut plain).await?;
                within(async { Ok(plain.run_command_and_check_ok("STARTTLS", None).await?) })
                    .await?;
                let Either::Left(tcp) = plain.into_inner() else {
                    return Err(ImapError::NoGreeting);
                };
                Client::new(Either::Right(self.handshake(config, tcp).await?))
            }
            _ => {
                let mut client = Client::new(Either::Left(tcp));
                greeting(&mut client).await?;
                client
            }
        };
        let mut session = within(async {
            client
                .login(&s.user, &s.password)
                .await
                .map_err(|(source, _)| ImapError::Login {
                    user: s.user.clone(),
                    source,
                })
        })
        .await?;
        within(async { Ok(session.select(&s.mailbox).await?) }).await?;
        Ok(Mailbox { session })
    }

    async fn handshake(
        &self,
        config: &Arc<ClientConfig>,
        tcp: TcpStream,
    ) -> Result<tokio_rustls::client::TlsStream<TcpStream>, ImapError> {
        let host = &self.settings.host;
        let name =
            ServerName::try_from(host.clone()).map_err(|_| ImapError::HostName(host.clone()))?;
        within(async {
            TlsConnector::from(Arc::clone(config))
                .connect(name, tcp)
                .await
                .map_err(ImapError::Tls)
        })
        .await
    }
}

/// A session with the support mailbox selected.
#[derive(Debug)]
pub(super) struct Mailbox {
    session: Session<Stream>,
}

/// What `UID FETCH` gave for one mail.
#[derive(Debug)]
pub(super) struct Fetched {
    pub uid: u32,
    pub bytes: Vec<u8>,
}

impl Mailbox {
    /// The UIDs of mails not marked \Seen, oldest first.
    pub(super) async fn unseen(&mut self) -> Result<Vec<u32>, ImapError> {
        let found = within(async { Ok(self.session.uid_search("UNSEEN").await?) }).await?;
        let mut uids: Vec<u32> = found.into_iter().collect();
        uids.sort_unstable();
        Ok(uids)
    }

    /// Each mail's size in bytes, as the server counts it.
    pub(super) async fn sizes(&mut self, uids: &[u32]) -> Result<Vec<(u32, u64)>, ImapError> {
        let fetches = self.fetch(uids, "(UID RFC822.SIZE)").await?;
        Ok(fetches
            .iter()
            .filter_map(|f| Some((f.uid?, u64::from(f.size?))))
            .collect())
    }

    /// Whole mails, or only their headers; \Seen is left as it was.
    pub(super) async fn bytes(
        &mut self,
        uids: &[u32],
        headers_only: bool,
    ) -> Result<Vec<Fetched>, ImapError> {
        let query = if headers_only {
            "(UID BODY.PEEK[HEADER])"
        } else {
            "(UID BODY.PEEK[])"
        };
        let fetches = self.fetch(uids, query).await?;
        Ok(fetches
            .iter()
            .filter_map(|f| {
                let bytes = if headers_only { f.header() } else { f.body() };
                Some(Fetched {
                    uid: f.uid?,
                    bytes: bytes.unwrap_or_default().to_vec(),
                })
            })
            .collect())
    }

    pub(super) async fn mark_seen(&mut self, uids: &[u32]) -> Result<(), ImapError> {
        if uids.is_empty() {
            return Ok(());
        }
        let set = uid_set(uids);
        within(async {
            let updates = self
                .session
                .uid_store(&set, "+FLAGS.SILENT (\\Seen)")
                .await?;
            let _: Vec<_> = updates.try_collect().await?;
            Ok(())
        })
        .await
    }

    /// Waits up to `at_most` for news in the mailbox: with IDLE where the
    /// server offers it, else by sleeping. Ends the session.
    pub(super) async fn wait_for_news(mut self, at_most: Duration) -> Result<(), ImapError> {
        let idle = within(async { Ok(self.session.capabilities().await?) })
            .await?
            .has_str("IDLE");
        if !idle {
            self.logout().await;
            tokio::time::sleep(at_most).await;
            return Ok(());
        }
        let mut handle = self.session.idle();
        within(async { Ok(handle.init().await?) }).await?;
        let (news, _stop) = handle.wait_with_timeout(at_most);
        let outcome = news.await?;
        let mut session = within(async { Ok(handle.done().await?) }).await?;
        if outcome != IdleResponse::Timeout {
            tracing::debug!("email: the mailbox has news");
        }
        let _ = session.logout().await;
        Ok(())
    }

    pub(super) async fn logout(mut self) {
        // The server may already have gone; nothing is left to undo.
        let _ = tokio::time::timeout(Duration::from_secs(5), self.session.logout()).await;
    }

    async fn fetch(
        &mut self,
        uids: &[u32],
        query: &str,
    ) -> Result<Vec<async_imap::types::Fetch>, ImapError> {
        if uids.is_empty() {
            return Ok(Vec::new());
        }
        let set = uid_set(uids);
        within(async {
            Ok(self
                .session
                .uid_fetch(&set, query)
                .await?
                .try_collect()
                .await?)
        })
        .await
    }
}

async fn greeting(client: &mut Client<Stream>) -> Result<(), ImapError> {
    within(async {
        client
            .read_response()
            .await
            .map_err(|e| ImapError::Protocol(e.into()))?
            .map(|_| ())
            .ok_or(ImapError::NoGreeting)
    })
    .await
}

async fn within<T>(
    work: impl std::future::Future<Output = Result<T, ImapError>>,
) -> Result<T, ImapError> {
    tokio::time::timeout(COMMAND_TIMEOUT, work)
        .await
        .map_err(|_| ImapError::Timeout)?
}

fn uid_set(uids: &[u32]) -> String {
    uids.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// rustls with ring and the system's root certificates, as reqwest uses.
fn tls_config() -> Result<ClientConfig, rustls::Error> {
    let mut roots = RootCertStore::empty();
    let found = rustls_native_certs::load_native_certs();
    for error in &found.errors {
        tracing::warn!(%error, "email: a system root certificate could not be read");
    }
    let (added, ignored) = roots.add_parsable_certificates(found.certs);
    tracing::debug!(added, ignored, "email: root certificates for IMAP TLS");
    Ok(
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth(),
    )
}
