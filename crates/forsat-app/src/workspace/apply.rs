//! Applying commands: validate, write with history in one transaction, then update memory.

use std::collections::HashSet;
use std::fmt::Write as _;

use chrono::{DateTime, Utc};

use super::Workspace;
use super::batch::BatchKind;
use crate::command::{Batch, Command, MassPatch, Moves};
use crate::domain::{
    Account, AmountMode, EntityKind, Field, FieldError, HistoryEntry, Id, IdMap, IdSet, Line,
    LookupKind, Opportunity, Pipeline, Problem, Record, SavedFilter, Stage, StageEvent, clean_name,
    lines_amount,
};
use crate::i18n::{stored_date, stored_number, stored_percent};
use crate::store::{StoreError, Tx};
use crate::tr;

/// Records written in the same transaction as a deal, which it may refer to although they
/// are not stored yet: their ids, and stages (new or changed) by value.
#[derive(Default)]
pub(super) struct Staged<'a> {
    pub(super) ids: IdSet,
    pub(super) stages: Vec<&'a Stage>,
    /// Pipelines written in the same transaction (put back by an undo), by value.
    pub(super) pipelines: Vec<&'a Pipeline>,
    /// Codes of currencies written in the same transaction.
    pub(super) currencies: Vec<&'a str>,
}

impl<'a> Staged<'a> {
    pub(super) fn ids(ids: IdSet) -> Staged<'a> {
        Staged {
            ids,
            stages: Vec::new(),
            pipelines: Vec::new(),
            currencies: Vec::new(),
        }
    }

    /// What `records`, written in the same transaction, bring: ids `ids`, and their stages,
    /// pipelines and currencies.
    pub(super) fn of_records(ids: IdSet, records: &'a [Record]) -> Staged<'a> {
        let mut pending = Staged::ids(ids);
        for record in records {
            match record {
                Record::Stage(s) => pending.stages.push(s),
                Record::Pipeline(p) => pending.pipelines.push(p),
                Record::Currency(c) => pending.currencies.push(&c.code),
                _ => {}
            }
        }
        pending
    }

    fn stage(&self, id: Id) -> Option<&'a Stage> {
        self.stages.iter().copied().find(|s| s.id == id)
    }

    fn pipeline(&self, id: Id) -> Option<&'a Pipeline> {
        self.pipelines.iter().copied().find(|p| p.id == id)
    }
}

/// What writing deals did to their stage moves: moves recorded, and moves an undo took back
/// or a redo put back (see [`Moves`]).
#[derive(Default)]
pub(super) struct MovesDone {
    written: Vec<StageEvent>,
    withdrawn: Vec<StageEvent>,
    restored: Vec<StageEvent>,
}

impl MovesDone {
    /// The moves that undo what was done: those recorded or put back are taken back, those
    /// taken back are put back.
    pub(super) fn inverse(&self) -> Moves {
        Moves {
            withdraw: self.written.iter().chain(&self.restored).cloned().collect(),
            restore: self.withdrawn.clone(),
        }
    }

    /// Brings the workspace's moves in memory in step with what was written.
    pub(super) fn install(self, ws: &mut Workspace) {
        let MovesDone {
            written,
            withdrawn,
            restored,
        } = self;
        ws.withdraw_stage_events(&withdrawn.iter().map(|e| e.id).collect());
        if !restored.is_empty() {
            ws.add_stage_events(restored);
            ws.stage_events.sort_by_key(|e| (e.at, e.id));
        }
        ws.add_stage_events(written);
    }
}

/// What an applied command left behind.
#[derive(Debug, Default)]
pub struct Applied {
    /// The command that undoes this one, when it can be undone.
    pub inverse: Option<Command>,
    /// The deal created, or the first record a change created without an id, if any.
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
pub(super) struct Stamp {
    pub(super) action: Id,
    pub(super) at: DateTime<Utc>,
}

impl Stamp {
    /// A new action at `at`, numbered from the transaction's ids.
    pub(super) fn begin(
        tx: &mut Tx<'_>,
        at: DateTime<Utc>,
    ) -> Result<Stamp, crate::store::TxError> {
        Ok(Stamp {
            action: tx.new_id()?,
            at,
        })
    }

    /// The same action, dated `at` (generated records carry their own past dates).
    pub(super) fn dated(self, at: DateTime<Utc>) -> Stamp {
        Stamp { at, ..self }
    }
}

/// An entry about a whole record under its name: `created` and `restored` (the name as the new
/// value) or `deleted` (the name as the old value).
pub(super) fn lifecycle(
    tx: &mut Tx<'_>,
    stamp: &Stamp,
    entity: EntityKind,
    entity_id: Id,
    event: &str,
    name: &str,
) -> Result<(), crate::store::TxError> {
    let (old, new) = if event == "deleted" {
        (name.to_owned(), String::new())
    } else {
        (String::new(), name.to_owned())
    };
    history(tx, stamp, entity, entity_id, event, old, new)
}

/// Puts back a deleted deal with its stage events, and says so in its history.
pub(super) fn write_restored(
    tx: &mut Tx<'_>,
    stamp: &Stamp,
    opp: &Opportunity,
    events: &[StageEvent],
) -> Result<(), crate::store::TxError> {
    tx.put_opportunity(opp)?;
    for e in events {
        tx.put_stage_event(e)?;
    }
    lifecycle(
        tx,
        stamp,
        EntityKind::Opportunity,
        opp.id,
        "restored",
        &opp.name,
    )
}

pub(super) fn history(
    tx: &mut Tx<'_>,
    stamp: &Stamp,
    entity: EntityKind,
    entity_id: Id,
    field: &str,
    old: String,
    new: String,
) -> Result<(), crate::store::TxError> {
    let entry = HistoryEntry {
        id: tx.new_id()?,
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

/// Below this many deals at once, each enters its column at its place; from it on, they go
/// to the ends of their columns, which are sorted once.
const ONE_BY_ONE: usize = 64;

impl Workspace {
    /// Validates `cmd`, writes it and its history in one durable transaction, then updates
    /// memory and the cached totals. On error nothing was written and memory is unchanged.
    pub fn apply(&mut self, cmd: Command) -> Result<Applied, ApplyError> {
        let applied = self.apply_command(cmd);
        self.close_journal_taken();
        if applied.is_ok() {
            self.generation += 1;
        }
        applied
    }

    fn apply_command(&mut self, cmd: Command) -> Result<Applied, ApplyError> {
        let applied = match cmd {
            Command::CreateOpportunity { opp, new_account } => {
                self.save_opportunity(None, *opp, new_account)?
            }
            Command::UpdateOpportunity { opp, new_account } => {
                let old = self
                    .opportunity(opp.id)
                    .cloned()
                    .ok_or(ApplyError::Missing(EntityKind::Opportunity, opp.id))?;
                self.save_opportunity(Some(&old), *opp, new_account)?
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
                self.save_opportunity(Some(&old), new, None)?
            }
            Command::DeleteOpportunity { id, account } => self.delete_opportunity(id, account)?,
            Command::RestoreOpportunity {
                opp,
                account,
                stage_events,
            } => self.restore_opportunity(*opp, account.map(|a| *a), stage_events)?,
            Command::InsertBatch(batch) => self.insert_batch(*batch, BatchKind::Added)?,
            Command::LoadSample(batch) => self.insert_batch(*batch, BatchKind::Sample)?,
            Command::FirstStart { sample } => self.insert_batch(
                sample.map_or_else(Batch::default, |b| *b),
                BatchKind::FirstStart,
            )?,
            Command::ClearSample => self.clear_sample()?,
            Command::UpdateOpportunities { opps, moves } => self.update_many(opps, &moves)?,
            Command::MassUpdate { mut ids, patch } => {
                ids.sort_unstable();
                ids.dedup();
                let news = self.patched(&ids, &patch)?;
                self.update_many(news, &Moves::default())?
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
                self.set_saved(filters)?
            }
            Command::DeleteSavedFilter { id } => {
                let mut filters = self.saved_filters.clone();
                filters.retain(|f| f.id != id);
                self.set_saved(filters)?
            }
            Command::SetSavedFilters { filters } => self.set_saved(filters)?,
            Command::SetSavedReports { reports } => self.set_saved(reports)?,
            Command::SetGoals { goals } => {
                self.check_goals(&goals).map_err(ApplyError::Invalid)?;
                self.set_saved(goals)?
            }
            Command::SetListColumns { columns } => self.set_list_columns(columns)?,
            Command::SetCalendarFile { path } => self.set_calendar_file(path)?,
            Command::Merge {
                survivor,
                merged,
                moves,
            } => self.merge(*survivor, merged, &moves)?,
            Command::Unmerge {
                survivor,
                merged,
                events,
                history,
                activities,
                moves,
            } => self.unmerge(*survivor, merged, &events, &history, &activities, &moves)?,
            Command::Trash { ids } => self.set_trashed(ids, true)?,
            Command::RestoreFromTrash { ids } => self.set_trashed(ids, false)?,
            Command::EmptyTrash => self.empty_trash()?,
            Command::Change(change) => self.apply_change(*change)?,
            Command::ConvertLead(c) => self.convert_lead(&c)?,
        };
        Ok(applied)
    }

    /// Checks that every id `opp` refers to exists and has the right kind.
    pub(super) fn check_references(&self, opp: &Opportunity, pending: &Staged) -> Vec<FieldError> {
        let extra = &pending.ids;
        let mut errors = Vec::new();
        match pending.stage(opp.stage).or_else(|| self.stage(opp.stage)) {
            None => errors.push(FieldError::new(Field::Stage, Problem::Unknown)),
            Some(s) if s.pipeline != opp.pipeline => {
                errors.push(FieldError::new(Field::Stage, Problem::WrongPipeline));
            }
            Some(_) => {}
        }
        if !extra.contains(&opp.account) && self.account(opp.account).is_none() {
            errors.push(FieldError::new(Field::Account, Problem::Unknown));
        }
        if let Some(contact) = opp.contact {
            let known = extra.contains(&contact)
                || self
                    .contact(contact)
                    .is_some_and(|c| c.account == opp.account);
            if !known {
                errors.push(FieldError::new(Field::Contact, Problem::Unknown));
            }
        }
        if self.rates.rate(&opp.currency).is_none()
            && !pending.currencies.contains(&opp.currency.as_str())
        {
            errors.push(FieldError::new(Field::Currency, Problem::Unknown));
        }
        let unknown_product = opp
            .lines
            .iter()
            .filter_map(|l| l.product)
            .any(|p| !extra.contains(&p) && self.product(p).is_none());
        if unknown_product {
            errors.push(FieldError::new(Field::Product, Problem::Unknown));
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

    /// Every field of a deal as the history shows it: names instead of ids, also of a stage
    /// or pipeline written in the same transaction (`pending`: put back by an undo).
    pub(super) fn field_values(&self, o: &Opportunity, pending: &Staged) -> Vec<(Field, String)> {
        let name = |id: Option<Id>| self.lookup_name(id).to_owned();
        let date = |d: Option<chrono::NaiveDate>| d.map(stored_date).unwrap_or_default();
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
                    .or_else(|| pending.pipeline(o.pipeline))
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
            ),
            (
                Field::Stage,
                self.stage(o.stage)
                    .or_else(|| pending.stage(o.stage))
                    .map(|s| s.name.clone())
                    .unwrap_or_default(),
            ),
            (Field::NextStep, o.next_step.clone()),
            (Field::Campaign, name(o.campaign)),
            (Field::Salesperson, name(o.salesperson)),
            (Field::Currency, o.currency.clone()),
            (Field::Amount, o.amount.to_string()),
            (Field::AmountMode, format!("{:?}", o.amount_mode)),
            (Field::Lines, self.lines_text(&o.lines)),
            (Field::ExpectedClose, date(o.expected_close)),
            (Field::Active, o.active.to_string()),
            (Field::Probability, stored_percent(o.probability)),
            (
                Field::ProbabilityOverridden,
                o.probability_overridden.to_string(),
            ),
            (Field::Forecast, o.forecast.key().to_owned()),
            (Field::Competitor, name(o.competitor)),
            (Field::LossReason, name(o.loss_reason)),
            (Field::Description, o.description.clone()),
            (Field::WinLossReport, o.win_loss_report.clone()),
            (Field::Priority, o.priority.to_string()),
            (Field::Tags, tags.join(", ")),
            (Field::Closed, date(o.closed)),
            (
                Field::Contact,
                o.contact
                    .and_then(|c| self.contact(c))
                    .map(|c| c.name.clone())
                    .unwrap_or_default(),
            ),
        ]
    }

    /// Lines as the history shows them: "2 × Seat licence at 450 less 10 %; ...".
    fn lines_text(&self, lines: &[Line]) -> String {
        let number = |d: rust_decimal::Decimal| stored_number(d, d.normalize().scale().min(3));
        lines
            .iter()
            .map(|l| {
                let what = l
                    .product
                    .and_then(|p| self.product(p))
                    .map_or(l.description.as_str(), |p| p.name.as_str());
                let mut text =
                    format!("{} × {what} @ {}", number(l.quantity), number(l.unit_price));
                if !l.discount_pct.is_zero() {
                    let _ = write!(text, " −{} %", number(l.discount_pct));
                }
                text
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Normalises `new` against its stored version `old` (None while creating) and checks it:
    /// the name defaults to the account's, a stage change applies the stage's rules, the
    /// timestamps are set. `pending`: ids of records written in the same transaction, which
    /// it may refer to although they are not stored yet.
    pub(super) fn prepare(
        &self,
        old: Option<&Opportunity>,
        new: &mut Opportunity,
        now: DateTime<Utc>,
        pending: &Staged,
    ) -> Result<(), Vec<FieldError>> {
        new.name = new.name.trim().to_owned();
        // Lines that break a rule are reported by `validate` below, not summed.
        if new.amount_mode == AmountMode::FromLines
            && new.lines.iter().all(|l| l.validate().is_ok())
        {
            new.amount = lines_amount(&new.lines);
        }
        // A new deal's name and source default to its account's.
        // A saved deal's name cleared is refused by `validate`, not silently replaced.
        if let Some(a) = self.account(new.account) {
            if old.is_none() && new.name.is_empty() {
                new.name = a.name.clone();
            }
            if old.is_none() && new.source.is_none() {
                new.source = a.source;
            }
        }
        let Some(stage) = pending.stage(new.stage).or_else(|| self.stage(new.stage)) else {
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
        errors.extend(self.check_references(new, pending));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// Writes one deal with its history (`created`, or one entry per changed field) and, when
    /// its stage changed, a stage event, which it returns. `account` is one created with it.
    pub(super) fn write_opportunity(
        &self,
        tx: &mut Tx<'_>,
        stamp: &Stamp,
        old: Option<&Opportunity>,
        new: &Opportunity,
        account: Option<&Account>,
    ) -> Result<Option<StageEvent>, crate::store::TxError> {
        self.write_deal(tx, stamp, (old, new), account, &Staged::default())?;
        if old.is_some_and(|o| o.stage == new.stage) {
            return Ok(None);
        }
        let event = StageEvent {
            id: tx.new_id()?,
            opportunity: new.id,
            from: old.map(|o| o.stage),
            to: new.stage,
            at: stamp.at,
        };
        tx.put_stage_event(&event)?;
        Ok(Some(event))
    }

    /// Replaces one deal with its history, as [`Self::write_opportunity`]; a stage change that
    /// reverses a move `moves` takes back deletes that move instead of recording a move back,
    /// and one that `moves` puts back is written as it was. Says what it did in `done`.
    pub(super) fn write_undoable(
        &self,
        tx: &mut Tx<'_>,
        stamp: &Stamp,
        (old, new): (&Opportunity, &Opportunity),
        pending: &Staged,
        moves: &Moves,
        done: &mut MovesDone,
    ) -> Result<(), crate::store::TxError> {
        self.write_deal(tx, stamp, (Some(old), new), None, pending)?;
        if old.stage == new.stage {
            return Ok(());
        }
        let (id, from, to) = (new.id, Some(old.stage), new.stage);
        let withdrawn = (moves.withdraw.iter())
            .find(|e| e.opportunity == id && e.to == old.stage && e.from == Some(to));
        let restored =
            (moves.restore.iter()).find(|e| e.opportunity == id && e.from == from && e.to == to);
        if let Some(e) = withdrawn {
            tx.delete_stage_event(e.id)?;
            done.withdrawn.push(e.clone());
        } else if let Some(e) = restored {
            tx.put_stage_event(e)?;
            done.restored.push(e.clone());
        } else {
            let event = StageEvent {
                id: tx.new_id()?,
                opportunity: id,
                from,
                to,
                at: stamp.at,
            };
            tx.put_stage_event(&event)?;
            done.written.push(event);
        }
        Ok(())
    }

    /// Writes one deal and its history: `created`, or one entry per changed field.
    fn write_deal(
        &self,
        tx: &mut Tx<'_>,
        stamp: &Stamp,
        (old, new): (Option<&Opportunity>, &Opportunity),
        account: Option<&Account>,
        pending: &Staged,
    ) -> Result<(), crate::store::TxError> {
        tx.put_opportunity(new)?;
        let (entity, id) = (EntityKind::Opportunity, new.id);
        match old {
            None => lifecycle(tx, stamp, entity, id, "created", &new.name),
            Some(old) => {
                // Values are compared after naming, so a renamed account shows as a change.
                let before = self.field_values(old, pending);
                let mut after = self.field_values(new, pending);
                if let (Some(a), Some(value)) = (account, after.get_mut(1)) {
                    value.1 = a.name.clone();
                }
                for ((field, was), (_, is)) in before.into_iter().zip(after) {
                    if was != is {
                        history(tx, stamp, entity, id, field.key(), was, is)?;
                    }
                }
                Ok(())
            }
        }
    }

    /// Creates (`old` is None) or replaces a deal, with its history and stage event.
    pub(super) fn save_opportunity(
        &mut self,
        old: Option<&Opportunity>,
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
        // An account created with the deal gets its id in the transaction.
        let pending = Staged::ids(create_account.iter().map(|_| new.account).collect());
        self.prepare(old, &mut new, now, &pending)
            .map_err(ApplyError::Invalid)?;
        let (account, event, new) = self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            let mut account = create_account;
            if let Some(a) = &mut account {
                a.id = tx.new_id()?;
                new.account = a.id;
                tx.put_account(a)?;
                lifecycle(tx, &stamp, EntityKind::Account, a.id, "created", &a.name)?;
            }
            if old.is_none() {
                new.id = tx.new_id()?;
            }
            let event = self.write_opportunity(tx, &stamp, old, &new, account.as_ref())?;
            Ok((account, event, new))
        })?;

        let created_account = account.as_ref().map(|a| a.id);
        if let Some(a) = account {
            self.put_account(a);
        }
        self.add_stage_events(event.clone());
        let id = new.id;
        let created = old.is_none();
        let inverse = match old {
            // Undoing a creation also removes the account created with it.
            None => Command::DeleteOpportunity {
                id,
                account: created_account,
            },
            // Undoing a move takes it back: it did not happen.
            Some(o) if event.is_some() => Command::UpdateOpportunities {
                opps: vec![o.clone()],
                moves: Moves::withdraw(event.iter().cloned().collect()),
            },
            Some(o) => Command::UpdateOpportunity {
                opp: Box::new(o.clone()),
                new_account: None,
            },
        };
        self.install(old, new);
        Ok(Applied {
            inverse: Some(inverse),
            created: created.then_some(id),
        })
    }

    /// Replaces several stored deals in one transaction: one history entry per changed field
    /// per deal, one undo step; the stage moves `moves` names are taken back or put back.
    pub(super) fn update_many(
        &mut self,
        mut news: Vec<Opportunity>,
        moves: &Moves,
    ) -> Result<Applied, ApplyError> {
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
            match self.prepare(Some(&old), &mut new, now, &Staged::default()) {
                Ok(()) => pairs.push((old, new)),
                Err(found) => errors.extend(found),
            }
        }
        if !errors.is_empty() {
            return Err(ApplyError::Invalid(errors));
        }
        let done = self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            let mut done = MovesDone::default();
            for (old, new) in &pairs {
                let pending = Staged::default();
                self.write_undoable(tx, &stamp, (old, new), &pending, moves, &mut done)?;
            }
            Ok(done)
        })?;
        let moves = done.inverse();
        done.install(self);
        let olds = self.install_edited(pairs);
        Ok(Applied {
            inverse: Some(Command::UpdateOpportunities { opps: olds, moves }),
            created: None,
        })
    }

    /// The deals `ids` with `patch` applied, for [`Self::update_many`].
    pub(super) fn patched(
        &self,
        ids: &[Id],
        patch: &MassPatch,
    ) -> Result<Vec<Opportunity>, ApplyError> {
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
    pub(super) fn install(&mut self, old: Option<&Opportunity>, new: Opportunity) {
        self.deals_changed([new.id]);
        if let Some(old) = old.filter(|o| self.on_board(o))
            && let Some(column) = self.columns.get_mut(&old.stage)
        {
            column.remove(old, &self.opportunities, &self.rates);
        }
        let id = new.id;
        let on_board = self.on_board(&new);
        self.opportunities.insert(id, Box::new(new));
        let new = &self.opportunities[&id];
        if on_board {
            self.columns.entry(new.stage).or_default().insert(
                new,
                &self.opportunities,
                &self.rates,
            );
        }
    }

    /// Puts new deals in memory. Many at once (an import) go to the end of their columns,
    /// which are then sorted once: inserting each at its place would shift the column's ids
    /// for every deal, quadratic in the batch.
    pub(super) fn install_new(&mut self, opps: Vec<Opportunity>) {
        if opps.len() < ONE_BY_ONE {
            for opp in opps {
                self.install(None, opp);
            }
            return;
        }
        // (One by one, `install` notes each deal for the reports' facts.)
        self.deals_changed(opps.iter().map(|o| o.id));
        self.enter_columns(opps);
    }

    /// Puts new versions of stored deals in memory and returns the old ones. Many at once (a
    /// mass update, deals following their prediction) leave their columns in one pass each and
    /// go back as [`Self::install_new`] puts them.
    pub(super) fn install_edited(
        &mut self,
        pairs: Vec<(Opportunity, Opportunity)>,
    ) -> Vec<Opportunity> {
        if pairs.len() < ONE_BY_ONE {
            return (pairs.into_iter())
                .map(|(old, new)| {
                    self.install(Some(&old), new);
                    old
                })
                .collect();
        }
        self.deals_changed(pairs.iter().map(|(_, new)| new.id));
        let mut leaving: IdMap<Vec<&Opportunity>> = IdMap::default();
        for (old, _) in pairs.iter().filter(|(old, _)| self.on_board(old)) {
            leaving.entry(old.stage).or_default().push(old);
        }
        for (stage, olds) in leaving {
            if let Some(column) = self.columns.get_mut(&stage) {
                column.remove_many(olds, &self.rates);
            }
        }
        let (olds, news) = pairs.into_iter().unzip();
        self.enter_columns(news);
        olds
    }

    /// Puts deals in memory and at the end of their columns, then sorts the columns they
    /// entered once.
    fn enter_columns(&mut self, opps: Vec<Opportunity>) {
        let mut touched = HashSet::new();
        for opp in opps {
            if self.on_board(&opp) {
                touched.insert(opp.stage);
                self.columns
                    .entry(opp.stage)
                    .or_default()
                    .push_unsorted(&opp, &self.rates);
            }
            self.opportunities.insert(opp.id, Box::new(opp));
        }
        for stage in touched {
            if let Some(column) = self.columns.get_mut(&stage) {
                column.sort(&self.opportunities);
            }
        }
    }

    /// Removes deals from memory and the cached columns.
    pub(super) fn uninstall(&mut self, ids: &HashSet<Id>) {
        self.deals_changed(ids.iter().copied());
        for id in ids {
            self.leave_board(*id);
            self.opportunities.remove(id);
            self.trash.remove(id);
        }
        self.stage_events.retain(|e| !ids.contains(&e.opportunity));
    }

    /// Takes a deal off its board column (before it is trashed or deleted).
    pub(super) fn leave_board(&mut self, id: Id) {
        if let Some(old) = self.opportunities.get(&id).filter(|o| self.on_board(o))
            && let Some(column) = self.columns.get_mut(&old.stage)
        {
            column.remove(old, &self.opportunities, &self.rates);
        }
    }

    /// The ids of the stage events of `opps`.
    pub(super) fn events_of(&self, opps: &HashSet<Id>) -> Vec<Id> {
        self.stage_events
            .iter()
            .filter(|e| opps.contains(&e.opportunity))
            .map(|e| e.id)
            .collect()
    }

    pub(super) fn delete_opportunity(
        &mut self,
        id: Id,
        account: Option<Id>,
    ) -> Result<Applied, ApplyError> {
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
            let stamp = Stamp::begin(tx, now)?;
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
            self.drop_account(a.id);
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
    pub(super) fn restore_opportunity(
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
        let extra: IdSet = account.iter().map(|a| a.id).collect();
        let mut errors = opp.validate().err().unwrap_or_default();
        errors.extend(self.check_references(&opp, &Staged::ids(extra)));
        if !errors.is_empty() {
            return Err(ApplyError::Invalid(errors));
        }
        let now = self.now();
        self.write(|tx| {
            let stamp = Stamp::begin(tx, now)?;
            if let Some(a) = &account {
                tx.put_account(a)?;
                lifecycle(tx, &stamp, EntityKind::Account, a.id, "restored", &a.name)?;
            }
            write_restored(tx, &stamp, &opp, &events)
        })?;
        let inverse = Command::DeleteOpportunity {
            id: opp.id,
            account: account.as_ref().map(|a| a.id),
        };
        if let Some(a) = account {
            self.put_account(a);
        }
        self.add_stage_events(events);
        self.stage_events.sort_by_key(|e| (e.at, e.id));
        self.install(None, opp);
        Ok(Applied {
            inverse: Some(inverse),
            created: None,
        })
    }
}
