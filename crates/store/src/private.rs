//! Folders and files only their owner can open: the cache, its WAL and its
//! file store hold customers' words and files, and a shared computer has
//! other users.

use std::path::Path;

/// Creates `dir` (and missing parents) as 0700, and makes an existing one
/// 0700.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

/// Creates `path` empty as 0600 if it is missing, and makes it 0600 if not.
/// SQLite gives the WAL and shared-memory files the database's mode.
pub(crate) fn private_file(path: &Path) -> std::io::Result<()> {
    owner_only().truncate(false).open(path)?;
    keep_private(path)
}

/// Creates (or truncates) `path` for writing, 0600 if it is new.
pub(crate) fn create_private(path: &Path) -> std::io::Result<std::fs::File> {
    owner_only().truncate(true).open(path)
}

/// Opening for writing, creating the file 0600 if it is missing.
fn owner_only() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// Makes `path` 0600 if it exists.
pub(crate) fn keep_private(path: &Path) -> std::io::Result<()> {
    if !path.exists() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
    }
    #[cfg(not(unix))]
    Ok(())
}
