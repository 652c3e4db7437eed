//! Demo customers: people at firms, each writing in one language, on one
//! support plan, reachable by e-mail and some by Telegram or phone. Each is
//! a function of the seed and its index alone, so a thread can look up its
//! customer without the others being generated.

use rand::Rng;
use shiftdesk_domain::{Customer, CustomerId, Plan};

use crate::content::Lang;
use crate::names::{
    Company, ENVIRONMENTS, EN_COMPANIES, EN_FIRST, EN_LAST, LOGIN_SUFFIXES, PROJECT_BASES,
    ROLE_MAILBOXES, RU_COMPANIES, RU_FEMALE, RU_MALE, RU_SURNAMES,
};
use crate::random::{chance, pick, pick_copied, stream, DemoRng, Purpose};
use crate::DemoConfig;

/// Shares of customers with each trait.
const RUSSIAN: f64 = 0.60;
const PROFESSIONAL: f64 = 0.25;
const HAS_LOGIN: f64 = 0.90;
const HAS_PROJECT: f64 = 0.85;
/// Telegram and phone are each reachable for half the customers; threads
/// use `TELEGRAM_SHARE` and `PHONE_SHARE` to keep channel shares exact.
pub(crate) const TELEGRAM_SHARE: f64 = 0.5;
pub(crate) const PHONE_SHARE: f64 = 0.5;

/// A customer with what the thread generator needs beyond the domain record.
#[derive(Debug)]
pub(crate) struct Profile {
    pub customer: Customer,
    pub lang: Lang,
    pub plan: Plan,
    /// Given name, as replies greet the customer.
    pub first_name: &'static str,
    pub company: &'static Company,
}

pub(crate) fn customers(cfg: DemoConfig) -> impl Iterator<Item = Customer> {
    (0..crate::customer_count(&cfg)).map(move |index| profile(cfg.seed, index).customer)
}

/// The customer at `index` (its id is `index + 1`).
pub(crate) fn profile(seed: u64, index: usize) -> Profile {
    let mut rng = stream(seed, Purpose::Customer, index as u64);
    let lang = if chance(&mut rng, RUSSIAN) {
        Lang::Ru
    } else {
        Lang::En
    };
    let plan = if chance(&mut rng, PROFESSIONAL) {
        Plan::Professional
    } else {
        Plan::Standard
    };
    let person = person(&mut rng, lang);
    let company = pick(
        &mut rng,
        if lang == Lang::Ru {
            RU_COMPANIES
        } else {
            EN_COMPANIES
        },
    );

    let account_login = chance(&mut rng, HAS_LOGIN).then(|| {
        if chance(&mut rng, 0.2) {
            format!("{}{}", company.slug, rng.random_range(1..100))
        } else {
            format!("{}-{}", company.slug, pick(&mut rng, LOGIN_SUFFIXES))
        }
    });
    let project = chance(&mut rng, HAS_PROJECT).then(|| {
        format!(
            "{}-{}",
            pick(&mut rng, PROJECT_BASES),
            pick(&mut rng, ENVIRONMENTS)
        )
    });
    let mailbox = if chance(&mut rng, 0.8) {
        person.mailbox
    } else {
        pick_copied(&mut rng, ROLE_MAILBOXES).to_owned()
    };
    let email = Some(format!("{mailbox}@{}", company.domain));
    let telegram_chat =
        chance(&mut rng, TELEGRAM_SHARE).then(|| rng.random_range(100_000_000..7_999_999_999));
    let phone = chance(&mut rng, PHONE_SHARE).then(|| phone_number(&mut rng, lang));

    Profile {
        customer: Customer {
            id: CustomerId(index as i64 + 1),
            name: person.name,
            account_login,
            project,
            email,
            telegram_chat,
            phone,
        },
        lang,
        plan,
        first_name: person.first_name,
        company,
    }
}

struct Person {
    name: String,
    first_name: &'static str,
    /// The personal part of their e-mail address.
    mailbox: String,
}

fn person(rng: &mut DemoRng, lang: Lang) -> Person {
    match lang {
        Lang::Ru => {
            let female = chance(rng, 0.5);
            let (first, first_latin) = pick_copied(rng, if female { RU_FEMALE } else { RU_MALE });
            let (last, last_latin) = pick_copied(rng, RU_SURNAMES);
            let (last, last_latin) = if female {
                (format!("{last}а"), format!("{last_latin}a"))
            } else {
                (last.to_owned(), last_latin.to_owned())
            };
            let mailbox = if chance(rng, 0.5) {
                format!("{first_latin}.{last_latin}")
            } else {
                format!("{}.{last_latin}", &first_latin[..1])
            };
            Person {
                name: format!("{first} {last}"),
                first_name: first,
                mailbox,
            }
        }
        Lang::En => {
            let first = pick_copied(rng, EN_FIRST);
            let last = pick_copied(rng, EN_LAST);
            let mailbox = format!("{first}.{last}").to_lowercase();
            Person {
                name: format!("{first} {last}"),
                first_name: first,
                mailbox,
            }
        }
    }
}

fn phone_number(rng: &mut DemoRng, lang: Lang) -> String {
    let mut digits = |n: u32| rng.random_range(10_u32.pow(n - 1)..10_u32.pow(n));
    match lang {
        Lang::Ru => format!(
            "+7 9{:02} {:03}-{:02}-{:02}",
            digits(2),
            digits(3),
            digits(2),
            digits(2)
        ),
        Lang::En => match digits(1) % 5 {
            0 => format!("+44 7700 9{:05}", digits(5)),
            1 => format!("+49 151 {:08}", digits(8)),
            2 => format!("+1 415 555 {:04}", digits(4)),
            3 => format!("+374 91 {:06}", digits(6)),
            _ => format!("+7 701 {:03} {:04}", digits(3), digits(4)),
        },
    }
}
