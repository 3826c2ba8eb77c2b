//! The columns of each export, in order. Their names are the stable format: the opportunity
//! columns use [`Field::key`] where a field exists.

use crate::domain::Field;
use crate::tr;

/// One column of an opportunities file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileColumn {
    Id,
    Field(Field),
    Created,
    Updated,
    StageEntered,
    /// The open stage a won or lost deal closed from, so an import gives it the same way
    /// through the pipeline (the funnel and the leakage count it there).
    ClosedFrom,
    /// Whether the deal is in the trash.
    Trashed,
    /// The base currency of the file's database, the currency its `rate` column is in: the
    /// rates read alone cannot say which currency is the base (one at par reads 1 too).
    BaseCurrency,
}

impl FileColumn {
    /// The column's header.
    pub fn key(self) -> &'static str {
        match self {
            FileColumn::Id => "id",
            FileColumn::Field(field) => field.key(),
            FileColumn::Created => "created",
            FileColumn::Updated => "updated",
            FileColumn::StageEntered => "stage_entered",
            FileColumn::ClosedFrom => "closed_from",
            FileColumn::Trashed => "trashed",
            FileColumn::BaseCurrency => "base_currency",
        }
    }

    /// The column's name as the user sees it.
    pub fn label(self) -> String {
        match self {
            FileColumn::Id => tr!("Id"),
            FileColumn::Field(field) => field.label(),
            FileColumn::Created => tr!("Created"),
            FileColumn::Updated => tr!("Updated"),
            FileColumn::StageEntered => tr!("In its stage since"),
            FileColumn::ClosedFrom => tr!("Closed from stage"),
            FileColumn::Trashed => tr!("In the trash"),
            FileColumn::BaseCurrency => tr!("Base currency"),
        }
    }
}

/// The columns of an opportunities export, in order: every field of a deal, and beside its
/// amount what the deal's currency was worth (`rate`, base-currency units per unit) in which
/// base currency, so a file brings the currencies it needs into a new database.
pub const OPPORTUNITIES: [FileColumn; 34] = [
    FileColumn::Id,
    FileColumn::Field(Field::Name),
    FileColumn::Field(Field::Account),
    FileColumn::Field(Field::Contact),
    FileColumn::Field(Field::BusinessType),
    FileColumn::Field(Field::Source),
    FileColumn::Field(Field::Pipeline),
    FileColumn::Field(Field::Stage),
    FileColumn::Field(Field::NextStep),
    FileColumn::Field(Field::Campaign),
    FileColumn::Field(Field::Salesperson),
    FileColumn::Field(Field::Currency),
    FileColumn::Field(Field::Amount),
    FileColumn::Field(Field::Rate),
    FileColumn::BaseCurrency,
    FileColumn::Field(Field::AmountMode),
    FileColumn::Field(Field::Lines),
    FileColumn::Field(Field::ExpectedClose),
    FileColumn::Field(Field::Active),
    FileColumn::Field(Field::Probability),
    FileColumn::Field(Field::ProbabilityOverridden),
    FileColumn::Field(Field::Forecast),
    FileColumn::Field(Field::Competitor),
    FileColumn::Field(Field::LossReason),
    FileColumn::Field(Field::Description),
    FileColumn::Field(Field::WinLossReport),
    FileColumn::Field(Field::Priority),
    FileColumn::Field(Field::Tags),
    FileColumn::Created,
    FileColumn::Updated,
    FileColumn::StageEntered,
    FileColumn::Field(Field::Closed),
    FileColumn::ClosedFrom,
    FileColumn::Trashed,
];

/// The headers of an opportunities export.
pub fn opportunities() -> Vec<&'static str> {
    OPPORTUNITIES.iter().map(|c| c.key()).collect()
}

/// The headers of an accounts export.
pub fn accounts() -> Vec<&'static str> {
    let fields = [
        Field::Name,
        Field::Source,
        Field::Industry,
        Field::Phone,
        Field::Email,
        Field::Website,
        Field::Address,
        Field::Notes,
    ];
    std::iter::once("id")
        .chain(fields.iter().map(|f| f.key()))
        .collect()
}

/// The headers of a stage-events export: the move's id, the deal's id and name, the
/// pipeline, the stages left (empty for a creation) and entered, and when.
pub const STAGE_EVENTS: [&str; 7] = [
    "id",
    "opportunity",
    "opportunity_name",
    "pipeline",
    "from",
    "to",
    "at",
];

/// The headers of a history export: the deal, the entry, the action it belongs to, when, the
/// field's key (or `created`, `deleted`, ...), the old and the new value.
pub const HISTORY: [&str; 8] = [
    "opportunity",
    "opportunity_name",
    "id",
    "action",
    "at",
    "field",
    "old",
    "new",
];

/// The headers of an activities export: the activity, what it is about (a deal and its
/// account, or an account), who does it, its notes and its calendar UID.
pub const ACTIVITIES: [&str; 14] = [
    "id",
    "kind",
    "summary",
    "due",
    "time",
    "duration",
    "done",
    "opportunity",
    "opportunity_name",
    "account",
    "salesperson",
    "notes",
    "uid",
    "link",
];

pub const CONTACTS: [&str; 8] = [
    "id",
    "name",
    "account",
    "role",
    "email",
    "phone",
    "notes",
    "account_id",
];

/// The text written for an activity's kind.
pub fn activity_kind(kind: crate::domain::ActivityKind) -> &'static str {
    use crate::domain::ActivityKind;
    match kind {
        ActivityKind::Call => "call",
        ActivityKind::Meeting => "meeting",
        ActivityKind::Email => "email",
        ActivityKind::Task => "task",
    }
}

/// The text written for a business type and read back (case ignored).
pub fn business_type(value: crate::domain::BusinessType) -> &'static str {
    match value {
        crate::domain::BusinessType::New => "new",
        crate::domain::BusinessType::Existing => "existing",
    }
}

/// The text written for an amount mode and read back (case ignored).
pub fn amount_mode(value: crate::domain::AmountMode) -> &'static str {
    match value {
        crate::domain::AmountMode::Manual => "manual",
        crate::domain::AmountMode::FromLines => "from_lines",
    }
}
