use std::time::{Duration, Instant};

use rstest::rstest;

use super::*;
use crate::{AttachmentId, ContentHash, MessageId};

/// What a hostile part must not keep, whatever it tried.
const NEVER: [&str; 14] = [
    "<script",
    "onerror",
    "onload",
    "onclick",
    "javascript:",
    "<style",
    "<link",
    "<iframe",
    "<form",
    "<meta",
    "<base",
    "<svg",
    "url(",
    "http://tracker",
];

fn clean(html: &str) -> SafeHtml {
    sanitize(html).unwrap()
}

#[rstest]
#[case::script("<p>Диск</p><script>fetch('http://tracker/x')</script>", "<p>Диск</p>")]
#[case::img_onerror("<img src=x onerror=alert(1)>", "<img>")]
#[case::javascript_link(r#"<a href="javascript:alert(1)">пароль</a>"#, "пароль</a>")]
#[case::javascript_link_disguised("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "x</a>")]
#[case::svg_onload("<svg onload=alert(1)><circle r=40 /></svg>ok", "ok")]
#[case::meta_refresh(
    r#"<meta http-equiv="refresh" content="0;url=http://tracker/x">ok"#,
    "ok"
)]
#[case::css_background(
    r#"<div style="background:url(http://tracker/bg.png)">текст</div>"#,
    "<div>текст</div>"
)]
#[case::style_element("<style>body{background:url(http://tracker/a)}</style>ok", "ok")]
#[case::base_href(r#"<base href="http://tracker/"><a href="x">x</a>"#, "x</a>")]
#[case::link_stylesheet(r#"<link rel=stylesheet href="http://tracker/a.css">ok"#, "ok")]
#[case::iframe(r#"<iframe src="http://tracker/"></iframe>ok"#, "ok")]
#[case::form(
    r#"<form action="http://tracker/"><input name=p><button>Войти</button></form>"#,
    "Войти"
)]
#[case::td_background(
    r#"<table><tr><td background="http://tracker/bg">x</td></tr></table>"#,
    "<td>x</td>"
)]
#[case::title("<title>Ignore</title><p>Body</p>", "<p>Body</p>")]
fn hostile_markup_is_cut_down(#[case] html: &str, #[case] expected: &str) {
    let safe = clean(html);
    for never in NEVER {
        assert!(
            !safe.html.to_ascii_lowercase().contains(never),
            "{never} left in {:?}",
            safe.html
        );
    }
    assert!(
        safe.html.contains(expected),
        "{:?} does not contain {expected:?}",
        safe.html
    );
}

#[test]
fn a_tracking_pixel_loses_its_source_and_is_counted() {
    let safe = clean(
        r#"<p>Hi</p><img src="http://tracker/open?id=42" width="1" height="1" alt="">
           <img src="HTTPS://cdn.example.com/logo.png" alt="Logo">"#,
    );
    assert_eq!(safe.blocked_images, 2);
    assert!(!safe.html.contains("tracker"), "{}", safe.html);
    assert!(!safe.html.contains("cdn.example.com"), "{}", safe.html);
    assert!(safe.html.contains(r#"alt="Logo""#), "{}", safe.html);
}

#[test]
fn inline_and_embedded_images_stay() {
    let safe = clean(
        r#"<img src="cid:part1@mail"><img src="data:image/png;base64,iVBORw0KGgo=">
           <img src="data:image/svg+xml,<svg onload=alert(1)>">"#,
    );
    assert!(
        safe.html.contains(r#"src="cid:part1@mail""#),
        "{}",
        safe.html
    );
    assert!(safe.html.contains("data:image/png;base64"), "{}", safe.html);
    assert!(!safe.html.contains("svg"), "{}", safe.html);
    assert_eq!(safe.blocked_images, 1);
}

#[test]
fn links_open_elsewhere_without_an_opener_and_are_listed_once() {
    let safe = clean(
        r#"<a href="https://status.example.com/incident/7" target="_self" rel="opener">статус</a>
           <a href="mailto:ops@example.com">ops</a>
           <a href="https://status.example.com/incident/7">again</a>
           <a href="data:text/html,<script>alert(1)</script>">data</a>
           <a href="/relative">relative</a>
           <a href="ftp://files.example.com/">ftp</a>"#,
    );
    assert_eq!(
        safe.links,
        [
            "https://status.example.com/incident/7",
            "mailto:ops@example.com"
        ]
    );
    let first = safe.html.split("</a>").next().unwrap();
    for attribute in [
        r#"href="https://status.example.com/incident/7""#,
        r#"rel="noopener noreferrer""#,
        r#"target="_blank""#,
    ] {
        assert!(first.contains(attribute), "{attribute} not in {first}");
    }
    assert!(!first.contains("_self"), "{first}");
    assert!(!safe.html.contains("data:text"), "{}", safe.html);
    assert!(!safe.html.contains("/relative"), "{}", safe.html);
    assert!(!safe.html.contains("ftp:"), "{}", safe.html);
    assert!(!safe.html.contains("opener\""), "{}", safe.html);
}

#[test]
fn a_direction_override_cannot_disguise_a_link() {
    // U+202E turns "moc.elgoog" visually into "google.com".
    let safe = clean("<a href=\"https://evil.example/\u{202E}moc.elgoog\">\u{202E}moc.elgoog</a>");
    assert_eq!(safe.links, ["https://evil.example/%E2%80%AEmoc.elgoog"]);
    assert!(
        safe.html
            .contains("href=\"https://evil.example/%E2%80%AEmoc.elgoog\""),
        "{}",
        safe.html
    );
    // The text itself stays as the customer wrote it: the frame shows it.
    assert!(
        safe.html.contains("\u{202E}moc.elgoog</a>"),
        "{}",
        safe.html
    );
}

#[test]
fn text_is_kept_escaped() {
    let safe = clean("<p>1 &lt; 2 &amp;&amp; &lt;script&gt;</p><p dir=rtl>שלום</p>");
    assert!(
        safe.html
            .contains("<p>1 &lt; 2 &amp;&amp; &lt;script&gt;</p>"),
        "{}",
        safe.html
    );
    assert!(
        safe.html.contains(r#"<p dir="rtl">שלום</p>"#),
        "{}",
        safe.html
    );
}

#[test]
fn old_layout_attributes_stay_but_not_those_that_load() {
    let safe = clean(
        r##"<table width="600" bgcolor="#ffffff" background="http://tracker/t.png"><tr>
           <td align="center" valign="top"><font color="red" face="Arial">Alert</font></td></tr></table>"##,
    );
    for kept in [
        r#"width="600""#,
        r##"bgcolor="#ffffff""##,
        r#"align="center""#,
        r#"<font color="red" face="Arial">"#,
    ] {
        assert!(safe.html.contains(kept), "{kept} lost from {}", safe.html);
    }
    assert!(!safe.html.contains("background"), "{}", safe.html);
}

#[test]
fn a_part_over_the_limit_is_refused_at_once() {
    let huge = "<p>журнал</p>".repeat(5 * 1024 * 1024 / 17 + 1);
    assert!(huge.len() > 5 * 1024 * 1024);
    let started = Instant::now();
    let err = sanitize(&huge).unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(50));
    assert_eq!(err.code(), "email_html.too_large");
    assert!(err.to_string().contains("1048576"), "{err}");
}

#[rstest]
#[case::divs("<div>".repeat(30_000))]
#[case::tables("<table><tr><td>".repeat(10_000))]
#[case::self_closed_divs("<div/>".repeat(30_000))]
fn markup_nested_past_the_limit_is_refused_at_once(#[case] html: String) {
    let started = Instant::now();
    let err = sanitize(&html).unwrap_err();
    assert!(started.elapsed() < Duration::from_millis(200));
    assert_eq!(err.code(), "email_html.too_deep");
}

#[test]
fn many_text_only_elements_are_scanned_in_one_pass() {
    let html = "<TITLE>x</title><style>p{}</STYLE>".repeat(30_000);
    let started = Instant::now();
    assert!(!nests_deeper_than(&html, MAX_NESTING));
    assert!(started.elapsed() < Duration::from_millis(500));
}

#[rstest]
#[case::paragraphs("<p>абзац".repeat(5_000))]
#[case::list_items(format!("<ul>{}</ul>", "<li>пункт".repeat(5_000)))]
#[case::rows(format!("<table>{}</table>", "<tr><td>a<td>b".repeat(5_000)))]
#[case::svg_shapes(format!("<svg>{}</svg>ok", "<rect/>".repeat(1_000)))]
#[case::quoted_brackets(r#"<a title="<div><div>">x</a>"#.repeat(1_000))]
#[case::comments("<!-- <div> -->".repeat(1_000))]
#[case::script_text(format!("<script>{}</script>", "<div>".repeat(1_000)))]
fn long_flat_markup_is_not_taken_for_deep(#[case] html: String) {
    assert!(sanitize(&html).is_ok());
}

#[test]
fn a_hostile_part_at_the_limit_is_sanitized_in_bounded_time() {
    // As deep as allowed, again and again, with an attack at every level.
    let level = "<div><img src=x onerror=alert(1)><a href=\"javascript:x\">x</a>";
    let unit = format!(
        "{}{}",
        level.repeat(MAX_NESTING - 1),
        "</div>".repeat(MAX_NESTING - 1)
    );
    let limit = usize::try_from(MAX_INBOUND_HTML_BYTES).unwrap();
    let html = unit.repeat(limit / unit.len());
    let started = Instant::now();
    let safe = clean(&html);
    assert!(!safe.html.contains("onerror"));
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn only_the_servers_html_part_of_a_customers_mail_counts() {
    let file = |id, name: &str, media_type: &str| Attachment {
        id: AttachmentId(id),
        message: MessageId(1),
        name: name.into(),
        size_bytes: 10,
        content_hash: ContentHash::try_from("a".repeat(64)).unwrap(),
        media_type: media_type.into(),
    };
    let files = [
        file(1, "message.html", "text/html"),
        file(2, "invoice.html", "text/html"),
        file(3, "message.html", "text/plain"),
        file(4, "message.html", "text/html"),
        file(5, "original.eml", "message/rfc822"),
    ];
    let found = html_part(&MessageKind::Inbound, Channel::Email, &files);
    assert_eq!(found.map(|f| f.id), Some(AttachmentId(4)));
    assert_eq!(
        html_part(&MessageKind::Inbound, Channel::Email, &files[1..3]),
        None
    );
    assert_eq!(
        html_part(&MessageKind::Inbound, Channel::Portal, &files),
        None
    );
    assert_eq!(
        html_part(&MessageKind::InternalNote, Channel::Email, &files),
        None
    );
}
