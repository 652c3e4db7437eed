//! Hand-made tickets for the cache tests: small, exact, in both languages.

#![allow(dead_code, clippy::unwrap_used)]

use shiftdesk_domain::*;

pub const ME: AgentId = AgentId(1);
pub const COLLEAGUE: AgentId = AgentId(2);
pub const MINUTE: i64 = 60_000;

pub fn agents() -> Vec<Agent> {
    vec![
        Agent {
            id: ME,
            name: "Ирина Волкова".into(),
            team: "L2".into(),
            role: Role::Agent,
        },
        Agent {
            id: COLLEAGUE,
            name: "Sam Carter".into(),
            team: "L2".into(),
            role: Role::Agent,
        },
    ]
}

pub fn customers() -> Vec<Customer> {
    vec![
        Customer {
            id: CustomerId(1),
            name: "Анна Петрова".into(),
            account_login: Some("anna-ops".into()),
            project: Some("shop-prod".into()),
            email: Some("anna@example.ru".into()),
            telegram_chat: Some(1001),
            phone: None,
        },
        Customer {
            id: CustomerId(2),
            name: "John Miller".into(),
            account_login: None,
            project: None,
            email: Some("john@example.com".into()),
            telegram_chat: None,
            phone: Some("+1 555 0100".into()),
        },
    ]
}

/// A ticket with one inbound message; ids derive from the number.
pub fn thread(number: i64, subject: &str, body: &str) -> Thread {
    let ticket = Ticket {
        number: TicketNumber(number),
        subject: subject.into(),
        status: TicketStatus::Open,
        priority: Priority::Normal,
        category: Category::PlatformProblem,
        plan: Plan::Standard,
        service: Service {
            name: "Compute Cloud".into(),
            stage: ServiceStage::GeneralAvailability,
        },
        customer: CustomerId(1),
        channel: Channel::Email,
        assignee: Some(ME),
        team: "L2".into(),
        tags: vec![],
        version: 1,
        created_at: Timestamp(number * MINUTE),
        updated_at: Timestamp(number * MINUTE),
        sla_due_at: Some(Timestamp(number * MINUTE + 60 * MINUTE)),
    };
    let message = Message {
        id: MessageId(number * 100),
        ticket: TicketNumber(number),
        kind: MessageKind::Inbound,
        channel: Channel::Email,
        author: Author::Customer { id: CustomerId(1) },
        body: body.into(),
        created_at: Timestamp(number * MINUTE),
    };
    Thread {
        ticket,
        messages: vec![message],
        attachments: vec![],
    }
}
