//! Attachments: agents upload a file under its SHA-256 before a reply or
//! note names it; anyone who may read a ticket downloads its attachments,
//! whole or by byte range.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use shiftdesk_domain::{Attachment, ContentHash};
use shiftdesk_protocol::{ErrorCode, StoredFile, MAX_ATTACHMENT_BYTES};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::auth::Caller;
use crate::files::UploadError;
use crate::push::in_scope;
use crate::{now, ApiError, AppState, ServerError};

#[utoipa::path(
    put,
    path = "/v1/files/{content_hash}",
    params(("content_hash" = String, Path, pattern = "^[0-9a-f]{64}$", description = "SHA-256 of the bytes, 64 lowercase hex digits")),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Kept; the caller may attach it to their messages", body = StoredFile),
        (status = 400, description = "Not a content hash", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over the size limit", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 422, description = "The bytes do not match the hash", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
/// Uploads a file. Idempotent: sending the same bytes again answers the
/// same, so an offline client can simply retry.
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(content_hash): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<StoredFile>, ApiError> {
    let expected = ContentHash::try_from(content_hash)
        .map_err(|e| ApiError::new(ErrorCode::BadRequest, e.to_string()))?;
    refuse_oversized(&headers)?;
    let (content_hash, size_bytes) = state
        .db
        .files
        .put(
            body.into_data_stream(),
            MAX_ATTACHMENT_BYTES,
            Some(&expected),
        )
        .await
        .map_err(upload_refusal)?;
    sqlx::query(
        "INSERT INTO file_uploads (content_hash, agent_id, size_bytes, uploaded_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT DO NOTHING",
    )
    .bind(content_hash.as_str())
    .bind(caller.agent.id.0)
    .bind(i64::try_from(size_bytes).unwrap_or(i64::MAX))
    .bind(now().0)
    .execute(&state.db.writer)
    .await?;
    Ok(Json(StoredFile {
        content_hash,
        size_bytes,
    }))
}

/// A declared length over the limit is refused before a byte is read.
pub(crate) fn refuse_oversized(headers: &HeaderMap) -> Result<(), ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    match declared {
        Some(length) if length > MAX_ATTACHMENT_BYTES => Err(too_large()),
        _ => Ok(()),
    }
}

fn too_large() -> ApiError {
    ApiError::new(
        ErrorCode::AttachmentTooLarge,
        format!(
            "a file may be {} MiB at most",
            MAX_ATTACHMENT_BYTES / 1024 / 1024
        ),
    )
}

pub(crate) fn upload_refusal(e: UploadError) -> ApiError {
    match e {
        UploadError::TooLarge { .. } => too_large(),
        UploadError::HashMismatch { actual } => ApiError::new(
            ErrorCode::HashMismatch,
            format!("the bytes sent hash to {actual}"),
        ),
        UploadError::Body(e) => ApiError::new(ErrorCode::BadRequest, e.to_string()),
        UploadError::Io(e) => ServerError::from(e).into(),
    }
}

#[utoipa::path(
    get,
    path = "/v1/attachments/{id}",
    params(
        ("id" = i64, Path, description = "The attachment's id"),
        ("range" = Option<String>, Header, description = "One byte range, e.g. `bytes=0-1023`"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The whole file, as its stored media type", content_type = "*/*", body = Vec<u8>),
        (status = 206, description = "The requested range", content_type = "*/*", body = Vec<u8>),
        (status = 400, description = "Not an attachment id", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid token", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such attachment in the caller's scope", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
        (status = 416, description = "The range lies outside the file", body = shiftdesk_protocol::Problem, content_type = "application/problem+json"),
    )
)]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::new(ErrorCode::BadRequest, "an attachment id is a number"))?;
    let found = attachment_with_ticket(&state, id).await?;
    match found {
        Some((attachment, ticket)) if in_scope(&caller, &ticket) => {
            serve(&state, &attachment, &headers).await
        }
        _ => Err(no_attachment(id)),
    }
}

pub(crate) fn no_attachment(id: i64) -> ApiError {
    ApiError::new(
        ErrorCode::AttachmentNotFound,
        format!("no attachment {id} in your scope"),
    )
}

/// An attachment and the ticket it belongs to.
pub(crate) async fn attachment_with_ticket(
    state: &AppState,
    id: i64,
) -> Result<Option<(Attachment, shiftdesk_domain::Ticket)>, ServerError> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT a.body, t.body FROM attachments a JOIN tickets t ON t.number = a.ticket_number \
         WHERE a.id = ?",
    )
    .bind(id)
    .fetch_optional(&state.db.readers)
    .await?;
    row.map(|(attachment, ticket)| {
        let corrupt = |source| ServerError::Corrupt {
            what: "attachment",
            source,
        };
        Ok((
            serde_json::from_str(&attachment).map_err(corrupt)?,
            serde_json::from_str(&ticket).map_err(corrupt)?,
        ))
    })
    .transpose()
}

/// The file of `attachment`: whole, or the one range the `Range` header
/// asks for. A malformed or multi-range `Range` is ignored (RFC 9110
/// lets a server send the whole file instead).
pub(crate) async fn serve(
    state: &AppState,
    attachment: &Attachment,
    headers: &HeaderMap,
) -> Result<Response, ApiError> {
    let path = state.db.files.path_of(&attachment.content_hash);
    let mut file = match tokio::fs::File::open(&path).await {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            tracing::error!(attachment = attachment.id.0, "attachment bytes are missing");
            return Err(no_attachment(attachment.id.0));
        }
        Err(e) => return Err(ServerError::from(e).into()),
    };
    let size = file.metadata().await.map_err(ServerError::from)?.len();
    let etag = format!("\"{}\"", attachment.content_hash);
    let range_applies = headers
        .get(header::IF_RANGE)
        .is_none_or(|v| v.as_bytes() == etag.as_bytes());
    let requested = headers
        .get(header::RANGE)
        .filter(|_| range_applies)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| http_range_header::parse_range_header(v).ok());
    let range = match requested.map(|r| r.validate(size)) {
        None => None,
        Some(Ok(ranges)) if ranges.len() == 1 => Some(ranges[0].clone()),
        Some(Ok(_)) => None,
        Some(Err(_)) => {
            let mut refusal = ApiError::new(
                ErrorCode::RangeNotSatisfiable,
                format!("the file has {size} bytes"),
            )
            .into_response();
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{size}")) {
                refusal.headers_mut().insert(header::CONTENT_RANGE, value);
            }
            return Ok(refusal);
        }
    };
    let (status, start, length) = match &range {
        Some(r) => (
            StatusCode::PARTIAL_CONTENT,
            *r.start(),
            r.end() - r.start() + 1,
        ),
        None => (StatusCode::OK, 0, size),
    };
    file.seek(std::io::SeekFrom::Start(start))
        .await
        .map_err(ServerError::from)?;
    let body = Body::from_stream(tokio_util::io::ReaderStream::new(file.take(length)));
    let mut response = (status, body).into_response();
    let out = response.headers_mut();
    out.insert(
        header::CONTENT_TYPE,
        media_type_header(&attachment.media_type),
    );
    out.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    out.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    out.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(&attachment.name),
    );
    // A customer's file is never rendered or sniffed as a page.
    out.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    out.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    if let Ok(value) = HeaderValue::from_str(&etag) {
        out.insert(header::ETAG, value);
    }
    if let Some(r) = &range {
        if let Ok(value) = HeaderValue::from_str(&format!("bytes {}-{}/{size}", r.start(), r.end()))
        {
            out.insert(header::CONTENT_RANGE, value);
        }
    }
    Ok(response)
}

/// The stored media type when it is a plain `type/subtype`; otherwise
/// bytes.
fn media_type_header(media_type: &str) -> HeaderValue {
    let plain = crate::messages::is_media_type(media_type);
    if plain {
        if let Ok(value) = HeaderValue::from_str(media_type) {
            return value;
        }
    }
    HeaderValue::from_static("application/octet-stream")
}

/// `attachment` with an ASCII fallback name and the real one in RFC 5987
/// form, so any name (unicode, quotes, CR/LF) is safe in the header.
fn content_disposition(name: &str) -> HeaderValue {
    let fallback: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_file_name_makes_a_safe_header() {
        let value = content_disposition("отчёт \"Q3\"\r\nSet-Cookie: x.log");
        let text = value.to_str().unwrap_or_default();
        assert!(text.starts_with("attachment; filename=\"_____ _Q3___Set-Cookie: x.log\""));
        assert!(text.contains("filename*=UTF-8''%D0%BE%D1%82"));
        assert!(!text.contains('\r') && !text.contains('\n'));
    }

    #[test]
    fn only_plain_media_types_are_echoed() {
        assert_eq!(media_type_header("image/png"), "image/png");
        for odd in ["text/html; charset=utf-7", "image", "a/b\r\nX: y", ""] {
            assert_eq!(media_type_header(odd), "application/octet-stream");
        }
    }
}
