//! Customers' mails in: unseen mails taken in batches that bound memory,
//! a batch stored through intake in one transaction with each mail's
//! reference (so a mail seen again is never stored twice), each threaded
//! into its ticket, and marked \Seen only after that commit. Mail no person wrote is logged and
//! marked seen, never a ticket.

use shiftdesk_domain::email::{find_ticket_tag, ticket_of_message_id};
use shiftdesk_domain::inbound_html;
use shiftdesk_domain::{
    Category, Channel, Priority, Ticket, TicketNumber, TicketStatus, Timestamp,
};
use sqlx::SqliteConnection;

use super::parse::{Desk, Mail};
use super::{EmailGateway, GatewayError};
use crate::db::from_json;
use crate::intake::{self, CustomerDetails, NewTicket};
use crate::messages::{FileRef, MAX_MESSAGE_BYTES};
use crate::{now, ServerError};
use shiftdesk_protocol::MAX_ATTACHMENTS_PER_MESSAGE;

/// New tickets one sender may open by mail in an hour; more mails join
/// their latest open ticket.
const NEW_TICKETS_PER_HOUR: usize = 5;
/// Mails asked about at once (sizes, then bytes).
const BATCH: usize = 50;
/// The most mail bytes held in memory at once; a bigger single mail (up
/// to the size limit) is fetched alone.
const BATCH_BYTES: u64 = 32 * 1024 * 1024;

/// A person's mail, read and ready to store.
struct Taken {
    uid: u32,
    mail: Mail,
    body: String,
    files: Vec<FileRef>,
}

impl EmailGateway {
    /// Takes every unseen mail of the mailbox in. Returns how many were
    /// stored as messages.
    pub async fn receive_once(&self) -> Result<usize, GatewayError> {
        let mut mailbox = self.imap.open().await?;
        let unseen = mailbox.unseen().await?;
        let mut stored = 0;
        for uids in unseen.chunks(BATCH) {
            let sizes = mailbox.sizes(uids).await?;
            let (whole, too_big): (Vec<_>, Vec<_>) = sizes
                .into_iter()
                .partition(|(_, size)| *size <= self.settings.max_mail_bytes);
            let mut groups: Vec<(Vec<u32>, bool)> = Vec::new();
            let mut group = Vec::new();
            let mut group_bytes = 0;
            for (uid, size) in whole {
                if !group.is_empty() && group_bytes + size > BATCH_BYTES {
                    groups.push((std::mem::take(&mut group), false));
                    group_bytes = 0;
                }
                group.push(uid);
                group_bytes += size;
            }
            if !group.is_empty() {
                groups.push((group, false));
            }
            if !too_big.is_empty() {
                groups.push((too_big.iter().map(|(uid, _)| *uid).collect(), true));
            }
            for (group, headers_only) in groups {
                let mut done = Vec::new();
                let mut taken = Vec::new();
                for fetched in mailbox.bytes(&group, headers_only).await? {
                    let size = if headers_only {
                        too_big
                            .iter()
                            .find(|(uid, _)| *uid == fetched.uid)
                            .map_or(0, |(_, size)| *size)
                    } else {
                        fetched.bytes.len() as u64
                    };
                    if let Some(one) = self
                        .take(fetched.uid, &fetched.bytes, headers_only, size)
                        .await?
                    {
                        taken.push(one);
                    }
                    done.push(fetched.uid);
                }
                let stored_here = self.store(&taken).await?;
                if stored_here > 0 {
                    stored += stored_here;
                    self.state.nudges.refresh(&self.state.db).await?;
                }
                // Only now: a crash before this leaves them unseen, and
                // their references keep them from being stored twice.
                mailbox.mark_seen(&done).await?;
            }
        }
        mailbox.logout().await;
        Ok(stored)
    }

    /// Reads one mail: `None` when it is not to be stored (no person
    /// wrote it, or it was stored before); otherwise its message and files,
    /// the files already in the attachment store (by hash, so storing them
    /// again after a crash keeps one copy).
    async fn take(
        &self,
        uid: u32,
        raw: &[u8],
        headers_only: bool,
        size: u64,
    ) -> Result<Option<Taken>, ServerError> {
        let desk = Desk {
            address: &self.address,
            domain: &self.settings.domain,
        };
        let mail = Mail::parse(raw, headers_only, desk);
        let from = mail.sender.as_ref().map_or("", |s| s.address.as_str());
        if let Some(reason) = mail.automatic {
            tracing::info!(uid, from, subject = %mail.subject, reason, "email: not a ticket: no person wrote this mail");
            return Ok(None);
        }
        if self.seen_before(&mail.reference).await? {
            tracing::info!(uid, reference = %mail.reference, "email: stored before; marking it seen");
            return Ok(None);
        }
        if headers_only {
            tracing::warn!(uid, from, subject = %mail.subject, size, limit = self.settings.max_mail_bytes, "email: a mail over the size limit; its ticket gets a note instead of its content");
        }
        for problem in &mail.problems {
            tracing::warn!(uid, from, subject = %mail.subject, problem = %problem, "email: a mail could not be read cleanly; stored with a note");
        }
        let body = self.body_of(&mail, headers_only, size);
        let files = self.files_of(&mail, raw, headers_only).await?;
        Ok(Some(Taken {
            uid,
            mail,
            body,
            files,
        }))
    }

    /// Stores the mails of a batch in one transaction, each with its
    /// reference; returns how many were stored (a mail already there, say
    /// twice in one batch, is stored once).
    async fn store(&self, taken: &[Taken]) -> Result<usize, ServerError> {
        if taken.is_empty() {
            return Ok(0);
        }
        let mut tx = self.state.db.writer.begin_with("BEGIN IMMEDIATE").await?;
        let mut stored = 0;
        for one in taken {
            let seen: Option<i64> = sqlx::query_scalar(
                "SELECT message_id FROM channel_refs WHERE channel = 'email' AND ref = ?",
            )
            .bind(&one.mail.reference)
            .fetch_optional(&mut *tx)
            .await?;
            if seen.is_some() {
                continue;
            }
            let (ticket, message) = self
                .write_in(&mut tx, one.uid, &one.mail, &one.body, &one.files)
                .await?;
            sqlx::query(
                "INSERT INTO channel_refs (channel, ref, message_id) VALUES ('email', ?, ?)",
            )
            .bind(&one.mail.reference)
            .bind(message)
            .execute(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO email_inbound (message_id, ticket_number, mail_id, refs) VALUES (?, ?, ?, ?)",
            )
            .bind(message)
            .bind(ticket)
            .bind(&one.mail.mail_id)
            .bind(crate::db::to_json(&one.mail.references))
            .execute(&mut *tx)
            .await?;
            let number = shiftdesk_domain::TicketNumber(ticket);
            let others = one.mail.others.iter().map(String::as_str);
            if let Some(copies) = super::add_copies(&mut tx, number, others).await? {
                // The ticket was saved with the mail: the list goes in after.
                sqlx::query(
                    "UPDATE tickets SET body = json_set(body, '$.email_cc', json(?)) WHERE number = ?",
                )
                .bind(crate::db::to_json(&copies))
                .bind(ticket)
                .execute(&mut *tx)
                .await?;
                crate::db::log_change(&mut tx, "ticket", ticket, Some(ticket), None).await?;
            }
            tracing::debug!(uid = one.uid, ticket, message, "email: stored");
            stored += 1;
        }
        tx.commit().await?;
        Ok(stored)
    }

    async fn seen_before(&self, reference: &str) -> Result<bool, ServerError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT message_id FROM channel_refs WHERE channel = 'email' AND ref = ?",
        )
        .bind(reference)
        .fetch_optional(&self.state.db.readers)
        .await?;
        Ok(found.is_some())
    }

    /// The message text: what the customer wrote now, and notes on what
    /// the gateway could not take in.
    fn body_of(&self, mail: &Mail, headers_only: bool, size: u64) -> String {
        let mut parts = Vec::new();
        if headers_only {
            parts.push(format!(
                "[This mail was too large to take in: {} (the limit is {}). Subject: {}; from: {}. \
                 Ask the customer to send the files another way, such as a link, or in smaller mails.]",
                megabytes(size),
                megabytes(self.settings.max_mail_bytes),
                if mail.subject.is_empty() { "(none)" } else { &mail.subject },
                mail.sender.as_ref().map_or("(no sender)", |s| s.address.as_str()),
            ));
        } else if !mail.body.trim().is_empty() {
            parts.push(mail.body.clone());
        } else if mail.files.is_empty() {
            parts.push("[The mail has no text.]".to_owned());
        } else {
            parts.push("[The mail has no text, only files.]".to_owned());
        }
        if !mail.problems.is_empty() {
            parts.push(format!(
                "[Shiftdesk could not read this mail cleanly: {}. The mail as received is attached as original.eml.]",
                mail.problems.join("; ")
            ));
        }
        let skipped = self.skipped_files(mail);
        if skipped > 0 {
            parts.push(format!(
                "[{skipped} more files are in the attached original.eml: a message carries {MAX_ATTACHMENTS_PER_MESSAGE} files at most.]"
            ));
        }
        let mut body = parts.join("\n\n");
        // Every part is bounded already; this keeps intake from ever
        // refusing a mail, which would hold it unseen for good.
        if body.len() > MAX_MESSAGE_BYTES {
            let mut end = MAX_MESSAGE_BYTES;
            while !body.is_char_boundary(end) {
                end -= 1;
            }
            body.truncate(end);
        }
        body
    }

    /// How many of the mail's files do not fit beside the original and
    /// the HTML part.
    fn skipped_files(&self, mail: &Mail) -> usize {
        let room = MAX_ATTACHMENTS_PER_MESSAGE - 1 - usize::from(mail.html.is_some());
        mail.files.len().saturating_sub(room)
    }

    /// The files to attach: the mail's own, its HTML part as
    /// `message.html`, and the mail as received (`original.eml`) whenever
    /// the message leaves something of it out.
    async fn files_of(
        &self,
        mail: &Mail,
        raw: &[u8],
        headers_only: bool,
    ) -> Result<Vec<FileRef>, ServerError> {
        let mut wanted: Vec<(String, String, &[u8])> = Vec::new();
        let room = MAX_ATTACHMENTS_PER_MESSAGE - 1 - usize::from(mail.html.is_some());
        for part in mail.files.iter().take(room) {
            wanted.push((part.name.clone(), part.media_type.clone(), &part.bytes));
        }
        if let Some(html) = &mail.html {
            wanted.push((
                inbound_html::HTML_PART_NAME.into(),
                inbound_html::HTML_PART_MEDIA_TYPE.into(),
                html.as_bytes(),
            ));
        }
        let keep_original = !headers_only
            && (mail.cut || !mail.problems.is_empty() || self.skipped_files(mail) > 0);
        if keep_original {
            wanted.push(("original.eml".into(), "message/rfc822".into(), raw));
        }
        let mut files = Vec::with_capacity(wanted.len());
        for (name, media_type, bytes) in wanted {
            let content_hash = self.state.db.files.put_bytes(bytes.to_vec()).await?;
            files.push(FileRef {
                content_hash,
                name,
                media_type,
                size_bytes: bytes.len() as u64,
            });
        }
        Ok(files)
    }

    /// The mail's ticket gets it, or a new ticket opens. Returns the
    /// ticket and the new message.
    async fn write_in(
        &self,
        tx: &mut SqliteConnection,
        uid: u32,
        mail: &Mail,
        body: &str,
        files: &[FileRef],
    ) -> Result<(i64, i64), ServerError> {
        let now = now();
        if let Some(ticket) = self.thread_of(tx, uid, mail).await? {
            let number = ticket.number;
            match intake::customer_writes(tx, ticket, Channel::Email, body, files, now).await? {
                Ok((ticket, id)) => return Ok((ticket.number.0, id.0)),
                Err(problem) => {
                    tracing::info!(uid, ticket = number.0, reason = %problem.detail, "email: could not add to the mail's ticket; opening a new one");
                }
            }
        }
        if let Some(sender) = &mail.sender {
            if let Some(ticket) = flooding(tx, &sender.address, now).await? {
                let number = ticket.number;
                // The subject is all that told this mail apart.
                let body = format!("Subject: {}\n\n{body}", mail.subject);
                match intake::customer_writes(tx, ticket, Channel::Email, &body, files, now).await?
                {
                    Ok((ticket, id)) => {
                        tracing::warn!(uid, from = %sender.address, ticket = number.0, "email: the sender opened {NEW_TICKETS_PER_HOUR} tickets within an hour; this mail joins their latest");
                        return Ok((ticket.number.0, id.0));
                    }
                    Err(problem) => {
                        tracing::info!(uid, ticket = number.0, reason = %problem.detail, "email: could not add to the sender's latest ticket; opening a new one");
                    }
                }
            }
        }
        let customer = match &mail.sender {
            Some(sender) => CustomerDetails {
                name: sender.name.clone(),
                email: Some(sender.address.clone()),
                ..CustomerDetails::default()
            },
            None => CustomerDetails {
                name: "Unknown sender (the mail had no From)".into(),
                ..CustomerDetails::default()
            },
        };
        let new = NewTicket {
            customer,
            channel: Channel::Email,
            service: None,
            category: Category::PlatformProblem,
            priority: Priority::Normal,
            plan: None,
            subject: (!mail.subject.trim().is_empty()).then(|| mail.subject.clone()),
            description: body.to_owned(),
            files: files.to_vec(),
        };
        match intake::open_ticket(tx, &self.state.intake, &new, now).await? {
            Ok(ticket) => {
                let message: i64 =
                    sqlx::query_scalar("SELECT max(id) FROM messages WHERE ticket_number = ?")
                        .bind(ticket.number.0)
                        .fetch_one(&mut *tx)
                        .await?;
                tracing::info!(uid, ticket = ticket.number.0, from = %new.customer.email.as_deref().unwrap_or(""), "email: new ticket");
                Ok((ticket.number.0, message))
            }
            Err(problem) => Err(ServerError::Refused(problem.detail)),
        }
    }

    /// The ticket a mail answers: by the Message-IDs it answers (the desk's
    /// own name their ticket; a customer's earlier mail is found by its
    /// reference), else by the ticket tag in its subject. Only when its
    /// sender is on that ticket (the customer or someone on its mails):
    /// a tag or a desk Message-ID can be guessed.
    async fn thread_of(
        &self,
        tx: &mut SqliteConnection,
        uid: u32,
        mail: &Mail,
    ) -> Result<Option<Ticket>, ServerError> {
        let mut candidate = None;
        for id in &mail.parents {
            if let Some(number) = ticket_of_message_id(id, &self.settings.domain) {
                candidate = Some(number);
                break;
            }
            let earlier: Option<i64> = sqlx::query_scalar(
                "SELECT m.ticket_number FROM channel_refs r JOIN messages m ON m.id = r.message_id \
                 WHERE r.channel = 'email' AND r.ref = ?",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(number) = earlier {
                candidate = Some(TicketNumber(number));
                break;
            }
        }
        let Some(number) = candidate.or_else(|| find_ticket_tag(&mail.subject)) else {
            return Ok(None);
        };
        let body: Option<String> = sqlx::query_scalar("SELECT body FROM tickets WHERE number = ?")
            .bind(number.0)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(body) = body else {
            return Ok(None);
        };
        let ticket: Ticket = from_json(&body, "ticket")?;
        let Some(sender) = &mail.sender else {
            return Ok(None);
        };
        let on_ticket: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM customers WHERE id = ? \
                AND lower(json_extract(body, '$.email')) = ?) \
             OR EXISTS (SELECT 1 FROM email_cc WHERE ticket_number = ? AND address = ?)",
        )
        .bind(ticket.customer.0)
        .bind(&sender.address)
        .bind(number.0)
        .bind(&sender.address)
        .fetch_one(&mut *tx)
        .await?;
        if on_ticket {
            Ok(Some(ticket))
        } else {
            tracing::info!(uid, ticket = number.0, from = %sender.address, "email: the mail names a ticket its sender is not on; opening a new one");
            Ok(None)
        }
    }
}

/// The sender's latest open ticket when they opened
/// [`NEW_TICKETS_PER_HOUR`] tickets by mail within the hour before `now`:
/// a mail storm (a script, a loop with another system) then fills one
/// ticket instead of the whole queue.
async fn flooding(
    tx: &mut SqliteConnection,
    address: &str,
    now: Timestamp,
) -> Result<Option<Ticket>, ServerError> {
    let recent: Vec<String> = sqlx::query_scalar(
        "SELECT t.body FROM customers c JOIN tickets t ON t.customer_id = c.id \
         WHERE lower(json_extract(c.body, '$.email')) = lower(?) \
         AND json_extract(t.body, '$.channel') = 'email' \
         AND json_extract(t.body, '$.created_at') > ? ORDER BY t.number DESC",
    )
    .bind(address)
    .bind(now.0 - 60 * 60 * 1000)
    .fetch_all(&mut *tx)
    .await?;
    if recent.len() < NEW_TICKETS_PER_HOUR {
        return Ok(None);
    }
    for body in recent {
        let ticket: Ticket = from_json(&body, "ticket")?;
        if ticket.status != TicketStatus::Closed {
            return Ok(Some(ticket));
        }
    }
    Ok(None)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}
