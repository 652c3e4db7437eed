//! How arguments read: domain enums by their stable codes (what `queue`
//! and `show` print), ticket numbers as Shiftdesk shows them, and text
//! that may come from standard input.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use shiftdesk_domain::CodeEnum;

use crate::error::CliError;

/// A domain enum by its code; `--help` lists the codes.
pub fn code<T: CodeEnum>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::ALL.iter().map(|v| v.code())).try_map(|code| code.parse::<T>())
}

/// A text argument, or standard input when it is `-`.
pub fn text_or_stdin(value: String) -> Result<String, CliError> {
    if value != "-" {
        return Ok(value);
    }
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
        .map_err(|e| CliError::Io(PathBuf::from("<stdin>"), e))?;
    Ok(text.trim_end_matches('\n').to_owned())
}

#[cfg(test)]
mod tests {
    use clap::Parser;
    use shiftdesk_domain::{TicketNumber, TicketStatus};

    #[derive(Debug, Parser)]
    struct Probe {
        ticket: TicketNumber,
        #[arg(long, value_parser = super::code::<TicketStatus>())]
        status: Option<TicketStatus>,
    }

    #[test]
    fn a_ticket_reads_as_queue_prints_it() {
        let probe = Probe::try_parse_from(["probe", "#10048"]).unwrap();
        assert_eq!(probe.ticket, TicketNumber(10048));
        let probe = Probe::try_parse_from(["probe", "10048"]).unwrap();
        assert_eq!(probe.ticket, TicketNumber(10048));
        for bad in ["#", "ticket", "-1", "#10048#"] {
            assert!(
                Probe::try_parse_from(["probe", "--", bad]).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_status_reads_by_its_code() {
        let probe = Probe::try_parse_from(["probe", "1", "--status", "on_hold"]).unwrap();
        assert_eq!(probe.status, Some(TicketStatus::OnHold));
        let err = Probe::try_parse_from(["probe", "1", "--status", "onhold"]).unwrap_err();
        assert!(err.to_string().contains("on_hold"), "{err}");
    }
}
