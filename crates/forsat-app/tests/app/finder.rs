//! The command palette's index on a real workspace: fed from the records, re-fed after a change,
//! ranked by nucleo's score with recent picks boosted.

use std::sync::Arc;
use std::time::Duration;

use forsat_app::finder::{Finder, Found};
use forsat_app::workspace::Workspace;
use tempfile::TempDir;

use crate::{create, open};

/// Feeds the whole workspace and waits for the matches of `query`.
fn search(finder: &mut Finder, ws: &Workspace, query: &str) -> Vec<Found> {
    finder.set_query(query);
    finder.feed(ws, Duration::from_millis(5));
    while finder.busy() {
        finder.feed(ws, Duration::from_millis(5));
    }
    assert!(finder.settle(Duration::from_secs(5)));
    finder
        .results(ws, 20)
        .into_iter()
        .map(|h| h.found)
        .collect()
}

fn workspace(dir: &TempDir) -> (Workspace, [forsat_core::domain::Id; 3]) {
    let mut ws = open(&dir.path().join("f.redb"));
    let cafe = create(
        &mut ws,
        "Café Müller",
        "Café Müller – espresso machines",
        "12500",
    );
    let nordwind = create(
        &mut ws,
        "Nordwind Logistik",
        "Nordwind – fleet renewal",
        "40000",
    );
    let north = create(&mut ws, "Sunrise Clinics", "Sunrise dental works", "900");
    (ws, [cafe, nordwind, north])
}

#[test]
fn finder_ranks_the_deal_whose_words_start_with_the_letters_first() {
    let dir = TempDir::new().unwrap();
    let (ws, [_, nordwind, north]) = workspace(&dir);
    let mut finder = Finder::new(Arc::new(|| {}));
    let found = search(&mut finder, &ws, "nrdw");
    assert_eq!(found[0], Found::Deal(nordwind), "{found:?}");
    assert!(found.contains(&Found::Deal(north)));
    // The account is found too, by its own name.
    let account = ws.account_by_name("Nordwind Logistik").unwrap().id;
    assert!(search(&mut finder, &ws, "logistik").contains(&Found::Account(account)));
}

#[test]
fn finder_boosts_a_recent_pick_and_lists_it_first_with_no_query() {
    let dir = TempDir::new().unwrap();
    let (ws, [_, nordwind, north]) = workspace(&dir);
    let mut finder = Finder::new(Arc::new(|| {}));
    finder.set_commands(vec!["New deal".into(), "Go to Reports".into()]);
    assert_eq!(search(&mut finder, &ws, "nrdw")[0], Found::Deal(nordwind));
    finder.picked(Found::Deal(north));
    assert_eq!(search(&mut finder, &ws, "nrdw")[0], Found::Deal(north));
    assert_eq!(
        search(&mut finder, &ws, ""),
        [Found::Deal(north), Found::Command(0), Found::Command(1)]
    );
    assert_eq!(search(&mut finder, &ws, "reports"), [Found::Command(1)]);
}

#[test]
fn finder_feeds_again_after_a_change() {
    let dir = TempDir::new().unwrap();
    let (mut ws, _) = workspace(&dir);
    let mut finder = Finder::new(Arc::new(|| {}));
    assert!(search(&mut finder, &ws, "zagros").is_empty());
    let zagros = create(
        &mut ws,
        "Zagros Trading",
        "Zagros – website relaunch",
        "7250",
    );
    assert_eq!(search(&mut finder, &ws, "zagros")[0], Found::Deal(zagros));
}
