//! The window's language and theme, kept in the local cache. Each is the
//! agent's choice, or none to follow the desktop. The language also decides
//! how the desktop notifications read.

use serde::{Deserialize, Serialize};
use shiftdesk_store::{Store, StoreError};
use tauri::State;
use tokio::sync::watch;
use ts_rs::TS;

use crate::error::{parse, AppError};
use crate::session::Session;

/// Where the cache keeps [`UiPreferences`].
const KEY: &str = "ui_preferences";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Language {
    En,
    Ru,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    Light,
    Dark,
}

/// What the agent chose in the settings; `None` follows the desktop.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
// A value saved before a field existed still reads.
#[serde(default)]
pub struct UiPreferences {
    pub language: Option<Language>,
    pub theme: Option<Theme>,
}

impl Language {
    /// The language of a POSIX locale name such as `ru_RU.UTF-8`; English
    /// for every language Shiftdesk does not speak.
    pub fn of_locale(locale: &str) -> Self {
        if locale
            .get(..2)
            .is_some_and(|code| code.eq_ignore_ascii_case("ru"))
        {
            Self::Ru
        } else {
            Self::En
        }
    }

    /// The process's message language: the first of `LANGUAGE`, `LC_ALL`,
    /// `LC_MESSAGES` and `LANG` that is set. The webview (GLib) reads them in
    /// this order, so notifications speak the window's language.
    pub fn of_process() -> Self {
        Self::of_environment(|name| std::env::var(name).ok())
    }

    fn of_environment(var: impl Fn(&str) -> Option<String>) -> Self {
        // LANGUAGE is a list, "ru:en": its first entry leads.
        ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"]
            .into_iter()
            .find_map(|name| var(name).filter(|value| !value.is_empty()))
            .map_or(Self::En, |locale| Self::of_locale(&locale))
    }
}

impl UiPreferences {
    /// The language the agent reads: the chosen one, else the process's.
    pub fn language_or_process(&self) -> Language {
        self.language.unwrap_or_else(Language::of_process)
    }
}

/// The language the desk speaks outside the window (its notifications),
/// told to the notifier whenever the agent changes it.
#[derive(Debug)]
pub struct DeskLanguage(watch::Sender<Language>);

impl Default for DeskLanguage {
    fn default() -> Self {
        Self(watch::Sender::new(Language::of_process()))
    }
}

impl DeskLanguage {
    pub fn follow(&self, preferences: &UiPreferences) {
        self.0.send_replace(preferences.language_or_process());
    }

    pub fn subscribe(&self) -> watch::Receiver<Language> {
        self.0.subscribe()
    }
}

/// The saved preferences; a cache that never had any follows the desktop.
pub async fn saved(store: &Store) -> Result<UiPreferences, StoreError> {
    Ok(store.preference(KEY).await?.unwrap_or_default())
}

#[tauri::command]
pub async fn ui_preferences(session: State<'_, Session>) -> Result<UiPreferences, AppError> {
    let signed = session.signed_in()?;
    Ok(saved(signed.cache.store()?).await?)
}

#[tauri::command]
pub async fn set_ui_preferences(
    session: State<'_, Session>,
    language: State<'_, DeskLanguage>,
    preferences: serde_json::Value,
) -> Result<(), AppError> {
    let signed = session.signed_in()?;
    let preferences: UiPreferences = parse(preferences)?;
    signed
        .cache
        .store()?
        .set_preference(KEY, &preferences)
        .await?;
    language.follow(&preferences);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_russian_locale_reads_as_russian_and_every_other_as_english() {
        assert_eq!(Language::of_locale("ru_RU.UTF-8"), Language::Ru);
        assert_eq!(Language::of_locale("ru"), Language::Ru);
        assert_eq!(Language::of_locale("RU_ua"), Language::Ru);
        assert_eq!(Language::of_locale("en_GB.UTF-8"), Language::En);
        assert_eq!(Language::of_locale("C.UTF-8"), Language::En);
        assert_eq!(Language::of_locale("POSIX"), Language::En);
        assert_eq!(Language::of_locale(""), Language::En);
    }

    #[test]
    fn the_process_language_takes_language_then_lc_all_then_lc_messages_then_lang() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| (*value).to_owned())
            }
        };
        assert_eq!(
            Language::of_environment(env(&[("LANG", "ru_RU.UTF-8")])),
            Language::Ru
        );
        assert_eq!(
            Language::of_environment(env(&[("LANG", "ru_RU.UTF-8"), ("LC_MESSAGES", "en_US")])),
            Language::En
        );
        assert_eq!(
            Language::of_environment(env(&[("LC_MESSAGES", "en_US"), ("LC_ALL", "ru_RU")])),
            Language::Ru
        );
        assert_eq!(
            Language::of_environment(env(&[("LANGUAGE", "ru:en"), ("LC_ALL", "en_US.UTF-8")])),
            Language::Ru
        );
        assert_eq!(
            Language::of_environment(env(&[("LANGUAGE", "en_GB:ru"), ("LANG", "ru_RU")])),
            Language::En
        );
        // Set but empty means unset.
        assert_eq!(
            Language::of_environment(env(&[("LC_ALL", ""), ("LANG", "ru_RU")])),
            Language::Ru
        );
        assert_eq!(Language::of_environment(env(&[])), Language::En);
    }

    #[test]
    fn preferences_cross_ipc_as_snake_case_with_null_for_the_desktop_choice() {
        let preferences = UiPreferences {
            language: Some(Language::Ru),
            theme: None,
        };
        let json = serde_json::to_value(preferences).unwrap();
        assert_eq!(json, serde_json::json!({"language": "ru", "theme": null}));
        let read: UiPreferences =
            serde_json::from_value(serde_json::json!({"theme": "dark"})).unwrap();
        assert_eq!(
            read,
            UiPreferences {
                language: None,
                theme: Some(Theme::Dark)
            }
        );
    }
}
