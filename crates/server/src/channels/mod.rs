//! The channels behind the desk: gateways that bring customers' Telegram
//! messages, mails and calls in through intake, and take agents' replies
//! out, keeping each reply's delivery state.

pub mod delivery;
pub mod email;
pub mod phone;
pub mod telegram;
