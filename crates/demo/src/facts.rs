//! A ticket's variable parts (instance ids, addresses, invoices, errors,
//! times...) drawn once per ticket, and the `{key}` template filler that
//! puts them into every message of its conversation.

use rand::Rng;
use shiftdesk_domain::{AgentId, Priority, TicketNumber, Timestamp};

use crate::content::{
    Lang, ServiceInfo, BUCKET_PURPOSES, DB_NAMES, ETAS, FUNCTIONS, K8S_VERSIONS, KAFKA_TOPICS,
    MONTHS, PORTS, PRIORITY_NAMES, PUBLIC_PREFIXES, REGIONS, SERVICE_ACCOUNT_ROLES, SUBDOMAINS,
};
use crate::customers::Profile;
use crate::names::ENVIRONMENTS;
use crate::random::{chance, hex_id, pick, pick_copied, DemoRng};
use crate::reference::agent_name;

pub(crate) const MINUTE_MS: i64 = 60_000;
pub(crate) const HOUR_MS: i64 = 60 * MINUTE_MS;
pub(crate) const DAY_MS: i64 = 24 * HOUR_MS;
/// Moscow keeps UTC+3 all year.
pub(crate) const MOSCOW_OFFSET_MS: i64 = 3 * HOUR_MS;

/// What a ticket is about, beyond the facts below.
#[derive(Debug)]
pub(crate) struct Subject<'a> {
    pub number: TicketNumber,
    pub created_at: Timestamp,
    pub profile: &'a Profile,
    pub service: &'static ServiceInfo,
    pub priority: Priority,
    pub assignee: Option<AgentId>,
    /// What support declines, for out-of-scope tickets.
    pub out_of_scope_task: &'static str,
}

/// Every value a template may name, in the ticket's language.
#[derive(Debug)]
pub(crate) struct Facts {
    ticket: String,
    first: &'static str,
    company: &'static str,
    login: String,
    email: String,
    service: &'static str,
    res: String,
    vm: String,
    vm2: String,
    gpu: String,
    ip: String,
    ip_private: String,
    subnet: String,
    zone: String,
    region: &'static str,
    region2: &'static str,
    cluster: String,
    nodes: String,
    k8s: &'static str,
    db: String,
    db_size: String,
    kafka: String,
    topic: &'static str,
    function: &'static str,
    bucket: String,
    vpc: String,
    lb: String,
    sa: String,
    domain: String,
    invoice: String,
    amount: String,
    month: &'static str,
    date: String,
    error: &'static str,
    api: &'static str,
    req: String,
    time: String,
    disk: String,
    disk_id: String,
    vcpu: u32,
    pct: u32,
    lag: u32,
    rps: String,
    count: u32,
    port: &'static str,
    eta: &'static str,
    jira: String,
    host: String,
    inc: String,
    oos: &'static str,
    assignee: &'static str,
    priority: &'static str,
}

impl Facts {
    pub(crate) fn draw(rng: &mut DemoRng, lang: Lang, subject: &Subject<'_>) -> Facts {
        let profile = subject.profile;
        let customer = &profile.customer;
        let slug = profile.company.slug;
        let email = customer.email.clone().unwrap_or_default();
        let region = pick_copied(rng, REGIONS);
        let region2 = loop {
            let other = pick_copied(rng, REGIONS);
            if other != region {
                break other;
            }
        };
        let zone = format!("{region}-{}", pick(rng, &['a', 'b', 'c']));
        let (octet2, octet3) = (rng.random_range(0..=255_u32), rng.random_range(0..=255_u32));
        let env = pick_copied(rng, ENVIRONMENTS);
        // The incident the customer reports began a little before they wrote.
        let incident_at = subject.created_at.millis() - rng.random_range(5..360) * MINUTE_MS;
        let created_day = civil_day(subject.created_at.millis());
        let (year, month, _) = created_day;
        let previous_month = if month == 1 { 12 } else { month - 1 };
        let invoice_year = if month == 1 { year - 1 } else { year };
        let thousands = rng.random_range(1..500_u32);
        let units = rng.random_range(0..1000_u32);
        let kopecks = rng.random_range(0..100_u32);
        let gb = pick_copied(rng, &[20_u32, 40, 50, 100, 200, 500, 1000, 2000]);
        let db_gb = pick_copied(rng, &[40_u32, 80, 120, 250, 400, 750, 1200]);
        let rps = rng.random_range(3..200_u32) * 100;
        let nodes_total = rng.random_range(3..=24_u32);
        let nodes_down = rng.random_range(1..=nodes_total.min(5));
        let domain = if chance(rng, 0.5) {
            profile.company.domain.to_owned()
        } else {
            format!("{}.{}", pick(rng, SUBDOMAINS), profile.company.domain)
        };

        let mut facts = Facts {
            ticket: subject.number.to_string(),
            first: profile.first_name,
            company: profile.company.name,
            login: customer
                .account_login
                .clone()
                .unwrap_or_else(|| email.clone()),
            email,
            service: subject.service.name,
            res: String::new(),
            vm: format!("vm-{}", hex_id(rng, 6)),
            vm2: format!("vm-{}", hex_id(rng, 6)),
            gpu: format!("gpu-{}", hex_id(rng, 6)),
            ip: format!(
                "{}.{}.{}",
                pick(rng, PUBLIC_PREFIXES),
                rng.random_range(0..=255),
                rng.random_range(1..=254)
            ),
            ip_private: format!("10.{octet2}.{octet3}.{}", rng.random_range(2..=254)),
            subnet: format!("10.{octet2}.{octet3}.0/24"),
            zone,
            region,
            region2,
            cluster: format!("{slug}-{env}-k8s{}", rng.random_range(1..10)),
            nodes: match lang {
                Lang::Ru => format!("{nodes_down} из {nodes_total}"),
                Lang::En => format!("{nodes_down} of {nodes_total}"),
            },
            k8s: pick_copied(rng, K8S_VERSIONS),
            db: format!(
                "{slug}-{}-db{}",
                pick(rng, DB_NAMES),
                rng.random_range(1..10)
            ),
            db_size: size(lang, db_gb),
            kafka: format!("{slug}-kafka{}", rng.random_range(1..10)),
            topic: pick_copied(rng, KAFKA_TOPICS),
            function: pick_copied(rng, FUNCTIONS),
            bucket: format!(
                "{slug}-{}-{}",
                pick(rng, BUCKET_PURPOSES),
                rng.random_range(1..100)
            ),
            vpc: format!("net-{}", hex_id(rng, 6)),
            lb: format!("lb-{}", hex_id(rng, 6)),
            sa: format!("sa-{slug}-{}", pick(rng, SERVICE_ACCOUNT_ROLES)),
            domain,
            invoice: format!(
                "INV-{invoice_year}{previous_month:02}-{:06}",
                rng.random_range(1..1_000_000)
            ),
            amount: match lang {
                Lang::Ru => format!("{thousands} {units:03},{kopecks:02} ₽"),
                Lang::En => format!("{thousands},{units:03}.{kopecks:02} RUB"),
            },
            month: MONTHS[usize::from(previous_month) - 1].get(lang),
            date: format!("{year}-{month:02}-{:02}", created_day.2),
            error: pick_copied(rng, subject.service.errors),
            api: subject.service.api,
            req: uuid(rng),
            time: clock(incident_at),
            disk: size(lang, gb),
            disk_id: format!("disk-{}", hex_id(rng, 6)),
            vcpu: pick_copied(rng, &[2, 4, 8, 16, 32]),
            pct: rng.random_range(20..60),
            lag: rng.random_range(30..900),
            rps: rps.to_string(),
            count: rng.random_range(6..30),
            port: pick_copied(rng, PORTS),
            eta: ETAS[rng.random_range(0..ETAS.len())].get(lang),
            jira: format!("CLOUD-{}", rng.random_range(10_000..99_999)),
            host: format!(
                "cmp-{}-r{}-{:02}",
                region.trim_start_matches("ru-").replace('-', ""),
                rng.random_range(1..40),
                rng.random_range(1..48)
            ),
            inc: format!("INC-{}", rng.random_range(1000..9999)),
            oos: subject.out_of_scope_task,
            assignee: subject.assignee.map_or("", |id| agent_name(id, lang)),
            priority: PRIORITY_NAMES[priority_index(subject.priority)].get(lang),
        };
        facts.res = facts.render(subject.service.resource.get(lang));
        facts
    }

    /// `template` with every `{key}` replaced by this ticket's value. An
    /// unknown key stays as written (the tests look for any left over).
    pub(crate) fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 64);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after.find('}');
            match close.and_then(|close| self.value(&after[..close]).map(|v| (close, v))) {
                Some((close, value)) => {
                    value.write(&mut out);
                    rest = &after[close + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    fn value(&self, key: &str) -> Option<Value<'_>> {
        use Value::{Num, Text};
        Some(match key {
            "ticket" => Text(&self.ticket),
            "first" => Text(self.first),
            "company" => Text(self.company),
            "login" => Text(&self.login),
            "email" => Text(&self.email),
            "service" => Text(self.service),
            "res" => Text(&self.res),
            "vm" => Text(&self.vm),
            "vm2" => Text(&self.vm2),
            "gpu" => Text(&self.gpu),
            "ip" => Text(&self.ip),
            "ip_private" => Text(&self.ip_private),
            "subnet" => Text(&self.subnet),
            "zone" => Text(&self.zone),
            "region" => Text(self.region),
            "region2" => Text(self.region2),
            "cluster" => Text(&self.cluster),
            "nodes" => Text(&self.nodes),
            "k8s" => Text(self.k8s),
            "db" => Text(&self.db),
            "db_size" => Text(&self.db_size),
            "kafka" => Text(&self.kafka),
            "topic" => Text(self.topic),
            "function" => Text(self.function),
            "bucket" => Text(&self.bucket),
            "vpc" => Text(&self.vpc),
            "lb" => Text(&self.lb),
            "sa" => Text(&self.sa),
            "domain" => Text(&self.domain),
            "invoice" => Text(&self.invoice),
            "amount" => Text(&self.amount),
            "month" => Text(self.month),
            "date" => Text(&self.date),
            "error" => Text(self.error),
            "api" => Text(self.api),
            "req" => Text(&self.req),
            "time" => Text(&self.time),
            "disk" => Text(&self.disk),
            "disk_id" => Text(&self.disk_id),
            "vcpu" => Num(self.vcpu),
            "pct" => Num(self.pct),
            "lag" => Num(self.lag),
            "rps" => Text(&self.rps),
            "count" => Num(self.count),
            "port" => Text(self.port),
            "eta" => Text(self.eta),
            "jira" => Text(&self.jira),
            "host" => Text(&self.host),
            "inc" => Text(&self.inc),
            "oos" => Text(self.oos),
            "assignee" => Text(self.assignee),
            "priority" => Text(self.priority),
            _ => return None,
        })
    }
}

enum Value<'a> {
    Text(&'a str),
    Num(u32),
}

impl Value<'_> {
    fn write(&self, out: &mut String) {
        match self {
            Value::Text(text) => out.push_str(text),
            Value::Num(n) => out.push_str(&n.to_string()),
        }
    }
}

const fn priority_index(priority: Priority) -> usize {
    match priority {
        Priority::Urgent => 0,
        Priority::High => 1,
        Priority::Normal => 2,
        Priority::Low => 3,
    }
}

fn size(lang: Lang, gb: u32) -> String {
    match lang {
        Lang::Ru => format!("{gb} ГБ"),
        Lang::En => format!("{gb} GB"),
    }
}

/// A random version-4 UUID, as request ids look.
fn uuid(rng: &mut DemoRng) -> String {
    let bits: u128 = rng.random();
    format!(
        "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
        bits >> 96,
        (bits >> 80) & 0xffff,
        (bits >> 68) & 0xfff,
        0x8000 | ((bits >> 48) & 0x3fff),
        bits & 0xffff_ffff_ffff
    )
}

/// Moscow wall-clock time of an instant, "HH:MM".
pub(crate) fn clock(ms: i64) -> String {
    let minutes = (ms + MOSCOW_OFFSET_MS).rem_euclid(DAY_MS) / MINUTE_MS;
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The Moscow calendar date of an instant as (year, month, day).
pub(crate) fn civil_day(ms: i64) -> (i32, u8, u8) {
    // Howard Hinnant's days-to-civil algorithm.
    let days = (ms + MOSCOW_OFFSET_MS).div_euclid(DAY_MS) + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year as i32, month as u8, day as u8)
}
