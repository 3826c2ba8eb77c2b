//! Accounts, contacts, leads, activities, products and currencies through commands.

use chrono::NaiveDate;
use forsat_app::workspace::{UndoStack, Workspace};
use forsat_core::command::{Change, Command, ConvertLead, Moves};
use forsat_core::domain::{
    Activity, ActivityKind, ActivityLink, AmountMode, Contact, EntityKind, Id, Lead, Line,
    LookupKind, Opportunity, Product, Record,
};
use tempfile::TempDir;

use super::{create, open, stage};

#[path = "../common/related.rs"]
mod common;
use common::{add_currency, dec, put};

fn add_lead(ws: &mut Workspace, name: &str, company: &str) -> Id {
    put(
        ws,
        Record::Lead(Lead {
            name: name.into(),
            company: company.into(),
            contact_name: "Sara Ahmadi".into(),
            email: "sara@example.com".into(),
            phone: "+98 21 5555 0101".into(),
            notes: "Met at the trade show".into(),
            ..Lead::default()
        }),
    )
    .unwrap();
    ws.leads().find(|l| l.name == name).unwrap().id
}

#[test]
fn converting_a_lead_matches_an_account_by_name_or_creates_one() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let deal = create(&mut ws, "Persia Foods", "Existing deal", "1000");
    let existing = ws.opportunity(deal).unwrap().account;
    let new_stage = stage(&ws, "New");

    let lead = add_lead(&mut ws, "ERP rollout", "persia foods ");
    let mut undo = UndoStack::default();
    let applied = undo
        .run(
            &mut ws,
            Command::ConvertLead(Box::new(ConvertLead {
                lead,
                account: None,
                account_name: "persia foods ".into(),
                stage: new_stage,
            })),
            String::new(),
        )
        .unwrap();
    let opp = ws.opportunity(applied.created.unwrap()).unwrap().clone();
    assert_eq!(opp.account, existing, "matched by name, ignoring case");
    assert_eq!(opp.name, "ERP rollout");
    assert_eq!(opp.description, "Met at the trade show");
    let contact = ws.contact(opp.contact.unwrap()).unwrap();
    assert_eq!(
        (contact.name.as_str(), contact.account),
        ("Sara Ahmadi", existing)
    );
    let conversion = ws.lead(lead).unwrap().converted.clone().unwrap();
    assert_eq!(conversion.opportunity, opp.id);
    assert_eq!(ws.accounts().count(), 1);
    assert_eq!(ws.column(new_stage).ids.len(), 2);

    // One undo step takes back the deal, the contact and the link; redo puts them back as they were.
    undo.undo(&mut ws).unwrap().unwrap();
    assert!(ws.opportunity(opp.id).is_none());
    assert!(ws.contact(contact_id(&opp)).is_none());
    assert!(ws.lead(lead).unwrap().converted.is_none());
    assert_eq!(ws.column(new_stage).ids.len(), 1);
    undo.redo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.opportunity(opp.id), Some(&opp));
    assert_eq!(ws.lead(lead).unwrap().converted, Some(conversion));

    // A lead whose company is unknown gets a new account with the lead's details.
    let other = add_lead(&mut ws, "Warehouse scanners", "Caspian Logistics");
    let applied = ws
        .apply(Command::ConvertLead(Box::new(ConvertLead {
            lead: other,
            account: None,
            account_name: "Caspian Logistics".into(),
            stage: new_stage,
        })))
        .unwrap();
    let opp = ws.opportunity(applied.created.unwrap()).unwrap();
    let account = ws.account(opp.account).unwrap();
    assert_eq!(account.name, "Caspian Logistics");
    assert_eq!(account.email, "sara@example.com");
    assert_eq!(ws.accounts().count(), 2);
    // Converting twice is refused, naming why.
    let again = ws.apply(Command::ConvertLead(Box::new(ConvertLead {
        lead: other,
        account: None,
        account_name: "Caspian Logistics".into(),
        stage: new_stage,
    })));
    assert_eq!(
        again.unwrap_err().to_string(),
        "Name: this lead has already been converted"
    );

    // All of it is on disk.
    let path = ws.path().to_owned();
    drop(ws);
    let ws = open(&path);
    assert_eq!(ws.accounts().count(), 2);
    assert_eq!(ws.leads().filter(|l| l.converted.is_some()).count(), 2);
}

fn contact_id(opp: &Opportunity) -> Id {
    opp.contact.unwrap()
}

#[test]
fn the_amount_follows_the_lines_with_discounts_and_rounding() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let id = create(&mut ws, "Acme", "Licences", "0");
    let mut opp = ws.opportunity(id).unwrap().clone();
    opp.amount_mode = AmountMode::FromLines;
    opp.lines = vec![
        Line {
            product: None,
            description: "Seat licence".into(),
            quantity: dec("3"),
            unit_price: dec("19.99"),
            discount_pct: dec("10"),
        },
        Line {
            product: None,
            description: "Setup".into(),
            quantity: dec("2.5"),
            unit_price: dec("0.99"),
            discount_pct: dec("15"),
        },
    ];
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp.clone()),
        new_account: None,
    })
    .unwrap();
    // 53.973 → 53.97 and 2.10375 → 2.10.
    assert_eq!(ws.opportunity(id).unwrap().amount, dec("56.07"));
    let new = stage(&ws, "New");
    assert_eq!(ws.stage_totals(new).expected, dec("56.07"));
    assert_eq!(ws.stage_totals(new).weighted, dec("5.61"));

    // A bad line is refused, naming the field.
    opp.lines[0].discount_pct = dec("120");
    let err = ws
        .apply(Command::UpdateOpportunity {
            opp: Box::new(opp),
            new_account: None,
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "Discount %: must be between 0 and 100");
    let history = ws.history(EntityKind::Opportunity, id).unwrap();
    let lines = history.iter().find(|h| h.field == "lines").unwrap();
    assert_eq!(
        lines.new,
        "3 × Seat licence @ 19.99 −10 %; 2.5 × Setup @ 0.99 −15 %"
    );
}

#[test]
fn an_account_with_deals_is_not_deleted_unless_they_are_reassigned() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let deal = create(&mut ws, "Acme", "Renewal", "500");
    let acme = ws.opportunity(deal).unwrap().account;
    let other = create(&mut ws, "Globex", "Pilot", "100");
    let globex = ws.opportunity(other).unwrap().account;
    put(
        &mut ws,
        Record::Contact(Contact {
            account: acme,
            name: "Wile E.".into(),
            ..Contact::default()
        }),
    )
    .unwrap();
    put(
        &mut ws,
        Record::Activity(Activity::planned(
            ActivityKind::Call,
            "Call about renewal".into(),
            NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(),
            ActivityLink::Account(acme),
        )),
    )
    .unwrap();

    let refused = ws.apply(Command::Change(Box::new(
        ws.delete_account_change(acme, None),
    )));
    assert_eq!(
        refused.unwrap_err().to_string(),
        "Account: still has 1 deal: reassign it to another account first"
    );
    assert!(ws.account(acme).is_some());

    let mut undo = UndoStack::default();
    let reassign = ws.delete_account_change(acme, Some(globex));
    undo.run(&mut ws, Command::Change(Box::new(reassign)), String::new())
        .unwrap();
    assert!(ws.account(acme).is_none());
    assert_eq!(ws.opportunity(deal).unwrap().account, globex);
    assert_eq!(ws.contacts_of(globex).len(), 1);
    assert_eq!(ws.activities_of(ActivityLink::Account(globex)).len(), 1);
    assert_eq!(ws.account_summary(globex).open, (2, dec("600")));

    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.opportunity(deal).unwrap().account, acme);
    assert_eq!(ws.contacts_of(acme).len(), 1);
    assert_eq!(ws.activities_of(ActivityLink::Account(acme)).len(), 1);
    let history = ws.history(EntityKind::Account, acme).unwrap();
    let events: Vec<&str> = history.iter().map(|h| h.field.as_str()).collect();
    assert_eq!(events, ["created", "deleted", "restored"]);
}

#[test]
fn a_deal_shows_its_next_open_activity() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let deal = create(&mut ws, "Acme", "Renewal", "500");
    let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    for (summary, due) in [("Send quote", day(27)), ("Call back", day(21))] {
        put(
            &mut ws,
            Record::Activity(Activity::planned(
                ActivityKind::Task,
                summary.into(),
                due,
                ActivityLink::Opportunity(deal),
            )),
        )
        .unwrap();
    }
    assert_eq!(ws.next_activity(deal), Some(day(21)));
    let late = ws.open_activities()[0].activity.clone();
    assert_eq!(late.summary, "Call back");
    put(&mut ws, Record::Activity(Activity { done: true, ..late })).unwrap();
    assert_eq!(ws.next_activity(deal), Some(day(27)));
    assert_eq!(ws.open_activities().len(), 1);
    let history = ws.history(EntityKind::Activity, ws.open_activities()[0].activity.id);
    assert_eq!(history.unwrap()[0].field, "created");
}

fn plan(ws: &mut Workspace, deal: Id, summary: &str, day: u32) -> Id {
    put(
        ws,
        Record::Activity(Activity::planned(
            ActivityKind::Task,
            summary.into(),
            NaiveDate::from_ymd_opt(2026, 11, day).unwrap(),
            ActivityLink::Opportunity(deal),
        )),
    )
    .unwrap();
    ws.activities_of(ActivityLink::Opportunity(deal))
        .iter()
        .find(|a| a.summary == summary)
        .unwrap()
        .id
}

#[test]
fn activities_follow_their_deal_through_moves_merges_and_the_trash() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let a = create(&mut ws, "Acme", "Renewal", "500");
    let b = create(&mut ws, "Acme", "Renewal (copy)", "500");
    let call = plan(&mut ws, b, "Call back", 25);

    // Moved to another deal: both deals' next activity follow.
    let mut moved = ws.activity(call).unwrap().clone();
    moved.link = ActivityLink::Opportunity(a);
    put(&mut ws, Record::Activity(moved.clone())).unwrap();
    assert_eq!(ws.next_activity(b), None);
    assert!(ws.next_activity(a).is_some());
    moved.link = ActivityLink::Opportunity(b);
    put(&mut ws, Record::Activity(moved)).unwrap();

    // Merged into the survivor, and back on undo.
    let mut undo = UndoStack::default();
    let survivor = ws.opportunity(a).unwrap().clone();
    undo.run(
        &mut ws,
        Command::Merge {
            survivor: Box::new(survivor),
            merged: vec![b],
            moves: Moves::default(),
        },
        String::new(),
    )
    .unwrap();
    assert_eq!(ws.activities_of(ActivityLink::Opportunity(a)).len(), 1);
    assert_eq!(ws.open_activities().len(), 1);
    undo.undo(&mut ws).unwrap().unwrap();
    assert_eq!(ws.activities_of(ActivityLink::Opportunity(b)).len(), 1);
    assert_eq!(ws.next_activity(a), None);

    // Emptying the trash deletes them with the deal.
    ws.apply(Command::Trash { ids: vec![b] }).unwrap();
    ws.apply(Command::EmptyTrash).unwrap();
    assert!(ws.activity(call).is_none());
    let path = ws.path().to_owned();
    drop(ws);
    assert!(open(&path).activity(call).is_none());
}

#[test]
fn changes_that_would_leave_dangling_records_are_refused() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let deal = create(&mut ws, "Acme", "Renewal", "500");
    let acme = ws.opportunity(deal).unwrap().account;
    let other = create(&mut ws, "Globex", "Pilot", "100");
    let globex = ws.opportunity(other).unwrap().account;
    put(
        &mut ws,
        Record::Contact(Contact {
            account: acme,
            name: "Wile E.".into(),
            ..Contact::default()
        }),
    )
    .unwrap();
    let contact = ws.contacts_of(acme)[0].clone();
    let mut opp = ws.opportunity(deal).unwrap().clone();
    opp.contact = Some(contact.id);
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp.clone()),
        new_account: None,
    })
    .unwrap();

    // The deal's contact cannot move to another account under it.
    let moved = put(
        &mut ws,
        Record::Contact(Contact {
            account: globex,
            ..contact
        }),
    );
    assert_eq!(moved.unwrap_err(), "Contact: is still in use (1 record)");

    // A product cannot arrive in a currency removed by the same change.
    let eur = add_currency(&mut ws, "EUR", "1.08");
    let both = ws.apply(Command::Change(Box::new(Change {
        put: vec![Record::Product(Product {
            name: "Kit".into(),
            unit_price: dec("10"),
            currency: "EUR".into(),
            active: true,
            ..Product::default()
        })],
        remove: vec![(EntityKind::Currency, eur)],
        ..Change::default()
    })));
    assert_eq!(
        both.unwrap_err().to_string(),
        "Currency: refers to a record that does not exist; Currency: is still in use (1 record)"
    );

    // The same deal twice, or an id this file never gave out, is refused before anything.
    let twice = ws.apply(Command::Change(Box::new(Change {
        update_deals: vec![opp.clone(), opp],
        ..Change::default()
    })));
    assert!(matches!(
        twice,
        Err(forsat_app::workspace::ApplyError::StaleIds)
    ));
    // An id past the counter was assigned in advance: the record is new and the counter moves.
    let ahead = ws.next_id() + 10;
    let lead = Record::Lead(Lead {
        id: ahead,
        name: "Assigned ahead".into(),
        ..Lead::default()
    });
    put(&mut ws, lead).unwrap();
    assert!(ws.next_id() > ahead);
    assert_eq!(
        ws.history(EntityKind::Lead, ahead).unwrap()[0].field,
        "created"
    );
    assert_eq!(ws.column(stage(&ws, "New")).totals.expected, dec("600"));
}

#[test]
fn clearing_the_sample_keeps_what_the_users_own_records_use() {
    let dir = TempDir::new().unwrap();
    let mut ws = open(&dir.path().join("f.redb"));
    let sample = forsat_app::demo::sample(&ws);
    ws.apply(Command::FirstStart {
        sample: Some(Box::new(sample)),
    })
    .unwrap();
    let kit = ws
        .products()
        .into_iter()
        .find(|p| p.currency == "EUR")
        .unwrap()
        .clone();
    let seller = ws.lookups(LookupKind::Salesperson)[0].id;
    let own = create(&mut ws, "My Customer", "My own deal", "0");
    let mut opp = ws.opportunity(own).unwrap().clone();
    opp.lines = vec![Line {
        product: Some(kit.id),
        description: kit.name.clone(),
        quantity: dec("1"),
        unit_price: dec("1350"),
        discount_pct: dec("0"),
    }];
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    put(
        &mut ws,
        Record::Lead(Lead {
            name: "My lead".into(),
            salesperson: Some(seller),
            ..Lead::default()
        }),
    )
    .unwrap();

    ws.apply(Command::ClearSample).unwrap();
    assert_eq!(ws.products().len(), 1, "the product my deal uses stays");
    assert_eq!(
        ws.rates().rate("EUR"),
        Some(dec("1.08")),
        "and its currency"
    );
    assert!(ws.lookup(seller).is_some(), "my lead's salesperson stays");
    let lead = ws.leads().next().unwrap().clone();
    assert_eq!(lead.name, "My lead");
    put(&mut ws, Record::Lead(lead)).unwrap();
}
