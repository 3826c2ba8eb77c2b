//! The funnel and the sales leakage count the stages deals really went through, in the three
//! situations users meet: a stage added to a running pipeline, an undone move, an import.
//! Figures are worked out by hand in the comments.

use forsat_app::workspace::{UndoStack, Workspace};
use forsat_core::analytics::reports::{Params, Rows};
use forsat_core::command::{Change, Command, MassPatch, Moves};
use forsat_core::domain::{EntityKind, Id, Record, Stage, StageKind};
use rust_decimal::Decimal;

use super::{create, open, stage};

#[path = "../common/reached.rs"]
mod common;
use common::{move_to, sales};

/// Per open stage, the funnel's and the leakage's figures as `stage reached amount advanced
/// open`, stages apart by ` | ` (the leakage's entered is the funnel's reached).
fn figures(ws: &Workspace) -> String {
    let Rows::Funnel(funnel) = ws.report(&sales(ws), &Params::Funnel).rows else {
        panic!("a funnel");
    };
    let Rows::Leakage(leakage) = ws.report(&sales(ws), &Params::Leakage).rows else {
        panic!("a leakage report");
    };
    let both = funnel.iter().zip(&leakage);
    let rows: Vec<String> = both
        .map(|(f, l)| {
            assert_eq!((&f.stage, f.reached), (&l.stage, l.entered));
            let amount = f.reached_amount;
            format!(
                "{} {} {amount} {} {}",
                f.stage, f.reached, l.advanced, l.open
            )
        })
        .collect();
    rows.join(" | ")
}

/// Adds the open stage Negotiation before Won, as a user does in the settings.
fn add_negotiation(ws: &mut Workspace) -> Id {
    let pipeline = ws.default_pipeline().id;
    let negotiation = Stage {
        id: 0,
        pipeline,
        name: "Negotiation".into(),
        sequence: 99,
        probability: Decimal::from(85),
        kind: StageKind::Open,
        requirements: String::new(),
        rotting_days: None,
        folded: false,
        forecast: forsat_core::domain::ForecastCategory::default(),
    };
    let added = ws.apply(Command::Change(Box::new(Change::put(Record::Stage(
        negotiation,
    )))));
    let id = added.unwrap().created.unwrap();
    let mut order: Vec<Id> = ws.stages_of(pipeline).map(|s| s.id).collect();
    order.retain(|s| *s != id);
    let won = order
        .iter()
        .position(|s| ws.stage(*s).unwrap().kind == StageKind::Won)
        .unwrap();
    order.insert(won, id);
    let change = ws.reorder_stages_change(&order);
    ws.apply(Command::Change(Box::new(change))).unwrap();
    id
}

/// The stage moves of `deal`: (from, to) by name.
fn moves(ws: &Workspace, deal: Id) -> Vec<(String, String)> {
    let name = |id: Option<Id>| id.map_or("—".to_owned(), |s| ws.stage(s).unwrap().name.clone());
    (ws.stage_events().iter())
        .filter(|e| e.opportunity == deal)
        .map(|e| (name(e.from), name(Some(e.to))))
        .collect()
}

/// The stage changes `deal`'s history shows: (old, new).
fn stage_lines(ws: &Workspace, deal: Id) -> Vec<(String, String)> {
    let history = ws.history(EntityKind::Opportunity, deal).unwrap();
    let stages = history.into_iter().filter(|h| h.field == "stage");
    stages.map(|h| (h.old, h.new)).collect()
}

fn pair(from: &str, to: &str) -> (String, String) {
    (from.to_owned(), to.to_owned())
}

#[test]
fn a_stage_added_after_deals_closed_was_not_passed_by_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let acme = create(&mut ws, "Acme", "Acme – kiosks", "1000");
    let delta = create(&mut ws, "Delta", "Delta – racks", "500");
    // Acme skips Qualified to Proposition and is won there, before Negotiation exists.
    ws.apply(move_to(acme, stage(&ws, "Proposition"))).unwrap();
    ws.apply(move_to(acme, stage(&ws, "Won"))).unwrap();
    let negotiation = add_negotiation(&mut ws);
    // New: both, 1500. Qualified, Proposition: Acme (skipped, won from there), 1000.
    // Negotiation: none — Acme closed before it existed. Delta, open in New, went no further.
    assert_eq!(
        figures(&ws),
        "New 2 1500 1 1 | Qualified 1 1000 1 0 | Proposition 1 1000 1 0 | Negotiation 0 0 0 0"
    );
    // Delta goes straight to Negotiation once it exists: it passed through Qualified and
    // Proposition (they existed), so every stage has both, 1500; Negotiation Delta, 500.
    ws.apply(move_to(delta, negotiation)).unwrap();
    // Advanced: both went on from New, Qualified and Proposition (Acme won, Delta moved on);
    // from Negotiation none yet: Delta is open there.
    assert_eq!(
        figures(&ws),
        "New 2 1500 2 0 | Qualified 2 1500 2 0 | Proposition 2 1500 2 0 | Negotiation 1 500 0 1"
    );
}

#[test]
fn an_undone_move_did_not_happen_and_a_redo_puts_it_back() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let mut undo = UndoStack::default();
    let acme = create(&mut ws, "Acme", "Acme – kiosks", "1000");
    let delta = create(&mut ws, "Delta", "Delta – racks", "500");
    let proposition = stage(&ws, "Proposition");
    undo.run(&mut ws, move_to(acme, proposition), String::new())
        .unwrap();
    let moved = ws.stage_events().last().unwrap().clone();
    // New: both, 1500; Qualified (skipped) and Proposition: Acme, 1000, open there.
    let after_move = "New 2 1500 1 1 | Qualified 1 1000 1 0 | Proposition 1 1000 0 1";
    assert_eq!(figures(&ws), after_move);

    undo.undo(&mut ws).unwrap().unwrap();
    // Undone: Acme never left New.
    let untouched = "New 2 1500 0 2 | Qualified 0 0 0 0 | Proposition 0 0 0 0";
    assert_eq!(figures(&ws), untouched);
    assert_eq!(moves(&ws, acme), [pair("—", "New")]);
    // The history tells both: the move and its undo.
    assert_eq!(
        stage_lines(&ws, acme),
        [pair("New", "Proposition"), pair("Proposition", "New")]
    );

    // Redone: the same move, with its id and time.
    undo.redo(&mut ws).unwrap().unwrap();
    assert_eq!(figures(&ws), after_move);
    assert_eq!(ws.stage_events().last(), Some(&moved));

    // Both won in one mass update, then undone: neither was won.
    let won = stage(&ws, "Won");
    let patch = MassPatch {
        stage: Some(won),
        ..MassPatch::default()
    };
    let ids = vec![acme, delta];
    undo.run(&mut ws, Command::MassUpdate { ids, patch }, String::new())
        .unwrap();
    undo.undo(&mut ws).unwrap().unwrap();
    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(figures(&ws), untouched);
    assert_eq!(moves(&ws, delta), [pair("—", "New")]);
    assert_eq!(ws.stage_events().len(), 2, "the creations only");

    // Durable: the file holds the same after a reopen.
    drop(ws);
    let ws = open(&path);
    assert_eq!(figures(&ws), untouched);
    assert_eq!(moves(&ws, acme), [pair("—", "New")]);
}

#[test]
fn an_undone_stage_deletion_names_the_stage_and_takes_its_moves_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let mut undo = UndoStack::default();
    let delta = create(&mut ws, "Delta", "Delta – racks", "500");
    let negotiation = add_negotiation(&mut ws);
    ws.apply(move_to(delta, negotiation)).unwrap();
    let proposition = stage(&ws, "Proposition");
    let deletion = ws.delete_stage_change(negotiation, Some(proposition));
    undo.run(&mut ws, Command::Change(Box::new(deletion)), String::new())
        .unwrap();
    assert_eq!(ws.opportunity(delta).unwrap().stage, proposition);
    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.opportunity(delta).unwrap().stage, negotiation);

    assert_eq!(
        stage_lines(&ws, delta),
        [
            pair("New", "Negotiation"),
            pair("Negotiation", "Proposition"),
            pair("Proposition", "Negotiation"),
        ],
        "the stage put back is named, not left blank"
    );
    // The move the deletion made was undone: Delta went from New to Negotiation only.
    assert_eq!(
        moves(&ws, delta),
        [pair("—", "New"), pair("New", "Negotiation")]
    );
    assert_eq!(
        figures(&ws),
        "New 1 500 1 0 | Qualified 1 500 1 0 | Proposition 1 500 1 0 | Negotiation 1 500 0 1"
    );
}

#[test]
fn a_stage_an_import_adds_counts_the_deals_that_went_through_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    // Before the import: Acme won from Proposition, Delta won straight from New, Zeta open
    // in New.
    let acme = create(&mut ws, "Acme", "Acme – kiosks", "1000");
    let delta = create(&mut ws, "Delta", "Delta – racks", "500");
    create(&mut ws, "Zeta", "Zeta – lockers", "200");
    let won = stage(&ws, "Won");
    ws.apply(move_to(acme, stage(&ws, "Proposition"))).unwrap();
    ws.apply(move_to(acme, won)).unwrap();
    ws.apply(move_to(delta, won)).unwrap();
    // The file adds Negotiation after the pipeline's own open stages, with Kiosk in it;
    // Renewal is won (the file says nothing of its way), Racks in Qualified.
    let file = "name,account,stage,amount\r\n\
                Kiosk,Omega,Negotiation,300\r\n\
                Renewal,Omega,Won,2000\r\n\
                Racks,Sigma,Qualified,400\r\n";
    let options = forsat_app::interchange::ImportOptions::default();
    forsat_app::interchange::import(&mut ws, file.as_bytes(), &options).unwrap();
    // Reached: Acme New to Proposition; Delta New; Zeta New; Kiosk every stage before its
    // own and it; Renewal, created won, every stage; Racks New and Qualified.
    // New: all 6 = 1000 + 500 + 200 + 300 + 2000 + 400 = 4400.
    // Qualified: Acme Kiosk Renewal Racks = 3700. Proposition: Acme Kiosk Renewal = 3300.
    // Negotiation: Kiosk Renewal = 2300 (not the two won before it existed: 4 before).
    // Went no further: Zeta (New), Racks (Qualified), Kiosk (Negotiation), each open there;
    // the won went on.
    assert_eq!(
        figures(&ws),
        "New 6 4400 5 1 | Qualified 4 3700 3 1 | Proposition 3 3300 3 0 | Negotiation 2 2300 1 1"
    );
}

#[test]
fn an_undone_merge_takes_back_the_stage_move_it_made() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let mut undo = UndoStack::default();
    let acme = create(&mut ws, "Acme", "Acme – kiosks", "1000");
    let copy = create(&mut ws, "Acme", "Acme – kiosks (copy)", "1000");
    let proposition = stage(&ws, "Proposition");
    ws.apply(move_to(copy, proposition)).unwrap();
    // Both in New, 2000; the copy skipped Qualified to Proposition, open there, 1000.
    let before = "New 2 2000 1 1 | Qualified 1 1000 1 0 | Proposition 1 1000 0 1";
    assert_eq!(figures(&ws), before);

    // Merged into Acme, keeping the copy's stage: Acme moves from New to Proposition.
    let mut survivor = ws.opportunity(acme).unwrap().clone();
    survivor.stage = proposition;
    let merge = Command::Merge {
        survivor: Box::new(survivor),
        merged: vec![copy],
        moves: Moves::default(),
    };
    undo.run(&mut ws, merge, String::new()).unwrap();
    let merged_move = ws.stage_events().last().unwrap().clone();
    assert_eq!(
        (merged_move.opportunity, merged_move.to),
        (acme, proposition)
    );
    let after_merge = ws.stage_events().to_vec();

    undo.undo(&mut ws).unwrap().unwrap();
    // Undone: Acme never left New (no move back to New is recorded); the copy has its own
    // moves again, and the figures are those before the merge.
    assert_eq!(moves(&ws, acme), [pair("—", "New")]);
    assert_eq!(
        moves(&ws, copy),
        [pair("—", "New"), pair("New", "Proposition")]
    );
    assert_eq!(figures(&ws), before);
    // The history tells both: the merge's move and its undo.
    assert_eq!(
        stage_lines(&ws, acme),
        [pair("New", "Proposition"), pair("Proposition", "New")]
    );

    // Redone: the same moves as after the merge, Acme's with its id and time.
    undo.redo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.stage_events(), after_merge);
}
