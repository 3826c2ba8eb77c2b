//! The CSV import, as a `SQLite` application would write it.

use super::*;

/// The `SQLite` side of the CSV import: the same Forsat CSV parsed with the `csv` crate and
/// written in one transaction — accounts, contacts, lookups and products by name (created
/// when missing), each deal with its lines, its "created" history entry and its stage events
/// (created, and closed for a won or lost deal), as Forsat's importer does.
#[expect(
    clippy::too_many_lines,
    reason = "the importer's steps in one transaction, as the baseline a reader compares"
)]
pub fn import(conn: &mut Connection, bytes: &[u8]) -> usize {
    let tx = conn.transaction().expect("a transaction");
    let mut reader = csv::Reader::from_reader(bytes);
    let headers = reader.headers().expect("a header row").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("the export has a {name} column"))
    };
    let c = ImportColumns {
        id: col("id"),
        name: col("name"),
        account: col("account"),
        contact: col("contact"),
        business_type: col("business_type"),
        source: col("source"),
        stage: col("stage"),
        next_step: col("next_step"),
        campaign: col("campaign"),
        salesperson: col("salesperson"),
        currency: col("currency"),
        amount: col("amount"),
        amount_mode: col("amount_mode"),
        lines: col("lines"),
        expected_close: col("expected_close"),
        active: col("active"),
        probability: col("probability"),
        probability_overridden: col("probability_overridden"),
        forecast: col("forecast"),
        competitor: col("competitor"),
        loss_reason: col("loss_reason"),
        description: col("description"),
        win_loss_report: col("win_loss_report"),
        priority: col("priority"),
        created: col("created"),
        updated: col("updated"),
        stage_entered: col("stage_entered"),
        closed: col("closed"),
        trashed: col("trashed"),
    };
    let mut names = Names::new(&tx);
    let first_open: HashMap<Id, Id> = names.first_open_stage.clone();
    let mut deals = 0;
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).expect("a CSV record reads") {
        let f = |i: usize| record.get(i).unwrap_or("");
        let (pipeline, stage) = names.stage(f(c.stage));
        let account = names.account(&tx, f(c.account));
        let contact = names.contact(&tx, account, f(c.contact));
        let opp = Opportunity {
            id: f(c.id).parse().expect("an id"),
            name: f(c.name).to_owned(),
            account,
            business_type: if f(c.business_type) == "existing" {
                BusinessType::Existing
            } else {
                BusinessType::New
            },
            source: names.lookup(&tx, LookupKind::Source, f(c.source)),
            pipeline,
            stage,
            next_step: f(c.next_step).to_owned(),
            campaign: names.lookup(&tx, LookupKind::Campaign, f(c.campaign)),
            salesperson: names.lookup(&tx, LookupKind::Salesperson, f(c.salesperson)),
            currency: f(c.currency).to_owned(),
            amount: decimal(f(c.amount)),
            amount_mode: if f(c.amount_mode) == "from_lines" {
                AmountMode::FromLines
            } else {
                AmountMode::Manual
            },
            lines: names.lines(&tx, f(c.lines)),
            expected_close: opt_date(f(c.expected_close)),
            active: f(c.active) == "true",
            probability: decimal(f(c.probability)),
            probability_overridden: f(c.probability_overridden) == "true",
            forecast: forsat::domain::ForecastChoice::parse(f(c.forecast))
                .expect("a forecast choice"),
            competitor: names.lookup(&tx, LookupKind::Competitor, f(c.competitor)),
            loss_reason: names.lookup(&tx, LookupKind::LossReason, f(c.loss_reason)),
            description: f(c.description).to_owned(),
            win_loss_report: f(c.win_loss_report).to_owned(),
            priority: f(c.priority).parse().expect("a priority"),
            tags: Vec::new(),
            created: timestamp(f(c.created)),
            updated: timestamp(f(c.updated)),
            stage_entered: timestamp(f(c.stage_entered)),
            closed: opt_date(f(c.closed)),
            contact,
        };
        let mut w = Writer::new(&tx);
        w.opportunity(&opp);
        w.history(
            opp.id as i64,
            EntityKind::Opportunity,
            opp.id,
            opp.created,
            "created",
            "",
            &opp.name,
        );
        let created_in = if opp.closed.is_some() {
            first_open[&pipeline]
        } else {
            stage
        };
        let event = |from: Option<Id>, to: Id, at: DateTime<Utc>| StageEvent {
            id: 0,
            opportunity: opp.id,
            from,
            to,
            at,
        };
        let mut events = vec![event(None, created_in, opp.created)];
        if created_in != stage {
            events.push(event(Some(created_in), stage, opp.stage_entered));
        }
        for e in events {
            tx.prepare_cached(
                "INSERT INTO stage_events (opportunity, from_stage, to_stage, at)
                 VALUES (?1, ?2, ?3, ?4)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    e.opportunity as i64,
                    e.from.map(|i| i as i64),
                    e.to as i64,
                    e.at.timestamp_millis()
                ])
            })
            .expect("a stage event is inserted");
        }
        if f(c.trashed) == "true" {
            tx.execute(
                "INSERT INTO trash (opportunity, at) VALUES (?1, ?2)",
                params![opp.id as i64, opp.updated.timestamp_millis()],
            )
            .expect("a trash entry is inserted");
        }
        deals += 1;
    }
    tx.commit().expect("the import commits");
    deals
}

pub(super) struct ImportColumns {
    id: usize,
    name: usize,
    account: usize,
    contact: usize,
    business_type: usize,
    source: usize,
    stage: usize,
    next_step: usize,
    campaign: usize,
    salesperson: usize,
    currency: usize,
    amount: usize,
    amount_mode: usize,
    lines: usize,
    expected_close: usize,
    active: usize,
    probability: usize,
    probability_overridden: usize,
    forecast: usize,
    competitor: usize,
    loss_reason: usize,
    description: usize,
    win_loss_report: usize,
    priority: usize,
    created: usize,
    updated: usize,
    stage_entered: usize,
    closed: usize,
    trashed: usize,
}

/// A line as the CSV's `lines` column holds it (JSON, the product by code).
#[derive(serde::Deserialize)]
pub(super) struct CsvLine {
    product: Option<String>,
    description: String,
    quantity: String,
    unit_price: String,
    discount_pct: String,
}

/// The import's name lookups, cached in memory as any importer would.
pub(super) struct Names {
    stages: HashMap<String, (Id, Id)>,
    first_open_stage: HashMap<Id, Id>,
    accounts: HashMap<String, Id>,
    contacts: HashMap<(Id, String), Id>,
    lookups: HashMap<(LookupKind, String), Id>,
    products: HashMap<String, Id>,
}

impl Names {
    pub(super) fn new(conn: &Connection) -> Names {
        let stages: Vec<(Id, Id, String, i64)> = all(
            conn,
            "SELECT id, pipeline, name, kind FROM stages ORDER BY pipeline, sequence",
            |r| {
                Ok((
                    r.get::<_, i64>(0)? as Id,
                    r.get::<_, i64>(1)? as Id,
                    r.get(2)?,
                    r.get(3)?,
                ))
            },
        );
        let mut first_open_stage = HashMap::new();
        for (id, pipeline, _, kind) in &stages {
            if *kind == 0 {
                first_open_stage.entry(*pipeline).or_insert(*id);
            }
        }
        let lookups = all(conn, "SELECT id, kind, name FROM lookups", |r| {
            Ok((
                (
                    lookup_kind(r.get(1)?),
                    r.get::<_, String>(2)?.to_lowercase(),
                ),
                r.get::<_, i64>(0)? as Id,
            ))
        });
        let products = all(conn, "SELECT id, code FROM products", |r| {
            Ok((r.get::<_, String>(1)?, r.get::<_, i64>(0)? as Id))
        });
        Names {
            stages: stages
                .into_iter()
                .map(|(id, pipeline, name, _)| (name, (pipeline, id)))
                .collect(),
            first_open_stage,
            accounts: HashMap::new(),
            contacts: HashMap::new(),
            lookups: lookups.into_iter().collect(),
            products: products.into_iter().collect(),
        }
    }

    pub(super) fn stage(&self, name: &str) -> (Id, Id) {
        *self
            .stages
            .get(name)
            .unwrap_or_else(|| panic!("the stage {name} exists"))
    }

    pub(super) fn account(&mut self, conn: &Connection, name: &str) -> Id {
        let key = name.to_lowercase();
        if let Some(id) = self.accounts.get(&key) {
            return *id;
        }
        let found: Option<i64> = conn
            .prepare_cached("SELECT id FROM accounts WHERE name = ?1 COLLATE NOCASE")
            .and_then(|mut s| s.query_row([name], |r| r.get(0)).optional())
            .expect("an account lookup");
        let id = found.unwrap_or_else(|| {
            conn.prepare_cached(
                "INSERT INTO accounts (name, industry, phone, email, website, address, notes)
                 VALUES (?1, '', '', '', '', '', '')",
            )
            .and_then(|mut s| s.insert([name]))
            .expect("an account is inserted")
        }) as Id;
        self.accounts.insert(key, id);
        id
    }

    pub(super) fn contact(&mut self, conn: &Connection, account: Id, name: &str) -> Option<Id> {
        if name.is_empty() {
            return None;
        }
        let key = (account, name.to_owned());
        if let Some(id) = self.contacts.get(&key) {
            return Some(*id);
        }
        let id = conn
            .prepare_cached(
                "INSERT INTO contacts (account, name, role, email, phone) VALUES (?1, ?2, '', '', '')",
            )
            .and_then(|mut s| s.insert(params![account as i64, name]))
            .expect("a contact is inserted") as Id;
        self.contacts.insert(key, id);
        Some(id)
    }

    pub(super) fn lookup(&mut self, conn: &Connection, kind: LookupKind, name: &str) -> Option<Id> {
        if name.is_empty() {
            return None;
        }
        let key = (kind, name.to_lowercase());
        if let Some(id) = self.lookups.get(&key) {
            return Some(*id);
        }
        let id = conn
            .prepare_cached("INSERT INTO lookups (kind, name, active) VALUES (?1, ?2, 1)")
            .and_then(|mut s| s.insert(params![lookup_kind_code(kind), name]))
            .expect("a lookup is inserted") as Id;
        self.lookups.insert(key, id);
        Some(id)
    }

    pub(super) fn lines(&mut self, conn: &Connection, json: &str) -> Vec<Line> {
        if json.is_empty() {
            return Vec::new();
        }
        let lines: Vec<CsvLine> = serde_json::from_str(json).expect("the lines are JSON");
        lines
            .into_iter()
            .map(|l| Line {
                product: l.product.map(|code| self.product(conn, &code)),
                description: l.description,
                quantity: decimal(&l.quantity),
                unit_price: decimal(&l.unit_price),
                discount_pct: decimal(&l.discount_pct),
            })
            .collect()
    }

    pub(super) fn product(&mut self, conn: &Connection, code: &str) -> Id {
        if let Some(id) = self.products.get(code) {
            return *id;
        }
        let id = conn
            .prepare_cached(
                "INSERT INTO products (code, name, unit_price, currency, active)
                 VALUES (?1, ?1, '0', 'USD', 1)",
            )
            .and_then(|mut s| s.insert([code]))
            .expect("a product is inserted") as Id;
        self.products.insert(code.to_owned(), id);
        id
    }
}
