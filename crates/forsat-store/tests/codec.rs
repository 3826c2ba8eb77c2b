//! The record codec under proptest: any deal a user could make — any text, any amount the
//! decimal type holds, any date, any number of lines and tags — reads back exactly as written;
//! the version byte is checked, and any flipped bit of the record or of its key is refused.

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

use chrono::{DateTime, NaiveDate, Utc};
use forsat_core::domain::{AmountMode, BusinessType, ForecastChoice, Id, Line, Opportunity};
use forsat_store::{CodecError, RECORD_VERSION, decode, encode};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<i64>(), 0u32..=6).prop_map(|(mantissa, scale)| Decimal::new(mantissa, scale))
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (-100_000i64..100_000).prop_map(|days| {
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Duration::days(days)
    })
}

/// Stored to the millisecond.
fn moment() -> impl Strategy<Value = DateTime<Utc>> {
    (-4_000_000_000_000i64..4_000_000_000_000)
        .prop_map(|ms| DateTime::from_timestamp_millis(ms).unwrap())
}

fn id() -> impl Strategy<Value = Id> {
    any::<u64>()
}

fn line() -> impl Strategy<Value = Line> {
    (
        proptest::option::of(id()),
        any::<String>(),
        decimal(),
        decimal(),
        decimal(),
    )
        .prop_map(
            |(product, description, quantity, unit_price, discount_pct)| Line {
                product,
                description,
                quantity,
                unit_price,
                discount_pct,
            },
        )
}

#[expect(
    clippy::too_many_lines,
    reason = "one scenario, or one table of cases, read top to bottom"
)]
fn opportunity() -> impl Strategy<Value = Opportunity> {
    let ids = (
        id(),
        id(),
        proptest::option::of(id()),
        id(),
        id(),
        proptest::option::of(id()),
        proptest::option::of(id()),
        proptest::option::of(id()),
        proptest::option::of(id()),
        proptest::option::of(id()),
        proptest::collection::vec(id(), 0..5),
    );
    let texts = (
        any::<String>(),
        any::<String>(),
        any::<String>(),
        any::<String>(),
        any::<String>(),
    );
    let values = (
        any::<bool>(),
        decimal(),
        any::<bool>(),
        proptest::collection::vec(line(), 0..4),
        proptest::option::of(date()),
        any::<bool>(),
        decimal(),
        any::<bool>(),
        proptest::sample::select(ForecastChoice::ALL.as_slice()),
        any::<u8>(),
    );
    let times = (moment(), moment(), moment(), proptest::option::of(date()));
    (ids, texts, values, times).prop_map(|(ids, texts, values, times)| {
        let (
            id,
            account,
            source,
            pipeline,
            stage,
            campaign,
            salesperson,
            competitor,
            loss_reason,
            contact,
            tags,
        ) = ids;
        let (name, next_step, currency, description, win_loss_report) = texts;
        let (
            existing,
            amount,
            from_lines,
            lines,
            expected_close,
            active,
            probability,
            overridden,
            forecast,
            priority,
        ) = values;
        let (created, updated, stage_entered, closed) = times;
        Opportunity {
            id,
            name,
            account,
            business_type: if existing {
                BusinessType::Existing
            } else {
                BusinessType::New
            },
            source,
            pipeline,
            stage,
            next_step,
            campaign,
            salesperson,
            currency,
            amount,
            amount_mode: if from_lines {
                AmountMode::FromLines
            } else {
                AmountMode::Manual
            },
            lines,
            expected_close,
            active,
            probability,
            probability_overridden: overridden,
            forecast,
            competitor,
            loss_reason,
            description,
            win_loss_report,
            priority,
            tags,
            created,
            updated,
            stage_entered,
            closed,
            contact,
        }
    })
}

/// Where the property tests store a deal: its table and its id's bytes (as the store keys it).
const TABLE: &str = "opportunities";

fn key(opp: &Opportunity) -> [u8; 8] {
    opp.id.to_le_bytes()
}

proptest! {
    #[test]
    fn any_deal_reads_back_as_written(opp in opportunity()) {
        let bytes = encode(TABLE, &key(&opp), &opp);
        prop_assert_eq!(bytes[0], RECORD_VERSION);
        prop_assert_eq!(decode::<Opportunity>(TABLE, &key(&opp), &bytes).unwrap(), opp);
    }

    #[test]
    fn a_newer_version_byte_is_refused(opp in opportunity(), newer in (RECORD_VERSION + 1)..=u8::MAX) {
        // A newer Forsat frames its records its own way: this build's checksum does not match.
        let mut bytes = encode(TABLE, &key(&opp), &opp);
        bytes[0] = newer;
        bytes[1] ^= 0x80;
        prop_assert_eq!(
            decode::<Opportunity>(TABLE, &key(&opp), &bytes),
            Err(CodecError::NewerVersion(newer))
        );
    }

    #[test]
    fn cut_records_are_refused_not_misread(opp in opportunity(), cut in any::<prop::sample::Index>()) {
        let bytes = encode(TABLE, &key(&opp), &opp);
        let at = cut.index(bytes.len());
        prop_assert!(decode::<Opportunity>(TABLE, &key(&opp), &bytes[..at]).is_err());
    }
}

proptest! {
    // Each case decodes a deal once per bit of it: fewer cases.
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Today's bit flips (an amount 13373.1 read as 13373.3, a salesperson read as a source, a
    /// date in 2227) were postcard decoding damaged bytes as other data: every one is refused.
    #[test]
    fn every_flipped_bit_of_a_record_or_its_key_is_refused(opp in opportunity()) {
        let key = key(&opp);
        let bytes = encode(TABLE, &key, &opp);
        for bit in 0..bytes.len() * 8 {
            let mut flipped = bytes.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            prop_assert_eq!(
                decode::<Opportunity>(TABLE, &key, &flipped),
                Err(CodecError::Damaged),
                "bit {} of the record", bit
            );
        }
        for bit in 0..key.len() * 8 {
            let mut other = key;
            other[bit / 8] ^= 1 << (bit % 8);
            prop_assert_eq!(
                decode::<Opportunity>(TABLE, &other, &bytes),
                Err(CodecError::Damaged),
                "bit {} of the key", bit
            );
        }
        // Nor is it read from another table.
        prop_assert_eq!(
            decode::<Opportunity>("accounts", &key, &bytes),
            Err(CodecError::Damaged)
        );
    }
}
