//! `shiftdesk queue`: a view of the cache in SLA order, a ticket a line.

use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use shiftdesk_store::{QueueRequest, QueueView};

use super::{line, open_store};
use crate::error::CliError;

/// The queue in SLA order: number, status, priority, channel, customer,
/// subject, tab-separated. The number is what `show`, `reply` and `set`
/// take.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(long, value_enum, default_value_t = View::Mine)]
    view: View,
    #[arg(long, default_value_t = 20)]
    limit: u32,
}

/// The queue's views by the names an agent uses for them.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum View {
    /// Assigned to me and needing work.
    Mine,
    /// Mine, with an SLA clock due within the hour or overdue.
    Breaching,
    /// Mine, waiting on the customer.
    Waiting,
    /// Everything cached: a lead's team, an agent's own.
    #[value(alias = "team")]
    All,
}

pub async fn run(args: Args, dir: &Path, out: &mut impl Write) -> Result<(), CliError> {
    let (_, store) = open_store(dir).await?;
    let view = match args.view {
        View::Mine => QueueView::MineOpen,
        View::Breaching => QueueView::BreachingSoon,
        View::Waiting => QueueView::WaitingOnCustomer,
        View::All => QueueView::Team,
    };
    let request = QueueRequest {
        view,
        after: None,
        limit: args.limit,
        filter: None,
    };
    let page = store.queue_page(&request, shiftdesk_engine::now()).await?;
    for row in page.rows {
        line(
            out,
            format_args!(
                "{}\t{}\t{}\t{}\t{}\t{}",
                row.number, row.status, row.priority, row.channel, row.customer_name, row.subject
            ),
        );
    }
    Ok(())
}
