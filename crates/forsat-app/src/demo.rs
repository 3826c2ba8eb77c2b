//! Realistic generated pipelines: the first start's sample and `forsat demo`. Deterministic
//! for a seed, so tests and benchmarks can rely on them.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, Duration, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;

use crate::command::Batch;
use crate::domain::{
    Account, Activity, ActivityKind, ActivityLink, AmountMode, BusinessType, CloseDateChange,
    Contact, Currency, ForecastChoice, Id, Lead, Line, Lookup, LookupKind, Opportunity, Product,
    Rates, Record, Settings, Stage, StageEvent, StageKind, lines_amount,
};
use crate::workspace::Workspace;

const COMPANIES: [&str; 24] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Tyrell",
    "Cyberdyne",
    "Aperture",
    "Pars Data",
    "Delta PC",
    "Société Générale d'Équipement",
    "Café Müller",
    "Nordwind",
    "Aria Systems",
    "Kavir Steel",
    "Sepid Pharma",
    "Zagros Logistics",
    "Bluefin",
    "Lumière Studio",
    "Øresund Shipping",
    "Núñez & Hijos",
    "Tabriz Carpets",
    "Keystone Health",
];
const FORMS: [&str; 6] = ["", " Ltd", " GmbH", " SA", " Inc.", " & Co."];
const DEALS: [&str; 12] = [
    "CRM rollout",
    "Annual support",
    "Office fit-out",
    "Cloud migration",
    "Fleet renewal",
    "Security audit",
    "Training programme",
    "Data platform",
    "ERP licences",
    "Website redesign",
    "Solar installation",
    "Warehouse racking",
];
const SALESPEOPLE: [&str; 6] = [
    "Sara Rahimi",
    "Lucas Martin",
    "Amélie Durand",
    "Reza Karimi",
    "Emma Thompson",
    "Daniel Okafor",
];
const NEXT_STEPS: [&str; 6] = [
    "Call back about budget",
    "Send revised quotation",
    "Demo for the IT team",
    "Meet the decision maker",
    "Check references",
    "Draft the contract",
];

/// `SplitMix64`: tiny, fast and the same on every platform (also for tests' generated data).
pub struct Rng(pub u64);

impl Rng {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// What [`generate`] made, for the CLI to report.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub opportunities: usize,
    pub accounts: usize,
    pub salespeople: usize,
    pub stage_events: usize,
    pub won: usize,
    pub lost: usize,
}

/// The sample pipeline added on the GUI's first start: a few dozen deals.
pub fn sample(ws: &Workspace) -> Batch {
    generate(ws, 36, 2026).0
}

/// `count` deals over several accounts and salespeople in the default pipeline: half closed
/// over the last two years (about as many won as lost), half open now and closing up to
/// nine months ahead. Who wins follows a stated ground truth ([`truth`]), so a model of the
/// win probability has something real to learn.
pub fn generate(ws: &Workspace, count: usize, seed: u64) -> (Batch, Summary) {
    let mut rng = Rng(seed ^ 0x466F_7273_6174); // "Forsat"
    let mut next_id = ws.next_id();
    let mut take_id = || {
        // Past the last id they repeat, and the batch is refused (never a wrap to 0).
        let id = next_id;
        next_id = id.saturating_add(1);
        id
    };
    let mut batch = Batch::default();
    let mut summary = Summary::default();

    let pipeline = ws.default_pipeline().id;
    let open: Vec<&Stage> = ws
        .stages_of(pipeline)
        .filter(|s| s.kind == StageKind::Open)
        .collect();
    if open.is_empty() || count == 0 {
        return (batch, summary);
    }
    let sources: Vec<Id> = ws
        .lookups(LookupKind::Source)
        .iter()
        .map(|l| l.id)
        .collect();
    let salespeople = add_salespeople(ws, &mut batch, &mut take_id);
    summary.salespeople = batch.lookups.len();
    let accounts = add_accounts(ws, count, &sources, &mut rng, &mut take_id, &mut batch);
    summary.accounts = batch.accounts.len();

    let pool = DealPool {
        now: ws.now(),
        settings: ws.settings().clone(),
        open,
        won: ws.stage_of_kind(pipeline, StageKind::Won),
        lost: ws.stage_of_kind(pipeline, StageKind::Lost),
        reasons: ws
            .lookups(LookupKind::LossReason)
            .iter()
            .map(|l| l.id)
            .collect(),
        sources,
        salespeople,
        accounts,
    };
    for _ in 0..count {
        let (opp, kind) = pool.deal(&mut rng, &mut take_id, &mut batch);
        match kind {
            StageKind::Won => summary.won += 1,
            StageKind::Lost => summary.lost += 1,
            StageKind::Open => {}
        }
        batch.opportunities.push(opp);
    }
    summary.opportunities = batch.opportunities.len();
    summary.stage_events = batch.stage_events.len();
    let mut extras = Rng(seed ^ 0x6578_7472_6173); // "extras"
    add_related(ws, &mut batch, &mut extras, &mut take_id, &pool.accounts);
    (batch, summary)
}

/// The demo's salespeople: those the database has by name, the others added to `batch`.
fn add_salespeople(ws: &Workspace, batch: &mut Batch, take_id: &mut impl FnMut() -> Id) -> Vec<Id> {
    let mut salespeople = Vec::new();
    for name in SALESPEOPLE {
        let existing = ws
            .lookups(LookupKind::Salesperson)
            .into_iter()
            .find(|l| l.name == name)
            .map(|l| l.id);
        salespeople.push(existing.unwrap_or_else(|| {
            let lookup = Lookup {
                id: take_id(),
                kind: LookupKind::Salesperson,
                name: name.to_owned(),
                active: true,
            };
            let id = lookup.id;
            batch.lookups.push(lookup);
            id
        }));
    }
    salespeople
}

/// The accounts for `count` deals: those the database has by name, the others added to
/// `batch`.
fn add_accounts(
    ws: &Workspace,
    count: usize,
    sources: &[Id],
    rng: &mut Rng,
    take_id: &mut impl FnMut() -> Id,
    batch: &mut Batch,
) -> Vec<Account> {
    let account_count = (count / 4).clamp(3, 100_000);
    let mut accounts: Vec<Account> = Vec::with_capacity(account_count);
    let existing: HashMap<String, &Account> =
        ws.accounts().map(|a| (a.name.to_lowercase(), a)).collect();
    let mut seen: HashSet<String> = HashSet::new();
    for i in 0..account_count {
        let base = format!(
            "{}{}",
            // A stride coprime with the list's length mixes the names of a small sample.
            COMPANIES[(i * 7) % COMPANIES.len()],
            FORMS[(i / COMPANIES.len()) % FORMS.len()]
        );
        let round = i / (COMPANIES.len() * FORMS.len());
        let name = if round == 0 {
            base
        } else {
            format!("{base} {}", round + 1)
        };
        if !seen.insert(name.to_lowercase()) {
            continue;
        }
        if let Some(a) = existing.get(&name.to_lowercase()) {
            accounts.push((*a).clone());
            continue;
        }
        let account = Account {
            id: take_id(),
            source: sources
                .get(rng.below(sources.len().max(1) as u64) as usize)
                .copied(),
            industry: rng
                .pick(&[
                    "Retail",
                    "Manufacturing",
                    "Health",
                    "Logistics",
                    "Energy",
                    "Software",
                ])
                .to_string(),
            email: format!("sales@{}.example", slug(&name)),
            name,
            ..Account::default()
        };
        batch.accounts.push(account.clone());
        accounts.push(account);
    }
    accounts
}

/// What the generated deals are drawn from.
struct DealPool<'w> {
    now: DateTime<Utc>,
    settings: Settings,
    /// The default pipeline's open stages (at least one), and its won and lost ones.
    open: Vec<&'w Stage>,
    won: Option<&'w Stage>,
    lost: Option<&'w Stage>,
    reasons: Vec<Id>,
    /// The database's sources in order: a deal's source weighs by its place here.
    sources: Vec<Id>,
    salespeople: Vec<Id>,
    accounts: Vec<Account>,
}

/// The demo's ground truth (the README's "Predicted probability" states it): a closed deal is
/// won with probability σ(z), an open one will be; z adds these.
mod truth {
    /// By the salesperson's place in `SALESPEOPLE`.
    pub const SALESPERSON: [f64; 6] = [0.8, 0.4, 0.0, 0.0, -0.4, -0.8];
    /// By the source's place among the database's sources, in turn.
    pub const SOURCE: [f64; 5] = [0.6, 0.3, 0.0, -0.3, -0.6];
    /// Per tenfold amount above 31,623 (10^4.5): large deals are harder.
    pub const PER_DECADE: f64 = -0.5;
    /// A deal followed up (done activities every 10–40 days, the last two logged) or not.
    pub const FOLLOWED_UP: f64 = 0.5;
    /// Mean days (exponential, plus one) in each open stage of a deal that is won, and of one
    /// that is lost: a deal sitting long in a stage is likelier lost.
    pub const DAYS_WON: f64 = 12.0;
    pub const DAYS_LOST: f64 = 40.0;
    /// At most this many done activities a followed-up deal logs: its latest.
    pub const LOGGED: usize = 2;
    /// Per push of its expected close date (a deal's close date is pushed 0, 1 or 2 times,
    /// drawn from its id: 60, 25 and 15 in a hundred; each push 14–45 days later, at a time
    /// during its life).
    pub const PER_PUSH: f64 = -0.6;

    /// How many times deal `id`'s close date is pushed (from its id, so the other draws stay
    /// as they were).
    pub fn pushes(id: u64) -> u32 {
        match id.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 57 {
            0..=76 => 0,
            77..=108 => 1,
            _ => 2,
        }
    }
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

impl DealPool<'_> {
    /// One deal, moved along its path (its moves and its done activities added to `batch`),
    /// with the kind of stage it ends in.
    fn deal(
        &self,
        rng: &mut Rng,
        take_id: &mut impl FnMut() -> Id,
        batch: &mut Batch,
    ) -> (Opportunity, StageKind) {
        let (mut opp, closing, fate) = self.draft(rng, take_id);
        // The deal's path: through some open stages, then maybe to Won or Lost. A deal that
        // is (or will be) won goes through every open stage.
        let open = &self.open;
        let last_open = if closing && fate.won {
            open.len() - 1
        } else {
            rng.below(open.len() as u64) as usize
        };
        let mut path: Vec<&Stage> = open[..=last_open].to_vec();
        match (closing, fate.won, self.won, self.lost) {
            (true, true, Some(w), _) => path.push(w),
            (true, false, _, Some(l)) => path.push(l),
            _ => {}
        }
        // Days in each open stage of the path; an open deal is part way through its last.
        let mean = if fate.won {
            truth::DAYS_WON
        } else {
            truth::DAYS_LOST
        };
        let mut days: Vec<f64> = (0..=last_open)
            .map(|_| 1.0 + mean * -(1.0 - rng.unit()).ln())
            .collect();
        if !closing {
            days[last_open] *= rng.unit();
        }
        let life: f64 = days.iter().sum();
        let now = self.now;
        // A closed deal closed some time in the last two years; an open one is in its stage now.
        let before = if closing {
            rng.unit() * (730.0 - life).max(1.0)
        } else {
            0.0
        };
        let minutes = |d: f64| Duration::minutes((d * 24.0 * 60.0) as i64);
        let created = now - minutes(life + before);
        let end = now - minutes(before);
        opp.created = created;
        opp.updated = created;
        opp.stage_entered = created;
        opp.expected_close = if closing {
            let slack = rng.below(40) as i64 - 10;
            end.date_naive().checked_add_signed(Duration::days(slack))
        } else {
            // Up to nine months ahead, some already late; never before two weeks after creation.
            let ahead = rng.below(280) as i64 - 40;
            let close = now.date_naive().checked_add_signed(Duration::days(ahead));
            let earliest = created.date_naive().checked_add_signed(Duration::days(14));
            close.max(earliest)
        };
        batch.stage_events.push(StageEvent {
            id: take_id(),
            opportunity: opp.id,
            from: None,
            to: path[0].id,
            at: created,
        });
        let mut at = created;
        for (k, pair) in path.windows(2).enumerate() {
            at += minutes(days[k]);
            let reason = (pair[1].kind == StageKind::Lost)
                .then(|| {
                    self.reasons
                        .get(rng.below(self.reasons.len().max(1) as u64) as usize)
                        .copied()
                })
                .flatten();
            opp.enter_stage(pair[1], reason, at);
            opp.updated = at;
            batch.stage_events.push(StageEvent {
                id: take_id(),
                opportunity: opp.id,
                from: Some(pair[0].id),
                to: pair[1].id,
                at,
            });
        }
        if fate.followed_up {
            log_activities(rng, take_id, batch, &opp, created, end);
        }
        push_close_date(batch, &opp, fate.pushes, created, end);
        let last = path[path.len() - 1];
        if opp.closed.is_none() {
            opp.next_step = rng.pick(&NEXT_STEPS).to_string();
            if rng.below(10) == 0 {
                opp.set_probability(Decimal::from(5 + rng.below(19) * 5), last);
            }
            // A salesperson commits some deals of the last open stage by hand and leaves some
            // early ones out (by id, so the other draws, and the ground truth, stay as they were).
            let late = opp.stage == self.open[self.open.len() - 1].id;
            opp.forecast = match opp.id % 10 {
                0..=2 if late => ForecastChoice::Commit,
                5 if !late => ForecastChoice::Omitted,
                _ => ForecastChoice::Stage,
            };
        }
        (opp, last.kind)
    }

    /// A deal in the first open stage, whether it has closed, and its fate drawn from the
    /// ground truth ([`truth`]). Dates are set by [`DealPool::deal`].
    fn draft(&self, rng: &mut Rng, take_id: &mut impl FnMut() -> Id) -> (Opportunity, bool, Fate) {
        let account = rng.pick(&self.accounts).clone();
        let closing = rng.below(2) == 0;
        let mut opp = Opportunity::draft(&account, self.open[0], &self.settings, self.now);
        opp.id = take_id();
        opp.name = format!("{} – {}", account.name, rng.pick(&DEALS));
        let person = rng.below(self.salespeople.len() as u64) as usize;
        opp.salesperson = Some(self.salespeople[person]);
        opp.amount = amount(rng);
        opp.priority = [0, 0, 0, 1, 1, 2, 3][rng.below(7) as usize];
        opp.business_type = if rng.below(10) < 3 {
            BusinessType::Existing
        } else {
            BusinessType::New
        };
        opp.description = format!(
            "{} for {} ({} staff).",
            rng.pick(&DEALS),
            account.name,
            10 + rng.below(990)
        );
        let followed_up = rng.below(2) == 0;
        let source = opp
            .source
            .and_then(|s| self.sources.iter().position(|&id| id == s))
            .map_or(0.0, |i| truth::SOURCE[i % truth::SOURCE.len()]);
        let decades = f64::try_from(opp.amount).unwrap_or(1.0).max(1.0).log10() - 4.5;
        let pushes = truth::pushes(opp.id);
        let z = truth::SALESPERSON[person % truth::SALESPERSON.len()]
            + source
            + truth::PER_PUSH * f64::from(pushes)
            + truth::PER_DECADE * decades
            + if followed_up {
                truth::FOLLOWED_UP
            } else {
                -truth::FOLLOWED_UP
            };
        let fate = Fate {
            won: rng.unit() < sigmoid(z),
            followed_up,
            pushes,
        };
        (opp, closing, fate)
    }
}

/// What the ground truth decided for a deal.
struct Fate {
    /// Won, or (open) will be.
    won: bool,
    followed_up: bool,
    /// How many times its close date is pushed.
    pushes: u32,
}

/// The `count` pushes of a deal's close date between `start` and `end`, ending at the date
/// it holds: each 14–45 days, at evenly spread times (drawn from its id, so the other draws
/// stay as they were).
fn push_close_date(
    batch: &mut Batch,
    opp: &Opportunity,
    count: u32,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) {
    let Some(mut date) = opp.expected_close else {
        return;
    };
    let mut rng = Rng(opp.id ^ 0x7075_7368); // "push"
    let mut changes = Vec::new();
    for k in (1..=count).rev() {
        let at = start + (end - start) * i32::try_from(k).unwrap_or(1) / (count as i32 + 1);
        let from = date - Duration::days(14 + rng.below(32) as i64);
        changes.push(CloseDateChange {
            id: 0,
            opportunity: opp.id,
            from: Some(from),
            to: Some(date),
            at,
        });
        date = from;
    }
    changes.reverse();
    batch.close_dates.extend(changes);
}

/// A followed-up deal's done activities: every 10–40 days from `start`, the last
/// [`truth::LOGGED`] before `end` kept.
fn log_activities(
    rng: &mut Rng,
    take_id: &mut impl FnMut() -> Id,
    batch: &mut Batch,
    opp: &Opportunity,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) {
    let mut days = Vec::new();
    let mut at = start.date_naive();
    let end = end.date_naive();
    loop {
        at = match at.checked_add_days(Days::new(10 + rng.below(31))) {
            Some(next) if next < end => next,
            _ => break,
        };
        days.push(at);
    }
    for due in days.iter().rev().take(truth::LOGGED).rev() {
        let (kind, summary) = *rng.pick(&ACTIVITIES);
        batch.records.push(Record::Activity(Activity {
            done: true,
            ..demo_activity(take_id(), kind, summary, *due, opp)
        }));
    }
}

/// A deal's activity; calls and meetings at a time of the working day and for a while, both
/// drawn from the id so that the generator's other draws (and the ground truth) stay as they
/// were.
fn demo_activity(
    id: Id,
    kind: ActivityKind,
    summary: &str,
    due: NaiveDate,
    opp: &Opportunity,
) -> Activity {
    let mut activity = Activity {
        id,
        salesperson: opp.salesperson,
        ..Activity::planned(
            kind,
            summary.to_owned(),
            due,
            ActivityLink::Opportunity(opp.id),
        )
    };
    if matches!(kind, ActivityKind::Call | ActivityKind::Meeting) {
        // Half-hour slots from 9:00 to 16:30.
        let slot = (id.wrapping_mul(2_654_435_761) >> 7) % 16;
        activity.time = NaiveTime::from_hms_opt(9 + (slot / 2) as u32, 30 * (slot % 2) as u32, 0);
        activity.minutes = if kind == ActivityKind::Meeting {
            60
        } else {
            30
        };
    }
    activity
}

const CONTACTS: [(&str, &str); 8] = [
    ("Sara Ahmadi", "CFO"),
    ("Jean Dupont", "IT manager"),
    ("Maryam Hosseini", "Head of purchasing"),
    ("Oliver Brown", "CEO"),
    ("Chloé Bernard", "Operations director"),
    ("Ali Moradi", "Project lead"),
    ("Hannah Schmidt", "Procurement"),
    ("Kenji Sato", "CTO"),
];
const PRODUCTS: [(&str, &str, u32, &str); 6] = [
    ("LIC-SEAT", "Seat licence (annual)", 450, "USD"),
    ("SVC-ONB", "Onboarding workshop", 2_400, "USD"),
    ("SVC-SUP", "Premium support plan", 6_000, "USD"),
    ("HW-KIT", "Scanner kit", 1_250, "EUR"),
    ("SVC-DEV", "Custom development (day)", 900, "EUR"),
    ("SVC-TRN", "Training day", 780, "GBP"),
];
const ACTIVITIES: [(ActivityKind, &str); 6] = [
    (ActivityKind::Call, "Call about the budget"),
    (ActivityKind::Meeting, "Demo for the team"),
    (ActivityKind::Email, "Send the revised quotation"),
    (ActivityKind::Task, "Prepare the contract draft"),
    (ActivityKind::Call, "Follow up on the proposal"),
    (ActivityKind::Meeting, "Meet the decision maker"),
];
const LEADS: [(&str, &str, &str); 6] = [
    ("Fleet tracking", "Caspian Logistics", "Reza Tehrani"),
    ("Clinic software", "Keystone Health", "Laura Chen"),
    ("Point of sale upgrade", "Boulangerie Paul", "Paul Lefèvre"),
    ("Solar roof", "Alborz Textiles", "Nasrin Jafari"),
    ("Website relaunch", "Nordwind", "Jonas Berg"),
    ("Data warehouse", "Tabriz Carpets", "Babak Alavi"),
];

/// Currencies, products, contacts, activities and leads around the generated deals: some deals
/// in euros and pounds, some priced from product lines, a contact per account, upcoming and late
/// activities on open deals. Uses its own random stream so the deals themselves stay the same.
fn add_related(
    ws: &Workspace,
    batch: &mut Batch,
    rng: &mut Rng,
    take_id: &mut impl FnMut() -> Id,
    accounts: &[Account],
) {
    let today = ws.today();
    let base = ws.settings().base_currency.clone();
    let currencies = add_currencies(ws, &base, today, batch, take_id);
    let rates = Rates::new(&base, &currencies);
    let products: Vec<Product> = PRODUCTS
        .iter()
        .filter(|(_, _, _, currency)| rates.rate(currency).is_some())
        .map(|&(code, name, price, currency)| Product {
            id: take_id(),
            code: code.to_owned(),
            name: name.to_owned(),
            unit_price: price.into(),
            currency: currency.to_owned(),
            active: true,
        })
        .collect();
    batch
        .records
        .extend(products.iter().cloned().map(Record::Product));
    let extras = DealExtras {
        today,
        foreign: currencies.iter().map(|c| c.code.clone()).collect(),
        rates,
        products,
        first_contact: add_contacts(ws, batch, rng, take_id, accounts),
    };
    extras.add_to_deals(batch, rng, take_id);
    add_leads(ws, batch, rng, take_id);
}

/// The currencies the demo's deals may be in: the database's, and euros and pounds (added to
/// `batch`) when the database does not list them.
fn add_currencies(
    ws: &Workspace,
    base: &str,
    today: NaiveDate,
    batch: &mut Batch,
    take_id: &mut impl FnMut() -> Id,
) -> Vec<Currency> {
    let mut currencies: Vec<Currency> = ws.currencies().into_iter().cloned().collect();
    for (code, name, rate) in [("EUR", "Euro", "1.08"), ("GBP", "Pound sterling", "1.27")] {
        if code != base && !currencies.iter().any(|c| c.code == code) {
            let currency = Currency {
                id: take_id(),
                code: code.to_owned(),
                name: name.to_owned(),
                rate: rate.parse().expect("a decimal literal"),
                rate_date: today,
                active: true,
            };
            batch.records.push(Record::Currency(currency.clone()));
            currencies.push(currency);
        }
    }
    currencies
}

/// A contact for each new account, added to `batch`; returns each account's contact.
fn add_contacts(
    ws: &Workspace,
    batch: &mut Batch,
    rng: &mut Rng,
    take_id: &mut impl FnMut() -> Id,
    accounts: &[Account],
) -> HashMap<Id, Id> {
    let mut first_contact: HashMap<Id, Id> = HashMap::new();
    for account in accounts.iter().filter(|a| ws.account(a.id).is_none()) {
        let (name, role) = *rng.pick(&CONTACTS);
        let contact = Contact {
            id: take_id(),
            account: account.id,
            name: name.to_owned(),
            role: role.to_owned(),
            email: format!("{}@{}.example", slug(name), slug(&account.name)),
            phone: format!("+1 555 {:04}", rng.below(10_000)),
            ..Contact::default()
        };
        first_contact.insert(account.id, contact.id);
        batch.records.push(Record::Contact(contact));
    }
    first_contact
}

/// What the generated deals get besides their stages: contacts, currencies, lines, activities.
struct DealExtras {
    today: NaiveDate,
    rates: Rates,
    /// The codes of the currencies a deal may be in.
    foreign: Vec<String>,
    products: Vec<Product>,
    /// Each new account's contact.
    first_contact: HashMap<Id, Id>,
}

impl DealExtras {
    /// Gives the batch's deals their contact, some another currency or product lines, and
    /// open ones an activity (added to `batch`).
    fn add_to_deals(&self, batch: &mut Batch, rng: &mut Rng, take_id: &mut impl FnMut() -> Id) {
        let today = self.today;
        // The first open deals in another currency are priced from lines, to show both at once.
        let mut foreign_priced = 0;
        for (i, opp) in batch.opportunities.iter_mut().enumerate() {
            opp.contact = self.first_contact.get(&opp.account).copied();
            let mut priced = i % 5 == 2;
            if !self.foreign.is_empty() && i % 6 == 5 {
                opp.currency = rng.pick(&self.foreign).clone();
                if opp.closed.is_none() && foreign_priced < 2 {
                    foreign_priced += 1;
                    priced = true;
                }
            }
            if !self.products.is_empty() && priced {
                opp.lines = self.lines(rng, &opp.currency);
                opp.amount_mode = AmountMode::FromLines;
                opp.amount = lines_amount(&opp.lines);
            }
            if opp.closed.is_none() && rng.below(3) < 2 {
                let (kind, summary) = *rng.pick(&ACTIVITIES);
                let due = today
                    .checked_add_signed(Duration::days(rng.below(24) as i64 - 6))
                    .unwrap_or(today);
                batch.records.push(Record::Activity(demo_activity(
                    take_id(),
                    kind,
                    summary,
                    due,
                    opp,
                )));
            }
        }
    }

    /// One to three product lines, priced in `currency`.
    fn lines(&self, rng: &mut Rng, currency: &str) -> Vec<Line> {
        let count = 1 + rng.below(3) as usize;
        (0..count)
            .map(|_| {
                let product = rng.pick(&self.products);
                Line {
                    product: Some(product.id),
                    description: product.name.clone(),
                    quantity: Decimal::from(1 + rng.below(20)),
                    unit_price: self
                        .rates
                        .convert(product.unit_price, &product.currency, currency),
                    discount_pct: Decimal::from([0, 0, 5, 10, 15][rng.below(5) as usize]),
                }
            })
            .collect()
    }
}

/// The demo's leads, added to `batch`.
fn add_leads(ws: &Workspace, batch: &mut Batch, rng: &mut Rng, take_id: &mut impl FnMut() -> Id) {
    let sources: Vec<Id> = ws
        .lookups(LookupKind::Source)
        .iter()
        .map(|l| l.id)
        .collect();
    let salespeople: Vec<Id> = batch
        .lookups
        .iter()
        .filter(|l| l.kind == LookupKind::Salesperson)
        .map(|l| l.id)
        .collect();
    for &(name, company, contact) in &LEADS {
        batch.records.push(Record::Lead(Lead {
            id: take_id(),
            name: name.to_owned(),
            company: company.to_owned(),
            contact_name: contact.to_owned(),
            email: format!("{}@{}.example", slug(contact), slug(company)),
            phone: format!("+1 555 {:04}", rng.below(10_000)),
            source: sources
                .get(rng.below(sources.len().max(1) as u64) as usize)
                .copied(),
            notes: String::new(),
            salesperson: salespeople
                .get(rng.below(salespeople.len().max(1) as u64) as usize)
                .copied(),
            converted: None,
        }));
    }
}

/// Amounts from a few hundred to a few million, log-uniform and rounded as people quote them.
fn amount(rng: &mut Rng) -> Decimal {
    let value = 10f64.powf(2.5 + rng.unit() * 4.0); // 316 .. 3,162,277
    let step = if value < 10_000.0 {
        50.0
    } else if value < 1_000_000.0 {
        500.0
    } else {
        10_000.0
    };
    Decimal::from(((value / step).round() * step) as u64)
}

fn slug(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_lowercase()
}
