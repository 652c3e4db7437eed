//! The server's SQLite file: one writer connection, a read pool, embedded
//! migrations.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};

use crate::files::FileStore;
use crate::ServerError;

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

#[derive(Debug, Clone)]
pub struct Db {
    pub writer: SqlitePool,
    pub readers: SqlitePool,
    /// Attachment bytes live beside the database file.
    pub files: FileStore,
}

impl Db {
    pub async fn open(path: &Path) -> Result<Db, ServerError> {
        let base = SqliteConnectOptions::from_str("sqlite://")?
            .filename(path)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            // Statements carry customer messages; never put them in logs.
            .disable_statement_logging();
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                base.clone()
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full),
            )
            .await?;
        MIGRATOR.run(&writer).await?;
        let readers = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(base.read_only(true))
            .await?;
        Ok(Db {
            writer,
            readers,
            files: FileStore::beside(path),
        })
    }

    pub async fn close(self) {
        self.readers.close().await;
        self.writer.close().await;
    }
}

/// Reads a stored entity back; `what` names it when the JSON is damaged.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(
    json: &str,
    what: &'static str,
) -> Result<T, ServerError> {
    serde_json::from_str(json).map_err(|source| ServerError::Corrupt { what, source })
}

/// Entities are stored as the JSON of their wire type.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    // Plain data types always serialize.
    serde_json::to_string(value).unwrap_or_default()
}

/// Appends one row to the change log. `ticket` puts the change in that
/// ticket's scope; `audience_agent` addresses an eviction.
pub(crate) async fn log_change(
    conn: &mut sqlx::SqliteConnection,
    kind: &str,
    key: i64,
    ticket: Option<i64>,
    audience_agent: Option<i64>,
) -> Result<(), ServerError> {
    sqlx::query(
        "INSERT INTO changes (kind, key, ticket_number, audience_agent) VALUES (?, ?, ?, ?)",
    )
    .bind(kind)
    .bind(key)
    .bind(ticket)
    .bind(audience_agent)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::borrow::Cow;

    use super::*;

    /// A desk from before sign-in keeps its agents' tokens working, each
    /// as a device, and a revoked agent stays out.
    #[tokio::test]
    async fn tokens_from_before_devices_become_devices() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        let old = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(
                SqliteConnectOptions::new()
                    .filename(&path)
                    .create_if_missing(true),
            )
            .await
            .unwrap();
        let before_devices = MIGRATOR
            .migrations
            .iter()
            .filter(|m| m.version < 10)
            .cloned()
            .collect::<Vec<_>>();
        let earlier = Migrator {
            migrations: Cow::Owned(before_devices),
            ..Migrator::DEFAULT
        };
        earlier.run(&old).await.unwrap();
        let token = "sdk_old";
        for (id, revoked) in [(1, None), (2, Some(5))] {
            sqlx::query(
                "INSERT INTO agents (id, team, role, body, token_hash, revoked_at, token_expires_at) \
                 VALUES (?, 'L2', 'agent', ?, ?, ?, NULL)",
            )
            .bind(id)
            .bind(format!(r#"{{"id":{id},"name":"A{id}","team":"L2","role":"agent"}}"#))
            .bind(crate::auth::token_hash(&format!("{token}{id}")))
            .bind(revoked)
            .execute(&old)
            .await
            .unwrap();
        }
        old.close().await;

        let db = Db::open(&path).await.unwrap();
        let devices: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT agent_id, token_hash, sliding FROM devices ORDER BY agent_id")
                .fetch_all(&db.readers)
                .await
                .unwrap();
        assert_eq!(
            devices,
            [(1, crate::auth::token_hash("sdk_old1"), 0)],
            "the revoked agent's token did not come along"
        );
        let disabled: Option<i64> =
            sqlx::query_scalar("SELECT disabled_at FROM agents WHERE id = 2")
                .fetch_one(&db.readers)
                .await
                .unwrap();
        assert_eq!(disabled, Some(5));
        let left: i64 =
            sqlx::query_scalar("SELECT count(*) FROM agents WHERE token_hash IS NOT NULL")
                .fetch_one(&db.readers)
                .await
                .unwrap();
        assert_eq!(left, 0);
    }
}
