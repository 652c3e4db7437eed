//! A customer's HTML mail, cut down to what a sandboxed frame may show: no
//! scripts, no styles, no forms or frames, and nothing that loads from
//! the network (a remote image is also a read receipt for the sender).

use std::borrow::Cow;
use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use ammonia::UrlRelative;
use serde::Serialize;
use ts_rs::TS;

use crate::{Attachment, Channel, MessageKind};

/// The name the server gives an inbound mail's HTML part, kept beside the
/// mail's own files.
pub const HTML_PART_NAME: &str = "message.html";
/// Its media type.
pub const HTML_PART_MEDIA_TYPE: &str = "text/html";

/// The largest HTML part that is sanitized. Mail clients clip far smaller
/// ones; a larger part is refused before parsing.
pub const MAX_INBOUND_HTML_BYTES: u64 = 1024 * 1024;

/// The deepest element nesting that is sanitized. Mail templates nest a few
/// dozen levels; an HTML parser's work grows with size times depth, so
/// with both bounded a hostile part costs at most a second or so.
pub const MAX_NESTING: usize = 100;

/// The HTML part the server kept beside a customer's mail, among the
/// message's files. The server adds it after the customer's own files, so
/// the last one of that name wins over a customer's file called the same.
pub fn html_part<'a>(
    kind: &MessageKind,
    channel: Channel,
    files: &'a [Attachment],
) -> Option<&'a Attachment> {
    if *kind != MessageKind::Inbound || channel != Channel::Email {
        return None;
    }
    files
        .iter()
        .rev()
        .find(|f| f.name == HTML_PART_NAME && f.media_type == HTML_PART_MEDIA_TYPE)
}

/// What is left of a mail's HTML, safe to put in a sandboxed frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SafeHtml {
    pub html: String,
    /// The web and mail links in it, in order, each once: the frame cannot
    /// open them, so the agent opens them from this list.
    pub links: Vec<String>,
    /// Images whose source was on the network and was dropped.
    pub blocked_images: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InboundHtmlError {
    #[error("the mail's HTML part is {bytes} bytes; it is shown formatted up to {limit} bytes")]
    TooLarge { bytes: u64, limit: u64 },
    #[error(
        "the mail's HTML part nests elements more than {limit} deep; it is shown as text only"
    )]
    TooDeep { limit: usize },
}

impl InboundHtmlError {
    /// Stable across versions: the UI and tests key on it.
    pub const fn code(&self) -> &'static str {
        match self {
            InboundHtmlError::TooLarge { .. } => "email_html.too_large",
            InboundHtmlError::TooDeep { .. } => "email_html.too_deep",
        }
    }
}

/// Elements removed together with everything inside them: their content is
/// code or markup of another language, never text meant for the agent.
const DROPPED_WITH_CONTENT: [&str; 10] = [
    "script", "style", "title", "svg", "math", "template", "iframe", "object", "embed", "noscript",
];

/// Layout attributes old mail templates use instead of CSS. None of them
/// takes a URL (`background` would, so it is not here).
const LAYOUT_ATTRIBUTES: [&str; 10] = [
    "align",
    "valign",
    "width",
    "height",
    "bgcolor",
    "border",
    "cellpadding",
    "cellspacing",
    "color",
    "dir",
];

/// Image sources that load nothing: an inline part or embedded bytes of a
/// raster format.
const LOCAL_IMAGE_PREFIXES: [&str; 5] = [
    "cid:",
    "data:image/png",
    "data:image/jpeg",
    "data:image/gif",
    "data:image/webp",
];

/// Sanitizes a mail's HTML part. Style attributes go entirely (the frame's
/// policy refuses inline styles anyway, and `url(...)` in them would load
/// from the network); links keep only http, https and mailto, open in a new
/// window without an opener, and are listed for the agent.
pub fn sanitize(html: &str) -> Result<SafeHtml, InboundHtmlError> {
    let bytes = html.len() as u64;
    if bytes > MAX_INBOUND_HTML_BYTES {
        return Err(InboundHtmlError::TooLarge {
            bytes,
            limit: MAX_INBOUND_HTML_BYTES,
        });
    }
    if nests_deeper_than(html, MAX_NESTING) {
        return Err(InboundHtmlError::TooDeep { limit: MAX_NESTING });
    }
    let found = Arc::new(Mutex::new(Found::default()));
    let seen = Arc::clone(&found);
    let mut builder = ammonia::Builder::default();
    builder
        .add_tags(["font", "center"])
        .add_generic_attributes(LAYOUT_ATTRIBUTES)
        .add_tag_attributes("font", ["face", "size"])
        .clean_content_tags(HashSet::from(DROPPED_WITH_CONTENT))
        .url_schemes(HashSet::from(["http", "https", "mailto", "cid", "data"]))
        .url_relative(UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer"))
        .set_tag_attribute_value("a", "target", "_blank")
        .attribute_filter(move |element, attribute, value| {
            let mut found = seen.lock().unwrap_or_else(PoisonError::into_inner);
            found.keep(element, attribute, value)
        });
    let html = builder.clean(html).to_string();
    let found = std::mem::take(&mut *found.lock().unwrap_or_else(PoisonError::into_inner));
    Ok(SafeHtml {
        html,
        links: found.links,
        blocked_images: found.blocked_images,
    })
}

/// Elements without content.
const VOID: [&str; 16] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "param", "keygen", "frame",
];
/// Elements a parser closes by itself when the next one of their kind
/// starts: a run of them does not nest. So are the document's own.
const SELF_CLOSING: [&str; 17] = [
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rtc", "rp",
    "tbody", "thead", "tfoot", "colgroup",
];
const DOCUMENT: [&str; 3] = ["html", "head", "body"];
/// Elements whose content is text up to their end tag.
const RAW_TEXT: [&str; 8] = [
    "script", "style", "textarea", "title", "xmp", "noembed", "noframes", "iframe",
];

/// Whether `html` may nest elements deeper than `limit`, by one linear
/// pass over its tags. It errs on the deep side: an unclosed `<div>` still
/// counts, as a parser nests it too.
fn nests_deeper_than(html: &str, limit: usize) -> bool {
    let bytes = html.as_bytes();
    let mut depth = 0usize;
    // The depth at which an <svg> or <math> opened: in there `/>` closes.
    let mut foreign_from: Option<usize> = None;
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(html.len(), |end| start + end + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_from = start + if closing { 2 } else { 1 };
        let name_len = bytes[name_from..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_from].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = html[name_from..name_from + name_len].to_ascii_lowercase();
        let tag_end = end_of_tag(bytes, name_from + name_len);
        at = tag_end;
        let nests = !VOID.contains(&name.as_str())
            && !SELF_CLOSING.contains(&name.as_str())
            && !DOCUMENT.contains(&name.as_str());
        if closing {
            if nests {
                depth = depth.saturating_sub(1);
                if foreign_from.is_some_and(|from| depth < from) {
                    foreign_from = None;
                }
            }
            continue;
        }
        let self_closed = foreign_from.is_some() && bytes[..tag_end].ends_with(b"/>");
        if nests && !self_closed {
            depth += 1;
            if depth > limit {
                return true;
            }
            if foreign_from.is_none() && (name == "svg" || name == "math") {
                foreign_from = Some(depth);
            }
        }
        if RAW_TEXT.contains(&name.as_str()) {
            at = find_end_tag(html, at, &name);
        }
    }
    false
}

/// Where the end tag of `name` starts, looking from `from`; the end of
/// `html` when there is none.
fn find_end_tag(html: &str, from: usize, name: &str) -> usize {
    let mut at = from;
    while let Some(offset) = html[at..].find("</") {
        let start = at + offset;
        let candidate = html.as_bytes().get(start + 2..start + 2 + name.len());
        if candidate.is_some_and(|c| c.eq_ignore_ascii_case(name.as_bytes())) {
            return start;
        }
        at = start + 2;
    }
    html.len()
}

/// Where the tag whose attributes start at `from` ends: past its `>`,
/// skipping quoted attribute values.
fn end_of_tag(bytes: &[u8], from: usize) -> usize {
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate().skip(from) {
        match (quote, b) {
            (None, b'>') => return i + 1,
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            _ => {}
        }
    }
    bytes.len()
}

#[derive(Debug, Default)]
struct Found {
    links: Vec<String>,
    blocked_images: u32,
}

impl Found {
    /// The value `attribute` keeps, if any: the last word on URLs, after
    /// the allow-list and the scheme check.
    fn keep<'v>(&mut self, element: &str, attribute: &str, value: &'v str) -> Option<Cow<'v, str>> {
        match (element, attribute) {
            ("a", "href") => {
                let scheme = value.split(':').next().unwrap_or_default();
                if !["http", "https", "mailto"].contains(&scheme.to_ascii_lowercase().as_str()) {
                    return None;
                }
                let href = visible_url(value);
                if !self.links.iter().any(|link| *link == *href) {
                    self.links.push(href.clone().into_owned());
                }
                Some(href)
            }
            ("img", "src") => {
                let lower = value.to_ascii_lowercase();
                if LOCAL_IMAGE_PREFIXES.iter().any(|p| lower.starts_with(p)) {
                    Some(Cow::Borrowed(value))
                } else {
                    self.blocked_images += 1;
                    None
                }
            }
            _ => Some(Cow::Borrowed(value)),
        }
    }
}

/// `url` with invisible and direction-changing characters percent-encoded,
/// so the address the agent reads is the one that opens.
fn visible_url(url: &str) -> Cow<'_, str> {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | ' ')
    };
    if !url.trim().chars().any(hidden) {
        return Cow::Borrowed(url.trim());
    }
    let mut out = String::with_capacity(url.len() + 16);
    for c in url.trim().chars() {
        if hidden(c) {
            let mut utf8 = [0; 4];
            for byte in c.encode_utf8(&mut utf8).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests;
