//! Close-date slippage: a deal's close date pushed later is counted from its history (kept
//! beside it in the same transaction), an undone push is not, a merge carries pushes with the
//! history, and the "slipped" report lists the period's pushes.

use chrono::{Days, NaiveDate};
use forsat_app::workspace::Workspace;
use forsat_core::analytics::reports::{Params, Rows, Scope, SlipRow};
use forsat_core::command::{Command, Moves};
use forsat_core::domain::{Every, Id, pushes};

use crate::{create, open};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Sets deal `id`'s close date; returns the command that undoes it.
fn set_close(ws: &mut Workspace, id: Id, close: Option<NaiveDate>) -> Command {
    let mut opp = ws.opportunity(id).unwrap().clone();
    opp.expected_close = close;
    let applied = ws
        .apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
    applied.inverse.unwrap()
}

fn slipped(ws: &Workspace, every: Every) -> Vec<SlipRow> {
    match ws
        .report(&Scope::default(), &Params::Slipped { every })
        .rows
    {
        Rows::Slipped(rows) => rows,
        other => panic!("{other:?}"),
    }
}

fn standing(ws: &Workspace, id: Id) -> usize {
    pushes(ws.close_dates(id)).len()
}

#[test]
fn a_later_close_date_is_a_push_its_undo_cancels_it_and_both_outlast_a_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let id = create(&mut ws, "Globex", "Globex renewal", "12000");
    let other = create(&mut ws, "Initech", "Initech pilot", "3000");
    // The date a new deal is given: the one it was due on when the month's changes began.
    let initial = ws.opportunity(id).unwrap().expected_close.unwrap();
    // Setting a first date, and pulling one in, are no pushes.
    set_close(&mut ws, id, Some(date("2026-11-25")));
    set_close(&mut ws, other, Some(date("2026-12-20")));
    set_close(&mut ws, other, Some(date("2026-12-10")));
    assert_eq!((standing(&ws, id), standing(&ws, other)), (0, 0));
    assert!(slipped(&ws, Every::Month).is_empty());

    let undo = set_close(&mut ws, id, Some(date("2027-01-15")));
    assert_eq!(standing(&ws, id), 1);
    let rows = slipped(&ws, Every::Month);
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!((row.id, row.deal.as_str()), (id, "Globex renewal"));
    assert_eq!((row.was, row.now), (initial, Some(date("2027-01-15"))));
    assert_eq!((row.pushes, row.pushes_total), (1, 1));
    assert_eq!((row.from, row.to), (date("2026-11-01"), date("2026-11-30")));
    assert_eq!(row.period, "2026-11");
    assert!(!row.left_period, "due after November before its changes");
    assert_eq!(row.amount, "12000".parse().unwrap());

    // Undone: the push did not happen (its history keeps both changes).
    ws.apply(undo).unwrap();
    assert_eq!(standing(&ws, id), 0);
    assert_eq!(ws.close_dates(id).len(), 3);
    assert!(slipped(&ws, Every::Month).is_empty());

    // Pushed twice, once within November: still one row, with both counted.
    set_close(&mut ws, id, Some(date("2026-11-28")));
    set_close(&mut ws, id, Some(date("2026-12-05")));
    let rows = slipped(&ws, Every::Month);
    assert_eq!((rows[0].pushes, rows[0].was), (2, initial));
    let before: Vec<_> = ws.close_dates(id).to_vec();
    drop(ws);

    let ws = open(&path);
    assert_eq!(ws.close_dates(id), before.as_slice());
    assert_eq!(slipped(&ws, Every::Month), rows);
    drop(ws);
    forsat_store::check(&path).unwrap();
}

#[test]
fn a_merge_carries_the_merged_deals_pushes_and_its_undo_takes_them_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let keep = create(&mut ws, "Acme", "Acme fleet", "5000");
    let gone = create(&mut ws, "Acme", "Acme fleet (copy)", "5000");
    set_close(&mut ws, gone, Some(date("2026-11-30")));
    set_close(&mut ws, gone, Some(date("2026-12-31")));
    assert_eq!(standing(&ws, gone), 1);
    let survivor = ws.opportunity(keep).unwrap().clone();
    let applied = ws
        .apply(Command::Merge {
            survivor: Box::new(survivor),
            merged: vec![gone],
            moves: Moves::default(),
        })
        .unwrap();
    assert_eq!((standing(&ws, keep), standing(&ws, gone)), (1, 0));
    assert!(ws.close_dates(gone).is_empty());
    ws.apply(applied.inverse.unwrap()).unwrap();
    assert_eq!((standing(&ws, keep), standing(&ws, gone)), (0, 1));
    drop(ws);
    let ws = open(&path);
    assert_eq!((standing(&ws, keep), standing(&ws, gone)), (0, 1));
    drop(ws);
    forsat_store::check(&path).unwrap();
}

#[test]
fn the_period_is_the_one_chosen_and_a_deal_out_of_scope_is_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let id = create(&mut ws, "Umbrella", "Umbrella audit", "800");
    set_close(&mut ws, id, Some(date("2026-12-01")));
    set_close(&mut ws, id, Some(date("2026-12-15")));
    // Pushed within the week holding 2026-11-22 and the quarter; still due in December.
    let week = slipped(&ws, Every::Week);
    assert_eq!(week.len(), 1);
    assert!(week[0].from <= date("2026-11-22") && date("2026-11-22") <= week[0].to);
    assert_eq!(week[0].to - week[0].from, chrono::Duration::days(6));
    let quarter = slipped(&ws, Every::Quarter);
    assert_eq!(
        (quarter[0].period.as_str(), quarter[0].left_period),
        ("2026-Q4", false)
    );
    // A scope of deals created after it leaves it out.
    let later = Scope {
        created_from: Some(date("2026-11-22") + Days::new(1)),
        ..Scope::default()
    };
    let report = ws.report(
        &later,
        &Params::Slipped {
            every: Every::Month,
        },
    );
    assert_eq!(report.rows, Rows::Slipped(Vec::new()));
    // The JSON names every field the command line promises.
    let json: serde_json::Value = serde_json::from_str(
        &ws.report(
            &Scope::default(),
            &Params::Slipped {
                every: Every::Month,
            },
        )
        .to_json(),
    )
    .unwrap();
    for field in [
        "id",
        "deal",
        "was",
        "now",
        "pushes",
        "pushes_total",
        "left_period",
    ] {
        assert!(json["rows"][0].get(field).is_some(), "{field}: {json}");
    }
}

#[test]
fn a_push_put_back_days_later_stood_until_then_for_the_learner_and_no_longer_stands() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicI64, Ordering};
    let dir = tempfile::tempdir().unwrap();
    let days = Arc::new(AtomicI64::new(0));
    let clock = {
        let days = days.clone();
        let start = crate::clock()();
        Arc::new(move || start + chrono::Duration::days(days.load(Ordering::Relaxed)))
    };
    let mut ws = Workspace::open(&dir.path().join("crm.redb"), clock).unwrap();
    let id = create(&mut ws, "Hooli", "Hooli rollout", "900");
    set_close(&mut ws, id, Some(date("2026-12-01")));
    days.store(1, Ordering::Relaxed);
    set_close(&mut ws, id, Some(date("2027-01-15")));
    days.store(5, Ordering::Relaxed);
    set_close(&mut ws, id, Some(date("2026-12-01")));
    // Put back by hand: the push no longer stands, and the month lists nothing.
    assert_eq!(standing(&ws, id), 0);
    assert!(slipped(&ws, Every::Month).is_empty());
    // But it stood from day 1 to day 4: a look at those days saw it, one on day 5 did not.
    let book = ws.prediction_book(&Scope::default());
    let deal = book.deals.iter().find(|d| d.record.id == id).unwrap();
    let day = |n: u64| forsat_core::analytics::predict::day(date("2026-11-22") + Days::new(n));
    let seen: Vec<u32> = [0, 1, 4, 5].map(|n| book.pushes_by(deal, day(n))).to_vec();
    assert_eq!(seen, [0, 1, 1, 0]);

    // Due on 26 December when the week began; pulled into the week, then pushed past it on
    // the same day: it was due in the week only for a moment, so it did not leave it.
    // One due in the week when it began and pushed past it did leave it.
    let other = create(&mut ws, "Pied Piper", "Pied Piper platform", "500");
    let left = create(&mut ws, "Raviga", "Raviga fund", "700");
    let (week_start, _) = Every::Week.bounds(date("2026-12-02"));
    set_close(&mut ws, other, Some(date("2026-12-26")));
    set_close(&mut ws, left, Some(week_start + Days::new(2)));
    days.store(10, Ordering::Relaxed);
    set_close(&mut ws, other, Some(week_start + Days::new(1)));
    set_close(&mut ws, other, Some(date("2026-12-28")));
    set_close(&mut ws, left, Some(date("2026-12-28")));
    let rows = slipped(&ws, Every::Week);
    let row = |id| rows.iter().find(|r| r.id == id).unwrap();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(
        (row(other).was, row(other).left_period),
        (date("2026-12-26"), false)
    );
    assert_eq!(
        (row(left).was, row(left).left_period),
        (week_start + Days::new(2), true)
    );
    assert_eq!(rows[0].id, left, "what left the period comes first");
    assert!(
        rows[0].period.starts_with("the week of "),
        "{}",
        rows[0].period
    );
}

#[test]
fn the_report_lists_the_deals_of_its_scope_only_and_none_in_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let ids: Vec<Id> = ["Alpha", "Beta", "Gamma"]
        .iter()
        .map(|name| create(&mut ws, name, &format!("{name} deal"), "100"))
        .collect();
    for &id in &ids {
        set_close(&mut ws, id, Some(date("2026-11-24")));
        set_close(&mut ws, id, Some(date("2026-11-29")));
    }
    ws.apply(Command::Trash { ids: vec![ids[1]] }).unwrap();
    let rows = slipped(&ws, Every::Month);
    // The trashed deal left out; equal amounts listed by id.
    let listed: Vec<Id> = rows.iter().map(|r| r.id).collect();
    assert_eq!(listed, [ids[0], ids[2]]);
    // Still due in November: none left the period.
    assert!(rows.iter().all(|r| !r.left_period));
}
