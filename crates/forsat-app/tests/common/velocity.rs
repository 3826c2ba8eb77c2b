//! Six deals moved through the default pipeline on chosen days, for the time-in-stage and
//! velocity tests of the store and of the window (figures by hand in each test).

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use forsat_app::workspace::Workspace;
use forsat_core::command::Command;
use forsat_core::domain::{Account, Id, Opportunity, StageKind};

pub fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// 10:00 UTC on `text`.
fn at(text: &str) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day(text).and_hms_opt(10, 0, 0).unwrap())
}

/// A workspace whose clock shows what `now` holds (milliseconds since 1970), so each command
/// happens on the day the fixture chooses.
fn open_at(path: &Path, now: &Arc<AtomicI64>) -> Workspace {
    let now = now.clone();
    let clock = Arc::new(move || {
        DateTime::from_timestamp_millis(now.load(Ordering::SeqCst)).expect("a valid time")
    });
    Workspace::open(path, clock).unwrap()
}

/// The fixture's deals, by name.
#[allow(dead_code, reason = "the window's tests find deals by name")]
pub struct Deals {
    pub alborz: Id,
    pub bandar: Id,
    pub soleil: Id,
    pub dena: Id,
    pub elbrus: Id,
    pub fars: Id,
}

/// The fixture's deals: account, name, amount, creation day, then each move's day and stage.
type Moves = &'static [(&'static str, &'static str)];
const DEALS: [(&str, &str, &str, &str, Moves); 6] = [
    (
        "Alborz Trading",
        "Alborz – kiosks",
        "1000",
        "2026-01-01",
        &[
            ("2026-01-11", "Qualified"),
            ("2026-01-31", "Proposition"),
            ("2026-02-10", "Won"),
        ],
    ),
    (
        "Bandar Cranes",
        "Bandar – cranes",
        "3000",
        "2026-02-01",
        &[("2026-02-05", "Proposition"), ("2026-03-03", "Won")],
    ),
    (
        "Café Soleil",
        "Café Soleil – espresso bar",
        "2000",
        "2026-03-01",
        &[("2026-03-07", "Qualified"), ("2026-04-06", "Lost")],
    ),
    (
        "Fars Solar",
        "Fars – solar roof",
        "5000",
        "2026-04-01",
        &[
            ("2026-04-05", "Qualified"),
            ("2026-04-15", "New"),
            ("2026-04-20", "Qualified"),
            ("2026-05-20", "Won"),
        ],
    ),
    (
        "Dena Looms",
        "Dena – looms",
        "500",
        "2026-10-01",
        &[("2026-10-21", "Qualified")],
    ),
    ("Elbrus Pumps", "Elbrus – pumps", "800", "2026-11-02", &[]),
];

/// Six deals of the default pipeline (New, Qualified, Proposition, Won, Lost), each created
/// and moved at 10:00 on the days below; the clock is left on 2026-11-22.
///
/// | deal | amount | moves | days per stage | age |
/// | --- | --- | --- | --- | --- |
/// | Alborz | 1000 | New 01-01, Qualified 01-11, Proposition 01-31, won 02-10 | New 10, Qualified 20, Proposition 10 | 01-01 → 02-10: 31 + 9 = 40 |
/// | Bandar | 3000 | New 02-01, Proposition 02-05 (skips Qualified), won 03-03 | New 4, Proposition 23 + 3 = 26 | 02-01 → 03-03: 28 + 2 = 30 |
/// | Soleil | 2000 | New 03-01, Qualified 03-07, lost 04-06 | New 6, Qualified 24 + 6 = 30 | 03-01 → 04-06: 31 + 5 = 36 |
/// | Fars | 5000 | New 04-01, Qualified 04-05, back to New 04-15, Qualified 04-20, won 05-20 | New 4 + 5 = 9, Qualified 10 + 30 = 40 | 04-01 → 05-20: 29 + 20 = 49 |
/// | Dena | 500 | New 10-01, Qualified 10-21, open | New 20, Qualified so far | 10-01 → today |
/// | Elbrus | 800 | New 11-02, open | New so far | 11-02 → today |
pub fn fixture(path: &Path) -> Deals {
    let now = Arc::new(AtomicI64::new(0));
    let mut ws = open_at(path, &now);
    let on = |date: &str| now.store(at(date).timestamp_millis(), Ordering::SeqCst);
    let move_to = |ws: &mut Workspace, date: &str, opp: Id, to: &str| {
        on(date);
        let stage = stage_named(ws, to);
        let command = Command::MoveToStage {
            opp,
            stage,
            loss_reason: None,
        };
        ws.apply(command).unwrap();
    };
    let mut ids = Vec::new();
    for (account, name, amount, created, moves) in DEALS {
        on(created);
        let id = create(&mut ws, account, name, amount);
        for (date, to) in moves {
            move_to(&mut ws, date, id, to);
        }
        ids.push(id);
    }
    on("2026-11-22");
    let [alborz, bandar, soleil, fars, dena, elbrus] = ids[..] else {
        unreachable!("six deals");
    };
    Deals {
        alborz,
        bandar,
        soleil,
        dena,
        elbrus,
        fars,
    }
}

/// The stage called `name` in the default pipeline.
fn stage_named(ws: &Workspace, name: &str) -> Id {
    let pipeline = ws.default_pipeline().id;
    ws.stages_of(pipeline).find(|s| s.name == name).unwrap().id
}

/// A new deal for the new account `account`, in the first open stage.
fn create(ws: &mut Workspace, account: &str, name: &str, amount: &str) -> Id {
    let pipeline = ws.default_pipeline().id;
    let stage = ws.stage_of_kind(pipeline, StageKind::Open).unwrap().clone();
    let mut opp = Opportunity::draft(&Account::default(), &stage, ws.settings(), ws.now());
    opp.name = name.to_owned();
    opp.amount = amount.parse().unwrap();
    let created = ws.apply(Command::CreateOpportunity {
        opp: Box::new(opp),
        new_account: Some(account.to_owned()),
    });
    created.unwrap().created.unwrap()
}
