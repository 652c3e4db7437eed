//! Reference data a desk syncs rather than accumulates: the support team,
//! the SLA policy table of DESIGN.md §2 and the canned responses.

use jiff::civil::{date, Weekday};
use shiftdesk_domain::{
    Agent, AgentId, BusinessHours, CannedResponse, Category, Plan, Priority, Role, SlaCalendar,
    SlaPolicy, SlaTargets, WarningThreshold,
};

use crate::content::Lang;

/// The demo agent who runs the console: "mine" is this agent's queue.
pub const ME: AgentId = AgentId(1);

/// The one team every demo agent belongs to.
pub(crate) const TEAM: &str = "L2 Support";

/// The team lead, who writes some of the internal notes.
pub(crate) const LEAD: AgentId = AgentId(2);

/// Each member's name as it is spelt and in Latin letters (for signatures
/// under English replies), and role. Ids are positions from 1.
const MEMBERS: [(&str, &str, Role); 8] = [
    ("Алексей Смирнов", "Aleksey Smirnov", Role::Agent),
    ("Мария Кузнецова", "Maria Kuznetsova", Role::Lead),
    ("Дмитрий Волков", "Dmitry Volkov", Role::Agent),
    ("Екатерина Орлова", "Ekaterina Orlova", Role::Agent),
    ("Игорь Лебедев", "Igor Lebedev", Role::Agent),
    ("Ольга Фёдорова", "Olga Fedorova", Role::Agent),
    ("Daniel Brooks", "Daniel Brooks", Role::Agent),
    ("Тимур Хасанов", "Timur Khasanov", Role::Agent),
];

/// How many agents the team has; their ids are 1 to this.
pub(crate) const TEAM_SIZE: i64 = MEMBERS.len() as i64;

/// The support team: eight agents of "L2 Support", [`ME`] among them and
/// one lead.
pub fn agents() -> Vec<Agent> {
    (1..=TEAM_SIZE)
        .zip(MEMBERS)
        .map(|(id, (name, _, role))| Agent {
            id: AgentId(id),
            name: name.to_owned(),
            team: TEAM.to_owned(),
            role,
        })
        .collect()
}

/// A demo agent's login: their Latin name at the demo desk's domain, e.g.
/// `aleksey.smirnov@shiftdesk.example`.
pub fn agent_login(id: AgentId) -> String {
    let latin = agent_name(id, Lang::En);
    format!(
        "{}@shiftdesk.example",
        latin.to_lowercase().replace(' ', ".")
    )
}

/// An agent's name as a customer writing in `lang` reads it.
pub(crate) fn agent_name(id: AgentId, lang: Lang) -> &'static str {
    let index = usize::try_from(id.0 - 1)
        .unwrap_or(0)
        .min(MEMBERS.len() - 1);
    let (name, latin, _) = MEMBERS[index];
    match lang {
        Lang::Ru => name,
        Lang::En => latin,
    }
}

/// Minutes to first response, next response and resolution (DESIGN.md §2).
const TARGETS: [(Plan, Priority, [u32; 3]); 8] = [
    (Plan::Professional, Priority::Urgent, [15, 30, 240]),
    (Plan::Professional, Priority::High, [30, 60, 480]),
    (Plan::Professional, Priority::Normal, [60, 240, 1440]),
    (Plan::Professional, Priority::Low, [240, 480, 2880]),
    (Plan::Standard, Priority::Urgent, [30, 60, 480]),
    (Plan::Standard, Priority::High, [60, 240, 1440]),
    (Plan::Standard, Priority::Normal, [240, 480, 4320]),
    (Plan::Standard, Priority::Low, [480, 1440, 7200]),
];

/// The SLA policy of every plan and priority. All run round the clock but
/// standard/low, which counts Moscow business hours only, so the demo has
/// a calendar with weekends and holidays to show.
pub fn sla_policies() -> Vec<SlaPolicy> {
    (1..)
        .zip(TARGETS)
        .map(
            |(id, (plan, priority, [first, next, resolution]))| SlaPolicy {
                id,
                plan,
                priority,
                targets: SlaTargets {
                    first_response_min: first,
                    next_response_min: next,
                    resolution_min: resolution,
                },
                warning: WarningThreshold::ShareLeft { percent: 20 },
                calendar: if (plan, priority) == (Plan::Standard, Priority::Low) {
                    moscow_business_hours()
                } else {
                    SlaCalendar::AlwaysOn
                },
            },
        )
        .collect()
}

/// Monday to Friday, 09:00–18:00 Moscow time, without public holidays.
fn moscow_business_hours() -> SlaCalendar {
    let weekdays = [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
    ];
    SlaCalendar::BusinessHours {
        time_zone: "Europe/Moscow".to_owned(),
        hours: weekdays
            .into_iter()
            .map(|weekday| BusinessHours {
                weekday,
                start_minute: 9 * 60,
                end_minute: 18 * 60,
            })
            .collect(),
        holidays: vec![
            date(2026, 11, 4),
            date(2026, 12, 31),
            date(2027, 1, 1),
            date(2027, 1, 7),
            date(2027, 2, 23),
            date(2027, 3, 8),
        ],
    }
}

/// Prepared answers in Russian and English. `{{customer_name}}`,
/// `{{ticket_number}}` and `{{project}}` are filled in when one is used.
pub fn canned_responses() -> Vec<CannedResponse> {
    const RESPONSES: [(&str, &str, Option<Category>); 10] = [
        (
            "Запрос данных для диагностики",
            "Здравствуйте, {{customer_name}}!\n\nЧтобы мы могли разобраться с обращением {{ticket_number}}, пришлите, пожалуйста:\n- логин аккаунта;\n- название проекта (сейчас указано: {{project}});\n- подробное описание: что делали, что ожидали увидеть, что получили и когда;\n- диагностику: скриншоты ошибки и логи за время сбоя.\n\nБез этих данных мы не сможем проверить ваши ресурсы.\n\nС уважением,\nL2 Support",
            None,
        ),
        (
            "Request for diagnostics",
            "Hello {{customer_name}},\n\nSo that we can look into {{ticket_number}}, please send us:\n- your account login;\n- the project name (we have: {{project}});\n- a detailed description: what you did, what you expected, what happened and when;\n- diagnostics: screenshots of the error and logs from the time of the failure.\n\nWithout these we cannot check your resources.\n\nBest regards,\nL2 Support",
            None,
        ),
        (
            "Вне зоны ответственности поддержки",
            "Здравствуйте, {{customer_name}}!\n\nК сожалению, запрос {{ticket_number}} не входит в зону ответственности технической поддержки: мы отвечаем за работу платформы и её сервисов, а администрирование ваших операционных систем и сервисов, построенных на платформе, выполняется только по отдельному договору.\n\nМожем порекомендовать партнёров или рассказать об услуге Professional Services.\n\nС уважением,\nL2 Support",
            Some(Category::OutOfScope),
        ),
        (
            "Out of scope",
            "Hello {{customer_name}},\n\nUnfortunately, request {{ticket_number}} is outside what technical support covers: we are responsible for the platform and its services, while administering your operating systems and the services you build on the platform needs a separate agreement.\n\nWe are glad to recommend partners or tell you about Professional Services.\n\nBest regards,\nL2 Support",
            Some(Category::OutOfScope),
        ),
        (
            "Восстановление доступа: подтверждение владельца",
            "Здравствуйте, {{customer_name}}!\n\nДля восстановления доступа по обращению {{ticket_number}} нужно подтвердить, что вы представляете владельца аккаунта проекта {{project}}. Пришлите, пожалуйста, письмо с почты владельца или запрос на бланке организации с подписью руководителя.\n\nС уважением,\nL2 Support",
            Some(Category::AccessRecovery),
        ),
        (
            "Billing: invoices and closing documents",
            "Hello {{customer_name}},\n\nWe have passed {{ticket_number}} to the finance team. Invoices and closing documents for project {{project}} are also available in the console under Billing → Documents; e-invoicing copies arrive by the fifth of the month.\n\nBest regards,\nL2 Support",
            Some(Category::Billing),
        ),
        (
            "Инцидент на платформе",
            "Здравствуйте, {{customer_name}}!\n\nМы знаем о сбое, который затрагивает проект {{project}}, инженеры уже работают над устранением. Обращение {{ticket_number}} привязано к инциденту — напишем сюда, как только работа сервиса восстановится. Ход работ — на статус-странице.\n\nС уважением,\nL2 Support",
            Some(Category::PlatformProblem),
        ),
        (
            "Beta service: no SLA",
            "Hello {{customer_name}},\n\nThe service in {{ticket_number}} is in beta: it is not billed and no SLA or guaranteed answer applies to it. We will still look into it as soon as we can.\n\nBest regards,\nL2 Support",
            None,
        ),
        (
            "Сервис в бета-тестировании",
            "Здравствуйте, {{customer_name}}!\n\nСервис из обращения {{ticket_number}} находится в бета-тестировании: он не тарифицируется, SLA и гарантированный ответ на него не распространяются. Мы всё равно постараемся помочь как можно скорее.\n\nС уважением,\nL2 Support",
            None,
        ),
        (
            "Solved, closing",
            "Hello {{customer_name}},\n\nWe are marking {{ticket_number}} as solved. If anything is still wrong with project {{project}}, just reply to this message and the ticket reopens.\n\nBest regards,\nL2 Support",
            None,
        ),
    ];
    (1..)
        .zip(RESPONSES)
        .map(|(id, (title, body, category))| CannedResponse {
            id,
            title: title.to_owned(),
            body: body.to_owned(),
            category,
        })
        .collect()
}
