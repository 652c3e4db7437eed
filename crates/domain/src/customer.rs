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

/// A phone number as a caller's line gives it: an optional `+`, then 5 to
/// 20 digits, which may be grouped with spaces, dashes and parentheses.
/// Two numbers are the same when their digits are: `+7 (912) 345-67-89`
/// is `+79123456789`. National prefixes (a Russian `8` for `+7`) are not
/// rewritten, because telephony reports numbers in international form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    shown: String,
    digits: String,
}

/// Text that is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "a phone number is `+` and {min} to {max} digits, grouped with spaces, dashes or parentheses",
    min = PhoneNumber::MIN_DIGITS,
    max = PhoneNumber::MAX_DIGITS
)]
pub struct InvalidPhoneNumber;

impl PhoneNumber {
    pub const MIN_DIGITS: usize = 5;
    pub const MAX_DIGITS: usize = 20;
    /// Room for the digits and their grouping, no more.
    const MAX_CHARS: usize = 40;

    pub fn parse(text: &str) -> Result<Self, InvalidPhoneNumber> {
        let shown = text.trim();
        let rest = shown.strip_prefix('+').unwrap_or(shown);
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')');
        if shown.len() > Self::MAX_CHARS || !rest.chars().all(allowed) {
            return Err(InvalidPhoneNumber);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        if !(Self::MIN_DIGITS..=Self::MAX_DIGITS).contains(&digits.len()) {
            return Err(InvalidPhoneNumber);
        }
        Ok(Self {
            shown: shown.to_owned(),
            digits,
        })
    }

    /// The digits alone, which identify the number.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// `+` and the digits: how the desk stores a number it learned.
    pub fn international(&self) -> String {
        format!("+{}", self.digits)
    }

    /// As the caller's line gave it, for people to read.
    pub fn shown(&self) -> &str {
        &self.shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_the_same_by_their_digits() {
        let a = PhoneNumber::parse(" +7 (912) 345-67-89 ").unwrap();
        let b = PhoneNumber::parse("+79123456789").unwrap();
        assert_eq!(a.digits(), b.digits());
        assert_eq!(a.international(), "+79123456789");
        assert_eq!(a.shown(), "+7 (912) 345-67-89");
        assert_eq!(PhoneNumber::parse("12345").unwrap().digits(), "12345");
    }

    #[test]
    fn anything_but_grouped_digits_is_refused() {
        for bad in [
            "",
            "+",
            "1234",
            "+123456789012345678901",
            "+7 912 345 67 89 ext 2",
            "++79123456789",
            "+7\n9123456789",
            "+7\u{0}9123456789",
            "٧٩١٢٣٤٥٦٧٨٩",
            "+7 912.345.67.89",
            "+7 912 345 67 89'; DROP TABLE customers;--",
            &format!("+7{}", " ".repeat(60)),
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(InvalidPhoneNumber), "{bad:?}");
        }
    }
}
