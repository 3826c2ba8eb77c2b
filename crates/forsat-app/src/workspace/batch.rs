//! Generated records in bulk (demo data, the sample pipeline) and clearing the sample.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};

use super::Workspace;
use super::apply::{Applied, ApplyError, Staged, Stamp, history, lifecycle};
use crate::command::{Batch, Change, Command};
use crate::domain::{
    CloseDateChange, EntityKind, Field, FieldError, Id, IdMap, IdSet, Opportunity, Problem, Record,
    StageEvent, StageKind,
};
use crate::i18n::stored_date;
use crate::store::{TrashEntry, Tx, TxError};
use crate::tr;

/// What a batch of generated records is: how it is kept and undone.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum BatchKind {
    /// Demo data or an import: undone by deleting what it added.
    Added,
    /// The first start's sample: kept as the sample, and not undone (it is cleared instead).
    FirstStart,
    /// The sample loaded on request: kept as the sample too (so *Clear sample data* removes
    /// it), and undone like an import.
    Sample,
}

impl Workspace {
    /// Writes generated records whose ids were assigned from [`Workspace::next_id`].
    pub(super) fn insert_batch(
        &mut self,
        mut batch: Batch,
        kind: BatchKind,
    ) -> Result<Applied, ApplyError> {
        let (fresh, max_id) = self.fresh_ids(&batch)?;
        // By deal, as they are checked and written.
        (batch.close_dates).sort_by_key(|c| (c.opportunity, c.at));
        let mut errors = Vec::new();
        for record in &mut batch.records {
            errors.extend(record.normalize_and_validate().err().unwrap_or_default());
            if let Record::Activity(a) = record {
                a.give_uid(self.now());
            }
        }
        // What the batch itself adds may be named by its deals: stages and currencies too.
        let pending = Staged::of_records(fresh.clone(), &batch.records);
        errors.extend(self.check_batch(&batch, &fresh, &pending));
        if !errors.is_empty() {
            errors.truncate(20);
            return Err(ApplyError::Invalid(errors));
        }
        let now = self.now();
        let sample: Vec<(EntityKind, Id)> = if kind == BatchKind::Added {
            Vec::new()
        } else {
            batch
                .lookups
                .iter()
                .map(|l| (EntityKind::Lookup, l.id))
                .chain(batch.accounts.iter().map(|a| (EntityKind::Account, a.id)))
                .chain(
                    batch
                        .opportunities
                        .iter()
                        .map(|o| (EntityKind::Opportunity, o.id)),
                )
                .chain(batch.records.iter().map(|r| (r.kind(), r.id())))
                .collect()
        };
        let stage_names: HashMap<Id, String> = self
            .stages
            .iter()
            .chain(pending.stages.iter().copied())
            .map(|s| (s.id, s.name.clone()))
            .collect();
        self.write(|tx| {
            tx.take_ids_through(max_id)?;
            let stamp = Stamp::begin(tx, now)?;
            write_batch(tx, &stamp, &batch, &stage_names, now)?;
            match kind {
                BatchKind::Added => {}
                BatchKind::FirstStart => {
                    tx.put_sample(&sample)?;
                    tx.put_first_start_done()?;
                }
                BatchKind::Sample => {
                    let all: Vec<(EntityKind, Id)> =
                        self.sample.iter().chain(&sample).copied().collect();
                    tx.put_sample(&all)?;
                }
            }
            Ok(())
        })?;
        // Undone by deleting what it added (the first start's sample is cleared instead).
        let inverse = (kind != BatchKind::FirstStart).then(|| {
            let remove = batch
                .lookups
                .iter()
                .map(|l| (EntityKind::Lookup, l.id))
                .chain(batch.accounts.iter().map(|a| (EntityKind::Account, a.id)))
                .chain(batch.records.iter().map(|r| (r.kind(), r.id())))
                .collect();
            Command::Change(Box::new(Change {
                delete_deals: batch.opportunities.iter().map(|o| o.id).collect(),
                remove,
                ..Change::default()
            }))
        });
        self.install_batch(batch, kind, sample, now);
        Ok(Applied {
            inverse,
            created: None,
        })
    }

    /// The ids of a batch, all new and each named once, and the highest of them.
    fn fresh_ids(&self, batch: &Batch) -> Result<(IdSet, Id), ApplyError> {
        let ids: Vec<Id> = batch
            .lookups
            .iter()
            .map(|l| l.id)
            .chain(batch.accounts.iter().map(|a| a.id))
            .chain(batch.opportunities.iter().map(|o| o.id))
            .chain(batch.stage_events.iter().map(|e| e.id))
            .chain(batch.records.iter().map(Record::id))
            .collect();
        let fresh: IdSet = ids.iter().copied().collect();
        if fresh.len() != ids.len() || ids.iter().any(|&id| id < self.next_id()) {
            return Err(ApplyError::StaleIds);
        }
        Ok((fresh, ids.iter().copied().max().unwrap_or(0)))
    }

    /// What is wrong with a batch's pipelines, deals, stage moves and trash (its records
    /// are checked apart, as they are normalized).
    fn check_batch(&self, batch: &Batch, fresh: &IdSet, pending: &Staged) -> Vec<FieldError> {
        let mut errors = self.check_batch_pipelines(&batch.records);
        for opp in &batch.opportunities {
            errors.extend(opp.validate().err().unwrap_or_default());
            errors.extend(self.check_references(opp, pending));
        }
        let stage_known =
            |id: Id| self.stage(id).is_some() || pending.stages.iter().any(|s| s.id == id);
        for e in &batch.stage_events {
            if !fresh.contains(&e.opportunity)
                || !stage_known(e.to)
                || e.from.is_some_and(|f| !stage_known(f))
            {
                errors.push(FieldError::new(Field::Stage, Problem::Unknown));
            }
        }
        let deal_ids: IdSet = batch.opportunities.iter().map(|o| o.id).collect();
        errors.extend(check_close_dates(batch));
        if batch.trash.iter().any(|id| !deal_ids.contains(id)) {
            errors.push(FieldError::new(Field::Name, Problem::Unknown));
        }
        errors
    }

    /// Puts a written batch in memory (and `sample`, what it adds to the sample).
    fn install_batch(
        &mut self,
        batch: Batch,
        kind: BatchKind,
        sample: Vec<(EntityKind, Id)>,
        now: DateTime<Utc>,
    ) {
        match kind {
            BatchKind::Added => {}
            BatchKind::FirstStart => {
                self.sample = sample;
                self.first_start_done = true;
            }
            BatchKind::Sample => self.sample.extend(sample),
        }
        self.lookups
            .extend(batch.lookups.into_iter().map(|l| (l.id, l)));
        self.accounts
            .extend(batch.accounts.into_iter().map(|a| (a.id, a)));
        self.add_stage_events(batch.stage_events);
        self.stage_events.sort_by_key(|e| (e.at, e.id));
        for r in batch.records {
            self.install_record(r);
        }
        // The batch's rates first, so its deals are totalled at them; trashed deals stay off
        // the board.
        self.after_records_changed();
        self.trash.extend(batch.trash.iter().map(|id| (*id, now)));
        self.install_new(batch.opportunities);
    }

    /// The pipelines and stages a batch adds: a stage in a pipeline that exists or comes with
    /// it, and a new pipeline with an open stage.
    fn check_batch_pipelines(&self, records: &[Record]) -> Vec<FieldError> {
        let new_pipelines: Vec<Id> = records
            .iter()
            .filter_map(|r| match r {
                Record::Pipeline(p) => Some(p.id),
                _ => None,
            })
            .collect();
        let stages = || {
            records.iter().filter_map(|r| match r {
                Record::Stage(s) => Some(s),
                _ => None,
            })
        };
        let mut errors = Vec::new();
        let known = |p: Id| new_pipelines.contains(&p) || self.pipelines.iter().any(|x| x.id == p);
        if stages().any(|s| !known(s.pipeline)) {
            errors.push(FieldError::new(Field::Pipeline, Problem::Unknown));
        }
        let without_open = new_pipelines
            .iter()
            .any(|p| !stages().any(|s| s.pipeline == *p && s.kind == StageKind::Open));
        if without_open {
            errors.push(FieldError::new(Field::Stage, Problem::NeedsOpenStage));
        }
        errors
    }

    pub(super) fn clear_sample(&mut self) -> Result<Applied, ApplyError> {
        let of_kind = |kind: EntityKind| -> HashSet<Id> {
            self.sample
                .iter()
                .filter(|(k, _)| *k == kind)
                .map(|(_, id)| *id)
                .collect()
        };
        let opps: HashSet<Id> = of_kind(EntityKind::Opportunity)
            .into_iter()
            .filter(|id| self.opportunities.contains_key(id))
            .collect();
        let remaining = || self.opportunities().filter(|o| !opps.contains(&o.id));
        let accounts: Vec<Id> = of_kind(EntityKind::Account)
            .into_iter()
            .filter(|a| self.accounts.contains_key(a) && !remaining().any(|o| o.account == *a))
            .collect();
        let lookups: Vec<Id> = of_kind(EntityKind::Lookup)
            .into_iter()
            .filter(|l| {
                self.lookups.contains_key(l)
                    && !remaining().any(|o| {
                        [
                            o.source,
                            o.campaign,
                            o.salesperson,
                            o.competitor,
                            o.loss_reason,
                        ]
                        .contains(&Some(*l))
                            || o.tags.contains(l)
                    })
                    && !self
                        .accounts
                        .values()
                        .any(|a| a.source == Some(*l) && !accounts.contains(&a.id))
                    // The user's own leads keep their source and salesperson.
                    && !self.leads().any(|lead| {
                        !self.sample.contains(&(EntityKind::Lead, lead.id))
                            && [lead.source, lead.salesperson].contains(&Some(*l))
                    })
            })
            .collect();
        let records = self.sample_records_to_clear(&opps, &accounts);
        let events = self.events_of(&opps);
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            let forget = |tx: &mut Tx<'_>, kind: EntityKind, id: Id, name: String| {
                tx.delete_history_of(kind, id)?;
                history(
                    tx,
                    &stamp,
                    kind,
                    id,
                    "deleted",
                    name,
                    tr!("sample data cleared"),
                )
            };
            for id in &opps {
                tx.delete_opportunity(*id)?;
                tx.delete_trash(*id)?;
                forget(
                    tx,
                    EntityKind::Opportunity,
                    *id,
                    self.opportunities[id].name.clone(),
                )?;
            }
            for id in &events {
                tx.delete_stage_event(*id)?;
            }
            for id in &accounts {
                tx.delete_account(*id)?;
                forget(tx, EntityKind::Account, *id, self.accounts[id].name.clone())?;
            }
            for id in &lookups {
                tx.delete_lookup(*id)?;
                forget(tx, EntityKind::Lookup, *id, self.lookups[id].name.clone())?;
            }
            for r in &records {
                tx.delete_record(r.kind(), r.id())?;
                forget(tx, r.kind(), r.id(), r.title())?;
            }
            tx.put_sample(&[])?;
            Ok(())
        })?;
        self.uninstall(&opps);
        for id in &accounts {
            self.drop_account(*id);
        }
        for id in &lookups {
            self.lookups.remove(id);
        }
        for r in &records {
            self.uninstall_record(r.kind(), r.id());
        }
        self.after_records_changed();
        self.sample.clear();
        Ok(Applied::default())
    }
}

/// Writes a batch's records, deals, stage moves and trash, each with its history.
fn write_batch(
    tx: &mut Tx<'_>,
    stamp: &Stamp,
    batch: &Batch,
    stage_names: &HashMap<Id, String>,
    now: DateTime<Utc>,
) -> Result<(), TxError> {
    for l in &batch.lookups {
        tx.put_lookup(l)?;
        lifecycle(tx, stamp, EntityKind::Lookup, l.id, "created", &l.name)?;
    }
    for a in &batch.accounts {
        tx.put_account(a)?;
        lifecycle(tx, stamp, EntityKind::Account, a.id, "created", &a.name)?;
    }
    write_batch_deals(tx, stamp, batch, stage_names)?;
    for r in &batch.records {
        tx.put_record(r)?;
        lifecycle(tx, stamp, r.kind(), r.id(), "created", &r.title())?;
    }
    for e in &batch.stage_events {
        tx.put_stage_event(e)?;
    }
    for id in &batch.trash {
        tx.put_trash(&TrashEntry {
            opportunity: *id,
            at: now,
        })?;
        let name = batch
            .opportunities
            .iter()
            .find(|o| o.id == *id)
            .map_or("", |o| o.name.as_str());
        lifecycle(tx, stamp, EntityKind::Opportunity, *id, "trashed", name)?;
    }
    Ok(())
}

/// Writes a batch's deals, each with its creation and then its stage moves in its history.
fn write_batch_deals(
    tx: &mut Tx<'_>,
    stamp: &Stamp,
    batch: &Batch,
    stage_names: &HashMap<Id, String>,
) -> Result<(), TxError> {
    // A deal's stage moves follow its creation in its history: the history table is keyed
    // by deal, so this appends instead of going back over written pages.
    let mut moves: Vec<(&StageEvent, Id)> = batch
        .stage_events
        .iter()
        .filter_map(|e| Some((e, e.from?)))
        .collect();
    moves.sort_by_key(|(e, _)| (e.opportunity, e.id));
    for o in &batch.opportunities {
        tx.put_opportunity(o)?;
        let stamp = stamp.dated(o.created);
        lifecycle(
            tx,
            &stamp,
            EntityKind::Opportunity,
            o.id,
            "created",
            &o.name,
        )?;
        for (e, from) in of_deal(&moves, o.id, |(e, _)| e.opportunity) {
            history(
                tx,
                &stamp.dated(e.at),
                EntityKind::Opportunity,
                o.id,
                Field::Stage.key(),
                stage_names[from].clone(),
                stage_names[&e.to].clone(),
            )?;
        }
        for c in of_deal(&batch.close_dates, o.id, |c| c.opportunity) {
            let date = |d: Option<NaiveDate>| d.map(stored_date).unwrap_or_default();
            history(
                tx,
                &stamp.dated(c.at),
                EntityKind::Opportunity,
                o.id,
                Field::ExpectedClose.key(),
                date(c.from),
                date(c.to),
            )?;
        }
    }
    Ok(())
}

/// The items of deal `id` among `items`, which are sorted by deal.
fn of_deal<T>(items: &[T], id: Id, deal: impl Fn(&T) -> Id) -> &[T] {
    let first = items.partition_point(|t| deal(t) < id);
    let count = items[first..].partition_point(|t| deal(t) == id);
    &items[first..first + count]
}

/// What is wrong with a batch's close-date changes (sorted by deal, then time): each deal's
/// must follow on from one another and end at the date the deal holds.
fn check_close_dates(batch: &Batch) -> Option<FieldError> {
    let mut last: IdMap<&CloseDateChange> = IdMap::default();
    for c in &batch.close_dates {
        if last
            .insert(c.opportunity, c)
            .is_some_and(|before| before.to != c.from)
        {
            return Some(FieldError::new(Field::ExpectedClose, Problem::Unknown));
        }
    }
    let deals: IdMap<&Opportunity> = batch.opportunities.iter().map(|o| (o.id, o)).collect();
    let broken = last
        .iter()
        .any(|(id, c)| deals.get(id).is_none_or(|o| o.expected_close != c.to));
    broken.then(|| FieldError::new(Field::ExpectedClose, Problem::Unknown))
}
