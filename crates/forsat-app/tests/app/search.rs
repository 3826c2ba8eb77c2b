//! The board's and the list's search: its index of folded texts answers what lowercasing
//! every field of every deal answers, after each kind of change, and a query that grows the
//! last one (narrowing) answers what a fresh one does.

use forsat_app::workspace::{Sort, UndoStack, Workspace};
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Filter, Id, Record};

use crate::open;

/// The deals whose name, account name, next step or description holds `text`, ignoring case,
/// found the slow way: every field lowercased.
fn reference(ws: &Workspace, text: &str) -> Vec<Id> {
    let needle = text.trim().to_lowercase();
    let mut ids: Vec<Id> = ws
        .opportunities()
        .filter(|o| {
            let account = ws.account(o.account).map_or("", |a| a.name.as_str());
            [&*o.name, account, &*o.next_step, &*o.description]
                .iter()
                .any(|f| f.to_lowercase().contains(&needle))
        })
        .map(|o| o.id)
        .collect();
    ids.sort_unstable();
    ids
}

fn text(t: &str) -> Filter {
    Filter {
        text: t.into(),
        ..Filter::default()
    }
}

/// What the index finds for `t`, as sorted ids.
fn found(ws: &Workspace, t: &str) -> Vec<Id> {
    let found = ws.filter_text(&text(t)).expect("a text to search");
    let mut ids: Vec<Id> = ws
        .opportunities()
        .map(|o| o.id)
        .filter(|id| found.contains(*id))
        .collect();
    ids.sort_unstable();
    ids
}

/// Typed one letter at a time (each query narrows the last), then each query afresh.
const TYPED: [&str; 6] = [
    "renewal",
    "société",
    "CAFÉ MÜ",
    "call back",
    "acme inc",
    "zzz",
];

fn check(ws: &Workspace, when: &str) {
    for word in TYPED {
        let chars: Vec<char> = word.chars().collect();
        for end in 1..=chars.len() {
            let typed: String = chars[..end].iter().collect();
            assert_eq!(found(ws, &typed), reference(ws, &typed), "“{typed}” {when}");
        }
    }
    // The list of the pipeline, letter by letter: its totals (kept per row, or the whole
    // pipeline's less those left out) are what its rows add up to.
    let pipeline = ws.default_pipeline().id;
    for end in 1..="renewal".len() {
        let (ids, totals) =
            ws.list_with_totals(&text(&"renewal"[..end]), Sort::default(), Some(pipeline));
        assert_eq!(
            totals,
            ws.list_totals(&ids),
            "“{}” {when}",
            &"renewal"[..end]
        );
    }
    // The list is its whole order, filtered.
    let all = ws.list(&Filter::default(), Sort::default());
    let renewal = reference(ws, "renewal");
    let expected: Vec<Id> = all
        .iter()
        .copied()
        .filter(|id| renewal.binary_search(id).is_ok())
        .collect();
    assert_eq!(
        ws.list(&text("Renewal"), Sort::default()),
        expected,
        "{when}"
    );
}

#[test]
fn the_search_index_answers_as_every_field_lowercased_after_each_change() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let (batch, _) = forsat_app::demo::generate(&ws, 600, 5);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    check(&ws, "after the import");
    assert!(!found(&ws, "renewal").is_empty(), "the demo has renewals");
    assert!(found(&ws, "zzz").is_empty());

    let ids: Vec<Id> = ws.opportunities().map(|o| o.id).take(40).collect();
    let mut undo = UndoStack::default();
    // A deal renamed, another given a next step: the old texts no longer match.
    let mut renamed = ws.opportunity(ids[0]).unwrap().clone();
    renamed.name = "Fleet RENEWAL – Zzz".into();
    let mut stepped = ws.opportunity(ids[1]).unwrap().clone();
    stepped.next_step = "Call back the Société".into();
    for opp in [renamed, stepped] {
        undo.run(
            &mut ws,
            Command::UpdateOpportunity {
                opp: Box::new(opp),
                new_account: None,
            },
            String::new(),
        )
        .unwrap();
    }
    assert!(found(&ws, "zzz").contains(&ids[0]));
    check(&ws, "after edits");

    // An account renamed: all its deals follow.
    let mut account = ws
        .account(ws.opportunity(ids[2]).unwrap().account)
        .unwrap()
        .clone();
    account.name = "Zzz Holdings".into();
    undo.run(
        &mut ws,
        Command::Change(Box::new(Change::put(Record::Account(account)))),
        String::new(),
    )
    .unwrap();
    assert!(found(&ws, "zzz hold").contains(&ids[2]));
    check(&ws, "after an account was renamed");

    // Trashed deals are still found by their text; the list leaves them out.
    undo.run(
        &mut ws,
        Command::Trash {
            ids: ids[3..6].to_vec(),
        },
        String::new(),
    )
    .unwrap();
    check(&ws, "after a trash");
    for _ in 0..4 {
        undo.undo(&mut ws).unwrap().unwrap();
        check(&ws, "after an undo");
    }
    assert!(found(&ws, "zzz").is_empty(), "every change taken back");
    // Many changes at once (more than the index patches): it is built afresh.
    for id in ids.iter().take(30) {
        let mut opp = ws.opportunity(*id).unwrap().clone();
        opp.description = format!("Zzz note {id}");
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
    }
    check(&ws, "after thirty edits");
    assert_eq!(found(&ws, "zzz note").len(), 30);
}
