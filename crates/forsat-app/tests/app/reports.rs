//! Reports kept and recomputed by the workspace: saved reports with their history, and the
//! facts patched after each change equal to those worked out afresh.

use forsat_core::analytics::facts::{Facts, Sources};
use forsat_core::analytics::reports::{Params, Period, Rows, SavedReport, Scope};
use forsat_core::domain::{EntityKind, Id, LookupKind, Record, Stage, StageKind};
use rust_decimal::Decimal;

#[path = "../../../forsat-core/tests/common/reports.rs"]
mod common;
use common::day;

#[test]
fn saved_reports_are_kept_with_history_and_undone_in_one_step() {
    use forsat_app::workspace::UndoStack;
    use forsat_core::command::Command;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = super::open(&path);
    let id = ws.next_id();
    let saved = SavedReport {
        id,
        name: "Quarterly forecast, Reza".into(),
        scope: Scope {
            pipeline: Some(ws.default_pipeline().id),
            created_from: Some(day("2026-01-01")),
            created_to: None,
        },
        params: Params::Forecast {
            by: Period::Quarter,
            from: Some(day("2025-01-01")),
            to: None,
            salesperson: Some(7),
        },
    };
    let mut undo = UndoStack::default();
    undo.run(
        &mut ws,
        Command::SetSavedReports {
            reports: vec![saved.clone()],
        },
        String::new(),
    )
    .unwrap();
    drop(ws);
    let mut ws = super::open(&path);
    assert_eq!(ws.saved_reports(), std::slice::from_ref(&saved));
    let history = ws.history(EntityKind::SavedReport, id).unwrap();
    assert_eq!(history[0].field, "created");
    let mut renamed = saved.clone();
    renamed.name = "Forecast by quarter".into();
    let mut undo = UndoStack::default();
    undo.run(
        &mut ws,
        Command::SetSavedReports {
            reports: vec![renamed.clone()],
        },
        String::new(),
    )
    .unwrap();
    assert_eq!(ws.saved_reports(), [renamed]);
    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.saved_reports(), [saved]);
}

#[test]
fn reports_follow_every_change_of_the_data() {
    use forsat_core::command::Command;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = super::open(&dir.path().join("crm.redb"));
    let first = super::create(&mut ws, "Acme", "Acme – kiosks", "1000");
    super::create(&mut ws, "Delta", "Delta – racks", "500");
    let scope = Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Scope::default()
    };
    let reached = |ws: &forsat_app::workspace::Workspace| {
        let Rows::Funnel(rows) = ws.report(&scope, &Params::Funnel).rows else {
            panic!("a funnel");
        };
        rows.iter().map(|r| r.reached).collect::<Vec<_>>()
    };
    assert_eq!(reached(&ws), [2, 0, 0]);
    // The facts worked out for the first report are not reused once a deal moved.
    let qualified = super::stage(&ws, "Qualified");
    ws.apply(Command::MoveToStage {
        opp: first,
        stage: qualified,
        loss_reason: None,
    })
    .unwrap();
    assert_eq!(reached(&ws), [2, 1, 0]);
    ws.apply(Command::Trash { ids: vec![first] }).unwrap();
    assert_eq!(reached(&ws), [1, 0, 0]);
}

/// Each deal's facts as a report reads them, keyed by deal: the same whether worked out in
/// full or patched (where in the vectors they lie may differ).
fn facts_by_deal(facts: &Facts) -> std::collections::BTreeMap<Id, String> {
    facts
        .deals()
        .iter()
        .filter(|f| !f.trashed)
        .map(|f| {
            let mut entered = facts.entered(f).to_vec();
            entered.sort_unstable();
            let seen = (
                (f.pipeline, f.stage, f.kind, f.active, f.forecast),
                (f.salesperson(), f.source(), f.loss_reason(), f.competitor()),
                (f.created, f.expected_close, f.closed, f.amount, f.weighted),
                (f.lost_from(), entered),
            );
            (f.id, format!("{seen:?}"))
        })
        .collect()
}

/// After every kind of change, the facts the workspace patched deal by deal are those worked
/// out afresh from every deal.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario, or one table of cases, read top to bottom"
)]
fn facts_patched_after_each_change_equal_facts_worked_out_afresh() {
    use forsat_core::command::{Change, Command, MassPatch, Moves};
    let dir = tempfile::tempdir().unwrap();
    let mut ws = super::open(&dir.path().join("crm.redb"));
    let (batch, _) = forsat_app::demo::generate(&ws, 400, 3);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    let fresh = |ws: &forsat_app::workspace::Workspace| {
        let stages: Vec<Stage> = ws
            .pipelines()
            .iter()
            .flat_map(|p| ws.stages_of(p.id))
            .cloned()
            .collect();
        Facts::new(
            ws.opportunities(),
            &Sources {
                trashed: |id| ws.is_trashed(id),
                events: ws.stage_events(),
                stages: &stages,
                rates: ws.rates(),
            },
        )
    };
    let check = |ws: &forsat_app::workspace::Workspace, what: &str| {
        let kept = ws.facts();
        assert_eq!(
            facts_by_deal(&kept),
            facts_by_deal(&fresh(ws)),
            "after {what}"
        );
    };
    check(&ws, "the first report");
    let pipeline = ws.default_pipeline().id;
    let kind = |ws: &forsat_app::workspace::Workspace, k| ws.stage_of_kind(pipeline, k).unwrap().id;
    let (won, lost) = (kind(&ws, StageKind::Won), kind(&ws, StageKind::Lost));
    let first = kind(&ws, StageKind::Open);
    let open = &ws.column(first).ids;
    let (a, b, c) = (open[0], open[1], open[2]);
    let reason = ws.all_lookups(LookupKind::LossReason)[0].id;
    let second = ws
        .stages_of(pipeline)
        .filter(|s| s.kind == StageKind::Open)
        .nth(1)
        .unwrap()
        .id;

    let mut undo = Vec::new();
    let mut run = |ws: &mut forsat_app::workspace::Workspace, what: &str, cmd: Command| {
        let applied = ws.apply(cmd).unwrap_or_else(|e| panic!("{what}: {e}"));
        undo.extend(applied.inverse);
        check(ws, what);
    };
    run(
        &mut ws,
        "a move",
        Command::MoveToStage {
            opp: a,
            stage: second,
            loss_reason: None,
        },
    );
    run(
        &mut ws,
        "a win",
        Command::MoveToStage {
            opp: b,
            stage: won,
            loss_reason: None,
        },
    );
    run(
        &mut ws,
        "a loss",
        Command::MoveToStage {
            opp: c,
            stage: lost,
            loss_reason: Some(reason),
        },
    );
    let mut edited = ws.opportunity(a).unwrap().clone();
    edited.amount = "123456.78".parse().unwrap();
    edited.forecast = forsat_core::domain::ForecastChoice::Omitted;
    run(
        &mut ws,
        "an edit",
        Command::UpdateOpportunity {
            opp: Box::new(edited),
            new_account: None,
        },
    );
    run(
        &mut ws,
        "a mass update",
        Command::MassUpdate {
            ids: vec![a, b],
            patch: MassPatch {
                stage: Some(second),
                ..MassPatch::default()
            },
        },
    );
    run(&mut ws, "trashing", Command::Trash { ids: vec![a, c] });
    run(
        &mut ws,
        "restoring",
        Command::RestoreFromTrash { ids: vec![c] },
    );
    let made = super::create(&mut ws, "Zeta", "Zeta – new", "77");
    check(&ws, "a new deal");
    let survivor = ws.opportunity(made).unwrap().clone();
    run(
        &mut ws,
        "a merge",
        Command::Merge {
            survivor: Box::new(survivor),
            merged: vec![b],
            moves: Moves::default(),
        },
    );
    run(
        &mut ws,
        "a deletion",
        Command::DeleteOpportunity {
            id: made,
            account: None,
        },
    );
    let mut currency = ws.currencies().into_iter().next().unwrap().clone();
    currency.rate *= Decimal::TWO;
    run(
        &mut ws,
        "a new rate",
        Command::Change(Box::new(Change::put(Record::Currency(currency)))),
    );
    let mut stage = ws.stage(second).unwrap().clone();
    stage.probability = Decimal::from(55);
    let change = ws.stage_change(stage, true);
    run(
        &mut ws,
        "a stage's probability given to its deals",
        Command::Change(Box::new(change)),
    );
    forsat_app::interchange::import(
        &mut ws,
        b"name,account,stage,amount\r\nImported,Omega,Won,5\r\n",
        &forsat_app::interchange::ImportOptions::default(),
    )
    .unwrap();
    check(&ws, "an import");
    while let Some(inverse) = undo.pop() {
        let what = format!("undoing {inverse:?}")
            .chars()
            .take(60)
            .collect::<String>();
        ws.apply(inverse).unwrap_or_else(|e| panic!("{what}: {e}"));
        check(&ws, &what);
    }
    ws.apply(Command::EmptyTrash).unwrap();
    check(&ws, "emptying the trash");
}

/// The forecast by month from `from` (by default two years back).
fn month(from: Option<chrono::NaiveDate>) -> Params {
    Params::Forecast {
        by: Period::Month,
        from,
        to: None,
        salesperson: None,
    }
}

/// The rows of [`month`]'s forecast over `scope`.
fn month_forecast(
    ws: &forsat_app::workspace::Workspace,
    scope: &Scope,
    from: Option<chrono::NaiveDate>,
) -> Vec<forsat_core::analytics::reports::ForecastRow> {
    let Rows::Forecast(rows) = ws.report(scope, &month(from)).rows else {
        panic!("a forecast");
    };
    rows
}

/// The forecast kept when November began (here on the 22nd, the first day a window was open
/// in it) is set against what November won once it has ended, and stays as it was kept
/// whatever happened to the deals since.
#[test]
fn the_forecast_kept_when_a_period_begins_is_set_against_what_it_won_once_it_ends() {
    use chrono::{TimeZone as _, Utc};
    use forsat_app::workspace::Workspace;
    use forsat_core::analytics::reports::AtStart;
    use forsat_core::command::Command;
    use forsat_core::domain::ForecastChoice;
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = crate::open(&path);
    // Nothing to keep before there are deals: the first day of a file keeps nothing.
    assert_eq!(ws.keep_forecasts().unwrap(), 0);
    let mut deal = |name: &str, amount: &str, stage: &str, choice: ForecastChoice| {
        let id = crate::create(&mut ws, "Acme", name, amount);
        let mut opp = ws.opportunity(id).unwrap().clone();
        opp.expected_close = "2026-11-28".parse().ok();
        opp.forecast = choice;
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
        if stage != "New" {
            let stage = crate::stage(&ws, stage);
            ws.apply(Command::MoveToStage {
                opp: id,
                stage,
                loss_reason: None,
            })
            .unwrap();
        }
        id
    };
    // Committed 1,000 (New, 10 %); Best case 2,000 (Proposition, 70 %); Pipeline 500.
    let committed = deal("Committed", "1000", "New", ForecastChoice::Commit);
    let best = deal("Best", "2000", "Proposition", ForecastChoice::Stage);
    deal("Early", "500", "New", ForecastChoice::Stage);
    assert_eq!(ws.keep_forecasts().unwrap(), 2, "the month and the quarter");
    assert_eq!(ws.keep_forecasts().unwrap(), 0, "kept once a period");
    let november = |ws: &Workspace| {
        let rows = month_forecast(ws, &Scope::default(), None);
        rows.into_iter().find(|r| r.period == "2026-11")
    };
    assert_eq!(november(&ws).unwrap().at_start, None, "not before it ends");
    // The committed deal is won in November; the best case one slips to next year.
    ws.apply(Command::MoveToStage {
        opp: committed,
        stage: crate::stage(&ws, "Won"),
        loss_reason: None,
    })
    .unwrap();
    let mut slipped = ws.opportunity(best).unwrap().clone();
    slipped.expected_close = "2027-01-15".parse().ok();
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(slipped),
        new_account: None,
    })
    .unwrap();
    drop(ws);

    let december: forsat_app::workspace::Clock =
        Arc::new(|| Utc.with_ymd_and_hms(2026, 12, 3, 8, 0, 0).unwrap());
    let mut ws = Workspace::open(&path, december).unwrap();
    // The quarter was kept; no deal is expected to close in December: nothing to keep.
    assert_eq!(ws.keep_forecasts().unwrap(), 0);
    let row = november(&ws).unwrap();
    assert_eq!((row.won_count, row.won_amount), (1, Decimal::from(1000)));
    assert_eq!(
        row.at_start,
        Some(AtStart {
            taken: "2026-11-22".parse().unwrap(),
            commit: Decimal::from(1000),
            best_case: Decimal::from(3000),
            // 1,000 and 500 at New's 10 %, 2,000 at Proposition's 70 %.
            weighted: Decimal::from(1550),
            unweighted: Decimal::from(3500),
        })
    );
    let json = ws.report(&Scope::default(), &month(None)).to_json();
    // Not set against part of November, nor against only the deals created in a period.
    let created = Scope {
        created_from: "2026-01-01".parse().ok(),
        ..Scope::default()
    };
    for (scope, from) in [(Scope::default(), "2026-11-10"), (created, "2024-12-01")] {
        let rows = month_forecast(&ws, &scope, from.parse().ok());
        assert!(rows.iter().all(|r| r.at_start.is_none()), "{rows:?}");
    }
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let kept = &json["rows"][0]["at_start"];
    assert_eq!(json["rows"][0]["period"], "2026-11");
    assert_eq!(
        (&kept["taken"], &kept["commit"]),
        (&"2026-11-22".into(), &"1000.00".into())
    );
}

#[test]
fn goals_count_their_period_against_a_steady_pace_with_their_coverage() {
    use forsat_app::workspace::{ApplyError, UndoStack};
    use forsat_core::command::Command;
    use forsat_core::domain::{Every, Goal, Measure};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = super::open(&path);
    let (soon, seller) = won_expected_and_later(&mut ws);
    let salesperson = Some(seller);
    let goal = |id, measure, every, target: &str, salesperson| Goal {
        id,
        salesperson,
        measure,
        every,
        target: target.parse().unwrap(),
    };
    let first = ws.next_id();
    let goals = vec![
        goal(first, Measure::WonValue, Every::Month, "10000", None),
        goal(first + 1, Measure::DealsAdded, Every::Week, "5", None),
        goal(
            first + 2,
            Measure::WonCount,
            Every::Quarter,
            "4",
            salesperson,
        ),
    ];
    // A target of nothing, or a count in pieces, is refused with the field named.
    for bad in ["0", "2.5"] {
        let mut wrong = goals.clone();
        wrong[1].target = bad.parse().unwrap();
        let refused = ws.apply(Command::SetGoals { goals: wrong });
        assert!(
            matches!(&refused, Err(ApplyError::Invalid(e)) if e[0].field == forsat_core::domain::Field::Target),
            "{bad}: {refused:?}"
        );
    }
    let mut undo = UndoStack::default();
    undo.run(
        &mut ws,
        Command::SetGoals {
            goals: goals.clone(),
        },
        String::new(),
    )
    .unwrap();
    let rows = |ws: &forsat_app::workspace::Workspace| match ws
        .report(&Scope::default(), &Params::Goals)
        .rows
    {
        Rows::Goals(rows) => rows,
        other => panic!("{other:?}"),
    };
    let [month, week, quarter] = rows(&ws).try_into().unwrap();
    assert_eq!(
        (month.from, month.to),
        (day("2026-11-01"), day("2026-11-30"))
    );
    assert_eq!(month.achieved, Decimal::from(1000));
    // 22 of 30 days gone: a steady pace has 10,000 × 22 / 30 by today.
    assert_eq!(month.pace, "7333.33".parse::<Decimal>().unwrap());
    assert_eq!(month.by_day.len(), 22);
    assert_eq!(month.by_day[21], Decimal::from(1000));
    // Only the deal expected in November is expected in the month, weighted.
    let weighted = ws.opportunity(soon).unwrap().weighted_base(ws.rates());
    assert_eq!(month.expected, Some(weighted));
    let coverage = f64::try_from(weighted).unwrap() / 9000.0;
    assert!(
        (month.coverage.unwrap() - coverage).abs() < 0.01,
        "{month:?}"
    );
    // The week from Monday 16 November holds the three deals added today.
    assert_eq!((week.from, week.to), (day("2026-11-16"), day("2026-11-22")));
    assert_eq!(
        (week.achieved, week.pace),
        (Decimal::from(3), Decimal::from(5))
    );
    assert_eq!(week.expected, None);
    // A salesperson's goal counts only their deals: none here.
    assert_eq!(quarter.achieved, Decimal::ZERO);
    assert_eq!(
        (quarter.from, quarter.to),
        (day("2026-10-01"), day("2026-12-31"))
    );
    let history = ws.history(EntityKind::Goal, first).unwrap();
    assert_eq!(history[0].field, "created");
    // Kept in the file; one undo takes them all back.
    drop(ws);
    let mut ws = super::open(&path);
    assert_eq!(ws.goals(), goals.as_slice());
    undo.undo(&mut ws).unwrap().unwrap();
    assert!(ws.goals().is_empty());
    assert!(rows(&ws).is_empty());
}

#[test]
fn a_goal_of_a_salesperson_deleted_since_stays_and_does_not_block_the_others() {
    use forsat_core::command::Command;
    use forsat_core::domain::{Every, Goal, Measure};
    let dir = tempfile::tempdir().unwrap();
    let mut ws = super::open(&dir.path().join("crm.redb"));
    let (_, seller) = won_expected_and_later(&mut ws);
    let goal = |id, measure, salesperson| Goal {
        id,
        salesperson,
        measure,
        every: Every::Month,
        target: Decimal::from(3),
    };
    let first = ws.next_id();
    let goals = vec![goal(first, Measure::WonCount, Some(seller))];
    ws.apply(Command::SetGoals {
        goals: goals.clone(),
    })
    .unwrap();
    let delete = ws.delete_lookup_change(seller, None);
    ws.apply(Command::Change(Box::new(delete))).unwrap();
    let Rows::Goals(rows) = ws.report(&Scope::default(), &Params::Goals).rows else {
        panic!("goals");
    };
    assert_eq!(
        rows[0].salesperson.as_deref(),
        Some("a salesperson deleted since")
    );
    // Another goal is added beside it, then it alone is removed.
    let mut more = goals.clone();
    more.push(goal(first + 1, Measure::DealsAdded, None));
    ws.apply(Command::SetGoals {
        goals: more.clone(),
    })
    .unwrap();
    ws.apply(Command::SetGoals {
        goals: more[1..].to_vec(),
    })
    .unwrap();
    assert_eq!(ws.goals(), &more[1..]);
    // A second target for the same measure, period and people is refused.
    let mut twice = more[1..].to_vec();
    twice.push(Goal {
        id: first + 2,
        ..more[1].clone()
    });
    let refused = ws.apply(Command::SetGoals { goals: twice });
    assert!(
        matches!(&refused, Err(forsat_app::workspace::ApplyError::Invalid(e)) if matches!(e[0].problem, forsat_core::domain::Problem::Duplicate(_))),
        "{refused:?}"
    );
    // A new goal of the deleted salesperson is refused.
    let refused = ws.apply(Command::SetGoals { goals });
    assert!(refused.is_err(), "{refused:?}");
}

/// For the goals: three deals added today (22 November 2026), Acme's 1,000 won, Globex's 2,000
/// expected on 28 November, Hooli's 4,000 in December; and a salesperson with no deal.
/// Returns Globex's deal and the salesperson.
fn won_expected_and_later(ws: &mut forsat_app::workspace::Workspace) -> (Id, Id) {
    use forsat_core::command::Command;
    // The clock says Sunday 22 November 2026: day 22 of 30 in the month.
    let won = super::create(ws, "Acme", "Acme", "1000");
    let soon = super::create(ws, "Globex", "Globex", "2000");
    let later = super::create(ws, "Hooli", "Hooli", "4000");
    for (id, close) in [(soon, "2026-11-28"), (later, "2026-12-10")] {
        let mut opp = ws.opportunity(id).unwrap().clone();
        opp.expected_close = Some(day(close));
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
    }
    let won_stage = ws
        .stage_of_kind(ws.default_pipeline().id, StageKind::Won)
        .unwrap()
        .id;
    ws.apply(Command::MoveToStage {
        opp: won,
        stage: won_stage,
        loss_reason: None,
    })
    .unwrap();
    let seller = ws.next_id();
    let put = vec![Record::Lookup(forsat_core::domain::Lookup {
        id: seller,
        kind: LookupKind::Salesperson,
        name: "Reza".into(),
        active: true,
    })];
    ws.apply(Command::Change(Box::new(forsat_core::command::Change {
        put,
        ..Default::default()
    })))
    .unwrap();
    (soon, seller)
}
