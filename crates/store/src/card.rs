//! A ticket as its pane shows it: its fields, the customer behind it and
//! what support still has to ask them for.

use serde::Serialize;
use shiftdesk_domain::{
    AgentId, Category, Channel, Customer, CustomerId, MissingIntake, Plan, Priority, Service,
    ServiceStage, TicketNumber, TicketStatus, Timestamp,
};
use sqlx::Row;
use ts_rs::TS;

use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct TicketCard {
    pub number: TicketNumber,
    pub subject: String,
    pub status: TicketStatus,
    pub priority: Priority,
    pub category: Category,
    pub plan: Plan,
    pub service: Service,
    pub channel: Channel,
    pub assignee: Option<AgentId>,
    /// The assignee's name as last synced; `None` when unassigned or unknown.
    pub assignee_name: Option<String>,
    pub team: String,
    pub tags: Vec<String>,
    /// The other people on the ticket's mail: an email reply goes to them too.
    pub email_cc: Vec<String>,
    /// The statuses the ticket may move to from its own.
    pub next_statuses: Vec<TicketStatus>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub customer: Customer,
    /// What support still has to ask the customer for.
    pub missing: MissingIntake,
}

impl Store {
    /// The ticket `number` with its customer; `None` when it is not cached.
    pub async fn ticket_card(
        &self,
        number: TicketNumber,
    ) -> Result<Option<TicketCard>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT t.subject, t.status, t.priority, t.category, t.plan, t.service_name, \
             t.service_stage, t.channel, t.assignee_id, a.name AS assignee_name, t.team, t.tags, \
             t.email_cc, t.created_at, t.updated_at, \
             c.id AS customer_id, c.name, c.account_login, c.project, c.email, c.telegram_chat, c.phone, \
             EXISTS (SELECT 1 FROM attachments f JOIN messages m ON m.id = f.message_id \
                     WHERE m.ticket_number = t.number AND m.author_type = 'customer') AS customer_files \
             FROM tickets t JOIN customers c ON c.id = t.customer_id \
             LEFT JOIN agents a ON a.id = t.assignee_id WHERE t.number = ?",
        )
        .bind(number.0)
        .fetch_optional(&self.readers)
        .await?
        else {
            return Ok(None);
        };
        let json_list = |name: &str, column: &'static str| -> Result<Vec<String>, StoreError> {
            let text: String = row.try_get(name)?;
            serde_json::from_str(&text).map_err(|_| StoreError::BadRow {
                column,
                value: text,
            })
        };
        let customer = Customer {
            id: CustomerId(row.try_get("customer_id")?),
            name: row.try_get("name")?,
            account_login: row.try_get("account_login")?,
            project: row.try_get("project")?,
            email: row.try_get("email")?,
            telegram_chat: row.try_get("telegram_chat")?,
            phone: row.try_get("phone")?,
        };
        let category: Category = row.try_get::<&str, _>("category")?.parse()?;
        let status: TicketStatus = row.try_get::<&str, _>("status")?.parse()?;
        let missing = MissingIntake::check(&customer, category, row.try_get("customer_files")?);
        Ok(Some(TicketCard {
            number,
            subject: row.try_get("subject")?,
            status,
            next_statuses: TicketStatus::ALL
                .iter()
                .copied()
                .filter(|to| status.can_become(*to))
                .collect(),
            priority: row.try_get::<&str, _>("priority")?.parse()?,
            category,
            plan: row.try_get::<&str, _>("plan")?.parse()?,
            service: Service {
                name: row.try_get("service_name")?,
                stage: row
                    .try_get::<&str, _>("service_stage")?
                    .parse::<ServiceStage>()?,
            },
            channel: row.try_get::<&str, _>("channel")?.parse()?,
            assignee: row.try_get::<Option<i64>, _>("assignee_id")?.map(AgentId),
            assignee_name: row.try_get("assignee_name")?,
            team: row.try_get("team")?,
            tags: json_list("tags", "tickets.tags")?,
            email_cc: json_list("email_cc", "tickets.email_cc")?,
            created_at: Timestamp(row.try_get("created_at")?),
            updated_at: Timestamp(row.try_get("updated_at")?),
            customer,
            missing,
        }))
    }
}
