//! Opening the cache file: connection settings, migrations, and what to do
//! with a file that is not a usable cache. A damaged file is moved aside,
//! never deleted; a cache from a newer app is refused and left untouched.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, SqlitePool};
use ts_rs::TS;

use crate::private::{keep_private, private_dir, private_file};
use crate::{AttachmentFiles, Store, StoreError, ATTACHMENTS_DIR};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The newest schema this build knows.
pub const SCHEMA_VERSION: i64 = 11;

const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";
const READERS: u32 = 4;
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// A damaged cache file that was renamed so a fresh cache could start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MovedAside {
    #[ts(type = "string")]
    pub moved_to: PathBuf,
    pub reason: String,
}

/// An open cache, and the damaged file it replaced, if any: the user must be
/// told about that.
#[derive(Debug)]
pub struct Opened {
    pub store: Store,
    pub moved_aside: Option<MovedAside>,
}

/// Why a file cannot serve as the cache, decided before or while opening.
enum Unusable {
    Damaged(String),
    Refused(StoreError),
}

impl Store {
    /// Opens (or creates) the cache at `path` and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Opened, StoreError> {
        match try_open(path).await {
            Ok(store) => Ok(Opened {
                store,
                moved_aside: None,
            }),
            Err(Unusable::Refused(err)) => Err(err),
            Err(Unusable::Damaged(reason)) => {
                let moved_to = move_aside(path)?;
                tracing::warn!(path = %path.display(), moved_to = %moved_to.display(), %reason, "damaged cache moved aside");
                let store = try_open(path).await.map_err(|e| match e {
                    Unusable::Refused(err) => err,
                    Unusable::Damaged(reason) => StoreError::Unavailable {
                        path: path.to_owned(),
                        reason,
                    },
                })?;
                Ok(Opened {
                    store,
                    moved_aside: Some(MovedAside { moved_to, reason }),
                })
            }
        }
    }
}

async fn try_open(path: &Path) -> Result<Store, Unusable> {
    make_private(path).map_err(|e| {
        Unusable::Refused(StoreError::Unavailable {
            path: path.to_owned(),
            reason: format!("cannot make it private to its owner: {e}"),
        })
    })?;
    check_header(path)?;
    let unavailable = |e: sqlx::Error| classify(path, e);
    let base = SqliteConnectOptions::from_str("sqlite://")
        .map_err(unavailable)?
        .filename(path)
        .foreign_keys(true)
        .busy_timeout(BUSY_TIMEOUT)
        // Statements carry customer text; never put them in logs.
        .disable_statement_logging();

    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            base.clone()
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // Durable commits: the outbox promises "queued" only once on disk.
                .synchronous(SqliteSynchronous::Full)
                // Large syncs touch many index pages; 64 MiB keeps them in memory.
                .pragma("cache_size", "-65536"),
        )
        .await
        .map_err(unavailable)?;

    if let Err(e) = migrate(path, &writer).await {
        writer.close().await;
        return Err(e);
    }

    let readers = SqlitePoolOptions::new()
        .max_connections(READERS)
        .connect_with(base.read_only(true))
        .await
        .map_err(unavailable)?;
    let (changes, _) = tokio::sync::broadcast::channel(crate::changes::CAPACITY);
    Ok(Store {
        writer,
        readers,
        changes,
        files: AttachmentFiles::new(
            path.parent()
                .unwrap_or_else(|| Path::new("."))
                .join(ATTACHMENTS_DIR),
        ),
    })
}

/// The cache's folder 0700, the cache and its WAL files 0600, before
/// SQLite opens them.
fn make_private(path: &Path) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private_dir(dir)?;
        private_dir(&dir.join(ATTACHMENTS_DIR))?;
    }
    private_file(path)?;
    for suffix in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        keep_private(Path::new(&name))?;
    }
    Ok(())
}

/// A file that does not start like a SQLite database is damaged, whatever
/// SQLite would make of it. An empty file is a cache not yet written.
fn check_header(path: &Path) -> Result<(), Unusable> {
    use std::io::Read;
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(Unusable::Refused(StoreError::Unavailable {
                path: path.to_owned(),
                reason: e.to_string(),
            }))
        }
    };
    let mut header = [0u8; 16];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(Unusable::Refused(StoreError::Unavailable {
                    path: path.to_owned(),
                    reason: e.to_string(),
                }))
            }
        }
    }
    match read {
        0 => Ok(()),
        16 if &header == SQLITE_HEADER => Ok(()),
        _ => Err(Unusable::Damaged(
            "the file is not a SQLite database".into(),
        )),
    }
}

async fn migrate(path: &Path, writer: &SqlitePool) -> Result<(), Unusable> {
    // Reading the schema first catches a damaged schema page now, not at
    // the first query.
    let has_migrations: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(writer)
    .await
    .map_err(|e| classify(path, e))?;
    // Ask before migrating: sqlx would also refuse, but with a message about
    // a missing migration instead of "this cache is from a newer app".
    let found: Option<i64> = if has_migrations {
        sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
            .fetch_one(writer)
            .await
            .map_err(|e| classify(path, e))?
    } else {
        None
    };
    if let Some(found) = found.filter(|v| *v > SCHEMA_VERSION) {
        return Err(Unusable::Refused(StoreError::SchemaTooNew {
            path: path.to_owned(),
            found,
            supported: SCHEMA_VERSION,
        }));
    }
    MIGRATOR.run(writer).await.map_err(|e| match e {
        MigrateError::Execute(e) => classify(path, e),
        other => Unusable::Damaged(format!("its schema cannot be brought up to date: {other}")),
    })?;
    Ok(())
}

/// SQLite's "not a database" and "malformed" mean damaged; anything else
/// (permissions, a full disk) is not the file's fault and is reported as is.
fn classify(path: &Path, e: sqlx::Error) -> Unusable {
    const SQLITE_CORRUPT: i64 = 11;
    const SQLITE_NOTADB: i64 = 26;
    if let sqlx::Error::Database(db) = &e {
        let primary = db
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .map(|c| c & 0xff);
        if matches!(primary, Some(SQLITE_CORRUPT | SQLITE_NOTADB)) {
            return Unusable::Damaged(db.message().to_owned());
        }
    }
    Unusable::Refused(StoreError::Unavailable {
        path: path.to_owned(),
        reason: e.to_string(),
    })
}

/// Renames the cache and its WAL files to `<name>.damaged-<unix ms>`.
fn move_aside(path: &Path) -> Result<PathBuf, StoreError> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    let suffixed = |p: &Path| {
        let mut name = p.as_os_str().to_owned();
        name.push(format!(".damaged-{stamp}"));
        PathBuf::from(name)
    };
    let moved_to = suffixed(path);
    std::fs::rename(path, &moved_to).map_err(|source| StoreError::MoveAside {
        path: path.to_owned(),
        source,
    })?;
    for companion in ["-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(companion);
        let companion = PathBuf::from(name);
        if companion.exists() {
            std::fs::rename(&companion, suffixed(&companion)).map_err(|source| {
                StoreError::MoveAside {
                    path: companion.clone(),
                    source,
                }
            })?;
        }
    }
    Ok(moved_to)
}

#[cfg(test)]
mod tests {
    #[test]
    fn schema_version_matches_the_newest_migration() {
        let newest = super::MIGRATOR.iter().map(|m| m.version).max();
        assert_eq!(newest, Some(super::SCHEMA_VERSION));
    }
}
