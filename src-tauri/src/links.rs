//! Links to the outside world open in the system's browser, never in the
//! window: the `open_link` command for the agent's clicks, and a guard that
//! refuses any navigation of the window away from the app's own pages.

use tauri::plugin::TauriPlugin;
use tauri::{Runtime, Url};

use crate::error::{parse, AppError};

/// What a link may open: web pages and a new mail.
const OPENABLE_SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// Opens `url` in the system's browser (or mail app).
#[tauri::command]
pub async fn open_link(url: serde_json::Value) -> Result<(), AppError> {
    let url: String = parse(url)?;
    let parsed = Url::parse(url.trim()).map_err(|e| AppError {
        code: "link.not_allowed".into(),
        message: format!("{url:?} is not a link: {e}"),
    })?;
    if !OPENABLE_SCHEMES.contains(&parsed.scheme()) {
        return Err(AppError {
            code: "link.not_allowed".into(),
            message: format!("only web and mail links open; not {}:", parsed.scheme()),
        });
    }
    tauri_plugin_opener::open_url(parsed.as_str(), None::<&str>).map_err(|e| AppError {
        code: "link.open_failed".into(),
        message: format!("the system could not open {parsed}: {e}"),
    })
}

/// Keeps the window on the app's pages: a navigation anywhere else (a link
/// that slipped past the window's click handler, a redirect) is refused.
pub fn navigation_guard<R: Runtime>(dev_url: Option<Url>) -> TauriPlugin<R> {
    tauri::plugin::Builder::new("navigation-guard")
        .on_navigation(move |_, url| {
            let dev = dev_url.as_ref().filter(|_| tauri::is_dev());
            let allowed = is_app_page(url, dev);
            if !allowed {
                tracing::warn!(%url, "the window may not navigate there");
            }
            allowed
        })
        .build()
}

/// The app's own pages (its custom protocol, or the dev server while
/// developing) and the frames it writes itself (`about:srcdoc`).
fn is_app_page(url: &Url, dev_url: Option<&Url>) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" if url.host_str() == Some("tauri.localhost") => true,
        "about" => matches!(url.path(), "blank" | "srcdoc"),
        _ => dev_url.is_some_and(|dev| dev.origin() == url.origin()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn the_window_stays_on_the_apps_pages() {
        let dev = url("http://localhost:1420");
        for (page, in_dev, in_release) in [
            ("tauri://localhost/index.html", true, true),
            ("http://tauri.localhost/", true, true),
            ("about:srcdoc", true, true),
            ("about:blank", true, true),
            ("http://localhost:1420/src/main.ts", true, false),
            ("http://localhost:1421/", false, false),
            ("https://status.example.com/", false, false),
            ("https://tauri.localhost.evil.example/", false, false),
            ("tauri://evil/", false, false),
            ("file:///etc/passwd", false, false),
            ("javascript:alert(1)", false, false),
            ("data:text/html,<script>alert(1)</script>", false, false),
        ] {
            assert_eq!(is_app_page(&url(page), Some(&dev)), in_dev, "{page} in dev");
            assert_eq!(is_app_page(&url(page), None), in_release, "{page}");
        }
    }

    #[tokio::test]
    async fn only_web_and_mail_links_are_opened() {
        for (link, code) in [
            ("javascript:alert(1)", "link.not_allowed"),
            ("file:///etc/passwd", "link.not_allowed"),
            ("smb://fileserver/share", "link.not_allowed"),
            ("not a link", "link.not_allowed"),
        ] {
            let err = open_link(serde_json::json!(link)).await.unwrap_err();
            assert_eq!(err.code, code, "{link}");
        }
        let err = open_link(serde_json::json!(42)).await.unwrap_err();
        assert_eq!(err.code, "ipc.bad_request");
    }
}
