//! The currencies a file brings with it. A Forsat export gives each deal's rate (`rate`:
//! base-currency units per unit of the deal's currency) and the base currency that rate is in
//! (`base_currency`), on every row: a column survives sorting, filtering and joining files in a
//! spreadsheet, where a note above the header would not, and the base must be said because a
//! rate of 1 does not tell the base from a currency at par.
//!
//! A currency the database does not list is created at the file's rate for it (the most
//! common, the newest row deciding a tie), converted when the file's base currency is not the
//! database's: through the database's rate for the file's base, else through the file's own
//! rate for the database's base. Currencies the database lists keep their rates. Everything
//! is reported.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::table::decimal_text;
use crate::domain::{Currency, RATE_DECIMALS, Rates, parse_rate};
use crate::tr;
use crate::workspace::Workspace;

/// One row's word on its currency: worth `rate` of `base` (empty: the database's base), as of
/// `at` (the row's last change).
pub(super) struct Quote<'a> {
    pub code: &'a str,
    pub rate: Decimal,
    pub base: &'a str,
    pub at: DateTime<Utc>,
}

/// A rate as read: its value, its base currency, and as of when.
type Seen<'a> = (Decimal, &'a str, DateTime<Utc>);

/// The currencies to create, without ids yet, and what to tell the user.
#[derive(Default)]
pub(super) struct NewCurrencies {
    pub currencies: Vec<Currency>,
    pub messages: Vec<String>,
}

/// The currencies `quotes` need that `ws` does not list. Fails, naming the currency, when the
/// file's rates are in a base currency that neither the database nor the file converts.
pub(super) fn new_currencies<'a>(
    ws: &Workspace,
    quotes: impl Iterator<Item = Quote<'a>>,
) -> Result<NewCurrencies, String> {
    let rates = ws.rates();
    let home = rates.base();
    let (by_code, unsaid) = by_code(quotes, home);
    let mut out = NewCurrencies::default();
    if by_code.is_empty() {
        return Ok(out);
    }
    if unsaid > 0 {
        out.messages.push(tr!(
            "{n} rows give a rate but no base currency: read as rates in {base}, this database's base currency",
            n = unsaid,
            base = home
        ));
    }
    let pivots = pivots(rates, &by_code)?;
    for (base, (_, how)) in &pivots {
        out.messages.push(tr!(
            "the file's rates are in {base}, this database's in {home}: converted at {how}",
            base = base,
            home = home,
            how = how
        ));
    }
    // A quote in this database's base currency; None when its base cannot be converted
    // (only a listed currency's quote can be so, and it is not needed).
    let here = |&(rate, base, at): &Seen| {
        if base == home {
            return Some((rate, at));
        }
        let (pivot, _) = pivots.get(base)?;
        Some((rounded(rate * pivot), at))
    };
    for (code, quotes) in by_code {
        if code == home {
            continue;
        }
        let converted: Vec<_> = quotes.iter().filter_map(here).collect();
        if let Some(currency) = new_currency(ws, code, &converted, &mut out.messages)? {
            out.currencies.push(currency);
        }
    }
    if !out.currencies.is_empty() {
        let list: Vec<String> = out
            .currencies
            .iter()
            .map(|c| {
                tr!(
                    "{code} (rate {rate})",
                    code = c.code,
                    rate = decimal_text(c.rate)
                )
            })
            .collect();
        out.messages.push(tr!(
            "created currencies {list} from the file",
            list = list.join(", ")
        ));
    }
    Ok(out)
}

/// The quotes by currency, each base said (an unsaid one is `home`), and how many were not.
fn by_code<'s, 'a: 's>(
    quotes: impl Iterator<Item = Quote<'a>>,
    home: &'s str,
) -> (BTreeMap<&'s str, Vec<Seen<'s>>>, usize) {
    let mut by_code: BTreeMap<&str, Vec<Seen>> = BTreeMap::new();
    let mut unsaid = 0usize;
    for q in quotes {
        let base = if q.base.is_empty() {
            unsaid += 1;
            home
        } else {
            q.base
        };
        by_code
            .entry(q.code)
            .or_default()
            .push((q.rate, base, q.at));
    }
    (by_code, unsaid)
}

/// What one unit of each of the file's base currencies is worth here, and how that was found:
/// the database's own rate, else the file's rate for the database's base currency, inverted.
/// Only the bases of currencies to create need one: a file of listed currencies imports as it
/// always did.
fn pivots<'s>(
    rates: &Rates,
    by_code: &BTreeMap<&'s str, Vec<Seen<'s>>>,
) -> Result<BTreeMap<&'s str, (Decimal, String)>, String> {
    let home = rates.base();
    let missing = |code: &str| code != home && rates.rate(code).is_none();
    let mut pivots: BTreeMap<&str, (Decimal, String)> = BTreeMap::new();
    let bases = by_code
        .iter()
        .filter(|(code, _)| missing(code))
        .flat_map(|(_, quotes)| quotes.iter().map(|q| q.1));
    for base in bases {
        if base == home || pivots.contains_key(base) {
            continue;
        }
        let (pivot, how) = match rates.rate(base) {
            Some(listed) => (
                listed,
                tr!(
                    "1 {from} = {rate} {to}, the rate this database lists",
                    from = base,
                    rate = decimal_text(listed),
                    to = home
                ),
            ),
            None => {
                let theirs: Vec<(Decimal, DateTime<Utc>)> = by_code
                    .get(home)
                    .into_iter()
                    .flatten()
                    .filter(|(_, b, _)| *b == base)
                    .map(|&(rate, _, at)| (rate, at))
                    .collect();
                let Some(rate) = chosen(&theirs) else {
                    return Err(tr!(
                        "the file's rates are in {base}, which this database does not list, and no deal of the file is in {home} to convert them: add {base} with its rate under Currencies first",
                        base = base,
                        home = home
                    ));
                };
                let pivot = rounded(Decimal::ONE / rate);
                let how = tr!(
                    "1 {from} = {rate} {to}, from the file's rate for {to}",
                    from = base,
                    rate = decimal_text(pivot),
                    to = home
                );
                (pivot, how)
            }
        };
        pivots.insert(base, (pivot, how));
    }
    Ok(pivots)
}

/// The currency to create for `code` at the most common of its `converted` quotes (in this
/// database's base currency), or none when there is none or the database lists it; what the
/// user should know goes to `messages`.
fn new_currency(
    ws: &Workspace,
    code: &str,
    converted: &[(Decimal, DateTime<Utc>)],
    messages: &mut Vec<String>,
) -> Result<Option<Currency>, String> {
    let Some(rate) = chosen(converted) else {
        return Ok(None);
    };
    if let Some(listed) = ws.rates().rate(code) {
        if listed != rate {
            messages.push(tr!(
                "{code}: the file's rate {file} is not this database's {listed}; the database's is kept",
                code = code,
                file = decimal_text(rate),
                listed = decimal_text(listed)
            ));
        }
        return Ok(None);
    }
    let rate = parse_rate(&decimal_text(rate)).map_err(|e| {
        tr!(
            "{code}: the file's rate cannot be used: {error}",
            code = code,
            error = e
        )
    })?;
    let mut distinct: Vec<Decimal> = converted.iter().map(|q| q.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() > 1 {
        messages.push(tr!(
            "{code}: the file gives {n} different rates; the most common (the newest on a tie) is taken",
            code = code,
            n = distinct.len()
        ));
    }
    Ok(Some(Currency {
        id: 0,
        code: code.to_owned(),
        name: String::new(),
        rate,
        rate_date: ws.today(),
        active: true,
    }))
}

/// A rate to the decimals a rate keeps, as a change of base currency rounds them.
fn rounded(rate: Decimal) -> Decimal {
    rate.round_dp_with_strategy(RATE_DECIMALS, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// The most common rate, the newest deciding between equally common ones.
fn chosen(quotes: &[(Decimal, DateTime<Utc>)]) -> Option<Decimal> {
    let mut tally: BTreeMap<Decimal, (usize, DateTime<Utc>)> = BTreeMap::new();
    for &(rate, at) in quotes {
        let entry = tally.entry(rate).or_insert((0, at));
        entry.0 += 1;
        entry.1 = entry.1.max(at);
    }
    tally
        .into_iter()
        .max_by_key(|(_, seen)| *seen)
        .map(|(rate, _)| rate)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone as _;

    #[test]
    fn the_most_common_rate_wins_and_the_newest_breaks_a_tie() {
        let at = |day| Utc.with_ymd_and_hms(2026, 11, day, 0, 0, 0).unwrap();
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        let quotes = [(d("1.08"), at(1)), (d("1.10"), at(9)), (d("1.08"), at(2))];
        assert_eq!(chosen(&quotes), Some(d("1.08")));
        assert_eq!(chosen(&quotes[..2]), Some(d("1.10")));
        assert_eq!(chosen(&[]), None);
    }
}
