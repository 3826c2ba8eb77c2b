//! Everything an import writes, ids assigned, as one command.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, NaiveTime, Utc};
use rust_decimal::Decimal;

use super::super::columns::Column;
use super::super::formats::{Outcome, Target};
use super::super::rates;
use super::mapping::Mapping;
use super::references::References;
use super::report::{ImportError, ImportSummary, NewStage};
use super::rows::RowIn;
use super::stages::{PipelineRef, StageDraft, StageNames, StageRef, creation_order, infer_stage};
use crate::command::{Batch, Command};
use crate::domain::{
    Currency, DEFAULT_STAGES, EntityKind, ID_LIMIT, Id, Line, LookupKind, Opportunity, Pipeline,
    Record, Stage, StageEvent, StageKind,
};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// Ids for the new records: from the workspace's counter, skipping the ids the file's deals
/// keep.
pub(super) struct Ids {
    next: Id,
    reserved: HashSet<Id>,
}

impl Ids {
    /// The next free id. Past [`ID_LIMIT`] the ids repeat and the write refuses the batch
    /// (never a wrap to the ids of the first records).
    pub(super) fn take(&mut self) -> Id {
        while self.next < ID_LIMIT && self.reserved.contains(&self.next) {
            self.next += 1;
        }
        let id = self.next;
        self.next = id.saturating_add(1);
        id
    }
}

/// Everything an import writes, ids assigned.
pub(super) struct Plan {
    /// New pipelines and stages.
    config: Vec<Record>,
    pub(super) batch: Batch,
    /// Deals to put in the trash once written.
    trash: Vec<Id>,
    pub(super) kept_ids: bool,
    new_pipelines: Vec<Pipeline>,
    new_stages: Vec<Stage>,
    new_lookups: BTreeMap<LookupKind, Vec<String>>,
    /// What finding the contacts showed.
    contact_notes: Vec<String>,
    /// Closed deals recorded as entering the open stage the file names, then closing.
    kept_stage: usize,
    /// Lost deals whose file says they were lost at no open stage.
    lost_nowhere: usize,
}

impl Plan {
    /// The one command writing everything: new pipelines and stages, the deals with what they
    /// need, the trashed ones put in the trash; one transaction, one undo step.
    pub(super) fn command(self) -> Command {
        let mut batch = self.batch;
        batch.records.splice(0..0, self.config);
        batch.trash = self.trash;
        Command::InsertBatch(Box::new(batch))
    }

    /// The plan writing `rows` as a file of `dialect` says; new open stages are ordered by
    /// [`stage_order`], the user's `chosen` order over it (an error when it names a stage the
    /// file does not add).
    pub(super) fn build(
        ws: &Workspace,
        rows: Vec<RowIn>,
        mapping: &Mapping,
        chosen: &[String],
    ) -> Result<Plan, ImportError> {
        let dialect = &mapping.dialect;
        let file_ids: Vec<Id> = rows.iter().filter_map(|r| r.id).collect();
        let distinct: HashSet<Id> = file_ids.iter().copied().collect();
        let kept_ids = ws.opportunity_count() == 0
            && !rows.is_empty()
            && file_ids.len() == rows.len()
            && distinct.len() == rows.len()
            && file_ids.iter().all(|&id| id >= ws.next_id());
        let mut ids = Ids {
            next: ws.next_id(),
            reserved: if kept_ids { distinct } else { HashSet::new() },
        };

        // Each row's stage, and the open stage a closed deal closed at when the file names it.
        let mut names = StageNames::new(ws);
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut row_stages: Vec<StageRef> = Vec::with_capacity(rows.len());
        let mut row_closed_from: Vec<Option<StageRef>> = Vec::with_capacity(rows.len());
        for (i, r) in rows.iter().enumerate() {
            let stage = names.resolve(&r.pipeline, &r.stage, r.outcome);
            let closed_from = (!r.closed_from.is_empty())
                .then(|| names.resolve(&r.pipeline, &r.closed_from, None));
            members.resize_with(names.stages.len(), Vec::new);
            if let StageRef::New(n) = stage {
                members[n].push(i);
            }
            row_stages.push(stage);
            row_closed_from.push(closed_from);
        }
        // A new stage's kind and probability come from its deals: all closed at 100 % (or 0 %)
        // make it a Won (Lost) stage. A stage only named as where closed deals were is open.
        // Every new pipeline gets an open stage.
        let first_stage_name = DEFAULT_STAGES[0].name;
        let mut drafts: Vec<StageDraft> = names
            .stages
            .iter()
            .zip(&members)
            .map(|((pipeline, _, name), members)| {
                let (kind, probability) = if members.is_empty() {
                    (StageKind::Open, DEFAULT_STAGES[0].probability.into())
                } else {
                    infer_stage(name, members.iter().map(|&i| &rows[i]))
                };
                let mut open: Vec<Decimal> = members
                    .iter()
                    .map(|&i| &rows[i])
                    .filter(|r| r.outcome.is_none() && r.closed.is_none())
                    .filter_map(|r| r.probability)
                    .collect();
                open.sort_unstable();
                StageDraft {
                    pipeline: *pipeline,
                    name: name.to_string(),
                    kind,
                    probability,
                    rank: open.get(open.len() / 2).copied(),
                }
            })
            .collect();
        for n in 0..names.pipelines.len() {
            let has_open = drafts
                .iter()
                .any(|d| d.pipeline == PipelineRef::New(n) && d.kind == StageKind::Open);
            if !has_open {
                drafts.push(StageDraft {
                    pipeline: PipelineRef::New(n),
                    name: first_stage_name.to_owned(),
                    kind: StageKind::Open,
                    probability: DEFAULT_STAGES[0].probability.into(),
                    rank: None,
                });
            }
        }
        let order = creation_order(&drafts, dialect.stage_order, chosen)?;
        let max_sequence = ws.pipelines().iter().map(|p| p.sequence).max().unwrap_or(0);
        let new_pipelines: Vec<Pipeline> = names
            .pipelines
            .iter()
            .zip(1..)
            .map(|(name, n)| Pipeline {
                id: ids.take(),
                name: name.clone(),
                sequence: max_sequence + n,
            })
            .collect();
        let pipeline_id = |p: PipelineRef| match p {
            PipelineRef::Stored(id) => id,
            PipelineRef::New(n) => new_pipelines[n].id,
        };
        let mut new_stages: Vec<Stage> = drafts
            .iter()
            .map(|d| Stage {
                id: 0,
                pipeline: pipeline_id(d.pipeline),
                name: d.name.clone(),
                sequence: 0,
                probability: d.probability,
                kind: d.kind,
                requirements: String::new(),
                rotting_days: None,
                folded: d.kind == StageKind::Lost,
            })
            .collect();
        let mut sequences: HashMap<Id, u32> = HashMap::new();
        for &n in &order {
            let stage = &mut new_stages[n];
            let next = sequences.entry(stage.pipeline).or_insert_with(|| {
                ws.stages_of(stage.pipeline)
                    .map(|s| s.sequence)
                    .max()
                    .unwrap_or(0)
            });
            *next += 1;
            stage.sequence = *next;
            stage.id = ids.take();
        }
        let stage_of = |r: StageRef| -> &Stage {
            match r {
                StageRef::Stored(id) => ws.stage(id).expect("a stored stage"),
                StageRef::New(n) => &new_stages[n],
            }
        };
        // A pipeline's first open stage: where a deal is taken to have been created when the
        // file says it moved later, as these systems put a new deal there.
        let first_open = |pipeline: Id| -> Option<Id> {
            ws.stage_of_kind(pipeline, StageKind::Open)
                .map(|s| s.id)
                .or_else(|| {
                    order
                        .iter()
                        .map(|&n| &new_stages[n])
                        .find(|s| s.pipeline == pipeline && s.kind == StageKind::Open)
                        .map(|s| s.id)
                })
        };
        // The other systems' files say where a closed deal was (or that they cannot): it
        // starts where it closed from, else in its closing stage. So do Forsat's own files with
        // a `closed_from` column (empty: it closed from no open stage); without one they say
        // nothing, and a lost deal is created in the first open stage as it always was, a won
        // one created won.
        let foreign = dialect.outcome != Outcome::Stage;
        let says_closed_from =
            foreign || (mapping.index).contains_key(&Target::Column(Column::ClosedFrom));
        let mut kept_stage = 0;
        let mut lost_nowhere = 0;

        let mut refs = References::new(ws);
        let mut batch = Batch::default();
        let mut trash = Vec::new();
        // The rows' texts move into the deals: a file's descriptions are never held twice.
        for ((r, stage_ref), closed_from) in rows.into_iter().zip(&row_stages).zip(row_closed_from)
        {
            let stage = stage_of(*stage_ref);
            let account = refs.account(&mut ids, &r.account);
            let opp_id = if kept_ids {
                r.id.expect("kept ids are all present")
            } else {
                ids.take()
            };
            let probability = r.probability.unwrap_or(match stage.kind {
                StageKind::Won => Decimal::ONE_HUNDRED,
                StageKind::Lost => Decimal::ZERO,
                StageKind::Open => stage.probability,
            });
            let stage_entered = r.stage_entered.unwrap_or(r.created);
            let closed = match stage.kind {
                StageKind::Open => None,
                StageKind::Won | StageKind::Lost => {
                    Some(r.closed.unwrap_or(stage_entered.date_naive()))
                }
            };
            let lines = r
                .lines
                .iter()
                .map(|l| Line {
                    product: refs.product(&mut ids, &l.product, &l.line, &r.currency),
                    ..l.line.clone()
                })
                .collect();
            let opp = Opportunity {
                id: opp_id,
                name: r.name,
                account,
                business_type: r.business_type,
                source: refs.lookup(&mut ids, LookupKind::Source, &r.source),
                pipeline: stage.pipeline,
                stage: stage.id,
                next_step: r.next_step,
                campaign: refs.lookup(&mut ids, LookupKind::Campaign, &r.campaign),
                salesperson: refs.lookup(&mut ids, LookupKind::Salesperson, &r.salesperson),
                currency: r.currency,
                amount: r.amount,
                amount_mode: r.amount_mode,
                lines,
                expected_close: r.expected_close,
                active: r.active,
                probability,
                probability_overridden: r
                    .probability_overridden
                    .unwrap_or(probability != stage.probability),
                forecast: r.forecast,
                competitor: refs.lookup(&mut ids, LookupKind::Competitor, &r.competitor),
                loss_reason: refs.lookup(&mut ids, LookupKind::LossReason, &r.loss_reason),
                description: r.description,
                win_loss_report: r.win_loss_report,
                priority: r.priority,
                tags: r
                    .tags
                    .iter()
                    .filter_map(|t| refs.lookup(&mut ids, LookupKind::Tag, t))
                    .collect(),
                created: r.created,
                updated: r.updated.unwrap_or(stage_entered.max(r.created)),
                stage_entered,
                closed,
                contact: refs.contact(
                    &mut ids,
                    account,
                    &r.contact,
                    &r.contact_email,
                    &r.contact_phone,
                ),
            };
            // Its stage history as the file implies it: the open stage it was in (entered when
            // the file says, after creation in the first open stage), then its closing stage.
            let closed_from = closed_from
                .map(stage_of)
                .filter(|s| s.kind == StageKind::Open && s.pipeline == stage.pipeline);
            let open = match (stage.kind, closed_from) {
                (StageKind::Open, _) => Some((stage.id, stage_entered)),
                (_, Some(from)) => {
                    kept_stage += 1;
                    Some((from.id, r.closed_from_since.unwrap_or(opp.created)))
                }
                (kind, None) if says_closed_from => {
                    lost_nowhere += usize::from(kind == StageKind::Lost);
                    None
                }
                // Created won: the file says nothing of its way, so it passed through every
                // open stage before (the funnel counts it there), not just the first.
                (StageKind::Won, None) => None,
                (_, None) => first_open(stage.pipeline).map(|id| (id, opp.created)),
            };
            let mut path: Vec<(Id, DateTime<Utc>)> = Vec::with_capacity(3);
            if let Some((open, since)) = open {
                let moved = foreign && since > opp.created;
                match first_open(stage.pipeline).filter(|first| moved && *first != open) {
                    Some(first) => path.extend([(first, opp.created), (open, since)]),
                    None => path.push((open, opp.created)),
                }
            }
            if let Some(closed) = opp
                .closed
                .filter(|_| path.last().is_none_or(|p| p.0 != stage.id))
            {
                let at = match path.last() {
                    None => opp.created,
                    Some(_) if stage_entered.date_naive() == closed => stage_entered,
                    Some(_) => closed.and_time(NaiveTime::MIN).and_utc(),
                };
                path.push((stage.id, at));
            }
            let mut from = None;
            let mut after = opp.created;
            for (to, at) in path {
                // Never before the move before it, whatever the file's times say.
                after = at.max(after);
                batch.stage_events.push(StageEvent {
                    id: ids.take(),
                    opportunity: opp.id,
                    from,
                    to,
                    at: after,
                });
                from = Some(to);
            }
            if r.trashed {
                trash.push(opp.id);
            }
            batch.opportunities.push(opp);
        }
        let contact_notes = refs.contact_messages();
        batch.lookups = refs.new_lookups;
        batch.accounts = refs.new_accounts;
        batch.records = refs.new_records;
        let mut new_lookups: BTreeMap<LookupKind, Vec<String>> = BTreeMap::new();
        for l in &batch.lookups {
            new_lookups.entry(l.kind).or_default().push(l.name.clone());
        }
        let ordered_stages: Vec<Stage> = order.iter().map(|&n| new_stages[n].clone()).collect();
        Ok(Plan {
            config: new_pipelines
                .iter()
                .cloned()
                .map(Record::Pipeline)
                .chain(ordered_stages.iter().cloned().map(Record::Stage))
                .collect(),
            batch,
            trash,
            kept_ids,
            new_pipelines,
            new_stages: ordered_stages,
            new_lookups,
            contact_notes,
            kept_stage,
            lost_nowhere,
        })
    }

    /// Adds the currencies the file brings (ids after every other new record's), first, and
    /// tells about them.
    pub(super) fn add_currencies(
        &mut self,
        new: rates::NewCurrencies,
        summary: &mut ImportSummary,
    ) {
        let batch = &self.batch;
        let last = self
            .config
            .iter()
            .chain(&batch.records)
            .map(Record::id)
            .chain(batch.lookups.iter().map(|l| l.id))
            .chain(batch.accounts.iter().map(|a| a.id))
            .chain(batch.opportunities.iter().map(|o| o.id))
            .chain(batch.stage_events.iter().map(|e| e.id))
            .max();
        let mut next = last.map_or(0, |id| id + 1);
        let currencies = new.currencies.into_iter().map(|c| {
            next += 1;
            Record::Currency(Currency { id: next - 1, ..c })
        });
        self.config.splice(0..0, currencies);
        summary.messages.extend(new.messages);
    }

    /// Fills the summary's counts and tells what is new.
    pub(super) fn describe(&self, ws: &Workspace, summary: &mut ImportSummary) {
        let count = |kind: EntityKind| {
            self.batch
                .records
                .iter()
                .filter(|r| r.kind() == kind)
                .count()
        };
        summary.deals = self.batch.opportunities.len();
        summary.accounts = self.batch.accounts.len();
        summary.contacts = count(EntityKind::Contact);
        summary.products = count(EntityKind::Product);
        summary.lookups = self.batch.lookups.len();
        summary.pipelines = self.new_pipelines.len();
        summary.stages = self.new_stages.len();
        summary.kept_ids = self.kept_ids;
        for p in &self.new_pipelines {
            summary
                .messages
                .push(tr!("new pipeline “{name}”", name = p.name));
        }
        for s in &self.new_stages {
            let pipeline = ws
                .pipelines()
                .iter()
                .chain(&self.new_pipelines)
                .find(|p| p.id == s.pipeline)
                .map_or("", |p| p.name.as_str());
            summary.new_stages.push(NewStage {
                pipeline: pipeline.to_owned(),
                name: s.name.clone(),
                kind: s.kind,
            });
            let kind = match s.kind {
                StageKind::Open => tr!("open"),
                StageKind::Won => tr!("won"),
                StageKind::Lost => tr!("lost"),
            };
            summary.messages.push(tr!(
                "new stage “{name}” ({kind}, {probability} %) at the end of pipeline “{pipeline}”",
                name = s.name,
                kind = kind,
                probability = s.probability.normalize(),
                pipeline = pipeline
            ));
        }
        if self.kept_stage > 0 {
            summary.messages.push(trn!(
                self.kept_stage,
                "{n} won or lost deals keep the stage the file names: they entered it, then closed"
            ));
        }
        if self.lost_nowhere > 0 {
            summary.messages.push(trn!(
                self.lost_nowhere,
                "{n} lost deals name no stage they were lost at: they count as lost, at no stage of the funnel or the sales leakage"
            ));
        }
        for (kind, names) in &self.new_lookups {
            let what = match kind {
                LookupKind::Source => tr!("new sources"),
                LookupKind::Campaign => tr!("new campaigns"),
                LookupKind::Salesperson => tr!("new salespeople"),
                LookupKind::LossReason => tr!("new loss reasons"),
                LookupKind::Competitor => tr!("new competitors"),
                LookupKind::Tag => tr!("new tags"),
            };
            summary
                .messages
                .push(format!("{what}: {}", names.join(", ")));
        }
        summary.messages.extend(self.contact_notes.iter().cloned());
        if summary.products > 0 {
            let codes: Vec<&str> = self
                .batch
                .records
                .iter()
                .filter_map(|r| match r {
                    Record::Product(p) => Some(p.code.as_str()),
                    _ => None,
                })
                .collect();
            summary.messages.push(tr!(
                "new products (priced as on their first line): {codes}",
                codes = codes.join(", ")
            ));
        }
    }
}
