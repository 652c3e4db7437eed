//! The ticket generator: one thread at a time, in ticket-number order, from
//! a single seeded stream. It decides a ticket's facts (customer, category,
//! service, status...), plays out a conversation that fits its status (with
//! the status changes along it), fits the messages between the ticket's
//! creation and `now`, and computes the SLA due time from the policy table.

use std::collections::HashMap;

use rand::Rng;
use shiftdesk_domain::sla::{evaluate, CompiledPolicy};
use shiftdesk_domain::{
    AgentId, Attachment, AttachmentId, Author, CallDirection, CallOutcome, CallRecord, Category,
    Channel, DeliveryState, IntakeItem, Message, MessageId, MessageKind, MissingIntake, Plan,
    Priority, Service, ServiceStage, SlaFacts, SlaPolicy, SlaTargets, StatusChange, Thread, Ticket,
    TicketNumber, TicketStatus, Timestamp,
};

use crate::attachments::{attachment, LOG_TYPE, PNG_TYPE};
use crate::content::{self, Bi, Lang, Script, ServiceInfo, Topic, SERVICES};
use crate::customers::{profile, Profile, PHONE_SHARE, TELEGRAM_SHARE};
use crate::facts::{Facts, Subject, DAY_MS, HOUR_MS, MINUTE_MS, MOSCOW_OFFSET_MS};
use crate::random::{chance, exp_ms, pick, pick_copied, stream, weighted, DemoRng, Purpose};
use crate::reference::{agent_name, sla_policies, LEAD, ME, TEAM, TEAM_SIZE};
use crate::DemoConfig;

/// Ticket numbers start here, as if the desk had been running a while.
const FIRST_TICKET: i64 = 10_001;
/// Tickets were created over the three weeks before `now`.
const WINDOW_MS: i64 = 21 * DAY_MS;
/// Arrivals thin out into the past, so the last few days, which the queue
/// screen is about, hold a good share of the desk (about 40% in the last
/// three): the density falls by a factor of e every this long...
const ARRIVAL_DECAY_MS: f64 = 3.5 * DAY_MS as f64;
/// ...down to this steady trickle, relative to the density now.
const ARRIVAL_FLOOR: f64 = 0.05;
/// The newest ticket is at least this old, leaving room for its messages.
const NEWEST_AGE_MS: i64 = 2 * MINUTE_MS;
/// The shortest time between two messages of a conversation.
const MIN_GAP_MS: i64 = 1000;

const PRIORITIES: &[(Priority, u32)] = &[
    (Priority::Urgent, 8),
    (Priority::High, 22),
    (Priority::Normal, 50),
    (Priority::Low, 20),
];

const CATEGORIES: &[(Category, u32)] = &[
    (Category::ArchitectureConsulting, 10),
    (Category::ResourceDiagnostics, 25),
    (Category::AccessRecovery, 10),
    (Category::Billing, 15),
    (Category::PlatformProblem, 15),
    (Category::ServiceSetup, 15),
    (Category::OutOfScope, 10),
];

/// Shares of tickets per channel.
const PORTAL: f64 = 0.35;
const EMAIL: f64 = 0.30;
const TELEGRAM: f64 = 0.25;
const PHONE: f64 = 0.10;

/// Shares of customer messages with files, and of new tickets unassigned
/// (only new ones are).
const ATTACHING: f64 = 0.08;
const UNASSIGNED_NEW: f64 = 1.0 / 3.0;
/// Shares of assigned tickets that are [`ME`]'s: of the open ones (new,
/// open, reopened), and of the rest. The console's owner carries much of
/// the open work, so "my open" queue is well filled; overall about 40% of
/// tickets are theirs.
const MINE_OPEN: f64 = 0.65;
const MINE_SETTLED: f64 = 0.33;

/// The threads of a demo desk, generated on demand.
#[derive(Debug)]
pub(crate) struct ThreadGen {
    cfg: DemoConfig,
    rng: DemoRng,
    arrivals: Arrivals,
    policies: Vec<SlaPolicy>,
    /// The policies ready to evaluate, by id.
    compiled: HashMap<i64, CompiledPolicy>,
    customer_count: usize,
    index: usize,
    next_message: i64,
    next_attachment: i64,
}

impl ThreadGen {
    pub(crate) fn new(cfg: DemoConfig) -> Self {
        let policies = sla_policies();
        let compiled = policies
            .iter()
            .map(|p| (p.id, p.compile().expect("the demo calendars are valid")))
            .collect();
        ThreadGen {
            cfg,
            rng: stream(cfg.seed, Purpose::Threads, 0),
            arrivals: Arrivals::new(cfg.now),
            policies,
            compiled,
            customer_count: crate::customer_count(&cfg),
            index: 0,
            next_message: 1,
            next_attachment: 1,
        }
    }

    fn generate(&mut self) -> Thread {
        let number = TicketNumber(FIRST_TICKET + self.index as i64);
        let now = self.cfg.now.millis();
        let created_at = self
            .arrivals
            .at(&mut self.rng, self.index, self.cfg.tickets);
        let rng = &mut self.rng;
        let profile = profile(self.cfg.seed, rng.random_range(0..self.customer_count));
        let lang = profile.lang;
        let category = weighted(rng, CATEGORIES);
        let service = service_for(rng, category);
        let priority = weighted(rng, PRIORITIES);
        let policy = SlaPolicy::find(&self.policies, profile.plan, priority)
            .expect("the demo policies cover every plan and priority");
        let (policy_id, targets) = (policy.id, policy.targets);
        let status = status_for(rng, now - created_at.millis(), targets);
        let channel = channel_for(rng, &profile);
        let assignee = assignee_for(rng, status);
        let opening = opening_for(rng, category, service);
        let facts = Facts::draw(
            rng,
            lang,
            &Subject {
                number,
                created_at,
                profile: &profile,
                service,
                priority,
                assignee,
                out_of_scope_task: opening.declined_task.map_or("", |task| task.get(lang)),
            },
        );

        let mut scene = Scene {
            rng,
            facts: &facts,
            lang,
            profile: &profile,
            category,
            script: content::script(category),
            service,
            channel,
            assignee,
            targets,
            age: now - created_at.millis(),
            drafts: Vec::new(),
            responded: false,
            customer_files: false,
            said: Vec::new(),
        };
        let mut opening_text = facts.render(opening.topic.body.get(lang));
        if opening.suspects_platform {
            opening_text = format!(
                "{opening_text}\n\n{}",
                content::PLATFORM_SUSPICION.get(lang)
            );
        }
        let ending = scene.converse(status, opening_text);
        let drafts = scene.drafts;

        // A conversation still going on runs up to a little before now,
        // one where the customer waits for an answer mostly to within its
        // next-response target; others end where their pace takes them.
        let times = match status {
            TicketStatus::Open | TicketStatus::Reopened => {
                let waiting = (status == TicketStatus::Reopened
                    || ending == OpenEnding::CustomerWaits)
                    .then_some(targets.next_response_min);
                let end = idle_end(&mut self.rng, created_at.millis(), now, waiting);
                schedule(&drafts, created_at.millis(), end, true)
            }
            _ => schedule(&drafts, created_at.millis(), now, false),
        };

        let status_log: Vec<StatusChange> = drafts
            .iter()
            .zip(&times)
            .filter_map(|(draft, &at)| {
                draft.moves_to.map(|status| StatusChange {
                    at: Timestamp(at),
                    status,
                })
            })
            .collect();
        let (messages, attachments) = self.number(number, drafts, times);

        let stage = service.stage;
        let updated_at = messages.last().map_or(created_at, |m| m.created_at);
        // The server bumps the version on every change support makes.
        let version = 1 + messages
            .iter()
            .filter(|m| !m.kind.is_from_customer())
            .count() as i64;
        let tags = tags(&mut self.rng);
        let mut thread = Thread {
            ticket: Ticket {
                number,
                subject: facts.render(opening.topic.subject.get(lang)),
                status,
                priority,
                category,
                plan: profile.plan,
                service: Service {
                    name: service.name.to_owned(),
                    stage,
                },
                customer: profile.customer.id,
                channel,
                assignee,
                team: TEAM.to_owned(),
                tags,
                email_cc: Vec::new(),
                version,
                created_at,
                updated_at,
                sla_due_at: None,
                status_log,
            },
            messages,
            attachments,
        };
        // What the server would show: the SLA as of the last change, which
        // for running clocks is the same at `now`.
        let sla = SlaFacts::of(&thread.ticket, &thread.messages);
        thread.ticket.sla_due_at = self
            .compiled
            .get(&policy_id)
            .and_then(|policy| evaluate(&sla, policy, self.cfg.now).earliest_running_due());
        thread
    }

    /// Gives the drafts their times and the next message and attachment ids.
    fn number(
        &mut self,
        ticket: TicketNumber,
        drafts: Vec<Draft>,
        times: Vec<i64>,
    ) -> (Vec<Message>, Vec<Attachment>) {
        let mut messages = Vec::with_capacity(drafts.len());
        let mut attachments = Vec::new();
        for (draft, at) in drafts.into_iter().zip(times) {
            let id = MessageId(self.next_message);
            self.next_message += 1;
            for (name, media_type) in draft.files {
                let file_id = AttachmentId(self.next_attachment);
                self.next_attachment += 1;
                attachments.push(attachment(file_id, id, name, media_type));
            }
            messages.push(Message {
                id,
                ticket,
                kind: draft.kind,
                channel: draft.channel,
                author: draft.author,
                body: draft.body,
                created_at: Timestamp(at),
            });
        }
        (messages, attachments)
    }
}

impl Iterator for ThreadGen {
    type Item = Thread;

    fn next(&mut self) -> Option<Thread> {
        if self.index >= self.cfg.tickets {
            return None;
        }
        let thread = self.generate();
        self.index += 1;
        Some(thread)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.cfg.tickets - self.index;
        (left, Some(left))
    }
}

/// When tickets arrive: more in Moscow working hours than at night or on
/// weekends, and more lately than weeks ago. Tickets are placed along the
/// cumulative arrival curve in number order, so a higher number is never
/// older.
#[derive(Debug)]
struct Arrivals {
    start: i64,
    bucket_ms: f64,
    /// Cumulative weight at the start of each hour-long bucket, and the total.
    cumulative: Vec<f64>,
}

impl Arrivals {
    fn new(now: Timestamp) -> Self {
        let start = now.millis() - WINDOW_MS;
        let end = now.millis() - NEWEST_AGE_MS;
        let buckets = (WINDOW_MS / HOUR_MS) as usize;
        let bucket_ms = (end - start) as f64 / buckets as f64;
        let mut cumulative = Vec::with_capacity(buckets + 1);
        let mut total = 0.0;
        cumulative.push(total);
        for bucket in 0..buckets {
            let at = start + (bucket as f64 * bucket_ms) as i64;
            let age = (now.millis() - at) as f64 - bucket_ms / 2.0;
            total += hour_weight(at) * (ARRIVAL_FLOOR + (-age / ARRIVAL_DECAY_MS).exp());
            cumulative.push(total);
        }
        Arrivals {
            start,
            bucket_ms,
            cumulative,
        }
    }

    /// The creation time of ticket `index` of `count`.
    fn at(&self, rng: &mut DemoRng, index: usize, count: usize) -> Timestamp {
        let total = self.cumulative[self.cumulative.len() - 1];
        let target = (index as f64 + rng.random::<f64>()) / count as f64 * total;
        let bucket = self
            .cumulative
            .partition_point(|&c| c <= target)
            .clamp(1, self.cumulative.len() - 1)
            - 1;
        let (low, high) = (self.cumulative[bucket], self.cumulative[bucket + 1]);
        let within = ((target - low) / (high - low)).clamp(0.0, 1.0);
        Timestamp(self.start + ((bucket as f64 + within) * self.bucket_ms) as i64)
    }
}

/// How many tickets arrive in the hour starting at `ms`, relatively.
fn hour_weight(ms: i64) -> f64 {
    let local = ms + MOSCOW_OFFSET_MS;
    let hour = local.rem_euclid(DAY_MS) / HOUR_MS;
    // Days since 1970-01-01, a Thursday; 5 and 6 are Saturday and Sunday.
    let weekday = (local.div_euclid(DAY_MS) + 3).rem_euclid(7);
    let by_hour = match hour {
        9..=18 => 10.0,
        7..=8 | 19..=22 => 5.0,
        _ => 1.5,
    };
    if weekday >= 5 {
        by_hour * 0.5
    } else {
        by_hour
    }
}

/// A status for a ticket `age_ms` old under `targets`. The team works to
/// the SLA: a ticket is likely still new within its first-response target
/// and still open within its resolution target, though some run late; a
/// solved ticket is closed a few days later. Shares are taken in order,
/// each from what the ones before left. Over a desk this gives about new
/// 2-5% (depending on the hour), open 20%, pending 13%, on hold 4%,
/// solved 39%, closed 21%, reopened 1.5%.
fn status_for(rng: &mut DemoRng, age_ms: i64, targets: SlaTargets) -> TicketStatus {
    let age = age_ms as f64;
    let minutes = |m: u32| f64::from(m) * MINUTE_MS as f64;
    let first_response = minutes(targets.first_response_min);
    let resolution = minutes(targets.resolution_min);
    let shares = [
        (TicketStatus::New, (-age / first_response).exp()),
        (TicketStatus::Open, 0.9 * (-age / (0.8 * resolution)).exp()),
        (
            TicketStatus::Reopened,
            0.06 * (-age / resolution).exp() * (age / (6 * HOUR_MS) as f64).min(1.0),
        ),
        (
            TicketStatus::OnHold,
            0.04 * (age / (12 * HOUR_MS) as f64).min(1.0),
        ),
        (
            TicketStatus::Closed,
            0.55 * ((age - (3 * DAY_MS) as f64) / (5 * DAY_MS) as f64).clamp(0.0, 1.0),
        ),
    ];
    let mut draw: f64 = rng.random();
    let mut left = 1.0;
    for (status, share) in shares {
        let share = share.min(left);
        if draw < share {
            return status;
        }
        draw -= share;
        left -= share;
    }
    // Pending and solved share what is left.
    if draw < 0.25 * left {
        TicketStatus::Pending
    } else {
        TicketStatus::Solved
    }
}

/// The channel a customer opens a ticket on. Only customers with Telegram
/// or a phone use those, so they use them more often, keeping the overall
/// shares at [`TELEGRAM`] and [`PHONE`].
fn channel_for(rng: &mut DemoRng, profile: &Profile) -> Channel {
    let telegram = if profile.customer.telegram_chat.is_some() {
        TELEGRAM / TELEGRAM_SHARE
    } else {
        0.0
    };
    let phone = if profile.customer.phone.is_some() {
        PHONE / PHONE_SHARE
    } else {
        0.0
    };
    let portal = (1.0 - telegram - phone) * PORTAL / (PORTAL + EMAIL);
    let draw: f64 = rng.random();
    if draw < telegram {
        Channel::Telegram
    } else if draw < telegram + phone {
        Channel::Phone
    } else if draw < telegram + phone + portal {
        Channel::Portal
    } else {
        Channel::Email
    }
}

/// A service a ticket of `category` can be about, by weight.
fn service_for(rng: &mut DemoRng, category: Category) -> &'static ServiceInfo {
    let fits = |service: &&ServiceInfo| match category {
        Category::AccessRecovery => !service.access.is_empty(),
        Category::OutOfScope => !service.out_of_scope.is_empty(),
        _ => true,
    };
    let total: u32 = SERVICES.iter().filter(fits).map(|s| s.weight).sum();
    let mut draw = rng.random_range(0..total);
    for service in SERVICES.iter().filter(fits) {
        if draw < service.weight {
            return service;
        }
        draw -= service.weight;
    }
    &SERVICES[0]
}

fn assignee_for(rng: &mut DemoRng, status: TicketStatus) -> Option<AgentId> {
    let mine = if status.is_active() {
        MINE_OPEN
    } else {
        MINE_SETTLED
    };
    if status == TicketStatus::New && chance(rng, UNASSIGNED_NEW) {
        None
    } else if chance(rng, mine) {
        Some(ME)
    } else {
        Some(AgentId(rng.random_range(2..=TEAM_SIZE)))
    }
}

/// What the customer opens the ticket with.
struct Opening {
    topic: &'static Topic,
    /// What support declines, for out-of-scope requests.
    declined_task: Option<&'static Bi>,
    /// The customer blames the platform for a resource problem.
    suspects_platform: bool,
}

fn opening_for(rng: &mut DemoRng, category: Category, service: &'static ServiceInfo) -> Opening {
    let plain = |topic| Opening {
        topic,
        declined_task: None,
        suspects_platform: false,
    };
    match category {
        Category::ResourceDiagnostics => plain(pick(rng, service.issues)),
        Category::PlatformProblem if chance(rng, 0.5) => plain(pick(rng, content::PLATFORM_TOPICS)),
        Category::PlatformProblem => Opening {
            topic: pick(rng, service.issues),
            declined_task: None,
            suspects_platform: true,
        },
        Category::ArchitectureConsulting => plain(pick(rng, content::CONSULTING_TOPICS)),
        Category::AccessRecovery => plain(pick(rng, service.access)),
        Category::Billing => plain(pick(rng, content::BILLING_TOPICS)),
        Category::ServiceSetup => plain(pick(rng, service.setups)),
        Category::OutOfScope => {
            let request = pick(rng, service.out_of_scope);
            Opening {
                topic: &request.topic,
                declined_task: Some(&request.task),
                suspects_platform: false,
            }
        }
    }
}

fn tags(rng: &mut DemoRng) -> Vec<String> {
    let count = weighted(rng, &[(0_usize, 35), (1, 35), (2, 20), (3, 10)]);
    let mut tags: Vec<String> = Vec::with_capacity(count);
    while tags.len() < count {
        let tag = pick_copied(rng, content::TAGS);
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_owned());
        }
    }
    tags
}

/// Where an open conversation's last message falls. A customer waiting for
/// an answer (`waiting` is the next-response target, in minutes) has mostly
/// waited well within the target, the team answering to the SLA, and now
/// and then for days. Otherwise the last word is mostly a little before
/// `now`, sometimes days before (a ticket nobody has touched in a while).
fn idle_end(rng: &mut DemoRng, created: i64, now: i64, waiting: Option<u32>) -> i64 {
    let idle = match waiting {
        Some(target) if chance(rng, 0.9) => {
            exp_ms(rng, 0.35 * f64::from(target) * MINUTE_MS as f64)
        }
        Some(_) => rng.random_range(6 * HOUR_MS..72 * HOUR_MS),
        None if chance(rng, 0.7) => exp_ms(rng, 90.0 * MINUTE_MS as f64),
        None => rng.random_range(6 * HOUR_MS..72 * HOUR_MS),
    };
    (now - idle).max(created + (now - created) / 2)
}

/// A message before it has an id and a time.
struct Draft {
    kind: MessageKind,
    channel: Channel,
    author: Author,
    body: String,
    /// Time since the previous message at the conversation's natural pace.
    gap_ms: i64,
    /// Files the message carries: name and media type.
    files: Vec<(String, &'static str)>,
    /// The status the ticket moved to as this message was written.
    moves_to: Option<TicketStatus>,
}

/// Times of the drafts: the first at `created`, the rest at their natural
/// gaps, squeezed in proportion when they would run past `end`. With
/// `reach_end`, an `end` later than the natural finish widens the longest
/// pause instead (the conversation stalled there), so the last message
/// falls on `end`.
fn schedule(drafts: &[Draft], created: i64, end: i64, reach_end: bool) -> Vec<i64> {
    let mut gaps: Vec<i64> = drafts
        .iter()
        .skip(1)
        .map(|d| d.gap_ms.max(MIN_GAP_MS))
        .collect();
    let total: i64 = gaps.iter().sum();
    let available = end - created;
    let count = gaps.len() as i64;
    if total > available {
        // Each gap keeps at least a millisecond, so times stay strictly increasing.
        let room = i128::from((available - count).max(0));
        let stretchable = i128::from(total - count);
        for gap in &mut gaps {
            *gap = 1 + (i128::from(*gap - 1) * room / stretchable) as i64;
        }
    } else if let Some(longest) = gaps.iter_mut().max().filter(|_| reach_end) {
        *longest += available - total;
    }
    let mut at = created;
    std::iter::once(created)
        .chain(gaps.into_iter().map(|gap| {
            at += gap;
            at
        }))
        .collect()
}

/// Whether the SLA clock runs for a ticket in `status`: it is new, open or
/// reopened, waiting for the team.
/// How a still-open ticket's conversation ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OpenEnding {
    /// Nobody has answered yet; at most an internal note.
    Unanswered,
    /// The customer wrote last and waits for the agent.
    CustomerWaits,
    /// The agent wrote last, still working on it.
    AgentWorking,
}

/// One ticket's conversation as it is being written.
struct Scene<'a> {
    rng: &'a mut DemoRng,
    facts: &'a Facts,
    lang: Lang,
    profile: &'a Profile,
    category: Category,
    script: &'static Script,
    service: &'static ServiceInfo,
    channel: Channel,
    assignee: Option<AgentId>,
    targets: SlaTargets,
    /// How long ago the ticket came in.
    age: i64,
    drafts: Vec<Draft>,
    /// An agent has replied or called.
    responded: bool,
    /// The customer has attached files.
    customer_files: bool,
    /// Texts used so far, by their Russian wording.
    said: Vec<&'static str>,
}

impl Scene<'_> {
    /// Plays out a conversation that leaves the ticket in `status`; returns
    /// how an open one ends.
    fn converse(&mut self, status: TicketStatus, opening: String) -> OpenEnding {
        self.inbound(opening, 0, true);
        if chance(self.rng, 0.12) {
            let gap = self.rng.random_range(MINUTE_MS..20 * MINUTE_MS);
            let text = self.say(content::ADDENDA);
            self.inbound(text, gap, false);
        }
        if status == TicketStatus::New {
            return OpenEnding::Unanswered;
        }
        if chance(self.rng, 0.3) {
            self.event(&content::EVENT_ASSIGNED);
        }

        let ending = self.open_ending();
        let (min_rounds, tail) = match status {
            TicketStatus::Open if ending == OpenEnding::CustomerWaits => (1, 0),
            TicketStatus::Open => (0, 1),
            TicketStatus::Pending => (0, 1),
            TicketStatus::OnHold | TicketStatus::Solved => (0, 2),
            TicketStatus::Closed => (0, 3),
            _ => (0, 4),
        };
        if !(status == TicketStatus::Open && ending == OpenEnding::Unanswered) {
            let length = self.length_target();
            let mut rounds = 0;
            while rounds < min_rounds || self.drafts.len() + tail < length {
                self.agent_turn();
                self.customer_turn();
                rounds += 1;
            }
        }

        match status {
            TicketStatus::Open => match ending {
                OpenEnding::Unanswered => {
                    if chance(self.rng, 0.5) {
                        let gap = self.response_gap() / 2;
                        self.note(gap);
                    }
                }
                OpenEnding::CustomerWaits => {}
                OpenEnding::AgentWorking => {
                    let text = self.answer(self.script.progress);
                    self.respond(text);
                }
            },
            TicketStatus::Pending => {
                let text = self.answer(self.script.question);
                let gap = self.response_gap();
                self.reply(text, gap);
                if chance(self.rng, 0.4) {
                    self.event(&content::EVENT_PENDING);
                }
                self.moved(TicketStatus::Pending);
            }
            TicketStatus::OnHold => {
                let text = self.answer(content::HOLDS);
                let gap = self.response_gap();
                self.reply(text, gap);
                let gap = self.rng.random_range(2 * MINUTE_MS..30 * MINUTE_MS);
                let text = self.say(content::HOLD_NOTES);
                let author = self.agent();
                self.push(MessageKind::InternalNote, self.channel, author, text, gap);
                if chance(self.rng, 0.4) {
                    self.event(&content::EVENT_ON_HOLD);
                }
                self.moved(TicketStatus::OnHold);
            }
            TicketStatus::Solved => self.solve(),
            TicketStatus::Closed => {
                self.solve();
                let gap = self.rng.random_range(3 * DAY_MS..7 * DAY_MS);
                let text = self.text(&content::EVENT_CLOSED);
                self.push(
                    MessageKind::SystemEvent,
                    self.channel,
                    Author::System,
                    text,
                    gap,
                );
                self.moved(TicketStatus::Closed);
            }
            TicketStatus::Reopened => {
                self.solve();
                let gap = self.rng.random_range(2 * HOUR_MS..3 * DAY_MS);
                let text = self.say(content::REOPENINGS);
                self.inbound(text, gap, false);
                self.moved(TicketStatus::Reopened);
                self.event(&content::EVENT_REOPENED);
            }
            TicketStatus::New => {}
        }
        if status != TicketStatus::New {
            self.taken_up();
        }

        // A reply written moments ago may still wait in the outbox.
        if let Some(Draft {
            kind: MessageKind::PublicReply { delivery },
            ..
        }) = self.drafts.last_mut()
        {
            if chance(self.rng, 0.06) {
                *delivery = DeliveryState::Queued;
            }
        }
        ending
    }

    /// How an open ticket's conversation would stand. One nobody has
    /// answered is mostly a fresh one, still within its first-response
    /// target; otherwise the customer waits a little more often than not.
    fn open_ending(&mut self) -> OpenEnding {
        let fresh = self.age < i64::from(self.targets.first_response_min) * MINUTE_MS;
        let unanswered = if fresh { 0.5 } else { 0.03 };
        let draw: f64 = self.rng.random();
        if draw < unanswered {
            OpenEnding::Unanswered
        } else if draw < unanswered + (1.0 - unanswered) * 0.53 {
            OpenEnding::CustomerWaits
        } else {
            OpenEnding::AgentWorking
        }
    }

    /// How many messages a worked ticket runs to: often a handful, now and
    /// then a long back-and-forth.
    fn length_target(&mut self) -> usize {
        // Declining out-of-scope work takes few words.
        if self.category == Category::OutOfScope {
            2 + (exp_ms(self.rng, 3.0) as usize).min(8)
        } else {
            2 + (exp_ms(self.rng, 9.0) as usize).min(38)
        }
    }

    fn agent_turn(&mut self) {
        let text = if chance(self.rng, 0.3) {
            self.answer(self.script.question)
        } else {
            self.answer(self.script.progress)
        };
        self.respond(text);
        if chance(self.rng, 0.05) {
            let event = if chance(self.rng, 0.5) {
                &content::EVENT_PRIORITY
            } else {
                &content::EVENT_ASSIGNED
            };
            self.event(event);
        }
    }

    fn customer_turn(&mut self) {
        let gap = self.customer_gap();
        let text = self.follow_up();
        self.inbound(text, gap, false);
        if chance(self.rng, 0.12) {
            let gap = self.rng.random_range(MINUTE_MS..10 * MINUTE_MS);
            let text = self.follow_up();
            self.inbound(text, gap, false);
        }
    }

    /// A customer's follow-up: mostly about the matter, sometimes a nudge.
    fn follow_up(&mut self) -> String {
        let texts = if chance(self.rng, 0.25) {
            content::FOLLOW_UPS
        } else {
            self.script.follow_up
        };
        self.say(texts)
    }

    /// The agent's solution, sometimes thanked for, then marked solved.
    fn solve(&mut self) {
        let text = self.answer(self.script.solution);
        let gap = self.response_gap();
        self.reply(text, gap);
        if chance(self.rng, 0.35) {
            let gap = exp_ms(self.rng, HOUR_MS as f64).max(MINUTE_MS);
            let text = self.say(content::THANKS);
            self.inbound(text, gap, false);
        }
        if chance(self.rng, 0.5) {
            self.event(&content::EVENT_SOLVED);
        }
        // After the customer's thanks: a message on a solved ticket reopens it.
        self.moved(TicketStatus::Solved);
    }

    /// The ticket moved to `status` with the latest message.
    fn moved(&mut self, status: TicketStatus) {
        if let Some(draft) = self.drafts.last_mut() {
            draft.moves_to = Some(status);
        }
    }

    /// Support opened the ticket with the first thing it did after the
    /// customer's opening (or as that came in, when it has done nothing
    /// yet), unless that act already moved it further (a first reply that
    /// waits on the customer).
    fn taken_up(&mut self) {
        let first = self
            .drafts
            .iter()
            .position(|d| !matches!(d.author, Author::Customer { .. }))
            .unwrap_or(self.drafts.len().saturating_sub(1));
        if let Some(draft) = self.drafts.get_mut(first) {
            draft.moves_to.get_or_insert(TicketStatus::Open);
        }
    }

    /// An agent's answer from `texts`; the first answer on a ticket instead
    /// asks for whatever the intake lacks, or uses the script's opener.
    fn answer(&mut self, texts: &'static [Bi]) -> String {
        let mut text = if self.responded {
            self.say(texts)
        } else {
            let missing =
                MissingIntake::check(&self.profile.customer, self.category, self.customer_files);
            if self.category != Category::OutOfScope && !missing.is_complete() {
                self.intake_request(&missing)
            } else {
                self.say(self.script.first)
            }
        };
        if !self.responded && self.service.stage == ServiceStage::Beta {
            text = format!("{text}\n\n{}", self.text(&content::BETA_NOTICE));
        }
        text
    }

    fn intake_request(&self, missing: &MissingIntake) -> String {
        let mut text = content::INTAKE_HEADER.get(self.lang).to_owned();
        for item in &missing.items {
            let line = match item {
                IntakeItem::AccountLogin => &content::INTAKE_LOGIN,
                IntakeItem::ProjectName => &content::INTAKE_PROJECT,
                IntakeItem::Diagnostics => &content::INTAKE_DIAGNOSTICS,
            };
            text.push_str("\n- ");
            text.push_str(line.get(self.lang));
        }
        text
    }

    /// The agent answers: by phone now and then (mostly on phone tickets),
    /// otherwise in writing; sometimes after an internal note.
    fn respond(&mut self, text: String) {
        let gap = self.response_gap();
        let gap = if chance(self.rng, 0.10) {
            let before = gap / 3;
            self.note(before);
            gap - before
        } else {
            gap
        };
        let calls = if self.channel == Channel::Phone {
            0.55
        } else {
            0.06
        };
        if !chance(self.rng, calls) {
            self.reply(text, gap);
        } else if self.responded {
            self.call(gap, CallDirection::Inbound);
        } else {
            // A first answer by phone is a call back, then the same in writing.
            self.call(gap, CallDirection::Outbound);
            let gap = self.rng.random_range(5 * MINUTE_MS..20 * MINUTE_MS);
            self.reply(text, gap);
        }
    }

    fn reply(&mut self, text: String, gap: i64) {
        let author = self.agent();
        let channel = reply_channel(self.channel);
        let delivery = self.delivery(channel);
        let resend =
            channel == Channel::Telegram && matches!(delivery, DeliveryState::Failed { .. });
        let body = self.frame_reply(channel, &text, &author);
        self.push(
            MessageKind::PublicReply { delivery },
            channel,
            author.clone(),
            body,
            gap,
        );
        if resend {
            // Telegram refused it; the agent sends it again by e-mail.
            let body = self.frame_reply(Channel::Email, &text, &author);
            let gap = self.rng.random_range(MINUTE_MS..5 * MINUTE_MS);
            let delivery = DeliveryState::Sent;
            self.push(
                MessageKind::PublicReply { delivery },
                Channel::Email,
                author,
                body,
                gap,
            );
        }
        self.responded = true;
    }

    fn delivery(&mut self, channel: Channel) -> DeliveryState {
        let failures = match channel {
            Channel::Telegram => content::TELEGRAM_FAILURES,
            Channel::Email => content::EMAIL_FAILURES,
            Channel::Portal | Channel::Phone => &[],
        };
        if !failures.is_empty() && chance(self.rng, 0.025) {
            let reason = self.facts.render(pick_copied(self.rng, failures));
            return DeliveryState::Failed { reason };
        }
        // E-mail rarely confirms delivery; the portal and Telegram do.
        let delivered = if channel == Channel::Email { 0.2 } else { 0.92 };
        if chance(self.rng, delivered) {
            DeliveryState::Delivered
        } else {
            DeliveryState::Sent
        }
    }

    /// A logged call; the customer may be the caller only if `allowed` is
    /// inbound.
    fn call(&mut self, gap: i64, allowed: CallDirection) {
        let direction = if allowed == CallDirection::Inbound && chance(self.rng, 0.25) {
            CallDirection::Inbound
        } else {
            CallDirection::Outbound
        };
        let outcome = match direction {
            CallDirection::Inbound => CallOutcome::Answered,
            CallDirection::Outbound => weighted(
                self.rng,
                &[
                    (CallOutcome::Answered, 80),
                    (CallOutcome::NoAnswer, 10),
                    (CallOutcome::Busy, 4),
                    (CallOutcome::Voicemail, 6),
                ],
            ),
        };
        let (duration_secs, text) = match (direction, outcome) {
            (CallDirection::Inbound, _) => (self.rng.random_range(60..600), &content::CALL_INBOUND),
            (_, CallOutcome::Answered) => (
                self.rng.random_range(60..1500),
                pick(self.rng, content::CALLS_ANSWERED),
            ),
            (_, CallOutcome::NoAnswer) => (self.rng.random_range(20..46), &content::CALL_NO_ANSWER),
            (_, CallOutcome::Busy) => (self.rng.random_range(0..6), &content::CALL_BUSY),
            (_, CallOutcome::Voicemail) => {
                (self.rng.random_range(30..91), &content::CALL_VOICEMAIL)
            }
        };
        let body = self.text(text);
        let call = CallRecord {
            direction,
            duration_secs,
            outcome,
            callback_at: None,
        };
        let author = self.agent();
        self.push(
            MessageKind::CallLog { call },
            Channel::Phone,
            author,
            body,
            gap,
        );
        self.responded = true;
    }

    fn note(&mut self, gap: i64) {
        let professional = self.profile.plan == Plan::Professional;
        let beta = self.service.stage == ServiceStage::Beta;
        let text = if professional && chance(self.rng, 0.3) {
            &content::PROFESSIONAL_NOTE
        } else if beta && chance(self.rng, 0.3) {
            &content::BETA_NOTE
        } else {
            pick(self.rng, content::NOTES)
        };
        let body = self.text(text);
        let author = if chance(self.rng, 0.2) {
            Author::Agent { id: LEAD }
        } else {
            self.agent()
        };
        self.push(MessageKind::InternalNote, self.channel, author, body, gap);
    }

    fn event(&mut self, text: &Bi) {
        let gap = self.rng.random_range(5_000..90_000);
        let body = self.text(text);
        self.push(
            MessageKind::SystemEvent,
            self.channel,
            Author::System,
            body,
            gap,
        );
    }

    /// A customer message: the opening one framed for its channel, with the
    /// intake details the portal form asks for; follow-ups plainer.
    fn inbound(&mut self, text: String, gap: i64, opening: bool) {
        let files = self.files();
        let mut text = text;
        let lines: Vec<_> = attachment_lines(&files)
            .iter()
            .map(|line| line.get(self.lang))
            .collect();
        if !lines.is_empty() {
            text = format!("{text}\n\n{}", lines.join(" "));
        }
        let channel = match self.channel {
            Channel::Phone if !opening && chance(self.rng, 0.6) => Channel::Email,
            channel => channel,
        };
        let lang = self.lang;
        let customer = &self.profile.customer;
        let body = match (channel, opening) {
            (Channel::Email, true) => format!(
                "{}\n\n{text}\n\n--\n{}\n{}\n{}",
                content::HELLO_EMAIL.get(lang),
                content::REGARDS.get(lang),
                customer.name,
                self.profile.company.name
            ),
            (Channel::Email, false) => format!("{text}\n\n--\n{}", customer.name),
            (Channel::Portal, true) => {
                let mut body = text;
                let fields = [
                    (&content::LOGIN_LABEL, &customer.account_login),
                    (&content::PROJECT_LABEL, &customer.project),
                ];
                for (label, value) in fields {
                    if let Some(value) = value {
                        body = format!("{body}\n{}: {value}", label.get(lang));
                    }
                }
                body
            }
            (Channel::Telegram, true) => format!("{} {text}", content::HELLO_CHAT.get(lang)),
            (Channel::Phone, _) => format!("{}\n\n{text}", content::VOICEMAIL.get(lang)),
            (Channel::Portal | Channel::Telegram, false) => text,
        };
        self.customer_files |= !files.is_empty();
        let author = Author::Customer { id: customer.id };
        self.drafts.push(Draft {
            kind: MessageKind::Inbound,
            channel,
            author,
            body,
            gap_ms: gap,
            files,
            moves_to: None,
        });
    }

    /// Files on a customer message: now and then a log or a screenshot.
    fn files(&mut self) -> Vec<(String, &'static str)> {
        if !chance(self.rng, ATTACHING) {
            return Vec::new();
        }
        let count = if chance(self.rng, 0.7) { 1 } else { 2 };
        (0..count)
            .map(|_| {
                if chance(self.rng, 0.55) {
                    let name = if chance(self.rng, 0.7) {
                        self.service.log
                    } else {
                        pick(self.rng, content::LOG_NAMES)
                    };
                    (self.facts.render(name), LOG_TYPE)
                } else {
                    let names = content::SCREENSHOT_NAMES[usize::from(self.lang == Lang::En)];
                    (self.facts.render(pick_copied(self.rng, names)), PNG_TYPE)
                }
            })
            .collect()
    }

    fn frame_reply(&self, channel: Channel, text: &str, author: &Author) -> String {
        let lang = self.lang;
        if channel == Channel::Telegram {
            return format!("{}\n\n{text}", self.text(&content::GREETING_AGENT_CHAT));
        }
        let name = match author {
            Author::Agent { id } => agent_name(*id, lang),
            Author::Customer { .. } | Author::System => TEAM,
        };
        format!(
            "{}\n\n{text}\n\n{}\n{name}\n{TEAM}",
            self.text(&content::GREETING_AGENT),
            content::REGARDS.get(lang)
        )
    }

    /// The agent who writes: mostly the assignee, now and then a colleague
    /// covering their shift.
    fn agent(&mut self) -> Author {
        let id = match self.assignee {
            Some(id) if !chance(self.rng, 0.15) => id,
            _ => AgentId(self.rng.random_range(1..=TEAM_SIZE)),
        };
        Author::Agent { id }
    }

    /// How long the agent takes to answer: around half the SLA target, so
    /// some answers are late.
    fn response_gap(&mut self) -> i64 {
        let target = if self.responded {
            self.targets.next_response_min
        } else {
            self.targets.first_response_min
        };
        exp_ms(self.rng, f64::from(target) * MINUTE_MS as f64 * 0.45).max(MINUTE_MS)
    }

    /// How long the customer takes to write back: mostly hours, sometimes days.
    fn customer_gap(&mut self) -> i64 {
        if chance(self.rng, 0.75) {
            exp_ms(self.rng, 2.0 * HOUR_MS as f64).max(2 * MINUTE_MS)
        } else {
            self.rng.random_range(6 * HOUR_MS..48 * HOUR_MS)
        }
    }

    /// One of `texts`, filled in; preferably one not yet said on this
    /// ticket, so a long conversation repeats itself less.
    fn say(&mut self, texts: &'static [Bi]) -> String {
        let mut text = pick(self.rng, texts);
        for _ in 0..3 {
            if !self.said.contains(&text.ru) {
                break;
            }
            text = pick(self.rng, texts);
        }
        self.said.push(text.ru);
        self.text(text)
    }

    fn text(&self, text: &Bi) -> String {
        self.facts.render(text.get(self.lang))
    }

    fn push(
        &mut self,
        kind: MessageKind,
        channel: Channel,
        author: Author,
        body: String,
        gap_ms: i64,
    ) {
        self.drafts.push(Draft {
            kind,
            channel,
            author,
            body,
            gap_ms,
            files: Vec::new(),
            moves_to: None,
        });
    }
}

/// Replies go back on the ticket's channel; a phone ticket's written
/// replies go by e-mail.
fn reply_channel(channel: Channel) -> Channel {
    match channel {
        Channel::Phone => Channel::Email,
        channel => channel,
    }
}

/// What a customer message says about its files.
fn attachment_lines(files: &[(String, &'static str)]) -> Vec<&'static Bi> {
    let mut lines = Vec::new();
    if files.iter().any(|(_, media_type)| *media_type == LOG_TYPE) {
        lines.push(&content::ATTACHED_LOGS);
    }
    if files.iter().any(|(_, media_type)| *media_type == PNG_TYPE) {
        lines.push(&content::ATTACHED_SCREENSHOT);
    }
    lines
}
