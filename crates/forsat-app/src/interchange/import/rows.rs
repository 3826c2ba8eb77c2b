//! One row read: its cells parsed and checked, references still names.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use csv::StringRecord;
use rust_decimal::Decimal;

use super::super::Source;
use super::super::clean::{self, Repair, Repairs};
use super::super::columns::FileColumn;
use super::super::formats::{Outcome, Target};
use super::super::parse::{DateStyle, NumberStyle};
use super::mapping::Mapping;
use super::report::RowError;
use super::{f, normalize_header};
use crate::domain::{
    Account, AmountMode, BusinessType, DEFAULT_STAGES, Field, FieldError, ForecastChoice, ID_LIMIT,
    Id, Line, Opportunity, Problem, StageKind, clean_name, default_stages, is_currency_code,
    parse_amount, parse_discount, parse_quantity,
};
use crate::tr;
use crate::workspace::Workspace;

/// One row as read: cells parsed, references still names.
/// Names (accounts, stages, salespeople...) are shared between the rows that repeat them:
/// a file of 250,000 deals names a few thousand accounts and a handful of stages.
pub(super) struct RowIn {
    pub(super) id: Option<Id>,
    pub(super) name: String,
    pub(super) account: Arc<str>,
    pub(super) contact: Arc<str>,
    /// The contact's email and phone, checked (empty when the file has none).
    pub(super) contact_email: String,
    pub(super) contact_phone: String,
    pub(super) business_type: BusinessType,
    pub(super) source: Arc<str>,
    pub(super) pipeline: Arc<str>,
    pub(super) stage: Arc<str>,
    pub(super) next_step: String,
    pub(super) campaign: Arc<str>,
    pub(super) salesperson: Arc<str>,
    pub(super) currency: String,
    pub(super) amount: Decimal,
    /// The rate the file gives the deal's currency, and the currency it is in (empty when the
    /// file does not say): see `rates.rs`.
    pub(super) rate: Option<Decimal>,
    pub(super) rate_base: Arc<str>,
    pub(super) amount_mode: AmountMode,
    pub(super) lines: Vec<LineIn>,
    pub(super) expected_close: Option<NaiveDate>,
    pub(super) active: bool,
    pub(super) probability: Option<Decimal>,
    pub(super) probability_overridden: Option<bool>,
    pub(super) forecast: ForecastChoice,
    pub(super) competitor: Arc<str>,
    pub(super) loss_reason: Arc<str>,
    pub(super) description: String,
    pub(super) win_loss_report: String,
    pub(super) priority: u8,
    pub(super) tags: Vec<Arc<str>>,
    pub(super) created: DateTime<Utc>,
    pub(super) updated: Option<DateTime<Utc>>,
    pub(super) stage_entered: Option<DateTime<Utc>>,
    pub(super) closed: Option<NaiveDate>,
    pub(super) trashed: bool,
    /// Won or lost by the format's own rule: the deal goes to its pipeline's won or lost
    /// stage, whatever stage the file names.
    pub(super) outcome: Option<StageKind>,
    /// For a deal won or lost by that rule, the stage the file names, where it was when it
    /// closed (empty when the file names none), and when it entered it when the file says.
    pub(super) closed_from: Arc<str>,
    pub(super) closed_from_since: Option<DateTime<Utc>>,
}

pub(super) struct LineIn {
    pub(super) product: String,
    pub(super) line: Line,
}

/// Every number and date column's style, decided from all its values.
pub(super) struct Styles {
    pub(super) amount: NumberStyle,
    pub(super) probability: NumberStyle,
    pub(super) dates: HashMap<Target, DateStyle>,
}

/// The columns whose style is decided from all their values, before any row is read.
pub(super) const DATE_TARGETS: [Target; 7] = [
    f(Field::ExpectedClose),
    f(Field::Closed),
    Target::Column(FileColumn::Created),
    Target::Column(FileColumn::Updated),
    Target::Column(FileColumn::StageEntered),
    Target::WonTime,
    Target::LostTime,
];

/// A row's deal name, account and contact (with the contact's email and phone), as read.
struct Parties {
    name: String,
    account: Arc<str>,
    contact: Arc<str>,
    contact_email: String,
    contact_phone: String,
}

/// Reads one row's cells, collecting every bad one.
pub(super) struct RowReader<'a> {
    pub(super) ws: &'a Workspace,
    pub(super) mapping: &'a Mapping,
    pub(super) styles: &'a Styles,
    pub(super) row: usize,
    pub(super) cells: &'a StringRecord,
    /// The names read so far by this reader's thread, each held once.
    pub(super) shared: &'a mut Shared,
    pub(super) errors: Vec<RowError>,
    /// What was repaired in the row's cells.
    pub(super) repairs: Repairs,
}

/// Names read from a file, each held once.
pub(super) type Shared = foldhash::HashSet<Arc<str>>;

impl RowReader<'_> {
    /// Applies the format's rule for won and lost deals: such a deal goes to its pipeline's
    /// won or lost stage at 100 or 0 %, closed when the file says it was won or lost, else on
    /// its expected close.
    pub(super) fn outcome(&mut self, row: &mut RowIn) {
        let outcome = match self.mapping.dialect.outcome {
            Outcome::Stage => None,
            // Odoo archives a lost deal at 0 %; an archived deal at another probability is
            // only archived.
            Outcome::Archived => {
                (!row.active && row.probability == Some(Decimal::ZERO)).then_some(StageKind::Lost)
            }
            Outcome::ClosedStage => match normalize_header(&row.stage).as_str() {
                "closedwon" => Some(StageKind::Won),
                "closedlost" => Some(StageKind::Lost),
                _ => None,
            },
            Outcome::Status => match normalize_header(self.raw_target(Target::Status)).as_str() {
                "" | "open" => None,
                "won" => Some(StageKind::Won),
                "lost" => Some(StageKind::Lost),
                "deleted" => {
                    row.trashed = true;
                    None
                }
                _ => {
                    self.errors.push(RowError {
                        row: self.row,
                        column: self.mapping.target_header(Target::Status),
                        value: self.raw_target(Target::Status).to_owned(),
                        reason: tr!("is not “open”, “won” or “lost”"),
                    });
                    None
                }
            },
        };
        let Some(kind) = outcome else {
            return;
        };
        let (template, time) = match kind {
            StageKind::Won => (&DEFAULT_STAGES[3], Target::WonTime),
            _ => (&DEFAULT_STAGES[4], Target::LostTime),
        };
        row.outcome = Some(kind);
        row.active = true;
        // Odoo and Pipedrive keep a closed deal in the stage it closed at, and their stage
        // change time is when it entered that stage; SuiteCRM's "Closed Won" and "Closed
        // Lost" are no such stage.
        if self.mapping.dialect.outcome == Outcome::ClosedStage {
            row.stage = self.share(template.name);
        } else {
            row.closed_from = std::mem::replace(&mut row.stage, self.share(template.name));
            row.closed_from_since = row.stage_entered.take();
        }
        row.probability = None;
        row.probability_overridden = None;
        match self.moment(time) {
            Some(at) => {
                row.closed = Some(at.date_naive());
                row.stage_entered = Some(at.max(row.created));
            }
            None => {
                // Odoo's Closed Date is the moment it was marked won or lost.
                let closed = self.raw(FileColumn::Field(Field::Closed)).trim();
                let style = &self.styles.dates[&f(Field::Closed)];
                if let (Some(_), Some(at)) = (row.closed, style.parse_timestamp(closed)) {
                    row.stage_entered = Some(at.max(row.created));
                }
                row.closed = row.closed.or(row.expected_close);
            }
        }
    }

    /// The draft a row's values are checked on (made once per batch of rows: it allocates).
    pub(super) fn template(ws: &Workspace) -> Opportunity {
        let mut draft = Opportunity::draft(
            &Account::default(),
            &default_stages(0).next().expect("five default stages"),
            ws.settings(),
            ws.now(),
        );
        draft.currency.clear();
        draft
    }

    /// Reads the row: each cell parsed and checked (its errors are reported in this order),
    /// then the format's rule for won and lost deals and the deal's own rules.
    pub(super) fn read(&mut self, template: &Opportunity) -> RowIn {
        let id = self.id();
        let Parties {
            name,
            account,
            contact,
            contact_email,
            contact_phone,
        } = self.parties();
        let business_type = self.business_type();
        let amount_mode = self.amount_mode();
        let (rate, rate_base) = self.rate();
        let written_currency = self.written_currency(rate);
        let (amount, unit) = self.amount();
        let currency = self.currency(written_currency, unit.as_deref());
        let lines = self.lines();
        let amount = amount.unwrap_or_else(|| {
            if amount_mode == AmountMode::FromLines {
                lines.iter().map(|l| l.line.total()).sum()
            } else {
                Decimal::ZERO
            }
        });
        let priority = self.priority();
        let tags = self.tags();
        let created = self.timestamp(FileColumn::Created);
        let mut row = RowIn {
            id,
            contact,
            contact_email,
            contact_phone,
            business_type,
            source: self.name(Field::Source),
            pipeline: self.name(Field::Pipeline),
            stage: self.name(Field::Stage),
            next_step: self.next_step(),
            campaign: self.name(Field::Campaign),
            salesperson: self.name(Field::Salesperson),
            amount,
            rate,
            rate_base,
            amount_mode,
            expected_close: self.date(Field::ExpectedClose),
            active: self.bool(FileColumn::Field(Field::Active), true),
            probability: self.probability(),
            probability_overridden: self.probability_overridden(),
            forecast: self.forecast(),
            competitor: self.name(Field::Competitor),
            loss_reason: self.name(Field::LossReason),
            description: self.description(),
            win_loss_report: self.text(Field::WinLossReport),
            priority,
            tags,
            created: created.unwrap_or_else(|| self.ws.now()),
            updated: self.timestamp(FileColumn::Updated),
            stage_entered: self.timestamp(FileColumn::StageEntered),
            closed: self.date(Field::Closed),
            trashed: self.bool(FileColumn::Trashed, false),
            name,
            account,
            currency,
            lines,
            outcome: None,
            // Forsat's own export names the open stage a closed deal closed from.
            closed_from: self.name_in(FileColumn::ClosedFrom, Field::Stage),
            closed_from_since: None,
        };
        self.outcome(&mut row);
        self.check_deal(template, &mut row);
        row
    }

    /// The row's id, if it has one within the ids a file may have.
    fn id(&mut self) -> Option<Id> {
        match self.raw(FileColumn::Id).trim() {
            "" => None,
            text => match text.parse::<Id>() {
                Ok(id) if id >= ID_LIMIT => {
                    self.fail(
                        FileColumn::Id,
                        tr!(
                            "is above the highest id a file may have ({max}), the largest that spreadsheets and JSON keep exact",
                            max = ID_LIMIT - 1
                        ),
                    );
                    None
                }
                Ok(id) if id > 0 => Some(id),
                _ => {
                    self.fail(FileColumn::Id, tr!("is not an id (a whole number above 0)"));
                    None
                }
            },
        }
    }

    /// The deal's name, account and contact, each filled in from the others the way the
    /// format's system shows them.
    fn parties(&mut self) -> Parties {
        let mut account = self.name(Field::Account);
        let mut contact = self.name(Field::Contact);
        let mut name = self.line(f(Field::Name)).into_owned();
        if account.is_empty() {
            // Odoo's company name of a deal no customer is linked to yet.
            let company = self.line(Target::CompanyName);
            if let Err(e) = clean_name(Field::Account, &company)
                && !company.is_empty()
            {
                self.errors.push(RowError {
                    row: self.row,
                    column: self.mapping.target_header(Target::CompanyName),
                    value: company.to_string(),
                    reason: e.reason(),
                });
            }
            account = self.share(&company);
        }
        let odoo = self.mapping.dialect.source == Source::Odoo;
        if odoo
            && !contact.is_empty()
            && let Some(company) = account
                .strip_suffix(&*contact)
                .and_then(|rest| rest.trim_end().strip_suffix(','))
                .map(str::trim)
                .filter(|company| !company.is_empty())
        {
            // Odoo shows a company's contact as “Company, Person”: with the person in the
            // contact column too, the company is the account.
            account = self.share(company);
            self.repairs.add(Repair::CustomerWithContact);
        }
        if account.is_empty() && self.mapping.dialect.account_fallback {
            // Deals of the other systems may have no company: the contact's name, else the
            // deal's own, names the account.
            account = if contact.is_empty() {
                self.share(&name)
            } else {
                Arc::clone(&contact)
            };
        }
        if account.is_empty() {
            let e = FieldError::new(Field::Account, Problem::Required);
            self.field_error(FileColumn::Field(Field::Account), &e);
        }
        let contact_email = self.contact_detail(Target::ContactEmail);
        let contact_phone = self.contact_detail(Target::ContactPhone);
        if contact.is_empty() && !(contact_email.is_empty() && contact_phone.is_empty()) {
            // A person known by their email or phone alone is still the deal's contact.
            let known_by = if contact_email.is_empty() {
                &contact_phone
            } else {
                &contact_email
            };
            contact = self.share(known_by);
            self.repairs.add(Repair::Unnamed);
        }
        if name.is_empty() {
            name = account.to_string();
        }
        Parties {
            name,
            account,
            contact,
            contact_email,
            contact_phone,
        }
    }

    fn business_type(&mut self) -> BusinessType {
        match normalize_header(self.raw(FileColumn::Field(Field::BusinessType))).as_str() {
            "" | "new" | "newbusiness" => BusinessType::New,
            "existing" | "existingbusiness" => BusinessType::Existing,
            _ => {
                self.fail(
                    FileColumn::Field(Field::BusinessType),
                    tr!("is not “new” or “existing”"),
                );
                BusinessType::New
            }
        }
    }

    fn forecast(&mut self) -> ForecastChoice {
        let column = FileColumn::Field(Field::Forecast);
        ForecastChoice::parse(self.raw(column)).unwrap_or_else(|| {
            self.fail(
                column,
                tr!("is not “stage”, “pipeline”, “best_case”, “commit” or “omitted”"),
            );
            ForecastChoice::Stage
        })
    }

    fn amount_mode(&mut self) -> AmountMode {
        match normalize_header(self.raw(FileColumn::Field(Field::AmountMode))).as_str() {
            "" | "manual" => AmountMode::Manual,
            "fromlines" => AmountMode::FromLines,
            _ => {
                self.fail(
                    FileColumn::Field(Field::AmountMode),
                    tr!("is not “manual” or “from_lines”"),
                );
                AmountMode::Manual
            }
        }
    }

    /// The currency code the currency cell gives (a code, or the name of one listed), if any;
    /// `rate` is the row's rate, which brings an unlisted currency along.
    fn written_currency(&mut self, rate: Option<Decimal>) -> Option<String> {
        match self.raw(FileColumn::Field(Field::Currency)).trim() {
            // SuiteCRM writes its default currency as -99.
            "" | "-99" => None,
            name if !is_currency_code(&name.to_uppercase())
                && self.currency_named(name).is_some() =>
            {
                self.currency_named(name)
            }
            code => {
                let code = code.to_uppercase();
                let problem = if !is_currency_code(&code) {
                    Some(Problem::BadCurrency(code.clone()))
                } else if self.ws.rates().rate(&code).is_none()
                    && rate.is_none()
                    && self.raw(FileColumn::Field(Field::Rate)).trim().is_empty()
                {
                    // With a rate the file brings the currency along (a bad rate is
                    // reported on its own cell).
                    Some(Problem::NotListed(code.clone()))
                } else {
                    None
                };
                if let Some(problem) = problem {
                    let e = FieldError::new(Field::Currency, problem);
                    self.field_error(FileColumn::Field(Field::Currency), &e);
                }
                Some(code)
            }
        }
    }

    /// The priority, 0 to 3, as a number or as the systems name their levels.
    fn priority(&mut self) -> u8 {
        match normalize_header(self.raw(FileColumn::Field(Field::Priority))).as_str() {
            "" | "normal" | "low" => 0,
            "good" | "medium" => 1,
            "verygood" | "high" => 2,
            "excellent" | "veryhigh" => 3,
            text => match text.parse::<u8>() {
                Ok(p) if p <= 3 => p,
                _ => {
                    let e =
                        FieldError::new(Field::Priority, Problem::OutOfRange { min: 0, max: 3 });
                    self.field_error(FileColumn::Field(Field::Priority), &e);
                    0
                }
            },
        }
    }

    /// The tags, each once whatever its case, folded onto one line.
    fn tags(&mut self) -> Vec<Arc<str>> {
        let mut tags: Vec<Arc<str>> = Vec::new();
        let separator = self.mapping.dialect.tag_separator;
        let mut folded = false;
        for tag in self.raw(FileColumn::Field(Field::Tags)).split(separator) {
            let one_line = clean::one_line(tag);
            folded |= one_line.is_some();
            let tag = one_line.as_deref().unwrap_or(tag.trim());
            if tag.is_empty() || tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
                continue;
            }
            if let Err(e) = clean_name(Field::Tags, tag) {
                self.field_error(FileColumn::Field(Field::Tags), &e);
            }
            tags.push(self.share(tag));
        }
        if folded {
            self.repairs.add(Repair::Folded(f(Field::Tags)));
        }
        tags
    }

    /// Whether the probability was set by hand, when the file says.
    fn probability_overridden(&mut self) -> Option<bool> {
        match self
            .raw(FileColumn::Field(Field::ProbabilityOverridden))
            .trim()
        {
            "" => None,
            _ => Some(self.bool(FileColumn::Field(Field::ProbabilityOverridden), false)),
        }
    }

    /// The deal's own rules, on a draft with the row's values: each broken one reported on its
    /// cell unless that cell already was.
    fn check_deal(&mut self, template: &Opportunity, row: &mut RowIn) {
        // The row's text is lent to the draft and taken back, not copied.
        let mut draft = Opportunity {
            created: row.created,
            amount: row.amount,
            lines: row.lines.iter().map(|l| l.line.clone()).collect(),
            probability: row.probability.unwrap_or_default(),
            priority: row.priority,
            ..template.clone()
        };
        let lent = |draft: &mut Opportunity, row: &mut RowIn| {
            std::mem::swap(&mut draft.name, &mut row.name);
            std::mem::swap(&mut draft.next_step, &mut row.next_step);
            std::mem::swap(&mut draft.description, &mut row.description);
            std::mem::swap(&mut draft.win_loss_report, &mut row.win_loss_report);
            std::mem::swap(&mut draft.currency, &mut row.currency);
        };
        lent(&mut draft, row);
        let valid = draft.validate();
        lent(&mut draft, row);
        let Err(found) = valid else {
            return;
        };
        let reported: HashSet<String> = self.errors.iter().map(|e| e.column.clone()).collect();
        for e in found {
            let field = match e.field {
                Field::Quantity | Field::UnitPrice | Field::Discount => Field::Lines,
                field => field,
            };
            let column = FileColumn::Field(field);
            // A cell already reported (a bad currency code, a missing account the name
            // defaults to) is not reported twice.
            let account_missing = field == Field::Name && row.account.is_empty();
            if account_missing || reported.contains(&self.mapping.header(column)) {
                continue;
            }
            let reason = if field == e.field {
                e.reason()
            } else {
                e.to_string()
            };
            self.fail(column, reason);
        }
    }
}

/// The lines of a deal from its `lines` cell: a JSON array of objects with `product` (code or
/// name), `description`, `quantity`, `unit_price` and `discount_pct` (numbers or strings).
pub(super) fn lines_from_json(text: &str) -> Result<Vec<LineIn>, String> {
    use serde_json::Value;
    let not_lines = || {
        tr!(
            "is not a list of lines (a JSON array like [{{\"product\":\"SVC-ONB\",\"quantity\":\"2\",\"unit_price\":\"2400\"}}])"
        )
    };
    let Ok(Value::Array(items)) = serde_json::from_str::<Value>(text) else {
        return Err(not_lines());
    };
    let mut lines = Vec::with_capacity(items.len());
    for (n, item) in (1..).zip(items) {
        let Value::Object(map) = item else {
            return Err(not_lines());
        };
        let field = |key: &str| -> Result<String, String> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(String::new()),
                Some(Value::String(s)) => Ok(s.clone()),
                Some(Value::Number(n)) => Ok(n.to_string()),
                Some(_) => Err(not_lines()),
            }
        };
        let in_line = |e: FieldError| tr!("line {n}: {error}", n = n, error = e);
        let product = field("product")?.trim().to_owned();
        if !product.is_empty() {
            clean_name(Field::Product, &product).map_err(in_line)?;
        }
        let unit_price = field("unit_price")?;
        let line = Line {
            product: None,
            description: field("description")?,
            quantity: parse_quantity(&field("quantity")?).map_err(in_line)?,
            unit_price: parse_amount(Field::UnitPrice, &unit_price).map_err(in_line)?,
            discount_pct: parse_discount(&field("discount_pct")?).map_err(in_line)?,
        };
        lines.push(LineIn { product, line });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_cells_are_json_arrays() {
        let lines = lines_from_json(
            r#"[{"product":"SVC-ONB","description":"Onboarding","quantity":"2","unit_price":2400,"discount_pct":"5"}]"#,
        )
        .unwrap();
        assert_eq!(lines[0].product, "SVC-ONB");
        assert_eq!(lines[0].line.total(), Decimal::from(4560));
        assert!(lines_from_json("not json").is_err());
        let err = lines_from_json(r#"[{"quantity":"0"}]"#).err().unwrap();
        assert!(err.starts_with("line 1: Quantity"), "{err}");
    }
}
