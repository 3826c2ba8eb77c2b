//! The columns of each export, in order. Their names are the stable format: the opportunity
//! columns use [`Field::key`] where a field exists.

use crate::domain::Field;
use crate::tr;

/// One column of an opportunities file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
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

impl Column {
    /// The column's header.
    pub fn key(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Field(field) => field.key(),
            Column::Created => "created",
            Column::Updated => "updated",
            Column::StageEntered => "stage_entered",
            Column::ClosedFrom => "closed_from",
            Column::Trashed => "trashed",
            Column::BaseCurrency => "base_currency",
        }
    }

    /// The column's name as the user sees it.
    pub fn label(self) -> String {
        match self {
            Column::Id => tr!("Id"),
            Column::Field(field) => field.label(),
            Column::Created => tr!("Created"),
            Column::Updated => tr!("Updated"),
            Column::StageEntered => tr!("In its stage since"),
            Column::ClosedFrom => tr!("Closed from stage"),
            Column::Trashed => tr!("In the trash"),
            Column::BaseCurrency => tr!("Base currency"),
        }
    }
}

/// The columns of an opportunities export, in order: every field of a deal, and beside its
/// amount what the deal's currency was worth (`rate`, base-currency units per unit) in which
/// base currency, so a file brings the currencies it needs into a new database.
pub const OPPORTUNITIES: [Column; 34] = [
    Column::Id,
    Column::Field(Field::Name),
    Column::Field(Field::Account),
    Column::Field(Field::Contact),
    Column::Field(Field::BusinessType),
    Column::Field(Field::Source),
    Column::Field(Field::Pipeline),
    Column::Field(Field::Stage),
    Column::Field(Field::NextStep),
    Column::Field(Field::Campaign),
    Column::Field(Field::Salesperson),
    Column::Field(Field::Currency),
    Column::Field(Field::Amount),
    Column::Field(Field::Rate),
    Column::BaseCurrency,
    Column::Field(Field::AmountMode),
    Column::Field(Field::Lines),
    Column::Field(Field::ExpectedClose),
    Column::Field(Field::Active),
    Column::Field(Field::Probability),
    Column::Field(Field::ProbabilityOverridden),
    Column::Field(Field::Forecast),
    Column::Field(Field::Competitor),
    Column::Field(Field::LossReason),
    Column::Field(Field::Description),
    Column::Field(Field::WinLossReport),
    Column::Field(Field::Priority),
    Column::Field(Field::Tags),
    Column::Created,
    Column::Updated,
    Column::StageEntered,
    Column::Field(Field::Closed),
    Column::ClosedFrom,
    Column::Trashed,
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
