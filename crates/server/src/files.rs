//! Attachment bytes on disk, kept once per content under
//! `<root>/<first two hex digits>/<sha256>`. Uploads stream into a temporary
//! file while they are hashed and counted; only complete files whose hash
//! matches are renamed into place, so a name always holds its bytes.

use std::path::{Path, PathBuf};

use axum::body::Bytes;
use futures_util::{Stream, StreamExt};
use sha2::{Digest, Sha256};
use shiftdesk_domain::ContentHash;
use tokio::io::AsyncWriteExt;

/// Why an upload was not kept.
#[derive(Debug, thiserror::Error)]
pub enum UploadError {
    #[error("the file is over {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("the bytes hash to {actual}")]
    HashMismatch { actual: ContentHash },
    #[error("the upload was cut off: {0}")]
    Body(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

impl FileStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The folder beside a database file: `server.sqlite` → `server.files`.
    pub fn beside(db: &Path) -> Self {
        Self::new(db.with_extension("files"))
    }

    /// Where the file of `hash` lives (whether or not it is there).
    pub fn path_of(&self, hash: &ContentHash) -> PathBuf {
        let hex = hash.as_str();
        self.root.join(&hex[..2]).join(hex)
    }

    /// Streams `body` to disk, at most `limit` bytes. With `expected`, the
    /// bytes must hash to it. Returns the hash and size of what was kept.
    pub async fn put<E: std::fmt::Display>(
        &self,
        body: impl Stream<Item = Result<Bytes, E>> + Unpin,
        limit: u64,
        expected: Option<&ContentHash>,
    ) -> Result<(ContentHash, u64), UploadError> {
        let partial_dir = self.root.join("partial");
        tokio::fs::create_dir_all(&partial_dir).await?;
        let partial = partial_dir.join(uuid::Uuid::new_v4().to_string());
        let written = write_hashed(body, &partial, limit).await;
        let (hash, size) = match written {
            Ok(done) => done,
            Err(e) => {
                let _ = tokio::fs::remove_file(&partial).await;
                return Err(e);
            }
        };
        if expected.is_some_and(|e| *e != hash) {
            let _ = tokio::fs::remove_file(&partial).await;
            return Err(UploadError::HashMismatch { actual: hash });
        }
        let path = self.path_of(&hash);
        if tokio::fs::try_exists(&path).await? {
            tokio::fs::remove_file(&partial).await?;
        } else {
            let dir = path.parent().unwrap_or(&self.root);
            tokio::fs::create_dir_all(dir).await?;
            tokio::fs::rename(&partial, &path).await?;
            // The rename is durable once the folder is.
            tokio::fs::File::open(dir).await?.sync_all().await?;
        }
        Ok((hash, size))
    }

    /// Stores bytes already in memory (seeding, intake from other channels).
    pub async fn put_bytes(&self, bytes: Vec<u8>) -> std::io::Result<ContentHash> {
        let limit = bytes.len() as u64;
        let body =
            futures_util::stream::iter([Ok::<_, std::convert::Infallible>(Bytes::from(bytes))]);
        match self.put(body, limit, None).await {
            Ok((hash, _)) => Ok(hash),
            Err(UploadError::Io(e)) => Err(e),
            // Bytes in memory are never cut off, over their own length or
            // checked against another hash.
            Err(other) => Err(std::io::Error::other(other)),
        }
    }
}

async fn write_hashed<E: std::fmt::Display>(
    mut body: impl Stream<Item = Result<Bytes, E>> + Unpin,
    to: &Path,
    limit: u64,
) -> Result<(ContentHash, u64), UploadError> {
    let mut file = tokio::fs::File::create(to).await?;
    let mut hasher = Sha256::new();
    let mut size: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(|e| UploadError::Body(e.to_string()))?;
        size += chunk.len() as u64;
        if size > limit {
            return Err(UploadError::TooLarge { limit });
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await?;
    }
    file.sync_all().await?;
    let hex = hex::encode(hasher.finalize());
    let hash = ContentHash::try_from(hex)
        .unwrap_or_else(|_| unreachable!("sha256 hex is 64 lowercase digits"));
    Ok((hash, size))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn sha(bytes: &[u8]) -> ContentHash {
        ContentHash::try_from(hex::encode(Sha256::digest(bytes))).unwrap()
    }

    #[tokio::test]
    async fn a_file_is_kept_once_under_its_hash() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path());
        let bytes = "журнал: disk full\n".as_bytes().to_vec();
        let expected = sha(&bytes);
        let (a, size) = files
            .put(
                axum::body::Body::from(bytes.clone()).into_data_stream(),
                1024,
                Some(&expected),
            )
            .await
            .unwrap();
        let b = files.put_bytes(bytes.clone()).await.unwrap();
        assert_eq!((a.clone(), size), (expected, bytes.len() as u64));
        assert_eq!(a, b);
        assert_eq!(std::fs::read(files.path_of(&a)).unwrap(), bytes);
        let partials = std::fs::read_dir(dir.path().join("partial")).unwrap();
        assert_eq!(partials.count(), 0, "no partial file is left behind");
    }

    #[tokio::test]
    async fn oversized_and_mismatched_uploads_leave_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileStore::new(dir.path());
        let big = vec![7u8; 2048];
        let err = files
            .put(
                axum::body::Body::from(big.clone()).into_data_stream(),
                1024,
                None,
            )
            .await;
        assert!(matches!(err, Err(UploadError::TooLarge { limit: 1024 })));
        let wrong = sha(b"something else");
        let err = files
            .put(
                axum::body::Body::from(vec![1u8; 10]).into_data_stream(),
                1024,
                Some(&wrong),
            )
            .await;
        assert!(matches!(err, Err(UploadError::HashMismatch { .. })));
        assert!(!files.path_of(&sha(&big)).exists());
        assert!(!files.path_of(&sha(&[1u8; 10])).exists());
        let partials = std::fs::read_dir(dir.path().join("partial")).unwrap();
        assert_eq!(partials.count(), 0);
    }
}
