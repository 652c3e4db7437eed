//! The SLA alert ledger (which alerts were already raised) and the agent's
//! preferences kept on this machine.

use std::collections::HashSet;

use serde::{de::DeserializeOwned, Serialize};
use shiftdesk_domain::{SlaAlert, TicketNumber, Timestamp};
use sqlx::QueryBuilder;

use crate::{Store, StoreError};

/// SQLite allows 32766 bound values a statement; five a row.
const ROWS_PER_INSERT: usize = 1000;

impl Store {
    /// Records `alerts` as raised at `now` and returns those that were not
    /// raised before, in the order given. One transaction: a crash records
    /// all or none, so an alert is never lost between "recorded" and "shown"
    /// by more than the caller's own failure to show it.
    pub async fn record_alerts(
        &self,
        alerts: &[(TicketNumber, SlaAlert)],
        now: Timestamp,
    ) -> Result<Vec<(TicketNumber, SlaAlert)>, StoreError> {
        let mut fresh = Vec::new();
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        for chunk in alerts.chunks(ROWS_PER_INSERT) {
            let mut insert =
                QueryBuilder::new("WITH raised (ticket, metric, level, started, at) AS (");
            insert.push_values(chunk, |mut row, (ticket, alert)| {
                row.push_bind(ticket.0)
                    .push_bind(alert.metric.code())
                    .push_bind(alert.level.code())
                    .push_bind(alert.clock_started_at.0)
                    .push_bind(now.0);
            });
            // A ticket evicted meanwhile has no row to hang the alert on,
            // and nobody to show it to.
            insert.push(
                ") INSERT INTO sla_alerts (ticket_number, metric, level, clock_started_at, raised_at) \
                 SELECT ticket, metric, level, started, at FROM raised \
                 WHERE EXISTS (SELECT 1 FROM tickets WHERE number = raised.ticket) \
                 ON CONFLICT DO NOTHING \
                 RETURNING ticket_number, metric, level, clock_started_at",
            );
            let inserted: HashSet<(i64, String, String, i64)> = insert
                .build_query_as()
                .fetch_all(&mut *tx)
                .await?
                .into_iter()
                .collect();
            fresh.extend(chunk.iter().filter(|(ticket, alert)| {
                inserted.contains(&(
                    ticket.0,
                    alert.metric.code().to_owned(),
                    alert.level.code().to_owned(),
                    alert.clock_started_at.0,
                ))
            }));
        }
        tx.commit().await?;
        Ok(fresh)
    }

    /// A preference, or `None` when it was never set. A stored value this
    /// build cannot read is an error, not silently the default.
    pub async fn preference<T: DeserializeOwned>(
        &self,
        key: &'static str,
    ) -> Result<Option<T>, StoreError> {
        let value: Option<String> =
            sqlx::query_scalar("SELECT value FROM preferences WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.readers)
                .await?;
        value
            .map(|v| {
                serde_json::from_str(&v).map_err(|_| StoreError::BadRow {
                    column: key,
                    value: v,
                })
            })
            .transpose()
    }

    pub async fn set_preference<T: Serialize>(
        &self,
        key: &'static str,
        value: &T,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(value).map_err(|e| StoreError::BadRow {
            column: key,
            value: e.to_string(),
        })?;
        let mut tx = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        sqlx::query(
            "INSERT INTO preferences (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(json)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
