//! Writing records: prepared inserts of every record kind.

use super::{
    Account, Activity, ActivityLink, AmountMode, BusinessType, Connection, Contact, Currency,
    DateTime, EntityKind, Id, Lookup, Opportunity, Product, StageEvent, Utc, activity_kind_code,
    cents, hundredths, lookup_kind_code, params,
};

/// Prepared inserts of every record kind.
pub(super) struct Writer<'c> {
    conn: &'c Connection,
}

impl<'c> Writer<'c> {
    pub(super) fn new(conn: &'c Connection) -> Self {
        Writer { conn }
    }

    pub(super) fn run(&self, sql: &str, params: impl rusqlite::Params) {
        self.conn
            .prepare_cached(sql)
            .and_then(|mut s| s.execute(params))
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }

    pub(super) fn lookup(&mut self, l: &Lookup) {
        self.run(
            "INSERT INTO lookups (id, kind, name, active) VALUES (?1, ?2, ?3, ?4)",
            params![l.id as i64, lookup_kind_code(l.kind), l.name, l.active],
        );
    }

    pub(super) fn currency(&mut self, c: &Currency) {
        self.run(
            "INSERT INTO currencies (id, code, name, rate, rate_date, active)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                c.id as i64,
                c.code,
                c.name,
                c.rate.to_string(),
                c.rate_date.to_string(),
                c.active
            ],
        );
    }

    pub(super) fn product(&mut self, p: &Product) {
        self.run(
            "INSERT INTO products (id, code, name, unit_price, currency, active)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                p.id as i64,
                p.code,
                p.name,
                p.unit_price.to_string(),
                p.currency,
                p.active
            ],
        );
    }

    pub(super) fn account(&mut self, a: &Account) {
        self.run(
            "INSERT INTO accounts (id, name, source, industry, phone, email, website, address,
             notes) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                a.id as i64,
                a.name,
                a.source.map(|i| i as i64),
                a.industry,
                a.phone,
                a.email,
                a.website,
                a.address,
                a.notes
            ],
        );
    }

    pub(super) fn contact(&mut self, c: &Contact) {
        self.run(
            "INSERT INTO contacts (id, account, name, role, email, phone)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                c.id as i64,
                c.account as i64,
                c.name,
                c.role,
                c.email,
                c.phone
            ],
        );
    }

    pub(super) fn opportunity(&mut self, o: &Opportunity) {
        let id = |v: Option<Id>| v.map(|i| i as i64);
        self.run(
            "INSERT INTO opportunities (id, name, account, business_type, source, pipeline,
             stage, next_step, campaign, salesperson, currency, amount, amount_mode,
             expected_close, active, probability, probability_overridden, forecast, competitor,
             loss_reason, description, win_loss_report, priority, created, updated,
             stage_entered, closed, contact)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16,
             ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28)",
            params![
                o.id as i64,
                o.name,
                o.account as i64,
                matches!(o.business_type, BusinessType::Existing),
                id(o.source),
                o.pipeline as i64,
                o.stage as i64,
                o.next_step,
                id(o.campaign),
                id(o.salesperson),
                o.currency,
                cents(o.amount),
                matches!(o.amount_mode, AmountMode::FromLines),
                o.expected_close.map(|d| d.to_string()),
                o.active,
                hundredths(o.probability),
                o.probability_overridden,
                o.forecast != forsat::domain::ForecastChoice::Omitted,
                id(o.competitor),
                id(o.loss_reason),
                o.description,
                o.win_loss_report,
                o.priority,
                o.created.timestamp_millis(),
                o.updated.timestamp_millis(),
                o.stage_entered.timestamp_millis(),
                o.closed.map(|d| d.to_string()),
                id(o.contact)
            ],
        );
        for (position, l) in o.lines.iter().enumerate() {
            self.run(
                "INSERT INTO opportunity_lines (opportunity, position, product, description,
                 quantity, unit_price, discount_pct) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    o.id as i64,
                    position as i64,
                    id(l.product),
                    l.description,
                    l.quantity.to_string(),
                    l.unit_price.to_string(),
                    l.discount_pct.to_string()
                ],
            );
        }
        for tag in &o.tags {
            self.run(
                "INSERT INTO opportunity_tags (opportunity, tag) VALUES (?1, ?2)",
                params![o.id as i64, *tag as i64],
            );
        }
    }

    pub(super) fn stage_event(&mut self, e: &StageEvent) {
        self.run(
            "INSERT INTO stage_events (id, opportunity, from_stage, to_stage, at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                e.id as i64,
                e.opportunity as i64,
                e.from.map(|i| i as i64),
                e.to as i64,
                e.at.timestamp_millis()
            ],
        );
    }

    pub(super) fn activity(&mut self, a: &Activity) {
        let (opp, account) = match a.link {
            ActivityLink::Opportunity(id) => (Some(id as i64), None),
            ActivityLink::Account(id) => (None, Some(id as i64)),
        };
        self.run(
            "INSERT INTO activities (id, kind, summary, due, done, opportunity, account)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                a.id as i64,
                activity_kind_code(a.kind),
                a.summary,
                a.due.to_string(),
                a.done,
                opp,
                account
            ],
        );
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn history(
        &mut self,
        action: i64,
        entity: EntityKind,
        entity_id: Id,
        at: DateTime<Utc>,
        field: &str,
        old: &str,
        new: &str,
    ) {
        self.run(
            "INSERT INTO history (action, entity, entity_id, at, field, old, new)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                action,
                entity as i64,
                entity_id as i64,
                at.timestamp_millis(),
                field,
                old,
                new
            ],
        );
    }
}
