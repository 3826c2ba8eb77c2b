//! Accounts, contacts, leads, activities, products and currencies: one generic change command
//! that creates, edits and deletes them (and the deals that must move with them) in one
//! transaction, lead conversion, and the queries the views need. What a change may do to the
//! records it refers to is checked in [`super::references`].

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::{Decimal, RoundingStrategy};

use super::Workspace;
use super::apply::{
    Applied, ApplyError, MovesDone, Staged, Stamp, history, lifecycle, write_restored,
};
use crate::command::{Change, Command, ConvertLead};
use crate::domain::{
    Account, Activity, ActivityFilter, ActivityLink, Contact, Conversion, Currency, EntityKind,
    Field, FieldError, Id, Lead, Opportunity, Pipeline, Problem, Product, RATE_DECIMALS, Rates,
    Record, Settings, Stage, StageEvent, StageKind, clean_name, default_stages,
};
use crate::i18n::{stored_date, stored_number, stored_percent};

/// An account's deals (not in the trash) with their totals in the base currency.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AccountSummary {
    /// Open deals first, then won, then lost; each by expected close.
    pub deals: Vec<Id>,
    pub open: (u64, Decimal),
    pub won: (u64, Decimal),
    pub lost: (u64, Decimal),
    /// The activities of those deals (the account's own are apart): open first, by due date.
    pub deal_activities: Vec<Id>,
}

/// An activity with what it is about, as the Activities view lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListedActivity {
    pub activity: Activity,
    /// The deal's or account's name.
    pub about: String,
}

/// The settings as their history shows them.
fn settings_fields(s: &Settings) -> Vec<(&'static str, String)> {
    vec![
        ("base_currency", s.base_currency.clone()),
        ("close_offset_days", s.close_offset_days.to_string()),
        ("date_format", s.date_format.hint().to_owned()),
        ("week_start", format!("{:?}", s.week_start)),
        ("backups", s.backups.to_string()),
        ("backups_keep", s.backups_keep.to_string()),
    ]
}

/// The deals a change edits (before and after) and deletes (with their stage events).
struct DealsChanged {
    edited: Vec<(Opportunity, Opportunity)>,
    deleted: Vec<(Opportunity, Vec<StageEvent>)>,
}

/// The ids a change stores (not 0: those are new), refused unless each names one record: ids
/// come from this workspace, so a repeat is a programming error.
fn distinct_ids(change: &Change) -> Result<Vec<Id>, ApplyError> {
    let distinct = |ids: &[Id]| ids.iter().collect::<HashSet<_>>().len() == ids.len();
    let deal_ids: Vec<Id> = change.update_deals.iter().map(|o| o.id).collect();
    let stored_ids: Vec<Id> = change
        .put
        .iter()
        .map(Record::id)
        .filter(|id| *id != 0)
        .collect();
    if !distinct(&deal_ids) || !distinct(&change.delete_deals) || !distinct(&stored_ids) {
        return Err(ApplyError::StaleIds);
    }
    Ok(stored_ids)
}

/// Deletes the deals (with their stage events) and records a change removes, with their history.
fn write_deletions(
    tx: &mut crate::store::Tx<'_>,
    stamp: &Stamp,
    deals: &[(Opportunity, Vec<StageEvent>)],
    records: &[Record],
) -> Result<(), crate::store::TxError> {
    for (opp, events) in deals {
        tx.delete_opportunity(opp.id)?;
        tx.delete_trash(opp.id)?;
        for e in events {
            tx.delete_stage_event(e.id)?;
        }
        lifecycle(
            tx,
            stamp,
            EntityKind::Opportunity,
            opp.id,
            "deleted",
            &opp.name,
        )?;
    }
    for record in records {
        tx.delete_record(record.kind(), record.id())?;
        lifecycle(
            tx,
            stamp,
            record.kind(),
            record.id(),
            "deleted",
            &record.title(),
        )?;
    }
    Ok(())
}

/// What a lead converts into: its account, contact (if it names one) and deal.
struct LeadParts {
    account: Account,
    contact: Option<Record>,
    opp: Opportunity,
}

/// The contact a lead's contact details make (none without a name), checked.
fn lead_contact(lead: &Lead, account: Id) -> Result<Option<Record>, ApplyError> {
    let mut contact = (!lead.contact_name.trim().is_empty()).then(|| {
        Record::Contact(Contact {
            id: 0,
            account,
            name: lead.contact_name.clone(),
            role: String::new(),
            email: lead.email.clone(),
            phone: lead.phone.clone(),
            ..Contact::default()
        })
    });
    if let Some(contact) = &mut contact
        && let Err(errors) = contact.normalize_and_validate()
    {
        return Err(ApplyError::Invalid(errors));
    }
    Ok(contact)
}

impl Workspace {
    pub fn contact(&self, id: Id) -> Option<&Contact> {
        self.contacts.get(&id)
    }

    /// Every contact, by id.
    pub fn contacts(&self) -> impl Iterator<Item = &Contact> {
        self.contacts.values()
    }

    /// The contacts of `account`, by name.
    pub fn contacts_of(&self, account: Id) -> Vec<&Contact> {
        let ids = self
            .contacts_by_account
            .get(&account)
            .map_or(&[][..], |v| v);
        let mut out: Vec<&Contact> = ids.iter().filter_map(|id| self.contacts.get(id)).collect();
        out.sort_by_key(|c| c.name.to_lowercase());
        out
    }

    pub fn lead(&self, id: Id) -> Option<&Lead> {
        self.leads.get(&id)
    }

    /// Every lead, oldest first.
    pub fn leads(&self) -> impl DoubleEndedIterator<Item = &Lead> {
        self.leads.values()
    }

    pub fn activity(&self, id: Id) -> Option<&Activity> {
        self.activities.get(&id)
    }

    /// The name of the deal or account an activity is about, while it exists.
    pub fn activity_about(&self, link: ActivityLink) -> Option<&str> {
        match link {
            ActivityLink::Opportunity(id) => self.opportunity(id).map(|o| o.name.as_str()),
            ActivityLink::Account(id) => self.account(id).map(|a| a.name.as_str()),
        }
    }

    /// Every activity, in id order (the order they were planned in).
    pub fn activities(&self) -> impl ExactSizeIterator<Item = &Activity> {
        self.activities.values()
    }

    /// The activities of a deal or an account: open ones by due date, then done ones.
    pub fn activities_of(&self, link: ActivityLink) -> Vec<&Activity> {
        let ids = self.activities_by_link.get(&link).map_or(&[][..], |v| v);
        let mut out: Vec<&Activity> = ids
            .iter()
            .filter_map(|id| self.activities.get(id))
            .collect();
        out.sort_by_key(|a| (a.done, a.due, a.time, a.id));
        out
    }

    /// Activities not done yet whose deal or account exists (a trashed deal's wait), by due date.
    pub fn open_activities(&self) -> Vec<ListedActivity> {
        self.listed_activities(&ActivityFilter::default())
    }

    /// The activities `filter` lists whose deal or account exists (a trashed deal's wait), by
    /// due date; an activity's salesperson is its own, else its deal's.
    pub fn listed_activities(&self, filter: &ActivityFilter) -> Vec<ListedActivity> {
        let today = self.today();
        let words = filter.words();
        // A range of days reads only those days' activities (a calendar's week or month).
        let ranged: Box<dyn Iterator<Item = &Activity>> =
            if filter.from.is_some() || filter.to.is_some() {
                let from = filter.from.unwrap_or(NaiveDate::MIN);
                Box::new(self.due_between(from, filter.to.unwrap_or(NaiveDate::MAX)))
            } else {
                Box::new(self.activities.values())
            };
        let mut out: Vec<ListedActivity> = ranged
            .filter_map(|a| {
                let salesperson = match a.link {
                    ActivityLink::Opportunity(id) if self.is_trashed(id) => return None,
                    ActivityLink::Opportunity(id) => {
                        a.salesperson.or(self.opportunity(id)?.salesperson)
                    }
                    ActivityLink::Account(_) => a.salesperson,
                };
                let about = self.activity_about(a.link)?;
                filter
                    .matches(a, salesperson, about, today, &words)
                    .then(|| ListedActivity {
                        activity: a.clone(),
                        about: about.to_owned(),
                    })
            })
            .collect();
        out.sort_by_key(|o| (o.activity.due, o.activity.time, o.activity.id));
        out
    }

    /// The activities due from `from` to `to`, both days included, by day (none when `from`
    /// is after `to`): read through the index of days, not by a walk of every activity.
    pub(super) fn due_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &Activity> {
        let range = (from <= to).then_some((from, Id::MIN)..=(to, Id::MAX));
        range
            .into_iter()
            .flat_map(|range| self.activities_by_due.range(range))
            .filter_map(|(_, id)| self.activities.get(id))
    }

    /// The due date of a deal's next open activity, if it has one.
    pub fn next_activity(&self, opp: Id) -> Option<NaiveDate> {
        self.next_activity.get(&opp).map(|(due, _)| *due)
    }

    pub fn product(&self, id: Id) -> Option<&Product> {
        self.products.get(&id)
    }

    /// Every product, by code then name.
    pub fn products(&self) -> Vec<&Product> {
        let mut out: Vec<&Product> = self.products.values().collect();
        out.sort_by_key(|p| (p.code.to_lowercase(), p.name.to_lowercase()));
        out
    }

    pub fn currency(&self, id: Id) -> Option<&Currency> {
        self.currencies.get(&id)
    }

    /// The currencies besides the base one, by code.
    pub fn currencies(&self) -> Vec<&Currency> {
        let mut out: Vec<&Currency> = self.currencies.values().collect();
        out.sort_by(|a, b| a.code.cmp(&b.code));
        out
    }

    /// The codes a deal or product can be in: the base currency, then the active others.
    pub fn currency_codes(&self) -> Vec<String> {
        std::iter::once(self.settings.base_currency.clone())
            .chain(
                self.currencies()
                    .into_iter()
                    .filter(|c| c.active)
                    .map(|c| c.code.clone()),
            )
            .collect()
    }

    /// Every currency's rate to the base currency.
    pub fn rates(&self) -> &Rates {
        &self.rates
    }

    /// Every account, by name.
    pub fn accounts_by_name(&self) -> Vec<&Account> {
        let mut out: Vec<(String, &Account)> = self
            .accounts
            .values()
            .map(|a| (a.name.to_lowercase(), a))
            .collect();
        // Natural order: "Co. 9" before "Co. 10", as a person counts.
        out.sort_by(|(x, a), (y, b)| alphanumeric_sort::compare_str(x, y).then(a.id.cmp(&b.id)));
        out.into_iter().map(|(_, a)| a).collect()
    }

    /// `account`'s deals and their open, won and lost totals in the base currency.
    pub fn account_summary(&self, account: Id) -> AccountSummary {
        let mut deals: Vec<&Opportunity> = self
            .opportunities()
            .filter(|o| o.account == account && !self.is_trashed(o.id))
            .collect();
        let kind = |o: &Opportunity| self.stage(o.stage).map_or(StageKind::Open, |s| s.kind);
        let rank = |k: StageKind| match k {
            StageKind::Open => 0,
            StageKind::Won => 1,
            StageKind::Lost => 2,
        };
        deals.sort_by_key(|o| (rank(kind(o)), o.expected_close, o.id));
        let mut summary = AccountSummary::default();
        for o in deals {
            let slot = match kind(o) {
                StageKind::Open => &mut summary.open,
                StageKind::Won => &mut summary.won,
                StageKind::Lost => &mut summary.lost,
            };
            slot.0 += 1;
            slot.1 += o.expected_base(&self.rates);
            summary.deals.push(o.id);
        }
        let mut activities: Vec<&Activity> = summary
            .deals
            .iter()
            .flat_map(|&deal| self.activities_of(ActivityLink::Opportunity(deal)))
            .collect();
        activities.sort_by_key(|a| (a.done, a.due, a.id));
        summary.deal_activities = activities.into_iter().map(|a| a.id).collect();
        summary
    }

    /// The change that deletes `account` with its contacts and activities, or, given
    /// `reassign_to`, moves its deals, contacts and activities there first.
    pub fn delete_account_change(&self, account: Id, reassign_to: Option<Id>) -> Change {
        let mut change = Change::default();
        for c in self.contacts_of(account) {
            match reassign_to {
                Some(to) => change.put.push(Record::Contact(Contact {
                    account: to,
                    ..c.clone()
                })),
                None => change.remove.push((EntityKind::Contact, c.id)),
            }
        }
        let link = ActivityLink::Account(account);
        for a in self.activities_of(link) {
            match reassign_to {
                Some(to) => change.put.push(Record::Activity(Activity {
                    link: ActivityLink::Account(to),
                    ..a.clone()
                })),
                None => change.remove.push((EntityKind::Activity, a.id)),
            }
        }
        if let Some(to) = reassign_to {
            change.update_deals = self
                .opportunities()
                .filter(|o| o.account == account)
                .map(|o| Opportunity {
                    account: to,
                    ..o.clone()
                })
                .collect();
        }
        change.remove.push((EntityKind::Account, account));
        change
    }

    /// The stored version of a record, if it exists.
    pub(super) fn stored(&self, kind: EntityKind, id: Id) -> Option<Record> {
        match kind {
            EntityKind::Account => self.accounts.get(&id).cloned().map(Record::Account),
            EntityKind::Contact => self.contacts.get(&id).cloned().map(Record::Contact),
            EntityKind::Lead => self.leads.get(&id).cloned().map(Record::Lead),
            EntityKind::Activity => self.activities.get(&id).cloned().map(Record::Activity),
            EntityKind::Product => self.products.get(&id).cloned().map(Record::Product),
            EntityKind::Currency => self.currencies.get(&id).cloned().map(Record::Currency),
            EntityKind::Pipeline => self
                .pipelines
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .map(Record::Pipeline),
            EntityKind::Stage => self.stage(id).cloned().map(Record::Stage),
            EntityKind::Lookup => self.lookup(id).cloned().map(Record::Lookup),
            _ => None,
        }
    }

    /// A record's fields as its history shows them: names instead of ids.
    fn record_fields(&self, record: &Record) -> Vec<(Field, String)> {
        let lookup = |id: Option<Id>| self.lookup_name(id).to_owned();
        let number = |d: Decimal| stored_number(d, d.normalize().scale().min(8));
        match record {
            Record::Account(a) => vec![
                (Field::Name, a.name.clone()),
                (Field::Source, lookup(a.source)),
                (Field::Industry, a.industry.clone()),
                (Field::Phone, a.phone.clone()),
                (Field::Email, a.email.clone()),
                (Field::Website, a.website.clone()),
                (Field::Address, a.address.clone()),
                (Field::Notes, a.notes.clone()),
            ],
            Record::Contact(c) => vec![
                (Field::Name, c.name.clone()),
                (
                    Field::Account,
                    self.account(c.account)
                        .map(|a| a.name.clone())
                        .unwrap_or_default(),
                ),
                (Field::Role, c.role.clone()),
                (Field::Email, c.emails().collect::<Vec<_>>().join(", ")),
                (Field::Phone, c.phones().collect::<Vec<_>>().join(", ")),
                (Field::Notes, c.notes.clone()),
            ],
            Record::Lead(l) => vec![
                (Field::Name, l.name.clone()),
                (Field::Company, l.company.clone()),
                (Field::ContactName, l.contact_name.clone()),
                (Field::Email, l.email.clone()),
                (Field::Phone, l.phone.clone()),
                (Field::Source, lookup(l.source)),
                (Field::Notes, l.notes.clone()),
                (Field::Salesperson, lookup(l.salesperson)),
            ],
            Record::Activity(a) => vec![
                (Field::Kind, format!("{:?}", a.kind)),
                (Field::Summary, a.summary.clone()),
                (Field::Due, stored_date(a.due)),
                (Field::Done, a.done.to_string()),
                (Field::Link, format!("{:?}", a.link)),
                (
                    Field::Time,
                    a.time
                        .map(|t| t.format("%H:%M").to_string())
                        .unwrap_or_default(),
                ),
                (Field::Duration, a.minutes.to_string()),
                (Field::Notes, a.notes.clone()),
                (Field::Salesperson, lookup(a.salesperson)),
                (Field::Uid, a.uid.clone()),
            ],
            Record::Product(p) => vec![
                (Field::Code, p.code.clone()),
                (Field::Name, p.name.clone()),
                (Field::UnitPrice, number(p.unit_price)),
                (Field::Currency, p.currency.clone()),
                (Field::Active, p.active.to_string()),
            ],
            Record::Pipeline(p) => vec![
                (Field::Name, p.name.clone()),
                (Field::Sequence, p.sequence.to_string()),
            ],
            Record::Stage(s) => vec![
                (Field::Name, s.name.clone()),
                (
                    Field::Pipeline,
                    self.pipelines
                        .iter()
                        .find(|p| p.id == s.pipeline)
                        .map(|p| p.name.clone())
                        .unwrap_or_default(),
                ),
                (Field::Sequence, s.sequence.to_string()),
                (Field::Probability, stored_percent(s.probability)),
                (Field::Kind, format!("{:?}", s.kind)),
                (Field::Forecast, s.forecast.key().to_owned()),
                (Field::Requirements, s.requirements.clone()),
                (
                    Field::RottingDays,
                    s.rotting_days.map(|d| d.to_string()).unwrap_or_default(),
                ),
                (Field::Folded, s.folded.to_string()),
            ],
            Record::Lookup(l) => vec![
                (Field::Kind, format!("{:?}", l.kind)),
                (Field::Name, l.name.clone()),
                (Field::Active, l.active.to_string()),
            ],
            Record::Currency(c) => vec![
                (Field::Code, c.code.clone()),
                (Field::Name, c.name.clone()),
                (Field::Rate, number(c.rate)),
                (Field::RateDate, stored_date(c.rate_date)),
                (Field::Active, c.active.to_string()),
            ],
        }
    }

    /// The change that makes `settings` the settings; a new base currency (one of the listed
    /// currencies) rebases every rate to [`RATE_DECIMALS`] decimals: the old base becomes a
    /// currency at its rate, the new one leaves the list.
    pub fn settings_change(&self, settings: Settings) -> Change {
        let mut change = Change::default();
        let (old, new) = (&self.settings.base_currency, &settings.base_currency);
        if old != new
            && let Some(pivot) = self.currencies.values().find(|c| &c.code == new)
        {
            let rebase = |rate: Decimal| {
                (rate / pivot.rate)
                    .round_dp_with_strategy(RATE_DECIMALS, RoundingStrategy::MidpointAwayFromZero)
            };
            for c in self.currencies.values().filter(|c| c.id != pivot.id) {
                change.put.push(Record::Currency(Currency {
                    rate: rebase(c.rate),
                    ..c.clone()
                }));
            }
            change.put.push(Record::Currency(Currency {
                id: 0,
                code: old.clone(),
                name: String::new(),
                rate: rebase(Decimal::ONE),
                rate_date: self.today(),
                active: true,
            }));
            change.remove.push((EntityKind::Currency, pivot.id));
        }
        change.settings = Some(settings);
        change
    }

    /// The change creating a pipeline called `name` with the default stages: ids are assigned
    /// in advance so the stages can name their pipeline.
    pub fn new_pipeline_change(&self, name: &str) -> Change {
        let id = self.next_id();
        let sequence = self.pipelines.iter().map(|p| p.sequence).max().unwrap_or(0) + 1;
        let pipeline = Record::Pipeline(Pipeline {
            id,
            name: name.to_owned(),
            sequence,
        });
        let stages = default_stages(id).zip(1..).map(|(stage, n)| {
            Record::Stage(Stage {
                // Past the last id they repeat and the change is refused: never a wrap to 0.
                id: id.saturating_add(n),
                ..stage
            })
        });
        Change {
            put: std::iter::once(pipeline).chain(stages).collect(),
            ..Change::default()
        }
    }

    /// Applies a [`Change`]: records created, edited and deleted, deals replaced, deleted or put
    /// back, all in one transaction with their history.
    pub(super) fn apply_change(&mut self, mut change: Change) -> Result<Applied, ApplyError> {
        let stored_ids = distinct_ids(&change)?;
        // Ids at or past the counter were assigned in advance (records that name each other,
        // like a new pipeline and its stages): they are new, and the counter moves past them.
        let first_new = self.next_id();
        let preassigned = stored_ids
            .iter()
            .copied()
            .filter(|id| *id >= first_new)
            .max();
        let mut errors = self.check_change(&mut change);
        let now = self.now();
        let edited = std::mem::take(&mut change.update_deals);
        let pending = Staged::of_records(stored_ids.into_iter().collect(), &change.put);
        let deals = self.check_deals(&change, edited, now, &pending, &mut errors)?;
        if !errors.is_empty() {
            return Err(ApplyError::Invalid(errors));
        }
        let removed: Vec<Record> = change
            .remove
            .iter()
            .filter_map(|&(kind, id)| self.stored(kind, id))
            .collect();
        let (puts, done) = self.write(|tx| {
            if let Some(last) = preassigned {
                tx.take_ids_through(last)?;
            }
            let stamp = Stamp::begin(tx, now)?;
            if let Some(settings) = &change.settings {
                self.write_settings(tx, &stamp, settings)?;
            }
            let puts = self.write_puts(tx, &stamp, &change.put, first_new)?;
            for (opp, events) in &change.restore_deals {
                write_restored(tx, &stamp, opp, events)?;
            }
            let mut done = MovesDone::default();
            for (old, new) in &deals.edited {
                let moves = &change.moves;
                self.write_undoable(tx, &stamp, (old, new), &pending, moves, &mut done)?;
            }
            write_deletions(tx, &stamp, &deals.deleted, &removed)?;
            Ok((puts, done))
        })?;

        // The first record put without an id is the one the user created (an account, a
        // lead): its view shows it by this id.
        let created = change
            .put
            .iter()
            .zip(&puts)
            .find(|(asked, _)| asked.id() == 0)
            .map(|(_, (_, stored))| stored.id());
        let inverse = self.install_change(change, puts, done, deals, removed);
        Ok(Applied {
            inverse: Some(Command::Change(Box::new(inverse))),
            created,
        })
    }

    /// Checks the deals a change edits, puts back and deletes: the edited ones prepared (their
    /// errors added to `errors`), the deleted ones read with their stage events.
    fn check_deals(
        &self,
        change: &Change,
        edited: Vec<Opportunity>,
        now: DateTime<Utc>,
        pending: &Staged,
        errors: &mut Vec<FieldError>,
    ) -> Result<DealsChanged, ApplyError> {
        let mut pairs = Vec::with_capacity(edited.len());
        for mut new in edited {
            let old = self
                .opportunity(new.id)
                .cloned()
                .ok_or(ApplyError::Missing(EntityKind::Opportunity, new.id))?;
            match self.prepare(Some(&old), &mut new, now, pending) {
                Ok(()) => pairs.push((old, new)),
                Err(found) => errors.extend(found),
            }
        }
        for (opp, _) in &change.restore_deals {
            if self.opportunity(opp.id).is_some() {
                return Err(ApplyError::StaleIds);
            }
            errors.extend(opp.validate().err().unwrap_or_default());
            errors.extend(self.check_references(opp, pending));
        }
        let mut deleted = Vec::with_capacity(change.delete_deals.len());
        for id in &change.delete_deals {
            let opp = self
                .opportunity(*id)
                .cloned()
                .ok_or(ApplyError::Missing(EntityKind::Opportunity, *id))?;
            let events: Vec<StageEvent> = self
                .stage_events
                .iter()
                .filter(|e| e.opportunity == *id)
                .cloned()
                .collect();
            deleted.push((opp, events));
        }
        Ok(DealsChanged {
            edited: pairs,
            deleted,
        })
    }

    /// Writes new settings with one history entry per changed field.
    fn write_settings(
        &self,
        tx: &mut crate::store::Tx<'_>,
        stamp: &Stamp,
        settings: &Settings,
    ) -> Result<(), crate::store::TxError> {
        tx.put_settings(settings)?;
        for ((key, was), (_, is)) in settings_fields(&self.settings)
            .into_iter()
            .zip(settings_fields(settings))
        {
            if was != is {
                history(tx, stamp, EntityKind::Settings, 0, key, was, is)?;
            }
        }
        Ok(())
    }

    /// Writes the records a change puts, each with the one it replaces (none for a new one).
    fn write_puts(
        &self,
        tx: &mut crate::store::Tx<'_>,
        stamp: &Stamp,
        records: &[Record],
        first_new: Id,
    ) -> Result<Vec<(Option<Record>, Record)>, crate::store::TxError> {
        let mut puts = Vec::with_capacity(records.len());
        for record in records {
            let mut record = record.clone();
            // New records come without an id or with one assigned in advance; one with an
            // older id that is not stored was deleted and is put back (an undo).
            let event = if record.id() == 0 {
                record.set_id(tx.new_id()?);
                if let Record::Activity(a) = &mut record {
                    a.give_uid(stamp.at);
                }
                "created"
            } else if record.id() >= first_new {
                "created"
            } else {
                "restored"
            };
            let old = self.stored(record.kind(), record.id());
            self.write_record(tx, stamp, old.as_ref(), &record, event)?;
            puts.push((old, record));
        }
        Ok(puts)
    }

    /// Puts a written change in memory, in the transaction's order, and returns its inverse.
    fn install_change(
        &mut self,
        change: Change,
        puts: Vec<(Option<Record>, Record)>,
        done: MovesDone,
        deals: DealsChanged,
        removed: Vec<Record>,
    ) -> Change {
        let mut inverse = Change::default();
        if let Some(settings) = change.settings {
            crate::i18n::install(settings.local());
            crate::last_language::remember(settings.language);
            inverse.settings = Some(std::mem::replace(&mut self.settings, settings));
        }
        for (old, record) in puts {
            match old {
                Some(old) => inverse.put.push(old),
                None => inverse.remove.push((record.kind(), record.id())),
            }
            self.install_record(record);
        }
        for (opp, events) in change.restore_deals {
            inverse.delete_deals.push(opp.id);
            self.add_stage_events(events);
            self.install(None, opp);
        }
        self.stage_events.sort_by_key(|e| (e.at, e.id));
        inverse.moves = done.inverse();
        done.install(self);
        inverse.update_deals = self.install_edited(deals.edited);
        let deleted_ids: HashSet<Id> = deals.deleted.iter().map(|(o, _)| o.id).collect();
        self.uninstall(&deleted_ids);
        inverse.restore_deals = deals.deleted;
        for record in removed {
            self.uninstall_record(record.kind(), record.id());
            inverse.put.push(record);
        }
        // Put back what was deleted before what refers to it: accounts first.
        inverse.put.sort_by_key(|r| r.kind() != EntityKind::Account);
        self.after_records_changed();
        inverse
    }

    /// Writes one record with its history: `event` (created or restored) for a new one, or one
    /// entry per changed field.
    fn write_record(
        &self,
        tx: &mut crate::store::Tx<'_>,
        stamp: &Stamp,
        old: Option<&Record>,
        new: &Record,
        event: &str,
    ) -> Result<(), crate::store::TxError> {
        tx.put_record(new)?;
        let (kind, id) = (new.kind(), new.id());
        match old {
            None => lifecycle(tx, stamp, kind, id, event, &new.title()),
            Some(old) => {
                for ((field, was), (_, is)) in self
                    .record_fields(old)
                    .into_iter()
                    .zip(self.record_fields(new))
                {
                    if was != is {
                        history(tx, stamp, kind, id, field.key(), was, is)?;
                    }
                }
                Ok(())
            }
        }
    }

    pub(super) fn install_record(&mut self, record: Record) {
        if record.kind() == EntityKind::Activity {
            self.activities_changed += 1;
        }
        self.unindex(record.kind(), record.id());
        // An activity moved to another deal leaves that deal's next activity to recompute.
        let old_link = self.activities.get(&record.id()).map(|a| a.link);
        match record {
            Record::Account(r) => {
                self.put_account(r);
            }
            Record::Contact(r) => {
                self.contacts_by_account
                    .entry(r.account)
                    .or_default()
                    .push(r.id);
                self.contacts.insert(r.id, r);
            }
            Record::Lead(r) => {
                self.leads.insert(r.id, r);
            }
            Record::Activity(r) => {
                self.activities_by_link
                    .entry(r.link)
                    .or_default()
                    .push(r.id);
                let link = r.link;
                self.activities_by_due.insert((r.due, r.id));
                self.activities.insert(r.id, r);
                self.refresh_next_activity(link);
                if let Some(old) = old_link.filter(|old| *old != link) {
                    self.refresh_next_activity(old);
                }
            }
            Record::Product(r) => {
                self.products.insert(r.id, r);
            }
            Record::Currency(r) => {
                self.currencies.insert(r.id, r);
            }
            Record::Pipeline(r) => {
                self.pipelines.retain(|p| p.id != r.id);
                self.pipelines.push(r);
                self.sort_config();
            }
            Record::Stage(r) => {
                // Its kind may have changed: every deal in it is won, lost or open anew.
                self.facts_stale();
                self.stages.retain(|s| s.id != r.id);
                self.stages.push(r);
                self.sort_config();
            }
            Record::Lookup(r) => {
                self.lookups.insert(r.id, r);
            }
        }
    }

    /// What clearing the sample removes besides its deals, accounts and lookups: the contacts
    /// and activities of what goes, the sample's leads, and its products and currencies no
    /// remaining deal or product uses.
    pub(super) fn sample_records_to_clear(
        &self,
        opps: &HashSet<Id>,
        accounts: &[Id],
    ) -> Vec<Record> {
        let sample: HashSet<(EntityKind, Id)> = self.sample.iter().copied().collect();
        let in_sample = |r: &Record| sample.contains(&(r.kind(), r.id()));
        let remaining = || self.opportunities().filter(|o| !opps.contains(&o.id));
        let gone = |link: ActivityLink| match link {
            ActivityLink::Opportunity(id) => opps.contains(&id),
            ActivityLink::Account(id) => accounts.contains(&id),
        };
        let contacts = self
            .contacts
            .values()
            .filter(|c| accounts.contains(&c.account))
            .map(|c| Record::Contact(c.clone()));
        let activities = self
            .activities
            .values()
            .filter(|a| gone(a.link))
            .map(|a| Record::Activity(a.clone()));
        let leads = self.leads.values().map(|l| Record::Lead(l.clone()));
        // A sample product a remaining deal uses stays, and so does its currency.
        let (products, kept_products): (Vec<&Product>, Vec<&Product>) =
            self.products.values().partition(|p| {
                sample.contains(&(EntityKind::Product, p.id))
                    && !remaining().any(|o| o.lines.iter().any(|l| l.product == Some(p.id)))
            });
        let products = products.into_iter().map(|p| Record::Product(p.clone()));
        let currencies = self
            .currencies
            .values()
            .filter(|c| {
                !remaining().any(|o| o.currency == c.code)
                    && !kept_products.iter().any(|p| p.currency == c.code)
            })
            .map(|c| Record::Currency(c.clone()));
        let mut out: Vec<Record> = contacts.chain(activities).collect();
        out.extend(
            leads
                .chain(products)
                .chain(currencies)
                .filter(|r| in_sample(r)),
        );
        out
    }

    pub(super) fn uninstall_record(&mut self, kind: EntityKind, id: Id) {
        if kind == EntityKind::Activity {
            self.activities_changed += 1;
        }
        self.unindex(kind, id);
        match kind {
            EntityKind::Account => self.drop_account(id),
            EntityKind::Contact => drop(self.contacts.remove(&id)),
            EntityKind::Lead => drop(self.leads.remove(&id)),
            EntityKind::Activity => {
                if let Some(a) = self.activities.remove(&id) {
                    self.refresh_next_activity(a.link);
                }
            }
            EntityKind::Product => drop(self.products.remove(&id)),
            EntityKind::Currency => drop(self.currencies.remove(&id)),
            EntityKind::Pipeline => self.pipelines.retain(|p| p.id != id),
            EntityKind::Stage => {
                self.facts_stale();
                self.stages.retain(|s| s.id != id);
                self.columns.remove(&id);
            }
            EntityKind::Lookup => drop(self.lookups.remove(&id)),
            _ => {}
        }
    }

    /// Takes a stored contact or activity out of the indexes, before it is replaced or removed.
    fn unindex(&mut self, kind: EntityKind, id: Id) {
        let list = match kind {
            EntityKind::Contact => self
                .contacts
                .get(&id)
                .and_then(|c| self.contacts_by_account.get_mut(&c.account)),
            EntityKind::Activity => {
                let Some(a) = self.activities.get(&id) else {
                    return;
                };
                self.activities_by_due.remove(&(a.due, id));
                self.activities_by_link.get_mut(&a.link)
            }
            _ => None,
        };
        if let Some(list) = list {
            list.retain(|x| *x != id);
        }
    }

    /// Brings the rates and, when they changed, the column totals in line with the currencies.
    /// A rate change re-totals every column: it is rare, and every total must follow at once.
    pub(super) fn after_records_changed(&mut self) {
        let rates = Rates::new(&self.settings.base_currency, self.currencies.values());
        if rates != self.rates {
            self.rates = rates;
            self.facts_stale();
            self.rebuild_columns();
        }
    }

    /// Recomputes a deal's next open activity from its own activities.
    fn refresh_next_activity(&mut self, link: ActivityLink) {
        let ActivityLink::Opportunity(opp) = link else {
            return;
        };
        let next = self
            .activities_by_link
            .get(&link)
            .into_iter()
            .flatten()
            .filter_map(|id| self.activities.get(id))
            .filter(|a| !a.done)
            .map(|a| (a.due, a.id))
            .min();
        match next {
            Some(next) => self.next_activity.insert(opp, next),
            None => self.next_activity.remove(&opp),
        };
    }

    /// Builds the contact and activity indexes and every deal's next activity (on open).
    pub(super) fn rebuild_related_indexes(&mut self) {
        self.contacts_by_account.clear();
        for c in self.contacts.values() {
            self.contacts_by_account
                .entry(c.account)
                .or_default()
                .push(c.id);
        }
        self.activities_by_link.clear();
        self.next_activity.clear();
        self.activities_by_due = self.activities.values().map(|a| (a.due, a.id)).collect();
        for a in self.activities.values() {
            self.activities_by_link
                .entry(a.link)
                .or_default()
                .push(a.id);
            if let (ActivityLink::Opportunity(opp), false) = (a.link, a.done) {
                let entry = self.next_activity.entry(opp).or_insert((a.due, a.id));
                *entry = (*entry).min((a.due, a.id));
            }
        }
    }

    /// Converts a lead: the account (picked, matched by name or created), a contact from the
    /// lead's contact details, a deal in the chosen stage, and the lead marked converted.
    pub(super) fn convert_lead(&mut self, c: &ConvertLead) -> Result<Applied, ApplyError> {
        let lead = self
            .lead(c.lead)
            .cloned()
            .ok_or(ApplyError::Missing(EntityKind::Lead, c.lead))?;
        if lead.converted.is_some() {
            return Err(ApplyError::Invalid(vec![FieldError::new(
                Field::Name,
                Problem::AlreadyConverted,
            )]));
        }
        let stage = self
            .stage(c.stage)
            .cloned()
            .ok_or(ApplyError::Missing(EntityKind::Stage, c.stage))?;
        let now = self.now();
        let (account, create_account) = self.conversion_account(c, &lead)?;
        let contact = lead_contact(&lead, account.id)?;
        let mut opp = Opportunity::draft(&account, &stage, &self.settings, now);
        opp.name = lead.name.clone();
        opp.source = lead.source.or(account.source);
        opp.salesperson = lead.salesperson;
        opp.description = lead.notes.clone();
        let pending = Staged::ids(create_account.then_some(opp.account).into_iter().collect());
        self.prepare(None, &mut opp, now, &pending)
            .map_err(ApplyError::Invalid)?;
        let parts = LeadParts {
            account,
            contact,
            opp,
        };
        let (parts, converted, event) =
            self.write(|tx| self.write_conversion(tx, now, &lead, create_account, parts))?;
        let LeadParts {
            account,
            contact,
            opp,
        } = parts;
        let mut inverse = Change {
            put: vec![Record::Lead(lead)],
            delete_deals: vec![opp.id],
            ..Change::default()
        };
        if let Some(contact) = &contact {
            inverse.remove.push((EntityKind::Contact, contact.id()));
        }
        if create_account {
            inverse.remove.push((EntityKind::Account, account.id));
            self.put_account(account);
        }
        if let Some(contact) = contact {
            self.install_record(contact);
        }
        self.install_record(Record::Lead(converted));
        self.add_stage_events(event);
        let id = opp.id;
        self.install(None, opp);
        Ok(Applied {
            inverse: Some(Command::Change(Box::new(inverse))),
            created: Some(id),
        })
    }

    /// The account a lead converts into: the one picked, else the one of that name, else a new
    /// one from the lead's details (`true`: to be created).
    fn conversion_account(
        &self,
        c: &ConvertLead,
        lead: &Lead,
    ) -> Result<(Account, bool), ApplyError> {
        Ok(match c.account {
            Some(id) => (
                self.account(id)
                    .cloned()
                    .ok_or(ApplyError::Missing(EntityKind::Account, id))?,
                false,
            ),
            None => {
                let name = clean_name(Field::Account, &c.account_name)?;
                match self.account_by_name(&name) {
                    Some(a) => (a.clone(), false),
                    None => (
                        Account {
                            name,
                            source: lead.source,
                            phone: lead.phone.clone(),
                            email: lead.email.clone(),
                            ..Account::default()
                        },
                        true,
                    ),
                }
            }
        })
    }

    /// Writes a conversion: the account if new, the contact and deal with their ids, and the
    /// lead marked converted, each with its history. Returns the parts as stored, the converted
    /// lead and the deal's first stage event.
    fn write_conversion(
        &self,
        tx: &mut crate::store::Tx<'_>,
        now: DateTime<Utc>,
        lead: &Lead,
        create_account: bool,
        parts: LeadParts,
    ) -> Result<(LeadParts, Lead, Option<StageEvent>), crate::store::TxError> {
        let LeadParts {
            mut account,
            mut contact,
            mut opp,
        } = parts;
        let stamp = Stamp::begin(tx, now)?;
        if create_account {
            account.id = tx.new_id()?;
            tx.put_account(&account)?;
            lifecycle(
                tx,
                &stamp,
                EntityKind::Account,
                account.id,
                "created",
                &account.name,
            )?;
        }
        if let Some(Record::Contact(ct)) = &mut contact {
            ct.id = tx.new_id()?;
            ct.account = account.id;
        }
        if let Some(record) = &contact {
            self.write_record(tx, &stamp, None, record, "created")?;
        }
        opp.id = tx.new_id()?;
        opp.account = account.id;
        opp.contact = contact.as_ref().map(Record::id);
        let event = self.write_opportunity(tx, &stamp, None, &opp, Some(&account))?;
        let converted = Lead {
            converted: Some(Conversion {
                account: account.id,
                contact: opp.contact,
                opportunity: opp.id,
                at: now,
            }),
            ..lead.clone()
        };
        tx.put_record(&Record::Lead(converted.clone()))?;
        history(
            tx,
            &stamp,
            EntityKind::Lead,
            lead.id,
            "converted",
            String::new(),
            opp.name.clone(),
        )?;
        let parts = LeadParts {
            account,
            contact,
            opp,
        };
        Ok((parts, converted, event))
    }
}
