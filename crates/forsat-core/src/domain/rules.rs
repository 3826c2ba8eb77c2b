//! The rules of a deal's life: defaults, stage moves, probability, weighted value, validation.

use std::fmt;

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::records::{
    Account, AmountMode, BusinessType, ForecastCategory, ForecastChoice, Id, Language, Opportunity,
    Settings, Stage, StageKind,
};
use crate::{tr, trn};

/// The largest amount accepted: a trillion in any currency is a typo, not a deal.
pub const MAX_AMOUNT: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0); // 1e12

/// A stage of the default pipeline, before it has an id.
pub struct StageTemplate {
    pub name: &'static str,
    pub probability: u32,
    pub kind: StageKind,
    pub requirements: &'static str,
    pub folded: bool,
}

/// The stages every new pipeline starts with (Odoo's defaults).
pub const DEFAULT_STAGES: [StageTemplate; 5] = [
    StageTemplate {
        name: "New",
        probability: 10,
        kind: StageKind::Open,
        requirements: "A contact and a need worth following up.",
        folded: false,
    },
    StageTemplate {
        name: "Qualified",
        probability: 30,
        kind: StageKind::Open,
        requirements: "Budget, decision maker, need and timeline confirmed.",
        folded: false,
    },
    StageTemplate {
        name: "Proposition",
        probability: 70,
        kind: StageKind::Open,
        requirements: "A quotation or proposal has been sent.",
        folded: false,
    },
    StageTemplate {
        name: "Won",
        probability: 100,
        kind: StageKind::Won,
        requirements: "The customer has signed.",
        folded: false,
    },
    StageTemplate {
        name: "Lost",
        probability: 0,
        kind: StageKind::Lost,
        requirements: "",
        folded: true,
    },
];

/// The default stages (New, Qualified, Proposition, Won, Lost) of `pipeline`, without ids.
pub fn default_stages(pipeline: Id) -> impl Iterator<Item = Stage> {
    DEFAULT_STAGES
        .iter()
        .zip(1..)
        .map(move |(t, sequence)| Stage {
            id: 0,
            pipeline,
            name: default_text(t.name),
            sequence,
            probability: t.probability.into(),
            kind: t.kind,
            requirements: default_text(t.requirements),
            rotting_days: None,
            folded: t.folded,
            forecast: ForecastCategory::for_probability(t.probability.into()),
        })
}

/// A name or text a new database starts with, in the language in use: a file's defaults are
/// written in the language it is created in, as in Odoo. Other text is returned as it is.
pub fn default_text(text: &str) -> String {
    match text {
        "Sales" => tr!("Sales"),
        "New" => tr!("New"),
        "Qualified" => tr!("Qualified"),
        "Proposition" => tr!("Proposition"),
        "Won" => tr!("Won"),
        "Lost" => tr!("Lost"),
        "A contact and a need worth following up." => {
            tr!("A contact and a need worth following up.")
        }
        "Budget, decision maker, need and timeline confirmed." => {
            tr!("Budget, decision maker, need and timeline confirmed.")
        }
        "A quotation or proposal has been sent." => tr!("A quotation or proposal has been sent."),
        "The customer has signed." => tr!("The customer has signed."),
        "Too expensive" => tr!("Too expensive"),
        "We don't have people/skills" => tr!("We don't have people/skills"),
        "Not enough stock" => tr!("Not enough stock"),
        "Lost to competitor" => tr!("Lost to competitor"),
        "No budget" => tr!("No budget"),
        "No decision" => tr!("No decision"),
        "Cold Call" => tr!("Cold Call"),
        "Existing Customer" => tr!("Existing Customer"),
        "Self Generated" => tr!("Self Generated"),
        "Employee" => tr!("Employee"),
        "Partner" => tr!("Partner"),
        "Public Relations" => tr!("Public Relations"),
        "Direct Mail" => tr!("Direct Mail"),
        "Conference" => tr!("Conference"),
        "Trade Show" => tr!("Trade Show"),
        "Web Site" => tr!("Web Site"),
        "Word of mouth" => tr!("Word of mouth"),
        "Email" => tr!("Email"),
        other => other.to_owned(),
    }
}

/// The loss reasons a new database starts with (Odoo's defaults).
pub const DEFAULT_LOSS_REASONS: [&str; 6] = [
    "Too expensive",
    "We don't have people/skills",
    "Not enough stock",
    "Lost to competitor",
    "No budget",
    "No decision",
];

/// The sources a new database starts with (`SuiteCRM`'s lead sources).
pub const DEFAULT_SOURCES: [&str; 14] = [
    "Cold Call",
    "Existing Customer",
    "Self Generated",
    "Employee",
    "Partner",
    "Public Relations",
    "Direct Mail",
    "Conference",
    "Trade Show",
    "Web Site",
    "Word of mouth",
    "Email",
    "Campaign",
    "Other",
];

/// Amount × probability / 100, rounded to cents half away from zero (Odoo's prorated revenue).
///
/// ```
/// use forsat_core::domain::weighted;
/// use rust_decimal::Decimal;
///
/// let amount: Decimal = "1234.55".parse().unwrap();
/// let probability: Decimal = "33.33".parse().unwrap();
/// assert_eq!(weighted(amount, probability).to_string(), "411.48");
/// ```
pub fn weighted(amount: Decimal, probability: Decimal) -> Decimal {
    (amount * probability / Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// A field of a record, as named in validation messages and history entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Name,
    Account,
    BusinessType,
    Source,
    Pipeline,
    Stage,
    NextStep,
    Campaign,
    Salesperson,
    Currency,
    Amount,
    AmountMode,
    Lines,
    ExpectedClose,
    Active,
    Probability,
    ProbabilityOverridden,
    Forecast,
    Competitor,
    LossReason,
    Description,
    WinLossReport,
    Priority,
    Tags,
    Closed,
    Contact,
    // Fields of the records around a deal.
    Industry,
    Phone,
    Email,
    Website,
    Address,
    Notes,
    Role,
    Company,
    ContactName,
    Kind,
    Summary,
    Due,
    Done,
    Link,
    Code,
    UnitPrice,
    Rate,
    RateDate,
    Product,
    Quantity,
    Discount,
    Requirements,
    RottingDays,
    Folded,
    Sequence,
    Backups,
    /// A goal's target.
    Target,
    /// An activity's time of day.
    Time,
    /// An activity's length in minutes.
    Duration,
    /// The UID of the calendar event an activity came from.
    Uid,
}

impl Field {
    /// Every field of a deal, in form order.
    pub const ALL: [Field; 26] = [
        Field::Name,
        Field::Account,
        Field::BusinessType,
        Field::Source,
        Field::Pipeline,
        Field::Stage,
        Field::NextStep,
        Field::Campaign,
        Field::Salesperson,
        Field::Currency,
        Field::Amount,
        Field::AmountMode,
        Field::Lines,
        Field::ExpectedClose,
        Field::Active,
        Field::Probability,
        Field::ProbabilityOverridden,
        Field::Forecast,
        Field::Competitor,
        Field::LossReason,
        Field::Description,
        Field::WinLossReport,
        Field::Priority,
        Field::Tags,
        Field::Closed,
        Field::Contact,
    ];

    /// The fields of accounts, contacts, leads, activities, products, currencies and lines
    /// that deals do not have.
    pub const OTHER: [Field; 30] = [
        Field::Industry,
        Field::Phone,
        Field::Email,
        Field::Website,
        Field::Address,
        Field::Notes,
        Field::Role,
        Field::Company,
        Field::ContactName,
        Field::Kind,
        Field::Summary,
        Field::Due,
        Field::Done,
        Field::Link,
        Field::Code,
        Field::UnitPrice,
        Field::Rate,
        Field::RateDate,
        Field::Product,
        Field::Quantity,
        Field::Discount,
        Field::Requirements,
        Field::RottingDays,
        Field::Folded,
        Field::Sequence,
        Field::Backups,
        Field::Target,
        Field::Time,
        Field::Duration,
        Field::Uid,
    ];

    /// The field whose [`Field::key`] is `key`.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .chain(Field::OTHER)
            .find(|f| f.key() == key)
    }

    /// The stable key written in history entries and exports.
    pub fn key(self) -> &'static str {
        match self {
            Field::Name => "name",
            Field::Account => "account",
            Field::BusinessType => "business_type",
            Field::Source => "source",
            Field::Pipeline => "pipeline",
            Field::Stage => "stage",
            Field::NextStep => "next_step",
            Field::Campaign => "campaign",
            Field::Salesperson => "salesperson",
            Field::Currency => "currency",
            Field::Amount => "amount",
            Field::AmountMode => "amount_mode",
            Field::Lines => "lines",
            Field::ExpectedClose => "expected_close",
            Field::Active => "active",
            Field::Probability => "probability",
            Field::ProbabilityOverridden => "probability_overridden",
            Field::Forecast => "forecast",
            Field::Competitor => "competitor",
            Field::LossReason => "loss_reason",
            Field::Description => "description",
            Field::WinLossReport => "win_loss_report",
            Field::Priority => "priority",
            Field::Tags => "tags",
            Field::Closed => "closed",
            Field::Contact => "contact",
            Field::Industry => "industry",
            Field::Phone => "phone",
            Field::Email => "email",
            Field::Website => "website",
            Field::Address => "address",
            Field::Notes => "notes",
            Field::Role => "role",
            Field::Company => "company",
            Field::ContactName => "contact_name",
            Field::Kind => "kind",
            Field::Summary => "summary",
            Field::Due => "due",
            Field::Done => "done",
            Field::Link => "link",
            Field::Code => "code",
            Field::UnitPrice => "unit_price",
            Field::Rate => "rate",
            Field::RateDate => "rate_date",
            Field::Product => "product",
            Field::Quantity => "quantity",
            Field::Discount => "discount",
            Field::Requirements => "requirements",
            Field::RottingDays => "rotting_days",
            Field::Folded => "folded",
            Field::Sequence => "sequence",
            Field::Backups => "backups",
            Field::Target => "target",
            Field::Time => "time",
            Field::Duration => "duration",
            Field::Uid => "uid",
        }
    }

    /// The field's name as the user sees it on the form.
    pub fn label(self) -> String {
        match self {
            Field::Name => tr!("Name"),
            Field::Account => tr!("Account"),
            Field::BusinessType => tr!("Business type"),
            Field::Source => tr!("Source"),
            Field::Pipeline => tr!("Pipeline"),
            Field::Stage => tr!("Stage"),
            Field::NextStep => tr!("Next step"),
            Field::Campaign => tr!("Campaign"),
            Field::Salesperson => tr!("Salesperson"),
            Field::Currency => tr!("Currency"),
            Field::Amount => tr!("Amount"),
            Field::AmountMode => tr!("Amount mode"),
            Field::Lines => tr!("Lines"),
            Field::ExpectedClose => tr!("Expected close"),
            Field::Active => tr!("Active"),
            Field::Probability => tr!("Probability"),
            Field::ProbabilityOverridden => tr!("Probability overridden"),
            Field::Forecast => tr!("Forecast category"),
            Field::Competitor => tr!("Competitor"),
            Field::LossReason => tr!("Loss reason"),
            Field::Description => tr!("Description"),
            Field::WinLossReport => tr!("Win/loss report"),
            Field::Priority => tr!("Priority"),
            Field::Tags => tr!("Tags"),
            Field::Closed => tr!("Closed"),
            Field::Contact => tr!("Contact"),
            Field::Industry => tr!("Industry"),
            Field::Phone => tr!("Phone"),
            Field::Email => tr!("Email"),
            Field::Website => tr!("Website"),
            Field::Address => tr!("Address"),
            Field::Notes => tr!("Notes"),
            Field::Role => tr!("Role"),
            Field::Company => tr!("Company"),
            Field::ContactName => tr!("Contact name"),
            Field::Kind => tr!("Kind"),
            Field::Summary => tr!("Summary"),
            Field::Due => tr!("Due"),
            Field::Done => tr!("Done"),
            Field::Link => tr!("Linked to"),
            Field::Code => tr!("Code"),
            Field::UnitPrice => tr!("Unit price"),
            Field::Rate => tr!("Rate"),
            Field::RateDate => tr!("Rate date"),
            Field::Product => tr!("Product"),
            Field::Quantity => tr!("Quantity"),
            Field::Discount => tr!("Discount %"),
            Field::Requirements => tr!("Expected result"),
            Field::RottingDays => tr!("Stale after (days)"),
            Field::Folded => tr!("Folded"),
            Field::Sequence => tr!("Order"),
            Field::Backups => tr!("Backups to keep"),
            Field::Target => tr!("Target"),
            Field::Time => tr!("Time"),
            Field::Duration => tr!("Duration"),
            Field::Uid => tr!("Calendar UID"),
        }
    }
}

/// What is wrong with a field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    Required,
    NotANumber(String),
    NotADate(String),
    /// Text that is not a time of day.
    NotATime(String),
    /// Text that is not a length of time.
    NotALength(String),
    Negative,
    TooLarge,
    TooManyDecimals(u32),
    OutOfRange {
        min: u32,
        max: u32,
    },
    TooLong(usize),
    /// Control characters (invisible codes; in one-line fields also tabs and line breaks).
    ControlCharacters,
    /// An invisible or direction-control character in a name (see `check_name_characters`).
    Hidden(char),
    /// A date outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
    DateOutOfRange,
    BadCurrency(String),
    NotAnEmail(String),
    /// Text that is not a phone number (letters, or too few digits).
    NotAPhone(String),
    /// The record is still used by others (an account with deals).
    InUse(usize),
    /// An account that still has this many deals.
    HasDeals(usize),
    /// Another record already has this value.
    Duplicate(String),
    AlreadyConverted,
    /// The last record of its kind, which cannot go.
    LastOne,
    /// A currency that is not in the list of currencies.
    NotListed(String),
    /// A value set once, when the record is created.
    Fixed,
    /// A pipeline would have no open stage left for its deals.
    NeedsOpenStage,
    Unknown,
    WrongPipeline,
    /// Zero or less where more is needed (a goal's target).
    NotPositive,
    /// A count with a fraction.
    NotWhole,
}

/// A rejected value: names the field and the reason, for the form and the CLI alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        Self { field, problem }
    }

    /// The reason alone, for a message shown beside the field itself.
    pub fn reason(&self) -> String {
        match &self.problem {
            Problem::Required => tr!("is required"),
            Problem::NotANumber(text) => tr!("“{text}” is not a number", text = escaped(text)),
            Problem::NotADate(text) => tr!(
                "“{text}” is not a date (use {format})",
                text = escaped(text),
                format = crate::i18n::date_hint()
            ),
            Problem::NotATime(text) => tr!(
                "“{text}” is not a time of day (use 14:30 or 2:30 pm)",
                text = escaped(text)
            ),
            Problem::NotALength(text) => tr!(
                "“{text}” is not a length (use minutes, like 45, or hours and minutes, like 1:30)",
                text = escaped(text)
            ),
            Problem::Negative => tr!("must not be negative"),
            Problem::TooLarge => tr!("is too large"),
            Problem::TooManyDecimals(n) => trn!(n, "allows at most {n} decimals"),
            Problem::OutOfRange { min, max } => {
                tr!("must be between {min} and {max}", min = min, max = max)
            }
            Problem::TooLong(n) => trn!(n, "must be at most {n} characters"),
            Problem::ControlCharacters => {
                tr!("must not contain control characters (invisible codes, tabs or line breaks)")
            }
            Problem::Hidden(c) => tr!(
                "must not contain invisible or direction-changing characters (here {code})",
                code = format!("U+{:04X}", u32::from(*c))
            ),
            Problem::DateOutOfRange => tr!(
                "must be a date between the years {first} and {last}",
                first = FIRST_YEAR,
                last = LAST_YEAR
            ),
            Problem::BadCurrency(text) => {
                tr!(
                    "“{text}” is not a three-letter currency code",
                    text = escaped(text)
                )
            }
            Problem::NotAnEmail(text) => {
                tr!("“{text}” is not an email address", text = escaped(text))
            }
            Problem::NotAPhone(text) => tr!(
                "“{text}” is not a phone number (digits, spaces, + ( ) - . and an extension like “ext. 12”)",
                text = escaped(text)
            ),
            Problem::InUse(n) => trn!(n, "is still in use ({n} records)"),
            Problem::HasDeals(n) => trn!(
                n,
                "still has {n} deals: reassign them to another account first"
            ),
            Problem::Duplicate(text) => tr!("“{text}” is already taken", text = escaped(text)),
            Problem::AlreadyConverted => tr!("this lead has already been converted"),
            Problem::LastOne => tr!("the last one cannot be deleted"),
            Problem::NotListed(code) => tr!(
                "“{code}” is not in the list of currencies: add it with its rate first",
                code = escaped(code)
            ),
            Problem::Fixed => tr!("cannot be changed once created"),
            Problem::NeedsOpenStage => tr!("every pipeline needs at least one open stage"),
            Problem::Unknown => tr!("refers to a record that does not exist"),
            Problem::WrongPipeline => tr!("belongs to another pipeline"),
            Problem::NotPositive => tr!("must be more than 0"),
            Problem::NotWhole => tr!("must be a whole number"),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field.label(), self.reason())
    }
}

impl std::error::Error for FieldError {}

/// Every record id is below 2^53. JSON readers (JavaScript's numbers) and spreadsheets hold
/// numbers as 64-bit floats, exact only up to 2^53: an id above would come back changed from
/// an export. Nine quadrillion ids are far more than a file ever makes, so an id above this in
/// a file to import is a mistake, and the store refuses to count past it instead of wrapping.
pub const ID_LIMIT: Id = 1 << 53;

/// Longest text accepted in a one-line field.
pub const MAX_LINE_CHARS: usize = 200;
/// The first and last years a date may have.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2200;

/// Longest text accepted in a multi-line field.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// Whether `text` has a control character; a multi-line text may have line breaks and tabs.
fn has_control(text: &str, multi_line: bool) -> bool {
    text.chars()
        .any(|c| c.is_control() && !(multi_line && matches!(c, '\n' | '\r' | '\t')))
}

/// Whether `c` is invisible or silently changes the order text is shown in: zero-width
/// spaces and joiners, direction marks, embeddings, overrides and isolates (U+200B–U+200F,
/// U+202A–U+202E, U+2060–U+2064, U+2066–U+2069, U+061C), the byte-order mark (U+FEFF), and
/// the noncharacters (U+FDD0–U+FDEF, and the last two of every plane).
fn is_hidden(c: char) -> bool {
    let n = u32::from(c);
    matches!(
        c,
        '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{061C}'
            | '\u{FEFF}'
    ) || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

/// Whether the character at `i` of `chars` hides something ([`is_hidden`]). A zero-width
/// non-joiner (U+200C) between two letters is spelling, not hiding: Persian writes «می‌شود» and
/// «نرم‌افزار» with it, so it is allowed there and nowhere else (not at either end, not beside
/// a space, a digit or another hidden character).
fn hides(chars: &[char], i: usize) -> bool {
    let letter = |j: Option<usize>| {
        j.and_then(|j| chars.get(j))
            .is_some_and(|c: &char| c.is_alphabetic())
    };
    let c = chars[i];
    is_hidden(c) && !(c == '\u{200C}' && letter(i.checked_sub(1)) && letter(Some(i + 1)))
}

/// The first character a name must not have (see [`hides`]).
fn hidden_in_name(text: &str) -> Option<char> {
    let chars: Vec<char> = text.chars().collect();
    (0..chars.len())
        .find(|&i| hides(&chars, i))
        .map(|i| chars[i])
}

/// Checks the characters of a one-line name: no control characters, no hidden ones ([`hides`]).
pub fn check_name_characters(field: Field, text: &str) -> Result<(), FieldError> {
    if has_control(text, false) {
        return Err(FieldError::new(field, Problem::ControlCharacters));
    }
    match hidden_in_name(text) {
        Some(c) => Err(FieldError::new(field, Problem::Hidden(c))),
        None => Ok(()),
    }
}

/// `text` as a message may quote it: control and hidden characters ([`hides`]) written
/// as `\u{1b}`, so text from a file can neither drive the terminal (an escape sequence that
/// clears it) nor reorder the message around it. Every message quoting a value from a file
/// goes through this.
pub fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    let chars: Vec<char> = text.chars().collect();
    let shown = |i: usize| !(chars[i].is_control() || hides(&chars, i));
    if (0..chars.len()).all(shown) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        if shown(i) {
            out.push(c);
        } else {
            out.extend(c.escape_unicode());
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Parses a typed amount: digits with an optional `.` and up to two decimals; `,` and spaces
/// group thousands. Empty means zero.
pub fn parse_amount(field: Field, text: &str) -> Result<Decimal, FieldError> {
    let cleaned = without_grouping(text);
    if cleaned.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let value = cleaned
        .parse::<Decimal>()
        .map_err(|_| FieldError::new(field, Problem::NotANumber(text.trim().to_owned())))?;
    check_amount(field, value)?;
    Ok(value.normalize())
}

/// A typed number in Latin digits, without the spaces, commas and underscores that group its
/// thousands.
pub(super) fn without_grouping(text: &str) -> String {
    let latin = crate::i18n::latin_digits(text.trim());
    // French writes 1 500,50: its comma is the decimal mark (and a point then groups).
    let decimal_comma = crate::i18n::language() == Language::French && latin.contains(',');
    latin
        .chars()
        .filter_map(|c| match c {
            ',' if decimal_comma => Some('.'),
            '.' if decimal_comma => None,
            ',' | ' ' | '\u{a0}' | '\u{202f}' | '_' => None,
            c => Some(c),
        })
        .collect()
}

pub(super) fn check_amount(field: Field, value: Decimal) -> Result<(), FieldError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(FieldError::new(field, Problem::Negative));
    }
    if value > MAX_AMOUNT {
        return Err(FieldError::new(field, Problem::TooLarge));
    }
    if value.normalize().scale() > 2 {
        return Err(FieldError::new(field, Problem::TooManyDecimals(2)));
    }
    Ok(())
}

/// Parses a probability in percent, 0 to 100 with up to two decimals; a trailing `%` is allowed.
pub fn parse_probability(text: &str) -> Result<Decimal, FieldError> {
    let field = Field::Probability;
    let latin = crate::i18n::latin_digits(text);
    let trimmed = latin.trim().trim_end_matches('%').trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    let value = trimmed
        .parse::<Decimal>()
        .map_err(|_| FieldError::new(field, Problem::NotANumber(text.trim().to_owned())))?;
    check_probability(value)?;
    Ok(value.normalize())
}

pub(super) fn check_probability(value: Decimal) -> Result<(), FieldError> {
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(FieldError::new(
            Field::Probability,
            Problem::OutOfRange { min: 0, max: 100 },
        ));
    }
    if value.normalize().scale() > 2 {
        return Err(FieldError::new(
            Field::Probability,
            Problem::TooManyDecimals(2),
        ));
    }
    Ok(())
}

/// Parses a date in the format of the settings, or ISO (YYYY-MM-DD); empty means no date.
pub fn parse_date(field: Field, text: &str) -> Result<Option<NaiveDate>, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    crate::i18n::parse_date_text(trimmed)
        .filter(|d| (FIRST_YEAR..=LAST_YEAR).contains(&chrono::Datelike::year(d)))
        .map(Some)
        .ok_or_else(|| FieldError::new(field, Problem::NotADate(trimmed.to_owned())))
}

/// Parses a time of day: `14:30`, `14.30`, `14h30`, `1430`, `14`, `2:30 pm`, `2pm`, in Latin or
/// Persian digits; empty is no time.
pub fn parse_time(field: Field, text: &str) -> Result<Option<NaiveTime>, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let refused = || FieldError::new(field, Problem::NotATime(trimmed.to_owned()));
    let lower = crate::i18n::latin_digits(trimmed).to_lowercase();
    let (clock, half) = match lower
        .strip_suffix("am")
        .or_else(|| lower.strip_suffix("a.m."))
    {
        Some(clock) => (clock.trim(), Some(0)),
        None => match lower
            .strip_suffix("pm")
            .or_else(|| lower.strip_suffix("p.m."))
        {
            Some(clock) => (clock.trim(), Some(12)),
            None => (lower.as_str(), None),
        },
    };
    let (hour, minute) = match clock.split_once([':', '.', 'h']) {
        // "14h" is a French hour; "1:" is a time not finished.
        Some((h, "")) if clock.ends_with('h') => (h, "0"),
        Some((h, m)) => (h, m),
        None if clock.len() > 2 => clock.split_at(clock.len() - 2),
        None => (clock, "0"),
    };
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let (mut hour, minute) = (
        number(hour).ok_or_else(refused)?,
        number(minute).ok_or_else(refused)?,
    );
    if let Some(half) = half {
        if !(1..=12).contains(&hour) {
            return Err(refused());
        }
        hour = hour % 12 + half;
    }
    NaiveTime::from_hms_opt(hour, minute, 0)
        .map(Some)
        .ok_or_else(refused)
}

/// The items of a list typed in one field ("a@x.com, b@y.com"): split at commas and semicolons
/// (Persian ones too), trimmed, empty ones dropped.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([',', ';', '،', '؛'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Parses an activity's length: minutes (`90`) or hours and minutes (`1:30`, `1h30`, `2h`), in
/// Latin or Persian digits, at most [`super::MAX_ACTIVITY_MINUTES`]; empty is 0 (not said).
pub fn parse_minutes(text: &str) -> Result<u32, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(0);
    }
    let refused = || FieldError::new(Field::Duration, Problem::NotALength(trimmed.to_owned()));
    let latin = crate::i18n::latin_digits(trimmed).to_lowercase();
    let number = |s: &str| {
        let s = s.trim();
        (!s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let minutes = match latin.split_once([':', 'h']) {
        Some((h, m)) => {
            let m = if m.trim().is_empty() {
                Some(0)
            } else {
                number(m).filter(|m| *m < 60)
            };
            number(h)
                .zip(m)
                .map(|(h, m)| h * 60 + m)
                .ok_or_else(refused)?
        }
        None => number(&latin).ok_or_else(refused)?,
    };
    if minutes > super::MAX_ACTIVITY_MINUTES {
        return Err(FieldError::new(
            Field::Duration,
            Problem::OutOfRange {
                min: 0,
                max: super::MAX_ACTIVITY_MINUTES,
            },
        ));
    }
    Ok(minutes)
}

/// The fewest digits a phone number has (an internal extension alone is "x 12").
const MIN_PHONE_DIGITS: usize = 3;

/// Checks a phone number: digits (Latin or Persian) with spaces, `+ ( ) - . /` between them
/// and an optional extension ("x 12", "ext. 12", "#12"); empty is no number.
pub fn check_phone(text: &str) -> Result<(), FieldError> {
    let lower = text.trim().to_lowercase();
    if lower.is_empty() {
        return Ok(());
    }
    // The extension: the digits after the last "ext", "poste", "داخلی" (Persian), "x" or "#".
    let number = ["ext.", "ext", "poste", "داخلی", "x", "#"]
        .iter()
        .find_map(|mark| {
            let (number, extension) = lower.rsplit_once(mark)?;
            let extension = extension.trim();
            (!extension.is_empty() && extension.chars().all(char::is_numeric)).then_some(number)
        })
        .unwrap_or(&lower);
    let allowed = |c: char| c.is_numeric() || c.is_whitespace() || "+()-./".contains(c);
    let digits = number.chars().filter(|c| c.is_numeric()).count();
    if number.chars().all(allowed) && digits >= MIN_PHONE_DIGITS {
        Ok(())
    } else {
        Err(FieldError::new(
            Field::Phone,
            Problem::NotAPhone(text.trim().to_owned()),
        ))
    }
}

/// Checks an email address as a contact's, an account's or a lead's is kept: something, an
/// `@`, and a host with a dot; empty is no address.
pub fn check_email_address(email: &str) -> Result<(), FieldError> {
    let plausible = email.is_empty()
        || email
            .split_once('@')
            .is_some_and(|(user, host)| !user.is_empty() && host.contains('.'));
    if plausible {
        Ok(())
    } else {
        Err(FieldError::new(
            Field::Email,
            Problem::NotAnEmail(email.to_owned()),
        ))
    }
}

/// Checks a name-like field: required, one line, not too long. Returns it trimmed.
pub fn clean_name(field: Field, text: &str) -> Result<String, FieldError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    if trimmed.chars().count() > MAX_LINE_CHARS {
        return Err(FieldError::new(field, Problem::TooLong(MAX_LINE_CHARS)));
    }
    check_name_characters(field, trimmed)?;
    Ok(trimmed.to_owned())
}

impl Opportunity {
    /// A new deal for `account` in `stage`, with the defaults a salesperson expects: the
    /// account's name and source, the stage's probability, closing `close_offset_days` from today.
    pub fn draft(
        account: &Account,
        stage: &Stage,
        settings: &Settings,
        now: DateTime<Utc>,
    ) -> Opportunity {
        let mut opp = Opportunity {
            id: 0,
            name: account.name.clone(),
            account: account.id,
            business_type: BusinessType::New,
            source: account.source,
            pipeline: stage.pipeline,
            stage: stage.id,
            next_step: String::new(),
            campaign: None,
            salesperson: None,
            currency: settings.base_currency.clone(),
            amount: Decimal::ZERO,
            amount_mode: AmountMode::Manual,
            lines: Vec::new(),
            expected_close: now
                .date_naive()
                .checked_add_days(Days::new(settings.close_offset_days.into())),
            active: true,
            probability: stage.probability,
            probability_overridden: false,
            forecast: ForecastChoice::Stage,
            competitor: None,
            loss_reason: None,
            description: String::new(),
            win_loss_report: String::new(),
            priority: 0,
            tags: Vec::new(),
            created: now,
            updated: now,
            stage_entered: now,
            closed: None,
            contact: None,
        };
        opp.enter_stage(stage, None, now);
        opp
    }

    /// Moves the deal into `stage` and applies its consequences: Won sets 100 % and the closed
    /// date; Lost sets 0 %, the loss reason and the closed date; an open stage reopens a closed
    /// deal and, unless the user overrode it, takes the stage's probability.
    pub fn enter_stage(&mut self, stage: &Stage, loss_reason: Option<Id>, now: DateTime<Utc>) {
        let was_closed = self.closed.is_some();
        if self.stage != stage.id {
            self.stage_entered = now;
        }
        self.stage = stage.id;
        self.pipeline = stage.pipeline;
        match stage.kind {
            StageKind::Won => {
                self.probability = Decimal::ONE_HUNDRED;
                self.probability_overridden = false;
                self.loss_reason = None;
                self.closed.get_or_insert(now.date_naive());
            }
            StageKind::Lost => {
                self.probability = Decimal::ZERO;
                self.probability_overridden = false;
                self.loss_reason = loss_reason;
                self.closed.get_or_insert(now.date_naive());
            }
            StageKind::Open => {
                if was_closed {
                    self.closed = None;
                    self.loss_reason = None;
                    self.probability_overridden = false;
                }
                if !self.probability_overridden {
                    self.probability = stage.probability;
                }
            }
        }
    }

    /// Sets a probability typed by the user; it stops following the stage default unless it
    /// equals it.
    pub fn set_probability(&mut self, probability: Decimal, stage: &Stage) {
        self.probability = probability;
        self.probability_overridden = probability != stage.probability;
    }

    /// Goes back to the stage's default probability.
    pub fn reset_probability(&mut self, stage: &Stage) {
        self.probability = stage.probability;
        self.probability_overridden = false;
    }

    /// `current` (the deal as stored now) with the fields this edited copy changed from
    /// `original` (the version the edit started from): saving a form keeps what was changed
    /// elsewhere meanwhile (a drag, a list edit, a mass update).
    pub fn rebase(&self, original: &Opportunity, current: &Opportunity) -> Opportunity {
        // Naming every field makes a new field a compile error here until it is handled.
        let Opportunity {
            id: _,
            name: _,
            account: _,
            business_type: _,
            source: _,
            pipeline: _,
            stage: _,
            next_step: _,
            campaign: _,
            salesperson: _,
            currency: _,
            amount: _,
            amount_mode: _,
            lines: _,
            expected_close: _,
            active: _,
            probability: _,
            probability_overridden: _,
            forecast: _,
            competitor: _,
            loss_reason: _,
            description: _,
            win_loss_report: _,
            priority: _,
            tags: _,
            created: _,
            updated: _,
            stage_entered: _,
            closed: _,
            contact: _,
        } = self;
        let mut out = current.clone();
        macro_rules! take_changed {
            ($($field:ident),* $(,)?) => {
                $(if self.$field != original.$field {
                    out.$field = self.$field.clone();
                })*
            };
        }
        take_changed!(
            name,
            account,
            business_type,
            source,
            pipeline,
            stage,
            next_step,
            campaign,
            salesperson,
            currency,
            amount,
            amount_mode,
            lines,
            expected_close,
            active,
            probability,
            probability_overridden,
            forecast,
            competitor,
            loss_reason,
            description,
            win_loss_report,
            priority,
            tags,
            stage_entered,
            closed,
            contact,
        );
        out
    }

    /// Expected revenue × probability, in the deal's currency.
    pub fn weighted(&self) -> Decimal {
        weighted(self.amount, self.probability)
    }

    /// True when the deal is open and its expected close date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.closed.is_none() && self.expected_close.is_some_and(|d| d < today)
    }

    /// Checks the rules that need no other record. Every problem is reported, not just the first.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Err(e) = clean_name(Field::Name, &self.name) {
            errors.push(e);
        }
        for (field, text) in [
            (Field::NextStep, &self.next_step),
            (Field::Description, &self.description),
            (Field::WinLossReport, &self.win_loss_report),
        ] {
            let one_line = field == Field::NextStep;
            let max = if one_line {
                MAX_LINE_CHARS
            } else {
                MAX_TEXT_CHARS
            };
            if text.chars().count() > max {
                errors.push(FieldError::new(field, Problem::TooLong(max)));
            } else if has_control(text, !one_line) {
                errors.push(FieldError::new(field, Problem::ControlCharacters));
            }
        }
        for (field, date) in [
            (Field::ExpectedClose, self.expected_close),
            (Field::Closed, self.closed),
        ] {
            let year = date.map(|d| chrono::Datelike::year(&d));
            if year.is_some_and(|y| !(FIRST_YEAR..=LAST_YEAR).contains(&y)) {
                errors.push(FieldError::new(field, Problem::DateOutOfRange));
            }
        }
        if !is_currency_code(&self.currency) {
            errors.push(FieldError::new(
                Field::Currency,
                Problem::BadCurrency(self.currency.clone()),
            ));
        }
        if let Err(e) = check_amount(Field::Amount, self.amount) {
            errors.push(e);
        }
        if let Err(e) = check_probability(self.probability) {
            errors.push(e);
        }
        for line in &self.lines {
            errors.extend(line.validate().err().unwrap_or_default());
        }
        if self.priority > 3 {
            errors.push(FieldError::new(
                Field::Priority,
                Problem::OutOfRange { min: 0, max: 3 },
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Three ASCII capital letters, as ISO 4217 codes are.
pub fn is_currency_code(code: &str) -> bool {
    code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap()
    }

    #[test]
    fn a_new_files_defaults_are_in_the_language_in_use() {
        let before = crate::i18n::current();
        crate::i18n::install(crate::i18n::Local {
            language: Language::Persian,
            ..before
        });
        let names: Vec<String> = default_stages(1).map(|s| s.name).collect();
        let first = default_stages(1).next().unwrap();
        crate::i18n::install(before);
        assert_eq!(names, ["جدید", "واجد شرایط", "پیشنهاد", "موفق", "ناموفق"]);
        assert_eq!(first.requirements, "مخاطبی با نیازی که ارزش پیگیری دارد.");
        assert_eq!(default_text("Cold Call"), "Cold Call", "English is the key");
        assert_eq!(default_text("Acme"), "Acme");
    }

    #[test]
    fn persian_and_arabic_indic_digits_are_read_as_numbers_and_dates() {
        let amount = |t| parse_amount(Field::Amount, t).unwrap();
        assert_eq!(amount("۱٬۵۰۰٬۰۰۰"), dec("1500000"));
        assert_eq!(amount("۱۲۳٫۴۵"), dec("123.45"));
        assert_eq!(amount("١٢٣"), dec("123"));
        assert_eq!(amount("۱۲,۵۰۰.۵۰"), dec("12500.5"));
        assert_eq!(parse_probability("۴۵٪").unwrap(), dec("45"));
        assert_eq!(
            parse_date(Field::ExpectedClose, "۲۰۲۶-۱۱-۲۲").unwrap(),
            NaiveDate::from_ymd_opt(2026, 11, 22)
        );
        // French amounts as the French locale writes them; a point alone stays decimal.
        let before = crate::i18n::current();
        crate::i18n::install(crate::i18n::Local {
            language: Language::French,
            ..before
        });
        assert_eq!(amount("1\u{202f}500\u{202f}000,50"), dec("1500000.5"));
        assert_eq!(amount("1 500,5"), dec("1500.5"));
        assert_eq!(amount("1.500,25"), dec("1500.25"));
        assert_eq!(amount("1500.25"), dec("1500.25"));
        crate::i18n::install(before);
        assert_eq!(amount("1\u{202f}500.25"), dec("1500.25"));
        // The message shows what was typed, in the digits it was typed in.
        let e = parse_amount(Field::Amount, "۱۲ک").unwrap_err();
        assert_eq!(e.problem, Problem::NotANumber("۱۲ک".into()));
    }

    fn stage(id: Id, template: &StageTemplate) -> Stage {
        Stage {
            id,
            pipeline: 1,
            name: template.name.to_owned(),
            sequence: id as u32,
            probability: Decimal::from(template.probability),
            kind: template.kind,
            requirements: template.requirements.to_owned(),
            rotting_days: None,
            folded: template.folded,
            forecast: ForecastCategory::for_probability(template.probability.into()),
        }
    }

    fn stages() -> Vec<Stage> {
        DEFAULT_STAGES
            .iter()
            .enumerate()
            .map(|(i, t)| stage(10 + i as Id, t))
            .collect()
    }

    fn account() -> Account {
        Account {
            id: 5,
            name: "Société Générale d'Équipement".to_owned(),
            source: Some(77),
            ..Account::default()
        }
    }

    #[test]
    fn draft_takes_account_name_source_stage_probability_and_close_offset() {
        let stages = stages();
        let opp = Opportunity::draft(&account(), &stages[0], &Settings::default(), now());
        assert_eq!(opp.name, "Société Générale d'Équipement");
        assert_eq!(opp.source, Some(77));
        assert_eq!(opp.probability, dec("10"));
        assert!(!opp.probability_overridden);
        assert_eq!(
            opp.expected_close,
            NaiveDate::from_ymd_opt(2027, 1, 3),
            "22 Nov 2026 + 42 days"
        );
        assert_eq!(opp.currency, "USD");
        assert_eq!(opp.closed, None);
    }

    #[test]
    fn probability_follows_stage_unless_overridden() {
        let stages = stages();
        let mut opp = Opportunity::draft(&account(), &stages[0], &Settings::default(), now());
        opp.enter_stage(&stages[1], None, now());
        assert_eq!(opp.probability, dec("30"));
        opp.set_probability(dec("45"), &stages[1]);
        assert!(opp.probability_overridden);
        opp.enter_stage(&stages[2], None, now());
        assert_eq!(opp.probability, dec("45"), "an override survives a move");
        opp.reset_probability(&stages[2]);
        assert_eq!(opp.probability, dec("70"));
        assert!(!opp.probability_overridden);
    }

    #[test]
    fn won_sets_100_and_closed_date_lost_sets_0_and_reason_and_reopening_clears_both() {
        let stages = stages();
        let mut opp = Opportunity::draft(&account(), &stages[1], &Settings::default(), now());
        opp.set_probability(dec("55"), &stages[1]);
        opp.enter_stage(&stages[3], None, now());
        assert_eq!(opp.probability, dec("100"));
        assert_eq!(opp.closed, Some(now().date_naive()));
        opp.enter_stage(&stages[4], Some(99), now());
        assert_eq!(opp.probability, Decimal::ZERO);
        assert_eq!(opp.loss_reason, Some(99));
        assert!(opp.closed.is_some());
        opp.enter_stage(&stages[2], None, now());
        assert_eq!(opp.closed, None);
        assert_eq!(opp.loss_reason, None);
        assert_eq!(
            opp.probability,
            dec("70"),
            "reopened deals follow the stage"
        );
    }

    #[test]
    fn weighted_rounds_to_cents_half_away_from_zero() {
        assert_eq!(weighted(dec("104000"), dec("10")), dec("10400.00"));
        assert_eq!(weighted(dec("0.05"), dec("50")), dec("0.03"));
        assert_eq!(weighted(dec("1234.55"), dec("33.33")), dec("411.48"));
        assert_eq!(weighted(dec("0.01"), dec("50")), dec("0.01"));
    }

    #[test]
    fn amount_parsing_names_the_field_and_reason() {
        assert_eq!(
            parse_amount(Field::Amount, " 1,250,000.50 "),
            Ok(dec("1250000.5"))
        );
        assert_eq!(parse_amount(Field::Amount, ""), Ok(Decimal::ZERO));
        let err = parse_amount(Field::Amount, "12k").unwrap_err();
        assert_eq!(err.to_string(), "Amount: “12k” is not a number");
        assert_eq!(
            parse_amount(Field::Amount, "-5").unwrap_err().to_string(),
            "Amount: must not be negative"
        );
        assert_eq!(
            parse_amount(Field::Amount, "1.234").unwrap_err().problem,
            Problem::TooManyDecimals(2)
        );
        assert_eq!(
            parse_amount(Field::Amount, "5000000000000")
                .unwrap_err()
                .problem,
            Problem::TooLarge
        );
    }

    #[test]
    fn probability_and_date_parsing() {
        assert_eq!(parse_probability("45 %"), Ok(dec("45")));
        assert_eq!(
            parse_probability("120").unwrap_err().to_string(),
            "Probability: must be between 0 and 100"
        );
        assert_eq!(
            parse_date(Field::ExpectedClose, "2027-02-30")
                .unwrap_err()
                .to_string(),
            "Expected close: “2027-02-30” is not a date (use YYYY-MM-DD)"
        );
        assert_eq!(parse_date(Field::ExpectedClose, " "), Ok(None));
    }

    #[test]
    fn times_of_day_are_read_in_the_ways_people_type_them() {
        let at = |h, m| Ok(Some(NaiveTime::from_hms_opt(h, m, 0).unwrap()));
        for (text, expected) in [
            ("14:30", at(14, 30)),
            ("9:05", at(9, 5)),
            ("14.30", at(14, 30)),
            ("14h30", at(14, 30)),
            ("9h", at(9, 0)),
            ("1430", at(14, 30)),
            ("930", at(9, 30)),
            ("14", at(14, 0)),
            ("2:30 pm", at(14, 30)),
            ("2pm", at(14, 0)),
            ("12 am", at(0, 0)),
            ("12:15 PM", at(12, 15)),
            ("۱۴:۳۰", at(14, 30)),
            ("  ", Ok(None)),
        ] {
            assert_eq!(parse_time(Field::Time, text), expected, "{text}");
        }
        for bad in [
            "24:00", "9:60", "13 pm", "noon", "1:2:3", "-1", "99999", "1:", "9.",
        ] {
            assert_eq!(
                parse_time(Field::Time, bad),
                Err(FieldError::new(
                    Field::Time,
                    Problem::NotATime(bad.to_owned())
                )),
                "{bad}"
            );
        }
        assert_eq!(
            parse_time(Field::Time, "25:00").unwrap_err().to_string(),
            "Time: “25:00” is not a time of day (use 14:30 or 2:30 pm)"
        );
    }

    #[test]
    fn lengths_are_minutes_or_hours_and_minutes() {
        for (text, minutes) in [
            ("", 0),
            ("45", 45),
            ("1:30", 90),
            ("1h30", 90),
            ("2h", 120),
            ("۹۰", 90),
        ] {
            assert_eq!(parse_minutes(text), Ok(minutes), "{text}");
        }
        for bad in ["an hour", "1:75", "-5", "1.5"] {
            assert_eq!(
                parse_minutes(bad),
                Err(FieldError::new(
                    Field::Duration,
                    Problem::NotALength(bad.to_owned())
                )),
                "{bad}"
            );
        }
        assert_eq!(
            parse_minutes("10081").unwrap_err().to_string(),
            "Duration: must be between 0 and 10080"
        );
    }

    #[test]
    fn validate_reports_every_problem() {
        let stages = stages();
        let mut opp = Opportunity::draft(&account(), &stages[0], &Settings::default(), now());
        opp.name = "  ".to_owned();
        opp.currency = "usd".to_owned();
        opp.priority = 4;
        let fields: Vec<Field> = opp
            .validate()
            .unwrap_err()
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, [Field::Name, Field::Currency, Field::Priority]);
    }

    #[test]
    fn overdue_only_while_open() {
        let stages = stages();
        let mut opp = Opportunity::draft(&account(), &stages[0], &Settings::default(), now());
        opp.expected_close = NaiveDate::from_ymd_opt(2026, 11, 1);
        assert!(opp.is_overdue(now().date_naive()));
        opp.enter_stage(&stages[3], None, now());
        assert!(!opp.is_overdue(now().date_naive()));
    }

    #[test]
    fn rebase_keeps_changes_made_elsewhere_and_takes_the_edits() {
        let stages = stages();
        let original = Opportunity::draft(&account(), &stages[0], &Settings::default(), now());
        let mut current = original.clone();
        current.enter_stage(&stages[1], None, now());
        current.amount = dec("5000");
        let mut edited = original.clone();
        edited.next_step = "Call Monday".into();
        edited.amount = dec("7000");
        let saved = edited.rebase(&original, &current);
        assert_eq!(saved.stage, stages[1].id, "the move made elsewhere stays");
        assert_eq!(saved.probability, dec("30"));
        assert_eq!(saved.next_step, "Call Monday");
        assert_eq!(saved.amount, dec("7000"), "an edit of the same field wins");
    }

    #[test]
    fn names_refuse_hidden_characters_but_not_a_persian_non_joiner_inside_a_word() {
        // Real Persian names, each with a zero-width non-joiner between two letters.
        for name in [
            "می‌شود",
            "نرم‌افزار حسابداری",
            "شرکت مهندسی پارس‌آب",
            "علی‌رضا کریمی",
        ] {
            assert!(name.contains('\u{200C}'));
            assert_eq!(clean_name(Field::Account, name).as_deref(), Ok(name));
        }
        for (name, hidden) in [
            ("Acme\u{202E}gpj.exe", '\u{202E}'),
            ("Ac\u{200B}me", '\u{200B}'),
            ("\u{200F}Acme", '\u{200F}'),
            ("Acme \u{2066}x\u{2069}", '\u{2066}'),
            ("Acme\u{FEFF}", '\u{FEFF}'),
            ("Acme\u{FDD0}", '\u{FDD0}'),
            ("Acme\u{FFFE}", '\u{FFFE}'),
            ("Acme\u{10FFFF}", '\u{10FFFF}'),
            // A non-joiner that joins nothing: at the end, before a space, after a digit.
            ("علی\u{200C}", '\u{200C}'),
            ("علی\u{200C} رضا", '\u{200C}'),
            ("12\u{200C}ب", '\u{200C}'),
            ("a\u{200D}b", '\u{200D}'),
        ] {
            let e = clean_name(Field::Account, name).unwrap_err();
            assert_eq!(e.problem, Problem::Hidden(hidden), "{name:?}");
            assert_eq!(
                e.to_string(),
                format!(
                    "Account: must not contain invisible or direction-changing characters (here U+{:04X})",
                    u32::from(hidden)
                )
            );
        }
    }

    #[test]
    fn messages_quote_text_with_its_control_and_hidden_characters_escaped() {
        assert_eq!(escaped("plain «فارسی‌ها»"), "plain «فارسی‌ها»");
        assert_eq!(escaped("\u{1b}[2J12"), "\\u{1b}[2J12");
        assert_eq!(escaped("a\u{202E}b\u{9b}c"), "a\\u{202e}b\\u{9b}c");
        let e = FieldError::new(Field::Amount, Problem::NotANumber("\u{1b}]0;x\u{7}".into()));
        assert!(!e.to_string().contains('\u{1b}'), "{e}");
    }

    #[test]
    fn max_amount_is_one_trillion() {
        assert_eq!(MAX_AMOUNT, Decimal::from(1_000_000_000_000u64));
    }

    #[test]
    fn phone_numbers_are_digits_with_separators_and_an_extension() {
        for good in [
            "",
            "+49 (0)40 555-0101",
            "555.0101",
            "+1 555 0101 ext. 12",
            "+1 555 0101 x12",
            "021 5555 0101 #4",
            "۰۲۱ ۵۵۵۵ ۰۱۰۱ داخلی ۱۲",
            "۰۲۱ ۵۵۵۵ ۰۱۰۱",
        ] {
            assert_eq!(check_phone(good), Ok(()), "{good}");
        }
        for bad in [
            "abc",
            "call me",
            "12",
            "555-0101 ext. abc",
            "+49 40 555 0101!",
        ] {
            let error = check_phone(bad).unwrap_err();
            assert_eq!(error.field, Field::Phone);
            assert_eq!(error.problem, Problem::NotAPhone(bad.to_owned()));
        }
    }
}
