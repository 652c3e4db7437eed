//! Tickets: what a customer asked, about which service, under which plan, and
//! who works it.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{AgentId, Attachment, Channel, CustomerId, Message, TicketStatus, Timestamp};

/// The ticket number customers and agents quote ("#10234").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct TicketNumber(#[ts(type = "number")] pub i64);

impl std::fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// Text that is not a ticket number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a ticket number (like #10048 or 10048)")]
pub struct InvalidTicketNumber(pub String);

/// Reads what [`Display`](std::fmt::Display) writes, `#10048`, and the bare
/// `10048`: a number copied from anywhere Shiftdesk shows one works.
impl std::str::FromStr for TicketNumber {
    type Err = InvalidTicketNumber;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let digits = s.strip_prefix('#').unwrap_or(s);
        // Digits only: no sign, no spaces, no `+`, which i64's parser takes.
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidTicketNumber(s.to_owned()));
        }
        match digits.parse::<i64>() {
            Ok(n) if n > 0 => Ok(TicketNumber(n)),
            _ => Err(InvalidTicketNumber(s.to_owned())),
        }
    }
}

code_enum! {
    /// How soon the customer needs an answer; SLA targets are set per priority.
    pub enum Priority { Urgent => "urgent", High => "high", Normal => "normal", Low => "low" }
}

code_enum! {
    /// The customer's support plan. Professional is the paid priority tier
    /// ("Professional Services") with faster targets.
    pub enum Plan { Standard => "standard", Professional => "professional" }
}

code_enum! {
    /// A service's release stage. Beta services carry no SLA.
    pub enum ServiceStage { Beta => "beta", GeneralAvailability => "ga" }
}

code_enum! {
    /// What support does, and what it does not.
    pub enum Category {
        ArchitectureConsulting => "architecture_consulting",
        ResourceDiagnostics => "resource_diagnostics",
        AccessRecovery => "access_recovery",
        Billing => "billing",
        PlatformProblem => "platform_problem",
        ServiceSetup => "service_setup",
        /// Administering the customer's own operating systems and services
        /// built on the platform: outside support unless an agreement says so.
        OutOfScope => "out_of_scope",
    }
}

impl Category {
    /// Whether support needs diagnostics (screenshots, logs) to work it.
    pub const fn needs_diagnostics(self) -> bool {
        matches!(
            self,
            Category::ResourceDiagnostics | Category::PlatformProblem | Category::ServiceSetup
        )
    }
}

impl Plan {
    /// Priority support stands out in the console.
    pub const fn is_priority_support(self) -> bool {
        matches!(self, Plan::Professional)
    }
}

/// The platform service a ticket is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Service {
    pub name: String,
    pub stage: ServiceStage,
}

impl Service {
    /// The name a ticket carries when the customer did not say which
    /// service it is about (a mail, a Telegram message, a call).
    pub const NOT_STATED: &'static str = "Not stated";

    /// A ticket about a service not yet known is treated as GA: the SLA
    /// counts until an agent learns it is a Beta service.
    pub fn not_stated() -> Self {
        Self {
            name: Self::NOT_STATED.to_owned(),
            stage: ServiceStage::GeneralAvailability,
        }
    }

    /// Beta services have no SLA, no guaranteed answer and are not billed.
    pub const fn has_sla(&self) -> bool {
        matches!(self.stage, ServiceStage::GeneralAvailability)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ticket {
    pub number: TicketNumber,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub category: Category,
    pub plan: Plan,
    pub service: Service,
    pub customer: CustomerId,
    /// The channel the customer opened the ticket on; replies default to it.
    pub channel: Channel,
    pub assignee: Option<AgentId>,
    pub team: String,
    pub tags: Vec<String>,
    /// The other people on the ticket's mail (the To and Cc of the
    /// customer's mails, and the copies agents added), lower-cased and
    /// sorted: every email reply goes to them too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub email_cc: Vec<String>,
    /// Bumped by the server on every field change; edits carry it as their base.
    #[ts(type = "number")]
    pub version: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The earliest deadline of the ticket's running SLA metrics, as last
    /// computed; `None` when no clock runs (Beta, solved, paused).
    pub sla_due_at: Option<Timestamp>,
    /// Every status change, oldest first, so SLA pauses and reopenings can
    /// be replayed. The ticket starts as `new` at `created_at`; that is
    /// implied, not logged.
    #[serde(default)]
    pub status_log: Vec<StatusChange>,
}

/// A ticket moved to `status` at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusChange {
    pub at: Timestamp,
    pub status: TicketStatus,
}

impl Ticket {
    /// Moves the ticket to `status` at `at` and logs the move; nothing
    /// happens when it is already there. Whether the move is allowed is the
    /// caller's question ([`TicketStatus::transition`]).
    pub fn set_status(&mut self, status: TicketStatus, at: Timestamp) {
        if status != self.status {
            self.status = status;
            self.status_log.push(StatusChange { at, status });
        }
    }
}

/// A ticket with its whole conversation and the attachments of its messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub ticket: Ticket,
    pub messages: Vec<Message>,
    pub attachments: Vec<Attachment>,
}

/// A prepared answer. `{{customer_name}}`, `{{ticket_number}}` and
/// `{{project}}` in the body are filled in when it is used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CannedResponse {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub body: String,
    pub category: Option<Category>,
}

#[cfg(test)]
mod tests {
    use super::TicketNumber;

    #[rstest::rstest]
    #[case("#10048", Some(10048))]
    #[case("10048", Some(10048))]
    #[case("#1", Some(1))]
    #[case("", None)]
    #[case("#", None)]
    #[case("##10048", None)]
    #[case("#0", None)]
    #[case("-5", None)]
    #[case("+5", None)]
    #[case(" 10048", None)]
    #[case("10048 ", None)]
    #[case("#10048x", None)]
    #[case("１０", None)] // full-width digits
    #[case("99999999999999999999", None)]
    fn a_ticket_number_reads_as_it_is_shown(#[case] text: &str, #[case] number: Option<i64>) {
        assert_eq!(
            text.parse::<TicketNumber>().ok().map(|n| n.0),
            number,
            "{text:?}"
        );
        if let Some(n) = number {
            assert_eq!(
                TicketNumber(n).to_string().parse::<TicketNumber>().ok(),
                Some(TicketNumber(n))
            );
        }
    }
}
