//! The Shiftdesk desktop shell: signs the agent in, opens their account's
//! cache, links to the ticketing server, hands both to thin commands, and
//! shows the web UI in one window.

mod account;
mod attachments;
pub mod bindings;
mod cache;
mod commands;
mod compose;
mod desk;
mod error;
mod links;
pub mod notifications;
mod outbox_tray;
pub mod preferences;
mod server_link;
mod session;
mod sla;

use std::path::PathBuf;

use tauri::Manager;

/// Overrides where the accounts and their caches live (tests, several
/// desks side by side).
pub const DATA_DIR_ENV: &str = "SHIFTDESK_DATA_DIR";
/// Where files are written for the system's apps to open, inside the
/// cache folder (or the data folder when that is given).
pub const OPENED_DIR: &str = "opened";

/// WebKitGTK's switch for accelerated compositing; `0` turns it back on.
const COMPOSITING_ENV: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";

pub fn run() {
    // First, while this is the only thread: no app the window opens may
    // inherit a token.
    let handover = session::Handover::take();
    // A queue and a thread of text gain nothing from GPU compositing, and it
    // costs each web process an OpenGL stack (without a GPU, Mesa's LLVM
    // rasterizer): measured under Xvfb, opening a long ticket took three
    // times as long and the app's memory half as much again. It is also the
    // usual cause of blank WebKitGTK windows on some drivers. Set before
    // GTK starts and before any thread does; the agent's own setting wins.
    if std::env::var_os(COMPOSITING_ENV).is_none() {
        std::env::set_var(COMPOSITING_ENV, "1");
    }
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();

    let context = tauri::generate_context!();
    let dev_url = context.config().build.dev_url.clone();
    let result = tauri::Builder::default()
        .plugin(links::navigation_guard(dev_url))
        .setup(move |app| {
            let (data_dir, scratch_dir) = match std::env::var_os(DATA_DIR_ENV) {
                Some(dir) => (PathBuf::from(&dir), PathBuf::from(dir)),
                None => (app.path().app_data_dir()?, app.path().app_cache_dir()?),
            };
            shiftdesk_store::private_dir(&data_dir)?;
            let export_dir = match std::env::var_os(session::EXPORT_DIR_ENV) {
                Some(dir) => PathBuf::from(dir),
                None => app
                    .path()
                    .document_dir()
                    .or_else(|_| app.path().home_dir())?,
            };
            app.manage(session::Session::new(
                data_dir,
                scratch_dir.join(OPENED_DIR),
                export_dir,
            ));
            app.manage(preferences::DeskLanguage::default());
            tauri::async_runtime::spawn(session::resume(app.handle().clone(), handover));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            account::account_state,
            account::check_server,
            account::sign_in,
            account::sign_out,
            account::devices,
            account::revoke_device,
            commands::startup_report,
            commands::queue_counts,
            commands::queue_page,
            commands::server_status,
            commands::ticket_conversation,
            commands::mark_ticket_read,
            commands::search_tickets,
            sla::desk_agent,
            sla::breach_board,
            sla::ticket_sla,
            sla::alert_settings,
            sla::set_alert_settings,
            sla::ticket_on_screen,
            sla::team_agents,
            sla::reassign,
            compose::ticket_card,
            compose::compose_preview,
            compose::canned_responses,
            compose::ticket_draft,
            compose::save_draft,
            compose::attach_file,
            compose::clear_draft,
            compose::queue_change,
            outbox_tray::outbox_items,
            outbox_tray::resolve_outbox_entry,
            outbox_tray::sync_status,
            preferences::ui_preferences,
            preferences::set_ui_preferences,
            attachments::message_html,
            attachments::open_attachment,
            links::open_link,
        ])
        .run(context);
    if let Err(e) = result {
        tracing::error!(error = %e, "Shiftdesk stopped with an error");
        std::process::exit(1);
    }
}
