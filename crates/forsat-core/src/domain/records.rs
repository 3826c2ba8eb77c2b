//! The records Forsat keeps. Every type here is stored with postcard (not self-describing), so
//! decimals and timestamps use explicit serde adapters and no type uses `flatten`, `untagged` or
//! `tag`.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::i18n::{Calendar, DateFormat, Language, WeekStart};

/// Identifier of any record. One counter serves every table, so an id names one record only.
pub type Id = u64;

/// A sales team's pipeline: an ordered set of stages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pipeline {
    pub id: Id,
    pub name: String,
    pub sequence: u32,
}

/// Whether a stage holds open deals or closes them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum StageKind {
    Open,
    Won,
    Lost,
}

/// One step of a pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stage {
    pub id: Id,
    pub pipeline: Id,
    pub name: String,
    pub sequence: u32,
    /// Probability (0–100) a deal gets on entering this stage unless the user overrode it.
    #[serde(with = "rust_decimal::serde::str")]
    pub probability: Decimal,
    pub kind: StageKind,
    /// The "expected result": what a deal must meet before it moves on.
    pub requirements: String,
    /// Days in the stage after which a deal counts as stale.
    pub rotting_days: Option<u32>,
    pub folded: bool,
    /// The forecast category of its open deals that follow their stage's.
    pub forecast: ForecastCategory,
}

/// The stage as schema 6 and older stored it: without its forecast category.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageV6 {
    pub id: Id,
    pub pipeline: Id,
    pub name: String,
    pub sequence: u32,
    #[serde(with = "rust_decimal::serde::str")]
    pub probability: Decimal,
    pub kind: StageKind,
    pub requirements: String,
    pub rotting_days: Option<u32>,
    pub folded: bool,
}

impl From<StageV6> for Stage {
    fn from(old: StageV6) -> Stage {
        Stage {
            forecast: ForecastCategory::for_probability(old.probability),
            id: old.id,
            pipeline: old.pipeline,
            name: old.name,
            sequence: old.sequence,
            probability: old.probability,
            kind: old.kind,
            requirements: old.requirements,
            rotting_days: old.rotting_days,
            folded: old.folded,
        }
    }
}

/// Where an open deal stands in the forecast (as in `HubSpot` and Salesforce): a
/// pipeline deal may close, a best case one should, a committed one will; an omitted one is
/// left out of every total.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
pub enum ForecastCategory {
    #[default]
    Pipeline,
    BestCase,
    Commit,
    Omitted,
}

impl ForecastCategory {
    pub const ALL: [ForecastCategory; 4] = [
        ForecastCategory::Pipeline,
        ForecastCategory::BestCase,
        ForecastCategory::Commit,
        ForecastCategory::Omitted,
    ];

    /// The stable key written in history entries and exports.
    pub fn key(self) -> &'static str {
        match self {
            ForecastCategory::Pipeline => "pipeline",
            ForecastCategory::BestCase => "best_case",
            ForecastCategory::Commit => "commit",
            ForecastCategory::Omitted => "omitted",
        }
    }

    /// The category a stage of this probability starts with (new stages, and the stages of a
    /// file made before categories): Commit from 90 %, Best case from 50 %, else Pipeline.
    pub fn for_probability(probability: Decimal) -> ForecastCategory {
        if probability >= Decimal::from(90) {
            ForecastCategory::Commit
        } else if probability >= Decimal::from(50) {
            ForecastCategory::BestCase
        } else {
            ForecastCategory::Pipeline
        }
    }
}

/// A deal's forecast category: its stage's, or one the user chose, which a stage move never
/// changes. The first two variants are stored as the bytes of the bool schema 6 and older kept
/// ("in the forecast" false, true): an old deal reads as omitted, or following its stage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ForecastChoice {
    Omitted,
    #[default]
    Stage,
    Pipeline,
    BestCase,
    Commit,
}

impl ForecastChoice {
    pub const ALL: [ForecastChoice; 5] = [
        ForecastChoice::Stage,
        ForecastChoice::Pipeline,
        ForecastChoice::BestCase,
        ForecastChoice::Commit,
        ForecastChoice::Omitted,
    ];

    /// The category of a deal with this choice in a stage of category `stage`.
    pub fn category(self, stage: ForecastCategory) -> ForecastCategory {
        self.category_in(Some(stage)).unwrap_or(stage)
    }

    /// The category of a deal with this choice in a stage of category `stage` (None: a won
    /// or lost stage, which has none): its own when chosen, else its stage's.
    pub fn category_in(self, stage: Option<ForecastCategory>) -> Option<ForecastCategory> {
        match self {
            ForecastChoice::Stage => stage,
            ForecastChoice::Pipeline => Some(ForecastCategory::Pipeline),
            ForecastChoice::BestCase => Some(ForecastCategory::BestCase),
            ForecastChoice::Commit => Some(ForecastCategory::Commit),
            ForecastChoice::Omitted => Some(ForecastCategory::Omitted),
        }
    }

    /// The stable key written in history entries and exports.
    pub fn key(self) -> &'static str {
        match self {
            ForecastChoice::Stage => "stage",
            chosen => chosen.category(ForecastCategory::Pipeline).key(),
        }
    }

    /// The choice a file's cell names: a [`Self::key`] (any case, spaces or dashes for the
    /// underscore), or the bool of exports made before categories (true follows the stage).
    pub fn parse(text: &str) -> Option<ForecastChoice> {
        let folded: String = text
            .trim()
            .to_lowercase()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .collect();
        match folded.as_str() {
            "" | "stage" | "true" | "yes" | "1" => Some(ForecastChoice::Stage),
            "pipeline" => Some(ForecastChoice::Pipeline),
            "bestcase" => Some(ForecastChoice::BestCase),
            "commit" => Some(ForecastChoice::Commit),
            "omitted" | "false" | "no" | "0" => Some(ForecastChoice::Omitted),
            _ => None,
        }
    }
}

/// The lookup tables: each dropdown of the opportunity form is one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LookupKind {
    Source,
    Campaign,
    Salesperson,
    LossReason,
    Competitor,
    Tag,
}

impl LookupKind {
    /// Every lookup table, in the order the form shows them.
    pub const ALL: [LookupKind; 6] = [
        LookupKind::Source,
        LookupKind::Campaign,
        LookupKind::Salesperson,
        LookupKind::LossReason,
        LookupKind::Competitor,
        LookupKind::Tag,
    ];
}

/// One value of a lookup table (a salesperson, a source, a loss reason...).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    pub id: Id,
    pub kind: LookupKind,
    pub name: String,
    pub active: bool,
}

/// A company the user sells to.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: Id,
    pub name: String,
    pub source: Option<Id>,
    pub industry: String,
    pub phone: String,
    pub email: String,
    pub website: String,
    pub address: String,
    pub notes: String,
}

/// Whether a deal is with a new customer or grows an existing one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum BusinessType {
    #[default]
    New,
    Existing,
}

/// Whether the amount is typed in or summed from the lines.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum AmountMode {
    #[default]
    Manual,
    FromLines,
}

/// A product line of an opportunity.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub product: Option<Id>,
    pub description: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub quantity: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub discount_pct: Decimal,
}

/// A deal in the pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opportunity {
    pub id: Id,
    pub name: String,
    pub account: Id,
    pub business_type: BusinessType,
    pub source: Option<Id>,
    pub pipeline: Id,
    pub stage: Id,
    pub next_step: String,
    pub campaign: Option<Id>,
    pub salesperson: Option<Id>,
    /// ISO 4217 code of the amount's currency.
    pub currency: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub amount_mode: AmountMode,
    pub lines: Vec<Line>,
    pub expected_close: Option<NaiveDate>,
    /// False when archived.
    pub active: bool,
    #[serde(with = "rust_decimal::serde::str")]
    pub probability: Decimal,
    /// True when the user set the probability instead of following the stage default.
    pub probability_overridden: bool,
    /// Its forecast category, or its stage's.
    pub forecast: ForecastChoice,
    pub competitor: Option<Id>,
    pub loss_reason: Option<Id>,
    pub description: String,
    pub win_loss_report: String,
    /// 0 to 3 stars.
    pub priority: u8,
    pub tags: Vec<Id>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub created: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub updated: DateTime<Utc>,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub stage_entered: DateTime<Utc>,
    pub closed: Option<NaiveDate>,
    /// The account's contact this deal is with. Last, so schema 2 records convert by appending
    /// one byte (postcard's `None`).
    pub contact: Option<Id>,
}

/// Which kind of record a history entry is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EntityKind {
    Pipeline,
    Stage,
    Lookup,
    Account,
    Opportunity,
    SavedFilter,
    /// Settings and preferences (one record, id 0).
    Settings,
    Contact,
    Lead,
    Activity,
    Product,
    Currency,
    SavedReport,
    Goal,
}

/// One changed field of one record, written in the same transaction as the change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub id: Id,
    /// All entries of one user action share this number.
    pub action: Id,
    pub entity: EntityKind,
    pub entity_id: Id,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
    /// The field's key, e.g. `stage`; `created` and `deleted` for whole records.
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A typed record of a stage move; the funnel and leakage reports are computed from these.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageEvent {
    pub id: Id,
    pub opportunity: Id,
    /// None when the deal was created in `to`.
    pub from: Option<Id>,
    pub to: Id,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
}

/// Workspace-wide settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// ISO 4217 code every total is reported in.
    pub base_currency: String,
    /// A new deal's expected close is today plus this many days.
    pub close_offset_days: u32,
    pub date_format: DateFormat,
    pub week_start: WeekStart,
    /// Whether a copy of the file is kept each day it is opened.
    pub backups: bool,
    /// How many daily copies are kept.
    pub backups_keep: u32,
    /// None follows the system's locale.
    pub language: Option<Language>,
    /// None follows the language (Jalali in Persian).
    pub calendar: Option<Calendar>,
    /// Whether open deals that follow their stage's probability take the predicted one.
    pub predicted_probability: bool,
}

/// The settings as schemas 5 and 6 stored them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsV6 {
    pub base_currency: String,
    pub close_offset_days: u32,
    pub date_format: DateFormat,
    pub week_start: WeekStart,
    pub backups: bool,
    pub backups_keep: u32,
    pub language: Option<Language>,
    pub calendar: Option<Calendar>,
}

impl From<SettingsV6> for Settings {
    fn from(old: SettingsV6) -> Settings {
        Settings {
            base_currency: old.base_currency,
            close_offset_days: old.close_offset_days,
            date_format: old.date_format,
            week_start: old.week_start,
            backups: old.backups,
            backups_keep: old.backups_keep,
            language: old.language,
            calendar: old.calendar,
            predicted_probability: false,
        }
    }
}

impl Settings {
    /// The language, calendar and date conventions these settings ask for.
    pub fn local(&self) -> crate::i18n::Local {
        crate::i18n::Local::chosen(
            self.language,
            self.calendar,
            self.date_format,
            self.week_start,
        )
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            base_currency: "USD".to_owned(),
            close_offset_days: 42,
            date_format: DateFormat::Iso,
            week_start: WeekStart::Monday,
            backups: true,
            backups_keep: 7,
            language: None,
            calendar: None,
            predicted_probability: false,
        }
    }
}

/// The settings as schema 4 stored them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsV4 {
    pub base_currency: String,
    pub close_offset_days: u32,
    pub date_format: DateFormat,
    pub week_start: WeekStart,
    pub backups: bool,
    pub backups_keep: u32,
}

impl From<SettingsV4> for Settings {
    fn from(old: SettingsV4) -> Settings {
        Settings {
            base_currency: old.base_currency,
            close_offset_days: old.close_offset_days,
            date_format: old.date_format,
            week_start: old.week_start,
            backups: old.backups,
            backups_keep: old.backups_keep,
            ..Settings::default()
        }
    }
}

/// The settings as schema 3 and earlier stored them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsV3 {
    pub base_currency: String,
    pub close_offset_days: u32,
}

impl From<SettingsV3> for Settings {
    fn from(old: SettingsV3) -> Settings {
        Settings {
            base_currency: old.base_currency,
            close_offset_days: old.close_offset_days,
            ..Settings::default()
        }
    }
}

/// A person at an account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    pub id: Id,
    pub account: Id,
    pub name: String,
    /// Their job or part in the deal ("CFO", "decision maker").
    pub role: String,
    /// The first email (the one mail goes to); [`Contact::more_emails`] holds the others.
    pub email: String,
    /// The first phone; [`Contact::more_phones`] holds the others.
    pub phone: String,
    /// Their other email addresses (a vCard's second and later EMAIL).
    pub more_emails: Vec<String>,
    /// Their other phone numbers.
    pub more_phones: Vec<String>,
    pub notes: String,
}

impl Contact {
    /// Every email address, the first one first.
    pub fn emails(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.email.as_str())
            .chain(self.more_emails.iter().map(String::as_str))
            .filter(|e| !e.is_empty())
    }

    /// Every phone number, the first one first.
    pub fn phones(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.phone.as_str())
            .chain(self.more_phones.iter().map(String::as_str))
            .filter(|p| !p.is_empty())
    }

    /// Sets the emails from a list, the first one first (none: no email).
    pub fn set_emails(&mut self, emails: Vec<String>) {
        (self.email, self.more_emails) = first_and_rest(emails);
    }

    /// Sets the phones from a list, the first one first (none: no phone).
    pub fn set_phones(&mut self, phones: Vec<String>) {
        (self.phone, self.more_phones) = first_and_rest(phones);
    }
}

/// A list's first item (empty when none) and the others.
fn first_and_rest(mut list: Vec<String>) -> (String, Vec<String>) {
    if list.is_empty() {
        (String::new(), list)
    } else {
        let first = list.remove(0);
        (first, list)
    }
}

/// The contact as schema 10 and older stored it: one email, one phone, no notes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactV10 {
    pub id: Id,
    pub account: Id,
    pub name: String,
    pub role: String,
    pub email: String,
    pub phone: String,
}

impl From<ContactV10> for Contact {
    fn from(old: ContactV10) -> Contact {
        Contact {
            id: old.id,
            account: old.account,
            name: old.name,
            role: old.role,
            email: old.email,
            phone: old.phone,
            ..Contact::default()
        }
    }
}

/// An unqualified prospect, before it becomes an account and a deal.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub id: Id,
    pub name: String,
    pub company: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub source: Option<Id>,
    pub notes: String,
    pub salesperson: Option<Id>,
    /// What the lead became; None while it is still a lead.
    pub converted: Option<Conversion>,
}

/// The records a converted lead turned into.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversion {
    pub account: Id,
    pub contact: Option<Id>,
    pub opportunity: Id,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
}

/// What an activity is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityKind {
    #[default]
    Call,
    Meeting,
    Email,
    Task,
}

impl ActivityKind {
    pub const ALL: [ActivityKind; 4] = [
        ActivityKind::Call,
        ActivityKind::Meeting,
        ActivityKind::Email,
        ActivityKind::Task,
    ];
}

/// The record an activity is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ActivityLink {
    Opportunity(Id),
    Account(Id),
}

/// A call, meeting, email or task planned for a deal or an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub id: Id,
    pub kind: ActivityKind,
    pub summary: String,
    pub due: NaiveDate,
    pub done: bool,
    pub link: ActivityLink,
    /// The time of day it starts, on the system's clock; None: some time that day.
    pub time: Option<NaiveTime>,
    /// How long it lasts, in minutes; 0 when not said.
    pub minutes: u32,
    pub notes: String,
    /// Who does it; None: the deal's salesperson, or nobody named on an account.
    pub salesperson: Option<Id>,
    /// Its calendar event's UID: given when it is first written (see [`Activity::give_uid`]),
    /// or the one of the event it was imported from; what keeps a calendar file exported
    /// again, or imported back, from duplicating it.
    pub uid: String,
}

impl Activity {
    /// Gives an activity without a UID one, from its id and the time it is written: unique to
    /// it across files, and kept from then on.
    pub fn give_uid(&mut self, at: DateTime<Utc>) {
        if self.uid.is_empty() {
            self.uid = format!("{}-{}@forsat", at.timestamp_millis(), self.id);
        }
    }

    /// A new activity (id 0) with no time, duration, notes or salesperson of its own.
    pub fn planned(
        kind: ActivityKind,
        summary: String,
        due: NaiveDate,
        link: ActivityLink,
    ) -> Self {
        Activity {
            id: 0,
            kind,
            summary,
            due,
            done: false,
            link,
            time: None,
            minutes: 0,
            notes: String::new(),
            salesperson: None,
            uid: String::new(),
        }
    }
}

/// The activity as schema 9 and older stored it: a day, no time, duration, notes or owner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityV9 {
    pub id: Id,
    pub kind: ActivityKind,
    pub summary: String,
    pub due: NaiveDate,
    pub done: bool,
    pub link: ActivityLink,
}

impl From<ActivityV9> for Activity {
    fn from(old: ActivityV9) -> Activity {
        Activity {
            id: old.id,
            done: old.done,
            ..Activity::planned(old.kind, old.summary, old.due, old.link)
        }
    }
}

/// An item of the catalog that deal lines are priced from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: Id,
    pub code: String,
    pub name: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub unit_price: Decimal,
    /// ISO 4217 code of the unit price.
    pub currency: String,
    pub active: bool,
}

/// A currency deals can be in, with what one unit is worth in the base currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Currency {
    pub id: Id,
    /// ISO 4217 code, three capital letters.
    pub code: String,
    pub name: String,
    /// Base-currency units per unit of this one (1 for the base currency itself).
    #[serde(with = "rust_decimal::serde::str")]
    pub rate: Decimal,
    /// The day the rate was set.
    pub rate_date: NaiveDate,
    pub active: bool,
}
