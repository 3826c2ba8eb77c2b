use egui::{Pos2, vec2};
use egui_kittest::kittest::Queryable as _;
use forsat::domain::EntityKind;
use rust_decimal::Decimal;

use crate::{Fixture, card, deal, harness, label, stage_id};

/// Drags with the pointer from `from` to `to` in small steps, as a hand would.
pub fn drag(harness: &mut egui_kittest::Harness<'_, forsat::ui::App>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.run();
    harness.drag_at(from);
    harness.run();
    for step in 1..=6 {
        let t = step as f32 / 6.0;
        harness.hover_at(from + (to - from) * t);
        harness.run();
    }
    harness.drop_at(to);
    harness.run();
}

#[test]
fn drag_card_to_qualified_sets_stage_probability_totals_and_history() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let from = card(&harness, "Café Müller – espresso machines")
        .rect()
        .center();
    // Below the Qualified column's header: its "+" button sits at the header's right end.
    let plus = harness.get_by_label("New deal in Qualified").rect();
    let target = Pos2::new(plus.center().x - 100.0, plus.bottom() + 200.0);
    drag(&mut harness, from, target);

    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Café Müller – espresso machines");
    let qualified = stage_id(ws, "Qualified");
    assert_eq!(opp.stage, qualified);
    assert_eq!(opp.probability, Decimal::from(30));
    let totals = ws.stage_totals(qualified);
    assert_eq!(totals.count, 2);
    assert_eq!(totals.expected, Decimal::from(52_500));
    assert_eq!(
        totals.weighted,
        Decimal::from(15_750),
        "12,500×30% + 40,000×30%"
    );
    assert_eq!(ws.stage_totals(stage_id(ws, "New")).count, 0);
    // The header shows the new totals at once.
    label(&harness, "$52,500");
    label(&harness, "weighted $15,750");

    let history = ws.history(EntityKind::Opportunity, opp.id).unwrap();
    assert!(
        history
            .iter()
            .any(|h| h.field == "stage" && h.old == "New" && h.new == "Qualified"),
        "{history:?}"
    );
    let id = opp.id;
    drop(harness);
    let reopened = fixture.reopen();
    assert_eq!(
        reopened.opportunity(id).unwrap().stage,
        qualified,
        "the move persisted"
    );
}

#[test]
fn dropping_on_lost_asks_for_the_reason_and_records_it() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let from = card(&harness, "Nordwind – fleet renewal").rect().center();
    let lost_zone = label(&harness, "Drop a card here to mark it Lost")
        .rect()
        .center();
    drag(&mut harness, from, lost_zone - vec2(200.0, 0.0));
    harness.get_by_label("Loss reason").click();
    harness.run();
    harness.get_by_label("Too expensive").click();
    harness.run();
    harness.get_by_label("Mark as lost").click();
    harness.run();

    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Nordwind – fleet renewal");
    assert_eq!(ws.stage(opp.stage).unwrap().name, "Lost");
    assert_eq!(opp.probability, Decimal::ZERO);
    assert_eq!(ws.lookup_name(opp.loss_reason), "Too expensive");
    assert_eq!(opp.closed, Some(ws.today()));
}

#[test]
fn undo_moves_the_card_back_and_redo_moves_it_again() {
    let fixture = Fixture::two_deals();
    let mut harness = harness(&fixture.path);
    let from = card(&harness, "Café Müller – espresso machines")
        .rect()
        .center();
    let plus = harness.get_by_label("New deal in Proposition").rect();
    drag(
        &mut harness,
        from,
        Pos2::new(plus.center().x - 100.0, plus.bottom() + 300.0),
    );
    let ws = harness.state().workspace().unwrap();
    assert_eq!(
        deal(ws, "Café Müller – espresso machines").stage,
        stage_id(ws, "Proposition")
    );
    harness.get_by_label("Undo").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Café Müller – espresso machines");
    assert_eq!(opp.stage, stage_id(ws, "New"));
    assert_eq!(opp.probability, Decimal::from(10));
    label(&harness, "$12,500");

    harness.get_by_label("Redo").click();
    harness.run();
    let ws = harness.state().workspace().unwrap();
    let opp = deal(ws, "Café Müller – espresso machines");
    assert_eq!(opp.stage, stage_id(ws, "Proposition"));
}

#[test]
fn first_start_adds_the_sample_which_the_file_menu_clears() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fresh.redb");
    let mut harness = harness(&path);
    let count = harness.state().workspace().unwrap().opportunity_count();
    assert!(count >= 30, "{count} sample deals");
    harness.get_by_label("File").click();
    harness.run();
    harness.get_by_label("Clear sample data…").click();
    harness.run();
    harness.get_by_label("Clear sample data").click();
    harness.run();
    assert_eq!(harness.state().workspace().unwrap().opportunity_count(), 0);
    drop(harness);
    // The sample is offered once: a restart on the cleared file stays empty.
    let harness = crate::harness(&path);
    assert_eq!(harness.state().workspace().unwrap().opportunity_count(), 0);
}

#[test]
fn a_foreign_file_gets_a_message_and_stays_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.redb");
    std::fs::write(&path, "Meeting notes, not a database\n").unwrap();
    let harness = harness(&path);
    assert!(harness.state().workspace().is_none());
    label(&harness, "Forsat cannot open this database");
    let message = harness.state().open_error().unwrap();
    assert!(message.contains("is not a Forsat database"), "{message}");
    drop(harness);
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "Meeting notes, not a database\n"
    );
}

#[test]
fn a_deal_left_in_its_stage_too_long_shows_as_stale() {
    use forsat::command::{Change, Command};
    use forsat::domain::Record;
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let mut new = ws.stage(stage_id(&ws, "New")).unwrap().clone();
        new.rotting_days = Some(10);
        ws.apply(Command::Change(Box::new(Change::put(Record::Stage(new)))))
            .unwrap();
    }
    // Twelve days later.
    let later = crate::clock()() + chrono::Duration::days(12);
    let mut harness = crate::harness_at(&fixture.path, std::sync::Arc::new(move || later));
    let ws = harness.state().workspace().unwrap();
    let cafe = deal(ws, "Café Müller – espresso machines");
    assert_eq!(ws.stale_days(cafe), Some(12));
    let nordwind = deal(ws, "Nordwind – fleet renewal");
    assert_eq!(ws.stale_days(nordwind), None, "Qualified has no threshold");
    // The card paints "stale 12 days" (painted text is not in the accessibility tree); the
    // form says it in words.
    card(&harness, "Café Müller – espresso machines").click();
    harness.run();
    label(&harness, "Stale: 12 days in this stage");
}

#[test]
fn the_pipeline_switcher_shows_another_pipelines_board_and_list() {
    use forsat::command::{Change, Command};
    use forsat::domain::{Account, Opportunity, Pipeline, Record, Stage, StageKind};
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let services = Pipeline {
            id: 0,
            name: "Services".into(),
            sequence: 2,
        };
        ws.apply(Command::Change(Box::new(Change::put(Record::Pipeline(
            services,
        )))))
        .unwrap();
        let pipeline = ws
            .pipelines()
            .iter()
            .find(|p| p.name == "Services")
            .unwrap()
            .id;
        let stages = ["Scoping", "Done", "Dropped"]
            .iter()
            .zip([StageKind::Open, StageKind::Won, StageKind::Lost])
            .enumerate()
            .map(|(i, (name, kind))| {
                Record::Stage(Stage {
                    id: 0,
                    pipeline,
                    name: (*name).into(),
                    sequence: i as u32 + 1,
                    probability: Decimal::from(20),
                    kind,
                    requirements: String::new(),
                    rotting_days: None,
                    folded: false,
                })
            })
            .collect();
        ws.apply(Command::Change(Box::new(Change {
            put: stages,
            ..Change::default()
        })))
        .unwrap();
        let scoping = ws.stage_of_kind(pipeline, StageKind::Open).unwrap().clone();
        let mut opp = Opportunity::draft(&Account::default(), &scoping, ws.settings(), ws.now());
        opp.name = "Audit retainer".into();
        ws.apply(Command::CreateOpportunity {
            opp: Box::new(opp),
            new_account: Some("Nordwind GmbH".into()),
        })
        .unwrap();
    }
    let mut harness = harness(&fixture.path);
    card(&harness, "Nordwind – fleet renewal");
    assert!(harness.query_by_label("Audit retainer").is_none());
    harness.get_by_label("Pipeline shown").click();
    harness.run();
    harness.get_by_label("Services").click();
    harness.run();
    card(&harness, "Audit retainer");
    assert!(harness.query_by_label("Nordwind – fleet renewal").is_none());
    harness.get_by_label("List").click();
    harness.run();
    label(&harness, "1 deal");
}

#[test]
fn a_folded_stage_shows_only_its_totals_until_opened() {
    use forsat::command::{Change, Command};
    use forsat::domain::Record;
    let fixture = Fixture::two_deals();
    {
        let mut ws = fixture.reopen();
        let mut qualified = ws.stage(stage_id(&ws, "Qualified")).unwrap().clone();
        qualified.folded = true;
        ws.apply(Command::Change(Box::new(Change::put(Record::Stage(
            qualified,
        )))))
        .unwrap();
    }
    let mut harness = harness(&fixture.path);
    assert!(harness.query_by_label("Nordwind – fleet renewal").is_none());
    label(&harness, "1 deal");
    harness.get_by_label("Show the cards of Qualified").click();
    harness.run();
    card(&harness, "Nordwind – fleet renewal");
    harness.get_by_label("Fold Qualified").click();
    harness.run();
    assert!(harness.query_by_label("Nordwind – fleet renewal").is_none());
}

#[test]
fn a_damaged_file_is_replaced_by_its_newest_backup_on_request() {
    let fixture = Fixture::two_deals();
    let path = &fixture.path;
    let bytes = std::fs::read(path).unwrap();
    let backup = path.with_file_name("pipeline.redb.2026-11-21.backup");
    std::fs::write(&backup, &bytes).unwrap();
    // Cut short, as a full disk or a failing copy leaves a file.
    let damaged = bytes[..bytes.len() / 2].to_vec();
    std::fs::write(path, &damaged).unwrap();

    let mut harness = harness(path);
    label(&harness, "Forsat cannot open this database");
    let message = harness.state().open_error().unwrap().to_owned();
    assert!(
        message.contains("the newest backup that opens is"),
        "{message}"
    );
    assert_eq!(std::fs::read(path).unwrap(), damaged, "refused untouched");
    harness
        .get_by_label("Restore pipeline.redb.2026-11-21.backup")
        .click();
    harness.run();

    let ws = harness.state().workspace().expect("the backup is open");
    assert_eq!(ws.opportunity_count(), 2);
    card(&harness, "Nordwind – fleet renewal");
    let kept: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("pipeline.redb.damaged-2026-11-22-"))
        .collect();
    assert_eq!(kept.len(), 1, "the damaged file is kept");
    let status = format!(
        "Restored pipeline.redb.2026-11-21.backup. The damaged file was kept as {}.",
        kept[0]
    );
    label(&harness, &status);
    assert_eq!(
        std::fs::read(path.with_file_name(&kept[0])).unwrap(),
        damaged
    );
}

#[test]
fn a_file_whose_meta_table_is_zeroed_opens_the_restore_screen() {
    let fixture = Fixture::two_deals();
    let path = &fixture.path;
    let bytes = std::fs::read(path).unwrap();
    let backup = path.with_file_name("pipeline.redb.2026-11-21.backup");
    std::fs::write(&backup, &bytes).unwrap();
    // Every page holding the meta table's application tag, as a failing disk leaves them.
    let mut damaged = bytes.clone();
    let mut zeroed = 0;
    for page in damaged.chunks_mut(4096) {
        if page.windows(6).any(|w| w == b"forsat") {
            page.fill(0);
            zeroed += 1;
        }
    }
    assert!(zeroed > 0, "the meta table was not found");
    std::fs::write(path, &damaged).unwrap();

    let harness = harness(path);
    label(&harness, "Forsat cannot open this database");
    let message = harness.state().open_error().unwrap();
    assert!(message.contains("is damaged"), "{message}");
    harness.get_by_label("Restore pipeline.redb.2026-11-21.backup");
    assert_eq!(std::fs::read(path).unwrap(), damaged, "refused untouched");
}

#[test]
fn a_second_window_on_an_open_file_says_forsat_is_already_running() {
    let fixture = Fixture::two_deals();
    let _first = fixture.reopen();
    let harness = harness(&fixture.path);
    assert!(harness.state().workspace().is_none());
    label(&harness, "Forsat cannot open this database");
    let message = harness.state().open_error().unwrap();
    assert!(
        message.contains("Forsat is already running with this file"),
        "{message}"
    );
    assert!(
        harness.query_by_label_contains("Restore").is_none(),
        "no backup is offered for a file that is only busy"
    );
}
