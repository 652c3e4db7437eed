//! The support desk's rules as pure data and functions: tickets and their
//! status lifecycle, customers, messages on every channel, attachments, the
//! intake check and SLA policy data. No IO and no clock: time is an argument.

#[macro_use]
mod code_enum;
pub mod agent;
pub mod canned;
pub mod customer;
pub mod email;
pub mod html;
pub mod inbound_html;
pub mod intake;
pub mod markdown;
pub mod message;
pub mod sla;
pub mod status;
pub mod telegram;
pub mod ticket;
pub mod time;

pub use agent::{Agent, AgentId, Role};
pub use canned::{unfilled_variables, CannedValues};
pub use code_enum::{CodeEnum, UnknownCode};
pub use customer::{Customer, CustomerId, InvalidPhoneNumber, PhoneNumber};
pub use intake::{IntakeItem, MissingIntake};
pub use markdown::{find_active_content, ActiveContent};
pub use message::{
    Attachment, AttachmentId, Author, CallDirection, CallOutcome, CallRecord, CallbackError,
    Channel, ContentHash, DeliveryState, Message, MessageId, MessageKind,
};
pub use sla::{
    AlertLevel, BusinessHours, SlaAlert, SlaCalendar, SlaEvent, SlaEventKind, SlaFacts, SlaMetric,
    SlaPolicy, SlaReport, SlaState, SlaTargets, WarningThreshold,
};
pub use status::{StatusError, TicketStatus};
pub use ticket::{
    CannedResponse, Category, InvalidTicketNumber, Plan, Priority, Service, ServiceStage,
    StatusChange, Thread, Ticket, TicketNumber,
};
pub use time::Timestamp;
