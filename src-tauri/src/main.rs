// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// `shiftdesk-desktop` opens the window; the command line is `shiftdesk`.
fn main() {
    shiftdesk_shell::run();
}
