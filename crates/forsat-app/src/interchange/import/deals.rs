//! The deals as written: each with the records it names and its stage history.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveTime, Utc};
use rust_decimal::Decimal;

use super::super::columns::FileColumn;
use super::super::formats::{Outcome, Target};
use super::mapping::Mapping;
use super::plan::{Ids, NewStages, Plan};
use super::references::References;
use super::rows::RowIn;
use super::stages::StageRef;
use crate::command::Batch;
use crate::domain::{Id, Line, LookupKind, Opportunity, Record, Stage, StageEvent, StageKind};
use crate::workspace::Workspace;

/// The deals made so far, with the records they name and their stage moves.
pub(super) struct Deals<'w> {
    ids: Ids,
    kept_ids: bool,
    refs: References<'w>,
    batch: Batch,
    /// Deals to put in the trash once written.
    trash: Vec<Id>,
    /// Whether the file is another system's, whose closed deals say where they were.
    foreign: bool,
    /// Whether the file says where closed deals closed from.
    says_closed_from: bool,
    /// Closed deals recorded as entering the open stage the file names, then closing.
    kept_stage: usize,
    /// Lost deals whose file says they were lost at no open stage.
    lost_nowhere: usize,
}

impl<'w> Deals<'w> {
    pub(super) fn new(ws: &'w Workspace, mapping: &Mapping, ids: Ids, kept_ids: bool) -> Deals<'w> {
        // The other systems' files say where a closed deal was (or that they cannot): it
        // starts where it closed from, else in its closing stage. So do Forsat's own files with
        // a `closed_from` column (empty: it closed from no open stage); without one they say
        // nothing, and a lost deal is created in the first open stage as it always was, a won
        // one created won.
        let foreign = mapping.dialect.outcome != Outcome::Stage;
        let says_closed_from =
            foreign || (mapping.index).contains_key(&Target::Column(FileColumn::ClosedFrom));
        Deals {
            ids,
            kept_ids,
            refs: References::new(ws),
            batch: Batch::default(),
            trash: Vec::new(),
            foreign,
            says_closed_from,
            kept_stage: 0,
            lost_nowhere: 0,
        }
    }

    /// Adds the deal of row `r`, in `stage`, closed from `closed_from` when the file names it.
    pub(super) fn add(
        &mut self,
        stages: &NewStages<'_>,
        r: RowIn,
        stage: StageRef,
        closed_from: Option<StageRef>,
    ) {
        let stage = stages.get(stage);
        let (since, trashed) = (r.closed_from_since, r.trashed);
        let opp = self.deal(stage, r);
        let closed_from = closed_from
            .map(|s| stages.get(s))
            .filter(|s| s.kind == StageKind::Open && s.pipeline == stage.pipeline);
        let path = self.path(stages, stage, closed_from, since, &opp);
        self.moves(&opp, path);
        if trashed {
            self.trash.push(opp.id);
        }
        self.batch.opportunities.push(opp);
    }

    /// The deal of row `r` in `stage`, with the records it names (found or made).
    fn deal(&mut self, stage: &Stage, r: RowIn) -> Opportunity {
        let account = self.refs.account(&mut self.ids, &r.account);
        let opp_id = if self.kept_ids {
            r.id.expect("kept ids are all present")
        } else {
            self.ids.take()
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
                product: self
                    .refs
                    .product(&mut self.ids, &l.product, &l.line, &r.currency),
                ..l.line.clone()
            })
            .collect();
        Opportunity {
            id: opp_id,
            name: r.name,
            account,
            business_type: r.business_type,
            source: self
                .refs
                .lookup(&mut self.ids, LookupKind::Source, &r.source),
            pipeline: stage.pipeline,
            stage: stage.id,
            next_step: r.next_step,
            campaign: self
                .refs
                .lookup(&mut self.ids, LookupKind::Campaign, &r.campaign),
            salesperson: self
                .refs
                .lookup(&mut self.ids, LookupKind::Salesperson, &r.salesperson),
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
            competitor: self
                .refs
                .lookup(&mut self.ids, LookupKind::Competitor, &r.competitor),
            loss_reason: self
                .refs
                .lookup(&mut self.ids, LookupKind::LossReason, &r.loss_reason),
            description: r.description,
            win_loss_report: r.win_loss_report,
            priority: r.priority,
            tags: r
                .tags
                .iter()
                .filter_map(|t| self.refs.lookup(&mut self.ids, LookupKind::Tag, t))
                .collect(),
            created: r.created,
            updated: r.updated.unwrap_or(stage_entered.max(r.created)),
            stage_entered,
            closed,
            contact: self.refs.contact(
                &mut self.ids,
                account,
                &r.contact,
                &r.contact_email,
                &r.contact_phone,
            ),
        }
    }

    /// The deal's stage history as the file implies it: the open stage it was in (entered when
    /// the file says, after creation in the first open stage), then its closing stage.
    fn path(
        &mut self,
        stages: &NewStages<'_>,
        stage: &Stage,
        closed_from: Option<&Stage>,
        since: Option<DateTime<Utc>>,
        opp: &Opportunity,
    ) -> Vec<(Id, DateTime<Utc>)> {
        let stage_entered = opp.stage_entered;
        let open = match (stage.kind, closed_from) {
            (StageKind::Open, _) => Some((stage.id, stage_entered)),
            (_, Some(from)) => {
                self.kept_stage += 1;
                Some((from.id, since.unwrap_or(opp.created)))
            }
            (kind, None) if self.says_closed_from => {
                self.lost_nowhere += usize::from(kind == StageKind::Lost);
                None
            }
            // Created won: the file says nothing of its way, so it passed through every
            // open stage before (the funnel counts it there), not just the first.
            (StageKind::Won, None) => None,
            (_, None) => stages
                .first_open(stage.pipeline)
                .map(|id| (id, opp.created)),
        };
        let mut path: Vec<(Id, DateTime<Utc>)> = Vec::with_capacity(3);
        if let Some((open, since)) = open {
            let moved = self.foreign && since > opp.created;
            match stages
                .first_open(stage.pipeline)
                .filter(|first| moved && *first != open)
            {
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
        path
    }

    /// The deal's stage moves along `path`.
    fn moves(&mut self, opp: &Opportunity, path: Vec<(Id, DateTime<Utc>)>) {
        let mut from = None;
        let mut after = opp.created;
        for (to, at) in path {
            // Never before the move before it, whatever the file's times say.
            after = at.max(after);
            self.batch.stage_events.push(StageEvent {
                id: self.ids.take(),
                opportunity: opp.id,
                from,
                to,
                at: after,
            });
            from = Some(to);
        }
    }

    /// The plan writing the deals, with the new pipelines and stages of `stages`.
    pub(super) fn plan(self, stages: NewStages<'_>) -> Plan {
        let Deals {
            kept_ids,
            refs,
            mut batch,
            trash,
            kept_stage,
            lost_nowhere,
            ..
        } = self;
        let contact_notes = refs.contact_messages();
        batch.lookups = refs.new_lookups;
        batch.accounts = refs.new_accounts;
        batch.records = refs.new_records;
        let mut new_lookups: BTreeMap<LookupKind, Vec<String>> = BTreeMap::new();
        for l in &batch.lookups {
            new_lookups.entry(l.kind).or_default().push(l.name.clone());
        }
        let (new_pipelines, ordered_stages) = stages.into_records();
        Plan {
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
        }
    }
}
