//! Configuration through changes: stages, pipelines, lookups, settings, stale deals.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, TimeZone as _, Utc};
use forsat_app::workspace::{UndoStack, Workspace};
use forsat_core::command::{Change, Command};
use forsat_core::domain::{
    Currency, DateFormat, EntityKind, Filter, Id, Lookup, LookupKind, Opportunity, Pipeline,
    Record, Settings, Stage, StageKind, Status,
};
use rust_decimal::Decimal;
use tempfile::TempDir;

use super::{create, open, stage};

#[path = "../common/config.rs"]
mod common;
use common::change;

fn names(ws: &Workspace) -> Vec<String> {
    ws.stages_of(ws.default_pipeline().id)
        .map(|s| s.name.clone())
        .collect()
}

#[test]
fn stages_are_added_reordered_and_deleted_with_their_deals_moved() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let pipeline = ws.default_pipeline().id;
    let deal = create(&mut ws, "Acme", "Renewal", "1000");
    let mut undo = UndoStack::default();
    let demo = Stage {
        id: 0,
        pipeline,
        name: "Demo".into(),
        sequence: 9,
        probability: Decimal::from(50),
        kind: StageKind::Open,
        requirements: "The customer saw the product.".into(),
        rotting_days: Some(14),
        folded: false,
        forecast: forsat_core::domain::ForecastCategory::default(),
    };
    undo.run(
        &mut ws,
        Command::Change(Box::new(Change::put(Record::Stage(demo)))),
        String::new(),
    )
    .unwrap();
    assert_eq!(
        names(&ws),
        ["New", "Qualified", "Proposition", "Won", "Lost", "Demo"]
    );

    // Drag "Demo" before "Proposition".
    let mut order: Vec<Id> = ws.stages_of(pipeline).map(|s| s.id).collect();
    let demo = order.pop().unwrap();
    order.insert(2, demo);
    let reorder = ws.reorder_stages_change(&order);
    undo.run(&mut ws, Command::Change(Box::new(reorder)), String::new())
        .unwrap();
    assert_eq!(
        names(&ws),
        ["New", "Qualified", "Demo", "Proposition", "Won", "Lost"]
    );

    // Deleting a stage that holds a deal moves it where the user says.
    let new = stage(&ws, "New");
    let keep = ws.delete_stage_change(new, None);
    let refused = change(&mut ws, keep);
    assert_eq!(refused.unwrap_err(), "Stage: is still in use (1 record)");
    let delete = ws.delete_stage_change(new, Some(demo));
    undo.run(&mut ws, Command::Change(Box::new(delete)), String::new())
        .unwrap();
    let moved = ws.opportunity(deal).unwrap();
    assert_eq!((moved.stage, moved.probability), (demo, Decimal::from(50)));
    assert_eq!(ws.column(demo).ids, [deal]);
    assert_eq!(
        names(&ws),
        ["Qualified", "Demo", "Proposition", "Won", "Lost"]
    );

    // Every step undoes.
    for _ in 0..3 {
        undo.undo(&mut ws).unwrap().unwrap();
    }
    assert_eq!(
        names(&ws),
        ["New", "Qualified", "Proposition", "Won", "Lost"]
    );
    assert_eq!(ws.opportunity(deal).unwrap().stage, new);
    assert_eq!(ws.column(new).ids, [deal]);

    // A pipeline keeps an open stage.
    let open_ids: Vec<Id> = ws
        .stages_of(pipeline)
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let all_gone = Change {
        update_deals: vec![Opportunity {
            stage: stage(&ws, "Won"),
            ..ws.opportunity(deal).unwrap().clone()
        }],
        remove: open_ids.iter().map(|id| (EntityKind::Stage, *id)).collect(),
        ..Change::default()
    };
    assert_eq!(
        change(&mut ws, all_gone).unwrap_err(),
        "Stage: every pipeline needs at least one open stage"
    );
}

#[test]
fn a_new_default_probability_goes_to_followers_only() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let follower = create(&mut ws, "Acme", "Follows", "1000");
    let own = create(&mut ws, "Globex", "Own probability", "1000");
    let qualified = ws.stage(stage(&ws, "New")).unwrap().clone();
    let mut opp = ws.opportunity(own).unwrap().clone();
    opp.set_probability(Decimal::from(25), &qualified);
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();

    let mut edited = qualified.clone();
    edited.probability = Decimal::from(15);
    let edit = ws.stage_change(edited, true);
    change(&mut ws, edit).unwrap();
    assert_eq!(
        ws.opportunity(follower).unwrap().probability,
        Decimal::from(15)
    );
    assert_eq!(ws.opportunity(own).unwrap().probability, Decimal::from(25));
    assert_eq!(
        ws.stage(qualified.id).unwrap().probability,
        Decimal::from(15)
    );
    // 1000 × 15 % + 1000 × 25 %.
    assert_eq!(ws.stage_totals(qualified.id).weighted, Decimal::from(400));
    let history = ws.history(EntityKind::Stage, qualified.id).unwrap();
    assert_eq!(history.last().unwrap().field, "probability");
}

#[test]
fn a_renamed_loss_reason_shows_everywhere_and_one_in_use_is_reassigned() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let deal = create(&mut ws, "Acme", "Renewal", "1000");
    let budget = ws
        .lookups(LookupKind::LossReason)
        .into_iter()
        .find(|l| l.name == "No budget")
        .unwrap()
        .clone();
    ws.apply(Command::MoveToStage {
        opp: deal,
        stage: stage(&ws, "Lost"),
        loss_reason: Some(budget.id),
    })
    .unwrap();
    change(
        &mut ws,
        Change::put(Record::Lookup(Lookup {
            name: "Budget frozen".into(),
            ..budget.clone()
        })),
    )
    .unwrap();
    let opp = ws.opportunity(deal).unwrap();
    assert_eq!(ws.lookup_name(opp.loss_reason), "Budget frozen");

    // Clearing is a choice too: the delete change with no target clears the field.
    let clear = ws.delete_lookup_change(budget.id, None);
    change(&mut ws, clear).unwrap();
    assert_eq!(ws.opportunity(deal).unwrap().loss_reason, None);
    assert_eq!(ws.lookup_uses(budget.id), 0);
    assert!(ws.lookup(budget.id).is_none());
    let in_use = ws
        .lookups(LookupKind::LossReason)
        .into_iter()
        .next()
        .unwrap()
        .id;
    let mut opp = ws.opportunity(deal).unwrap().clone();
    opp.loss_reason = Some(in_use);
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    let plain_delete = Change {
        remove: vec![(EntityKind::Lookup, in_use)],
        ..Change::default()
    };
    assert_eq!(
        change(&mut ws, plain_delete).unwrap_err(),
        "Name: is still in use (1 record)"
    );
}

#[test]
fn a_deal_goes_stale_when_the_clock_moves_past_its_stages_threshold() {
    let dir = TempDir::new().unwrap();
    let start = Utc.with_ymd_and_hms(2026, 11, 22, 9, 30, 0).unwrap();
    let now = Arc::new(Mutex::new(start));
    let clock_now = now.clone();
    let clock: forsat_app::workspace::Clock =
        Arc::new(move || -> DateTime<Utc> { *clock_now.lock().unwrap() });
    let mut ws = Workspace::open(&dir.path().join("f.redb"), clock).unwrap();
    let deal = create(&mut ws, "Acme", "Renewal", "1000");
    let mut new = ws.stage(stage(&ws, "New")).unwrap().clone();
    new.rotting_days = Some(10);
    change(&mut ws, Change::put(Record::Stage(new))).unwrap();
    let stale = Filter {
        status: Status::Stale,
        ..Filter::default()
    };
    assert_eq!(ws.stale_days(ws.opportunity(deal).unwrap()), None);
    assert!(ws.list(&stale, Default::default()).is_empty());

    *now.lock().unwrap() = start + Duration::days(12);
    assert_eq!(ws.stale_days(ws.opportunity(deal).unwrap()), Some(12));
    assert_eq!(ws.list(&stale, Default::default()), [deal]);
}

#[test]
fn a_new_base_currency_rebases_every_rate_and_keeps_the_totals() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let eur = Currency {
        id: 0,
        code: "EUR".into(),
        name: "Euro".into(),
        rate: "1.25".parse().unwrap(),
        rate_date: ws.today(),
        active: true,
    };
    change(&mut ws, Change::put(Record::Currency(eur))).unwrap();
    create(&mut ws, "Acme", "Dollars", "1000");
    let new = stage(&ws, "New");
    assert_eq!(ws.stage_totals(new).expected, Decimal::from(1000));
    let settings = Settings {
        base_currency: "EUR".into(),
        date_format: DateFormat::DayMonthYear,
        ..ws.settings().clone()
    };
    let mut undo = UndoStack::default();
    let rebase = ws.settings_change(settings);
    undo.run(&mut ws, Command::Change(Box::new(rebase)), String::new())
        .unwrap();
    assert_eq!(ws.settings().base_currency, "EUR");
    let usd = ws.currencies()[0].clone();
    assert_eq!(
        (usd.code.as_str(), usd.rate),
        ("USD", "0.8".parse().unwrap())
    );
    assert_eq!(ws.stage_totals(new).expected, Decimal::from(800));
    assert_eq!(forsat_i18n::format_date(ws.today()), "22/11/2026");

    let path = ws.path().to_owned();
    drop(ws);
    let mut ws = open(&path);
    assert_eq!(ws.settings().date_format, DateFormat::DayMonthYear);
    assert_eq!(ws.stage_totals(new).expected, Decimal::from(800));
    let back = ws.settings_change(Settings {
        base_currency: "USD".into(),
        ..ws.settings().clone()
    });
    change(&mut ws, back).unwrap();
    assert_eq!(ws.currencies()[0].rate, "1.25".parse::<Decimal>().unwrap());
    assert_eq!(ws.stage_totals(new).expected, Decimal::from(1000));
}

#[test]
fn a_verified_backup_is_kept_each_day_it_is_opened_and_old_ones_go() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("crm.redb");
    let backups = || -> Vec<String> {
        forsat_store::backups_of(&path)
            .iter()
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect()
    };
    let mut ws = open(&path);
    assert!(backups().is_empty(), "a new file has nothing to back up");
    create(&mut ws, "Acme", "Renewal", "1000");
    let settings = Settings {
        backups_keep: 3,
        ..ws.settings().clone()
    };
    let keep = ws.settings_change(settings);
    change(&mut ws, keep).unwrap();
    drop(ws);
    // Older copies from earlier days, more than are kept: two in the backups folder, two
    // beside the file where earlier versions kept them.
    let folder = dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    for (day, at) in [
        ("2026-11-18", dir.path()),
        ("2026-11-19", dir.path()),
        ("2026-11-20", folder.as_path()),
        ("2026-11-21", folder.as_path()),
    ] {
        std::fs::write(at.join(format!("crm.redb.{day}.backup")), b"old").unwrap();
    }

    let ws = open(&path);
    assert!(ws.backup_failed().is_none());
    drop(ws);
    drop(open(&path));
    assert_eq!(
        backups(),
        [
            "crm.redb.2026-11-22.backup",
            "crm.redb.2026-11-21.backup",
            "crm.redb.2026-11-20.backup"
        ],
        "one a day, the newest three"
    );
    // The copy is the database as it was, deal included.
    let copy = dir.path().join("copy.redb");
    std::fs::copy(folder.join("crm.redb.2026-11-22.backup"), &copy).unwrap();
    assert_eq!(open(&copy).opportunity_count(), 1);

    // Turned off, nothing is copied.
    let mut ws = open(&path);
    let off = Settings {
        backups: false,
        ..ws.settings().clone()
    };
    let off = ws.settings_change(off);
    change(&mut ws, off).unwrap();
    drop(ws);
    std::fs::remove_file(folder.join("crm.redb.2026-11-22.backup")).unwrap();
    drop(open(&path));
    assert_eq!(backups().len(), 2);
}

#[test]
fn backups_prune_only_their_own_copies_and_clean_up_partial_ones() {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    create(&mut ws, "Acme", "Renewal", "1000");
    let keep_one = Settings {
        backups_keep: 1,
        ..ws.settings().clone()
    };
    let keep_one = ws.settings_change(keep_one);
    change(&mut ws, keep_one).unwrap();
    drop(ws);
    let others = [
        "crm.redb.old.2026-11-21.backup",
        "crm.redb.before-upgrade.backup",
        "backups/crm.redb.2026-11-21.backup.partial",
    ];
    std::fs::create_dir(dir.path().join("backups")).unwrap();
    for name in others.iter().chain(["crm.redb.2026-11-20.backup"].iter()) {
        std::fs::write(dir.path().join(name), b"x").unwrap();
    }
    let ws = open(&path);
    assert!(ws.backup_failed().is_none());
    let present = |name: &str| dir.path().join(name).exists();
    assert!(present("backups/crm.redb.2026-11-22.backup"));
    assert!(
        !present("crm.redb.2026-11-20.backup"),
        "older own copy pruned"
    );
    assert!(
        present(others[0]) && present(others[1]),
        "other files untouched"
    );
    assert!(!present(others[2]), "a copy cut short is removed");
}

#[test]
fn configuration_that_would_break_the_pipeline_or_rates_is_refused() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    // A base currency that is not listed has no rate to rebase from.
    let chf = Settings {
        base_currency: "CHF".into(),
        ..ws.settings().clone()
    };
    let chf = ws.settings_change(chf);
    assert_eq!(
        change(&mut ws, chf).unwrap_err(),
        "Currency: “CHF” is not in the list of currencies: add it with its rate first"
    );
    // A lookup value keeps its table.
    let reason = ws.lookups(LookupKind::LossReason)[0].clone();
    let moved = Change::put(Record::Lookup(Lookup {
        kind: LookupKind::Tag,
        ..reason
    }));
    assert_eq!(
        change(&mut ws, moved).unwrap_err(),
        "Kind: cannot be changed once created"
    );
    // Pipelines have distinct names, and the first one keeps an open stage.
    let twin = ws.new_pipeline_change("SALES");
    assert_eq!(
        change(&mut ws, twin).unwrap_err(),
        "Pipeline: “SALES” is already taken"
    );
    let empty_first = Change::put(Record::Pipeline(Pipeline {
        id: 0,
        name: "Empty".into(),
        sequence: 0,
    }));
    assert_eq!(
        change(&mut ws, empty_first).unwrap_err(),
        "Stage: every pipeline needs at least one open stage"
    );
}

#[test]
fn history_keeps_dates_in_iso_whatever_the_display_format() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let deal = create(&mut ws, "Acme", "Renewal", "1000");
    let us = Settings {
        date_format: DateFormat::MonthDayYear,
        ..ws.settings().clone()
    };
    let us = ws.settings_change(us);
    change(&mut ws, us).unwrap();
    let mut opp = ws.opportunity(deal).unwrap().clone();
    opp.expected_close = chrono::NaiveDate::from_ymd_opt(2027, 1, 2);
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    let history = ws.history(EntityKind::Opportunity, deal).unwrap();
    let close = history
        .iter()
        .find(|h| h.field == "expected_close")
        .unwrap();
    assert_eq!(close.new, "2027-01-02");
    assert_eq!(forsat_i18n::display_stored(&close.new), "01/02/2027");
}
