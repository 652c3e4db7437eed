//! Portal messages are Markdown. Markdown lets raw HTML through, so a portal
//! message is refused when that HTML (or a link) could run something in the
//! reader's browser: script-like elements, event-handler attributes, script
//! URLs. Code in code spans or fenced blocks is text and always welcome.

use pulldown_cmark::{Event, Parser, Tag};

/// What made a message unsafe to render, said so a customer can fix it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActiveContent {
    #[error("a <{0}> element")]
    Element(String),
    #[error("an event-handler attribute ({0})")]
    EventHandler(String),
    #[error("a {0} link")]
    ScriptUrl(String),
}

/// Elements that run code, load other documents or restyle the page.
const ACTIVE_ELEMENTS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link", "meta",
    "base", "form", "svg", "math", "template", "noscript",
];

/// URL schemes a browser executes or renders as a document.
const SCRIPT_SCHEMES: &[&str] = &["javascript:", "vbscript:", "data:text/html", "livescript:"];

/// The first piece of active content in `text`, if any.
pub fn find_active_content(text: &str) -> Option<ActiveContent> {
    Parser::new(text).find_map(|event| match event {
        Event::Html(html) | Event::InlineHtml(html) => active_in_html(&html),
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            script_scheme(&dest_url).map(ActiveContent::ScriptUrl)
        }
        _ => None,
    })
}

fn active_in_html(html: &str) -> Option<ActiveContent> {
    let decoded = decode_entities(html).to_lowercase();
    for tag in decoded.split('<').skip(1) {
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if ACTIVE_ELEMENTS.contains(&name.as_str()) {
            return Some(ActiveContent::Element(name));
        }
        let inside = tag.split('>').next().unwrap_or_default();
        if let Some(handler) = event_handler(inside) {
            return Some(ActiveContent::EventHandler(handler));
        }
        if let Some(scheme) = script_scheme(inside) {
            return Some(ActiveContent::ScriptUrl(scheme));
        }
    }
    None
}

/// An `on…=` attribute among a tag's attributes.
fn event_handler(tag: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    (1..bytes.len()).find_map(|at| {
        // Markdown only takes attributes that follow whitespace.
        let starts_word = bytes[at - 1].is_ascii_whitespace();
        if !starts_word || !tag[at..].starts_with("on") {
            return None;
        }
        let name: String = tag[at..]
            .chars()
            .take_while(|c| c.is_ascii_alphabetic())
            .collect();
        let rest = tag[at + name.len()..].trim_start();
        (name.len() > 2 && rest.starts_with('=')).then_some(name)
    })
}

/// A script scheme anywhere in `text`, read the way a browser reads a URL:
/// whitespace and control characters inside the scheme are ignored.
fn script_scheme(text: &str) -> Option<String> {
    let squeezed: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_lowercase();
    SCRIPT_SCHEMES
        .iter()
        .find(|scheme| squeezed.contains(*scheme))
        .map(|scheme| scheme.trim_end_matches(':').to_owned())
}

/// Numeric character references and `&colon;`, which browsers decode
/// inside attributes before they look at a URL's scheme.
fn decode_entities(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let code = if let Some(hex) = entity
                .strip_prefix("#x")
                .or_else(|| entity.strip_prefix("#X"))
            {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = entity.strip_prefix('#') {
                dec.parse().ok()
            } else if entity.eq_ignore_ascii_case("colon") {
                Some(u32::from(':'))
            } else {
                None
            };
            code.and_then(char::from_u32).map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case::script_block("Hi\n\n<script>alert(1)</script>", "a <script> element")]
    #[case::inline_script(
        "see <script src=//x.example/a.js></script> here",
        "a <script> element"
    )]
    #[case::upper_case("<SCRIPT>alert(1)</SCRIPT>", "a <script> element")]
    #[case::iframe("<iframe src=\"https://evil.example\"></iframe>", "a <iframe> element")]
    #[case::svg("<svg><animate onbegin=alert(1)></svg>", "a <svg> element")]
    #[case::handler("<img src=x onerror=alert(1)>", "an event-handler attribute (onerror)")]
    #[case::handler_newline(
        "<img src=x\nonerror=alert(1)>",
        "an event-handler attribute (onerror)"
    )]
    #[case::handler_spaced(
        "<a href=\"#\" onclick = \"go()\">x</a>",
        "an event-handler attribute (onclick)"
    )]
    #[case::md_link("[click](javascript:alert(1))", "a javascript link")]
    #[case::autolink("<javascript:alert(1)>", "a javascript link")]
    #[case::md_image("![x](vbscript:msgbox)", "a vbscript link")]
    #[case::html_link("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "a javascript link")]
    #[case::entity_scheme(
        "<a href=\"&#106;avascript&colon;alert(1)\">x</a>",
        "a javascript link"
    )]
    #[case::data_html(
        "<a href=\"data:text/html;base64,PHNjcmlwdD4=\">x</a>",
        "a data:text/html link"
    )]
    fn active_content_is_found(#[case] text: &str, #[case] expected: &str) {
        let found = find_active_content(text).map(|a| a.to_string());
        assert_eq!(found.as_deref(), Some(expected), "{text}");
    }

    #[rstest]
    #[case::plain("ВМ не отвечает по SSH с 14:05, логи приложил.")]
    #[case::code_span("my page has `<script src=app.js></script>` and it fails")]
    #[case::fenced("```html\n<script>alert(1)</script>\n<img onerror=x>\n```")]
    #[case::indented_code("    <iframe src=x></iframe>")]
    #[case::escaped("\\<script\\> is escaped")]
    #[case::inert_html("<b>bold</b> and <br> and <a href=\"https://console.example/p/1\">link</a>")]
    #[case::word_online("<span data-x=\"online=1\">status online = yes</span>")]
    // Not a tag to Markdown (an attribute needs whitespace before it): text.
    #[case::not_a_tag("<img/onerror='alert(1)'src=x>")]
    #[case::comparison("if a < b and c > d then fine; 1 <2")]
    #[case::ampersands("R&D, &amp; &#60;, &unknown; and a stray & here")]
    #[case::link("see [the docs](https://docs.example/compute) and <https://status.example>")]
    #[case::emoji("спасибо 🙏 <3")]
    fn harmless_text_passes(#[case] text: &str) {
        assert_eq!(find_active_content(text), None, "{text}");
    }
}
