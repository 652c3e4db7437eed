//! Errors on the wire: RFC 9457 problem documents (`application/problem+json`)
//! that carry the same stable `code` the console shows over IPC.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! error_codes {
    ($( $(#[$meta:meta])* $variant:ident => ($code:literal, $status:literal, $title:literal) ),+ $(,)?) => {
        /// Every error the API answers with. The code is the contract; the
        /// title and detail are for people.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
        pub enum ErrorCode {
            $( $(#[$meta])* #[serde(rename = $code)] $variant ),+
        }

        // Written out because derive(ToSchema) does not see serde renames
        // that come in through a macro.
        impl utoipa::PartialSchema for ErrorCode {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($code),+]))
                    .into()
            }
        }

        impl ToSchema for ErrorCode {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed("ErrorCode")
            }
        }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),+];

            pub const fn code(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),+ }
            }

            /// The HTTP status this error is answered with.
            pub const fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status),+ }
            }

            pub const fn title(self) -> &'static str {
                match self { $(ErrorCode::$variant => $title),+ }
            }
        }
    };
}

error_codes! {
    /// The body is not JSON, or not the JSON this endpoint takes.
    BadRequest => ("request.invalid", 400, "The request is not valid"),
    /// The body is larger than this endpoint accepts.
    TooLarge => ("request.too_large", 413, "The request is too large"),
    /// The body is not UTF-8 text.
    NotUtf8 => ("request.not_utf8", 400, "The request is not UTF-8 text"),
    /// The path names no endpoint of the API.
    NoSuchEndpoint => ("request.not_found", 404, "No such endpoint"),
    /// No bearer token, or one the server does not know.
    Unauthenticated => ("auth.unauthenticated", 401, "A valid API token is needed"),
    /// The token's validity ran out.
    TokenExpired => ("auth.token_expired", 401, "This API token has expired"),
    /// The device was signed out: by the agent from another device, by a
    /// lead, or because the agent was disabled. The console wipes its
    /// cache of this account after exporting what was unsent.
    DeviceRevoked => ("auth.device_revoked", 401, "This device was signed out"),
    /// The login or password is wrong. Which of them is not said.
    SignInFailed => ("auth.sign_in_failed", 401, "The login or password is wrong"),
    /// The one-time sign-in code is wrong, used or expired.
    CodeInvalid => ("auth.code_invalid", 401, "The sign-in code is not valid"),
    /// Too many failed sign-ins for this account or from this address;
    /// retry after the `Retry-After` header.
    SignInLocked => ("auth.locked", 429, "Too many failed sign-ins"),
    /// A new password that is too short, too long or has control characters.
    WeakPassword => ("auth.weak_password", 422, "The password cannot be used"),
    /// No such device among those the caller may see.
    DeviceNotFound => ("device.not_found", 404, "No such device"),
    /// The ticket exists but is outside the caller's scope; answered as
    /// not found so scope does not leak what exists.
    NotFound => ("ticket.not_found", 404, "No such ticket"),
    /// A closed ticket takes no more messages; a new ticket is needed.
    TicketClosed => ("ticket.closed", 409, "The ticket is closed"),
    /// The edit was made against an older version of the ticket.
    Conflict => ("mutation.conflict", 409, "The ticket changed since this edit was made"),
    /// The status lifecycle does not allow this move.
    IllegalTransition => ("status.illegal_transition", 422, "The ticket cannot move to that status"),
    /// A message body that is empty or over the limit.
    InvalidMessage => ("message.invalid", 422, "The message cannot be sent as it is"),
    /// A Cc of a reply that is not an email address, or on another channel.
    InvalidCc => ("message.invalid_cc", 422, "A copy address is not valid"),
    /// Portal Markdown with HTML or a link that could run in a browser.
    ActiveContent => ("message.active_content", 422, "The message contains active content"),
    /// A public reply on the phone channel: nobody could deliver it; the
    /// agent logs the call instead.
    PhoneReply => ("message.phone_reply", 422, "A phone call is logged, not replied to"),
    /// A call log promises a callback in the past or too far ahead.
    CallbackOutOfRange => ("call.callback_out_of_range", 422, "The callback time cannot be promised"),
    /// A telephony event names another number or direction than the
    /// earlier events of its call.
    CallMismatch => ("call.mismatch", 409, "The event does not match its call"),
    /// A retry of a message that is not a reply whose delivery failed.
    NotRetryable => ("message.not_retryable", 409, "Only a failed reply can be sent again"),
    /// An attachment over the size limit.
    AttachmentTooLarge => ("attachment.too_large", 413, "The file is too large"),
    /// The uploaded bytes do not have the SHA-256 the client named.
    HashMismatch => ("attachment.hash_mismatch", 422, "The file does not match its content hash"),
    /// A message names a file the caller has not uploaded.
    FileNotUploaded => ("attachment.not_uploaded", 422, "The file was not uploaded"),
    /// No such attachment in the caller's scope.
    AttachmentNotFound => ("attachment.not_found", 404, "No such attachment"),
    /// The `Range` asked for lies outside the file.
    RangeNotSatisfiable => ("attachment.range_not_satisfiable", 416, "The range is outside the file"),
    /// Too many requests; retry after the `Retry-After` header.
    RateLimited => ("request.rate_limited", 429, "Too many requests"),
    /// The server failed; nothing was stored half-way.
    Internal => ("server.internal", 500, "The server could not complete the request"),
}

/// RFC 9457 problem details, with the stable `code` as an extension member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema, ts_rs::TS)]
pub struct Problem {
    /// A URI naming the problem type: `urn:shiftdesk:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    pub code: ErrorCode,
}

impl ErrorCode {
    /// The server no longer takes the caller's token: no request with it
    /// will work until the agent signs in again.
    pub const fn is_token_refusal(self) -> bool {
        matches!(
            self,
            ErrorCode::Unauthenticated | ErrorCode::TokenExpired | ErrorCode::DeviceRevoked
        )
    }
}

impl Problem {
    pub fn new(code: ErrorCode, detail: impl Into<String>) -> Self {
        Self {
            kind: format!("urn:shiftdesk:problem:{}", code.code()),
            title: code.title().to_owned(),
            status: code.status(),
            detail: detail.into(),
            code,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_dotted_and_round_trip() {
        let codes: HashSet<_> = ErrorCode::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
        for &code in ErrorCode::ALL {
            assert!(code.code().contains('.'), "{}", code.code());
            assert!((400..600).contains(&code.status()));
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.code()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
    }

    #[test]
    fn a_problem_is_rfc_9457_shaped() {
        let problem = Problem::new(ErrorCode::Conflict, "ticket #10001 is at version 7");
        let json = serde_json::to_value(&problem).unwrap();
        assert_eq!(json["type"], "urn:shiftdesk:problem:mutation.conflict");
        assert_eq!(json["status"], 409);
        assert_eq!(json["code"], "mutation.conflict");
        assert_eq!(json["title"], "The ticket changed since this edit was made");
    }
}
