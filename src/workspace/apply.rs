//! Applying commands: validate, write with history in one transaction, then update memory.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use super::Workspace;
use crate::command::{Batch, Command, MassPatch};
use crate::domain::*;
use crate::i18n::{format_date, format_percent};
use crate::store::{StoreError, TrashEntry, Tx};
use crate::tr;

/// What an applied command left behind.
#[derive(Debug, Default)]
pub struct Applied {
    /// The command that undoes this one, when it can be undone.
    pub inverse: Option<Command>,
    /// The deal created, if any.
    pub created: Option<Id>,
}

/// Why a command was refused. Nothing of it was written.
#[derive(Debug)]
pub enum ApplyError {
    /// Values that break a rule, each naming its field.
    Invalid(Vec<FieldError>),
    /// The record the command names no longer exists.
    Missing(EntityKind, Id),
    /// Generated records whose ids are not fresh and distinct (a programming error upstream).
    StaleIds,
    /// The database could not be written.
    Store(StoreError),
}

impl From<StoreError> for ApplyError {
    fn from(e: StoreError) -> Self {
        ApplyError::Store(e)
    }
}

impl From<FieldError> for ApplyError {
    fn from(e: FieldError) -> Self {
        ApplyError::Invalid(vec![e])
    }
}

impl std::fmt::Display for ApplyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApplyError::Invalid(errors) => {
                let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
                f.write_str(&messages.join("; "))
            }
            ApplyError::Missing(kind, id) => f.write_str(&tr!(
                "{kind} {id} no longer exists",
                kind = format!("{kind:?}"),
                id = id
            )),
            ApplyError::StaleIds => {
                f.write_str(&tr!("generated records must use fresh, distinct ids"))
            }
            ApplyError::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for ApplyError {}

/// The write side of one command: history entries share `action`; `at` is when it happened.
#[derive(Clone, Copy)]
struct Stamp {
    action: Id,
    at: DateTime<Utc>,
}

impl Stamp {
    /// A new action at `at`, numbered from the transaction's ids.
    fn begin(tx: &mut Tx<'_>, at: DateTime<Utc>) -> Stamp {
        Stamp {
            action: tx.new_id(),
            at,
        }
    }

    /// The same action, dated `at` (generated records carry their own past dates).
    fn dated(self, at: DateTime<Utc>) -> Stamp {
        Stamp { at, ..self }
    }
}

/// An entry about a whole record under its name: `created` and `restored` (the name as the new
/// value) or `deleted` (the name as the old value).
fn lifecycle(
    tx: &mut Tx<'_>,
    stamp: &Stamp,
    entity: EntityKind,
    entity_id: Id,
    event: &str,
    name: &str,
) -> Result<(), redb::Error> {
    let (old, new) = if event == "deleted" {
        (name.to_owned(), String::new())
    } else {
        (String::new(), name.to_owned())
    };
    history(tx, stamp, entity, entity_id, event, old, new)
}

fn history(
    tx: &mut Tx<'_>,
    stamp: &Stamp,
    entity: EntityKind,
    entity_id: Id,
    field: &str,
    old: String,
    new: String,
) -> Result<(), redb::Error> {
    let entry = HistoryEntry {
        id: tx.new_id(),
        action: stamp.action,
        entity,
        entity_id,
        at: stamp.at,
        field: field.to_owned(),
        old,
        new,
    };
    tx.put_history(&entry)
}

impl Workspace {
    /// Validates `cmd`, writes it and its history in one durable transaction, then updates
    /// memory and the cached totals. On error nothing was written and memory is unchanged.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, ApplyError> {
        let applied = match cmd {
            Command::CreateOpportunity { opp, new_account } => {
                self.save_opportunity(None, *opp, new_account)?
            }
            Command::UpdateOpportunity { opp, new_account } => {
                let old = self
                    .opportunity(opp.id)
                    .cloned()
                    .ok_or(ApplyError::Missing(EntityKind::Opportunity, opp.id))?;
                self.save_opportunity(Some(old), *opp, new_account)?
            }
            Command::MoveToStage {
                opp,
                stage,
                loss_reason,
            } => {
                let old = self
                    .opportunity(opp)
                    .cloned()
                    .ok_or(ApplyError::Missing(EntityKind::Opportunity, opp))?;
                let stage = self
                    .stage(stage)
                    .ok_or(ApplyError::Missing(EntityKind::Stage, stage))?;
                let mut new = old.clone();
                new.enter_stage(stage, loss_reason, self.now());
                self.save_opportunity(Some(old), new, None)?
            }
            Command::DeleteOpportunity { id, account } => self.delete_opportunity(id, account)?,
            Command::RestoreOpportunity {
                opp,
                account,
                stage_events,
            } => self.restore_opportunity(*opp, account.map(|a| *a), stage_events)?,
            Command::InsertBatch(batch) => self.insert_batch(*batch, false)?,
            Command::FirstStart { sample } => {
                self.insert_batch(sample.map_or_else(Batch::default, |b| *b), true)?
            }
            Command::ClearSample => self.clear_sample()?,
            Command::UpdateOpportunities { opps } => self.update_many(opps)?,
            Command::MassUpdate { mut ids, patch } => {
                ids.sort_unstable();
                ids.dedup();
                let news = self.patched(&ids, &patch)?;
                self.update_many(news)?
            }
            Command::SaveFilter { name, filter } => {
                let name = clean_name(Field::Name, &name)?;
                let mut filters = self.saved_filters.clone();
                let existing = filters
                    .iter_mut()
                    .find(|f| f.name.to_lowercase() == name.to_lowercase());
                match existing {
                    Some(saved) => saved.filter = *filter,
                    None => filters.push(SavedFilter {
                        id: self.next_id(),
                        name,
                        filter: *filter,
                    }),
                }
                self.set_saved_filters(filters)?
            }
            Command::DeleteSavedFilter { id } => {
                let mut filters = self.saved_filters.clone();
                filters.retain(|f| f.id != id);
                self.set_saved_filters(filters)?
            }
            Command::SetSavedFilters { filters } => self.set_saved_filters(filters)?,
            Command::SetListColumns { columns } => self.set_list_columns(columns)?,
            Command::Merge { survivor, merged } => self.merge(*survivor, merged)?,
            Command::Unmerge {
                survivor,
                merged,
                events,
                history,
            } => self.unmerge(*survivor, merged, events, history)?,
            Command::Trash { ids } => self.set_trashed(ids, true)?,
            Command::RestoreFromTrash { ids } => self.set_trashed(ids, false)?,
            Command::EmptyTrash => self.empty_trash()?,
        };
        self.generation += 1;
        Ok(applied)
    }

    /// Checks that every id `opp` refers to exists and has the right kind.
    fn check_references(&self, opp: &Opportunity, extra: &HashSet<Id>) -> Vec<FieldError> {
        let mut errors = Vec::new();
        match self.stage(opp.stage) {
            None => errors.push(FieldError::new(Field::Stage, Problem::Unknown)),
            Some(s) if s.pipeline != opp.pipeline => {
                errors.push(FieldError::new(Field::Stage, Problem::WrongPipeline))
            }
            Some(_) => {}
        }
        if !extra.contains(&opp.account) && self.account(opp.account).is_none() {
            errors.push(FieldError::new(Field::Account, Problem::Unknown));
        }
        let lookups = [
            (Field::Source, LookupKind::Source, opp.source),
            (Field::Campaign, LookupKind::Campaign, opp.campaign),
            (Field::Salesperson, LookupKind::Salesperson, opp.salesperson),
            (Field::Competitor, LookupKind::Competitor, opp.competitor),
            (Field::LossReason, LookupKind::LossReason, opp.loss_reason),
        ]
        .into_iter()
        .chain(
            opp.tags
                .iter()
                .map(|t| (Field::Tags, LookupKind::Tag, Some(*t))),
        );
        for (field, kind, id) in lookups {
            let Some(id) = id else { continue };
            let known = extra.contains(&id) || self.lookup(id).is_some_and(|l| l.kind == kind);
            if !known {
                errors.push(FieldError::new(field, Problem::Unknown));
            }
        }
        errors
    }

    /// Every field of a deal as the history shows it: names instead of ids.
    fn field_values(&self, o: &Opportunity) -> Vec<(Field, String)> {
        let name = |id: Option<Id>| self.lookup_name(id).to_owned();
        let date = |d: Option<chrono::NaiveDate>| d.map(format_date).unwrap_or_default();
        let tags: Vec<&str> = o.tags.iter().map(|t| self.lookup_name(Some(*t))).collect();
        vec![
            (Field::Name, o.name.clone()),
            (
                Field::Account,
                self.account(o.account)
                    .map(|a| a.name.clone())
                    .unwrap_or_default(),
            ),
            (Field::BusinessType, format!("{:?}", o.business_type)),
            (Field::Source, name(o.source)),
            (
                Field::Pipeline,
                self.pipelines
                    .iter()
                    .find(|p| p.id == o.pipeline)
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
            ),
            (
                Field::Stage,
                self.stage(o.stage)
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
            ),
            (Field::NextStep, o.next_step.clone()),
            (Field::Campaign, name(o.campaign)),
            (Field::Salesperson, name(o.salesperson)),
            (Field::Currency, o.currency.clone()),
            (Field::Amount, o.amount.to_string()),
            (Field::AmountMode, format!("{:?}", o.amount_mode)),
            (Field::Lines, format!("{:?}", o.lines)),
            (Field::ExpectedClose, date(o.expected_close)),
            (Field::Active, o.active.to_string()),
            (Field::Probability, format_percent(o.probability)),
            (
                Field::ProbabilityOverridden,
                o.probability_overridden.to_string(),
            ),
            (Field::Forecast, o.forecast.to_string()),
            (Field::Competitor, name(o.competitor)),
            (Field::LossReason, name(o.loss_reason)),
            (Field::Description, o.description.clone()),
            (Field::WinLossReport, o.win_loss_report.clone()),
            (Field::Priority, o.priority.to_string()),
            (Field::Tags, tags.join(", ")),
            (Field::Closed, date(o.closed)),
        ]
    }

    /// Normalises `new` against its stored version `old` (None while creating) and checks it:
    /// the name defaults to the account's, a stage change applies the stage's rules, the
    /// timestamps are set. `account_pending` when its account is created in the same transaction.
    fn prepare(
        &self,
        old: Option<&Opportunity>,
        new: &mut Opportunity,
        now: DateTime<Utc>,
        account_pending: bool,
    ) -> Result<(), Vec<FieldError>> {
        new.name = new.name.trim().to_owned();
        if new.name.is_empty()
            && let Some(a) = self.account(new.account)
        {
            new.name = a.name.clone();
        }
        let Some(stage) = self.stage(new.stage) else {
            return Err(vec![FieldError::new(Field::Stage, Problem::Unknown)]);
        };
        if old.is_none_or(|o| o.stage != new.stage) {
            new.enter_stage(stage, new.loss_reason, now);
            // A move the caller did not date (a mass update) happens now; an undo keeps the
            // date the deal really entered the stage it goes back to.
            if old.is_some_and(|o| o.stage_entered == new.stage_entered) {
                new.stage_entered = now;
            }
        }
        new.updated = now;
        if old.is_none() {
            new.created = now;
            new.stage_entered = now;
        }
        let mut errors = new.validate().err().unwrap_or_default();
        let mut refs = self.check_references(new, &HashSet::new());
        if account_pending {
            // The account is created in the same transaction, so it cannot exist yet.
            refs.retain(|e| e.field != Field::Account);
        }
        errors.extend(refs);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Writes one deal with its history (`created`, or one entry per changed field) and, when
    /// its stage changed, a stage event, which it returns. `account` is one created with it.
    fn write_opportunity(
        &self,
        tx: &mut Tx<'_>,
        stamp: &Stamp,
        old: Option<&Opportunity>,
        new: &Opportunity,
        account: Option<&Account>,
    ) -> Result<Option<StageEvent>, redb::Error> {
        tx.put_opportunity(new)?;
        let (entity, id) = (EntityKind::Opportunity, new.id);
        match old {
            None => lifecycle(tx, stamp, entity, id, "created", &new.name)?,
            Some(old) => {
                // Values are compared after naming, so a renamed account shows as a change.
                let before = self.field_values(old);
                let mut after = self.field_values(new);
                if let (Some(a), Some(value)) = (account, after.get_mut(1)) {
                    value.1 = a.name.clone();
                }
                for ((field, was), (_, is)) in before.into_iter().zip(after) {
                    if was != is {
                        history(tx, stamp, entity, id, field.key(), was, is)?;
                    }
                }
            }
        }
        if old.is_some_and(|o| o.stage == new.stage) {
            return Ok(None);
        }
        let event = StageEvent {
            id: tx.new_id(),
            opportunity: id,
            from: old.map(|o| o.stage),
            to: new.stage,
            at: stamp.at,
        };
        tx.put_stage_event(&event)?;
        Ok(Some(event))
    }

    /// Creates (`old` is None) or replaces a deal, with its history and stage event.
    fn save_opportunity(
        &mut self,
        old: Option<Opportunity>,
        mut new: Opportunity,
        new_account: Option<String>,
    ) -> Result<Applied, ApplyError> {
        let now = self.now();
        // The account: an existing one, or one to create with the deal.
        let mut create_account = None;
        if let Some(name) = new_account {
            let name = clean_name(Field::Account, &name)?;
            match self.account_by_name(&name) {
                Some(a) => new.account = a.id,
                None => {
                    if new.name.trim().is_empty() {
                        new.name = name.clone();
                    }
                    create_account = Some(Account {
                        name,
                        ..Account::default()
                    });
                }
            }
        }
        self.prepare(old.as_ref(), &mut new, now, create_account.is_some())
            .map_err(ApplyError::Invalid)?;
        let (account, event, new) = self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            let mut account = create_account;
            if let Some(a) = &mut account {
                a.id = tx.new_id();
                new.account = a.id;
                tx.put_account(a)?;
                lifecycle(tx, &stamp, EntityKind::Account, a.id, "created", &a.name)?;
            }
            if old.is_none() {
                new.id = tx.new_id();
            }
            let event = self.write_opportunity(tx, &stamp, old.as_ref(), &new, account.as_ref())?;
            Ok((account, event, new))
        })?;

        let created_account = account.as_ref().map(|a| a.id);
        if let Some(a) = account {
            self.accounts.insert(a.id, a);
        }
        self.stage_events.extend(event);
        let id = new.id;
        let created = old.is_none();
        let inverse = match &old {
            // Undoing a creation also removes the account created with it.
            None => Command::DeleteOpportunity {
                id,
                account: created_account,
            },
            Some(o) => Command::UpdateOpportunity {
                opp: Box::new(o.clone()),
                new_account: None,
            },
        };
        self.install(old.as_ref(), new);
        Ok(Applied {
            inverse: Some(inverse),
            created: created.then_some(id),
        })
    }

    /// Replaces several stored deals in one transaction: one history entry per changed field
    /// per deal, one undo step.
    fn update_many(&mut self, mut news: Vec<Opportunity>) -> Result<Applied, ApplyError> {
        // One version per deal: a deal named twice would leave its cached column twice.
        news.sort_by_key(|o| o.id);
        news.dedup_by_key(|o| o.id);
        let now = self.now();
        let mut pairs = Vec::with_capacity(news.len());
        let mut errors = Vec::new();
        for mut new in news {
            let old = self
                .opportunity(new.id)
                .cloned()
                .ok_or(ApplyError::Missing(EntityKind::Opportunity, new.id))?;
            match self.prepare(Some(&old), &mut new, now, false) {
                Ok(()) => pairs.push((old, new)),
                Err(found) => errors.extend(found),
            }
        }
        if !errors.is_empty() {
            return Err(ApplyError::Invalid(errors));
        }
        let events = self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            let mut events = Vec::new();
            for (old, new) in &pairs {
                events.extend(self.write_opportunity(tx, &stamp, Some(old), new, None)?);
            }
            Ok(events)
        })?;
        self.stage_events.extend(events);
        let mut olds = Vec::with_capacity(pairs.len());
        for (old, new) in pairs {
            self.install(Some(&old), new);
            olds.push(old);
        }
        Ok(Applied {
            inverse: Some(Command::UpdateOpportunities { opps: olds }),
            created: None,
        })
    }

    /// The deals `ids` with `patch` applied, for [`Self::update_many`].
    fn patched(&self, ids: &[Id], patch: &MassPatch) -> Result<Vec<Opportunity>, ApplyError> {
        ids.iter()
            .map(|id| {
                let mut opp = self
                    .opportunity(*id)
                    .cloned()
                    .ok_or(ApplyError::Missing(EntityKind::Opportunity, *id))?;
                patch.apply_to(&mut opp);
                Ok(opp)
            })
            .collect()
    }

    /// Puts a deal's new version in memory and moves it between the cached columns.
    fn install(&mut self, old: Option<&Opportunity>, new: Opportunity) {
        if let Some(old) = old.filter(|o| self.on_board(o))
            && let Some(column) = self.columns.get_mut(&old.stage)
        {
            column.remove(old, &self.opportunities);
        }
        let id = new.id;
        let on_board = self.on_board(&new);
        self.opportunities.insert(id, new);
        let new = &self.opportunities[&id];
        if on_board {
            self.columns
                .entry(new.stage)
                .or_default()
                .insert(new, &self.opportunities);
        }
    }

    /// Removes deals from memory and the cached columns.
    fn uninstall(&mut self, ids: &HashSet<Id>) {
        for id in ids {
            self.leave_board(*id);
            self.opportunities.remove(id);
            self.trash.remove(id);
        }
        self.stage_events.retain(|e| !ids.contains(&e.opportunity));
    }

    /// Takes a deal off its board column (before it is trashed or deleted).
    fn leave_board(&mut self, id: Id) {
        if let Some(old) = self.opportunities.get(&id).filter(|o| self.on_board(o))
            && let Some(column) = self.columns.get_mut(&old.stage)
        {
            column.remove(old, &self.opportunities);
        }
    }

    /// Moves deals to the trash, or back from it: one transaction, one history entry each.
    fn set_trashed(&mut self, mut ids: Vec<Id>, trashed: bool) -> Result<Applied, ApplyError> {
        ids.sort_unstable();
        ids.dedup();
        for id in &ids {
            if self.opportunity(*id).is_none() || self.is_trashed(*id) == trashed {
                return Err(ApplyError::Missing(EntityKind::Opportunity, *id));
            }
        }
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            for id in &ids {
                let name = &self.opportunities[id].name;
                if trashed {
                    tx.put_trash(&TrashEntry {
                        opportunity: *id,
                        at: now,
                    })?;
                    lifecycle(tx, &stamp, EntityKind::Opportunity, *id, "trashed", name)?;
                } else {
                    tx.delete_trash(*id)?;
                    lifecycle(tx, &stamp, EntityKind::Opportunity, *id, "restored", name)?;
                }
            }
            Ok(())
        })?;
        for id in &ids {
            if trashed {
                self.leave_board(*id);
                self.trash.insert(*id, now);
            } else {
                self.trash.remove(id);
                let opp = self.opportunities[id].clone();
                self.install(None, opp);
            }
        }
        let inverse = if trashed {
            Command::RestoreFromTrash { ids }
        } else {
            Command::Trash { ids }
        };
        Ok(Applied {
            inverse: Some(inverse),
            created: None,
        })
    }

    /// Replaces the saved searches, with a history entry for each one added, changed or removed.
    fn set_saved_filters(&mut self, filters: Vec<SavedFilter>) -> Result<Applied, ApplyError> {
        let before = std::mem::take(&mut self.saved_filters);
        let now = self.now();
        let kind = EntityKind::SavedFilter;
        let written = self.write(|tx| {
            // Ids come from the store's counter: mark the ones handed out in advance as taken
            // before the action takes its own.
            let max = filters.iter().map(|f| f.id + 1).max().unwrap_or(0);
            tx.take_ids_below(max);
            let stamp = Stamp::begin(tx, now);
            for f in &filters {
                match before.iter().find(|b| b.id == f.id) {
                    None => lifecycle(tx, &stamp, kind, f.id, "created", &f.name)?,
                    Some(b) if b != f => history(
                        tx,
                        &stamp,
                        kind,
                        f.id,
                        "filter",
                        b.name.clone(),
                        f.name.clone(),
                    )?,
                    Some(_) => {}
                }
            }
            for b in before
                .iter()
                .filter(|b| !filters.iter().any(|f| f.id == b.id))
            {
                lifecycle(tx, &stamp, kind, b.id, "deleted", &b.name)?;
            }
            tx.put_saved_filters(&filters)
        });
        if let Err(e) = written {
            self.saved_filters = before;
            return Err(e.into());
        }
        self.saved_filters = filters;
        Ok(Applied {
            inverse: Some(Command::SetSavedFilters { filters: before }),
            created: None,
        })
    }

    /// Merges the deals `merged` into `new` (the survivor's new version).
    fn merge(&mut self, mut new: Opportunity, mut merged: Vec<Id>) -> Result<Applied, ApplyError> {
        merged.sort_unstable();
        merged.dedup();
        let missing = |id| ApplyError::Missing(EntityKind::Opportunity, id);
        let old = self.opportunity(new.id).cloned().ok_or(missing(new.id))?;
        if let Some(&bad) = merged
            .iter()
            .find(|m| **m == new.id || self.opportunity(**m).is_none() || self.is_trashed(**m))
        {
            return Err(missing(bad));
        }
        let now = self.now();
        self.prepare(Some(&old), &mut new, now, false)
            .map_err(ApplyError::Invalid)?;
        let moved_events: Vec<(Id, Id)> = self
            .stage_events
            .iter()
            .filter(|e| merged.contains(&e.opportunity))
            .map(|e| (e.id, e.opportunity))
            .collect();
        let names: Vec<String> = merged
            .iter()
            .map(|m| self.opportunities[m].name.clone())
            .collect();
        let survivor = new.id;
        let (event, moved_history) = self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            let event = self.write_opportunity(tx, &stamp, Some(&old), &new, None)?;
            self.repoint_events(tx, &moved_events, |_| survivor)?;
            let mut moved = Vec::new();
            for m in &merged {
                let ids = tx.move_history(EntityKind::Opportunity, *m, survivor, None)?;
                moved.extend(ids.into_iter().map(|h| (h, *m)));
                tx.put_trash(&TrashEntry {
                    opportunity: *m,
                    at: now,
                })?;
                let into = new.name.clone();
                history(
                    tx,
                    &stamp,
                    EntityKind::Opportunity,
                    *m,
                    "merged_into",
                    String::new(),
                    into,
                )?;
            }
            let joined = names.join(", ");
            history(
                tx,
                &stamp,
                EntityKind::Opportunity,
                survivor,
                "merged",
                String::new(),
                joined,
            )?;
            Ok((event, moved))
        })?;
        self.stage_events.extend(event);
        self.reassign_events(&moved_events, |_| survivor);
        self.install(Some(&old), new);
        for m in &merged {
            self.leave_board(*m);
            self.trash.insert(*m, now);
        }
        Ok(Applied {
            inverse: Some(Command::Unmerge {
                survivor: Box::new(old),
                merged,
                events: moved_events,
                history: moved_history,
            }),
            created: None,
        })
    }

    fn unmerge(
        &mut self,
        mut earlier: Opportunity,
        merged: Vec<Id>,
        events: Vec<(Id, Id)>,
        moved_history: Vec<(Id, Id)>,
    ) -> Result<Applied, ApplyError> {
        let missing = |id| ApplyError::Missing(EntityKind::Opportunity, id);
        let current = self
            .opportunity(earlier.id)
            .cloned()
            .ok_or(missing(earlier.id))?;
        if let Some(&bad) = merged.iter().find(|m| !self.is_trashed(**m)) {
            return Err(missing(bad));
        }
        let now = self.now();
        self.prepare(Some(&current), &mut earlier, now, false)
            .map_err(ApplyError::Invalid)?;
        let survivor = earlier.id;
        let event = self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            let event = self.write_opportunity(tx, &stamp, Some(&current), &earlier, None)?;
            self.repoint_events(tx, &events, |from| from)?;
            for m in &merged {
                let ids: Vec<Id> = moved_history
                    .iter()
                    .filter(|(_, from)| from == m)
                    .map(|(h, _)| *h)
                    .collect();
                tx.move_history(EntityKind::Opportunity, survivor, *m, Some(&ids))?;
                tx.delete_trash(*m)?;
                let name = &self.opportunities[m].name;
                lifecycle(tx, &stamp, EntityKind::Opportunity, *m, "restored", name)?;
            }
            Ok(event)
        })?;
        self.stage_events.extend(event);
        self.reassign_events(&events, |from| from);
        self.install(Some(&current), earlier);
        for m in &merged {
            self.trash.remove(m);
            let opp = self.opportunities[m].clone();
            self.install(None, opp);
        }
        Ok(Applied {
            inverse: Some(Command::Merge {
                survivor: Box::new(current),
                merged,
            }),
            created: None,
        })
    }

    /// Writes the stage events `moves` (event id, the deal it came from) pointed at the deal
    /// `owner` names for that origin: the survivor in a merge, the origin itself in its undo.
    fn repoint_events(
        &self,
        tx: &mut Tx<'_>,
        moves: &[(Id, Id)],
        owner: impl Fn(Id) -> Id,
    ) -> Result<(), redb::Error> {
        for (event, from) in moves {
            if let Some(e) = self.stage_events.iter().find(|e| e.id == *event) {
                let mut e = e.clone();
                e.opportunity = owner(*from);
                tx.put_stage_event(&e)?;
            }
        }
        Ok(())
    }

    /// [`Self::repoint_events`] for the events in memory.
    fn reassign_events(&mut self, moves: &[(Id, Id)], owner: impl Fn(Id) -> Id) {
        let origin: HashMap<Id, Id> = moves.iter().copied().collect();
        for e in &mut self.stage_events {
            if let Some(from) = origin.get(&e.id) {
                e.opportunity = owner(*from);
            }
        }
    }

    /// Chooses the list's columns. The name column always stays, first.
    fn set_list_columns(&mut self, mut columns: Vec<ListColumn>) -> Result<Applied, ApplyError> {
        columns.retain(|c| *c != ListColumn::Name);
        columns.insert(0, ListColumn::Name);
        columns.dedup();
        let names = |cols: &[ListColumn]| {
            cols.iter()
                .map(|c| c.label())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (old, new) = (names(&self.list_columns), names(&columns));
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            history(
                tx,
                &stamp,
                EntityKind::Settings,
                0,
                "list_columns",
                old,
                new,
            )?;
            tx.put_list_columns(&columns)
        })?;
        let before = std::mem::replace(&mut self.list_columns, columns);
        Ok(Applied {
            inverse: Some(Command::SetListColumns { columns: before }),
            created: None,
        })
    }

    /// Deletes every deal in the trash for good, with its stage events; its history stays.
    fn empty_trash(&mut self) -> Result<Applied, ApplyError> {
        let ids: HashSet<Id> = self.trash.keys().copied().collect();
        let events = self.events_of(&ids);
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            for id in &ids {
                tx.delete_opportunity(*id)?;
                tx.delete_trash(*id)?;
                let name = &self.opportunities[id].name;
                lifecycle(tx, &stamp, EntityKind::Opportunity, *id, "deleted", name)?;
            }
            for e in &events {
                tx.delete_stage_event(*e)?;
            }
            Ok(())
        })?;
        self.uninstall(&ids);
        Ok(Applied::default())
    }

    /// The ids of the stage events of `opps`.
    fn events_of(&self, opps: &HashSet<Id>) -> Vec<Id> {
        self.stage_events
            .iter()
            .filter(|e| opps.contains(&e.opportunity))
            .map(|e| e.id)
            .collect()
    }

    fn delete_opportunity(&mut self, id: Id, account: Option<Id>) -> Result<Applied, ApplyError> {
        let opp = self
            .opportunity(id)
            .cloned()
            .ok_or(ApplyError::Missing(EntityKind::Opportunity, id))?;
        let dropped_account = account
            .filter(|a| {
                *a == opp.account && !self.opportunities().any(|o| o.id != id && o.account == *a)
            })
            .and_then(|a| self.account(a).cloned());
        let ids = HashSet::from([id]);
        let events: Vec<StageEvent> = self
            .stage_events
            .iter()
            .filter(|e| ids.contains(&e.opportunity))
            .cloned()
            .collect();
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            tx.delete_opportunity(id)?;
            tx.delete_trash(id)?;
            for e in &events {
                tx.delete_stage_event(e.id)?;
            }
            lifecycle(
                tx,
                &stamp,
                EntityKind::Opportunity,
                id,
                "deleted",
                &opp.name,
            )?;
            if let Some(a) = &dropped_account {
                tx.delete_account(a.id)?;
                lifecycle(tx, &stamp, EntityKind::Account, a.id, "deleted", &a.name)?;
            }
            Ok(())
        })?;
        self.uninstall(&ids);
        if let Some(a) = &dropped_account {
            self.accounts.remove(&a.id);
        }
        Ok(Applied {
            inverse: Some(Command::RestoreOpportunity {
                opp: Box::new(opp),
                account: dropped_account.map(Box::new),
                stage_events: events,
            }),
            created: None,
        })
    }

    /// Puts a deleted deal back with its id, stage events and (when given) account.
    fn restore_opportunity(
        &mut self,
        opp: Opportunity,
        account: Option<Account>,
        events: Vec<StageEvent>,
    ) -> Result<Applied, ApplyError> {
        let taken = self.opportunity(opp.id).is_some()
            || account
                .as_ref()
                .is_some_and(|a| self.account(a.id).is_some())
            || events.iter().any(|e| e.opportunity != opp.id);
        if taken {
            return Err(ApplyError::StaleIds);
        }
        let extra: HashSet<Id> = account.iter().map(|a| a.id).collect();
        let mut errors = opp.validate().err().unwrap_or_default();
        errors.extend(self.check_references(&opp, &extra));
        if !errors.is_empty() {
            return Err(ApplyError::Invalid(errors));
        }
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
            if let Some(a) = &account {
                tx.put_account(a)?;
                lifecycle(tx, &stamp, EntityKind::Account, a.id, "restored", &a.name)?;
            }
            tx.put_opportunity(&opp)?;
            for e in &events {
                tx.put_stage_event(e)?;
            }
            lifecycle(
                tx,
                &stamp,
                EntityKind::Opportunity,
                opp.id,
                "restored",
                &opp.name,
            )
        })?;
        let inverse = Command::DeleteOpportunity {
            id: opp.id,
            account: account.as_ref().map(|a| a.id),
        };
        if let Some(a) = account {
            self.accounts.insert(a.id, a);
        }
        self.stage_events.extend(events);
        self.stage_events.sort_by_key(|e| (e.at, e.id));
        self.install(None, opp);
        Ok(Applied {
            inverse: Some(inverse),
            created: None,
        })
    }

    /// Writes generated records whose ids were assigned from [`Workspace::next_id`].
    fn insert_batch(&mut self, batch: Batch, first_start: bool) -> Result<Applied, ApplyError> {
        let Batch {
            lookups,
            accounts,
            opportunities,
            stage_events,
        } = batch;
        let ids: Vec<Id> = lookups
            .iter()
            .map(|l| l.id)
            .chain(accounts.iter().map(|a| a.id))
            .chain(opportunities.iter().map(|o| o.id))
            .chain(stage_events.iter().map(|e| e.id))
            .collect();
        let fresh: HashSet<Id> = ids.iter().copied().collect();
        if fresh.len() != ids.len() || ids.iter().any(|&id| id < self.next_id()) {
            return Err(ApplyError::StaleIds);
        }
        let mut errors = Vec::new();
        for opp in &opportunities {
            errors.extend(opp.validate().err().unwrap_or_default());
            errors.extend(self.check_references(opp, &fresh));
        }
        for e in &stage_events {
            if !fresh.contains(&e.opportunity)
                || self.stage(e.to).is_none()
                || e.from.is_some_and(|f| self.stage(f).is_none())
            {
                errors.push(FieldError::new(Field::Stage, Problem::Unknown));
            }
        }
        if !errors.is_empty() {
            errors.truncate(20);
            return Err(ApplyError::Invalid(errors));
        }
        let now = self.now();
        let sample: Vec<(EntityKind, Id)> = if first_start {
            lookups
                .iter()
                .map(|l| (EntityKind::Lookup, l.id))
                .chain(accounts.iter().map(|a| (EntityKind::Account, a.id)))
                .chain(
                    opportunities
                        .iter()
                        .map(|o| (EntityKind::Opportunity, o.id)),
                )
                .collect()
        } else {
            Vec::new()
        };
        let stage_names: std::collections::HashMap<Id, String> =
            self.stages.iter().map(|s| (s.id, s.name.clone())).collect();
        let max_id = ids.iter().copied().max().unwrap_or(0);
        self.write(|tx| {
            tx.take_ids_below(max_id + 1);
            let stamp = Stamp::begin(tx, now);
            for l in &lookups {
                tx.put_lookup(l)?;
                lifecycle(tx, &stamp, EntityKind::Lookup, l.id, "created", &l.name)?;
            }
            for a in &accounts {
                tx.put_account(a)?;
                lifecycle(tx, &stamp, EntityKind::Account, a.id, "created", &a.name)?;
            }
            for o in &opportunities {
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
            }
            for e in &stage_events {
                tx.put_stage_event(e)?;
                if let Some(from) = e.from {
                    history(
                        tx,
                        &stamp.dated(e.at),
                        EntityKind::Opportunity,
                        e.opportunity,
                        Field::Stage.key(),
                        stage_names[&from].clone(),
                        stage_names[&e.to].clone(),
                    )?;
                }
            }
            if first_start {
                tx.put_sample(&sample)?;
                tx.put_first_start_done()?;
            }
            Ok(())
        })?;
        if first_start {
            self.sample = sample;
            self.first_start_done = true;
        }
        self.lookups.extend(lookups.into_iter().map(|l| (l.id, l)));
        self.accounts
            .extend(accounts.into_iter().map(|a| (a.id, a)));
        self.stage_events.extend(stage_events);
        self.stage_events.sort_by_key(|e| (e.at, e.id));
        for o in opportunities {
            self.install(None, o);
        }
        Ok(Applied::default())
    }

    fn clear_sample(&mut self) -> Result<Applied, ApplyError> {
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
        let remaining = || {
            self.opportunities
                .values()
                .filter(|o| !opps.contains(&o.id))
        };
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
            })
            .collect();
        let events = self.events_of(&opps);
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now);
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
            tx.put_sample(&[])?;
            Ok(())
        })?;
        self.uninstall(&opps);
        for id in &accounts {
            self.accounts.remove(id);
        }
        for id in &lookups {
            self.lookups.remove(id);
        }
        self.sample.clear();
        Ok(Applied::default())
    }
}
