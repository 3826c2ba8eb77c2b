//! Whole exports of other systems at a realistic size (a 5,000-row Odoo export, a 3,000-row
//! Pipedrive export): mixed Latin, accented and Persian names, quotes, line breaks, stages out of
//! order and a fifth of the deals lost at every stage. Each is imported whole through the real
//! binary, and its pipeline, funnel, leakage and won/lost reports equal what is worked out here
//! from the generated deals, independently of the importer.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{Days, NaiveDate};
use forsat_app::demo::Rng;
use rust_decimal::{Decimal, RoundingStrategy};
use serde_json::Value;

use crate::forsat as cli;

/// Where a generated deal stands.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Status {
    Open,
    Won,
    Lost,
}

/// One generated deal: its open stage is where it is now, or where it was won or lost.
struct Deal {
    name: String,
    account: &'static str,
    contact: &'static str,
    email: String,
    stage: usize,
    status: Status,
    amount: Decimal,
    probability: Decimal,
    reason: &'static str,
    created: NaiveDate,
    changed: NaiveDate,
    closed: NaiveDate,
}

const ACCOUNTS: [&str; 8] = [
    "Acme",
    "Société Générale d'Équipement",
    "Núñez & Hijos",
    "شرکت پارس",
    "Bluefin \"Marine\" Ltd",
    "Zagros Ötomotiv",
    "هلدینگ آرین",
    "Café Müller",
];
const CONTACTS: [&str; 6] = [
    "Sara Ahmadi",
    "Zoë Lefèvre",
    "رضا کریمی",
    "José Núñez",
    "Mary O'Brien",
    "Amélie Durand",
];
const SUBJECTS: [&str; 7] = [
    "ERP licences",
    "Fleet\nrenewal",
    "\"Big\" security audit",
    "خرید سرور",
    "Solar installation, phase 2",
    "Training\r\nprogramme",
    "Cloud migration",
];
const REASONS: [&str; 4] = ["Too expensive", "No budget", "رقیب ارزان‌تر", "Timing"];
/// Every row names one of these salespeople; they do not change the figures.
const OWNERS: [&str; 3] = ["Reza Tehrani", "Émilie Roux", "Daniel Okafor"];

/// `count` deals over `stages` open stages: at every stage a fifth are lost there, some of
/// those of the last stage are won, the rest are open.
fn generate(count: usize, stages: usize, seed: u64) -> Vec<Deal> {
    let mut rng = Rng(seed);
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    (0..count)
        .map(|i| {
            let stage = i % stages;
            let status = match (i / stages) % 5 {
                0 => Status::Lost,
                1 if stage == stages - 1 => Status::Won,
                _ => Status::Open,
            };
            let account = *rng.pick(&ACCOUNTS);
            let created = start + Days::new(rng.below(600));
            let changed = created + Days::new(rng.below(60));
            let contact = *rng.pick(&CONTACTS);
            Deal {
                name: format!("{account} – {} #{i}", rng.pick(&SUBJECTS)),
                account,
                contact,
                email: format!("buyer{}@example{}.com", i % 97, i % 7),
                stage,
                status,
                amount: Decimal::from(500 + rng.below(200_000)),
                probability: Decimal::from(match status {
                    Status::Open => 10 + 20 * stage as u64,
                    Status::Won => 100,
                    Status::Lost => 0,
                }),
                reason: if status == Status::Lost {
                    REASONS[rng.below(REASONS.len() as u64) as usize]
                } else {
                    ""
                },
                created,
                changed,
                closed: changed + Days::new(1 + rng.below(30)),
            }
        })
        .collect()
}

fn csv(quote_all: bool, header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<u8> {
    let style = if quote_all {
        csv::QuoteStyle::Always
    } else {
        csv::QuoteStyle::Necessary
    };
    let mut out = csv::WriterBuilder::new()
        .quote_style(style)
        .from_writer(Vec::new());
    out.write_record(header).unwrap();
    for row in rows {
        out.write_record(&row).unwrap();
    }
    out.into_inner().unwrap()
}

const ODOO_STAGES: [&str; 3] = ["New", "Qualified", "Proposition"];

/// An Odoo 17 opportunity export (list view, "Export" with the usual fields): every cell
/// quoted, lost deals archived at 0 % in the stage they were lost in, won deals in "Won".
fn odoo(deals: &[Deal]) -> Vec<u8> {
    let header = [
        "Created on",
        "Opportunity",
        "Customer",
        "Contact Name",
        "Email",
        "Salesperson",
        "Sales Team",
        "Stage",
        "Expected Revenue",
        "Probability",
        "Expected Closing",
        "Closed Date",
        "Lost Reason",
        "Active",
    ];
    csv(
        true,
        &header,
        deals.iter().map(|d| {
            let stage = match d.status {
                Status::Won => "Won",
                _ => ODOO_STAGES[d.stage],
            };
            let closed = match d.status {
                Status::Open => String::new(),
                _ => format!("{} 16:05:00", d.closed),
            };
            vec![
                format!("{} 09:12:44", d.created),
                d.name.clone(),
                d.account.to_owned(),
                d.contact.to_owned(),
                d.email.clone(),
                OWNERS[d.stage % OWNERS.len()].to_owned(),
                "Sales".to_owned(),
                stage.to_owned(),
                format!("{}.0", d.amount),
                format!("{}.0", d.probability),
                (d.changed + Days::new(90)).to_string(),
                closed,
                d.reason.to_owned(),
                if d.status == Status::Lost {
                    "False"
                } else {
                    "True"
                }
                .to_owned(),
            ]
        }),
    )
}

const PIPEDRIVE_STAGES: [&str; 5] = [
    "Lead In",
    "Contact Made",
    "Demo Scheduled",
    "Proposal Made",
    "Negotiations Started",
];

/// A Pipedrive deals export: each deal's stage beside its status, won and lost times, and the
/// rows in an order where "Contact Made" comes first and "Lead In" last.
fn pipedrive(deals: &[Deal]) -> Vec<u8> {
    let header = [
        "Deal - ID",
        "Deal - Title",
        "Deal - Creator",
        "Deal - Owner",
        "Deal - Value",
        "Deal - Currency",
        "Deal - Weighted value",
        "Deal - Probability",
        "Deal - Organization",
        "Deal - Pipeline",
        "Deal - Contact person",
        "Deal - Stage",
        "Deal - Label",
        "Deal - Status",
        "Deal - Deal created",
        "Deal - Update time",
        "Deal - Stage change time",
        "Deal - Expected close date",
        "Deal - Won time",
        "Deal - Lost time",
        "Deal - Lost reason",
        "Person - Email",
    ];
    let mut order: Vec<usize> = (0..deals.len()).collect();
    order.sort_by_key(|&i| (deals[i].stage != 1, deals[i].stage == 0, i));
    csv(
        false,
        &header,
        order.into_iter().map(|i| {
            let d = &deals[i];
            let time = |day: NaiveDate| format!("{day} 14:31:07");
            let status = match d.status {
                Status::Open => "open",
                Status::Won => "won",
                Status::Lost => "lost",
            };
            vec![
                (i + 1).to_string(),
                d.name.clone(),
                OWNERS[0].to_owned(),
                OWNERS[i % OWNERS.len()].to_owned(),
                d.amount.to_string(),
                "USD".to_owned(),
                String::new(),
                String::new(),
                d.account.to_owned(),
                "Pipeline".to_owned(),
                d.contact.to_owned(),
                PIPEDRIVE_STAGES[d.stage].to_owned(),
                if i % 3 == 0 {
                    "Hot".into()
                } else {
                    String::new()
                },
                status.to_owned(),
                time(d.created),
                time(d.closed),
                time(d.changed),
                (d.changed + Days::new(60)).to_string(),
                if d.status == Status::Won {
                    time(d.closed)
                } else {
                    String::new()
                },
                if d.status == Status::Lost {
                    time(d.closed)
                } else {
                    String::new()
                },
                d.reason.to_owned(),
                d.email.clone(),
            ]
        }),
    )
}

/// The report `name` of `pipeline` as JSON rows.
fn report(db: &Path, name: &str, pipeline: &str, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["report", name, "--pipeline", pipeline, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = cli(db, &args);
    assert_eq!(code, Some(0), "{name}: {err}");
    let json: Value = serde_json::from_str(&out).unwrap();
    json["rows"].as_array().unwrap().clone()
}

fn money(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

fn count(value: &Value) -> u64 {
    value.as_u64().unwrap()
}

/// Imports `file` into a new database through the CLI and checks every figure against the
/// generated `deals` (`stages` the open stages in order); returns the database.
fn imports_whole(
    file: &[u8],
    name: &str,
    deals: &[Deal],
    stages: &[&str],
    pipeline: &str,
) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("migrated.redb");
    let path = dir.path().join(name);
    std::fs::write(&path, file).unwrap();
    let (code, out, err) = cli(&db, &["import", path.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{out}\n{err}");
    assert!(
        out.contains(&format!("{} deals", deals.len())),
        "the summary counts every deal: {out}"
    );
    assert!(out.contains("line break"), "the repair is reported: {out}");

    // Pipeline: the open deals of each stage, in the file's stage order.
    let rows = report(&db, "pipeline", pipeline, &["--by", "stage"]);
    let keys: Vec<&str> = rows.iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert_eq!(keys, stages, "stages in their usual order");
    for (k, row) in rows.iter().enumerate() {
        let open = deals
            .iter()
            .filter(|d| d.status == Status::Open && d.stage == k);
        assert_eq!(count(&row["count"]), open.clone().count() as u64, "{row}");
        assert_eq!(
            money(&row["expected"]),
            open.map(|d| d.amount).sum(),
            "{row}"
        );
    }

    // Funnel and leakage: a deal reached every stage up to the one it is in or closed in; a won
    // deal reached them all; a lost one was lost at its stage.
    let funnel = report(&db, "funnel", pipeline, &[]);
    let leakage = report(&db, "leakage", pipeline, &[]);
    assert_eq!(funnel.len(), stages.len());
    assert_eq!(leakage.len(), stages.len());
    let reached = |k: usize| -> Vec<&Deal> {
        deals
            .iter()
            .filter(|d| d.status == Status::Won || d.stage >= k)
            .collect()
    };
    for k in 0..stages.len() {
        let here = reached(k);
        let lost: Vec<&Deal> = deals
            .iter()
            .filter(|d| d.status == Status::Lost && d.stage == k)
            .collect();
        let advanced = if k + 1 < stages.len() {
            reached(k + 1).len()
        } else {
            deals.iter().filter(|d| d.status == Status::Won).count()
        };
        let (f, l) = (&funnel[k], &leakage[k]);
        assert_eq!(f["stage"], stages[k]);
        assert_eq!(count(&f["reached"]), here.len() as u64, "{f}");
        assert_eq!(
            money(&f["reached_amount"]),
            here.iter().map(|d| d.amount).sum(),
            "{f}"
        );
        assert_eq!(l["stage"], stages[k]);
        assert_eq!(count(&l["entered"]), here.len() as u64, "{l}");
        assert_eq!(count(&l["advanced"]), advanced as u64, "{l}");
        assert_eq!(count(&l["lost"]), lost.len() as u64, "{l}");
        assert_eq!(
            money(&l["lost_amount"]),
            lost.iter().map(|d| d.amount).sum(),
            "{l}"
        );
    }

    // Lost deals by reason, the won ones in a row of their own.
    let mut expected: BTreeMap<&str, (u64, u64, Decimal, Decimal)> = BTreeMap::new();
    for d in deals.iter().filter(|d| d.status != Status::Open) {
        let key = if d.status == Status::Won {
            "won"
        } else if d.reason.is_empty() {
            "none"
        } else {
            d.reason
        };
        let e = expected.entry(key).or_default();
        if d.status == Status::Won {
            e.0 += 1;
            e.2 += d.amount;
        } else {
            e.1 += 1;
            e.3 += d.amount;
        }
    }
    let actual: BTreeMap<&str, (u64, u64, Decimal, Decimal)> =
        report(&db, "winloss", pipeline, &["--by", "reason"])
            .iter()
            .map(|r| {
                let key = r["key"].as_str().unwrap();
                let key = expected.keys().find(|k| **k == key).copied().unwrap_or("?");
                let sums = (
                    count(&r["won"]),
                    count(&r["lost"]),
                    money(&r["won_amount"]),
                    money(&r["lost_amount"]),
                );
                (key, sums)
            })
            .collect();
    assert_eq!(actual, expected);
    (dir, db)
}

#[test]
fn a_5000_row_odoo_export_imports_whole_and_reports_what_it_held() {
    let deals = generate(5000, ODOO_STAGES.len(), 0x0d00);
    let (_dir, db) = imports_whole(&odoo(&deals), "crm.lead.csv", &deals, &ODOO_STAGES, "Sales");
    // Weighted revenue of the open deals at the file's probabilities.
    for (k, row) in report(&db, "pipeline", "Sales", &["--by", "stage"])
        .iter()
        .enumerate()
    {
        let weighted: Decimal = deals
            .iter()
            .filter(|d| d.status == Status::Open && d.stage == k)
            .map(|d| {
                (d.amount * d.probability / Decimal::from(100))
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            })
            .sum();
        assert_eq!(money(&row["weighted"]), weighted, "{row}");
    }
}

#[test]
fn a_3000_row_pipedrive_export_imports_whole_and_reports_what_it_held() {
    let deals = generate(3000, PIPEDRIVE_STAGES.len(), 0x91be);
    imports_whole(
        &pipedrive(&deals),
        "deals-export.csv",
        &deals,
        &PIPEDRIVE_STAGES,
        "Pipeline",
    );
}
