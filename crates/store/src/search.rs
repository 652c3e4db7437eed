//! Offline full-text search over ticket subjects and conversations, in
//! Russian and English. The index keeps words as written (case and
//! diacritics folded); the query side stems each word with the Snowball
//! stemmer of its script and matches it as a prefix, so "дисков" finds
//! "диск", "диски", "диска" and "billing" finds "bills"; "ё" is folded to
//! "е" on both sides. User text never
//! reaches FTS5 syntax: every word is quoted.

use rust_stemmers::{Algorithm, Stemmer};
use serde::Serialize;
use shiftdesk_domain::{TicketNumber, TicketStatus};
use sqlx::Row;
use ts_rs::TS;

use crate::{Store, StoreError};

/// Marks around a match in `snippet()`; private-use code points that text
/// typed by people does not contain.
const HIT_START: char = '\u{E000}';
const HIT_END: char = '\u{E001}';
/// The longest query taken: more than any person types, less than a paste
/// of a whole log that would make a slow query.
const MAX_TERMS: usize = 16;

/// A user's search text turned into a safe FTS5 query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    fts: String,
}

impl SearchQuery {
    pub fn parse(text: &str) -> Result<Self, StoreError> {
        let russian = Stemmer::create(Algorithm::Russian);
        let english = Stemmer::create(Algorithm::English);
        let terms: Vec<String> = text
            .split_whitespace()
            .filter_map(|word| {
                // "vm-7f3a21" or "10.0.0.1" are one thing to the user: match
                // their parts as a phrase, the last part as a prefix.
                // Numbers and words under three letters ("502", "не") match
                // whole: as prefixes they would match half the index.
                let parts: Vec<String> = word
                    .split(|c: char| !c.is_alphanumeric())
                    .filter(|p| !p.is_empty())
                    .map(|p| p.to_lowercase().replace('ё', "е"))
                    .collect();
                let last = parts.last()?;
                let prefix = last.chars().count() >= 3 && !last.chars().all(|c| c.is_ascii_digit());
                let text = match parts.as_slice() {
                    [single] if prefix => stem(single, &russian, &english),
                    _ => parts.join(" "),
                };
                Some(format!("\"{text}\"{}", if prefix { "*" } else { "" }))
            })
            .take(MAX_TERMS)
            .collect();
        if terms.is_empty() {
            return Err(StoreError::EmptySearch);
        }
        Ok(Self {
            fts: terms.join(" "),
        })
    }

    /// The FTS5 MATCH expression.
    pub fn as_fts(&self) -> &str {
        &self.fts
    }
}

/// The stem of a word in its own script's language; words too short to
/// stem safely, and numbers, stay whole.
fn stem(word: &str, russian: &Stemmer, english: &Stemmer) -> String {
    let cyrillic = word.chars().any(|c| matches!(c, '\u{0400}'..='\u{04FF}'));
    let latin = word.chars().any(|c| c.is_ascii_alphabetic());
    let stemmed = if cyrillic {
        russian.stem(word)
    } else if latin {
        english.stem(word)
    } else {
        return word.to_owned();
    };
    if stemmed.chars().count() >= 3 {
        stemmed.into_owned()
    } else {
        word.to_owned()
    }
}

/// A piece of a snippet; `hit` pieces matched the query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SnippetPart {
    pub text: String,
    pub hit: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SearchHit {
    pub number: TicketNumber,
    pub subject: Vec<SnippetPart>,
    pub snippet: Vec<SnippetPart>,
    pub customer_name: String,
    pub status: TicketStatus,
}

impl Store {
    /// The best `limit` tickets for `query`, best first.
    pub async fn search(
        &self,
        query: &SearchQuery,
        limit: u32,
    ) -> Result<Vec<SearchHit>, StoreError> {
        let rows = sqlx::query(
            "SELECT s.rowid AS number, \
                    highlight(ticket_search, 0, ?1, ?2) AS subject, \
                    snippet(ticket_search, 1, ?1, ?2, '…', 16) AS snippet, \
                    c.name AS customer_name, t.status \
             FROM ticket_search s \
             JOIN tickets t ON t.number = s.rowid \
             JOIN customers c ON c.id = t.customer_id \
             WHERE ticket_search MATCH ?3 \
             ORDER BY s.rank LIMIT ?4",
        )
        .bind(HIT_START.to_string())
        .bind(HIT_END.to_string())
        .bind(query.as_fts())
        .bind(i64::from(limit.clamp(1, 500)))
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(SearchHit {
                    number: TicketNumber(row.try_get("number")?),
                    subject: split_marked(row.try_get("subject")?),
                    snippet: split_marked(row.try_get("snippet")?),
                    customer_name: row.try_get("customer_name")?,
                    status: row.try_get::<&str, _>("status")?.parse()?,
                })
            })
            .collect()
    }
}

/// Splits text with hit markers into plain and matched parts.
fn split_marked(text: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut hit = false;
    for piece in text.split([HIT_START, HIT_END]) {
        if !piece.is_empty() {
            parts.push(SnippetPart {
                text: piece.to_owned(),
                hit,
            });
        }
        hit = !hit;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("дисков", "\"диск\"*")]
    #[case("Billing", "\"bill\"*")]
    #[case("vm-7f3a21", "\"vm 7f3a21\"*")]
    #[case("10.0.0.1", "\"10 0 0 1\"")]
    #[case("ошибка  502", "\"ошибк\"* \"502\"")]
    #[case("не работает", "\"не\" \"работа\"*")]
    #[case("INV-202608", "\"inv 202608\"")]
    #[case("\"NEAR(a b)\" OR col:x*", "\"near a\" \"b\" \"or\" \"col x\"")]
    fn words_become_quoted_stems(#[case] text: &str, #[case] fts: &str) {
        assert_eq!(SearchQuery::parse(text).unwrap().as_fts(), fts);
    }

    #[rstest]
    #[case("")]
    #[case("   ")]
    #[case("*** -- ()")]
    fn text_without_words_is_refused(#[case] text: &str) {
        assert_eq!(
            SearchQuery::parse(text).unwrap_err().code(),
            "search.empty_query"
        );
    }

    #[test]
    fn long_pastes_are_cut_to_a_bounded_query() {
        let paste = "слово ".repeat(10_000);
        let query = SearchQuery::parse(&paste).unwrap();
        assert_eq!(query.as_fts().matches("\"*").count(), MAX_TERMS);
    }

    #[test]
    fn marked_text_splits_into_parts() {
        let parts = split_marked("a \u{E000}диск\u{E001} full");
        assert_eq!(
            parts,
            vec![
                SnippetPart {
                    text: "a ".into(),
                    hit: false
                },
                SnippetPart {
                    text: "диск".into(),
                    hit: true
                },
                SnippetPart {
                    text: " full".into(),
                    hit: false
                },
            ]
        );
    }
}
