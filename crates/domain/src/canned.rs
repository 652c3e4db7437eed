//! Canned responses filled in for the ticket at hand. A variable the ticket
//! has no value for stays as written, so the agent sees what is left to
//! fill before sending.

use crate::{CannedResponse, TicketNumber};

/// What the variables of a canned response stand for on one ticket.
#[derive(Debug, Clone, Copy)]
pub struct CannedValues<'a> {
    pub customer_name: &'a str,
    pub ticket: TicketNumber,
    pub project: Option<&'a str>,
}

impl CannedResponse {
    /// The body with every known variable replaced.
    pub fn fill(&self, values: &CannedValues<'_>) -> String {
        let mut out = String::with_capacity(self.body.len());
        let mut rest = self.body.as_str();
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                return out;
            };
            let name = &after[..end];
            match value_of(name.trim(), values) {
                Some(value) => out.push_str(&value),
                None => out.push_str(&rest[start..start + 2 + end + 2]),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }
}

fn value_of(name: &str, values: &CannedValues<'_>) -> Option<String> {
    let blank = |v: &str| v.trim().is_empty();
    match name {
        "customer_name" if !blank(values.customer_name) => Some(values.customer_name.to_owned()),
        "ticket_number" => Some(values.ticket.to_string()),
        "project" => values.project.filter(|p| !blank(p)).map(str::to_owned),
        _ => None,
    }
}

/// The `{{variables}}` still in `text`, in order, each once: a reply
/// should not leave with one.
pub fn unfilled_variables(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        let plain = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if plain && !found.iter().any(|f| f == name) {
            found.push(name.to_owned());
        }
        rest = &after[end + 2..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn canned(body: &str) -> CannedResponse {
        CannedResponse {
            id: 1,
            title: "t".into(),
            body: body.into(),
            category: None,
        }
    }

    const VALUES: CannedValues<'static> = CannedValues {
        customer_name: "Анна Петрова",
        ticket: TicketNumber(10547),
        project: Some("shop-prod"),
    };

    #[rstest]
    #[case(
        "Hello {{customer_name}}, re {{ticket_number}} ({{project}})",
        "Hello Анна Петрова, re #10547 (shop-prod)"
    )]
    #[case("{{ customer_name }}!", "Анна Петрова!")]
    #[case("{{unknown}} stays", "{{unknown}} stays")]
    #[case("an open {{brace", "an open {{brace")]
    #[case("}} {{ticket_number}}{{ticket_number}}", "}} #10547#10547")]
    #[case("", "")]
    fn fills_known_variables(#[case] body: &str, #[case] filled: &str) {
        assert_eq!(canned(body).fill(&VALUES), filled);
    }

    #[test]
    fn a_missing_project_stays_for_the_agent_to_fill() {
        let values = CannedValues {
            project: Some("  "),
            ..VALUES
        };
        let text = canned("project {{project}}, {{customer_name}}").fill(&values);
        assert_eq!(text, "project {{project}}, Анна Петрова");
        assert_eq!(unfilled_variables(&text), ["project"]);
    }

    #[test]
    fn a_value_that_looks_like_a_variable_is_not_filled_again() {
        let values = CannedValues {
            customer_name: "{{project}}",
            ..VALUES
        };
        assert_eq!(canned("{{customer_name}}").fill(&values), "{{project}}");
    }

    #[rstest]
    #[case("no variables", &[])]
    #[case("{{a}} {{b}} {{a}}", &["a", "b"])]
    #[case("code {{ not a var! }}", &[])]
    #[case("{{}}", &[])]
    fn finds_unfilled_variables(#[case] text: &str, #[case] names: &[&str]) {
        assert_eq!(unfilled_variables(text), names);
    }
}
