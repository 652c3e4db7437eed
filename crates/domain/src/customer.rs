//! Customers of the cloud provider and the ways to reach them.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct CustomerId(#[ts(type = "number")] pub i64);

/// A customer as support knows them. Login and project are what support asks
/// for first; either may still be unknown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer {
    pub id: CustomerId,
    pub name: String,
    pub account_login: Option<String>,
    pub project: Option<String>,
    pub email: Option<String>,
    #[ts(type = "number | null")]
    pub telegram_chat: Option<i64>,
    pub phone: Option<String>,
}
