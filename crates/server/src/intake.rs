//! Customers writing in, on any channel: a new ticket (found or new
//! customer, the desk's service catalog, the least-loaded agent of the
//! intake team, the first SLA deadline) or a message on an existing one
//! (a waiting ticket is worked again, a solved one reopens). The portal,
//! the simulator and the channel gateways all come in through here.

use shiftdesk_domain::sla;
use shiftdesk_domain::{
    AgentId, Author, CallDirection, CallRecord, Category, Channel, Customer, CustomerId, Message,
    MessageId, MessageKind, PhoneNumber, Plan, Priority, Service, ServiceStage, SlaFacts,
    SlaPolicy, Ticket, TicketNumber, TicketStatus, Timestamp,
};
use shiftdesk_protocol::{ErrorCode, Problem};
use sqlx::SqliteConnection;

use crate::db::{from_json, log_change, to_json};
use crate::messages::{self, FileRef};
use crate::ServerError;

/// The first ticket number of an empty desk.
const FIRST_TICKET: i64 = 10_001;
const MAX_SUBJECT_CHARS: usize = 120;
const MAX_FIELD_CHARS: usize = 200;

/// Who is writing in, as they introduced themselves.
#[derive(Debug, Clone, Default)]
pub struct CustomerDetails {
    pub name: String,
    pub email: Option<String>,
    pub account_login: Option<String>,
    pub project: Option<String>,
    pub telegram_chat: Option<i64>,
    pub phone: Option<String>,
}

/// A ticket a customer opens.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub customer: CustomerDetails,
    pub channel: Channel,
    /// The service by its catalog name; channels other than the portal
    /// do not ask, and the ticket says the service is not stated.
    pub service: Option<String>,
    pub category: Category,
    /// Portal tickets start at normal; a channel that knows better says so.
    pub priority: Priority,
    /// The plan when the desk knows it (a contract); otherwise the plan of
    /// the customer's latest ticket, or standard.
    pub plan: Option<Plan>,
    pub subject: Option<String>,
    pub description: String,
    pub files: Vec<FileRef>,
}

/// Where new tickets go.
#[derive(Debug, Clone)]
pub struct IntakeRules {
    /// The team whose agents receive new tickets.
    pub team: String,
}

/// Opens a ticket; the caller commits. A refusal names what to fix.
pub async fn open_ticket(
    conn: &mut SqliteConnection,
    rules: &IntakeRules,
    new: &NewTicket,
    now: Timestamp,
) -> Result<Result<Ticket, Problem>, ServerError> {
    if let Err(problem) = check_details(&new.customer) {
        return Ok(Err(problem));
    }
    if let Err(problem) = messages::check_body(&new.description, new.channel == Channel::Portal)
        .and_then(|()| messages::check_file_count(new.files.len()))
    {
        return Ok(Err(problem));
    }
    let service = match &new.service {
        None => Some(Service::not_stated()),
        Some(name) => find_service(conn, name).await?,
    };
    let Some(service) = service else {
        let known: Vec<String> = sqlx::query_scalar("SELECT name FROM services ORDER BY name")
            .fetch_all(&mut *conn)
            .await?;
        return Ok(Err(Problem::new(
            ErrorCode::BadRequest,
            format!(
                "no service {:?}; the services are: {}",
                new.service.as_deref().unwrap_or_default(),
                known.join(", ")
            ),
        )));
    };
    let customer = find_or_add_customer(conn, &new.customer).await?;
    let plan = match new.plan {
        Some(plan) => plan,
        None => plan_of(conn, customer.id).await?,
    };
    let number: i64 = sqlx::query_scalar("SELECT coalesce(max(number) + 1, ?) FROM tickets")
        .bind(FIRST_TICKET)
        .fetch_one(&mut *conn)
        .await?;
    let mut ticket = Ticket {
        number: TicketNumber(number),
        subject: subject_of(new.subject.as_deref(), &new.description),
        status: TicketStatus::New,
        priority: new.priority,
        category: new.category,
        plan,
        service,
        customer: customer.id,
        channel: new.channel,
        assignee: least_loaded_agent(conn, &rules.team).await?,
        team: rules.team.clone(),
        tags: Vec::new(),
        version: 1,
        created_at: now,
        updated_at: now,
        sla_due_at: None,
        email_cc: Vec::new(),
        status_log: Vec::new(),
    };
    let message = inbound(&ticket, new.channel, &new.description, now);
    ticket.sla_due_at = due_with(conn, &ticket, std::slice::from_ref(&message), now).await?;
    log_change(conn, "customer", customer.id.0, Some(number), None).await?;
    sqlx::query(
        "INSERT INTO tickets (number, assignee_id, team, customer_id, version, body) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(number)
    .bind(ticket.assignee.map(|a| a.0))
    .bind(&ticket.team)
    .bind(customer.id.0)
    .bind(ticket.version)
    .bind(to_json(&ticket))
    .execute(&mut *conn)
    .await?;
    log_change(conn, "ticket", number, Some(number), None).await?;
    messages::append(conn, message, &new.files).await?;
    Ok(Ok(ticket))
}

/// The customer of `ticket` writes on `channel`; the caller commits.
pub async fn customer_writes(
    conn: &mut SqliteConnection,
    ticket: Ticket,
    channel: Channel,
    body: &str,
    files: &[FileRef],
    now: Timestamp,
) -> Result<Result<(Ticket, MessageId), Problem>, ServerError> {
    if let Err(problem) = messages::check_body(body, channel == Channel::Portal)
        .and_then(|()| messages::check_file_count(files.len()))
    {
        return Ok(Err(problem));
    }
    let message = inbound(&ticket, channel, body, now);
    add_to_ticket(conn, ticket, message, files, true, now).await
}

/// A call the telephony reported, logged on `ticket` as a call of the
/// phone channel; the caller commits. A call from the customer is the
/// customer reaching out, like a message; a call support made is by no
/// one the desk can name. Either way the SLA deadline follows: an
/// answered call answers the customer, a missed one asks for an answer.
pub async fn call_reported(
    conn: &mut SqliteConnection,
    ticket: Ticket,
    call: CallRecord,
    body: &str,
    now: Timestamp,
) -> Result<Result<(Ticket, MessageId), Problem>, ServerError> {
    if let Err(problem) = messages::check_body(body, false) {
        return Ok(Err(problem));
    }
    let from_customer = call.direction == CallDirection::Inbound;
    let message = Message {
        id: MessageId(0),
        ticket: ticket.number,
        kind: MessageKind::CallLog { call },
        channel: Channel::Phone,
        author: if from_customer {
            Author::Customer {
                id: ticket.customer,
            }
        } else {
            Author::System
        },
        body: body.to_owned(),
        created_at: now,
    };
    add_to_ticket(conn, ticket, message, &[], from_customer, now).await
}

/// Appends `message`; when the customer reached out, a waiting ticket is
/// worked again and a solved one reopens. A closed ticket takes nothing.
async fn add_to_ticket(
    conn: &mut SqliteConnection,
    mut ticket: Ticket,
    message: Message,
    files: &[FileRef],
    from_customer: bool,
    now: Timestamp,
) -> Result<Result<(Ticket, MessageId), Problem>, ServerError> {
    let Some(status) = ticket.status.after_customer_writes() else {
        return Ok(Err(Problem::new(
            ErrorCode::TicketClosed,
            format!(
                "ticket {} is closed; please open a new ticket",
                ticket.number
            ),
        )));
    };
    if from_customer && status != ticket.status {
        ticket.set_status(status, now);
        ticket.version += 1;
    }
    let id = messages::append(conn, message, files).await?;
    refresh_sla_due(conn, &mut ticket, now).await?;
    ticket.updated_at = now;
    sqlx::query("UPDATE tickets SET version = ?, body = ? WHERE number = ?")
        .bind(ticket.version)
        .bind(to_json(&ticket))
        .bind(ticket.number.0)
        .execute(&mut *conn)
        .await?;
    log_change(conn, "ticket", ticket.number.0, Some(ticket.number.0), None).await?;
    Ok(Ok((ticket, id)))
}

fn inbound(ticket: &Ticket, channel: Channel, body: &str, now: Timestamp) -> Message {
    Message {
        id: MessageId(0),
        ticket: ticket.number,
        kind: MessageKind::Inbound,
        channel,
        author: Author::Customer {
            id: ticket.customer,
        },
        body: body.to_owned(),
        created_at: now,
    }
}

fn check_details(details: &CustomerDetails) -> Result<(), Problem> {
    let fields = [
        ("name", Some(details.name.as_str())),
        ("email", details.email.as_deref()),
        ("account_login", details.account_login.as_deref()),
        ("project", details.project.as_deref()),
        ("phone", details.phone.as_deref()),
    ];
    for (field, value) in fields {
        let Some(value) = value else { continue };
        let bad = value.chars().count() > MAX_FIELD_CHARS || value.chars().any(char::is_control);
        if bad || (field == "name" && value.trim().is_empty()) {
            return Err(Problem::new(
                ErrorCode::BadRequest,
                format!("`{field}` is 1 to {MAX_FIELD_CHARS} characters on one line"),
            ));
        }
    }
    Ok(())
}

/// The subject as given, or the description's first line, shortened.
fn subject_of(given: Option<&str>, description: &str) -> String {
    let source = given
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| description.trim().lines().next().unwrap_or_default());
    let mut subject: String = source.chars().take(MAX_SUBJECT_CHARS).collect();
    if source.chars().count() > MAX_SUBJECT_CHARS {
        subject.push('…');
    }
    subject
}

async fn find_service(
    conn: &mut SqliteConnection,
    name: &str,
) -> Result<Option<Service>, ServerError> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT name, stage FROM services WHERE name = ?")
            .bind(name.trim())
            .fetch_optional(&mut *conn)
            .await?;
    Ok(row.map(|(name, stage)| Service {
        name,
        // The column's CHECK allows only the two codes.
        stage: stage.parse().unwrap_or(ServiceStage::GeneralAvailability),
    }))
}

/// A customer writing in with an account login is the customer with that
/// login, one writing from a Telegram chat the customer of that chat, one
/// writing from a mail address the customer with that address (in any
/// letter case), one calling from a phone number the customer with that
/// number (compared by its digits, however either is grouped); anyone else
/// is a new customer.
async fn find_or_add_customer(
    conn: &mut SqliteConnection,
    details: &CustomerDetails,
) -> Result<Customer, ServerError> {
    let login = details
        .account_login
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let email = details
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    let phone = details
        .phone
        .as_deref()
        .and_then(|p| PhoneNumber::parse(p).ok());
    let found: Option<String> = match (login, details.telegram_chat, email, &phone) {
        (Some(login), _, _, _) => sqlx::query_scalar(
            "SELECT body FROM customers WHERE json_extract(body, '$.account_login') = ? LIMIT 1",
        )
        .bind(login)
        .fetch_optional(&mut *conn)
        .await?,
        (None, Some(chat), _, _) => sqlx::query_scalar(
            "SELECT body FROM customers WHERE json_extract(body, '$.telegram_chat') = ? LIMIT 1",
        )
        .bind(chat)
        .fetch_optional(&mut *conn)
        .await?,
        (None, None, Some(email), _) => {
            sqlx::query_scalar(
                "SELECT body FROM customers WHERE lower(json_extract(body, '$.email')) = lower(?) \
             ORDER BY id LIMIT 1",
            )
            .bind(email)
            .fetch_optional(&mut *conn)
            .await?
        }
        (None, None, None, Some(phone)) => {
            sqlx::query_scalar(&format!(
                "SELECT body FROM customers WHERE {PHONE_DIGITS} = ? ORDER BY id LIMIT 1"
            ))
            .bind(phone.digits())
            .fetch_optional(&mut *conn)
            .await?
        }
        (None, None, None, None) => None,
    };
    if let Some(body) = found {
        return serde_json::from_str(&body).map_err(|source| ServerError::Corrupt {
            what: "customer",
            source,
        });
    }
    let id: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM customers")
        .fetch_one(&mut *conn)
        .await?;
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    };
    let customer = Customer {
        id: CustomerId(id),
        name: details.name.trim().to_owned(),
        account_login: login.map(str::to_owned),
        project: trimmed(&details.project),
        email: trimmed(&details.email),
        telegram_chat: details.telegram_chat,
        // A number the desk learned is kept in one form.
        phone: phone
            .map(|p| p.international())
            .or_else(|| trimmed(&details.phone)),
    };
    sqlx::query("INSERT INTO customers (id, body) VALUES (?, ?)")
        .bind(id)
        .bind(to_json(&customer))
        .execute(&mut *conn)
        .await?;
    Ok(customer)
}

/// A customer's stored phone number as its digits alone, in SQL: the
/// grouping `PhoneNumber` allows taken out.
pub(crate) const PHONE_DIGITS: &str = "replace(replace(replace(replace(replace(\
     json_extract(customers.body, '$.phone'), '+', ''), ' ', ''), '-', ''), '(', ''), ')', '')";

/// A returning customer keeps the plan of their latest ticket.
async fn plan_of(conn: &mut SqliteConnection, customer: CustomerId) -> Result<Plan, ServerError> {
    let plan: Option<String> = sqlx::query_scalar(
        "SELECT json_extract(body, '$.plan') FROM tickets WHERE customer_id = ? \
         ORDER BY number DESC LIMIT 1",
    )
    .bind(customer.0)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(plan.and_then(|p| p.parse().ok()).unwrap_or(Plan::Standard))
}

/// The team's agent (not lead) with the fewest active tickets; none when
/// the team has no agents, and the leads dispatch it.
async fn least_loaded_agent(
    conn: &mut SqliteConnection,
    team: &str,
) -> Result<Option<AgentId>, ServerError> {
    let id: Option<i64> = sqlx::query_scalar(
        "SELECT a.id FROM agents a \
         LEFT JOIN tickets t ON t.assignee_id = a.id \
              AND json_extract(t.body, '$.status') IN ('new', 'open', 'reopened') \
         WHERE a.team = ? AND a.role = 'agent' AND a.disabled_at IS NULL \
         GROUP BY a.id ORDER BY count(t.number), a.id LIMIT 1",
    )
    .bind(team)
    .fetch_optional(&mut *conn)
    .await?;
    Ok(id.map(AgentId))
}

async fn thread_messages(
    conn: &mut SqliteConnection,
    ticket: TicketNumber,
) -> Result<Vec<Message>, ServerError> {
    let bodies: Vec<String> =
        sqlx::query_scalar("SELECT body FROM messages WHERE ticket_number = ? ORDER BY id")
            .bind(ticket.0)
            .fetch_all(&mut *conn)
            .await?;
    bodies.iter().map(|b| from_json(b, "message")).collect()
}

/// The earliest deadline among the ticket's SLA clocks running at `now`,
/// under its policy (calendar and pauses included); `None` without a policy.
/// Sets `ticket.sla_due_at` from its stored thread, after anything that
/// moves its clocks: a message, a status, a priority (another policy).
pub(crate) async fn refresh_sla_due(
    conn: &mut SqliteConnection,
    ticket: &mut Ticket,
    now: Timestamp,
) -> Result<(), ServerError> {
    let thread = thread_messages(conn, ticket.number).await?;
    ticket.sla_due_at = due_with(conn, ticket, &thread, now).await?;
    Ok(())
}

async fn due_with(
    conn: &mut SqliteConnection,
    ticket: &Ticket,
    thread: &[Message],
    now: Timestamp,
) -> Result<Option<Timestamp>, ServerError> {
    let bodies: Vec<String> = sqlx::query_scalar("SELECT body FROM sla_policies")
        .fetch_all(&mut *conn)
        .await?;
    let policies: Vec<SlaPolicy> = bodies
        .iter()
        .map(|b| from_json(b, "SLA policy"))
        .collect::<Result<_, _>>()?;
    let Some(policy) = SlaPolicy::find(&policies, ticket.plan, ticket.priority) else {
        return Ok(None);
    };
    let compiled = policy.compile().map_err(|source| ServerError::BadPolicy {
        id: policy.id,
        source,
    })?;
    let facts = SlaFacts::of(ticket, thread);
    Ok(sla::evaluate(&facts, &compiled, now).earliest_running_due())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_comes_from_the_first_line_when_none_is_given() {
        assert_eq!(subject_of(Some("  VM down "), "x"), "VM down");
        assert_eq!(
            subject_of(None, "\n  Диск не монтируется\nподробности"),
            "Диск не монтируется"
        );
        let long = "я".repeat(300);
        let subject = subject_of(Some(""), &long);
        assert_eq!(subject.chars().count(), MAX_SUBJECT_CHARS + 1);
        assert!(subject.ends_with('…'));
    }
}
