//! The formats Forsat imports: each is a table of headers naming the importer's fields plus a
//! few value rules ([`Dialect`]); reading, checking and writing are shared.

use super::Source;
use super::columns::{FileColumn, OPPORTUNITIES};
use crate::domain::Field;
use crate::tr;

/// What a file column feeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A Forsat column.
    Column(FileColumn),
    /// Pipedrive's `open`/`won`/`lost`.
    Status,
    /// When the deal was won (its closing moment when it is won).
    WonTime,
    /// When the deal was lost (its closing moment when it is lost).
    LostTime,
    /// The email of the deal's contact (several columns may have one: the first filled is kept).
    ContactEmail,
    /// The phone of the deal's contact (several columns may have one: the first filled is kept).
    ContactPhone,
    /// Odoo's company name of a deal without a customer: its account then.
    CompanyName,
    /// A column of the format that Forsat does not keep (reported as not imported).
    Ignored,
}

impl Target {
    /// What the column feeds, as the mapping step names it.
    pub fn label(self) -> String {
        match self {
            Target::Column(column) => column.label(),
            Target::Status => tr!("Status (open, won or lost)"),
            Target::WonTime => tr!("Won on"),
            Target::LostTime => tr!("Lost on"),
            Target::ContactEmail => tr!("Contact's email"),
            Target::ContactPhone => tr!("Contact's phone"),
            Target::CompanyName => tr!("Company name (the account when none is named)"),
            Target::Ignored => tr!("Not imported"),
        }
    }

    /// What a user may map a column to: nothing, the columns files most often have, then
    /// every other column of a Forsat file.
    pub fn choices() -> impl Iterator<Item = Target> {
        const FIRST: [Field; 10] = [
            Field::Name,
            Field::Account,
            Field::Contact,
            Field::Amount,
            Field::Currency,
            Field::Stage,
            Field::ExpectedClose,
            Field::Probability,
            Field::Salesperson,
            Field::Source,
        ];
        let first = FIRST.map(|field| Target::Column(FileColumn::Field(field)));
        let rest = OPPORTUNITIES
            .iter()
            .map(|c| Target::Column(*c))
            .filter(move |t| !first.contains(t));
        let contact = [Target::ContactEmail, Target::ContactPhone];
        std::iter::once(Target::Ignored)
            .chain(first)
            .chain(contact)
            .chain(rest)
    }

    /// Whether several columns may feed the target, the first filled one counting: a
    /// person's work, home and mobile phones.
    pub fn takes_several(self) -> bool {
        matches!(self, Target::ContactEmail | Target::ContactPhone)
    }
}

/// How a format says a deal was won or lost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// By the stage's kind only (Forsat; Odoo's won stage too).
    Stage,
    /// Odoo: an archived deal ("Active" false) at 0 % is lost; won deals are in a won stage.
    Archived,
    /// `SuiteCRM`: the stages "Closed Won" and "Closed Lost".
    ClosedStage,
    /// Pipedrive: the status column, `open`, `won` or `lost`.
    Status,
}

/// A format's value rules.
#[derive(Clone, Copy, Debug)]
pub(super) struct Dialect {
    pub source: Source,
    /// Between the tags of a cell.
    pub tag_separator: char,
    pub outcome: Outcome,
    /// Whether a deal without an account takes its contact's (else its own) name as the
    /// account, as the other systems allow deals without a company.
    pub account_fallback: bool,
    /// The system's default stage names in their order: new stages named so are created in
    /// this order (see `order_new_stages` in import.rs for the others).
    pub stage_order: &'static [&'static str],
}

impl Dialect {
    pub fn of(source: Source) -> Dialect {
        let (tag_separator, outcome, stage_order): (char, Outcome, &[&str]) = match source {
            Source::Auto | Source::Forsat => (';', Outcome::Stage, &[]),
            Source::Odoo => (',', Outcome::Archived, &ODOO_STAGES),
            Source::Suitecrm => (',', Outcome::ClosedStage, &SUITECRM_STAGES),
            Source::Pipedrive => (',', Outcome::Status, &PIPEDRIVE_STAGES),
        };
        Dialect {
            source,
            tag_separator,
            outcome,
            account_fallback: !matches!(source, Source::Forsat | Source::Auto),
            stage_order,
        }
    }
}

/// Odoo CRM's default stages in order (Odoo 13 and later; older versions had Negotiation).
pub(super) const ODOO_STAGES: [&str; 5] = ["New", "Qualified", "Proposition", "Negotiation", "Won"];

/// Pipedrive's default pipeline in order: today's (Qualified, Contact Made, Demo Scheduled,
/// Proposal Made, Negotiations Started) with the older accounts' Lead In and Needs Defined in
/// their places.
pub(super) const PIPEDRIVE_STAGES: [&str; 7] = [
    "Lead In",
    "Qualified",
    "Contact Made",
    "Needs Defined",
    "Demo Scheduled",
    "Proposal Made",
    "Negotiations Started",
];

/// `SuiteCRM`'s (and `SugarCRM`'s) default sales stages in order.
pub(super) const SUITECRM_STAGES: [&str; 10] = [
    "Prospecting",
    "Qualification",
    "Needs Analysis",
    "Value Proposition",
    "Id. Decision Makers",
    "Perception Analysis",
    "Proposal/Price Quote",
    "Negotiation/Review",
    "Closed Won",
    "Closed Lost",
];

const fn f(field: Field) -> Target {
    Target::Column(FileColumn::Field(field))
}

/// Odoo crm.lead: field labels and import-compatible technical names.
const ODOO: &[(&str, Target)] = &[
    ("Opportunity", f(Field::Name)),
    ("name", f(Field::Name)),
    ("Customer", f(Field::Account)),
    ("Partner", f(Field::Account)),
    ("partner_id", f(Field::Account)),
    ("Company Name", Target::CompanyName),
    ("partner_name", Target::CompanyName),
    ("Contact Name", f(Field::Contact)),
    ("contact_name", f(Field::Contact)),
    ("Email", Target::ContactEmail),
    ("email_from", Target::ContactEmail),
    ("Phone", Target::ContactPhone),
    ("phone", Target::ContactPhone),
    ("Mobile", Target::ContactPhone),
    ("mobile", Target::ContactPhone),
    ("Salesperson", f(Field::Salesperson)),
    ("user_id", f(Field::Salesperson)),
    // Odoo's pipelines are its sales teams' (each team has its own stages).
    ("Sales Team", f(Field::Pipeline)),
    ("team_id", f(Field::Pipeline)),
    ("Stage", f(Field::Stage)),
    ("stage_id", f(Field::Stage)),
    ("Expected Revenue", f(Field::Amount)),
    ("Probability", f(Field::Probability)),
    ("Expected Closing", f(Field::ExpectedClose)),
    ("date_deadline", f(Field::ExpectedClose)),
    ("Closed Date", f(Field::Closed)),
    ("date_closed", f(Field::Closed)),
    // When the deal entered its stage: a lost deal stays in its stage, so this is when it
    // entered the stage it was lost at.
    (
        "Last Stage Update",
        Target::Column(FileColumn::StageEntered),
    ),
    (
        "date_last_stage_update",
        Target::Column(FileColumn::StageEntered),
    ),
    ("Lost Reason", f(Field::LossReason)),
    ("lost_reason_id", f(Field::LossReason)),
    ("Active", f(Field::Active)),
    ("Tags", f(Field::Tags)),
    ("tag_ids", f(Field::Tags)),
    ("Priority", f(Field::Priority)),
    ("Created on", Target::Column(FileColumn::Created)),
    ("create_date", Target::Column(FileColumn::Created)),
    ("Last Updated on", Target::Column(FileColumn::Updated)),
    ("write_date", Target::Column(FileColumn::Updated)),
    ("Source", f(Field::Source)),
    ("source_id", f(Field::Source)),
    ("Campaign", f(Field::Campaign)),
    ("campaign_id", f(Field::Campaign)),
    ("Currency", f(Field::Currency)),
    ("company_currency", f(Field::Currency)),
    ("currency_id", f(Field::Currency)),
    ("Description", f(Field::Description)),
    ("Internal Notes", f(Field::Description)),
    ("Notes", f(Field::Description)),
    ("Medium", Target::Ignored),
    ("medium_id", Target::Ignored),
    ("Company", Target::Ignored),
    ("company_id", Target::Ignored),
    ("Type", Target::Ignored),
    ("ID", Target::Ignored),
];

/// `SuiteCRM` / `SugarCRM` Opportunities: field labels.
const SUITECRM: &[(&str, Target)] = &[
    ("Opportunity Name", f(Field::Name)),
    ("Name", f(Field::Name)),
    ("Opportunity Amount", f(Field::Amount)),
    ("Amount", f(Field::Amount)),
    ("Currency", f(Field::Currency)),
    ("Expected Close Date", f(Field::ExpectedClose)),
    ("Sales Stage", f(Field::Stage)),
    ("Probability (%)", f(Field::Probability)),
    ("Next Step", f(Field::NextStep)),
    ("Type", f(Field::BusinessType)),
    ("Account Name", f(Field::Account)),
    ("Lead Source", f(Field::Source)),
    ("Campaign", f(Field::Campaign)),
    ("Campaign Name", f(Field::Campaign)),
    ("Assigned User", f(Field::Salesperson)),
    ("Assigned to", f(Field::Salesperson)),
    ("Date Created", Target::Column(FileColumn::Created)),
    ("Date Modified", Target::Column(FileColumn::Updated)),
    ("Description", f(Field::Description)),
    ("ID", Target::Ignored),
    ("Amount (Default Currency)", Target::Ignored),
    ("Created By", Target::Ignored),
    ("Modified By", Target::Ignored),
    ("Deleted", Target::Ignored),
];

/// Pipedrive deals: "Deal - " and the field's label.
const PIPEDRIVE: &[(&str, Target)] = &[
    ("Deal - Title", f(Field::Name)),
    ("Deal - Value", f(Field::Amount)),
    ("Deal - Currency", f(Field::Currency)),
    ("Deal - Stage", f(Field::Stage)),
    ("Deal - Pipeline", f(Field::Pipeline)),
    ("Deal - Status", Target::Status),
    ("Deal - Expected close date", f(Field::ExpectedClose)),
    ("Deal - Organization", f(Field::Account)),
    ("Deal - Contact person", f(Field::Contact)),
    ("Deal - Owner", f(Field::Salesperson)),
    ("Deal - Lost reason", f(Field::LossReason)),
    ("Deal - Probability", f(Field::Probability)),
    ("Deal - Deal created", Target::Column(FileColumn::Created)),
    ("Deal - Update time", Target::Column(FileColumn::Updated)),
    ("Deal - Won time", Target::WonTime),
    ("Deal - Lost time", Target::LostTime),
    ("Deal - Deal closed on", Target::Ignored),
    ("Deal - Close time", Target::Ignored),
    ("Deal - Source", f(Field::Source)),
    ("Deal - Source channel", f(Field::Source)),
    ("Deal - Label", f(Field::Tags)),
    ("Deal - Labels", f(Field::Tags)),
    // The deal's person and organization, when the export includes their fields.
    ("Person - Name", f(Field::Contact)),
    ("Person", f(Field::Contact)),
    ("Organization - Name", f(Field::Account)),
    ("Organization", f(Field::Account)),
    ("Person - Email", Target::ContactEmail),
    ("Person - Email - Work", Target::ContactEmail),
    ("Person - Email - Home", Target::ContactEmail),
    ("Person - Email - Other", Target::ContactEmail),
    ("Person - Phone", Target::ContactPhone),
    ("Person - Phone - Work", Target::ContactPhone),
    ("Person - Phone - Mobile", Target::ContactPhone),
    ("Person - Phone - Home", Target::ContactPhone),
    ("Person - Phone - Other", Target::ContactPhone),
    ("Deal - Next activity date", Target::Ignored),
    ("Deal - Last activity date", Target::Ignored),
    ("Deal - ID", Target::Ignored),
    ("Deal - Creator", Target::Ignored),
    ("Deal - Weighted value", Target::Ignored),
    ("Deal - Visible to", Target::Ignored),
    // Pipedrive's stage_change_time: won and lost deals keep their stage, so for them this is
    // when they entered the stage they closed at.
    (
        "Deal - Last stage change",
        Target::Column(FileColumn::StageEntered),
    ),
    (
        "Deal - Stage change time",
        Target::Column(FileColumn::StageEntered),
    ),
    ("Deal - Activities to do", Target::Ignored),
    ("Deal - Done activities", Target::Ignored),
    ("Deal - Total activities", Target::Ignored),
    ("Deal - Email messages count", Target::Ignored),
    ("Deal - Product quantity", Target::Ignored),
    ("Deal - Product amount", Target::Ignored),
];

/// The headers a format reads and what each feeds.
pub(super) fn headers(source: Source) -> Vec<(&'static str, Target)> {
    match source {
        Source::Auto | Source::Forsat => OPPORTUNITIES
            .iter()
            .map(|c| (c.key(), Target::Column(*c)))
            .collect(),
        Source::Odoo => ODOO.to_vec(),
        Source::Suitecrm => SUITECRM.to_vec(),
        Source::Pipedrive => PIPEDRIVE.to_vec(),
    }
}

/// Headers other spreadsheets often give a deal's fields (as `normalize_header` writes them):
/// the import wizard's first guess for a file no format matches.
const USUAL: &[(Field, &[&str])] = &[
    (
        Field::Name,
        &[
            "deal",
            "dealname",
            "title",
            "opportunity",
            "opportunityname",
            "subject",
        ],
    ),
    (
        Field::Account,
        &[
            "company",
            "companyname",
            "organization",
            "organisation",
            "customer",
            "client",
            "accountname",
        ],
    ),
    (Field::Contact, &["contactname", "contactperson", "person"]),
    (
        Field::Amount,
        &[
            "value",
            "dealvalue",
            "revenue",
            "expectedrevenue",
            "worth",
            "total",
        ],
    ),
    (
        Field::Stage,
        &["phase", "salesstage", "dealstage", "pipelinestage"],
    ),
    (
        Field::ExpectedClose,
        &[
            "closedate",
            "expectedclosedate",
            "closeby",
            "closingdate",
            "deadline",
        ],
    ),
    (
        Field::Probability,
        &["chance", "likelihood", "winprobability"],
    ),
    (
        Field::Salesperson,
        &[
            "owner",
            "dealowner",
            "salesrep",
            "rep",
            "assignedto",
            "user",
        ],
    ),
    (Field::Source, &["leadsource", "channel"]),
    (Field::Description, &["notes", "note", "comments"]),
    (Field::Tags, &["labels", "label"]),
    (Field::LossReason, &["lostreason", "reasonlost"]),
];

/// Headers other spreadsheets give a contact's email and phone (as `normalize_header` writes
/// them).
const USUAL_CONTACT: &[(Target, &[&str])] = &[
    (
        Target::ContactEmail,
        &["email", "e-mail", "emailaddress", "contactemail", "mail"],
    ),
    (
        Target::ContactPhone,
        &[
            "phone",
            "mobile",
            "telephone",
            "phonenumber",
            "contactphone",
            "cell",
        ],
    ),
];

/// What a header no format knows most likely holds, by the names other spreadsheets use.
pub(super) fn usual(key: &str) -> Option<Target> {
    USUAL
        .iter()
        .find(|(_, names)| names.contains(&key))
        .map(|(field, _)| f(*field))
        .or_else(|| {
            USUAL_CONTACT
                .iter()
                .find(|(_, names)| names.contains(&key))
                .map(|(target, _)| *target)
        })
}

/// The formats tried when detecting, in order of preference on a tie.
pub(super) const DETECTED: [Source; 4] = [
    Source::Forsat,
    Source::Pipedrive,
    Source::Suitecrm,
    Source::Odoo,
];

/// Headers (as `normalize_header` writes them) of which a header row must
/// have one to be of the format.
pub(super) fn signature(source: Source) -> &'static [&'static str] {
    match source {
        Source::Auto | Source::Forsat => &["account"],
        Source::Odoo => &[
            "expectedrevenue",
            "customer",
            "partnerid",
            "stageid",
            "expectedclosing",
            "datedeadline",
        ],
        Source::Suitecrm => &[
            "opportunityname",
            "opportunityamount",
            "salesstage",
            "accountname",
        ],
        Source::Pipedrive => &["deal-title", "deal-value", "deal-stage", "deal-status"],
    }
}
