//! The ticketing API's wire types, shared by the console and the reference
//! server: pulled changes, pushed mutations and their outcomes, and errors
//! as RFC 9457 problem documents with stable codes.

pub mod changes;
pub mod mutation;
pub mod portal;
pub mod problem;
pub mod session;

pub use changes::{Change, ChangeBody, ChangePage, ChangesEvent, Seq, UrgentTickets};
pub use mutation::{
    check_body, CheckedWhen, Mutation, MutationOutcome, MutationRequest, MutationResult,
    NewAttachment, PushRequest, PushResponse, MAX_MESSAGE_BYTES,
};
pub use portal::{
    PortalAttachment, PortalAuthor, PortalMessage, PortalThread, PortalTicketOpened, StoredFile,
};
pub use problem::{ErrorCode, Problem};
pub use session::{Credentials, Device, ServerMeta, SignInRequest, SignedIn};

/// The largest page of changes a client may ask for.
pub const MAX_PULL_LIMIT: u32 = 1000;
/// The most mutations one push may carry.
pub const MAX_PUSH_BATCH: usize = 200;
/// The largest attachment, in bytes: Telegram's file limit, so every
/// channel can carry every file.
pub const MAX_ATTACHMENT_BYTES: u64 = 50 * 1024 * 1024;
/// The most files one message may carry.
pub const MAX_ATTACHMENTS_PER_MESSAGE: usize = 10;

#[cfg(test)]
mod tests {
    use utoipa::OpenApi;

    #[derive(OpenApi)]
    #[openapi(components(schemas(
        crate::ChangePage,
        crate::PushRequest,
        crate::PushResponse,
        crate::Problem
    )))]
    struct Schemas;

    /// Every schema a wire type refers to is defined: the server's OpenAPI
    /// document can be built from these types alone.
    #[test]
    fn every_schema_reference_resolves() {
        let doc = serde_json::to_value(Schemas::openapi()).unwrap();
        let defined = doc["components"]["schemas"].as_object().unwrap();
        for name in [
            "ChangePage",
            "Change",
            "ChangeBody",
            "Ticket",
            "Message",
            "MessageKind",
            "PushRequest",
            "Mutation",
            "MutationOutcome",
            "Problem",
            "ErrorCode",
        ] {
            assert!(defined.contains_key(name), "{name} is not defined");
        }
        let text = doc.to_string();
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = &reference[..reference.find('"').unwrap()];
            assert!(
                defined.contains_key(name),
                "{name} is referenced but not defined"
            );
        }
    }
}
