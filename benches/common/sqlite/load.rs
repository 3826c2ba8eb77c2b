//! Reading every record back into Forsat's structs.

use super::{
    Account, Activity, ActivityLink, AmountMode, BusinessType, Connection, Contact, Currency,
    DateTime, Decimal, Id, Line, Lookup, Opportunity, Path, Pipeline, Product, Row, Stage,
    StageEvent, Utc, activity_kind, date, decimal, load_small, millis, open, opt_id, pipeline,
};

/// Every record the Forsat window needs in memory, read from `SQLite` into Forsat's structs.
#[derive(Default)]
pub struct Loaded {
    pub pipelines: Vec<Pipeline>,
    pub stages: Vec<Stage>,
    pub lookups: Vec<Lookup>,
    pub currencies: Vec<Currency>,
    pub products: Vec<Product>,
    pub accounts: Vec<Account>,
    pub contacts: Vec<Contact>,
    pub opportunities: Vec<Opportunity>,
    pub stage_events: Vec<StageEvent>,
    pub activities: Vec<Activity>,
    pub trash: Vec<(Id, DateTime<Utc>)>,
}

/// Opens `path` and reads every record into memory: what `Workspace::open` does for Forsat.
pub fn open_and_load(path: &Path) -> (Connection, Loaded) {
    let conn = open(path);
    let loaded = load(&conn);
    (conn, loaded)
}

pub(super) fn all<T>(
    conn: &Connection,
    sql: &str,
    f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    let mut stmt = conn.prepare(sql).expect("the query prepares");
    stmt.query_map([], f)
        .expect("the query runs")
        .collect::<rusqlite::Result<Vec<T>>>()
        .expect("every row reads")
}

/// Reads every record.
#[expect(
    clippy::too_many_lines,
    reason = "one query and row mapping per table, listed"
)]
pub fn load(conn: &Connection) -> Loaded {
    let pipelines = all(conn, "SELECT id, name, sequence FROM pipelines", pipeline);
    let Loaded {
        stages,
        lookups,
        currencies,
        ..
    } = load_small(conn);
    let products = all(
        conn,
        "SELECT id, code, name, unit_price, currency, active FROM products",
        |r| {
            Ok(Product {
                id: r.get::<_, i64>(0)? as Id,
                code: r.get(1)?,
                name: r.get(2)?,
                unit_price: decimal(&r.get::<_, String>(3)?),
                currency: r.get(4)?,
                active: r.get(5)?,
            })
        },
    );
    let accounts = all(
        conn,
        "SELECT id, name, source, industry, phone, email, website, address, notes
         FROM accounts",
        |r| {
            Ok(Account {
                id: r.get::<_, i64>(0)? as Id,
                name: r.get(1)?,
                source: opt_id(r, 2)?,
                industry: r.get(3)?,
                phone: r.get(4)?,
                email: r.get(5)?,
                website: r.get(6)?,
                address: r.get(7)?,
                notes: r.get(8)?,
            })
        },
    );
    let contacts = all(
        conn,
        "SELECT id, account, name, role, email, phone FROM contacts",
        |r| {
            Ok(Contact {
                id: r.get::<_, i64>(0)? as Id,
                account: r.get::<_, i64>(1)? as Id,
                name: r.get(2)?,
                role: r.get(3)?,
                email: r.get(4)?,
                phone: r.get(5)?,
                // The comparison's table keeps one email and phone, as schema 10 did.
                ..Contact::default()
            })
        },
    );
    let mut opportunities = all(
        conn,
        "SELECT id, name, account, business_type, source, pipeline, stage, next_step, campaign,
         salesperson, currency, amount, amount_mode, expected_close, active, probability,
         probability_overridden, forecast, competitor, loss_reason, description,
         win_loss_report, priority, created, updated, stage_entered, closed, contact
         FROM opportunities ORDER BY id",
        opportunity,
    );
    // Lines and tags in id order, merged into the deals (also in id order).
    let lines = all(
        conn,
        "SELECT opportunity, product, description, quantity, unit_price, discount_pct
         FROM opportunity_lines ORDER BY opportunity, position",
        |r| {
            Ok((
                r.get::<_, i64>(0)? as Id,
                Line {
                    product: opt_id(r, 1)?,
                    description: r.get(2)?,
                    quantity: decimal(&r.get::<_, String>(3)?),
                    unit_price: decimal(&r.get::<_, String>(4)?),
                    discount_pct: decimal(&r.get::<_, String>(5)?),
                },
            ))
        },
    );
    merge(&mut opportunities, lines, |o, l| o.lines.push(l));
    let tags = all(
        conn,
        "SELECT opportunity, tag FROM opportunity_tags ORDER BY opportunity, tag",
        |r| Ok((r.get::<_, i64>(0)? as Id, r.get::<_, i64>(1)? as Id)),
    );
    merge(&mut opportunities, tags, |o, t| o.tags.push(t));
    let stage_events = all(
        conn,
        "SELECT id, opportunity, from_stage, to_stage, at FROM stage_events ORDER BY id",
        |r| {
            Ok(StageEvent {
                id: r.get::<_, i64>(0)? as Id,
                opportunity: r.get::<_, i64>(1)? as Id,
                from: opt_id(r, 2)?,
                to: r.get::<_, i64>(3)? as Id,
                at: millis(r.get(4)?),
            })
        },
    );
    let activities = all(
        conn,
        "SELECT id, kind, summary, due, done, opportunity, account FROM activities",
        |r| {
            let link = match opt_id(r, 5)? {
                Some(opp) => ActivityLink::Opportunity(opp),
                None => ActivityLink::Account(r.get::<_, i64>(6)? as Id),
            };
            Ok(Activity {
                id: r.get::<_, i64>(0)? as Id,
                done: r.get(4)?,
                ..Activity::planned(
                    activity_kind(r.get(1)?),
                    r.get(2)?,
                    date(&r.get::<_, String>(3)?),
                    link,
                )
            })
        },
    );
    let trash = all(conn, "SELECT opportunity, at FROM trash", |r| {
        Ok((r.get::<_, i64>(0)? as Id, millis(r.get(1)?)))
    });
    Loaded {
        pipelines,
        stages,
        lookups,
        currencies,
        products,
        accounts,
        contacts,
        opportunities,
        stage_events,
        activities,
        trash,
    }
}

pub(super) fn opportunity(r: &Row<'_>) -> rusqlite::Result<Opportunity> {
    Ok(Opportunity {
        id: r.get::<_, i64>(0)? as Id,
        name: r.get(1)?,
        account: r.get::<_, i64>(2)? as Id,
        business_type: if r.get(3)? {
            BusinessType::Existing
        } else {
            BusinessType::New
        },
        source: opt_id(r, 4)?,
        pipeline: r.get::<_, i64>(5)? as Id,
        stage: r.get::<_, i64>(6)? as Id,
        next_step: r.get(7)?,
        campaign: opt_id(r, 8)?,
        salesperson: opt_id(r, 9)?,
        currency: r.get(10)?,
        amount: Decimal::new(r.get(11)?, 2),
        amount_mode: if r.get(12)? {
            AmountMode::FromLines
        } else {
            AmountMode::Manual
        },
        lines: Vec::new(),
        expected_close: r.get::<_, Option<String>>(13)?.map(|d| date(&d)),
        active: r.get(14)?,
        probability: Decimal::new(r.get(15)?, 2),
        probability_overridden: r.get(16)?,
        // The comparison keeps "in the forecast" only, as SQL reports of it need.
        forecast: if r.get(17)? {
            forsat::domain::ForecastChoice::Stage
        } else {
            forsat::domain::ForecastChoice::Omitted
        },
        competitor: opt_id(r, 18)?,
        loss_reason: opt_id(r, 19)?,
        description: r.get(20)?,
        win_loss_report: r.get(21)?,
        priority: r.get(22)?,
        tags: Vec::new(),
        created: millis(r.get(23)?),
        updated: millis(r.get(24)?),
        stage_entered: millis(r.get(25)?),
        closed: r.get::<_, Option<String>>(26)?.map(|d| date(&d)),
        contact: opt_id(r, 27)?,
    })
}

/// Attaches `children` (sorted by deal id) to `opps` (sorted by id) in one pass.
pub(super) fn merge<T>(
    opps: &mut [Opportunity],
    children: Vec<(Id, T)>,
    mut add: impl FnMut(&mut Opportunity, T),
) {
    let mut i = 0;
    for (opp, child) in children {
        while i < opps.len() && opps[i].id < opp {
            i += 1;
        }
        if let Some(o) = opps.get_mut(i).filter(|o| o.id == opp) {
            add(o, child);
        }
    }
}
