//! Telegram's rules for a reply: the agent's Markdown as the HTML subset the
//! Bot API takes (`parse_mode=HTML`, every other character escaped), split
//! into messages of at most [`MAX_MESSAGE_CHARS`] visible characters on
//! paragraph, then sentence, then word boundaries. The console previews
//! exactly these parts and the gateway sends exactly these parts.

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use ts_rs::TS;

use crate::html::escape_html;

/// The Bot API's limit on a message's text after entity parsing, counted
/// the way Telegram counts: UTF-16 code units.
pub const MAX_MESSAGE_CHARS: usize = 4096;
/// The largest file a bot may send (`sendDocument`).
pub const MAX_UPLOAD_BYTES: u64 = 50 * 1024 * 1024;
/// The largest file a bot may fetch (`getFile`).
pub const MAX_DOWNLOAD_BYTES: u64 = 20 * 1024 * 1024;
/// Messages a bot may send one chat a second.
pub const MESSAGES_PER_CHAT_PER_SECOND: u32 = 1;

/// One Telegram message of a reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TelegramPart {
    /// The text with Telegram's HTML tags, ready for `parse_mode=HTML`.
    pub html: String,
    /// What the customer sees, in UTF-16 code units (what the limit counts).
    pub chars: usize,
}

/// The reply `markdown` as the messages Telegram will show, in order.
/// Blank text gives no parts.
pub fn telegram_parts(markdown: &str) -> Vec<TelegramPart> {
    let mut pieces = Vec::new();
    for block in blocks(markdown) {
        split_block(block, &mut pieces);
    }
    let mut parts: Vec<TelegramPart> = Vec::new();
    for piece in pieces {
        match parts.last_mut() {
            Some(last) if last.chars + SEPARATOR_CHARS + piece.chars <= MAX_MESSAGE_CHARS => {
                last.html.push_str("\n\n");
                last.html.push_str(&piece.html);
                last.chars += SEPARATOR_CHARS + piece.chars;
            }
            _ => parts.push(piece),
        }
    }
    parts
}

/// The blank line between two blocks in one message.
const SEPARATOR_CHARS: usize = 2;

/// A top-level block of the source: a paragraph, list, code block, ...
struct Block<'a> {
    source: &'a str,
    is_code: bool,
}

fn blocks(markdown: &str) -> Vec<Block<'_>> {
    let mut found = Vec::new();
    let mut depth = 0usize;
    let mut start = None;
    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        match event {
            Event::Start(tag) => {
                if depth == 0 {
                    start = Some((range.start, matches!(tag, Tag::CodeBlock(_))));
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    if let Some((from, is_code)) = start.take() {
                        found.push(Block {
                            source: &markdown[from..range.end],
                            is_code,
                        });
                    }
                }
            }
            // A rule or stray HTML at the top level stands alone.
            _ if depth == 0 => found.push(Block {
                source: &markdown[range],
                is_code: false,
            }),
            _ => {}
        }
    }
    found
}

/// Renders `block`, cutting it into pieces that each fit one message.
fn split_block(block: Block<'_>, out: &mut Vec<TelegramPart>) {
    let whole = render(block.source);
    if whole.chars <= MAX_MESSAGE_CHARS {
        if whole.chars > 0 {
            out.push(whole);
        }
        return;
    }
    if block.is_code {
        split_code(block.source, out);
        return;
    }
    // Sentences, then words, then characters: each level is tried only on
    // a piece the level above could not fit.
    let mut pending = String::new();
    for sentence in sentences(block.source) {
        if render(sentence).chars > MAX_MESSAGE_CHARS {
            flush(&mut pending, out);
            split_words(sentence, out);
            continue;
        }
        let joined = format!("{pending}{sentence}");
        if render(&joined).chars > MAX_MESSAGE_CHARS {
            flush(&mut pending, out);
            pending.push_str(sentence);
        } else {
            pending = joined;
        }
    }
    flush(&mut pending, out);
}

fn flush(pending: &mut String, out: &mut Vec<TelegramPart>) {
    let piece = render(pending.trim());
    if piece.chars > 0 {
        out.push(piece);
    }
    pending.clear();
}

/// `text` cut after each sentence's end (`.`, `!`, `?`, `…` and line breaks
/// followed by white space), the white space kept with the sentence before.
fn sentences(text: &str) -> Vec<&str> {
    let mut cuts = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let ends = matches!(c, '.' | '!' | '?' | '…' | '\n');
        if ends && chars.peek().is_some_and(|&(_, next)| next.is_whitespace()) {
            let mut end = i + c.len_utf8();
            while let Some(&(j, w)) = chars.peek() {
                if !w.is_whitespace() {
                    break;
                }
                end = j + w.len_utf8();
                chars.next();
            }
            cuts.push(end);
        }
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let mut from = 0;
    for cut in cuts {
        pieces.push(&text[from..cut]);
        from = cut;
    }
    if from < text.len() {
        pieces.push(&text[from..]);
    }
    pieces
}

/// A sentence too long for one message, cut between words; a word too long
/// for one message is cut between characters.
fn split_words(sentence: &str, out: &mut Vec<TelegramPart>) {
    let mut pending = String::new();
    for word in sentence.split_inclusive(char::is_whitespace) {
        let joined = format!("{pending}{word}");
        if render(&joined).chars <= MAX_MESSAGE_CHARS {
            pending = joined;
            continue;
        }
        flush(&mut pending, out);
        if render(word).chars <= MAX_MESSAGE_CHARS {
            pending.push_str(word);
            continue;
        }
        // Escaping is all that happens to a bare run of characters, so the
        // plain text is cut and each cut escaped.
        let mut run = String::new();
        let mut run_chars = 0;
        for c in word.trim().chars() {
            if run_chars + c.len_utf16() > MAX_MESSAGE_CHARS {
                out.push(TelegramPart {
                    html: escape_html(&run),
                    chars: run_chars,
                });
                run.clear();
                run_chars = 0;
            }
            run.push(c);
            run_chars += c.len_utf16();
        }
        if run_chars > 0 {
            out.push(TelegramPart {
                html: escape_html(&run),
                chars: run_chars,
            });
        }
    }
    flush(&mut pending, out);
}

/// A code block too long for one message, as several `<pre>` blocks cut
/// between lines (a line too long for one is cut between characters).
fn split_code(source: &str, out: &mut Vec<TelegramPart>) {
    let code: String = Parser::new_ext(source, options())
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.into_string()),
            _ => None,
        })
        .collect();
    let mut pending = String::new();
    let mut pending_chars = 0;
    let mut push = |text: &mut String, chars: &mut usize| {
        if *chars > 0 {
            let html = format!("<pre>{}</pre>", escape_html(text.trim_end_matches('\n')));
            out.push(TelegramPart {
                chars: visible_len(&html),
                html,
            });
        }
        text.clear();
        *chars = 0;
    };
    for line in code.split_inclusive('\n') {
        for c in line.chars() {
            if pending_chars + c.len_utf16() > MAX_MESSAGE_CHARS {
                push(&mut pending, &mut pending_chars);
            }
            pending.push(c);
            pending_chars += c.len_utf16();
        }
        // Prefer to end a message at a line's end.
        if pending_chars > MAX_MESSAGE_CHARS * 9 / 10 {
            push(&mut pending, &mut pending_chars);
        }
    }
    push(&mut pending, &mut pending_chars);
}

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH
}

/// Markdown → Telegram HTML and its visible length.
fn render(markdown: &str) -> TelegramPart {
    let mut html = String::new();
    // Numbered lists count their items; bullet lists carry None.
    let mut lists: Vec<Option<u64>> = Vec::new();
    // Whether each open link became an <a> (unsafe targets stay text).
    let mut links: Vec<bool> = Vec::new();
    for event in Parser::new_ext(markdown, options()) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => new_line(&mut html),
                Tag::Heading { .. } => {
                    new_line(&mut html);
                    html.push_str("<b>");
                }
                Tag::BlockQuote(_) => {
                    new_line(&mut html);
                    html.push_str("<blockquote>");
                }
                Tag::List(first) => {
                    new_line(&mut html);
                    lists.push(first);
                }
                Tag::Item => {
                    new_line(&mut html);
                    let indent = "  ".repeat(lists.len().saturating_sub(1));
                    match lists.last_mut() {
                        Some(Some(n)) => {
                            html.push_str(&format!("{indent}{n}. "));
                            *n += 1;
                        }
                        _ => html.push_str(&format!("{indent}• ")),
                    }
                }
                Tag::CodeBlock(kind) => {
                    new_line(&mut html);
                    match kind {
                        CodeBlockKind::Fenced(lang) if is_language(&lang) => {
                            html.push_str(&format!("<pre><code class=\"language-{lang}\">"));
                        }
                        _ => html.push_str("<pre><code>"),
                    }
                }
                Tag::Emphasis => html.push_str("<i>"),
                Tag::Strong => html.push_str("<b>"),
                Tag::Strikethrough => html.push_str("<s>"),
                Tag::Link { dest_url, .. } => {
                    let safe = is_safe_link(&dest_url);
                    if safe {
                        html.push_str(&format!("<a href=\"{}\">", escape_html(&dest_url)));
                    }
                    links.push(safe);
                }
                _ => {}
            },
            Event::End(end) => match end {
                TagEnd::Heading(_) => html.push_str("</b>"),
                TagEnd::BlockQuote(_) => html.push_str("</blockquote>"),
                TagEnd::List(_) => {
                    lists.pop();
                }
                TagEnd::CodeBlock => {
                    if html.ends_with('\n') {
                        html.pop();
                    }
                    html.push_str("</code></pre>");
                }
                TagEnd::Emphasis => html.push_str("</i>"),
                TagEnd::Strong => html.push_str("</b>"),
                TagEnd::Strikethrough => html.push_str("</s>"),
                TagEnd::Link if links.pop() == Some(true) => html.push_str("</a>"),
                _ => {}
            },
            // Raw HTML in the source is shown as the text it is.
            Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) => {
                html.push_str(&escape_html(&t));
            }
            Event::Code(t) => {
                html.push_str("<code>");
                html.push_str(&escape_html(&t));
                html.push_str("</code>");
            }
            Event::SoftBreak | Event::HardBreak => html.push('\n'),
            Event::Rule => {
                new_line(&mut html);
                html.push_str("———");
            }
            _ => {}
        }
    }
    let html = html.trim().to_owned();
    TelegramPart {
        chars: visible_len(&html),
        html,
    }
}

/// Starts a block on its own line (a quote's first block starts right
/// after its tag).
fn new_line(html: &mut String) {
    if !html.is_empty() && !html.ends_with('\n') && !html.ends_with("<blockquote>") {
        html.push('\n');
    }
}

/// What Telegram counts of `html`: the text between the tags, each entity
/// one character, in UTF-16 code units.
fn visible_len(html: &str) -> usize {
    let mut len = 0;
    let mut in_tag = false;
    let mut in_entity = false;
    for c in html.chars() {
        match c {
            '<' if !in_entity => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if in_tag => {}
            '&' => {
                in_entity = true;
                len += 1;
            }
            ';' if in_entity => in_entity = false,
            _ if in_entity => {}
            _ => len += c.len_utf16(),
        }
    }
    len
}

/// Link targets Telegram opens; anything else is shown as text.
fn is_safe_link(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "tg://", "mailto:"]
        .iter()
        .any(|scheme| lower.starts_with(scheme))
}

fn is_language(lang: &str) -> bool {
    !lang.is_empty()
        && lang.len() <= 32
        && lang
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+'))
}

#[cfg(test)]
mod tests;
