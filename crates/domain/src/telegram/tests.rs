use proptest::prelude::*;
use rstest::rstest;

use super::*;

#[rstest]
#[case("a < b && c > d", "a &lt; b &amp;&amp; c &gt; d", 14)]
#[case(
    "**срочно** _сегодня_ ~~вчера~~",
    "<b>срочно</b> <i>сегодня</i> <s>вчера</s>",
    20
)]
#[case("run `df -h <dir>`", "run <code>df -h &lt;dir&gt;</code>", 15)]
#[case(
    "[status](https://status.example.com/?a=1&b=\"2\")",
    "<a href=\"https://status.example.com/?a=1&amp;b=&quot;2&quot;\">status</a>",
    6
)]
#[case("[click](javascript:alert(1))", "click", 5)]
#[case(
    "<script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    25
)]
#[case("# Итог\n\nГотово.", "<b>Итог</b>\n\nГотово.", 13)]
#[case("- диск\n- сеть", "• диск\n• сеть", 13)]
#[case("3. три\n4. четыре", "3. три\n4. четыре", 16)]
#[case(
    "```bash\nls -la\n```",
    "<pre><code class=\"language-bash\">ls -la</code></pre>",
    6
)]
#[case("```\"><b>\nx\n```", "<pre><code>x</code></pre>", 1)]
#[case("> цитата", "<blockquote>цитата</blockquote>", 6)]
#[case("перезагрузите 🙂", "перезагрузите 🙂", 16)]
fn markdown_becomes_telegram_html(
    #[case] markdown: &str,
    #[case] html: &str,
    #[case] chars: usize,
) {
    let parts = telegram_parts(markdown);
    assert_eq!(parts.len(), 1, "{parts:?}");
    assert_eq!(parts[0].html, html);
    assert_eq!(parts[0].chars, chars, "{html}");
}

#[rstest]
#[case("")]
#[case("   \n\n\t")]
fn blank_text_has_no_parts(#[case] markdown: &str) {
    assert_eq!(telegram_parts(markdown), vec![]);
}

#[test]
fn a_long_reply_splits_between_paragraphs_in_order() {
    // 25 paragraphs of 399 characters: about 10,000 in all.
    let paragraphs: Vec<String> = (0..25)
        .map(|i| format!("{i:02} {}.", "д".repeat(395)))
        .collect();
    let reply = paragraphs.join("\n\n");
    assert!(reply.chars().count() > 10_000);
    let parts = telegram_parts(&reply);
    assert_eq!(parts.len(), 3);
    for part in &parts {
        assert!(part.chars <= MAX_MESSAGE_CHARS, "{}", part.chars);
        // Each message ends where a paragraph ends.
        assert!(
            part.html.ends_with('.'),
            "{}",
            &part.html[part.html.len() - 10..]
        );
    }
    assert_eq!(
        parts
            .iter()
            .map(|p| p.html.as_str())
            .collect::<Vec<_>>()
            .join("\n\n"),
        reply
    );
}

#[test]
fn one_long_paragraph_splits_between_sentences() {
    let sentence = format!("Проверьте {}! ", "журнал ".repeat(40));
    let paragraph = sentence.repeat(30);
    let parts = telegram_parts(&paragraph);
    assert!(parts.len() > 1);
    for part in &parts {
        assert!(part.chars <= MAX_MESSAGE_CHARS);
        assert!(
            part.html.ends_with('!'),
            "cut mid-sentence: …{}",
            &part.html[part.html.len() - 20..]
        );
    }
    let rejoined: String = parts
        .iter()
        .map(|p| p.html.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(rejoined, paragraph.trim());
}

#[test]
fn a_sentence_too_long_splits_between_words_and_a_word_between_characters() {
    let words = "слово ".repeat(1000);
    for part in telegram_parts(&words) {
        assert!(part.chars <= MAX_MESSAGE_CHARS);
        assert!(part.html.ends_with("слово"));
    }
    let token = "x".repeat(9000);
    let parts = telegram_parts(&token);
    let sizes: Vec<usize> = parts.iter().map(|p| p.chars).collect();
    assert_eq!(sizes, vec![4096, 4096, 808]);
    assert_eq!(parts.concat_html(), token);
}

#[test]
fn escaping_never_pushes_a_part_over_the_limit() {
    // Each `<` is 4 bytes of HTML but one character the customer sees.
    let text = "<".repeat(5000);
    let parts = telegram_parts(&text);
    assert_eq!(
        parts.iter().map(|p| p.chars).collect::<Vec<_>>(),
        vec![4096, 904]
    );
    assert!(parts[0].html.starts_with("&lt;&lt;"));
}

#[test]
fn emoji_count_twice_as_telegram_counts_them() {
    let parts = telegram_parts(&"🙂".repeat(3000));
    assert_eq!(
        parts.iter().map(|p| p.chars).collect::<Vec<_>>(),
        vec![4096, 1904]
    );
}

#[test]
fn a_long_code_block_becomes_several_pre_blocks_cut_between_lines() {
    let code: String = (0..600)
        .map(|i| format!("line {i:04} of the log\n"))
        .collect();
    let parts = telegram_parts(&format!("Лог:\n\n```\n{code}```"));
    assert!(parts.len() >= 3, "{}", parts.len());
    for part in &parts[1..] {
        assert!(part.html.starts_with("<pre>") && part.html.ends_with("</pre>"));
        assert!(part.html.trim_end_matches("</pre>").ends_with("of the log"));
        assert!(part.chars <= MAX_MESSAGE_CHARS);
    }
}

trait ConcatHtml {
    fn concat_html(&self) -> String;
}

impl ConcatHtml for Vec<TelegramPart> {
    fn concat_html(&self) -> String {
        self.iter().map(|p| p.html.as_str()).collect()
    }
}

/// The visible text of a part, tags dropped and entities decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        rest = &rest[rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1)..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

proptest! {
    #[test]
    fn every_part_fits_and_no_text_is_lost(
        text in "([a-zа-я🙂<>&*_.!?# -]{0,40}(\n\n)?){0,400}"
    ) {
        let parts = telegram_parts(&text);
        for part in &parts {
            prop_assert!(part.chars <= MAX_MESSAGE_CHARS);
            prop_assert!(part.chars > 0);
            prop_assert_eq!(part.chars, visible(&part.html).encode_utf16().count());
        }
        // Letters survive in order (Markdown may eat * _ ` and spaces).
        let letters = |s: &str| s.chars().filter(|c| c.is_alphabetic()).collect::<String>();
        let shown: String = parts.iter().map(|p| visible(&p.html)).collect();
        prop_assert_eq!(letters(&shown), letters(&text));
    }
}
