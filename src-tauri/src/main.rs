// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// `shiftdesk` opens the window; `shiftdesk <command>` is the command line.
fn main() -> std::process::ExitCode {
    let first = std::env::args().nth(1);
    if first.is_some_and(|arg| shiftdesk_cli::COMMANDS.contains(&arg.as_str())) {
        return shiftdesk_cli::main();
    }
    shiftdesk_shell::run();
    std::process::ExitCode::SUCCESS
}
