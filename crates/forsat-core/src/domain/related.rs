//! The records around a deal (accounts, contacts, leads, activities, products, currencies) and
//! the money rules that join them: line totals and conversion to the base currency.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

use super::records::{
    Account, Activity, Contact, Currency, EntityKind, Id, Lead, Line, Lookup, Opportunity,
    Pipeline, Product, Stage, StageKind,
};
use super::rules::{
    Field, FieldError, MAX_AMOUNT, MAX_LINE_CHARS, MAX_TEXT_CHARS, Problem, check_amount,
    check_email_address, check_name_characters, check_phone, check_probability, is_currency_code,
    weighted, without_grouping,
};

/// Rounds to cents, half away from zero, as every money figure is.
pub fn cents(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

impl Line {
    /// Quantity × unit price less the discount, in cents.
    pub fn total(&self) -> Decimal {
        cents(
            self.quantity * self.unit_price * (Decimal::ONE_HUNDRED - self.discount_pct)
                / Decimal::ONE_HUNDRED,
        )
    }

    /// Checks quantity, price and discount; errors name the line (1-based) in their field.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if let Err(e) = check_quantity(self.quantity) {
            errors.push(e);
        }
        if let Err(e) = check_amount(Field::UnitPrice, self.unit_price) {
            errors.push(e);
        }
        if self.discount_pct < Decimal::ZERO || self.discount_pct > Decimal::ONE_HUNDRED {
            errors.push(FieldError::new(
                Field::Discount,
                Problem::OutOfRange { min: 0, max: 100 },
            ));
        }
        if self.description.chars().count() > MAX_LINE_CHARS {
            errors.push(FieldError::new(
                Field::Lines,
                Problem::TooLong(MAX_LINE_CHARS),
            ));
        }
        finish(errors)
    }
}

/// The sum of the lines' totals.
pub fn lines_amount(lines: &[Line]) -> Decimal {
    lines.iter().map(Line::total).sum()
}

/// Parses a quantity: positive, up to three decimals.
pub fn parse_quantity(text: &str) -> Result<Decimal, FieldError> {
    let value = parse_decimal(Field::Quantity, text)?;
    check_quantity(value)?;
    Ok(value.normalize())
}

fn check_quantity(value: Decimal) -> Result<(), FieldError> {
    if value <= Decimal::ZERO {
        Err(FieldError::new(Field::Quantity, Problem::Required))
    } else if value.normalize().scale() > 3 {
        Err(FieldError::new(
            Field::Quantity,
            Problem::TooManyDecimals(3),
        ))
    } else if value > MAX_AMOUNT {
        Err(FieldError::new(Field::Quantity, Problem::TooLarge))
    } else {
        Ok(())
    }
}

/// Parses a discount in percent, 0 to 100; a trailing `%` is allowed, empty means none.
pub fn parse_discount(text: &str) -> Result<Decimal, FieldError> {
    let trimmed = text.trim().trim_end_matches('%');
    if trimmed.trim().is_empty() {
        return Ok(Decimal::ZERO);
    }
    let value = parse_decimal(Field::Discount, trimmed)?;
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED {
        return Err(FieldError::new(
            Field::Discount,
            Problem::OutOfRange { min: 0, max: 100 },
        ));
    }
    Ok(value.normalize())
}

/// Parses an exchange rate: positive, up to [`RATE_DECIMALS`] decimals.
pub fn parse_rate(text: &str) -> Result<Decimal, FieldError> {
    let value = parse_decimal(Field::Rate, text)?;
    check_rate(value)?;
    Ok(value.normalize())
}

fn check_rate(value: Decimal) -> Result<(), FieldError> {
    if value <= Decimal::ZERO {
        return Err(FieldError::new(Field::Rate, Problem::Required));
    }
    if value.normalize().scale() > RATE_DECIMALS {
        return Err(FieldError::new(
            Field::Rate,
            Problem::TooManyDecimals(RATE_DECIMALS),
        ));
    }
    if value > MAX_RATE {
        return Err(FieldError::new(Field::Rate, Problem::TooLarge));
    }
    Ok(())
}

/// Decimals a rate keeps: enough for a weak currency against a strong one (1 IRR in KWD).
pub const RATE_DECIMALS: u32 = 12;

/// The largest rate accepted. With amounts up to [`MAX_AMOUNT`], a million deals at this rate
/// still total well inside a decimal's range.
pub const MAX_RATE: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

fn parse_decimal(field: Field, text: &str) -> Result<Decimal, FieldError> {
    let cleaned = without_grouping(text);
    if cleaned.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    cleaned
        .parse::<Decimal>()
        .map_err(|_| FieldError::new(field, Problem::NotANumber(text.trim().to_owned())))
}

/// What each currency is worth in the base currency.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rates {
    base: String,
    /// (foldhash: every deal's total asks for its currency's rate, a million at load.)
    rates: foldhash::HashMap<String, Decimal>,
}

impl Rates {
    /// The rates of `currencies`, reported in `base`.
    pub fn new<'a>(base: &str, currencies: impl IntoIterator<Item = &'a Currency>) -> Rates {
        Rates {
            base: base.to_owned(),
            rates: currencies
                .into_iter()
                .map(|c| (c.code.clone(), c.rate))
                .collect(),
        }
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// What one unit of `code` is worth in the base currency, if the currency is known.
    pub fn rate(&self, code: &str) -> Option<Decimal> {
        if code == self.base {
            Some(Decimal::ONE)
        } else {
            self.rates.get(code).copied()
        }
    }

    /// `amount` of `code` in the base currency, in cents. A currency without a rate counts at
    /// par: records are checked on save, so only a damaged or hand-edited file has one.
    pub fn to_base(&self, amount: Decimal, code: &str) -> Decimal {
        match self.rate(code) {
            Some(rate) if rate != Decimal::ONE => amount.checked_mul(rate).map_or(amount, cents),
            _ => amount,
        }
    }

    /// `amount` of `from` in currency `to` (a product's price on a deal in another currency).
    pub fn convert(&self, amount: Decimal, from: &str, to: &str) -> Decimal {
        // Rates are positive and capped, so only a damaged file can overflow: keep the amount.
        match (self.rate(from), self.rate(to)) {
            (Some(a), Some(b)) if from != to => amount
                .checked_mul(a)
                .and_then(|v| v.checked_div(b))
                .map_or(amount, cents),
            _ => amount,
        }
    }
}

impl Opportunity {
    /// The amount in the base currency.
    pub fn expected_base(&self, rates: &Rates) -> Decimal {
        rates.to_base(self.amount, &self.currency)
    }

    /// The weighted value in the base currency.
    pub fn weighted_base(&self, rates: &Rates) -> Decimal {
        weighted(self.expected_base(rates), self.probability)
    }
}

/// The longest an activity lasts: a week, in minutes.
pub const MAX_ACTIVITY_MINUTES: u32 = 7 * 24 * 60;

fn finish(errors: Vec<FieldError>) -> Result<(), Vec<FieldError>> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Trims every one-line field of a record and checks its length; `name` fields are required.
fn check_texts(errors: &mut Vec<FieldError>, fields: &mut [(Field, &mut String, bool)]) {
    for (field, text, required) in fields.iter_mut() {
        let trimmed = text.trim();
        if *required && trimmed.is_empty() {
            errors.push(FieldError::new(*field, Problem::Required));
        }
        let max = if matches!(field, Field::Notes | Field::Address | Field::Requirements) {
            MAX_TEXT_CHARS
        } else {
            MAX_LINE_CHARS
        };
        if trimmed.chars().count() > max {
            errors.push(FieldError::new(*field, Problem::TooLong(max)));
        }
        // Names (of a record, a lead's company or contact, an activity's summary) are one line
        // of visible text, required or not.
        let is_name = matches!(
            field,
            Field::Name | Field::Company | Field::ContactName | Field::Summary
        );
        if is_name && let Err(e) = check_name_characters(*field, trimmed) {
            errors.push(e);
        }
        if trimmed.len() != text.len() {
            **text = trimmed.to_owned();
        }
    }
}

fn check_email(errors: &mut Vec<FieldError>, email: &str) {
    errors.extend(check_email_address(email).err());
}

fn check_currency(errors: &mut Vec<FieldError>, code: &str) {
    if !is_currency_code(code) {
        errors.push(FieldError::new(
            Field::Currency,
            Problem::BadCurrency(code.to_owned()),
        ));
    }
}

/// A record of one of the kinds around a deal: what the generic create, edit and delete
/// commands carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    Account(Account),
    Contact(Contact),
    Lead(Lead),
    Activity(Activity),
    Product(Product),
    Currency(Currency),
    Pipeline(Pipeline),
    Stage(Stage),
    Lookup(Lookup),
}

impl Record {
    pub fn kind(&self) -> EntityKind {
        match self {
            Record::Account(_) => EntityKind::Account,
            Record::Contact(_) => EntityKind::Contact,
            Record::Lead(_) => EntityKind::Lead,
            Record::Activity(_) => EntityKind::Activity,
            Record::Product(_) => EntityKind::Product,
            Record::Currency(_) => EntityKind::Currency,
            Record::Pipeline(_) => EntityKind::Pipeline,
            Record::Stage(_) => EntityKind::Stage,
            Record::Lookup(_) => EntityKind::Lookup,
        }
    }

    pub fn id(&self) -> Id {
        match self {
            Record::Account(r) => r.id,
            Record::Contact(r) => r.id,
            Record::Lead(r) => r.id,
            Record::Activity(r) => r.id,
            Record::Product(r) => r.id,
            Record::Currency(r) => r.id,
            Record::Pipeline(r) => r.id,
            Record::Stage(r) => r.id,
            Record::Lookup(r) => r.id,
        }
    }

    pub fn set_id(&mut self, id: Id) {
        match self {
            Record::Account(r) => r.id = id,
            Record::Contact(r) => r.id = id,
            Record::Lead(r) => r.id = id,
            Record::Activity(r) => r.id = id,
            Record::Product(r) => r.id = id,
            Record::Currency(r) => r.id = id,
            Record::Pipeline(r) => r.id = id,
            Record::Stage(r) => r.id = id,
            Record::Lookup(r) => r.id = id,
        }
    }

    /// What the record is called in history and messages.
    pub fn title(&self) -> String {
        match self {
            Record::Account(r) => r.name.clone(),
            Record::Contact(r) => r.name.clone(),
            Record::Lead(r) => r.name.clone(),
            Record::Activity(r) => r.summary.clone(),
            Record::Product(r) => r.name.clone(),
            Record::Currency(r) => r.code.clone(),
            Record::Pipeline(r) => r.name.clone(),
            Record::Stage(r) => r.name.clone(),
            Record::Lookup(r) => r.name.clone(),
        }
    }

    /// Trims its texts and checks the rules that need no other record.
    #[expect(
        clippy::too_many_lines,
        reason = "one arm per kind of record, each its fields' rules in the form's order"
    )]
    pub fn normalize_and_validate(&mut self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        match self {
            Record::Account(a) => {
                check_texts(
                    &mut errors,
                    &mut [
                        (Field::Name, &mut a.name, true),
                        (Field::Industry, &mut a.industry, false),
                        (Field::Phone, &mut a.phone, false),
                        (Field::Email, &mut a.email, false),
                        (Field::Website, &mut a.website, false),
                        (Field::Address, &mut a.address, false),
                        (Field::Notes, &mut a.notes, false),
                    ],
                );
                check_email(&mut errors, &a.email);
                errors.extend(check_phone(&a.phone).err());
            }
            Record::Contact(c) => {
                check_texts(
                    &mut errors,
                    &mut [
                        (Field::Name, &mut c.name, true),
                        (Field::Role, &mut c.role, false),
                        (Field::Email, &mut c.email, false),
                        (Field::Phone, &mut c.phone, false),
                        (Field::Notes, &mut c.notes, false),
                    ],
                );
                for list in [&mut c.more_emails, &mut c.more_phones] {
                    for text in list.iter_mut() {
                        *text = text.trim().to_owned();
                    }
                    list.retain(|t| !t.is_empty());
                }
                // The first of several is the one kept in the first place.
                if c.email.is_empty() && !c.more_emails.is_empty() {
                    c.email = c.more_emails.remove(0);
                }
                if c.phone.is_empty() && !c.more_phones.is_empty() {
                    c.phone = c.more_phones.remove(0);
                }
                for email in c.emails() {
                    check_email(&mut errors, email);
                    if email.chars().count() > MAX_LINE_CHARS {
                        errors.push(FieldError::new(
                            Field::Email,
                            Problem::TooLong(MAX_LINE_CHARS),
                        ));
                    }
                }
                for phone in c.phones() {
                    errors.extend(check_phone(phone).err());
                }
            }
            Record::Lead(l) => {
                check_texts(
                    &mut errors,
                    &mut [
                        (Field::Name, &mut l.name, true),
                        (Field::Company, &mut l.company, false),
                        (Field::ContactName, &mut l.contact_name, false),
                        (Field::Email, &mut l.email, false),
                        (Field::Phone, &mut l.phone, false),
                        (Field::Notes, &mut l.notes, false),
                    ],
                );
                check_email(&mut errors, &l.email);
                errors.extend(check_phone(&l.phone).err());
            }
            Record::Activity(a) => {
                check_texts(
                    &mut errors,
                    &mut [
                        (Field::Summary, &mut a.summary, true),
                        (Field::Notes, &mut a.notes, false),
                        (Field::Uid, &mut a.uid, false),
                    ],
                );
                if a.minutes > MAX_ACTIVITY_MINUTES {
                    errors.push(FieldError::new(
                        Field::Duration,
                        Problem::OutOfRange {
                            min: 0,
                            max: MAX_ACTIVITY_MINUTES,
                        },
                    ));
                }
            }
            Record::Product(p) => {
                check_texts(
                    &mut errors,
                    &mut [
                        (Field::Code, &mut p.code, false),
                        (Field::Name, &mut p.name, true),
                    ],
                );
                if let Err(e) = check_amount(Field::UnitPrice, p.unit_price) {
                    errors.push(e);
                }
                check_currency(&mut errors, &p.currency);
            }
            Record::Currency(c) => {
                c.code = c.code.trim().to_uppercase();
                check_currency(&mut errors, &c.code);
                check_texts(&mut errors, &mut [(Field::Name, &mut c.name, false)]);
                if let Err(e) = check_rate(c.rate) {
                    errors.push(e);
                }
            }
            Record::Pipeline(p) => {
                check_texts(&mut errors, &mut [(Field::Name, &mut p.name, true)]);
            }
            Record::Stage(s) => {
                check_texts(
                    &mut errors,
                    &mut [
                        (Field::Name, &mut s.name, true),
                        (Field::Requirements, &mut s.requirements, false),
                    ],
                );
                // A won stage is certain and a lost one hopeless, whatever was typed.
                match s.kind {
                    StageKind::Won => s.probability = Decimal::ONE_HUNDRED,
                    StageKind::Lost => s.probability = Decimal::ZERO,
                    StageKind::Open => {}
                }
                if let Err(e) = check_probability(s.probability) {
                    errors.push(e);
                }
                if s.rotting_days.is_some_and(|d| d == 0 || d > 3650) {
                    errors.push(FieldError::new(
                        Field::RottingDays,
                        Problem::OutOfRange { min: 1, max: 3650 },
                    ));
                }
            }
            Record::Lookup(l) => {
                check_texts(&mut errors, &mut [(Field::Name, &mut l.name, true)]);
            }
        }
        finish(errors)
    }
}

impl Opportunity {
    /// How many days the open deal has sat in `stage` beyond its rotting threshold, if it has.
    pub fn stale_days(&self, stage: &Stage, today: NaiveDate) -> Option<i64> {
        stage.stale_days(self.stage_entered.date_naive(), self.closed, today)
    }
}

impl Stage {
    /// The days a deal that entered this stage on `entered` (its last stage move) has sat in
    /// it, when that passes the stage's stale threshold: only an open stage with a threshold,
    /// and a deal not closed. The one definition the board, the form, the filter and the
    /// sales leakage share.
    pub fn stale_days(
        &self,
        entered: NaiveDate,
        closed: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Option<i64> {
        let threshold = i64::from(self.rotting_days?);
        let days = (today - entered).num_days();
        (self.kind == StageKind::Open && closed.is_none() && days > threshold).then_some(days)
    }
}

/// Which of the three colours a deal's next activity shows (Odoo's activity states).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityState {
    /// Due before today.
    Late,
    Today,
    Planned,
}

impl ActivityState {
    /// The state of an activity due on `due`, seen on `today`.
    pub fn of(due: NaiveDate, today: NaiveDate) -> ActivityState {
        match due.cmp(&today) {
            std::cmp::Ordering::Less => ActivityState::Late,
            std::cmp::Ordering::Equal => ActivityState::Today,
            std::cmp::Ordering::Greater => ActivityState::Planned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    fn line(quantity: &str, price: &str, discount: &str) -> Line {
        Line {
            product: None,
            description: String::new(),
            quantity: dec(quantity),
            unit_price: dec(price),
            discount_pct: dec(discount),
        }
    }

    #[test]
    fn line_totals_apply_the_discount_and_round_to_cents() {
        assert_eq!(line("3", "19.99", "0").total(), dec("59.97"));
        assert_eq!(line("3", "19.99", "10").total(), dec("53.97"));
        // 2.5 × 0.99 × 0.85 = 2.103750 → 2.10; 1 × 0.05 × 0.5 = 0.025 → 0.03 (away from zero).
        assert_eq!(line("2.5", "0.99", "15").total(), dec("2.10"));
        assert_eq!(line("1", "0.05", "50").total(), dec("0.03"));
        assert_eq!(line("4", "100", "100").total(), dec("0"));
        let lines = [line("3", "19.99", "10"), line("1", "0.05", "50")];
        assert_eq!(lines_amount(&lines), dec("54.00"));
    }

    #[test]
    fn hidden_characters_are_refused_in_every_name_required_or_not() {
        let mut lead = Record::Lead(Lead {
            name: "Kiosk".into(),
            company: "Acme\u{202E}gpj.exe".into(),
            contact_name: "Ali\u{200B}".into(),
            ..Lead::default()
        });
        let errors = lead.normalize_and_validate().unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Company, Field::ContactName]);
        let mut persian = Record::Lead(Lead {
            name: "Kiosk".into(),
            company: "نرم\u{200C}افزار".into(),
            ..Lead::default()
        });
        assert_eq!(persian.normalize_and_validate(), Ok(()));
    }

    #[test]
    fn line_errors_name_the_field() {
        let errors = line("0", "-1", "120").validate().unwrap_err();
        let fields: Vec<Field> = errors.iter().map(|e| e.field).collect();
        assert_eq!(fields, [Field::Quantity, Field::UnitPrice, Field::Discount]);
        assert_eq!(
            parse_discount("15 %").map(|d| d.to_string()),
            Ok("15".to_owned())
        );
        assert_eq!(
            parse_discount("150").unwrap_err().to_string(),
            "Discount %: must be between 0 and 100"
        );
        assert_eq!(
            parse_quantity("two").unwrap_err().to_string(),
            "Quantity: “two” is not a number"
        );
        assert_eq!(
            parse_rate("0").unwrap_err().to_string(),
            "Rate: is required"
        );
        assert_eq!(
            parse_rate("2000000").unwrap_err().to_string(),
            "Rate: is too large"
        );
    }

    #[test]
    fn rates_convert_to_the_base_currency_in_cents() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        let eur = Currency {
            id: 1,
            code: "EUR".into(),
            name: "Euro".into(),
            rate: dec("1.0825"),
            rate_date: day,
            active: true,
        };
        let rates = Rates::new("USD", [&eur]);
        assert_eq!(rates.to_base(dec("1000"), "EUR"), dec("1082.50"));
        assert_eq!(rates.to_base(dec("0.01"), "EUR"), dec("0.01"));
        assert_eq!(rates.to_base(dec("1000"), "USD"), dec("1000"));
        assert_eq!(rates.convert(dec("1082.50"), "USD", "EUR"), dec("1000.00"));
        let mut opp = crate::domain::test_support::opportunity(5, 1, "Deal");
        opp.currency = "EUR".into();
        opp.amount = dec("20000");
        opp.probability = dec("30");
        assert_eq!(opp.expected_base(&rates), dec("21650.00"));
        assert_eq!(opp.weighted_base(&rates), dec("6495.00"));
    }

    #[test]
    fn records_are_trimmed_and_checked() {
        let mut contact = Record::Contact(Contact {
            name: "  Sara Ahmadi ".into(),
            email: "sara-at-example".into(),
            ..Contact::default()
        });
        let errors = contact.normalize_and_validate().unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "Email: “sara-at-example” is not an email address"
        );
        assert_eq!(contact.title(), "Sara Ahmadi");
        let mut currency = Record::Currency(Currency {
            id: 0,
            code: " eur".into(),
            name: "Euro".into(),
            rate: dec("-1"),
            rate_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            active: true,
        });
        let errors = currency.normalize_and_validate().unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, Field::Rate);
        assert_eq!(currency.title(), "EUR");
    }

    #[test]
    fn activity_state_follows_the_due_date() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        assert_eq!(ActivityState::of(day(21), today), ActivityState::Late);
        assert_eq!(ActivityState::of(day(22), today), ActivityState::Today);
        assert_eq!(ActivityState::of(day(23), today), ActivityState::Planned);
    }
}
