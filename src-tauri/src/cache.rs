//! The shell's handle on the local cache: opened once at start. If it could
//! not be opened every command answers with why, so the window can say so
//! instead of showing an empty queue.

use std::path::PathBuf;

use serde::Serialize;
use shiftdesk_store::{MovedAside, Opened, Store};
use ts_rs::TS;

use crate::error::AppError;

/// What the window shows before the queue: which cache it reads, whose it
/// is, and whether a damaged cache had to be moved aside on the way.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupReport {
    pub cache_path: String,
    pub agent_name: Option<String>,
    pub notice: Option<MovedAside>,
}

#[derive(Debug)]
pub struct Cache {
    path: PathBuf,
    opened: Result<(Store, Option<MovedAside>), AppError>,
}

impl Cache {
    pub async fn open(path: PathBuf) -> Self {
        let opened = Store::open(&path)
            .await
            .map(|Opened { store, moved_aside }| (store, moved_aside))
            .map_err(AppError::from);
        if let Err(e) = &opened {
            tracing::error!(code = %e.code, path = %path.display(), "cache unavailable");
        }
        Self { path, opened }
    }

    pub fn store(&self) -> Result<&Store, AppError> {
        self.opened
            .as_ref()
            .map(|(store, _)| store)
            .map_err(Clone::clone)
    }

    pub async fn startup_report(&self) -> Result<StartupReport, AppError> {
        let (store, notice) = self.opened.as_ref().map_err(Clone::clone)?;
        let agent_name = match store.me().await? {
            Some(me) => store.agent(me).await?.map(|a| a.name),
            None => None,
        };
        Ok(StartupReport {
            cache_path: self.path.display().to_string(),
            agent_name,
            notice: notice.clone(),
        })
    }
}
