//! Helpers of the related tests, shared by forsat-app's tests and the binary's (tests/cli).

use chrono::NaiveDate;
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Currency, Id, Record};
use rust_decimal::Decimal;

pub fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

pub fn put(ws: &mut Workspace, record: Record) -> Result<(), String> {
    ws.apply(Command::Change(Box::new(Change::put(record))))
        .map(drop)
        .map_err(|e| e.to_string())
}

pub fn add_currency(ws: &mut Workspace, code: &str, rate: &str) -> Id {
    put(
        ws,
        Record::Currency(Currency {
            id: 0,
            code: code.into(),
            name: code.into(),
            rate: dec(rate),
            rate_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            active: true,
        }),
    )
    .unwrap();
    ws.currencies().iter().find(|c| c.code == code).unwrap().id
}
