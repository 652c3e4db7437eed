//! Support agents and their roles.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct AgentId(#[ts(type = "number")] pub i64);

code_enum! {
    /// What a token may see: an agent their own tickets, a lead the team's.
    pub enum Role { Agent => "agent", Lead => "lead" }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Agent {
    pub id: AgentId,
    pub name: String,
    pub team: String,
    pub role: Role,
}
