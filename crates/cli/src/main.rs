//! `shiftdesk`: the command line. The same engine, cache and outbox as the
//! desktop app (`shiftdesk-desktop`), for scripts, for machines with no
//! desktop, and for an agent on a flaky connection. Replies are queued
//! offline and delivered by `sync`. Exit codes are stable: see [`Exit`].

// The command line talks to a person, or a script, on standard output.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod data_folder;
mod error;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::error::{CliError, Exit};

#[derive(Debug, Parser)]
#[command(
    name = "shiftdesk",
    version,
    about = "Shiftdesk on the command line: the same cache and outbox as the app \
             (the window is `shiftdesk-desktop`)",
    after_help = Exit::HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Login(commands::login::Args),
    Sync(commands::sync::Args),
    Queue(commands::queue::Args),
    Show(commands::show::Args),
    Reply(commands::reply::Args),
    Call(commands::call::Args),
    Retry(commands::retry::Args),
    Set(commands::set::Args),
    Outbox(commands::outbox::Args),
    Status(commands::status::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("shiftdesk: {e}");
            return ExitCode::from(Exit::Failed as u8);
        }
    };
    let mut out = std::io::stdout().lock();
    match runtime.block_on(run(cli.command, &mut out)) {
        Ok(()) => ExitCode::from(Exit::Done as u8),
        Err(e) => {
            eprintln!("shiftdesk: {e}");
            ExitCode::from(e.exit() as u8)
        }
    }
}

async fn run(command: Command, out: &mut impl std::io::Write) -> Result<(), CliError> {
    let dir = data_folder::data_dir()?;
    match command {
        Command::Login(args) => commands::login::run(args, &dir, out).await,
        Command::Sync(args) => commands::sync::run(args, &dir, out).await,
        Command::Queue(args) => commands::queue::run(args, &dir, out).await,
        Command::Show(args) => commands::show::run(args, &dir, out).await,
        Command::Reply(args) => commands::reply::run(args, &dir, out).await,
        Command::Call(args) => commands::call::run(args, &dir, out).await,
        Command::Retry(args) => commands::retry::run(args, &dir, out).await,
        Command::Set(args) => commands::set::run(args, &dir, out).await,
        Command::Outbox(args) => commands::outbox::run(args, &dir, out).await,
        Command::Status(args) => commands::status::run(args, &dir, out).await,
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
