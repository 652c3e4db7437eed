//! The intake check: what support asks every customer for (account login,
//! project name, diagnostics) and which of it a ticket still lacks.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Category, Customer};

code_enum! {
    /// One piece of intake information support asks for.
    pub enum IntakeItem {
        AccountLogin => "account_login",
        ProjectName => "project_name",
        /// Screenshots or logs attached by the customer.
        Diagnostics => "diagnostics",
    }
}

/// What a ticket still lacks, in the order support asks for it. Empty when
/// nothing is missing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MissingIntake {
    pub items: Vec<IntakeItem>,
}

impl MissingIntake {
    /// Checks a ticket of `category` from `customer`, where
    /// `customer_attached_files` tells whether any customer message carries
    /// an attachment. Diagnostics are asked for only where the category
    /// needs them (a billing question needs no logs).
    pub fn check(customer: &Customer, category: Category, customer_attached_files: bool) -> Self {
        let blank = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
        let mut items = Vec::new();
        if blank(&customer.account_login) {
            items.push(IntakeItem::AccountLogin);
        }
        if blank(&customer.project) {
            items.push(IntakeItem::ProjectName);
        }
        if category.needs_diagnostics() && !customer_attached_files {
            items.push(IntakeItem::Diagnostics);
        }
        Self { items }
    }

    pub fn is_complete(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CustomerId;
    use rstest::rstest;

    fn customer(login: Option<&str>, project: Option<&str>) -> Customer {
        Customer {
            id: CustomerId(1),
            name: "Анна Петрова".into(),
            account_login: login.map(Into::into),
            project: project.map(Into::into),
            email: None,
            telegram_chat: None,
            phone: None,
        }
    }

    #[rstest]
    #[case(Some("anna"), Some("shop-prod"), Category::Billing, false, &[])]
    #[case(Some("anna"), Some("shop-prod"), Category::PlatformProblem, true, &[])]
    #[case(Some("anna"), Some("shop-prod"), Category::PlatformProblem, false, &[IntakeItem::Diagnostics])]
    #[case(None, Some("shop-prod"), Category::Billing, false, &[IntakeItem::AccountLogin])]
    #[case(Some("  "), None, Category::AccessRecovery, false, &[IntakeItem::AccountLogin, IntakeItem::ProjectName])]
    #[case(None, None, Category::ResourceDiagnostics, false, &[IntakeItem::AccountLogin, IntakeItem::ProjectName, IntakeItem::Diagnostics])]
    fn reports_what_is_missing(
        #[case] login: Option<&str>,
        #[case] project: Option<&str>,
        #[case] category: Category,
        #[case] attached: bool,
        #[case] expected: &[IntakeItem],
    ) {
        let missing = MissingIntake::check(&customer(login, project), category, attached);
        assert_eq!(missing.items, expected);
        assert_eq!(missing.is_complete(), expected.is_empty());
    }
}
