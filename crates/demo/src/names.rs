//! People and companies: the names, surnames and firms demo customers are
//! made of, with the Latin spellings their e-mail addresses use.

/// A Russian given name and its Latin spelling.
pub(crate) type RuName = (&'static str, &'static str);

pub(crate) const RU_MALE: &[RuName] = &[
    ("Алексей", "aleksey"),
    ("Дмитрий", "dmitry"),
    ("Сергей", "sergey"),
    ("Андрей", "andrey"),
    ("Михаил", "mikhail"),
    ("Иван", "ivan"),
    ("Николай", "nikolay"),
    ("Павел", "pavel"),
    ("Артём", "artem"),
    ("Максим", "maksim"),
    ("Егор", "egor"),
    ("Роман", "roman"),
    ("Владимир", "vladimir"),
    ("Кирилл", "kirill"),
    ("Олег", "oleg"),
    ("Денис", "denis"),
    ("Илья", "ilya"),
    ("Тимур", "timur"),
    ("Григорий", "grigory"),
    ("Антон", "anton"),
];

pub(crate) const RU_FEMALE: &[RuName] = &[
    ("Анна", "anna"),
    ("Мария", "maria"),
    ("Елена", "elena"),
    ("Ольга", "olga"),
    ("Наталья", "natalya"),
    ("Екатерина", "ekaterina"),
    ("Татьяна", "tatyana"),
    ("Ирина", "irina"),
    ("Юлия", "yulia"),
    ("Светлана", "svetlana"),
    ("Дарья", "darya"),
    ("Ксения", "ksenia"),
    ("Алина", "alina"),
    ("Виктория", "viktoria"),
    ("Полина", "polina"),
    ("Марина", "marina"),
];

/// Surnames in the masculine form; all end in -ов/-ев/-ин, so the feminine
/// form adds "а" (and "a" in Latin).
pub(crate) const RU_SURNAMES: &[RuName] = &[
    ("Иванов", "ivanov"),
    ("Смирнов", "smirnov"),
    ("Кузнецов", "kuznetsov"),
    ("Попов", "popov"),
    ("Васильев", "vasilyev"),
    ("Петров", "petrov"),
    ("Соколов", "sokolov"),
    ("Михайлов", "mikhaylov"),
    ("Новиков", "novikov"),
    ("Фёдоров", "fedorov"),
    ("Морозов", "morozov"),
    ("Волков", "volkov"),
    ("Алексеев", "alekseev"),
    ("Лебедев", "lebedev"),
    ("Семёнов", "semenov"),
    ("Егоров", "egorov"),
    ("Павлов", "pavlov"),
    ("Козлов", "kozlov"),
    ("Степанов", "stepanov"),
    ("Николаев", "nikolaev"),
    ("Орлов", "orlov"),
    ("Андреев", "andreev"),
    ("Макаров", "makarov"),
    ("Никитин", "nikitin"),
    ("Захаров", "zakharov"),
    ("Зайцев", "zaytsev"),
    ("Соловьёв", "solovyev"),
    ("Борисов", "borisov"),
    ("Яковлев", "yakovlev"),
    ("Григорьев", "grigoryev"),
    ("Романов", "romanov"),
    ("Воробьёв", "vorobyev"),
    ("Сергеев", "sergeev"),
    ("Кузьмин", "kuzmin"),
    ("Фролов", "frolov"),
    ("Александров", "aleksandrov"),
    ("Дмитриев", "dmitriev"),
    ("Королёв", "korolev"),
    ("Гусев", "gusev"),
    ("Киселёв", "kiselev"),
];

pub(crate) const EN_FIRST: &[&str] = &[
    "James", "Emma", "Oliver", "Sophia", "Daniel", "Olivia", "Lucas", "Mia", "Ethan", "Chloe",
    "Noah", "Grace", "Liam", "Hannah", "Aiden", "Sarah", "Mateo", "Leila", "Arjun", "Priya",
    "Yusuf", "Aylin", "Kenji", "Marta", "Tomasz", "Lena",
];

pub(crate) const EN_LAST: &[&str] = &[
    "Miller",
    "Carter",
    "Nguyen",
    "Schmidt",
    "Kowalski",
    "Okafor",
    "Haddad",
    "Fischer",
    "Novak",
    "Patel",
    "Sato",
    "Rossi",
    "Jensen",
    "Moreau",
    "Brooks",
    "Walsh",
    "Turner",
    "Lindqvist",
    "Costa",
    "Demir",
    "Hughes",
    "Becker",
    "Kaur",
    "Ortega",
];

/// A customer's firm: `slug` names their logins and resources, `domain`
/// their mail and sites.
#[derive(Debug)]
pub(crate) struct Company {
    pub slug: &'static str,
    pub name: &'static str,
    pub domain: &'static str,
}

const fn company(slug: &'static str, name: &'static str, domain: &'static str) -> Company {
    Company { slug, name, domain }
}

pub(crate) const RU_COMPANIES: &[Company] = &[
    company("romashka", "ООО «Ромашка»", "romashka.ru"),
    company("vektor-it", "ООО «Вектор ИТ»", "vektor-it.ru"),
    company("sibdata", "АО «СибДата»", "sibdata.ru"),
    company("technoline", "ООО «Технолайн»", "technoline.ru"),
    company("vostok-soft", "ООО «Восток Софт»", "vostoksoft.ru"),
    company("medlab", "ООО «Медлаб»", "medlab-clinic.ru"),
    company("mirtorg", "ООО «Мирторг»", "mirtorg.ru"),
    company("kvant", "АО «Квант»", "kvant-group.ru"),
    company("uraldoc", "ООО «УралДок»", "uraldoc.ru"),
    company("bystrodom", "ООО «Быстродом»", "bystrodom.ru"),
    company("polyana", "ООО «Поляна»", "polyana-farm.ru"),
    company("krendel", "Пекарни «Крендель»", "krendel.ru"),
    company("pixelfox", "Студия «Пиксельфокс»", "pixelfox.studio"),
    company("neva-logistic", "ООО «Нева Логистик»", "neva-logistic.ru"),
    company("gorodok", "ООО «Городок»", "gorodok-media.ru"),
    company("avtopark", "ООО «Автопарк»", "avtopark24.ru"),
    company("edushka", "ООО «Едушка»", "edushka.ru"),
    company("shkola-plus", "АНО «Школа Плюс»", "shkolaplus.ru"),
    company("finpoint", "ООО «Финпоинт»", "finpoint.ru"),
    company("severtrans", "АО «Севертранс»", "severtrans.ru"),
];

pub(crate) const EN_COMPANIES: &[Company] = &[
    company("acme", "Acme Corp", "acme.com"),
    company("brightpath", "BrightPath Ltd", "brightpath.co.uk"),
    company("northwind", "Northwind Traders", "northwind.io"),
    company("bluefin", "Bluefin Analytics", "bluefin-analytics.com"),
    company("quantix", "Quantix GmbH", "quantix.de"),
    company("larkspur", "Larkspur Games", "larkspur.games"),
    company("ironbark", "Ironbark Systems", "ironbark.io"),
    company("tidewater", "Tidewater Logistics", "tidewater.com"),
    company("copperleaf", "Copperleaf Health", "copperleaf.health"),
    company("zenith-labs", "Zenith Labs", "zenithlabs.ai"),
    company("orbitly", "Orbitly", "orbitly.app"),
    company("fernhill", "Fernhill Media", "fernhill.media"),
    company("kestrel", "Kestrel Fintech", "kestrelpay.com"),
    company("yerevan-soft", "Yerevan Soft LLC", "yerevansoft.am"),
    company("almaty-data", "Almaty Data LLP", "almatydata.kz"),
    company("tashkent-it", "Tashkent IT Group", "tashkent-it.uz"),
];

/// How a login is formed from the company slug.
pub(crate) const LOGIN_SUFFIXES: &[&str] =
    &["ops", "admin", "devops", "prod", "it", "cloud", "infra"];

/// Shared mailboxes some customers write from instead of their own.
pub(crate) const ROLE_MAILBOXES: &[&str] = &["ops", "admin", "it", "devops", "support"];

pub(crate) const PROJECT_BASES: &[&str] = &[
    "shop",
    "crm",
    "billing",
    "analytics",
    "mobile-api",
    "site",
    "erp",
    "ml",
    "backoffice",
    "payments",
    "media",
    "portal",
    "delivery",
    "booking",
    "lms",
];

pub(crate) const ENVIRONMENTS: &[&str] = &["prod", "stage", "dev", "test"];
