//! The baseline: the same CRM on `SQLite` (bundled, WAL, `synchronous=FULL`, foreign keys on), with
//! the schema a careful `SQLite` application would have — one table per record kind, foreign
//! keys to accounts, stages and lookups, money in integer cents, dates as ISO text, and indexes
//! on what the board, the list and the reports filter and group by — and the same workloads:
//! loading every record into Forsat's own structs, a stage move, a CSV import and the reports as
//! `GROUP BY` queries.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use forsat::command::Batch;
use forsat::domain::{
    Account, Activity, ActivityKind, ActivityLink, AmountMode, BusinessType, Contact, Currency,
    EntityKind, Id, Line, Lookup, LookupKind, Opportunity, Pipeline, Product, Record, Stage,
    StageEvent, StageKind,
};
use rusqlite::{Connection, OptionalExtension as _, Row, params};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive as _;

mod edit;
mod import;
mod load;
mod reports;
mod write;

pub use edit::*;
pub use import::*;
pub use load::*;
pub use reports::*;
use write::Writer;

const SCHEMA: &str = "
CREATE TABLE pipelines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sequence INTEGER NOT NULL
);
CREATE TABLE stages (
    id INTEGER PRIMARY KEY,
    pipeline INTEGER NOT NULL REFERENCES pipelines(id),
    name TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    probability INTEGER NOT NULL, -- hundredths of a percent
    kind INTEGER NOT NULL,        -- 0 open, 1 won, 2 lost
    requirements TEXT NOT NULL,
    rotting_days INTEGER,
    folded INTEGER NOT NULL
);
CREATE TABLE lookups (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    name TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE INDEX lookups_kind_name ON lookups(kind, name);
CREATE TABLE currencies (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    rate TEXT NOT NULL,
    rate_date TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    currency TEXT NOT NULL,
    active INTEGER NOT NULL
);
CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    source INTEGER REFERENCES lookups(id),
    industry TEXT NOT NULL,
    phone TEXT NOT NULL,
    email TEXT NOT NULL,
    website TEXT NOT NULL,
    address TEXT NOT NULL,
    notes TEXT NOT NULL
);
CREATE INDEX accounts_name ON accounts(name COLLATE NOCASE);
CREATE TABLE contacts (
    id INTEGER PRIMARY KEY,
    account INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    email TEXT NOT NULL,
    phone TEXT NOT NULL
);
CREATE INDEX contacts_account ON contacts(account);
CREATE TABLE opportunities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    account INTEGER NOT NULL REFERENCES accounts(id),
    business_type INTEGER NOT NULL,
    source INTEGER REFERENCES lookups(id),
    pipeline INTEGER NOT NULL REFERENCES pipelines(id),
    stage INTEGER NOT NULL REFERENCES stages(id),
    next_step TEXT NOT NULL,
    campaign INTEGER REFERENCES lookups(id),
    salesperson INTEGER REFERENCES lookups(id),
    currency TEXT NOT NULL,
    amount INTEGER NOT NULL,      -- cents
    amount_mode INTEGER NOT NULL,
    expected_close TEXT,
    active INTEGER NOT NULL,
    probability INTEGER NOT NULL, -- hundredths of a percent
    probability_overridden INTEGER NOT NULL,
    forecast INTEGER NOT NULL,
    competitor INTEGER REFERENCES lookups(id),
    loss_reason INTEGER REFERENCES lookups(id),
    description TEXT NOT NULL,
    win_loss_report TEXT NOT NULL,
    priority INTEGER NOT NULL,
    created INTEGER NOT NULL,     -- Unix milliseconds
    updated INTEGER NOT NULL,
    stage_entered INTEGER NOT NULL,
    closed TEXT,
    contact INTEGER REFERENCES contacts(id)
);
CREATE INDEX opportunities_stage ON opportunities(stage);
CREATE INDEX opportunities_account ON opportunities(account);
CREATE INDEX opportunities_salesperson ON opportunities(salesperson);
CREATE INDEX opportunities_expected_close ON opportunities(expected_close);
CREATE TABLE opportunity_lines (
    opportunity INTEGER NOT NULL REFERENCES opportunities(id),
    position INTEGER NOT NULL,
    product INTEGER REFERENCES products(id),
    description TEXT NOT NULL,
    quantity TEXT NOT NULL,
    unit_price TEXT NOT NULL,
    discount_pct TEXT NOT NULL,
    PRIMARY KEY (opportunity, position)
) WITHOUT ROWID;
CREATE TABLE opportunity_tags (
    opportunity INTEGER NOT NULL REFERENCES opportunities(id),
    tag INTEGER NOT NULL REFERENCES lookups(id),
    PRIMARY KEY (opportunity, tag)
) WITHOUT ROWID;
CREATE TABLE trash (
    opportunity INTEGER PRIMARY KEY REFERENCES opportunities(id),
    at INTEGER NOT NULL
);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    summary TEXT NOT NULL,
    due TEXT NOT NULL,
    done INTEGER NOT NULL,
    opportunity INTEGER REFERENCES opportunities(id),
    account INTEGER REFERENCES accounts(id)
);
CREATE INDEX activities_opportunity ON activities(opportunity);
CREATE TABLE stage_events (
    id INTEGER PRIMARY KEY,
    opportunity INTEGER NOT NULL REFERENCES opportunities(id),
    from_stage INTEGER REFERENCES stages(id),
    to_stage INTEGER NOT NULL REFERENCES stages(id),
    at INTEGER NOT NULL
);
CREATE INDEX stage_events_opportunity ON stage_events(opportunity);
CREATE TABLE history (
    id INTEGER PRIMARY KEY,
    action INTEGER NOT NULL,
    entity INTEGER NOT NULL,
    entity_id INTEGER NOT NULL,
    at INTEGER NOT NULL,
    field TEXT NOT NULL,
    old TEXT NOT NULL,
    new TEXT NOT NULL
);
CREATE INDEX history_entity ON history(entity, entity_id);
";

/// Opens a `SQLite` database the way the baseline application would: WAL, every commit synced,
/// foreign keys enforced.
pub fn open(path: &Path) -> Connection {
    let conn = Connection::open(path).expect("SQLite opens");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("WAL is set");
    conn.pragma_update(None, "synchronous", "FULL")
        .expect("synchronous is set");
    conn.pragma_update(None, "foreign_keys", "ON")
        .expect("foreign keys are set");
    conn
}

/// What a new Forsat database starts with, copied into `SQLite` before the demo batch.
pub struct Config {
    pub pipelines: Vec<Pipeline>,
    pub stages: Vec<Stage>,
    pub lookups: Vec<Lookup>,
    pub currencies: Vec<Currency>,
}

/// Creates the `SQLite` twin of a Forsat file: `config`, then every record of `batch`, with the
/// history entries Forsat writes for them ("created" per record, "stage" per move).
pub fn create(path: &Path, config: &Config, batch: &Batch) {
    let mut conn = open(path);
    conn.execute_batch(SCHEMA).expect("the schema is created");
    let tx = conn.transaction().expect("a transaction");
    put_config(&tx, config);
    {
        let mut w = Writer::new(&tx);
        for l in &batch.lookups {
            w.lookup(l);
        }
        for r in &batch.records {
            if let Record::Currency(c) = r {
                w.currency(c);
            }
        }
        for r in &batch.records {
            if let Record::Product(p) = r {
                w.product(p);
            }
        }
        for a in &batch.accounts {
            w.account(a);
        }
        for r in &batch.records {
            if let Record::Contact(c) = r {
                w.contact(c);
            }
        }
        let stage_names: HashMap<Id, &str> = config
            .stages
            .iter()
            .map(|s| (s.id, s.name.as_str()))
            .collect();
        let mut next_history = 1;
        for o in &batch.opportunities {
            w.opportunity(o);
            w.history(
                next_history,
                EntityKind::Opportunity,
                o.id,
                o.created,
                "created",
                "",
                &o.name,
            );
            next_history += 1;
        }
        for e in &batch.stage_events {
            w.stage_event(e);
            if let Some(from) = e.from {
                w.history(
                    next_history,
                    EntityKind::Opportunity,
                    e.opportunity,
                    e.at,
                    "stage",
                    stage_names[&from],
                    stage_names[&e.to],
                );
                next_history += 1;
            }
        }
        for r in &batch.records {
            if let Record::Activity(a) = r {
                w.activity(a);
            }
        }
    }
    tx.commit().expect("the fixture is committed");
    conn.execute_batch("ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);")
        .expect("statistics are gathered");
    conn.close().expect("SQLite closes cleanly");
}

fn put_config(tx: &Connection, config: &Config) {
    for p in &config.pipelines {
        tx.execute(
            "INSERT INTO pipelines (id, name, sequence) VALUES (?1, ?2, ?3)",
            params![p.id as i64, p.name, p.sequence],
        )
        .expect("a pipeline is inserted");
    }
    for s in &config.stages {
        tx.execute(
            "INSERT INTO stages (id, pipeline, name, sequence, probability, kind, requirements,
             rotting_days, folded) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                s.id as i64,
                s.pipeline as i64,
                s.name,
                s.sequence,
                hundredths(s.probability),
                stage_kind_code(s.kind),
                s.requirements,
                s.rotting_days,
                s.folded
            ],
        )
        .expect("a stage is inserted");
    }
    let mut w = Writer::new(tx);
    for l in &config.lookups {
        w.lookup(l);
    }
    for c in &config.currencies {
        w.currency(c);
    }
}

/// An empty `SQLite` database at `path` with the configuration (pipelines, stages, lookups,
/// currencies) of the database `from`: what an import starts from.
pub fn empty_like(path: &Path, from: &Connection) -> Connection {
    let mut conn = open(path);
    conn.execute_batch(SCHEMA).expect("the schema is created");
    let Loaded {
        stages,
        mut lookups,
        currencies,
        ..
    } = load_small(from);
    // A new Forsat database has the default sources and loss reasons, not the salespeople.
    lookups.retain(|l| l.kind != LookupKind::Salesperson);
    let config = Config {
        pipelines: all(from, "SELECT id, name, sequence FROM pipelines", pipeline),
        stages,
        lookups,
        currencies,
    };
    let tx = conn.transaction().expect("a transaction");
    put_config(&tx, &config);
    tx.commit().expect("the configuration commits");
    conn
}

fn pipeline(r: &Row<'_>) -> rusqlite::Result<Pipeline> {
    Ok(Pipeline {
        id: r.get::<_, i64>(0)? as Id,
        name: r.get(1)?,
        sequence: r.get(2)?,
    })
}

/// The small tables only (stages, lookups, currencies).
fn load_small(conn: &Connection) -> Loaded {
    let stages = all(
        conn,
        "SELECT id, pipeline, name, sequence, probability, kind, requirements, rotting_days,
         folded FROM stages",
        |r| {
            Ok(Stage {
                id: r.get::<_, i64>(0)? as Id,
                pipeline: r.get::<_, i64>(1)? as Id,
                name: r.get(2)?,
                sequence: r.get(3)?,
                probability: Decimal::new(r.get(4)?, 2),
                kind: stage_kind(r.get(5)?),
                requirements: r.get(6)?,
                rotting_days: r.get(7)?,
                folded: r.get(8)?,
                forecast: forsat::domain::ForecastCategory::for_probability(Decimal::new(
                    r.get(4)?,
                    2,
                )),
            })
        },
    );
    let lookups = all(conn, "SELECT id, kind, name, active FROM lookups", |r| {
        Ok(Lookup {
            id: r.get::<_, i64>(0)? as Id,
            kind: lookup_kind(r.get(1)?),
            name: r.get(2)?,
            active: r.get(3)?,
        })
    });
    let currencies = all(
        conn,
        "SELECT id, code, name, rate, rate_date, active FROM currencies",
        |r| {
            Ok(Currency {
                id: r.get::<_, i64>(0)? as Id,
                code: r.get(1)?,
                name: r.get(2)?,
                rate: decimal(&r.get::<_, String>(3)?),
                rate_date: date(&r.get::<_, String>(4)?),
                active: r.get(5)?,
            })
        },
    );
    Loaded {
        stages,
        lookups,
        currencies,
        ..Loaded::default()
    }
}

fn opt_id(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<Id>> {
    Ok(r.get::<_, Option<i64>>(i)?.map(|v| v as Id))
}

fn cents(d: Decimal) -> i64 {
    (d * Decimal::ONE_HUNDRED)
        .round()
        .to_i64()
        .expect("an amount fits in cents")
}

fn hundredths(d: Decimal) -> i64 {
    cents(d)
}

fn decimal(s: &str) -> Decimal {
    s.parse().unwrap_or_else(|_| panic!("{s} is a decimal"))
}

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap_or_else(|_| panic!("{s} is a date"))
}

fn opt_date(s: &str) -> Option<NaiveDate> {
    (!s.is_empty()).then(|| date(s))
}

fn timestamp(s: &str) -> DateTime<Utc> {
    s.parse().unwrap_or_else(|_| panic!("{s} is a timestamp"))
}

fn millis(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).expect("a timestamp in range")
}

fn stage_kind_code(kind: StageKind) -> i64 {
    match kind {
        StageKind::Open => 0,
        StageKind::Won => 1,
        StageKind::Lost => 2,
    }
}

fn stage_kind(code: i64) -> StageKind {
    match code {
        1 => StageKind::Won,
        2 => StageKind::Lost,
        _ => StageKind::Open,
    }
}

fn lookup_kind_code(kind: LookupKind) -> i64 {
    LookupKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is listed") as i64
}

fn lookup_kind(code: i64) -> LookupKind {
    LookupKind::ALL[code as usize]
}

fn activity_kind_code(kind: ActivityKind) -> i64 {
    ActivityKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is listed") as i64
}

fn activity_kind(code: i64) -> ActivityKind {
    ActivityKind::ALL[code as usize]
}
