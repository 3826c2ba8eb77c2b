//! Helpers of the interchange tests, shared by forsat-app's tests and the binary's (tests/cli).

use forsat_app::interchange::{self, Format, Kind};
use forsat_app::workspace::Workspace;
use forsat_core::domain::Opportunity;
use rust_decimal::Decimal;
use tempfile::TempDir;

use super::open;

pub fn csv(ws: &Workspace, what: Kind) -> String {
    String::from_utf8(interchange::export(ws, what, Format::Csv).unwrap()).unwrap()
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = crate::deals::fixtures().join("interchange").join(name);
    std::fs::read(path).unwrap()
}

pub fn fresh(dir: &TempDir, name: &str) -> Workspace {
    open(&dir.path().join(name))
}

pub fn deal<'a>(ws: &'a Workspace, name: &str) -> &'a Opportunity {
    ws.opportunities()
        .find(|o| o.name == name)
        .unwrap_or_else(|| panic!("no deal {name}"))
}

pub fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}
