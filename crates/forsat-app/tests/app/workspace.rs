use forsat_app::workspace::{ApplyError, Workspace};
use forsat_core::analytics::StageTotals;
use forsat_core::analytics::reports::{GroupBy, Params, Rows, Scope};
use forsat_core::command::{Command, Moves};
use forsat_core::domain::{EntityKind, Field, ForecastChoice, Problem, StageKind};
use rust_decimal::Decimal;

use crate::{create, open, stage};

#[test]
fn a_new_file_gets_the_default_pipeline_stages_and_lookups() {
    let dir = tempfile::tempdir().unwrap();
    let ws = open(&dir.path().join("new.redb"));
    let stages: Vec<(String, Decimal, StageKind)> = ws
        .stages_of(ws.default_pipeline().id)
        .map(|s| (s.name.clone(), s.probability, s.kind))
        .collect();
    assert_eq!(
        stages,
        [
            ("New".into(), 10.into(), StageKind::Open),
            ("Qualified".into(), 30.into(), StageKind::Open),
            ("Proposition".into(), 70.into(), StageKind::Open),
            ("Won".into(), 100.into(), StageKind::Won),
            ("Lost".into(), 0.into(), StageKind::Lost),
        ]
    );
    assert_eq!(ws.default_pipeline().name, "Sales");
    assert_eq!(
        ws.lookups(forsat_core::domain::LookupKind::LossReason)
            .len(),
        6
    );
    assert_eq!(
        ws.lookups(forsat_core::domain::LookupKind::Source).len(),
        14
    );
    assert_eq!(
        ws.opportunity_count(),
        0,
        "the CLI and tests get no sample deals"
    );
}

#[test]
fn every_change_survives_a_reopen_with_its_history_and_stage_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let id = create(&mut ws, "Tabriz Carpets", "", "250000");
    let won = stage(&ws, "Won");
    ws.apply(Command::MoveToStage {
        opp: id,
        stage: stage(&ws, "Qualified"),
        loss_reason: None,
    })
    .unwrap();
    let mut opp = ws.opportunity(id).unwrap().clone();
    opp.amount = "262500.50".parse().unwrap();
    opp.next_step = "Send the contract".into();
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    ws.apply(Command::MoveToStage {
        opp: id,
        stage: won,
        loss_reason: None,
    })
    .unwrap();
    let before = ws.opportunity(id).unwrap().clone();
    drop(ws);

    let ws = open(&path);
    let after = ws.opportunity(id).unwrap();
    assert_eq!(after, &before);
    assert_eq!(
        after.name, "Tabriz Carpets",
        "the name defaults to the account's"
    );
    assert_eq!(after.stage, won);
    assert_eq!(after.probability, Decimal::ONE_HUNDRED);
    assert_eq!(after.closed, Some(ws.today()));
    let fields: Vec<(String, String, String)> = ws
        .history(EntityKind::Opportunity, id)
        .unwrap()
        .into_iter()
        .map(|h| (h.field, h.old, h.new))
        .collect();
    let has = |f: &str, old: &str, new: &str| {
        fields.contains(&(f.to_owned(), old.to_owned(), new.to_owned()))
    };
    assert!(has("created", "", "Tabriz Carpets"), "{fields:?}");
    assert!(has("stage", "New", "Qualified"), "{fields:?}");
    assert!(has("amount", "250000", "262500.50"), "{fields:?}");
    assert!(has("next_step", "", "Send the contract"), "{fields:?}");
    assert!(has("stage", "Qualified", "Won"), "{fields:?}");
    assert!(has("probability", "30 %", "100 %"), "{fields:?}");
    let moves: Vec<(Option<u64>, u64)> = ws
        .stage_events()
        .iter()
        .filter(|e| e.opportunity == id)
        .map(|e| (e.from, e.to))
        .collect();
    let (new, qualified) = (stage(&ws, "New"), stage(&ws, "Qualified"));
    assert_eq!(
        moves,
        [(None, new), (Some(new), qualified), (Some(qualified), won)]
    );
    let account = ws.account(after.account).unwrap();
    assert_eq!(
        ws.history(EntityKind::Account, account.id).unwrap()[0].field,
        "created"
    );
}

#[test]
fn a_refused_command_writes_nothing_and_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let id = create(&mut ws, "Keystone Health", "Keystone – imaging", "90000");
    let history = ws.history(EntityKind::Opportunity, id).unwrap().len();
    let generation = ws.generation();
    let mut opp = ws.opportunity(id).unwrap().clone();
    opp.amount = "-5".parse().unwrap();
    opp.probability = "140".parse().unwrap();
    let err = ws
        .apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap_err();
    let ApplyError::Invalid(errors) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        errors.iter().map(|e| e.field).collect::<Vec<_>>(),
        [Field::Amount, Field::Probability]
    );
    assert_eq!(errors[0].problem, Problem::Negative);
    assert_eq!(
        err.to_string(),
        "Amount: must not be negative; Probability: must be between 0 and 100"
    );
    assert_eq!(ws.generation(), generation);
    assert_eq!(
        ws.history(EntityKind::Opportunity, id).unwrap().len(),
        history
    );
    drop(ws);
    let ws = open(&path);
    assert_eq!(ws.opportunity(id).unwrap().amount, Decimal::from(90_000));
    assert_eq!(
        ws.history(EntityKind::Opportunity, id).unwrap().len(),
        history
    );
}

#[test]
fn an_existing_account_is_matched_by_name_not_duplicated() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let a = create(&mut ws, "Pars Data", "Pars Data – servers", "1000");
    let b = create(&mut ws, "  pars data ", "Pars Data – support", "2000");
    assert_eq!(
        ws.opportunity(a).unwrap().account,
        ws.opportunity(b).unwrap().account
    );
    assert_eq!(ws.accounts().count(), 1);
}

#[test]
fn cached_totals_match_a_full_recount_after_many_changes() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let (batch, _) = forsat_app::demo::generate(&ws, 300, 11);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    let stages: Vec<u64> = ws
        .stages_of(ws.default_pipeline().id)
        .map(|s| s.id)
        .collect();
    let ids: Vec<u64> = ws.opportunities().map(|o| o.id).take(60).collect();
    for (i, id) in ids.iter().enumerate() {
        let target = stages[(i * 7) % stages.len()];
        ws.apply(Command::MoveToStage {
            opp: *id,
            stage: target,
            loss_reason: None,
        })
        .unwrap();
        if i % 3 == 0 {
            let mut opp = ws.opportunity(*id).unwrap().clone();
            opp.priority = (i % 4) as u8;
            opp.amount += Decimal::from(i as u64 * 17);
            opp.active = i % 5 != 0;
            ws.apply(Command::UpdateOpportunity {
                opp: Box::new(opp),
                new_account: None,
            })
            .unwrap();
        }
    }
    for stage in stages {
        let recount = StageTotals::of(
            ws.opportunities().filter(|o| o.active && o.stage == stage),
            ws.rates(),
        );
        assert_eq!(ws.stage_totals(stage), recount);
        let column = &ws.column(stage).ids;
        assert_eq!(column.len() as u64, recount.count);
        let keys: Vec<_> = column
            .iter()
            .map(|id| {
                let o = ws.opportunity(*id).unwrap();
                (std::cmp::Reverse(o.priority), o.expected_close, o.id)
            })
            .collect();
        assert!(keys.is_sorted(), "cards stay in order");
    }
}

#[test]
fn undo_restores_the_previous_version_and_deletes_a_creation() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let id = create(&mut ws, "Globex", "Globex – ERP licences", "48000");
    let before = ws.opportunity(id).unwrap().clone();
    let applied = ws
        .apply(Command::MoveToStage {
            opp: id,
            stage: stage(&ws, "Proposition"),
            loss_reason: None,
        })
        .unwrap();
    ws.apply(applied.inverse.unwrap()).unwrap();
    let undone = ws.opportunity(id).unwrap();
    assert_eq!(undone.stage, before.stage);
    assert_eq!(undone.probability, before.probability);
    let count = ws.stage_events().len();
    assert_eq!(
        count, 1,
        "an undone move did not happen: the creation is left, no move and move back"
    );

    ws.apply(forsat_core::command::Command::DeleteOpportunity { id, account: None })
        .unwrap();
    assert!(ws.opportunity(id).is_none());
    assert_eq!(ws.stage_totals(before.stage).count, 0);
}

#[test]
fn the_sample_pipeline_is_added_once_and_can_be_cleared() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let own = create(&mut ws, "My Customer", "My own deal", "5000");
    let sample = forsat_app::demo::sample(&ws);
    let sample_count = sample.opportunities.len();
    assert!(sample_count >= 30);
    ws.apply(Command::FirstStart {
        sample: Some(Box::new(sample)),
    })
    .unwrap();
    assert!(ws.first_start_done());
    assert_eq!(ws.opportunity_count(), sample_count + 1);
    let won = ws.stage_totals(stage(&ws, "Won")).count;
    let lost = ws.stage_totals(stage(&ws, "Lost")).count;
    assert!(won > 0 && lost > 0, "some won ({won}) and lost ({lost})");
    // Around the deals: currencies, products, contacts, leads and activities.
    assert_eq!(ws.currencies().len(), 2);
    assert!(ws.products().len() >= 5);
    assert_eq!(ws.leads().count(), 6);
    assert!(!ws.open_activities().is_empty());
    let foreign = ws.opportunities().filter(|o| o.currency != "USD").count();
    let priced = ws.opportunities().filter(|o| !o.lines.is_empty()).count();
    assert!(
        foreign > 0 && priced > 0,
        "{foreign} foreign, {priced} from lines"
    );
    drop(ws);

    let mut ws = open(&path);
    assert!(ws.has_sample());
    ws.apply(Command::ClearSample).unwrap();
    assert_eq!(ws.opportunity_count(), 1);
    assert!(ws.opportunity(own).is_some());
    assert_eq!(ws.accounts().count(), 1);
    assert!(
        ws.lookups(forsat_core::domain::LookupKind::Salesperson)
            .is_empty()
    );
    assert!(ws.stage_events().iter().all(|e| e.opportunity == own));
    assert!(ws.currencies().is_empty() && ws.products().is_empty());
    assert_eq!(ws.leads().count(), 0);
    assert!(ws.open_activities().is_empty());
    drop(ws);
    let ws = open(&path);
    assert_eq!(ws.opportunity_count(), 1);
    assert!(!ws.has_sample());
    assert!(ws.currencies().is_empty());
}

#[test]
fn the_filter_matches_text_salesperson_and_close_window() {
    use forsat_app::workspace::{CloseWindow, Filter};
    use forsat_core::command::Batch;
    use forsat_core::domain::{Lookup, LookupKind};

    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let sara = ws.next_id();
    ws.apply(Command::InsertBatch(Box::new(Batch {
        lookups: vec![Lookup {
            id: sara,
            kind: LookupKind::Salesperson,
            name: "Sara Rahimi".into(),
            active: true,
        }],
        ..Batch::default()
    })))
    .unwrap();
    let mut deal = |account: &str, name: &str, close: &str, next_step: &str, salesperson| {
        let id = create(&mut ws, account, name, "1000");
        let mut opp = ws.opportunity(id).unwrap().clone();
        opp.expected_close = Some(close.parse().unwrap());
        opp.next_step = next_step.into();
        opp.salesperson = salesperson;
        ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap();
        id
    };
    // Today is Sunday 2026-11-22.
    let mill = deal(
        "Kavir Steel",
        "Kavir Steel – rolling mill",
        "2026-11-20",
        "",
        Some(sara),
    );
    let laptops = deal(
        "Delta PC",
        "Delta PC – laptops",
        "2026-12-10",
        "Call ACME's CFO",
        None,
    );
    let support = deal("Acme", "Acme – support", "2027-02-01", "", None);
    let new = stage(&ws, "New");
    let shown = |filter: Filter| {
        let (mut ids, _) = ws.filtered_column(new, &filter);
        ids.sort_unstable();
        ids
    };
    let text = |t: &str| Filter {
        text: t.into(),
        ..Filter::default()
    };
    let close = |c| Filter {
        close: c,
        ..Filter::default()
    };
    assert_eq!(shown(text("  acme ")), [laptops, support]);
    assert_eq!(shown(text("kavir")), [mill]);
    assert_eq!(shown(close(CloseWindow::Overdue)), [mill]);
    assert_eq!(shown(close(CloseWindow::ThisWeek)), [mill]);
    assert_eq!(shown(close(CloseWindow::ThisMonth)), [mill]);
    assert_eq!(shown(close(CloseWindow::ThisQuarter)), [mill, laptops]);
    let by_sara = Filter {
        salesperson: Some(sara),
        ..Filter::default()
    };
    assert_eq!(shown(by_sara), [mill]);
    assert_eq!(shown(Filter::default()).len(), 3);
}

#[test]
fn undoing_a_creation_removes_the_account_created_with_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let keep = create(&mut ws, "Sepid Pharma", "Sepid – cold chain", "30000");
    let stage = ws.opportunity(keep).unwrap().stage;
    let stage = ws.stage(stage).unwrap().clone();
    let draft = forsat_core::domain::Opportunity::draft(
        &forsat_core::domain::Account::default(),
        &stage,
        ws.settings(),
        ws.now(),
    );
    let applied = ws
        .apply(Command::CreateOpportunity {
            opp: Box::new(draft.clone()),
            new_account: Some("Lumière Studio".into()),
        })
        .unwrap();
    assert_eq!(ws.accounts().count(), 2);
    ws.apply(applied.inverse.unwrap()).unwrap();
    assert_eq!(
        ws.accounts().count(),
        1,
        "the new account went with its deal"
    );
    assert_eq!(ws.opportunity_count(), 1);

    // An existing account stays when a deal made for it is undone.
    let applied = ws
        .apply(Command::CreateOpportunity {
            opp: Box::new(draft),
            new_account: Some("sepid pharma".into()),
        })
        .unwrap();
    ws.apply(applied.inverse.unwrap()).unwrap();
    assert_eq!(ws.accounts().count(), 1);
    assert!(ws.opportunity(keep).is_some());
}

#[test]
fn the_list_sorts_by_any_column_and_keeps_ties_in_creation_order() {
    use forsat_app::workspace::{Filter, ListColumn, Sort};
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let a = create(&mut ws, "Kavir Steel", "b deal", "500");
    let b = create(&mut ws, "Acme", "A deal", "500");
    let c = create(&mut ws, "Zagros", "c deal", "90");
    let sort = |column, descending| ws.list(&Filter::default(), Sort { column, descending });
    assert_eq!(sort(ListColumn::Amount, false), [c, a, b]);
    assert_eq!(
        sort(ListColumn::Amount, true),
        [a, b, c],
        "ties stay in creation order"
    );
    assert_eq!(sort(ListColumn::Name, false), [b, a, c], "case-insensitive");
    assert_eq!(sort(ListColumn::Account, true), [c, a, b]);
    assert_eq!(sort(ListColumn::Stage, false), [a, b, c]);
}

#[test]
fn the_undo_stack_undoes_redoes_and_forgets_redo_on_a_new_action() {
    use forsat_app::workspace::UndoStack;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let mut stack = UndoStack::default();
    let stage_of = |ws: &forsat_app::workspace::Workspace, id| ws.opportunity(id).unwrap().stage;

    // A creation: undo deletes it (and its new account), redo brings back the same id.
    let new_stage = stage(&ws, "New");
    let draft = forsat_core::domain::Opportunity::draft(
        &forsat_core::domain::Account::default(),
        ws.stage(new_stage).unwrap(),
        ws.settings(),
        ws.now(),
    );
    let id = stack
        .run(
            &mut ws,
            Command::CreateOpportunity {
                opp: Box::new(draft),
                new_account: Some("Tabriz Carpets".into()),
            },
            String::new(),
        )
        .unwrap()
        .created
        .unwrap();
    let qualified = stage(&ws, "Qualified");
    let move_to = |stage| Command::MoveToStage {
        opp: id,
        stage,
        loss_reason: None,
    };
    stack
        .run(&mut ws, move_to(qualified), String::new())
        .unwrap();
    assert!(stack.can_undo() && !stack.can_redo());

    stack.undo(&mut ws).unwrap().unwrap();
    assert_eq!(stage_of(&ws, id), new_stage);
    stack.undo(&mut ws).unwrap().unwrap();
    assert!(ws.opportunity(id).is_none());
    assert_eq!(ws.accounts().count(), 0);
    assert!(stack.undo(&mut ws).is_none(), "nothing left to undo");

    stack.redo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.opportunity(id).unwrap().name, "Tabriz Carpets");
    assert_eq!(ws.accounts().count(), 1);
    // Its stage events came back with it: its creation (its move was undone first).
    let events = |ws: &forsat_app::workspace::Workspace| -> Vec<forsat_core::domain::StageEvent> {
        let all = ws.stage_events().iter();
        all.filter(|e| e.opportunity == id).cloned().collect()
    };
    assert_eq!(events(&ws).len(), 1);
    stack.redo(&mut ws).unwrap().unwrap();
    assert_eq!(stage_of(&ws, id), qualified);
    // The redone move is the move as it was first made.
    let moved = events(&ws);
    assert_eq!(moved.len(), 2);
    assert_eq!((moved[1].from, moved[1].to), (Some(new_stage), qualified));
    assert!(!stack.can_redo());

    // A new action after an undo drops what could have been redone.
    stack.undo(&mut ws).unwrap().unwrap();
    assert!(stack.can_redo());
    let proposition = stage(&ws, "Proposition");
    stack
        .run(&mut ws, move_to(proposition), String::new())
        .unwrap();
    assert!(!stack.can_redo());

    // Every step is in the history: nothing was rewritten.
    let history = ws.history(EntityKind::Opportunity, id).unwrap();
    let fields: Vec<&str> = history.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(
        fields.iter().filter(|f| **f == "stage").count(),
        5,
        "{fields:?}"
    );
    assert!(
        fields.contains(&"deleted") && fields.contains(&"restored"),
        "{fields:?}"
    );
}

#[test]
fn the_trash_hides_deals_restores_them_and_empties_only_when_asked() {
    use forsat_app::workspace::{Filter, Sort, UndoStack};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let keep = create(&mut ws, "Acme", "Acme – keep", "1000");
    let gone = create(&mut ws, "Globex", "Globex – gone", "2500");
    let new = stage(&ws, "New");
    let mut stack = UndoStack::default();
    stack
        .run(&mut ws, Command::Trash { ids: vec![gone] }, String::new())
        .unwrap();
    assert_eq!(ws.stage_totals(new).count, 1);
    assert_eq!(ws.stage_totals(new).expected, Decimal::from(1000));
    assert_eq!(ws.list(&Filter::default(), Sort::default()), [keep]);
    let trash = Filter {
        show: forsat_core::domain::Show::Trash,
        ..Filter::default()
    };
    assert_eq!(ws.list(&trash, Sort::default()), [gone]);
    let scope = Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Scope::default()
    };
    let by_stage = Params::Pipeline { by: GroupBy::Stage };
    let Rows::Pipeline(rows) = ws.report(&scope, &by_stage).rows else {
        panic!("a pipeline report");
    };
    assert_eq!(rows[0].count, 1, "the trashed deal is on no report");
    drop(ws);

    // The trash survives a restart; undo is per session, restore is a command of its own.
    let mut ws = open(&path);
    assert!(ws.is_trashed(gone));
    ws.apply(Command::RestoreFromTrash { ids: vec![gone] })
        .unwrap();
    assert_eq!(ws.stage_totals(new).count, 2);
    ws.apply(Command::Trash { ids: vec![gone] }).unwrap();
    let applied = ws.apply(Command::EmptyTrash).unwrap();
    assert!(
        applied.inverse.is_none(),
        "emptying the trash cannot be undone"
    );
    assert!(ws.opportunity(gone).is_none());
    assert_eq!(ws.trash_count(), 0);
    assert!(ws.stage_events().iter().all(|e| e.opportunity != gone));
    let fields: Vec<String> = ws
        .history(EntityKind::Opportunity, gone)
        .unwrap()
        .into_iter()
        .map(|h| h.field)
        .collect();
    assert_eq!(
        fields,
        ["created", "trashed", "restored", "trashed", "deleted"],
        "the history outlives the deal"
    );
    drop(ws);
    assert!(open(&path).opportunity(gone).is_none());
}

#[test]
fn undoing_a_trash_restores_the_deal() {
    use forsat_app::workspace::UndoStack;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let id = create(&mut ws, "Acme", "Acme – deal", "1000");
    let mut stack = UndoStack::default();
    stack
        .run(&mut ws, Command::Trash { ids: vec![id] }, String::new())
        .unwrap();
    stack.undo(&mut ws).unwrap().unwrap();
    assert!(!ws.is_trashed(id));
    assert_eq!(ws.stage_totals(stage(&ws, "New")).count, 1);
    stack.redo(&mut ws).unwrap().unwrap();
    assert!(ws.is_trashed(id));
}

#[test]
fn a_mass_update_is_one_step_with_one_entry_per_changed_field() {
    use forsat_app::workspace::UndoStack;
    use forsat_core::command::MassPatch;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let ids = [
        create(&mut ws, "Acme", "Acme – one", "1000"),
        create(&mut ws, "Globex", "Globex – two", "2000"),
    ];
    let mut stack = UndoStack::default();
    let proposition = stage(&ws, "Proposition");
    let patch = MassPatch {
        stage: Some(proposition),
        forecast: Some(ForecastChoice::Commit),
        expected_close: Some(Some("2027-03-31".parse().unwrap())),
        ..MassPatch::default()
    };
    stack
        .run(
            &mut ws,
            Command::MassUpdate {
                ids: ids.to_vec(),
                patch,
            },
            String::new(),
        )
        .unwrap();
    for id in ids {
        let opp = ws.opportunity(id).unwrap();
        assert_eq!(opp.stage, proposition);
        assert_eq!(opp.probability, Decimal::from(70));
        assert_eq!(opp.forecast, ForecastChoice::Commit);
        let history = ws.history(EntityKind::Opportunity, id).unwrap();
        let changed: Vec<&str> = history[1..].iter().map(|h| h.field.as_str()).collect();
        assert_eq!(
            changed,
            ["stage", "expected_close", "probability", "forecast"],
            "one entry per changed field"
        );
        assert!(history[1..].windows(2).all(|w| w[0].action == w[1].action));
    }
    stack.undo(&mut ws).unwrap().unwrap();
    assert!(
        ids.iter()
            .all(|id| ws.opportunity(*id).unwrap().forecast == ForecastChoice::Stage)
    );
    assert!(!stack.can_undo(), "the mass update was one step");
}

#[test]
fn the_advanced_search_and_saved_searches() {
    use forsat_app::workspace::Sort;
    use forsat_core::domain::{Filter, Status};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let small = create(&mut ws, "Acme", "Acme – small", "900");
    let mid = create(&mut ws, "Globex", "Globex – mid", "15000");
    let big = create(&mut ws, "Hooli", "Hooli – big", "2500000");
    let mut archived = ws.opportunity(mid).unwrap().clone();
    archived.active = false;
    archived.forecast = ForecastChoice::Omitted;
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(archived),
        new_account: None,
    })
    .unwrap();
    let list = |ws: &forsat_app::workspace::Workspace, f: &Filter| ws.list(f, Sort::default());
    let amounts = Filter {
        amount_min: Some(1000.into()),
        amount_max: Some(3_000_000.into()),
        ..Filter::default()
    };
    assert_eq!(list(&ws, &amounts), [big], "the archived deal is hidden");
    let archived_only = Filter {
        status: Status::Archived,
        ..Filter::default()
    };
    assert_eq!(list(&ws, &archived_only), [mid]);
    let out_of_forecast = Filter {
        status: Status::All,
        forecast: Some(forsat_core::domain::ForecastFilter::Omitted),
        ..Filter::default()
    };
    assert_eq!(list(&ws, &out_of_forecast), [mid]);
    let created_today = Filter {
        created_from: Some(ws.today()),
        created_to: Some(ws.today()),
        probability_max: Some(10.into()),
        ..Filter::default()
    };
    let mut ids = list(&ws, &created_today);
    ids.sort_unstable();
    assert_eq!(ids, [small, big]);
    ws.apply(Command::MoveToStage {
        opp: big,
        stage: stage(&ws, "Qualified"),
        loss_reason: None,
    })
    .unwrap();
    let qualified = Filter {
        stages: vec![stage(&ws, "Qualified")],
        ..Filter::default()
    };
    assert_eq!(list(&ws, &qualified), [big]);

    ws.apply(Command::SaveFilter {
        name: "Big deals".into(),
        filter: Box::new(amounts.clone()),
    })
    .unwrap();
    ws.apply(Command::SaveFilter {
        name: "big DEALS".into(),
        filter: Box::new(archived_only.clone()),
    })
    .unwrap();
    assert_eq!(
        ws.saved_filters().len(),
        1,
        "the same name replaces the filter"
    );
    drop(ws);
    let mut ws = open(&path);
    let saved = ws.saved_filters()[0].clone();
    assert_eq!(saved.name, "Big deals");
    assert_eq!(saved.filter, archived_only);
    let applied = ws
        .apply(Command::DeleteSavedFilter { id: saved.id })
        .unwrap();
    assert!(ws.saved_filters().is_empty());
    ws.apply(applied.inverse.unwrap()).unwrap();
    assert_eq!(ws.saved_filters(), [saved]);
}

#[test]
fn merging_moves_events_and_history_to_the_survivor_and_undo_puts_them_back() {
    use forsat_app::workspace::UndoStack;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let keep = create(&mut ws, "Café Müller", "Café Müller – espresso", "12000");
    let dup = create(&mut ws, "café müller", "cafe muller –  ESPRESSO", "15000");
    ws.apply(Command::MoveToStage {
        opp: dup,
        stage: stage(&ws, "Qualified"),
        loss_reason: None,
    })
    .unwrap();
    let live = |ws: &forsat_app::workspace::Workspace| {
        forsat_core::domain::duplicate_groups(ws.opportunities().filter(|o| !ws.is_trashed(o.id)))
    };
    assert_eq!(live(&ws), [vec![keep, dup]]);
    let events_of = |ws: &forsat_app::workspace::Workspace, id| {
        ws.stage_events()
            .iter()
            .filter(|e| e.opportunity == id)
            .count()
    };
    let dup_history = ws.history(EntityKind::Opportunity, dup).unwrap().len();

    // Keep the first deal, with the duplicate's amount and stage.
    let mut survivor = ws.opportunity(keep).unwrap().clone();
    let other = ws.opportunity(dup).unwrap().clone();
    survivor.amount = other.amount;
    survivor.stage = other.stage;
    let mut stack = UndoStack::default();
    stack
        .run(
            &mut ws,
            Command::Merge {
                survivor: Box::new(survivor),
                merged: vec![dup],
                moves: Moves::default(),
            },
            String::new(),
        )
        .unwrap();
    let merged = ws.opportunity(keep).unwrap();
    assert_eq!(merged.amount, Decimal::from(15_000));
    assert_eq!(merged.stage, stage(&ws, "Qualified"));
    assert!(ws.is_trashed(dup));
    assert!(live(&ws).is_empty());
    assert_eq!(events_of(&ws, dup), 0);
    assert_eq!(
        events_of(&ws, keep),
        4,
        "both creations, the duplicate's move, the merge's move"
    );
    let history = ws.history(EntityKind::Opportunity, keep).unwrap();
    assert!(history.len() > dup_history);
    assert!(
        history
            .iter()
            .any(|h| h.field == "merged" && h.new == "cafe muller –  ESPRESSO")
    );
    assert_eq!(ws.stage_totals(stage(&ws, "Qualified")).count, 1);
    drop(ws);

    let mut ws = open(&path);
    assert_eq!(events_of(&ws, keep), 4, "the merge is durable");
    let mut stack2 = UndoStack::default();
    std::mem::swap(&mut stack, &mut stack2);
    stack2.undo(&mut ws).unwrap().unwrap();
    assert!(!ws.is_trashed(dup));
    assert_eq!(ws.opportunity(keep).unwrap().amount, Decimal::from(12_000));
    assert_eq!(events_of(&ws, dup), 2);
    let back = ws.history(EntityKind::Opportunity, dup).unwrap();
    assert!(
        back.len() > dup_history,
        "its own history came back, plus what happened to it"
    );
    assert!(
        back.iter()
            .any(|h| h.field == "stage" && h.new == "Qualified")
    );
    assert_eq!(live(&ws), [vec![keep, dup]]);
    stack2.redo(&mut ws).unwrap().unwrap();
    assert!(ws.is_trashed(dup));
    assert_eq!(events_of(&ws, dup), 0);
}

#[test]
fn deleting_a_trashed_deal_leaves_no_trace_in_the_trash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let id = create(&mut ws, "Acme", "Acme – deal", "1000");
    ws.apply(Command::Trash { ids: vec![id, id] }).unwrap();
    assert_eq!(ws.trash_count(), 1, "an id named twice counts once");
    ws.apply(Command::DeleteOpportunity { id, account: None })
        .unwrap();
    drop(ws);
    let mut ws = open(&path);
    assert_eq!(ws.trash_count(), 0);
    ws.apply(Command::EmptyTrash).unwrap();
}

#[test]
fn undoing_a_move_keeps_when_the_deal_entered_its_stage_and_a_mass_move_dates_it_now() {
    use forsat_core::command::MassPatch;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let (batch, _) = forsat_app::demo::generate(&ws, 40, 3);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    let opp = ws
        .opportunities()
        .find(|o| o.closed.is_none() && o.stage_entered < ws.now())
        .unwrap()
        .clone();
    let target = ws
        .stages_of(opp.pipeline)
        .find(|s| s.id != opp.stage && s.kind == forsat_core::domain::StageKind::Open)
        .unwrap()
        .id;
    let applied = ws
        .apply(Command::MoveToStage {
            opp: opp.id,
            stage: target,
            loss_reason: None,
        })
        .unwrap();
    assert_eq!(ws.opportunity(opp.id).unwrap().stage_entered, ws.now());
    ws.apply(applied.inverse.unwrap()).unwrap();
    assert_eq!(
        ws.opportunity(opp.id).unwrap().stage_entered,
        opp.stage_entered
    );
    ws.apply(Command::MassUpdate {
        ids: vec![opp.id],
        patch: MassPatch {
            stage: Some(target),
            ..MassPatch::default()
        },
    })
    .unwrap();
    assert_eq!(ws.opportunity(opp.id).unwrap().stage_entered, ws.now());
}

#[test]
fn an_inserted_batch_is_one_undo_step() {
    use forsat_app::workspace::UndoStack;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let own = create(&mut ws, "My Customer", "My own deal", "5000");
    let before = (
        ws.opportunity_count(),
        ws.accounts().count(),
        ws.leads().count(),
    );
    let (batch, summary) = forsat_app::demo::generate(&ws, 60, 9);
    let mut undo = UndoStack::default();
    undo.run(
        &mut ws,
        Command::InsertBatch(Box::new(batch)),
        String::new(),
    )
    .unwrap();
    assert_eq!(ws.opportunity_count(), before.0 + summary.opportunities);
    assert!(!ws.currencies().is_empty() && !ws.open_activities().is_empty());
    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(
        (
            ws.opportunity_count(),
            ws.accounts().count(),
            ws.leads().count()
        ),
        before
    );
    assert!(ws.currencies().is_empty() && ws.products().is_empty());
    assert!(ws.stage_events().iter().all(|e| e.opportunity == own));
    undo.redo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.opportunity_count(), before.0 + summary.opportunities);
    drop(ws);
    assert_eq!(
        open(&path).opportunity_count(),
        before.0 + summary.opportunities
    );
}

/// Every field of a deal given values no deal should have: each is refused with a message
/// naming the field, and nothing reaches the file — not the deal, not its history.
#[test]
#[expect(
    clippy::too_many_lines,
    reason = "one scenario, or one table of cases, read top to bottom"
)]
fn invalid_values_of_every_field_are_refused_by_name_and_nothing_is_saved() {
    use chrono::NaiveDate;
    use forsat_core::domain::{Line, Opportunity};
    type Edit = Box<dyn Fn(&mut Opportunity)>;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let id = create(&mut ws, "Acme", "Acme – kiosks", "1000");
    let before = ws.opportunity(id).unwrap().clone();
    let history = ws.history(EntityKind::Opportunity, id).unwrap().len();
    let long = "x".repeat(100_000);
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let line = |quantity: i64, discount: i64| Line {
        product: None,
        description: "Kiosk".into(),
        quantity: quantity.into(),
        unit_price: 100.into(),
        discount_pct: discount.into(),
    };
    let cases: Vec<(&str, Field, Edit)> = vec![
        (
            "negative amount",
            Field::Amount,
            Box::new(|o| o.amount = Decimal::from(-5)),
        ),
        (
            "absurd amount",
            Field::Amount,
            Box::new(|o| o.amount = Decimal::from(10u64.pow(15))),
        ),
        (
            "three decimals",
            Field::Amount,
            Box::new(|o| o.amount = "1.005".parse().unwrap()),
        ),
        (
            "probability 101",
            Field::Probability,
            Box::new(|o| o.probability = 101.into()),
        ),
        (
            "probability -1",
            Field::Probability,
            Box::new(|o| o.probability = (-1).into()),
        ),
        (
            "empty name",
            Field::Name,
            Box::new(|o| o.name = "  ".into()),
        ),
        (
            "100 KB name",
            Field::Name,
            Box::new(move |o| o.name = "n".repeat(100_000)),
        ),
        (
            "a bell in the name",
            Field::Name,
            Box::new(|o| o.name = "Acme\u{7}".into()),
        ),
        (
            "a line break in the name",
            Field::Name,
            Box::new(|o| o.name = "Ac\nme".into()),
        ),
        (
            "NUL in the next step",
            Field::NextStep,
            Box::new(|o| o.next_step = "call\0".into()),
        ),
        (
            "100 KB description",
            Field::Description,
            Box::new(move |o| o.description = long.clone()),
        ),
        (
            "escape in the description",
            Field::Description,
            Box::new(|o| o.description = "red \u{1b}[31m text".into()),
        ),
        (
            "year 1000",
            Field::ExpectedClose,
            Box::new(move |o| o.expected_close = date(1000, 1, 1)),
        ),
        (
            "year 9999",
            Field::ExpectedClose,
            Box::new(move |o| o.expected_close = date(9999, 12, 31)),
        ),
        (
            "currency usd",
            Field::Currency,
            Box::new(|o| o.currency = "usd".into()),
        ),
        (
            "currency EURO",
            Field::Currency,
            Box::new(|o| o.currency = "EURO".into()),
        ),
        ("priority 4", Field::Priority, Box::new(|o| o.priority = 4)),
        (
            "a line of -3",
            Field::Quantity,
            Box::new(move |o| o.lines = vec![line(-3, 0)]),
        ),
        (
            "a discount of 150 %",
            Field::Discount,
            Box::new(move |o| o.lines = vec![line(1, 150)]),
        ),
    ];
    for (what, field, edit) in &cases {
        let mut opp = before.clone();
        edit(&mut opp);
        let refused = ws.apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        });
        let Err(ApplyError::Invalid(errors)) = refused else {
            panic!("{what}: not refused ({refused:?})");
        };
        assert!(
            errors.iter().any(|e| e.field == *field),
            "{what}: {errors:?} does not name {field:?}"
        );
        let message = errors
            .iter()
            .find(|e| e.field == *field)
            .unwrap()
            .to_string();
        assert!(
            message.starts_with(field.label().as_str()),
            "{what}: {message}"
        );
        assert_eq!(
            ws.opportunity(id),
            Some(&before),
            "{what}: changed in memory"
        );
    }
    drop(ws);
    let ws = open(&path);
    assert_eq!(ws.opportunity(id), Some(&before), "changed on disk");
    assert_eq!(
        ws.history(EntityKind::Opportunity, id).unwrap().len(),
        history,
        "history entries were written"
    );
}

/// A lookup put with an id assigned in advance, as a record naming another would be.
fn put_lookup(
    ws: &mut forsat_app::workspace::Workspace,
    id: u64,
    name: &str,
) -> Result<(), String> {
    use forsat_core::command::Change;
    use forsat_core::domain::{Lookup, LookupKind, Record};
    let lookup = Lookup {
        id,
        kind: LookupKind::Source,
        name: name.to_owned(),
        active: true,
    };
    ws.apply(Command::Change(Box::new(Change::put(Record::Lookup(
        lookup,
    )))))
    .map(drop)
    .map_err(|e| e.to_string())
}

#[test]
fn ids_never_wrap_a_counter_at_its_limit_refuses_new_records() {
    use forsat_core::domain::{ID_LIMIT, LookupKind};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ids.redb");
    let mut ws = open(&path);
    let reasons = |ws: &forsat_app::workspace::Workspace| -> Vec<(u64, String)> {
        ws.lookups(LookupKind::LossReason)
            .iter()
            .map(|l| (l.id, l.name.clone()))
            .collect()
    };
    let before = reasons(&ws);
    // An id at the limit (or far past it, as a damaged file had) is refused, nothing written.
    for id in [ID_LIMIT, u64::MAX - 1] {
        let refused = put_lookup(&mut ws, id, "Far away").unwrap_err();
        assert!(refused.contains("every record id below"), "{refused}");
    }
    // The last ids are taken: the record, its history's action and entry.
    put_lookup(&mut ws, ID_LIMIT - 3, "Last source").unwrap();
    assert_eq!(ws.next_id(), ID_LIMIT);
    drop(ws);
    let mut ws = open(&path);
    let stage = ws
        .stage_of_kind(ws.default_pipeline().id, StageKind::Open)
        .unwrap()
        .clone();
    let mut opp = forsat_core::domain::Opportunity::draft(
        &forsat_core::domain::Account::default(),
        &stage,
        ws.settings(),
        ws.now(),
    );
    opp.name = "Deal".to_owned();
    let refused = ws
        .apply(Command::CreateOpportunity {
            opp: Box::new(opp),
            new_account: Some("Acme".to_owned()),
        })
        .unwrap_err()
        .to_string();
    assert!(refused.contains("every record id below"), "{refused}");
    drop(ws);
    let ws = open(&path);
    assert_eq!(ws.opportunity_count(), 0);
    assert_eq!(reasons(&ws), before, "a default lookup was written over");
    assert_eq!(ws.next_id(), ID_LIMIT);
}

#[test]
fn a_chosen_forecast_category_survives_stage_moves_and_reopening() {
    use forsat_core::domain::ForecastCategory;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let category = |ws: &Workspace, name: &str| ws.stage(stage(ws, name)).unwrap().forecast;
    assert_eq!(category(&ws, "New"), ForecastCategory::Pipeline);
    assert_eq!(category(&ws, "Qualified"), ForecastCategory::Pipeline);
    assert_eq!(category(&ws, "Proposition"), ForecastCategory::BestCase);
    let id = create(&mut ws, "Acme", "Acme – one", "1000");
    let mut opp = ws.opportunity(id).unwrap().clone();
    assert_eq!(
        opp.forecast,
        ForecastChoice::Stage,
        "a new deal follows its stage"
    );
    opp.forecast = ForecastChoice::Commit;
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    for name in ["Proposition", "New"] {
        ws.apply(Command::MoveToStage {
            opp: id,
            stage: stage(&ws, name),
            loss_reason: None,
        })
        .unwrap();
        assert_eq!(ws.opportunity(id).unwrap().forecast, ForecastChoice::Commit);
    }
    let history = ws.history(EntityKind::Opportunity, id).unwrap();
    let forecast: Vec<(&str, &str)> = history
        .iter()
        .filter(|h| h.field == Field::Forecast.key())
        .map(|h| (h.old.as_str(), h.new.as_str()))
        .collect();
    assert_eq!(forecast, [("stage", "commit")]);
    // A stage's category changed is in its history, as its other settings are.
    let mut proposition = ws.stage(stage(&ws, "Proposition")).unwrap().clone();
    proposition.forecast = ForecastCategory::Commit;
    ws.apply(Command::Change(Box::new(
        forsat_core::command::Change::put(forsat_core::domain::Record::Stage(proposition.clone())),
    )))
    .unwrap();
    let changed: Vec<(String, String)> = ws
        .history(EntityKind::Stage, proposition.id)
        .unwrap()
        .into_iter()
        .filter(|h| h.field == Field::Forecast.key())
        .map(|h| (h.old, h.new))
        .collect();
    assert_eq!(changed, [("best_case".to_owned(), "commit".to_owned())]);
    drop(ws);
    let ws = open(&path);
    assert_eq!(ws.opportunity(id).unwrap().forecast, ForecastChoice::Commit);
    assert_eq!(category(&ws, "Proposition"), ForecastCategory::Commit);
}

#[test]
fn a_mass_update_of_many_deals_leaves_the_columns_a_fresh_start_builds() {
    use forsat_core::command::MassPatch;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("crm.redb");
    let mut ws = open(&path);
    let (batch, _) = forsat_app::demo::generate(&ws, 300, 5);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    let pipeline = ws.default_pipeline().id;
    let columns = |ws: &Workspace| -> Vec<(Vec<forsat_core::domain::Id>, StageTotals)> {
        (ws.stages_of(pipeline))
            .map(|s| (ws.column(s.id).ids.clone(), ws.column(s.id).totals))
            .collect()
    };
    let before = columns(&ws);
    // More deals than are moved one by one: a new close date reorders the cards, a new
    // stage moves them between columns.
    let open_deals: Vec<_> = (ws.opportunities())
        .filter(|o| o.closed.is_none() && o.active)
        .map(|o| o.id)
        .collect();
    let (early, late) = open_deals.split_at(open_deals.len() / 2);
    assert!(early.len().min(late.len()) >= 64, "{}", open_deals.len());
    let patch = MassPatch {
        expected_close: Some(Some("2027-01-15".parse().unwrap())),
        ..MassPatch::default()
    };
    let applied = ws
        .apply(Command::MassUpdate {
            ids: early.to_vec(),
            patch,
        })
        .unwrap();
    let patch = MassPatch {
        stage: Some(stage(&ws, "Proposition")),
        ..MassPatch::default()
    };
    ws.apply(Command::MassUpdate {
        ids: late.to_vec(),
        patch,
    })
    .unwrap();
    let updated = columns(&ws);
    assert_ne!(updated, before);
    drop(ws);
    let mut ws = open(&path);
    assert_eq!(columns(&ws), updated, "as a fresh start builds them");
    // Undoing the first (many deals put back at once) leaves the columns a start builds.
    ws.apply(applied.inverse.unwrap()).unwrap();
    let undone = columns(&ws);
    drop(ws);
    assert_eq!(undone, columns(&open(&path)));
}
