//! Every report on a small hand-made pipeline whose figures are worked out by hand below.

#![allow(
    clippy::unwrap_used,
    reason = "a panic in a test's helper is the test failing, as in the test itself"
)]

use chrono::{DateTime, TimeZone as _, Utc};
use forsat_core::analytics::facts::{Facts, Sources};
use forsat_core::analytics::reports::{
    self, Cause, Data, FunnelRow, GridRow, GroupBy, LeakageRow, Params, Period, PipelineRow,
    Records, Rows, Scope, WinLossBy, WinLossRow,
};
use forsat_core::domain::{
    Account, Currency, ForecastCategory, ForecastChoice, Id, Lookup, LookupKind, Opportunity,
    Pipeline, Rates, Settings, Stage, StageEvent, StageKind,
};
use rust_decimal::Decimal;

mod common;
use common::reports::day;

const SALES: Id = 1;
const OTHER: Id = 2;
const NEW: Id = 10;
const QUALIFIED: Id = 11;
const PROPOSITION: Id = 12;
const WON: Id = 13;
const LOST: Id = 14;
const OTHER_NEW: Id = 20;
const REZA: Id = 30;
const AMELIE: Id = 31;
const PRICE: Id = 40;
const TIMING: Id = 41;

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// The hand-made data: two pipelines, two salespeople, two loss reasons, a euro at 1.10.
struct World {
    pipelines: Vec<Pipeline>,
    stages: Vec<Stage>,
    lookups: Vec<Lookup>,
    deals: Vec<Opportunity>,
    events: Vec<StageEvent>,
    rates: Rates,
}

impl World {
    #[expect(
        clippy::too_many_lines,
        reason = "one scenario, or one table of cases, read top to bottom"
    )]
    fn new() -> World {
        let pipelines = vec![
            Pipeline {
                id: SALES,
                name: "Sales".into(),
                sequence: 0,
            },
            Pipeline {
                id: OTHER,
                name: "Other".into(),
                sequence: 1,
            },
        ];
        let stages = vec![
            stage(NEW, SALES, "New", 0, 10, StageKind::Open),
            stage(QUALIFIED, SALES, "Qualified", 1, 30, StageKind::Open),
            stage(PROPOSITION, SALES, "Proposition", 2, 70, StageKind::Open),
            stage(WON, SALES, "Won", 3, 100, StageKind::Won),
            stage(LOST, SALES, "Lost", 4, 0, StageKind::Lost),
            stage(OTHER_NEW, OTHER, "Inbound", 0, 20, StageKind::Open),
        ];
        let lookup = |id, kind, name: &str| Lookup {
            id,
            kind,
            name: name.to_owned(),
            active: true,
        };
        let lookups = vec![
            lookup(REZA, LookupKind::Salesperson, "Reza Karimi"),
            lookup(AMELIE, LookupKind::Salesperson, "Amélie Durand"),
            lookup(PRICE, LookupKind::LossReason, "Price"),
            lookup(TIMING, LookupKind::LossReason, "Timing"),
        ];
        let euro = Currency {
            id: 90,
            code: "EUR".into(),
            name: "Euro".into(),
            rate: dec("1.10"),
            rate_date: day("2026-11-01"),
            active: true,
        };
        let rates = Rates::new("USD", [&euro]);
        let mut world = World {
            pipelines,
            stages,
            lookups,
            deals: Vec::new(),
            events: Vec::new(),
            rates,
        };
        // A: every stage in turn, then won on 5 October.
        world.deal(
            100,
            "A",
            &[NEW, QUALIFIED, PROPOSITION, WON],
            "1000",
            "USD",
            |o| {
                o.salesperson = Some(REZA);
                o.closed = Some(day("2026-10-05"));
                o.created = at("2026-01-10");
            },
        );
        // B: skips Qualified; 2000 EUR = 2200 USD at 70 %.
        world.deal(101, "B", &[NEW, PROPOSITION], "2000", "EUR", |o| {
            o.salesperson = Some(AMELIE);
            o.expected_close = Some(day("2026-12-15"));
            o.created = at("2026-02-01");
        });
        // C: moved back from Qualified to New; no close date.
        world.deal(102, "C", &[NEW, QUALIFIED, NEW], "500", "USD", |o| {
            o.salesperson = Some(REZA);
            o.expected_close = None;
            o.created = at("2026-03-01");
        });
        // D: lost from Qualified, for its price.
        world.deal(103, "D", &[NEW, QUALIFIED, LOST], "800", "USD", |o| {
            o.salesperson = Some(AMELIE);
            o.loss_reason = Some(PRICE);
            o.closed = Some(day("2026-09-10"));
            o.created = at("2026-03-05");
        });
        // E: lost from New, then reopened in Qualified.
        world.deal(104, "E", &[NEW, LOST, QUALIFIED], "300", "USD", |o| {
            o.salesperson = Some(REZA);
            o.expected_close = Some(day("2027-01-20"));
            o.created = at("2026-04-01");
        });
        // F: lost from New, 400 EUR = 440 USD.
        world.deal(105, "F", &[NEW, LOST], "400", "EUR", |o| {
            o.salesperson = Some(REZA);
            o.loss_reason = Some(TIMING);
            o.closed = Some(day("2026-08-01"));
            o.created = at("2026-04-02");
        });
        // G: in the trash — on no report.
        world.deal(106, "G", &[NEW], "9999", "USD", |o| {
            o.created = at("2026-04-03");
        });
        // H: the other pipeline, not in the forecast.
        world.deal(107, "H", &[OTHER_NEW], "700", "USD", |o| {
            o.salesperson = Some(AMELIE);
            o.expected_close = Some(day("2026-12-01"));
            o.forecast = ForecastChoice::Omitted;
            o.created = at("2026-05-01");
        });
        // J: archived in New.
        world.deal(108, "J", &[NEW], "250", "USD", |o| {
            o.active = false;
            o.salesperson = Some(REZA);
            o.expected_close = Some(day("2026-12-20"));
            o.created = at("2026-06-01");
        });
        world
    }

    /// A deal that went through `path` (created in the first stage), now in the last.
    fn deal(
        &mut self,
        id: Id,
        name: &str,
        path: &[Id],
        amount: &str,
        currency: &str,
        set: impl FnOnce(&mut Opportunity),
    ) {
        let last = self
            .stages
            .iter()
            .find(|s| s.id == *path.last().unwrap())
            .unwrap();
        let mut opp = Opportunity::draft(
            &Account::default(),
            last,
            &Settings::default(),
            at("2026-01-01"),
        );
        opp.id = id;
        opp.name = name.to_owned();
        opp.amount = dec(amount);
        opp.currency = currency.to_owned();
        set(&mut opp);
        let mut from = None;
        for (i, to) in path.iter().enumerate() {
            self.events.push(StageEvent {
                id: id * 10 + i as Id,
                opportunity: id,
                from,
                to: *to,
                at: opp.created,
            });
            from = Some(*to);
        }
        self.deals.push(opp);
    }

    fn data(&self, scope: &Scope) -> Data<'_> {
        let facts = Facts::new(
            &self.deals,
            &Sources {
                trashed: |id| id == 106,
                events: &self.events,
                stages: &self.stages,
                rates: &self.rates,
            },
        );
        let records = Records {
            pipelines: &self.pipelines,
            stages: &self.stages,
            lookups: &self.lookups,
            rates: &self.rates,
            today: day("2026-11-22"),
        };
        Data::new(scope, records, std::sync::Arc::new(facts))
    }
}

fn sales() -> Scope {
    Scope {
        pipeline: Some(SALES),
        ..Scope::default()
    }
}

fn pipeline_row(key: &str, count: u64, expected: &str, weighted: &str) -> PipelineRow {
    PipelineRow {
        key: key.into(),
        count,
        expected: dec(expected),
        weighted: dec(weighted),
    }
}

#[test]
fn pipeline_analysis_groups_open_active_deals_in_the_base_currency() {
    let world = World::new();
    let data = world.data(&sales());
    // Open and active: C (New, 500 at 10 %), E (Qualified, 300 at 30 %), B (Proposition,
    // 2000 EUR = 2200 USD at 70 %). J is archived, G in the trash.
    assert_eq!(
        reports::pipeline(&data, GroupBy::Stage),
        [
            pipeline_row("New", 1, "500", "50"),
            pipeline_row("Qualified", 1, "300", "90"),
            pipeline_row("Proposition", 1, "2200", "1540"),
        ]
    );
    assert_eq!(
        reports::pipeline(&data, GroupBy::Salesperson),
        [
            pipeline_row("Amélie Durand", 1, "2200", "1540"),
            pipeline_row("Reza Karimi", 2, "800", "140"),
        ]
    );
    assert_eq!(
        reports::pipeline(&data, GroupBy::Month),
        [
            pipeline_row("2026-12", 1, "2200", "1540"),
            pipeline_row("2027-01", 1, "300", "90"),
            pipeline_row(reports::NONE, 1, "500", "50"),
        ]
    );
    // E expected in March instead: January and February are there, at zero.
    let mut later = World::new();
    let e = later.deals.iter_mut().find(|o| o.id == 104).unwrap();
    e.expected_close = Some(day("2027-03-05"));
    assert_eq!(
        reports::pipeline(&later.data(&sales()), GroupBy::Month),
        [
            pipeline_row("2026-12", 1, "2200", "1540"),
            pipeline_row("2027-01", 0, "0", "0"),
            pipeline_row("2027-02", 0, "0", "0"),
            pipeline_row("2027-03", 1, "300", "90"),
            pipeline_row(reports::NONE, 1, "500", "50"),
        ]
    );
    // Every pipeline: stages named with their pipeline; H's 700 at 20 % in Other.
    let all = world.data(&Scope::default());
    let rows = reports::pipeline(&all, GroupBy::Stage);
    let keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "Sales / New",
            "Sales / Qualified",
            "Sales / Proposition",
            "Other / Inbound"
        ]
    );
    assert_eq!(rows[3], pipeline_row("Other / Inbound", 1, "700", "140"));
}

fn funnel_row(
    stage_id: Id,
    stage: &str,
    reached: u64,
    amount: &str,
    conv: Option<f64>,
) -> FunnelRow {
    FunnelRow {
        stage_id,
        stage: stage.into(),
        reached,
        reached_amount: dec(amount),
        conversion_from_previous: conv,
    }
}

#[test]
fn the_funnel_counts_skips_backward_moves_reopened_and_won_deals() {
    let world = World::new();
    let data = world.data(&sales());
    // Furthest open stage: A won → Proposition; B skipped to Proposition; C back to New but
    // reached Qualified; D and E (reopened) Qualified; F and J New.
    // New: all 7 = 1000 + 2200 + 500 + 800 + 300 + 440 + 250 = 5490.
    // Qualified: A B C D E = 1000 + 2200 + 500 + 800 + 300 = 4800, 5/7.
    // Proposition: A B = 3200, 2/5.
    assert_eq!(
        reports::funnel(&data),
        [
            funnel_row(NEW, "New", 7, "5490", None),
            funnel_row(QUALIFIED, "Qualified", 5, "4800", Some(0.7143)),
            funnel_row(PROPOSITION, "Proposition", 2, "3200", Some(0.4)),
        ]
    );
    assert_eq!(
        reports::reached_deals(&data, QUALIFIED),
        [100, 101, 102, 103, 104]
    );
    assert_eq!(reports::reached_deals(&data, PROPOSITION), [100, 101]);
    // One pipeline's stages: none for every pipeline at once.
    assert!(reports::funnel(&world.data(&Scope::default())).is_empty());
    // Created from March on: C D E F J.
    let march = Scope {
        created_from: Some(day("2026-03-01")),
        ..sales()
    };
    let rows = reports::funnel(&world.data(&march));
    assert_eq!(
        (rows[0].reached, rows[1].reached, rows[2].reached),
        (5, 3, 0)
    );
}

/// A leakage row; `counts` are entered, advanced, lost and open; no stage of the hand-made
/// pipeline has expected days, so nothing is stuck (not measured), and no cause is set here.
fn leakage_row(
    stage_id: Id,
    stage: &str,
    counts: [u64; 4],
    lost_amount: &str,
    conversion_to_next: Option<f64>,
) -> LeakageRow {
    LeakageRow {
        stage_id,
        stage: stage.into(),
        entered: counts[0],
        advanced: counts[1],
        lost: counts[2],
        lost_amount: dec(lost_amount),
        open: counts[3],
        conversion_to_next,
        ..LeakageRow::default()
    }
}

/// The deals lost from a stage for one cause.
fn cause(key: &str, lost: u64, amount: &str, share: f64) -> Cause {
    Cause {
        key: key.into(),
        lost,
        lost_amount: dec(amount),
        share,
    }
}

#[test]
fn leakage_shows_where_deals_are_lost() {
    let world = World::new();
    let data = world.data(&sales());
    let row = leakage_row;
    // Lost now: D (from Qualified, 800) and F (from New, 400 EUR = 440). E was lost from New
    // but is open again. Open and active now: C in New, E in Qualified, B in Proposition.
    // The last stage advances to Won: A.
    // Causes: F lost from New for Timing (440), D from Qualified for Price (800), neither
    // naming a competitor. Review: the largest lost amount (nothing is stuck without expected
    // days): Qualified's 800 > New's 440.
    let new = LeakageRow {
        lost_by_reason: vec![cause("Timing", 1, "440", 1.0)],
        lost_by_competitor: vec![cause(reports::NONE, 1, "440", 1.0)],
        ..row(NEW, "New", [7, 5, 1, 1], "440", Some(0.7143))
    };
    let qualified = LeakageRow {
        lost_by_reason: vec![cause("Price", 1, "800", 1.0)],
        lost_by_competitor: vec![cause(reports::NONE, 1, "800", 1.0)],
        needs_review: true,
        ..row(QUALIFIED, "Qualified", [5, 2, 1, 1], "800", Some(0.4))
    };
    let rows = reports::leakage(&data);
    assert_eq!(
        rows,
        [
            new,
            qualified,
            row(PROPOSITION, "Proposition", [2, 1, 0, 1], "0", Some(0.5)),
        ]
    );
    assert_eq!(
        reports::verdict(&rows, "USD"),
        "Review Qualified: 1 deal lost ($800), 100 % Price."
    );
}

#[test]
fn the_verdict_names_every_cause_sharing_the_largest_share_or_says_none_stands_out() {
    let mut world = World::new();
    let (no_budget, no_decision, rival, acme) = (42, 43, 44, 45);
    let lookups = [
        (no_budget, LookupKind::LossReason, "No budget"),
        (no_decision, LookupKind::LossReason, "No decision"),
        (rival, LookupKind::Competitor, "Rival"),
        (acme, LookupKind::Competitor, "Acme"),
    ];
    for (id, kind, name) in lookups {
        world.lookups.push(Lookup {
            id,
            kind,
            name: name.into(),
            active: true,
        });
    }
    // Deals lost from Qualified, added one at a time beside D (Price, 800, no competitor):
    // (id, amount, loss reason, competitor), and the verdict then. Qualified's lost amount
    // stays above New's 440, so it is the stage to review throughout.
    let steps = [
        // Price 1 (800), Timing 1 (300): 1/2 = 50 % each, the larger amount first;
        // competitors: none 1, Rival 1, the only one named, 1/2 = 50 %. 800 + 300 = 1,100.
        (
            (110, "300", TIMING, Some(rival)),
            "Review Qualified: 2 deals lost ($1,100), 50 % each: Price and Timing, 50 % to Rival.",
        ),
        // Price, Timing, No budget 1 each: 1/3 = 33 % each; Rival and Acme 1 each, 33 %.
        // 1,100 + 200 = 1,300.
        (
            (111, "200", no_budget, Some(acme)),
            "Review Qualified: 3 deals lost ($1,300), 33 % each: Price, Timing and No budget, \
             33 % each to Rival and Acme.",
        ),
        // Four reasons 1 each, 1/4 = 25 %: more than three, none named; Rival and Acme 25 %
        // each. 1,300 + 100 = 1,400.
        (
            (112, "100", no_decision, None),
            "Review Qualified: 4 deals lost ($1,400), no single main cause (4 causes at 25 % \
             each), 25 % each to Rival and Acme.",
        ),
        // Price 2 of 5 = 40 %, the others 1 each; Rival 2 of 5 = 40 %, Acme 1. 1,400 + 50.
        (
            (113, "50", PRICE, Some(rival)),
            "Review Qualified: 5 deals lost ($1,450), 40 % Price, 40 % to Rival.",
        ),
    ];
    for ((id, amount, reason, competitor), verdict) in steps {
        world.deal(id, "lost", &[NEW, QUALIFIED, LOST], amount, "USD", |o| {
            o.loss_reason = Some(reason);
            o.competitor = competitor;
            o.closed = Some(day("2026-10-01"));
        });
        let rows = reports::leakage(&world.data(&sales()));
        assert_eq!(reports::verdict(&rows, "USD"), verdict);
    }
}

#[test]
fn the_forecast_places_open_deals_by_expected_close_and_won_ones_by_closing() {
    let world = World::new();
    let data = world.data(&sales());
    let (from, to) = data.default_period();
    assert_eq!((from, to), (day("2024-11-01"), day("2027-11-30")));
    let rows = reports::forecast(&data, Period::Month, from, to, None);
    let summary: Vec<(&str, &str, u64, Decimal, Decimal, u64, Decimal)> = rows
        .iter()
        .map(|r| {
            (
                r.period.as_str(),
                r.salesperson.as_str(),
                r.open_count,
                r.unweighted,
                r.weighted,
                r.won_count,
                r.won_amount,
            )
        })
        .collect();
    // A won in October; B (2200 at 70 %) in December; E (300 at 30 %) in January. C has no
    // close date; J is archived; H is another pipeline.
    let zero = Decimal::ZERO;
    assert_eq!(
        summary,
        [
            ("2026-10", "Reza Karimi", 0, zero, zero, 1, dec("1000")),
            (
                "2026-12",
                "Amélie Durand",
                1,
                dec("2200"),
                dec("1540"),
                0,
                zero
            ),
            ("2027-01", "Reza Karimi", 1, dec("300"), dec("90"), 0, zero),
        ]
    );
    let quarters: Vec<(String, String)> = reports::forecast(&data, Period::Quarter, from, to, None)
        .into_iter()
        .map(|r| (r.period, r.salesperson))
        .collect();
    assert_eq!(
        quarters,
        [
            ("2026-Q4".into(), "Amélie Durand".into()),
            ("2026-Q4".into(), "Reza Karimi".into()),
            ("2027-Q1".into(), "Reza Karimi".into()),
        ]
    );
    let reza = reports::forecast(&data, Period::Month, from, to, Some(REZA));
    assert_eq!(reza.len(), 2);
    assert!(reza.iter().all(|r| r.salesperson == "Reza Karimi"));
    // A backdated range: only what was won then.
    let past = reports::forecast(
        &data,
        Period::Month,
        day("2026-01-01"),
        day("2026-10-31"),
        None,
    );
    assert_eq!(past.len(), 1);
    assert_eq!((past[0].won_count, past[0].open_count), (1, 0));
    assert_eq!(
        Period::Quarter.all(day("2026-11-15"), day("2027-03-01")),
        ["2026-Q4", "2027-Q1"]
    );
}

#[test]
fn forecast_categories_follow_the_stage_unless_chosen_and_each_total_is_its_deals_sum() {
    let mut world = World::new();
    let mut set = |id: Id, choice: ForecastChoice| {
        let deal = world.deals.iter_mut().find(|d| d.id == id).unwrap();
        deal.forecast = choice;
    };
    // E (Qualified: Pipeline by its stage) committed by hand; B stays with Proposition's Best
    // case; a deal of 400 in December is omitted by hand.
    set(104, ForecastChoice::Commit);
    world.deal(109, "K", &[NEW], "400", "USD", |o| {
        o.salesperson = Some(AMELIE);
        o.expected_close = Some(day("2026-12-02"));
        o.forecast = ForecastChoice::Omitted;
        o.created = at("2026-06-02");
    });
    let data = world.data(&sales());
    let (from, to) = data.default_period();
    let params = Params::Forecast {
        by: Period::Month,
        from: None,
        to: None,
        salesperson: None,
    };
    let rows = reports::forecast(&data, Period::Month, from, to, None);
    let totals: Vec<(&str, Decimal, Decimal, Decimal, Decimal)> = rows
        .iter()
        .map(|r| {
            (
                r.period.as_str(),
                r.won_amount,
                r.commit,
                r.best_case,
                r.unweighted,
            )
        })
        .collect();
    let zero = Decimal::ZERO;
    assert_eq!(
        totals,
        [
            ("2026-10", dec("1000"), zero, zero, zero),
            ("2026-12", zero, zero, dec("2200"), dec("2200")),
            ("2027-01", zero, dec("300"), dec("300"), dec("300")),
        ]
    );
    for row in &rows {
        let deals = reports::forecast_deals(&data, &params, row);
        let sum = |keep: &dyn Fn(Option<ForecastCategory>) -> bool, weighted: bool| -> Decimal {
            deals
                .iter()
                .filter(|d| keep(d.category))
                .map(|d| if weighted { d.weighted } else { d.amount })
                .sum()
        };
        let open = |c: Option<ForecastCategory>| c.is_some();
        let commit = |c| c == Some(ForecastCategory::Commit);
        let best = |c| {
            matches!(
                c,
                Some(ForecastCategory::Commit | ForecastCategory::BestCase)
            )
        };
        assert_eq!(sum(&|c| c.is_none(), false), row.won_amount, "{row:?}");
        assert_eq!(sum(&commit, false), row.commit, "{row:?}");
        assert_eq!(sum(&best, false), row.best_case, "{row:?}");
        assert_eq!(sum(&open, false), row.unweighted, "{row:?}");
        assert_eq!(sum(&open, true), row.weighted, "{row:?}");
        assert_eq!(
            deals.len() as u64,
            row.won_count + row.open_count,
            "{row:?}"
        );
        assert!(deals.iter().all(|d| d.id != 109), "omitted: in no total");
    }
}

#[test]
fn win_loss_counts_closed_deals_and_their_win_rate() {
    let world = World::new();
    let data = world.data(&sales());
    let row = |key: &str, won, lost, won_amount: &str, lost_amount: &str, win_rate| WinLossRow {
        key: key.into(),
        won,
        lost,
        won_amount: dec(won_amount),
        lost_amount: dec(lost_amount),
        win_rate,
    };
    // By reason: the lost deals D (Price, 800) and F (Timing, 440 USD), one each, by name;
    // then the won deal A (1000) in its own row, with the win rate of all 3 closed: 1 / 3.
    assert_eq!(
        reports::winloss(&data, WinLossBy::Reason, None, None),
        [
            row("Price", 0, 1, "0", "800", None),
            row("Timing", 0, 1, "0", "440", None),
            row(reports::WON, 1, 0, "1000", "0", Some(0.3333)),
        ]
    );
    assert_eq!(
        reports::winloss(&data, WinLossBy::Salesperson, None, None),
        [
            row("Amélie Durand", 0, 1, "0", "800", Some(0.0)),
            row("Reza Karimi", 1, 1, "1000", "440", Some(0.5)),
        ]
    );
    // Closed from September on: F (August) is left out.
    assert_eq!(
        reports::winloss(&data, WinLossBy::Salesperson, Some(day("2026-09-01")), None),
        [
            row("Amélie Durand", 0, 1, "0", "800", Some(0.0)),
            row("Reza Karimi", 1, 0, "1000", "0", Some(1.0)),
        ]
    );
    // Nothing closed in the period: no row, not a won row of zeros.
    let none = reports::winloss(&data, WinLossBy::Reason, Some(day("2026-11-01")), None);
    assert_eq!(none, []);
}

#[test]
fn the_sales_grid_shows_won_and_pipeline_per_salesperson_and_period() {
    let world = World::new();
    let data = world.data(&Scope::default());
    let (from, to) = data.default_period();
    let row = |salesperson: &str, period: &str, won: (u64, &str), pipeline: (u64, &str)| GridRow {
        salesperson: salesperson.into(),
        period: period.into(),
        won_count: won.0,
        won_amount: dec(won.1),
        pipeline_count: pipeline.0,
        pipeline_amount: dec(pipeline.1),
    };
    // Every pipeline: H (700, December) joins B in Amélie's December whatever its forecast flag.
    assert_eq!(
        reports::grid(&data, Period::Month, from, to),
        [
            row("Amélie Durand", "2026-12", (0, "0"), (2, "2900")),
            row("Reza Karimi", "2026-10", (1, "1000"), (0, "0")),
            row("Reza Karimi", "2027-01", (0, "0"), (1, "300")),
        ]
    );
}

#[test]
fn a_report_prints_as_json_csv_and_a_table() {
    let world = World::new();
    let data = world.data(&sales());
    let report = reports::run(&data, &Params::Funnel);
    let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(json["report"], "funnel");
    assert_eq!(json["base_currency"], "USD");
    assert_eq!(json["rows"][1]["reached_amount"], "4800.00");
    assert_eq!(json["rows"][1]["conversion_from_previous"], 0.7143);
    assert!(json["rows"][0]["conversion_from_previous"].is_null());
    assert_eq!(
        report.to_csv(),
        "stage,reached,reached_amount,conversion_from_previous\r\n\
         New,7,5490.00,\r\n\
         Qualified,5,4800.00,0.7143\r\n\
         Proposition,2,3200.00,0.4\r\n"
    );
    assert!(
        report
            .to_text()
            .contains("Qualified          5         4800.00  ")
    );
    let Rows::Funnel(rows) = report.rows else {
        panic!("a funnel");
    };
    assert_eq!(rows.len(), 3);
}

/// Two stages added to the running pipeline after deals A to J moved (ids only grow, so the
/// stage events of those deals, 1000 to 1080, are older than the stages, 1095 and 1096):
/// Discovery between New and Qualified, Negotiation between Proposition and Won.
const NEGOTIATION: Id = 1095;
const DISCOVERY: Id = 1096;

#[test]
fn stages_added_later_count_only_deals_that_moved_after_they_existed() {
    let mut world = World::new();
    let discovery = stage(DISCOVERY, SALES, "Discovery", 0, 20, StageKind::Open);
    let negotiation = stage(NEGOTIATION, SALES, "Negotiation", 2, 80, StageKind::Open);
    world.stages.insert(1, discovery);
    world.stages.insert(4, negotiation);
    // Deals after the stages were added (events 1100 and on).
    // K: every stage, then won.
    world.deal(
        110,
        "K",
        &[NEW, DISCOVERY, QUALIFIED, PROPOSITION, NEGOTIATION, WON],
        "600",
        "USD",
        |o| o.closed = Some(day("2026-11-01")),
    );
    // L: from New to Proposition, then won there: it skipped Discovery and Qualified, which
    // existed, but never went on to Negotiation.
    world.deal(111, "L", &[NEW, PROPOSITION, WON], "900", "USD", |o| {
        o.closed = Some(day("2026-11-02"));
    });
    // M: straight from New to Negotiation, open there.
    world.deal(112, "M", &[NEW, NEGOTIATION], "100", "USD", |_| {});
    let data = world.data(&sales());
    // Reached, by hand (New, Discovery, Qualified, Proposition, Negotiation):
    // A won from Proposition before either stage: New, Qualified, Proposition.
    // B skipped to Proposition before Discovery: New, Qualified, Proposition.
    // C, D, E: New, Qualified. F, J: New.
    // K: all five. L: New to Proposition (won: not Negotiation). M: all five.
    // New: all 10 = 5490 + 600 + 900 + 100 = 7090.
    // Discovery: K L M = 1600, of New's 10: 0.3.
    // Qualified: A B C D E K L M = 4800 + 1600 = 6400; of Discovery's 3, 3 went on: 1.
    // Proposition: A B K L M = 3200 + 1600 = 4800; of Qualified's 8: 5, 0.625.
    // Negotiation: K M = 700; of Proposition's 5: 2, 0.4.
    assert_eq!(
        reports::funnel(&data),
        [
            funnel_row(NEW, "New", 10, "7090", None),
            funnel_row(DISCOVERY, "Discovery", 3, "1600", Some(0.3)),
            funnel_row(QUALIFIED, "Qualified", 8, "6400", Some(1.0)),
            funnel_row(PROPOSITION, "Proposition", 5, "4800", Some(0.625)),
            funnel_row(NEGOTIATION, "Negotiation", 2, "700", Some(0.4)),
        ]
    );
    assert_eq!(reports::reached_deals(&data, DISCOVERY), [110, 111, 112]);
    assert_eq!(reports::reached_deals(&data, NEGOTIATION), [110, 112]);
    // Went no further than: New F J; Qualified C D E; Proposition B; Negotiation M (A, K and
    // L were won). Advanced = entered − those. Lost now: F from New (440), D from Qualified
    // (800). Open and active now: C New, E Qualified, B Proposition, M Negotiation.
    let row = leakage_row;
    // The causes of the losses are those of `leakage_shows_where_deals_are_lost`: here only
    // where deals went counts.
    let flow: Vec<LeakageRow> = reports::leakage(&data)
        .into_iter()
        .map(|r| LeakageRow {
            lost_by_reason: Vec::new(),
            lost_by_competitor: Vec::new(),
            needs_review: false,
            ..r
        })
        .collect();
    assert_eq!(
        flow,
        [
            row(NEW, "New", [10, 8, 1, 1], "440", Some(0.8)),
            row(DISCOVERY, "Discovery", [3, 3, 0, 0], "0", Some(1.0)),
            row(QUALIFIED, "Qualified", [8, 5, 1, 1], "800", Some(0.625)),
            row(PROPOSITION, "Proposition", [5, 4, 0, 1], "0", Some(0.8)),
            row(NEGOTIATION, "Negotiation", [2, 1, 0, 1], "0", Some(0.5)),
        ]
    );
}

#[test]
fn a_funnel_no_deal_entered_has_no_conversion_rather_than_zero() {
    let mut empty = World::new();
    empty.deals.clear();
    empty.events.clear();
    assert_eq!(
        reports::funnel(&empty.data(&sales())),
        [
            funnel_row(NEW, "New", 0, "0", None),
            funnel_row(QUALIFIED, "Qualified", 0, "0", None),
            funnel_row(PROPOSITION, "Proposition", 0, "0", None),
        ]
    );
}

fn at(text: &str) -> DateTime<Utc> {
    Utc.from_utc_datetime(&day(text).and_hms_opt(9, 0, 0).unwrap())
}

fn stage(
    id: Id,
    pipeline: Id,
    name: &str,
    sequence: u32,
    probability: u32,
    kind: StageKind,
) -> Stage {
    Stage {
        id,
        pipeline,
        name: name.to_owned(),
        sequence,
        probability: Decimal::from(probability),
        kind,
        requirements: String::new(),
        rotting_days: None,
        folded: false,
        forecast: ForecastCategory::for_probability(Decimal::from(probability)),
    }
}
