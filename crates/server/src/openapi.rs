//! The API's OpenAPI 3.1 document, generated from the handlers and wire
//! types, served at `/openapi.json` and committed as docs/openapi.json
//! (a test fails when that copy is stale).

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Shiftdesk ticketing API",
        description = "What the Shiftdesk console syncs with: sequenced changes in the caller's scope, \
                       idempotent pushes, and RFC 9457 problems with stable codes."
    ),
    paths(
        crate::auth::sign_in::meta,
        crate::auth::sign_in::sign_in,
        crate::auth::sign_in::devices,
        crate::auth::sign_in::sign_out,
        crate::auth::me,
        crate::pull::changes,
        crate::pull::urgent,
        crate::push::push,
        crate::events::stream,
        crate::attachments::upload,
        crate::attachments::download,
        crate::portal::open_ticket,
        crate::portal::reply,
        crate::portal::thread,
        crate::portal::attachment,
        crate::channels::phone::event,
    ),
    components(schemas(shiftdesk_protocol::Problem, shiftdesk_protocol::ErrorCode)),
    modifiers(&BearerToken, &ClosedMutations)
)]
struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "portal_key",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The access key given when the ticket was opened"))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "phone_webhook",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The webhook secret the desk shares with its telephony provider",
                    ))
                    .build(),
            ),
        );
    }
}

/// Every kind of mutation refuses unknown fields (serde's
/// `deny_unknown_fields`), which the derived schema of a tagged enum does
/// not say.
struct ClosedMutations;

impl Modify for ClosedMutations {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AdditionalProperties, Schema};
        use utoipa::openapi::RefOr;
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(RefOr::T(Schema::OneOf(mutation))) = components.schemas.get_mut("Mutation") else {
            return;
        };
        for item in &mut mutation.items {
            if let RefOr::T(Schema::Object(object)) = item {
                object.additional_properties =
                    Some(Box::new(AdditionalProperties::FreeForm(false)));
            }
        }
    }
}

/// The document as pretty JSON, as committed.
pub fn document() -> String {
    let mut text = ApiDoc::openapi().to_pretty_json().unwrap_or_default();
    text.push('\n');
    text
}

pub async fn serve() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}

#[cfg(test)]
mod tests {
    #[test]
    fn committed_document_is_fresh() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/openapi.json");
        let generated = super::document();
        if std::env::var_os("UPDATE_OPENAPI").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/openapi.json is stale: run `UPDATE_OPENAPI=1 cargo test -p shiftdesk-server openapi`"
        );
        assert!(generated.contains("\"openapi\": \"3.1.0\""));
    }
}
