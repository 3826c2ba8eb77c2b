//! The list's rows and totals by status, and the sample loaded on request.

use chrono::NaiveDate;
use forsat_app::workspace::{Closed, Sort, UndoStack, Workspace};
use forsat_core::command::Command;
use forsat_core::domain::{Filter, Id, Show, StageKind};
use rust_decimal::Decimal;

use crate::{create, open, stage};

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

/// Moves `opp` to `stage` (a Lost one without a reason: the list does not need one).
fn move_to(ws: &mut Workspace, opp: Id, stage: Id) {
    ws.apply(Command::MoveToStage {
        opp,
        stage,
        loss_reason: None,
    })
    .unwrap();
}

/// Sets the expected close of `opp`.
fn closing(ws: &mut Workspace, opp: Id, date: &str) {
    let mut changed = ws.opportunity(opp).unwrap().clone();
    changed.expected_close = Some(date.parse::<NaiveDate>().unwrap());
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(changed),
        new_account: None,
    })
    .unwrap();
}

/// Three open deals (New 10 %, Qualified 30 %, Proposition 70 %), one won, one lost.
struct Pipeline {
    cafe: Id,
    nordwind: Id,
    zagros: Id,
    won: Id,
    lost: Id,
}

fn pipeline(ws: &mut Workspace) -> Pipeline {
    let cafe = create(
        ws,
        "Café Müller",
        "Café Müller – espresso machines",
        "12500",
    );
    let nordwind = create(ws, "Nordwind GmbH", "Nordwind – fleet renewal", "40000");
    let zagros = create(ws, "Zagros Logistics", "Zagros – depot racking", "7250.50");
    let won = create(ws, "شرکت پارس", "پارس – ERP licences", "20000");
    let lost = create(ws, "Núñez & Hijos", "Núñez – audit", "9999.99");
    let (qualified, proposition) = (stage(ws, "Qualified"), stage(ws, "Proposition"));
    move_to(ws, nordwind, qualified);
    move_to(ws, zagros, proposition);
    let (won_stage, lost_stage) = (stage(ws, "Won"), stage(ws, "Lost"));
    move_to(ws, won, won_stage);
    move_to(ws, lost, lost_stage);
    // The closed deals' dates are the oldest: they led the list before it had a status.
    closing(ws, won, "2024-12-01");
    closing(ws, lost, "2024-11-15");
    closing(ws, cafe, "2027-01-31");
    closing(ws, nordwind, "2026-11-30");
    closing(ws, zagros, "2026-11-01");
    Pipeline {
        cafe,
        nordwind,
        zagros,
        won,
        lost,
    }
}

#[test]
fn the_list_opens_on_open_deals_soonest_close_first_and_each_total_sums_its_own_deals() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let p = pipeline(&mut ws);
    let list = |show| {
        let filter = Filter {
            show,
            ..Filter::default()
        };
        ws.list(&filter, Sort::default())
    };

    // Open by default, the soonest expected close first (Zagros is overdue: 1 November).
    let open = list(Show::Open);
    assert_eq!(open, [p.zagros, p.nordwind, p.cafe]);
    assert_eq!(ws.list(&Filter::default(), Sort::default()), open);
    let totals = ws.list_totals(&open);
    assert_eq!(totals.open.count, 3);
    // 12,500 + 40,000 + 7,250.50
    assert_eq!(totals.open.expected, dec("59750.50"));
    // 12,500 × 10 % + 40,000 × 30 % + 7,250.50 × 70 % = 1,250 + 12,000 + 5,075.35
    assert_eq!(totals.open.weighted, dec("18325.35"));
    assert_eq!(totals.won, Closed::default());
    assert_eq!(totals.lost, Closed::default());

    assert_eq!(list(Show::Won), [p.won]);
    assert_eq!(list(Show::Lost), [p.lost]);

    // All of them: the closed deals' amounts apart, never in Expected, never weighted.
    let all = list(Show::All);
    assert_eq!(all, [p.lost, p.won, p.zagros, p.nordwind, p.cafe]);
    let totals = ws.list_totals(&all);
    assert_eq!(totals.open.expected, dec("59750.50"), "not 89,750.49");
    assert_eq!(totals.open.weighted, dec("18325.35"), "not 38,325.35");
    let closed = |count, amount: &str| Closed {
        count,
        amount: dec(amount),
    };
    assert_eq!(totals.won, closed(1, "20000"));
    assert_eq!(totals.lost, closed(1, "9999.99"));
}

#[test]
fn the_list_filters_on_several_stages_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let p = pipeline(&mut ws);
    let stages = |names: &[&str]| Filter {
        stages: names.iter().map(|n| stage(&ws, n)).collect(),
        show: Show::All,
        ..Filter::default()
    };
    let shown = |filter: &Filter| ws.list(filter, Sort::default());
    assert_eq!(shown(&stages(&["New", "Proposition"])), [p.zagros, p.cafe]);
    assert_eq!(shown(&stages(&["Qualified", "Won"])), [p.won, p.nordwind]);
    assert_eq!(shown(&stages(&[])).len(), 5, "no stage ticked: every stage");
}

#[test]
fn the_sample_loads_into_the_pipeline_s_own_stages_as_one_undoable_step() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let pipeline = ws.default_pipeline().id;
    let stages_before: Vec<Id> = ws.stages_of(pipeline).map(|s| s.id).collect();
    assert_eq!(ws.opportunity_count(), 0);
    let mut undo = UndoStack::default();
    let batch = forsat_app::demo::sample(&ws);
    undo.run(&mut ws, Command::LoadSample(Box::new(batch)), String::new())
        .unwrap();
    assert_eq!(ws.opportunity_count(), 36);
    let stages_after: Vec<Id> = ws.stages_of(pipeline).map(|s| s.id).collect();
    assert_eq!(stages_after, stages_before, "no stage added or duplicated");
    assert!(ws.opportunities().all(|o| stages_before.contains(&o.stage)));
    assert!(ws.has_sample());
    assert!(
        ws.opportunities()
            .any(|o| ws.stage(o.stage).is_some_and(|s| s.kind == StageKind::Won)),
        "some of it won, as on a first start"
    );

    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.opportunity_count(), 0);
    assert!(!ws.has_sample(), "nothing left to clear");
    undo.redo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.opportunity_count(), 36);
    // Kept as the sample: Clear sample data takes it away again.
    ws.apply(Command::ClearSample).unwrap();
    assert_eq!(ws.opportunity_count(), 0);
    assert_eq!(ws.accounts().count(), 0);
}
