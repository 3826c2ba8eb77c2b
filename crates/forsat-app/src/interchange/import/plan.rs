//! Everything an import writes, ids assigned, as one command.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::super::rates;
use super::deals::Deals;
use super::mapping::Mapping;
use super::report::{ImportError, ImportSummary, NewStage};
use super::rows::RowIn;
use super::stages::{PipelineRef, RowStages, StageDraft, StageNames, StageRef, creation_order};
use crate::command::{Batch, Command};
use crate::domain::{
    Currency, EntityKind, ForecastCategory, ID_LIMIT, Id, LookupKind, Pipeline, Record, Stage,
    StageKind,
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
    /// The ids for `rows`, and whether their deals keep the file's ids: into an empty database,
    /// every row with its own id, none below the workspace's counter.
    pub(super) fn for_rows(ws: &Workspace, rows: &[RowIn]) -> (Ids, bool) {
        let file_ids: Vec<Id> = rows.iter().filter_map(|r| r.id).collect();
        let distinct: HashSet<Id> = file_ids.iter().copied().collect();
        let kept_ids = ws.opportunity_count() == 0
            && !rows.is_empty()
            && file_ids.len() == rows.len()
            && distinct.len() == rows.len()
            && file_ids.iter().all(|&id| id >= ws.next_id());
        let ids = Ids {
            next: ws.next_id(),
            reserved: if kept_ids { distinct } else { HashSet::new() },
        };
        (ids, kept_ids)
    }

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
    pub(super) config: Vec<Record>,
    pub(super) batch: Batch,
    /// Deals to put in the trash once written.
    pub(super) trash: Vec<Id>,
    pub(super) kept_ids: bool,
    pub(super) new_pipelines: Vec<Pipeline>,
    pub(super) new_stages: Vec<Stage>,
    pub(super) new_lookups: BTreeMap<LookupKind, Vec<String>>,
    /// What finding the contacts showed.
    pub(super) contact_notes: Vec<String>,
    /// Closed deals recorded as entering the open stage the file names, then closing.
    pub(super) kept_stage: usize,
    /// Lost deals whose file says they were lost at no open stage.
    pub(super) lost_nowhere: usize,
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

    /// The plan writing `rows` as a file of `mapping`'s format says; new open stages are
    /// ordered by [`super::stages::stage_order`], the user's `chosen` order over it (an error
    /// when it names a stage the file does not add).
    pub(super) fn build(
        ws: &Workspace,
        rows: Vec<RowIn>,
        mapping: &Mapping,
        chosen: &[String],
    ) -> Result<Plan, ImportError> {
        let (mut ids, kept_ids) = Ids::for_rows(ws, &rows);
        let named = RowStages::of(ws, &rows);
        let drafts = named.drafts(&rows);
        let order = creation_order(&drafts, mapping.dialect.stage_order, chosen)?;
        let stages = NewStages::new(ws, &named.names, &drafts, order, &mut ids);
        let mut deals = Deals::new(ws, mapping, ids, kept_ids);
        // The rows' texts move into the deals: a file's descriptions are never held twice.
        for ((r, stage), closed_from) in rows.into_iter().zip(named.stages).zip(named.closed_from) {
            deals.add(&stages, r, stage, closed_from);
        }
        Ok(deals.plan(stages))
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

/// The new pipelines and stages, ids and sequences assigned: with the stored ones, where the
/// deals go.
pub(super) struct NewStages<'w> {
    ws: &'w Workspace,
    pipelines: Vec<Pipeline>,
    /// In the order of their drafts.
    stages: Vec<Stage>,
    /// The order they are created in (see [`creation_order`]).
    order: Vec<usize>,
}

impl<'w> NewStages<'w> {
    /// The pipelines `names` adds and the stages of `drafts`, numbered in `order`.
    fn new(
        ws: &'w Workspace,
        names: &StageNames<'_>,
        drafts: &[StageDraft],
        order: Vec<usize>,
        ids: &mut Ids,
    ) -> NewStages<'w> {
        let max_sequence = ws.pipelines().iter().map(|p| p.sequence).max().unwrap_or(0);
        let pipelines: Vec<Pipeline> = names
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
            PipelineRef::New(n) => pipelines[n].id,
        };
        let mut stages: Vec<Stage> = drafts
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
                forecast: ForecastCategory::for_probability(d.probability),
            })
            .collect();
        let mut sequences: HashMap<Id, u32> = HashMap::new();
        for &n in &order {
            let stage = &mut stages[n];
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
        NewStages {
            ws,
            pipelines,
            stages,
            order,
        }
    }

    /// The stage a row names.
    pub(super) fn get(&self, r: StageRef) -> &Stage {
        match r {
            StageRef::Stored(id) => self.ws.stage(id).expect("a stored stage"),
            StageRef::New(n) => &self.stages[n],
        }
    }

    /// A pipeline's first open stage: where a deal is taken to have been created when the
    /// file says it moved later, as these systems put a new deal there.
    pub(super) fn first_open(&self, pipeline: Id) -> Option<Id> {
        self.ws
            .stage_of_kind(pipeline, StageKind::Open)
            .map(|s| s.id)
            .or_else(|| {
                self.order
                    .iter()
                    .map(|&n| &self.stages[n])
                    .find(|s| s.pipeline == pipeline && s.kind == StageKind::Open)
                    .map(|s| s.id)
            })
    }

    /// The new pipelines, and the new stages in the order they are created.
    pub(super) fn into_records(self) -> (Vec<Pipeline>, Vec<Stage>) {
        let ordered = self.order.iter().map(|&n| self.stages[n].clone()).collect();
        (self.pipelines, ordered)
    }
}
