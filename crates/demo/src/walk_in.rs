//! What the simulator's customers write: a new customer opening a ticket
//! (a freshly generated thread's opening message, with its files), or a
//! customer writing again on a ticket they already have.

use shiftdesk_domain::{
    Attachment, Customer, Message, MessageKind, Thread, TicketStatus, Timestamp,
};

use crate::content::{Lang, FOLLOW_UPS, REOPENINGS};
use crate::facts::clock;
use crate::random::{pick, stream, Purpose};
use crate::DemoConfig;

/// A new customer and the ticket they open.
#[derive(Debug, Clone)]
pub struct WalkIn {
    pub customer: Customer,
    /// The ticket as the generator imagined it: subject, category, service,
    /// plan, channel. Its number, times and assignee are the desk's to set.
    pub thread: Thread,
    /// The customer's opening message.
    pub opening: Message,
    /// The opening message's files with their bytes.
    pub files: Vec<(Attachment, Vec<u8>)>,
}

/// The walk-in number `seed` at `now`; `None` for the rare generated
/// thread that support opened itself (a proactive notice).
pub fn walk_in(seed: u64, now: Timestamp) -> Option<WalkIn> {
    let cfg = DemoConfig {
        seed,
        tickets: 1,
        now,
    };
    let customer = crate::customers(&cfg).next()?;
    let thread = crate::threads(&cfg).next()?;
    let opening = thread.messages.first()?.clone();
    if opening.kind != MessageKind::Inbound {
        return None;
    }
    let files = thread
        .attachments
        .iter()
        .filter(|a| a.message == opening.id)
        .map(|a| (a.clone(), crate::attachment_content(a)))
        .collect();
    Some(WalkIn {
        customer,
        thread,
        opening,
        files,
    })
}

/// What the customer of a ticket in `status` writes again: a follow-up
/// while it is worked, "it is back" once it was solved. Russian when the
/// subject is.
pub fn follow_up(seed: u64, status: TicketStatus, subject: &str, now: Timestamp) -> String {
    let mut rng = stream(seed, Purpose::FollowUp, 0);
    let lang = if subject
        .chars()
        .any(|c| matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё'))
    {
        Lang::Ru
    } else {
        Lang::En
    };
    let table = if status == TicketStatus::Solved {
        REOPENINGS
    } else {
        FOLLOW_UPS
    };
    pick(&mut rng, table)
        .get(lang)
        .replace("{time}", &clock(now.millis()))
        .replace(
            "{ticket}",
            if lang == Lang::Ru {
                "тикету"
            } else {
                "the ticket"
            },
        )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const NOW: Timestamp = crate::FIXED_NOW;

    #[test]
    fn walk_ins_are_customers_opening_tickets() {
        let walk_ins: Vec<WalkIn> = (0..50).filter_map(|seed| walk_in(seed, NOW)).collect();
        assert!(
            walk_ins.len() > 40,
            "most generated threads start with the customer"
        );
        for w in &walk_ins {
            assert_eq!(w.opening.kind, MessageKind::Inbound);
            assert!(!w.opening.body.trim().is_empty());
            assert!(!w.thread.ticket.subject.is_empty());
            for (attachment, bytes) in &w.files {
                assert_eq!(attachment.size_bytes, bytes.len() as u64);
            }
        }
        let channels: std::collections::HashSet<_> =
            walk_ins.iter().map(|w| w.thread.ticket.channel).collect();
        assert!(
            channels.len() >= 3,
            "walk-ins come on several channels: {channels:?}"
        );
        assert_eq!(
            walk_in(7, NOW).map(|w| w.opening.body),
            walk_in(7, NOW).map(|w| w.opening.body)
        );
    }

    #[test]
    fn follow_ups_speak_the_tickets_language() {
        let ru = follow_up(1, TicketStatus::Open, "ВМ не отвечает", NOW);
        assert!(ru.chars().any(|c| matches!(c, 'а'..='я')), "{ru}");
        let en = follow_up(1, TicketStatus::Solved, "Instance unreachable", NOW);
        assert!(en.is_ascii(), "{en}");
        assert!(!en.contains('{'), "every placeholder is filled: {en}");
    }
}
