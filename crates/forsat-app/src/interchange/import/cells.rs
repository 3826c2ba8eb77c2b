//! A row's cells one by one: each read as its column says, every bad one collected.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

use super::super::Source;
use super::super::clean::{self, Repair};
use super::super::columns::FileColumn;
use super::super::csv_file;
use super::super::formats::Target;
use super::super::parse::{currencies_of, parse_bool};
use super::super::table::decimal_text;
use super::f;
use super::report::RowError;
use super::rows::{LineIn, RowReader, lines_from_json};
use crate::domain::{
    Field, FieldError, Problem, check_email_address, check_phone, clean_name, escaped,
    is_currency_code, parse_amount, parse_probability, parse_rate,
};
use crate::tr;

impl<'a> RowReader<'a> {
    /// `text` held once for every row that has it.
    pub(super) fn share(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.shared.get(text) {
            return Arc::clone(shared);
        }
        let shared: Arc<str> = Arc::from(text);
        self.shared.insert(Arc::clone(&shared));
        shared
    }

    /// The cell's text without the apostrophe guarding a formula; empty when absent.
    pub(super) fn raw(&self, column: FileColumn) -> &'a str {
        self.raw_target(Target::Column(column))
    }

    pub(super) fn raw_target(&self, target: Target) -> &'a str {
        self.mapping
            .index
            .get(&target)
            .and_then(|&i| self.cells.get(i))
            .map_or("", csv_file::restore)
    }

    pub(super) fn fail(&mut self, column: FileColumn, reason: String) {
        self.errors.push(RowError {
            row: self.row,
            column: self.mapping.header(column),
            value: self.raw(column).to_owned(),
            reason,
        });
    }

    pub(super) fn field_error(&mut self, column: FileColumn, error: &FieldError) {
        self.fail(column, error.reason());
    }

    /// Free text kept as written (descriptions keep their spaces and line breaks).
    pub(super) fn text(&self, field: Field) -> String {
        self.raw(FileColumn::Field(field)).to_owned()
    }

    /// The contact's email or phone: the first value of the target's columns (a cell may
    /// list several), each value checked; values past the first are not kept (a contact has
    /// one email and one phone) and counted.
    pub(super) fn contact_detail(&mut self, target: Target) -> String {
        let (field, email) = match target {
            Target::ContactEmail => (Field::Email, true),
            _ => (Field::Phone, false),
        };
        let mut kept: Option<String> = None;
        let mut more = false;
        let mapping = self.mapping;
        for i in mapping.columns_of(target) {
            let raw = self.cells.get(i).map_or("", csv_file::restore);
            let cell = match clean::one_line(raw) {
                Some(folded) => {
                    self.repairs.add(Repair::Folded(target));
                    std::borrow::Cow::Owned(folded)
                }
                None => raw.trim().into(),
            };
            for part in clean::listed(&cell) {
                let value = match clean::bare_address(part) {
                    Some(address) if email => {
                        self.repairs.add(Repair::NamedEmail);
                        address
                    }
                    _ => part,
                };
                let checked = clean_name(field, value).and_then(|_| {
                    if email {
                        check_email_address(value)
                    } else {
                        check_phone(value)
                    }
                });
                if let Err(e) = checked {
                    self.errors.push(RowError {
                        row: self.row,
                        column: mapping.headers[i].clone(),
                        value: cell.to_string(),
                        reason: e.reason(),
                    });
                    continue;
                }
                match &kept {
                    None => kept = Some(value.to_owned()),
                    Some(first) => more |= first.to_lowercase() != value.to_lowercase(),
                }
            }
        }
        if more {
            self.repairs.add(Repair::Extra(target));
        }
        kept.unwrap_or_default()
    }

    /// The deal's next step: one line, as written (its spaces are kept, as the deal keeps
    /// them) unless it had line breaks or tabs.
    pub(super) fn next_step(&mut self) -> String {
        let target = f(Field::NextStep);
        let raw = self.raw_target(target);
        if !raw.contains(clean::breaks_line) {
            return raw.to_owned();
        }
        self.repairs.add(Repair::Folded(target));
        clean::one_line(raw).unwrap_or_else(|| raw.trim().to_owned())
    }

    /// The deal's description as written; Odoo's are HTML (its notes are an Html field),
    /// made text.
    pub(super) fn description(&mut self) -> String {
        let raw = self.raw(FileColumn::Field(Field::Description));
        if self.mapping.dialect.source == Source::Odoo && clean::is_html(raw) {
            self.repairs.add(Repair::Html(f(Field::Description)));
            return clean::html_text(raw);
        }
        raw.to_owned()
    }

    /// The target's cell as one line ([`clean::one_line`]: trimmed, line breaks and tabs
    /// joined with a space), the repair counted. The checks see the text as it is kept.
    pub(super) fn line(&mut self, target: Target) -> std::borrow::Cow<'a, str> {
        let raw = self.raw_target(target);
        match clean::one_line(raw) {
            None => raw.trim().into(),
            Some(folded) => {
                self.repairs.add(Repair::Folded(target));
                folded.into()
            }
        }
    }

    /// A one-line name (of an account, a lookup, a stage): one line, at most 200 characters.
    pub(super) fn name(&mut self, field: Field) -> Arc<str> {
        self.name_in(FileColumn::Field(field), field)
    }

    /// A name of the kind `field` holds, read from `column`.
    pub(super) fn name_in(&mut self, column: FileColumn, field: Field) -> Arc<str> {
        let text = self.line(Target::Column(column));
        if !text.is_empty()
            && let Err(e) = clean_name(field, &text)
        {
            self.field_error(column, &e);
        }
        self.share(&text)
    }

    pub(super) fn bool(&mut self, column: FileColumn, default: bool) -> bool {
        let text = self.raw(column).trim();
        if text.is_empty() {
            return default;
        }
        parse_bool(text).unwrap_or_else(|| {
            self.fail(
                column,
                tr!("is not true or false (write true/false, yes/no or 1/0)"),
            );
            default
        })
    }

    pub(super) fn date(&mut self, field: Field) -> Option<NaiveDate> {
        let column = FileColumn::Field(field);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return None;
        }
        let parsed = self.styles.dates[&Target::Column(column)].parse_date(text);
        if parsed.is_none() {
            let e = FieldError::new(field, Problem::NotADate(text.to_owned()));
            self.field_error(column, &e);
        }
        parsed
    }

    pub(super) fn timestamp(&mut self, column: FileColumn) -> Option<DateTime<Utc>> {
        self.moment(Target::Column(column))
    }

    pub(super) fn moment(&mut self, target: Target) -> Option<DateTime<Utc>> {
        let text = self.raw_target(target).trim();
        if text.is_empty() {
            return None;
        }
        let parsed = self.styles.dates[&target].parse_timestamp(text);
        if parsed.is_none() {
            self.errors.push(RowError {
                row: self.row,
                column: self.mapping.target_header(target),
                value: text.to_owned(),
                reason: tr!("is not a date and time (write it like 2026-11-22T09:30:00Z)"),
            });
        }
        parsed
    }

    /// The amount and the currency symbol or code written beside it (`€12`, `12 EUR`).
    pub(super) fn amount(&mut self) -> (Option<Decimal>, Option<String>) {
        let column = FileColumn::Field(Field::Amount);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return (None, None);
        }
        let Some(number) = self.styles.amount.parse(text) else {
            let e = FieldError::new(Field::Amount, Problem::NotANumber(text.to_owned()));
            self.field_error(column, &e);
            return (None, None);
        };
        let checked = parse_amount(Field::Amount, &decimal_text(number.value));
        (
            checked.map_err(|e| self.field_error(column, &e)).ok(),
            number.unit,
        )
    }

    pub(super) fn probability(&mut self) -> Option<Decimal> {
        let column = FileColumn::Field(Field::Probability);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return None;
        }
        let checked = match self.styles.probability.parse(text) {
            Some(number) if number.unit.as_ref().is_none_or(|u| u == "%") => {
                parse_probability(&decimal_text(number.value))
            }
            _ => Err(FieldError::new(
                Field::Probability,
                Problem::NotANumber(text.to_owned()),
            )),
        };
        checked.map_err(|e| self.field_error(column, &e)).ok()
    }

    /// The deal's currency: the currency column's (`column`, None when empty), else the one
    /// written beside the amount (`unit`), else the base currency. A unit that is no currency,
    /// that could be several, that the currency column contradicts or that is not in the
    /// list of currencies is an error on the amount: the amount is never taken in another
    /// currency than the one it was written in.
    pub(super) fn currency(&mut self, column: Option<String>, unit: Option<&str>) -> String {
        let base = &self.ws.settings().base_currency;
        let amount = FileColumn::Field(Field::Amount);
        let Some(unit) = unit else {
            return column.unwrap_or_else(|| base.clone());
        };
        let Some((codes, alone)) = currencies_of(unit) else {
            self.fail(
                amount,
                tr!(
                    "“{unit}” beside the amount is not a currency Forsat knows: write the amount alone and the currency's code in the currency column",
                    unit = escaped(unit)
                ),
            );
            return column.unwrap_or_else(|| base.clone());
        };
        match column {
            Some(code) if codes.contains(&code) => code,
            Some(code) => {
                self.fail(
                    amount,
                    tr!(
                        "is written in “{unit}” but the currency column says {currency}",
                        unit = escaped(unit),
                        currency = escaped(&code)
                    ),
                );
                code
            }
            None => {
                let code = if codes.contains(base) {
                    base.clone()
                } else if alone {
                    codes[0].clone()
                } else {
                    self.fail(
                        amount,
                        tr!(
                            "“{unit}” may be any of {codes}: write the code (like 12 {first}) or fill the currency column",
                            unit = escaped(unit),
                            codes = codes.join(", "),
                            first = codes[0]
                        ),
                    );
                    return base.clone();
                };
                if self.ws.rates().rate(&code).is_none() {
                    let e = FieldError::new(Field::Amount, Problem::NotListed(code.clone()));
                    self.field_error(amount, &e);
                }
                code
            }
        }
    }

    /// The rate the row gives its currency (`rate`, checked as a rate) and the currency that
    /// rate is in (`base_currency`, empty when the file does not say).
    pub(super) fn rate(&mut self) -> (Option<Decimal>, Arc<str>) {
        let base = self.raw(FileColumn::BaseCurrency).trim().to_uppercase();
        if !base.is_empty() && !is_currency_code(&base) {
            let e = FieldError::new(Field::Currency, Problem::BadCurrency(base.clone()));
            self.field_error(FileColumn::BaseCurrency, &e);
        }
        let base = self.share(&base);
        let column = FileColumn::Field(Field::Rate);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return (None, base);
        }
        let rate = match self.styles.amount.parse(text) {
            Some(number) if number.unit.is_none() => parse_rate(&decimal_text(number.value)),
            _ => Err(FieldError::new(
                Field::Rate,
                Problem::NotANumber(text.to_owned()),
            )),
        };
        (rate.map_err(|e| self.field_error(column, &e)).ok(), base)
    }

    pub(super) fn lines(&mut self) -> Vec<LineIn> {
        let column = FileColumn::Field(Field::Lines);
        let text = self.raw(column).trim();
        if text.is_empty() {
            return Vec::new();
        }
        match lines_from_json(text) {
            Ok(lines) => lines,
            Err(reason) => {
                self.fail(column, reason);
                Vec::new()
            }
        }
    }

    /// The code of the listed currency named `name` (`SuiteCRM` writes "US Dollars").
    pub(super) fn currency_named(&self, name: &str) -> Option<String> {
        let name = name.trim().to_lowercase();
        self.ws
            .currencies()
            .into_iter()
            .find(|c| c.name.trim().to_lowercase() == name)
            .map(|c| c.code.clone())
    }
}
