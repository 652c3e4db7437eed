use rstest::rstest;

use super::*;

#[rstest]
#[case("Диск переполнен [#10042]", Some(10042))]
#[case("Re: Re: [#7] и снова", Some(7))]
#[case("[#abc] [#12x] [#13]", Some(13))]
#[case("[# 12]", None)]
#[case("заказ #10042", None)]
#[case("[#99999999999999999999999]", None)]
fn the_ticket_tag_is_found_in_a_subject(#[case] subject: &str, #[case] found: Option<i64>) {
    assert_eq!(find_ticket_tag(subject), found.map(TicketNumber));
}

#[rstest]
#[case("Диск переполнен", "Re: Диск переполнен [#10042]")]
#[case(
    "RE: Fwd: re:  Диск   переполнен [#10042]",
    "Re: Диск переполнен [#10042]"
)]
#[case("Отв: вопрос", "Re: вопрос [#10042]")]
#[case("", "Re: [#10042]")]
fn a_reply_subject_has_one_prefix_and_one_tag(#[case] subject: &str, #[case] expected: &str) {
    assert_eq!(reply_subject(subject, TicketNumber(10042)), expected);
    assert_eq!(find_ticket_tag(expected), Some(TicketNumber(10042)));
}

#[test]
fn the_desks_message_ids_name_their_ticket() {
    let id = message_id(TicketNumber(10042), 77, "support.example.com");
    assert_eq!(id, "ticket-10042.message-77@support.example.com");
    assert_eq!(
        ticket_of_message_id(&format!("<{id}>"), "support.example.com"),
        Some(TicketNumber(10042))
    );
    assert_eq!(
        ticket_of_message_id(&id, "Support.Example.com"),
        Some(TicketNumber(10042))
    );
    assert_eq!(ticket_of_message_id(&id, "evil.example.com"), None);
    assert_eq!(
        ticket_of_message_id("<CAF=abc@mail.gmail.com>", "support.example.com"),
        None
    );
    assert_eq!(
        ticket_of_message_id(
            "<ticket-x.message-1@support.example.com>",
            "support.example.com"
        ),
        None
    );
}

#[test]
fn a_quote_has_an_attribution_and_marks_every_line() {
    let quoted = quote(
        "Сервер не отвечает.\n\nЛоги ниже.",
        "Анна Петрова",
        Timestamp(1_790_000_000_000),
    );
    assert_eq!(
        quoted,
        "On 2026-09-21 14:13 UTC, Анна Петрова wrote:\n> Сервер не отвечает.\n>\n> Логи ниже.\n"
    );
    assert_eq!(
        split_quoted(&format!("Спасибо, работает.\n\n{quoted}")).new_text,
        "Спасибо, работает."
    );
}

#[rstest]
#[case::gmail(
    "Спасибо!\n\nOn Mon, 23 Nov 2026 at 10:00, Support <s@x> wrote:\n> Перезапустите.\n> \n> Команда",
    "Спасибо!", true
)]
#[case::russian(
    "Не помогло.\n\n23.11.2026, 10:00, Поддержка пишет:\n> Перезапустите.",
    "Не помогло.",
    true
)]
#[case::outlook(
    "Всё ок.\n\n-----Original Message-----\nFrom: Support\nSent: today",
    "Всё ок.",
    true
)]
#[case::bare_quote("Да.\n\n> Вы перезапустили?\n>\n> Поддержка\n", "Да.", true)]
#[case::inline_quotes(
    "> первый вопрос\nответ один\n> второй вопрос\nответ два",
    "> первый вопрос\nответ один\n> второй вопрос\nответ два",
    false
)]
#[case::only_a_quote("> всё, что было", "> всё, что было", false)]
#[case::says_wrote("I wrote: the disk is full", "I wrote: the disk is full", false)]
fn quoted_history_is_told_apart(
    #[case] body: &str,
    #[case] new_text: &str,
    #[case] has_quote: bool,
) {
    let split = split_quoted(body);
    assert_eq!(split.new_text, new_text);
    assert_eq!(split.quoted.is_some(), has_quote, "{split:?}");
}

fn person(from: &str) -> SenderSigns<'_> {
    SenderSigns {
        from_address: from,
        ..SenderSigns::default()
    }
}

#[test]
fn a_person_writing_is_not_automatic() {
    assert_eq!(automatic_mail(&person("anna@example.com")), None);
    let explicit_no = SenderSigns {
        auto_submitted: Some(" No "),
        ..person("anna@example.com")
    };
    assert_eq!(automatic_mail(&explicit_no), None);
}

#[rstest]
#[case(SenderSigns { auto_submitted: Some("auto-replied"), ..person("anna@example.com") })]
#[case(SenderSigns { auto_submitted: Some("auto-generated"), ..person("anna@example.com") })]
#[case(person("MAILER-DAEMON@mx.example.com"))]
#[case(person("postmaster@example.com"))]
#[case(SenderSigns { null_return_path: true, ..person("anna@example.com") })]
#[case(SenderSigns { is_report: true, ..person("anna@example.com") })]
#[case(SenderSigns { precedence: Some("bulk"), ..person("news@example.com") })]
#[case(SenderSigns { autoreply_header: true, ..person("anna@example.com") })]
#[case(SenderSigns { mailing_list: true, ..person("list@example.com") })]
fn mail_no_person_wrote_is_recognised(#[case] signs: SenderSigns<'_>) {
    assert!(automatic_mail(&signs).is_some(), "{signs:?}");
}

#[test]
fn references_carry_the_chain_and_trim_its_middle() {
    assert_eq!(references(&[], "a@x"), vec!["a@x"]);
    let earlier = vec!["a@x".to_owned(), "b@x".to_owned()];
    assert_eq!(references(&earlier, "c@x"), vec!["a@x", "b@x", "c@x"]);
    assert_eq!(references(&earlier, "b@x"), vec!["a@x", "b@x"], "once");
    let long: Vec<String> = (0..40).map(|i| format!("{i}@x")).collect();
    let chain = references(&long, "new@x");
    assert_eq!(chain.len(), MAX_REFERENCES);
    assert_eq!(chain[0], "0@x", "the thread's first stays");
    assert_eq!(chain[MAX_REFERENCES - 2], "39@x");
    assert_eq!(chain[MAX_REFERENCES - 1], "new@x");
}

#[test]
fn a_reply_renders_its_markdown_and_shows_typed_html_as_text() {
    let html =
        reply_html("Hello **Anna**,\n\n<script>alert(1)</script> & <b>x</b>\n\n- one\n- two");
    assert!(html.contains("<strong>Anna</strong>"), "{html}");
    assert!(html.contains("<li>one</li>"), "{html}");
    assert!(!html.contains("<script>"), "{html}");
    assert!(!html.contains("<b>"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
    assert!(html.contains("&amp;"), "{html}");
}

#[test]
fn a_quote_in_html_is_escaped_in_a_cite_blockquote() {
    let html = quote_html("a < b\nR&D \"x\"", "Anna <a@x>", Timestamp(0));
    assert!(
        html.starts_with("<p>On 1970-01-01 00:00 UTC, Anna &lt;a@x&gt; wrote:</p>"),
        "{html}"
    );
    assert!(
        html.contains("<blockquote type=\"cite\">a &lt; b<br>\nR&amp;D &quot;x&quot;</blockquote>"),
        "{html}"
    );
}

#[rstest]
#[case("ops@northwind.example", true)]
#[case("анна@пример.рф", true)]
#[case("first.last+tag@sub.example.co.uk", true)]
#[case("", false)]
#[case("no-at.example", false)]
#[case("@example.com", false)]
#[case("user@localhost", false)]
#[case("user@.example", false)]
#[case("user@example.", false)]
#[case("two words@example.com", false)]
#[case("Anna <anna@example.com>", false)]
#[case("a@b@example.com", false)]
#[case("evil@example.com\r\nBcc: all@example.com", false)]
#[case("x;y@example.com", false)]
fn a_cc_address_is_a_plain_address(#[case] text: &str, #[case] valid: bool) {
    assert_eq!(is_email_address(text), valid, "{text:?}");
    let long = format!("{}@example.com", "a".repeat(250));
    assert!(!is_email_address(&long));
}
