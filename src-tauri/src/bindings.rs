//! The TypeScript types of everything that crosses IPC, generated from the
//! Rust types into ui/src/lib/bindings.ts. A test fails when that file is
//! stale; `UPDATE_BINDINGS=1 cargo test -p shiftdesk bindings` rewrites it.

use ts_rs::{Config, TS};

macro_rules! declarations {
    ($cfg:expr; $($ty:ty),+ $(,)?) => {
        vec![$(format!("export {}", <$ty as TS>::decl($cfg))),+]
    };
}

/// The whole bindings file.
pub fn typescript() -> String {
    use shiftdesk_domain::*;
    use shiftdesk_store::*;
    let cfg = &Config::new().with_large_int("number");
    let decls = declarations![cfg;
        TicketNumber, Timestamp, Channel, TicketStatus, Priority, Plan, ServiceStage, Role,
        Category, QueueView, QueueFilter, QueueCursor, QueueRequest, QueueRow, QueuePage, ViewCounts,
        SnippetPart, SearchHit,
        MovedAside, crate::cache::StartupReport, crate::server_link::ServerStatus,
        crate::error::AppError,
        Agent, AgentId, MessageId, ConversationMessage, SlaMetric, SlaState, shiftdesk_domain::sla::MetricReport, SlaReport,
        shiftdesk_engine::sla_watch::AlertSettings, shiftdesk_engine::sla_watch::SlaUpdate,
        shiftdesk_engine::sla_watch::BoardRow, shiftdesk_engine::sla_watch::BoardCounts,
        shiftdesk_engine::sla_watch::AgentCounts, shiftdesk_engine::sla_watch::ChannelCounts,
        shiftdesk_engine::sla_watch::BreachBoard, crate::desk::DeskAgent,
        MessageKind, DeliveryState, CallRecord, CallDirection, CallOutcome, Attachment, AttachmentId,
        ContentHash, Unsent, OutboxState, Customer, CustomerId, Service, IntakeItem,
        MissingIntake, TicketCard, ComposeMode, Draft, AttachedFile, shiftdesk_protocol::Mutation,
        shiftdesk_protocol::NewAttachment, shiftdesk_protocol::Problem, shiftdesk_protocol::ErrorCode,
        shiftdesk_domain::telegram::TelegramPart, shiftdesk_engine::compose::ComposePreview,
        shiftdesk_engine::compose::FilledCanned, shiftdesk_engine::outbox::OutboxItem,
        shiftdesk_engine::outbox::Review, shiftdesk_engine::outbox::Resolution, Ticket,
        StatusChange, shiftdesk_engine::sync::SyncStatus, shiftdesk_engine::sync::Connectivity,
        crate::preferences::Language, crate::preferences::Theme, crate::preferences::UiPreferences,
        shiftdesk_domain::inbound_html::SafeHtml, crate::attachments::OpenedAttachment,
        shiftdesk_engine::accounts::Account, crate::session::AccountState, crate::session::SignedOut,
        crate::session::SignedOutReason, crate::session::UnsentChoice, crate::account::SignInForm,
        crate::account::KeepToken, shiftdesk_protocol::Credentials, shiftdesk_protocol::ServerMeta,
        shiftdesk_protocol::Device,
    ];
    let mut out = String::from(
        "// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit:\n\
         // run `UPDATE_BINDINGS=1 cargo test -p shiftdesk bindings` after changing them.\n\n",
    );
    for decl in decls {
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    // Limits the window applies before it reads a file into memory.
    out.push_str(&format!(
        "/** The largest file a message carries, in bytes. */\n\
         export const MAX_ATTACHMENT_BYTES = {};\n\n\
         /** IPC headers of `attach_file`: the file's name (percent-encoded) and type. */\n\
         export const FILE_NAME_HEADER = \"{}\";\n\
         export const MEDIA_TYPE_HEADER = \"{}\";\n",
        shiftdesk_protocol::MAX_ATTACHMENT_BYTES,
        crate::compose::FILE_NAME_HEADER,
        crate::compose::MEDIA_TYPE_HEADER,
    ));
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn bindings_file_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/lib/bindings.ts");
        let generated = super::typescript();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/lib/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p shiftdesk bindings`"
        );
    }
}
