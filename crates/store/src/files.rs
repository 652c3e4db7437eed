//! Attachment bytes, kept once per content: a file is named by the SHA-256 of
//! its bytes under `<root>/<first two hex digits>/<hash>`.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use shiftdesk_domain::ContentHash;

use crate::StoreError;

#[derive(Debug, Clone)]
pub struct AttachmentFiles {
    root: PathBuf,
}

impl AttachmentFiles {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn hash(bytes: &[u8]) -> ContentHash {
        let hex = hex::encode(Sha256::digest(bytes));
        // A SHA-256 in lowercase hex is always a valid content hash.
        ContentHash::try_from(hex)
            .unwrap_or_else(|_| unreachable!("sha256 hex is 64 lowercase digits"))
    }

    /// Where the file of `hash` lives (whether or not it is there yet).
    pub fn path_of(&self, hash: &ContentHash) -> PathBuf {
        let hex = hash.as_str();
        self.root.join(&hex[..2]).join(hex)
    }

    /// Stores `bytes` and returns their hash. Written to a temporary file,
    /// synced and renamed, so a crash never leaves a partial file under a
    /// valid name. Storing the same bytes twice keeps one file.
    pub fn put(&self, bytes: &[u8]) -> Result<ContentHash, StoreError> {
        let hash = Self::hash(bytes);
        let path = self.path_of(&hash);
        if path.exists() {
            return Ok(hash);
        }
        let dir = path.parent().unwrap_or(&self.root);
        let io = |source, path: &Path| StoreError::File {
            path: path.to_owned(),
            source,
        };
        crate::private_dir(dir).map_err(|e| io(e, dir))?;
        let tmp = dir.join(format!(".{}.partial-{}", hash.as_str(), std::process::id()));
        let mut file = crate::private::create_private(&tmp).map_err(|e| io(e, &tmp))?;
        file.write_all(bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| io(e, &tmp))?;
        std::fs::rename(&tmp, &path).map_err(|e| io(e, &path))?;
        Ok(hash)
    }

    /// Removes the file of `hash`, e.g. after it failed its check; gone
    /// already is fine.
    pub fn remove(&self, hash: &ContentHash) -> Result<(), StoreError> {
        let path = self.path_of(hash);
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(StoreError::File { path, source: e })
            }
            _ => Ok(()),
        }
    }

    /// Reads the file of `hash` and checks its bytes still match it.
    pub fn read(&self, hash: &ContentHash) -> Result<Vec<u8>, StoreError> {
        let path = self.path_of(hash);
        let bytes = std::fs::read(&path).map_err(|source| StoreError::File { path, source })?;
        if &Self::hash(&bytes) != hash {
            return Err(StoreError::FileMismatch {
                hash: hash.to_string(),
            });
        }
        Ok(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_bytes_are_kept_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let files = AttachmentFiles::new(dir.path());
        let a = files.put("журнал: disk full\n".as_bytes()).unwrap();
        let b = files.put("журнал: disk full\n".as_bytes()).unwrap();
        assert_eq!(a, b);
        assert_eq!(files.read(&a).unwrap(), "журнал: disk full\n".as_bytes());
        let stored: Vec<_> = walk(dir.path());
        assert_eq!(stored.len(), 1, "{stored:?}");
    }

    #[test]
    fn a_tampered_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let files = AttachmentFiles::new(dir.path());
        let hash = files.put(b"original").unwrap();
        std::fs::write(files.path_of(&hash), b"tampered").unwrap();
        let err = files.read(&hash).unwrap_err();
        assert_eq!(err.code(), "attachment.hash_mismatch");
        files.remove(&hash).unwrap();
        files.remove(&hash).unwrap();
        assert_eq!(files.put(b"original").unwrap(), hash);
        assert_eq!(files.read(&hash).unwrap(), b"original");
    }

    fn walk(dir: &Path) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
        out
    }
}
