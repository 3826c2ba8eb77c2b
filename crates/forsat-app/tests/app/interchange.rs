//! Export to CSV and XLSX, import of Forsat CSV: round trips, injection, fixtures, refusals.

use chrono::{DateTime, Days, NaiveDate, Utc};
use forsat_app::interchange::{
    self, Format, ImportError, ImportOptions, ImportSummary, Kind, Source, columns,
};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Batch, Change, Command};
use forsat_core::domain::{
    Account, AmountMode, BusinessType, Contact, Currency, DateFormat, Field, Id, Line, Lookup,
    LookupKind, Opportunity, Product, Record, Stage, StageKind, lines_amount,
};
use forsat_store::files::Replace;
use rust_decimal::Decimal;
use std::fmt::Write as _;
use tempfile::TempDir;

use forsat_app::demo::Rng;

use super::{create, open, stage};

#[path = "../common/interchange.rs"]
mod common;
pub(crate) use common::{csv, deal, dec, fixture, fresh};

/// Equal texts, or a failure naming the first line that differs.
fn assert_same(first: &str, second: &str) {
    if first != second {
        let (n, (a, b)) = first
            .split("\r\n")
            .zip(second.split("\r\n"))
            .enumerate()
            .find(|(_, (a, b))| a != b)
            .unwrap_or((0, ("(lengths differ)", "")));
        panic!(
            "exports differ at record line {}:\n  {a}\n  {b}\n({} vs {} bytes)",
            n + 1,
            first.len(),
            second.len()
        );
    }
}

/// The currencies of `from` added to `to` (an "empty" database still lists its currencies).
fn copy_currencies(from: &Workspace, to: &mut Workspace) {
    let currencies: Vec<Currency> = from.currencies().into_iter().cloned().collect();
    for c in currencies {
        put(to, Record::Currency(Currency { id: 0, ..c }));
    }
}

fn euro(ws: &mut Workspace) {
    put(
        ws,
        Record::Currency(Currency {
            id: 0,
            code: "EUR".into(),
            name: "Euro".into(),
            rate: "1.08".parse().unwrap(),
            rate_date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
            active: true,
        }),
    );
}

#[test]
fn a_demo_pipeline_survives_export_import_export_byte_for_byte() {
    let dir = TempDir::new().unwrap();
    let mut src = fresh(&dir, "src.redb");
    euro(&mut src);
    let (mut batch, _) = forsat_app::demo::generate(&src, 80, 7);
    // Campaigns, competitors, tags and reports the demo leaves empty.
    let mut next = batch_max_id(&batch) + 1;
    let mut lookup = |kind: LookupKind, name: &str| {
        next += 1;
        batch.lookups.push(Lookup {
            id: next - 1,
            kind,
            name: name.into(),
            active: true,
        });
        next - 1
    };
    let tags = [
        lookup(LookupKind::Tag, "vip"),
        lookup(LookupKind::Tag, "مشتری ویژه"),
        lookup(LookupKind::Tag, "=risky"),
    ];
    let campaign = lookup(LookupKind::Campaign, "Nowruz ۱۴۰۵");
    let competitor = lookup(LookupKind::Competitor, "Rival, Inc.");
    for (i, opp) in batch.opportunities.iter_mut().enumerate() {
        if i % 3 == 0 {
            opp.tags = tags[..=(i % 3)].to_vec();
            opp.campaign = Some(campaign);
        }
        if i % 4 == 1 {
            opp.tags = vec![tags[2], tags[1]];
            opp.competitor = Some(competitor);
            opp.win_loss_report = "Price, then \"timing\".\nNext time: call earlier.".into();
        }
    }
    src.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    let some: Vec<Id> = {
        let mut ids: Vec<Id> = src.opportunities().map(|o| o.id).collect();
        ids.sort_unstable();
        ids.into_iter().step_by(11).collect()
    };
    src.apply(Command::Trash { ids: some.clone() }).unwrap();
    let first = csv(&src, Kind::Opportunities);
    assert!(first.starts_with(&(columns::opportunities().join(",") + "\r\n")));
    assert!(
        first.contains("\"[{\"\"product\"\":\"\""),
        "lines are JSON cells"
    );
    assert!(first.contains(",EUR,"), "some deals are in euros");
    assert!(first.contains("'=risky"), "a tag like a formula is guarded");

    let mut dst = fresh(&dir, "dst.redb");
    copy_currencies(&src, &mut dst);
    let summary = import(&mut dst, first.as_bytes()).unwrap();
    assert_eq!(summary.deals, 80);
    assert!(summary.kept_ids, "an empty database keeps the file's ids");
    assert_eq!(summary.skipped_rows, 0);
    assert_eq!(dst.trash_count(), some.len());
    assert_same(&first, &csv(&dst, Kind::Opportunities));

    // Every deal has its stage history: an open one created in its stage; a closed one
    // created in the open stage it closed from in the source (the file's closed_from), then
    // closed from it, so the funnel and the leakage count it there as in the source.
    let moves = |ws: &Workspace, id: Id| -> Vec<(String, String)> {
        let name = |s: Option<Id>| s.map_or(String::new(), |s| ws.stage(s).unwrap().name.clone());
        (ws.stage_events().iter())
            .filter(|e| e.opportunity == id)
            .map(|e| (name(e.from), name(Some(e.to))))
            .collect()
    };
    for o in dst.opportunities() {
        let stage = dst.stage(o.stage).unwrap();
        let expected = match moves(&src, o.id).last() {
            Some((from, to)) if stage.kind != StageKind::Open => {
                vec![(String::new(), from.clone()), (from.clone(), to.clone())]
            }
            _ => vec![(String::new(), stage.name.clone())],
        };
        assert_eq!(moves(&dst, o.id), expected, "{}", o.name);
    }

    // The same file after a reopen: everything was written.
    let path = dst.path().to_owned();
    drop(dst);
    let dst = open(&path);
    assert_same(&first, &csv(&dst, Kind::Opportunities));
}

fn batch_max_id(batch: &Batch) -> Id {
    batch
        .lookups
        .iter()
        .map(|l| l.id)
        .chain(batch.accounts.iter().map(|a| a.id))
        .chain(batch.opportunities.iter().map(|o| o.id))
        .chain(batch.stage_events.iter().map(|e| e.id))
        .chain(batch.records.iter().map(Record::id))
        .max()
        .unwrap()
}

/// Random values for the property test, on the demo's generator.
trait Random {
    fn chance(&mut self, one_in: u64) -> bool;
    fn date(&mut self) -> NaiveDate;
    fn moment(&mut self) -> DateTime<Utc>;
    fn amount(&mut self) -> Decimal;
}

impl Random for Rng {
    fn chance(&mut self, one_in: u64) -> bool {
        self.below(one_in) == 0
    }

    /// A date between 1900 and 2199.
    fn date(&mut self) -> NaiveDate {
        NaiveDate::from_ymd_opt(1900, 1, 1)
            .unwrap()
            .checked_add_days(Days::new(self.below(109_500)))
            .unwrap()
    }

    /// A moment between 1970 and 2150, to the millisecond or the second.
    fn moment(&mut self) -> DateTime<Utc> {
        let mut ms = self.below(5_680_000_000_000) as i64;
        if self.chance(2) {
            ms -= ms % 1000;
        }
        DateTime::from_timestamp_millis(ms).unwrap()
    }

    fn amount(&mut self) -> Decimal {
        match self.below(5) {
            0 => Decimal::new(1, 2),
            1 => Decimal::new(99_999_999_999_999, 2),
            2 => Decimal::ZERO,
            _ => Decimal::new(self.below(100_000_000_000) as i64, 2),
        }
    }
}

const DEAL_NAMES: [&str; 14] = [
    "شرکت داده‌پردازان",
    "Société Générale d'Équipement",
    "Café \"Müller\", GmbH",
    "Núñez & Hijos",
    "Øresund, Shipping",
    "=SUM(A1)",
    "+1 deal",
    "-2 deal",
    "@x deal",
    "Zoë's \"big\" one",
    "株式会社テスト",
    "Emoji 🚀 rollout",
    "'quoted start",
    "''=double",
];
const ACCOUNTS: [&str; 9] = [
    "شرکت داده‌پردازان",
    "Société Générale d'Équipement",
    "Café \"Müller\", GmbH",
    "Núñez & Hijos",
    "=Formula Corp",
    "Acme",
    "@Home Ltd",
    "-Minus Inc",
    "株式会社テスト",
];
const TEXTS: [&str; 11] = [
    "",
    "Line one\nline two",
    "Quotes \"here\", commas, and\r\nCRLF",
    "\tstarts with a tab",
    "\rstarts with a carriage return",
    "=1+2",
    "ends with a newline\n",
    "  spaces around  ",
    "Persian: شرکت داده‌پردازان\nAccents: àéîõü ß",
    "-minus first",
    "'=already guarded",
];

/// `count` random deals in the default pipeline, with every kind of reference.
#[expect(
    clippy::too_many_lines,
    reason = "one scenario, or one table of cases, read top to bottom"
)]
fn random_deals(ws: &mut Workspace, count: usize, seed: u64) {
    let mut rng = Rng(seed);
    let mut next = ws.next_id();
    let mut take = || {
        next += 1;
        next - 1
    };
    let mut batch = Batch::default();
    let salespeople = lookups(
        &mut batch,
        &mut take,
        LookupKind::Salesperson,
        &["Reza Karimi", "Amélie Durand", "محمد رضایی", "O'Brien, Pat"],
    );
    let tags = lookups(
        &mut batch,
        &mut take,
        LookupKind::Tag,
        &["vip", "شرکت", "=tag", "naïve", "a,b", "\"quoted\""],
    );
    let campaigns = lookups(
        &mut batch,
        &mut take,
        LookupKind::Campaign,
        &["Spring \"26\"", "Nowruz ۱۴۰۵"],
    );
    let competitors = lookups(
        &mut batch,
        &mut take,
        LookupKind::Competitor,
        &["Odoo", "Other"],
    );
    let mut sources: Vec<Id> = ws
        .lookups(LookupKind::Source)
        .iter()
        .map(|l| l.id)
        .collect();
    sources.extend(lookups(
        &mut batch,
        &mut take,
        LookupKind::Source,
        &["Fair, Tehran"],
    ));
    let reasons: Vec<Id> = ws
        .lookups(LookupKind::LossReason)
        .iter()
        .map(|l| l.id)
        .collect();
    let accounts: Vec<Id> = ACCOUNTS
        .iter()
        .map(|name| {
            let id = take();
            batch.accounts.push(Account {
                id,
                name: (*name).into(),
                ..Account::default()
            });
            id
        })
        .collect();
    let contacts: Vec<(Id, Id)> = accounts
        .iter()
        .zip(
            ["Maryam Hosseini", "Jean \"JD\" Dupont", "Chloé Bernard"]
                .iter()
                .cycle(),
        )
        .map(|(&account, name)| {
            let id = take();
            batch.records.push(Record::Contact(Contact {
                id,
                account,
                name: (*name).into(),
                ..Contact::default()
            }));
            (account, id)
        })
        .collect();
    let products: Vec<Id> = [("SVC-ONB", "Onboarding workshop"), ("", "Consulting, day")]
        .iter()
        .map(|(code, name)| {
            let id = take();
            batch.records.push(Record::Product(Product {
                id,
                code: (*code).into(),
                name: (*name).into(),
                unit_price: 2400.into(),
                currency: "USD".into(),
                active: true,
            }));
            id
        })
        .collect();
    let stages: Vec<Stage> = ws.stages_of(ws.default_pipeline().id).cloned().collect();
    for i in 0..count {
        let stage = rng.pick(&stages).clone();
        let account = *rng.pick(&accounts);
        let mut opp = Opportunity::draft(&Account::default(), &stage, ws.settings(), rng.moment());
        opp.id = take();
        opp.name = format!("{} {i}", rng.pick(&DEAL_NAMES));
        opp.account = account;
        opp.contact = rng
            .chance(2)
            .then(|| contacts.iter().find(|(a, _)| *a == account).unwrap().1);
        opp.business_type = if rng.chance(3) {
            BusinessType::Existing
        } else {
            BusinessType::New
        };
        opp.source = rng.chance(2).then(|| *rng.pick(&sources));
        opp.next_step = rng.pick(&TEXTS).replace(['\n', '\r', '\t'], " ");
        opp.campaign = rng.chance(3).then(|| *rng.pick(&campaigns));
        opp.salesperson = (!rng.chance(5)).then(|| *rng.pick(&salespeople));
        opp.currency = if rng.chance(3) { "EUR" } else { "USD" }.into();
        opp.amount = rng.amount();
        if rng.chance(4) {
            opp.lines = (0..=rng.below(3))
                .map(|_| Line {
                    product: rng.chance(3).then(|| *rng.pick(&products)),
                    description: rng.pick(&TEXTS).replace(['\n', '\r'], " "),
                    quantity: Decimal::new(1 + rng.below(100_000) as i64, 3),
                    unit_price: Decimal::new(rng.below(10_000_000) as i64, 2),
                    discount_pct: Decimal::new(rng.below(1001) as i64, 1),
                })
                .collect();
            opp.amount_mode = AmountMode::FromLines;
            opp.amount = lines_amount(&opp.lines);
        }
        opp.expected_close = (!rng.chance(5)).then(|| rng.date());
        opp.active = !rng.chance(6);
        if stage.kind == StageKind::Open && rng.chance(3) {
            opp.probability = Decimal::new(rng.below(10_001) as i64, 2);
            opp.probability_overridden = true;
        }
        opp.forecast = *rng.pick(&forsat_core::domain::ForecastChoice::ALL);
        opp.competitor = rng.chance(3).then(|| *rng.pick(&competitors));
        if stage.kind == StageKind::Lost {
            opp.loss_reason = Some(*rng.pick(&reasons));
        }
        opp.description = match rng.below(4) {
            0 => "x".repeat(3000) + "\n" + *rng.pick(&TEXTS),
            _ => rng.pick(&TEXTS).to_string(),
        };
        opp.win_loss_report = rng.pick(&TEXTS).to_string();
        opp.priority = rng.below(4) as u8;
        let mut deal_tags = tags.clone();
        deal_tags.retain(|_| rng.chance(3));
        opp.tags = deal_tags;
        opp.updated = rng.moment();
        opp.stage_entered = rng.moment();
        opp.closed = (stage.kind != StageKind::Open).then(|| rng.date());
        batch.opportunities.push(opp);
    }
    let trash: Vec<Id> = batch
        .opportunities
        .iter()
        .filter(|o| o.id % 9 == 0)
        .map(|o| o.id)
        .collect();
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    if !trash.is_empty() {
        ws.apply(Command::Trash { ids: trash }).unwrap();
    }
}

#[test]
fn random_deals_survive_export_import_export_byte_for_byte() {
    for seed in [1, 2026, 0xF0F5A7] {
        let dir = TempDir::new().unwrap();
        let mut src = fresh(&dir, "src.redb");
        euro(&mut src);
        random_deals(&mut src, 200, seed);
        let first = csv(&src, Kind::Opportunities);
        assert!(first.contains(",true\r\n"), "some deals are in the trash");
        assert!(first.contains(",999999999999.99,") && first.contains(",0.01,"));

        let mut dst = fresh(&dir, "dst.redb");
        euro(&mut dst);
        let summary = import(&mut dst, first.as_bytes()).unwrap();
        assert_eq!(
            (summary.deals, summary.kept_ids),
            (200, true),
            "seed {seed}"
        );
        assert_eq!(summary.stages, 0);
        assert_same(&first, &csv(&dst, Kind::Opportunities));
        // Byte-identical files could still hide a text changed both ways: compare the texts.
        for o in src.opportunities() {
            let texts = |o: &Opportunity| {
                let lines: Vec<String> = o.lines.iter().map(|l| l.description.clone()).collect();
                (
                    o.name.clone(),
                    o.next_step.clone(),
                    o.description.clone(),
                    o.win_loss_report.clone(),
                    lines,
                )
            };
            assert_eq!(texts(o), texts(dst.opportunity(o.id).unwrap()));
        }

        // Into a database that already has deals: fresh ids, the same deals otherwise.
        let again = import(&mut dst, first.as_bytes()).unwrap();
        assert!(!again.kept_ids);
        assert_eq!((again.deals, again.accounts, again.lookups), (200, 0, 0));
        assert_eq!(dst.opportunity_count(), 400);
        // The board's columns after a big import are those a fresh start builds.
        let columns = |ws: &Workspace| -> Vec<(Vec<Id>, u64, Decimal)> {
            ws.stages_of(ws.default_pipeline().id)
                .map(|s| {
                    let column = ws.column(s.id);
                    (
                        column.ids.clone(),
                        column.totals.count,
                        column.totals.weighted,
                    )
                })
                .collect()
        };
        let imported = columns(&dst);
        let path = dst.path().to_owned();
        drop(dst);
        assert_eq!(imported, columns(&open(&path)), "seed {seed}");
    }
}

#[test]
fn cells_that_look_like_formulas_are_guarded_and_read_back_unchanged() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    for name in ["=SUM(A1)", "+1", "-2", "@x"] {
        create(&mut ws, "Acme", name, "0");
    }
    let id = create(&mut ws, "Acme", "Tabbed", "1500");
    let mut opp = ws.opportunity(id).unwrap().clone();
    // Tabs and line breaks are for multi-line text: a one-line field refuses them.
    opp.win_loss_report = "\tx".into();
    opp.description = "\rcarriage".into();
    ws.apply(Command::UpdateOpportunity {
        opp: Box::new(opp),
        new_account: None,
    })
    .unwrap();
    let text = csv(&ws, Kind::Opportunities);
    for guarded in ["'=SUM(A1)", "'+1", "'-2", "'@x", "'\tx", "\"'\rcarriage\""] {
        assert!(text.contains(guarded), "{guarded:?} in {text}");
    }
    assert!(
        !text.contains(",-"),
        "numbers are never guarded, and none is negative"
    );

    let mut other = fresh(&dir, "b.redb");
    import(&mut other, text.as_bytes()).unwrap();
    for name in ["=SUM(A1)", "+1", "-2", "@x"] {
        deal(&other, name);
    }
    assert_eq!(deal(&other, "Tabbed").win_loss_report, "\tx");
    assert_eq!(deal(&other, "Tabbed").description, "\rcarriage");
    assert_same(&text, &csv(&other, Kind::Opportunities));
}

#[test]
fn a_hand_written_file_with_quotes_newlines_persian_and_money_imports() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    create(&mut ws, "Acme", "Existing deal", "100");
    let accounts_before = ws.accounts().count();
    let summary = import(&mut ws, &fixture("hand.csv")).unwrap();
    assert_eq!(summary.format, Source::Forsat);
    assert_eq!((summary.rows, summary.deals), (3, 3));
    assert!(!summary.kept_ids);
    assert_eq!(summary.accounts, 2, "ACME is the stored Acme");
    assert_eq!(ws.accounts().count(), accounts_before + 2);
    assert_eq!(summary.contacts, 2);
    assert_eq!(summary.stages, 1);
    assert_eq!(summary.lookups, 4, "two salespeople and two tags");
    let messages = summary.messages.join("\n");
    assert!(messages.contains("“Colour”"), "{messages}");
    assert!(
        messages.contains("new stage “Negotiation” (open, 10 %)"),
        "{messages}"
    );
    assert!(
        messages.contains("new salespeople: Reza Karimi, Amélie Durand"),
        "{messages}"
    );

    let rollout = deal(&ws, "Rollout, phase 2");
    assert_eq!(
        ws.account(rollout.account).unwrap().name,
        "شرکت داده‌پردازان"
    );
    assert_eq!(
        ws.contact(rollout.contact.unwrap()).unwrap().name,
        "مریم حسینی"
    );
    assert_eq!(rollout.amount, Decimal::from(1500));
    assert_eq!(rollout.stage, stage(&ws, "Qualified"));
    assert_eq!(rollout.probability, Decimal::from(30));
    assert!(!rollout.probability_overridden);
    assert_eq!(
        rollout.expected_close,
        NaiveDate::from_ymd_opt(2026, 12, 31)
    );
    assert_eq!(rollout.description, "Line one\r\nline two with \"quotes\"");
    let tags: Vec<&str> = rollout
        .tags
        .iter()
        .map(|t| ws.lookup_name(Some(*t)))
        .collect();
    assert_eq!(tags, ["vip", "مشتری ویژه"]);
    assert_eq!(rollout.created, ws.now());

    let cafe = deal(&ws, "Café order");
    assert_eq!(cafe.amount, Decimal::ZERO, "an empty amount is zero");
    assert_eq!(cafe.expected_close, NaiveDate::from_ymd_opt(2027, 2, 1));
    let negotiation = ws.stage(cafe.stage).unwrap();
    assert_eq!(negotiation.name, "Negotiation");
    assert_eq!(negotiation.kind, StageKind::Open);
    assert_eq!(negotiation.pipeline, ws.default_pipeline().id);
    assert_eq!(ws.stage_totals(negotiation.id).count, 1);

    let renewal = deal(&ws, "Renewal");
    assert_eq!(ws.account(renewal.account).unwrap().name, "Acme");
    assert_eq!(renewal.amount, Decimal::from(2000));
    assert_eq!(renewal.stage, stage(&ws, "Won"));
    assert_eq!(renewal.probability, Decimal::ONE_HUNDRED);
    assert_eq!(renewal.closed, Some(ws.today()));
    assert_eq!(
        renewal.description, "=SUM(A1)",
        "one guarding apostrophe removed"
    );
    let events: Vec<(Option<Id>, Id)> = ws
        .stage_events()
        .iter()
        .filter(|e| e.opportunity == renewal.id)
        .map(|e| (e.from, e.to))
        .collect();
    // Created won: the file names no stage it went through, so it passed through them all.
    assert_eq!(events, [(None, stage(&ws, "Won"))]);
}

#[test]
fn day_and_month_order_is_read_from_the_whole_column() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let summary = import(&mut ws, &fixture("month-first.csv")).unwrap();
    assert!(summary.messages.is_empty(), "{:?}", summary.messages);
    let fleet = deal(&ws, "Fleet");
    assert_eq!(fleet.amount, "12500.50".parse().unwrap());
    assert_eq!(fleet.expected_close, NaiveDate::from_ymd_opt(2026, 12, 31));
    assert_eq!(fleet.closed, NaiveDate::from_ymd_opt(2026, 12, 15));
    let racking = deal(&ws, "Racking");
    assert_eq!(racking.expected_close, NaiveDate::from_ymd_opt(2027, 1, 2));
    assert_eq!(racking.amount, Decimal::from(900));

    // No value decides: the settings' date format does, and the import says so.
    let mut other = fresh(&dir, "b.redb");
    let english = forsat_i18n::current();
    forsat_i18n::install(forsat_i18n::Local {
        date_format: DateFormat::MonthDayYear,
        ..english
    });
    let summary = import(&mut other, &fixture("ambiguous-dates.csv")).unwrap();
    assert!(
        summary.messages[0].contains("month/day/year"),
        "{:?}",
        summary.messages
    );
    assert_eq!(
        deal(&other, "First").expected_close,
        NaiveDate::from_ymd_opt(2027, 1, 2)
    );
    forsat_i18n::install(english);
    let mut third = fresh(&dir, "c.redb");
    import(&mut third, &fixture("ambiguous-dates.csv")).unwrap();
    assert_eq!(
        deal(&third, "First").expected_close,
        NaiveDate::from_ymd_opt(2027, 2, 1)
    );
}

#[test]
fn a_semicolon_file_with_decimal_commas_imports() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    euro(&mut ws);
    let summary = import(&mut ws, &fixture("semicolon.csv")).unwrap();
    assert_eq!(summary.deals, 2);
    let solar = deal(&ws, "Solaranlage");
    assert_eq!(
        (solar.amount, solar.currency.as_str()),
        (Decimal::from(1500), "EUR")
    );
    assert_eq!(solar.probability, "35.5".parse().unwrap());
    assert!(solar.probability_overridden);
    assert_eq!(solar.expected_close, NaiveDate::from_ymd_opt(2027, 3, 2));
    assert_eq!(deal(&ws, "Wartung").amount, Decimal::from(12000));
}

/// Everything a bad import must leave as it was.
fn state(ws: &Workspace) -> (usize, usize, u64, Id, String, String) {
    (
        ws.opportunity_count(),
        ws.accounts().count(),
        ws.generation(),
        ws.next_id(),
        csv(ws, Kind::Opportunities),
        csv(ws, Kind::History),
    )
}

#[test]
fn a_bad_row_stops_the_import_and_the_database_is_left_as_it_was() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    create(&mut ws, "Acme", "Before", "10");
    let before = state(&ws);
    let bytes = fixture("bad-rows.csv");

    let Err(ImportError::BadRows { errors, rows, .. }) = import(&mut ws, &bytes) else {
        panic!("the bad rows are refused");
    };
    assert_eq!(rows, 2);
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "row 3, amount “12abc”: “12abc” is not a number",
            "row 4, expected_close “2027-02-30”: “2027-02-30” is not a date (use YYYY-MM-DD)",
            "row 4, probability “150”: must be between 0 and 100",
        ]
    );
    assert_eq!(state(&ws), before);
    let path = ws.path().to_owned();
    drop(ws);
    let mut ws = open(&path);
    assert_eq!(state(&ws).4, before.4, "nothing reached the file");

    // A dry run checks and counts, and writes nothing.
    let options = ImportOptions {
        dry_run: true,
        skip_bad_rows: true,
        ..ImportOptions::default()
    };
    let before = state(&ws);
    let summary = interchange::import(&mut ws, &bytes, &options).unwrap();
    assert!(summary.dry_run);
    assert_eq!(
        (summary.deals, summary.accounts, summary.skipped_rows),
        (2, 1, 2)
    );
    assert_eq!(state(&ws), before);

    // Skipping bad rows imports the rest and reports the skipped ones.
    let options = ImportOptions {
        skip_bad_rows: true,
        ..ImportOptions::default()
    };
    let summary = interchange::import(&mut ws, &bytes, &options).unwrap();
    assert_eq!((summary.deals, summary.skipped_rows), (2, 2));
    assert_eq!(summary.errors.len(), 3);
    assert_eq!(summary.errors[0].row, 3);
    assert_eq!(ws.opportunity_count(), 3);
    deal(&ws, "Good one");
    assert_eq!(deal(&ws, "Good two").stage, stage(&ws, "Qualified"));
}

#[test]
fn files_that_are_not_deals_are_refused_with_a_reason() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let refused = |ws: &mut Workspace, bytes: &[u8]| match import(ws, bytes) {
        Err(ImportError::Unreadable(why)) => why,
        other => panic!("{other:?}"),
    };
    assert!(refused(&mut ws, b"").contains("empty"));
    assert!(refused(&mut ws, b"\xff\xfeA,B\n").contains("UTF-8"));
    assert!(refused(&mut ws, b"Colour,Size\nred,1\n").contains("Colour, Size"));
    let forced = interchange::import(
        &mut ws,
        b"Name,Stage\nX,New\n",
        &ImportOptions {
            from: Source::Forsat,
            ..ImportOptions::default()
        },
    );
    assert!(matches!(forced, Err(ImportError::Unreadable(why)) if why.contains("account")));
    // A currency the database does not list is a bad cell, like on the form.
    let Err(ImportError::BadRows { errors, .. }) = import(&mut ws, b"account,currency\nAcme,GBP\n")
    else {
        panic!("GBP is not listed");
    };
    assert!(errors[0].reason.contains("not in the list of currencies"));
    assert_eq!(ws.opportunity_count(), 0);
    // A header without rows imports nothing and writes nothing.
    let generation = ws.generation();
    let summary = import(&mut ws, columns::opportunities().join(",").as_bytes()).unwrap();
    assert_eq!((summary.rows, summary.deals), (0, 0));
    assert_eq!(ws.generation(), generation);
}

#[test]
fn a_new_pipeline_and_its_stages_are_created_from_the_file() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let file = "account,name,pipeline,stage,probability,closed\r\n\
                Acme,One,Enterprise,Discovery,20,\r\n\
                Acme,Two,Enterprise,Signed,100,2026-10-01\r\n\
                Acme,Three,enterprise,Dropped,0,2026-10-02\r\n";
    let summary = import(&mut ws, file.as_bytes()).unwrap();
    assert_eq!(
        (summary.pipelines, summary.stages, summary.deals),
        (1, 3, 3)
    );
    let pipeline = ws
        .pipelines()
        .iter()
        .find(|p| p.name == "Enterprise")
        .unwrap()
        .id;
    let stages: Vec<(String, StageKind)> = ws
        .stages_of(pipeline)
        .map(|s| (s.name.clone(), s.kind))
        .collect();
    assert_eq!(
        stages,
        [
            ("Discovery".to_owned(), StageKind::Open),
            ("Signed".to_owned(), StageKind::Won),
            ("Dropped".to_owned(), StageKind::Lost),
        ]
    );
    let two = deal(&ws, "Two");
    assert_eq!(two.closed, NaiveDate::from_ymd_opt(2026, 10, 1));
    let closing = ws
        .stage_events()
        .iter()
        .find(|e| e.opportunity == two.id && e.to == two.stage)
        .unwrap();
    // Closed before it was created (the file has no created column): closed on creation.
    assert_eq!(closing.at, two.created);
    assert_eq!(ws.stage_totals(deal(&ws, "One").stage).count, 1);
}

#[test]
fn the_other_kinds_and_a_selection_export_too() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let a = create(&mut ws, "Acme", "Alpha", "100");
    let b = create(&mut ws, "Globex", "Beta", "200");
    ws.apply(Command::MoveToStage {
        opp: a,
        stage: stage(&ws, "Won"),
        loss_reason: None,
    })
    .unwrap();
    let accounts = csv(&ws, Kind::Accounts);
    assert!(accounts.starts_with("id,name,source,industry,phone,email,website,address,notes\r\n"));
    assert_eq!(accounts.lines().count(), 3);
    let events = csv(&ws, Kind::StageEvents);
    assert!(events.starts_with("id,opportunity,opportunity_name,pipeline,from,to,at\r\n"));
    assert!(
        events.contains(",Alpha,Sales,New,Won,2026-11-22T09:30:00Z\r\n"),
        "{events}"
    );
    let history = csv(&ws, Kind::History);
    assert!(history.contains(",stage,New,Won\r\n"), "{history}");

    let only_b = interchange::export_filtered(&ws, Kind::Opportunities, &[b], Format::Csv).unwrap();
    let only_b = String::from_utf8(only_b).unwrap();
    assert_eq!(only_b.lines().count(), 2);
    assert!(only_b.contains(",Beta,Globex,"));
    let b_events = interchange::export_filtered(&ws, Kind::StageEvents, &[b], Format::Csv).unwrap();
    assert_eq!(String::from_utf8(b_events).unwrap().lines().count(), 2);
    let b_accounts = interchange::export_filtered(&ws, Kind::Accounts, &[b], Format::Csv).unwrap();
    assert!(String::from_utf8(b_accounts).unwrap().contains(",Globex,"));
}

#[test]
fn xlsx_exports_are_workbooks() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    euro(&mut ws);
    let (batch, _) = forsat_app::demo::generate(&ws, 30, 3);
    ws.apply(Command::InsertBatch(Box::new(batch))).unwrap();
    for what in Kind::ALL {
        let bytes = interchange::export(&ws, what, Format::Xlsx).unwrap();
        assert!(bytes.starts_with(b"PK\x03\x04"), "{what:?} is a zip");
        let has = |name: &[u8]| bytes.windows(name.len()).any(|w| w == name);
        assert!(has(b"[Content_Types].xml"));
        assert!(has(b"xl/worksheets/sheet1.xml"));
    }
    let path = dir.path().join("deals.xlsx");
    assert_eq!(Format::of_path(&path), Format::Xlsx);
    interchange::export_to(
        &ws,
        Kind::Opportunities,
        None,
        Format::Xlsx,
        &path,
        Replace::Refuse,
    )
    .unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > 1000);
}

pub(crate) fn owner<'a>(ws: &'a Workspace, opp: &Opportunity) -> &'a str {
    ws.lookup_name(opp.salesperson)
}

pub(crate) fn stage_name<'a>(ws: &'a Workspace, opp: &Opportunity) -> &'a str {
    &ws.stage(opp.stage).unwrap().name
}

#[test]
fn an_odoo_export_with_labels_imports_with_its_outcomes_and_totals() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let summary = import(&mut ws, &fixture("odoo-labels.csv")).unwrap();
    assert_eq!(summary.format, Source::Odoo);
    assert_eq!((summary.rows, summary.deals), (5, 5));
    let messages = summary.messages.join("\n");
    assert!(messages.contains("“Properties”"), "{messages}");
    assert!(messages.contains("“Sales Team”"), "{messages}");
    assert!(
        messages.contains("new stage “Demo Scheduled” (open, 50 %)"),
        "{messages}"
    );

    let design = deal(&ws, "Office Design \"Phase 2\"");
    assert_eq!(ws.account(design.account).unwrap().name, "Deco Addict");
    assert_eq!(design.amount, dec("24000"));
    assert_eq!(stage_name(&ws, design), "Qualified");
    assert_eq!(owner(&ws, design), "Mitchell Admin");
    assert_eq!(design.priority, 2);
    assert_eq!(design.description, "Two floors\nopen plan");
    let tags: Vec<&str> = design
        .tags
        .iter()
        .map(|t| ws.lookup_name(Some(*t)))
        .collect();
    assert_eq!(tags, ["Design", "Office"]);
    assert_eq!(design.created.to_rfc3339(), "2026-03-01T10:15:00+00:00");

    let persian = deal(&ws, "فروش سرور");
    assert_eq!(persian.amount, Decimal::ZERO, "an empty amount is zero");
    assert_eq!(owner(&ws, persian), "سارا احمدی");
    assert_eq!(stage_name(&ws, persian), "Proposition");

    let cafe = deal(&ws, "Café machines");
    assert_eq!(ws.account(cafe.account).unwrap().name, "Société Générale");
    assert_eq!(cafe.amount, dec("18500.50"));
    assert_eq!(stage_name(&ws, cafe), "Won");
    assert_eq!(cafe.priority, 3);

    // Archived at 0 %: lost, in the Lost column with its reason.
    let lost = deal(&ws, "Lost deal");
    assert_eq!(stage_name(&ws, lost), "Lost");
    assert!(lost.active);
    assert_eq!(ws.lookup_name(lost.loss_reason), "Too expensive");
    assert_eq!(lost.closed, NaiveDate::from_ymd_opt(2026, 5, 31));
    let events = ws
        .stage_events()
        .iter()
        .filter(|e| e.opportunity == lost.id)
        .count();
    assert_eq!(events, 2, "created, then lost");

    let demo = deal(&ws, "Demo prep");
    assert_eq!(demo.currency, ws.settings().base_currency);

    assert_eq!(column(&ws, "Qualified"), (1, dec("24000")));
    assert_eq!(column(&ws, "Proposition"), (1, Decimal::ZERO));
    assert_eq!(column(&ws, "Won"), (1, dec("18500.50")));
    assert_eq!(column(&ws, "Lost"), (1, dec("5000")));
    assert_eq!(column(&ws, "Demo Scheduled"), (1, dec("7500")));
}

#[test]
fn an_odoo_export_with_technical_names_imports() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let summary = import(&mut ws, &fixture("odoo-technical.csv")).unwrap();
    assert_eq!(summary.format, Source::Odoo);
    assert_eq!(summary.deals, 4);
    let renewal = deal(&ws, "Renewal, 2027");
    assert_eq!(renewal.amount, dec("12000"));
    assert_eq!(stage_name(&ws, renewal), "New");
    assert_eq!(ws.lookup_name(renewal.source), "Website");
    assert_eq!(ws.lookup_name(renewal.campaign), "Fall Promo");
    assert_eq!(renewal.tags.len(), 2);
    assert_eq!(renewal.priority, 1);
    let tender = deal(&ws, "Lost tender");
    assert_eq!(stage_name(&ws, tender), "Lost");
    assert_eq!(owner(&ws, tender), "Marc Demo");
    assert_eq!(ws.lookup_name(tender.loss_reason), "Not enough stock");
    // Archived at 10 %: only archived, off the board.
    let archived = deal(&ws, "Archived only");
    assert!(!archived.active);
    assert_eq!(stage_name(&ws, archived), "New");
    let signed = deal(&ws, "Signed");
    assert_eq!(stage_name(&ws, signed), "Won");
    assert_eq!(signed.description, "Çà et là");
    assert_eq!(column(&ws, "New"), (1, dec("12000")));
    assert_eq!(column(&ws, "Won"), (1, dec("2500")));
    assert_eq!(column(&ws, "Lost"), (1, dec("9000")));
}

#[test]
fn a_suitecrm_export_with_locale_money_and_dates_imports() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    create(&mut ws, "Acme", "Existing deal", "100");
    let summary = import(&mut ws, &fixture("suitecrm.csv")).unwrap();
    assert_eq!(summary.format, Source::Suitecrm);
    assert_eq!(summary.deals, 5);
    let messages = summary.messages.join("\n");
    assert!(messages.contains("“Custom Field”"), "{messages}");
    // New stages in SuiteCRM's order, open, at their deals' probability.
    let names: Vec<(String, StageKind, Decimal)> = ws
        .stages_of(ws.default_pipeline().id)
        .map(|s| (s.name.clone(), s.kind, s.probability))
        .skip(5)
        .collect();
    assert_eq!(
        names,
        [
            ("Prospecting".to_owned(), StageKind::Open, dec("10")),
            ("Negotiation/Review".to_owned(), StageKind::Open, dec("80")),
        ]
    );

    let hosting = deal(&ws, "Hosting \"Gold\"");
    assert_eq!(ws.account(hosting.account).unwrap().name, "Müller GmbH");
    assert_eq!(hosting.amount, dec("1500"));
    assert_eq!(hosting.currency, ws.settings().base_currency);
    assert_eq!(
        hosting.expected_close,
        NaiveDate::from_ymd_opt(2026, 12, 31)
    );
    assert_eq!(hosting.business_type, BusinessType::New);
    assert_eq!(hosting.next_step, "Call back");
    assert_eq!(hosting.description, "Line one\nline two");
    assert_eq!(owner(&ws, hosting), "sally");
    assert_eq!(hosting.created.to_rfc3339(), "2026-11-01T09:30:00+00:00");

    let persian = deal(&ws, "نرم‌افزار حسابداری");
    assert_eq!(persian.amount, dec("12250.50"));
    assert_eq!(persian.business_type, BusinessType::Existing);
    assert_eq!(stage_name(&ws, persian), "Negotiation/Review");

    let win = deal(&ws, "Big win");
    assert_eq!(stage_name(&ws, win), "Won");
    assert_eq!(win.closed, NaiveDate::from_ymd_opt(2026, 6, 30));
    assert_eq!(win.account, deal(&ws, "Existing deal").account);
    let dropped = deal(&ws, "Dropped");
    assert_eq!(stage_name(&ws, dropped), "Lost");
    assert_eq!(dropped.amount, Decimal::ZERO);
    assert_eq!(dropped.closed, NaiveDate::from_ymd_opt(2026, 7, 15));

    assert_eq!(column(&ws, "Prospecting"), (2, dec("2000")));
    assert_eq!(column(&ws, "Negotiation/Review"), (1, dec("12250.50")));
    assert_eq!(column(&ws, "Won"), (1, dec("3000")));
    assert_eq!(column(&ws, "Lost"), (1, Decimal::ZERO));
}

#[test]
fn a_pipedrive_export_imports_open_won_and_lost_deals() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let summary = import(&mut ws, &fixture("pipedrive.csv")).unwrap();
    assert_eq!(summary.format, Source::Pipedrive);
    assert_eq!(summary.deals, 4);
    assert_eq!(summary.pipelines, 0, "Sales is the stored pipeline");
    // Contact Made, and Negotiations Started where the won deal was: won and lost deals
    // end in Won and Lost.
    let added: Vec<&str> = summary.new_stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(added, ["Contact Made", "Negotiations Started"]);
    let messages = summary.messages.join("\n");
    assert!(messages.contains("“Deal - Notes”"), "{messages}");

    let fleet = deal(&ws, "Fleet \"XL\" order");
    assert_eq!(ws.account(fleet.account).unwrap().name, "Ørsted Logistik");
    assert_eq!(
        ws.contact(fleet.contact.unwrap()).unwrap().name,
        "Åsa Lindqvist"
    );
    assert_eq!(fleet.amount, dec("25000"));
    assert_eq!(stage_name(&ws, fleet), "Qualified");
    assert_eq!(owner(&ws, fleet), "Jane Roe");
    assert_eq!(fleet.tags.len(), 2);

    let support = deal(&ws, "قرارداد پشتیبانی");
    assert_eq!(support.amount, Decimal::ZERO);
    assert_eq!(stage_name(&ws, support), "Contact Made");

    let won = deal(&ws, "Won deal");
    assert_eq!(stage_name(&ws, won), "Won");
    assert_eq!(won.probability, Decimal::ONE_HUNDRED);
    assert_eq!(won.closed, NaiveDate::from_ymd_opt(2026, 8, 15));
    let closing = ws
        .stage_events()
        .iter()
        .find(|e| e.opportunity == won.id && e.from.is_some())
        .unwrap();
    assert_eq!(closing.at.to_rfc3339(), "2026-08-15T16:45:00+00:00");
    assert_eq!(
        ws.stage(closing.from.unwrap()).unwrap().name,
        "Negotiations Started",
        "won from the stage the file names"
    );
    let lost = deal(&ws, "Lost deal");
    assert_eq!(stage_name(&ws, lost), "Lost");
    assert_eq!(ws.lookup_name(lost.loss_reason), "Price");
    assert_eq!(lost.closed, NaiveDate::from_ymd_opt(2026, 7, 10));

    assert_eq!(column(&ws, "Qualified"), (1, dec("25000")));
    assert_eq!(column(&ws, "Contact Made"), (1, Decimal::ZERO));
    assert_eq!(column(&ws, "Won"), (1, dec("4200.75")));
    assert_eq!(column(&ws, "Lost"), (1, dec("800")));
}

#[test]
fn a_foreign_format_can_be_forced_and_checked_dry() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let options = ImportOptions {
        from: Source::Pipedrive,
        dry_run: true,
        ..ImportOptions::default()
    };
    let generation = ws.generation();
    let summary = interchange::import(&mut ws, &fixture("pipedrive.csv"), &options).unwrap();
    assert_eq!((summary.format, summary.deals), (Source::Pipedrive, 4));
    assert_eq!(ws.generation(), generation);
    let bad = "Deal - Title,Deal - Status\r\nX,maybe\r\n";
    let Err(ImportError::BadRows { errors, .. }) = import(&mut ws, bad.as_bytes()) else {
        panic!("maybe is no status");
    };
    assert_eq!(errors[0].column, "Deal - Status");
}

#[test]
fn the_users_column_mapping_goes_over_the_formats() {
    use forsat_app::interchange::{FileColumn, ImportJob, Target};
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let file = "Deal - Title,Deal - Value,Budget,Deal - Organization,Deal - Owner\r\n\
                Kiosks,100,7500,Nordwind GmbH,Lucas Martin\r\n";
    let amount = Target::Column(FileColumn::Field(Field::Amount));
    let options = ImportOptions {
        // Budget is what the deal is worth; the owner is not to be imported.
        columns: [(2, amount), (4, Target::Ignored)].into(),
        ..ImportOptions::default()
    };
    let job = ImportJob::start(file.as_bytes(), &options).unwrap();
    assert_eq!(job.format(), Source::Pipedrive);
    assert_eq!(
        job.targets(),
        [
            Some(Target::Column(FileColumn::Field(Field::Name))),
            Some(Target::Ignored),
            Some(amount),
            Some(Target::Column(FileColumn::Field(Field::Account))),
            Some(Target::Ignored),
        ]
    );
    let summary = interchange::import(&mut ws, file.as_bytes(), &options).unwrap();
    assert!(
        summary.messages.iter().all(|m| !m.contains("Deal - Value")),
        "a column that gives way to the user's choice is not reported: {:?}",
        summary.messages
    );
    let kiosks = deal(&ws, "Kiosks");
    assert_eq!(kiosks.amount, Decimal::from(7_500));
    assert_eq!(kiosks.salesperson, None);
    // Without the mapping the same file takes the value and the owner.
    import(&mut ws, file.as_bytes()).unwrap();
    let amounts: Vec<Decimal> = ws
        .opportunities()
        .filter(|o| o.name == "Kiosks")
        .map(|o| o.amount)
        .collect();
    assert!(amounts.contains(&Decimal::from(100)), "{amounts:?}");
}

#[test]
fn an_import_checked_a_slice_at_a_time_plans_what_one_go_plans() {
    use forsat_app::interchange::ImportJob;
    let dir = TempDir::new().unwrap();
    let ws = fresh(&dir, "a.redb");
    let bytes = fixture("pipedrive.csv");
    let options = ImportOptions::default();
    let mut job = ImportJob::start(bytes.as_slice(), &options).unwrap();
    let rows = job.rows();
    assert!(rows > 2);
    assert_eq!(job.sample(2).count(), 2);
    let mut progress = vec![job.checked()];
    while !job.step(&ws, 1) {
        progress.push(job.checked());
    }
    assert_eq!(progress, (0..rows).collect::<Vec<_>>(), "one row per step");
    let (stepped, command) = job.finish(&ws).unwrap();
    let (at_once, _) = interchange::prepare_import(&ws, &bytes, &options).unwrap();
    assert_eq!(stepped, at_once);
    assert!(command.is_some());
    assert_eq!(ws.opportunity_count(), 0, "planning writes nothing");
}

#[test]
fn headers_other_spreadsheets_use_are_guessed_once_each() {
    use forsat_app::interchange::{FileColumn, ImportJob, Target};
    let options = ImportOptions {
        from: Source::Forsat,
        ..ImportOptions::default()
    };
    let file = "Deal,Company,Client,Value,Stage,Colour\r\nKiosks,Nordwind,Acme,10,New,red\r\n";
    let job = ImportJob::start(file.as_bytes(), &options).unwrap();
    let field = |f| Target::Column(FileColumn::Field(f));
    // "Client" would be the account too, but "Company" came first; "Stage" is Forsat's own.
    assert_eq!(
        job.guesses().into_iter().collect::<Vec<_>>(),
        [
            (0, field(Field::Name)),
            (1, field(Field::Account)),
            (3, field(Field::Amount)),
        ]
    );
}

/// A big file is checked on every core: the bad cells still come in the file's order with
/// their row numbers, the date format of the settings still names itself in their messages,
/// and the good rows are imported in order.
#[test]
fn a_big_file_checked_on_every_core_reports_and_imports_in_the_files_order() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let mut settings = ws.settings().clone();
    settings.date_format = DateFormat::DayMonthYear;
    ws.apply(Command::Change(Box::new(ws.settings_change(settings))))
        .unwrap();
    let mut file = String::from("name,account,amount,expected_close\r\n");
    let bad = [5, 4_000, 9_000, 11_999];
    for n in 0..12_000 {
        let close = if bad.contains(&n) {
            "31/02/2027"
        } else {
            "01/03/2027"
        };
        write!(file, "Deal {n},Account {},{n},{close}\r\n", n % 50).unwrap();
    }
    let Err(ImportError::BadRows { errors, rows, .. }) = import(&mut ws, file.as_bytes()) else {
        panic!("the bad rows are refused");
    };
    assert_eq!(rows, 4);
    assert_eq!(
        errors.iter().map(|e| e.row).collect::<Vec<_>>(),
        bad.map(|n| n + 2),
        "header is row 1"
    );
    assert!(
        errors[3].to_string().contains("DD/MM/YYYY"),
        "{}",
        errors[3]
    );
    let options = ImportOptions {
        skip_bad_rows: true,
        ..ImportOptions::default()
    };
    let summary = interchange::import(&mut ws, file.as_bytes(), &options).unwrap();
    assert_eq!((summary.deals, summary.accounts), (11_996, 50));
    let mut deals: Vec<&Opportunity> = ws.opportunities().collect();
    deals.sort_by_key(|o| o.id);
    let names: Vec<&str> = deals.iter().map(|o| o.name.as_str()).collect();
    let expected: Vec<String> = (0..12_000)
        .filter(|n| !bad.contains(n))
        .map(|n| format!("Deal {n}"))
        .collect();
    assert_eq!(names, expected);
    assert_eq!(deals[0].expected_close, NaiveDate::from_ymd_opt(2027, 3, 1));
}

/// The bad cells of an import that was refused for them.
pub(crate) fn bad_cells(result: Result<ImportSummary, ImportError>) -> Vec<String> {
    match result {
        Err(ImportError::BadRows { errors, .. }) => {
            errors.iter().map(ToString::to_string).collect()
        }
        other => panic!("expected bad rows, got {other:?}"),
    }
}

#[test]
fn a_quote_left_open_is_refused_at_its_row_and_quoted_line_breaks_still_import() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    // Row 3 opens a quote that never closes: rows 4-7 would have become its notes.
    let refused = import(&mut ws, &fixture("odoo-open-quote.csv")).unwrap_err();
    let said = refused.to_string();
    assert!(matches!(refused, ImportError::Unreadable(_)), "{said}");
    assert!(
        said.starts_with("row 3: a quoted cell opens here and is never closed"),
        "{said}"
    );
    assert_eq!(ws.opportunity_count(), 0);
    // Closed, the same file imports every row, the two-line notes whole.
    let fixed = String::from_utf8(fixture("odoo-open-quote.csv"))
        .unwrap()
        .replace("\"Standing desks,", "Standing desks,");
    let summary = import(&mut ws, fixed.as_bytes()).unwrap();
    assert_eq!((summary.rows, summary.deals), (6, 6));
    assert_eq!(
        deal(&ws, "Office chairs").description,
        "Two floors\r\nopen plan"
    );
    // The exports of the other systems, with their multi-line cells, import every row too.
    for name in ["pipedrive.csv", "suitecrm.csv", "odoo-labels.csv"] {
        let summary = import(&mut ws, &fixture(name)).unwrap();
        assert_eq!(summary.deals, summary.rows, "{name}");
    }
}

#[test]
fn a_row_with_more_cells_than_the_header_is_refused_at_its_row() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    let errors = bad_cells(import(&mut ws, &fixture("pipedrive-extra-cells.csv")));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("row 3, after the last column"),
        "{errors:?}"
    );
    assert!(
        errors[0].contains("the row has 10 cells but the header only 9"),
        "{errors:?}"
    );
    assert_eq!(ws.opportunity_count(), 0);
    // A trailing separator (an empty cell past the end) is no harm.
    import(
        &mut ws,
        b"account,name,amount\r\nAcme,Trailing,10,\r\nAcme,Plain,20\r\n",
    )
    .unwrap();
    assert_eq!(ws.opportunity_count(), 2);
}

#[test]
fn an_amount_written_with_its_currency_is_taken_in_it_or_refused() {
    let dir = TempDir::new().unwrap();
    let mut ws = fresh(&dir, "a.redb");
    euro(&mut ws);
    let errors = bad_cells(import(&mut ws, &fixture("odoo-currencies.csv")));
    assert_eq!(
        errors,
        [
            "row 6, Expected Revenue “£12”: “GBP” is not in the list of currencies: add it with its rate first",
            "row 7, Expected Revenue “12 IRR”: “IRR” is not in the list of currencies: add it with its rate first",
            "row 8, Expected Revenue “12 EUR”: is written in “EUR” but the currency column says USD",
            "row 9, Expected Revenue “12 apples”: “apples” beside the amount is not a currency Forsat knows: write the amount alone and the currency's code in the currency column",
            "row 10, Expected Revenue “1500 kr”: “kr” may be any of SEK, NOK, DKK, ISK: write the code (like 12 SEK) or fill the currency column",
        ]
    );
    assert_eq!(ws.opportunity_count(), 0);
    // The good rows alone: each amount in the currency it was written in.
    let options = ImportOptions {
        skip_bad_rows: true,
        ..ImportOptions::default()
    };
    let summary =
        interchange::import(&mut ws, fixture("odoo-currencies.csv").as_slice(), &options).unwrap();
    assert_eq!((summary.deals, summary.skipped_rows), (4, 5));
    let money = |ws: &Workspace, name: &str| {
        let d = deal(ws, name);
        (d.amount, d.currency.clone())
    };
    assert_eq!(money(&ws, "Euro suffix"), (dec("12"), "EUR".to_owned()));
    assert_eq!(money(&ws, "Euro sign"), (dec("12"), "EUR".to_owned()));
    assert_eq!(
        money(&ws, "Dollars grouped"),
        (dec("1200.50"), "USD".to_owned())
    );
    assert_eq!(
        money(&ws, "Euro sign and column"),
        (dec("99.90"), "EUR".to_owned())
    );
    // Decimal commas and the euro sign after the amount, SuiteCRM's currency by its name.
    let summary = import(&mut ws, &fixture("suitecrm-euro.csv")).unwrap();
    assert_eq!(summary.deals, 2);
    assert_eq!(money(&ws, "Wartung"), (dec("1200.50"), "EUR".to_owned()));
    assert_eq!(money(&ws, "Montage"), (dec("12000"), "EUR".to_owned()));
}

fn import(ws: &mut Workspace, bytes: &[u8]) -> Result<ImportSummary, ImportError> {
    interchange::import(ws, bytes, &ImportOptions::default())
}

fn put(ws: &mut Workspace, record: Record) {
    ws.apply(Command::Change(Box::new(Change::put(record))))
        .unwrap();
}

/// New lookups of one kind in `batch`; names starting with O are inactive.
fn lookups(
    batch: &mut Batch,
    take: &mut dyn FnMut() -> Id,
    kind: LookupKind,
    names: &[&str],
) -> Vec<Id> {
    names
        .iter()
        .map(|name| {
            let id = take();
            batch.lookups.push(Lookup {
                id,
                kind,
                name: (*name).into(),
                active: !name.starts_with('O'),
            });
            id
        })
        .collect()
}

/// A stage of the default pipeline by name, and its board column's count and amount.
fn column(ws: &Workspace, name: &str) -> (u64, Decimal) {
    let id = ws
        .stages_of(ws.default_pipeline().id)
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no stage {name}"))
        .id;
    let totals = ws.stage_totals(id);
    (totals.count, totals.expected)
}
