//! Configuration as changes: the [`Change`]s that reorder, re-default and delete stages,
//! pipelines and lookup values together with the deals and records that must follow.

use super::Workspace;
use crate::command::Change;
use crate::domain::{EntityKind, Id, Opportunity, Pipeline, Record, Stage, StageKind};

impl Workspace {
    /// Gives the stages of a pipeline the order of `ordered` (their ids).
    pub fn reorder_stages_change(&self, ordered: &[Id]) -> Change {
        let stages = ordered.iter().filter_map(|id| self.stage(*id));
        resequence(
            stages,
            |s| s.sequence,
            |s, sequence| {
                Record::Stage(Stage {
                    sequence,
                    ..s.clone()
                })
            },
        )
    }

    /// Gives the pipelines the order of `ordered` (their ids); the first is the one the board
    /// opens on.
    pub fn reorder_pipelines_change(&self, ordered: &[Id]) -> Change {
        let pipelines = ordered
            .iter()
            .filter_map(|id| self.pipelines.iter().find(|p| p.id == *id));
        resequence(
            pipelines,
            |p| p.sequence,
            |p, sequence| {
                Record::Pipeline(Pipeline {
                    sequence,
                    ..p.clone()
                })
            },
        )
    }

    /// Saves `stage`; when `apply_to_followers`, its open deals that follow the stage's default
    /// probability take the new one (deals with a probability of their own keep it).
    pub fn stage_change(&self, stage: Stage, apply_to_followers: bool) -> Change {
        let update_deals = if apply_to_followers && stage.kind == StageKind::Open {
            self.opportunities()
                .filter(|o| o.stage == stage.id && !o.probability_overridden)
                .filter(|o| o.closed.is_none() && o.probability != stage.probability)
                .map(|o| Opportunity {
                    probability: stage.probability,
                    ..o.clone()
                })
                .collect()
        } else {
            Vec::new()
        };
        Change {
            put: vec![Record::Stage(stage)],
            update_deals,
            ..Change::default()
        }
    }

    /// How many deals, archived and trashed ones included, sit in `stage`.
    pub fn deals_in_stage(&self, stage: Id) -> usize {
        self.opportunities().filter(|o| o.stage == stage).count()
    }

    /// Deletes `stage`, moving its deals to `target` first (which applies its rules: a won
    /// stage closes them, an open one follows its probability).
    pub fn delete_stage_change(&self, stage: Id, target: Option<Id>) -> Change {
        let update_deals = match target {
            Some(target) => self
                .opportunities()
                .filter(|o| o.stage == stage)
                .map(|o| {
                    let mut moved = o.clone();
                    if let Some(t) = self.stage(target) {
                        moved.pipeline = t.pipeline;
                    }
                    moved.stage = target;
                    moved
                })
                .collect(),
            None => Vec::new(),
        };
        Change {
            update_deals,
            remove: vec![(EntityKind::Stage, stage)],
            ..Change::default()
        }
    }

    /// Deletes `pipeline` and its stages; given `move_to`, its deals first go to that pipeline's
    /// first stage of the same kind (open deals to its first open stage).
    pub fn delete_pipeline_change(&self, pipeline: Id, move_to: Option<Id>) -> Change {
        let mut change = Change::default();
        if let Some(to) = move_to {
            for o in self.opportunities().filter(|o| o.pipeline == pipeline) {
                let kind = self.stage(o.stage).map_or(StageKind::Open, |s| s.kind);
                if let Some(target) = self.stage_of_kind(to, kind) {
                    change.update_deals.push(Opportunity {
                        pipeline: to,
                        stage: target.id,
                        ..o.clone()
                    });
                }
            }
        }
        change.remove = self
            .stages_of(pipeline)
            .map(|s| (EntityKind::Stage, s.id))
            .chain([(EntityKind::Pipeline, pipeline)])
            .collect();
        change
    }

    /// How many deals, accounts, leads and activities use the lookup value `id`.
    pub fn lookup_uses(&self, id: Id) -> usize {
        let used = Some(id);
        let deals = self.opportunities().filter(|o| uses_lookup(o, id)).count();
        let accounts = self.accounts().filter(|a| a.source == used).count();
        let leads = self
            .leads()
            .filter(|l| l.source == used || l.salesperson == used)
            .count();
        let activities = self
            .activities
            .values()
            .filter(|a| a.salesperson == used)
            .count();
        deals + accounts + leads + activities
    }

    /// Deletes the lookup value `id`; given `reassign_to` (a value of the same table, or None
    /// to clear it), the deals, accounts, leads and activities using it take that value first.
    pub fn delete_lookup_change(&self, id: Id, reassign_to: Option<Id>) -> Change {
        let swap = |value: &mut Option<Id>| {
            if *value == Some(id) {
                *value = reassign_to;
            }
        };
        let mut change = Change::default();
        for o in self.opportunities().filter(|o| uses_lookup(o, id)) {
            let mut o = o.clone();
            for field in [
                &mut o.source,
                &mut o.campaign,
                &mut o.salesperson,
                &mut o.competitor,
                &mut o.loss_reason,
            ] {
                swap(field);
            }
            let mut tags: Vec<Id> = o.tags.iter().copied().filter(|t| *t != id).collect();
            if o.tags.contains(&id) {
                tags.extend(reassign_to.filter(|t| !tags.contains(t)));
            }
            o.tags = tags;
            change.update_deals.push(o);
        }
        for a in self.accounts().filter(|a| a.source == Some(id)) {
            let mut a = a.clone();
            swap(&mut a.source);
            change.put.push(Record::Account(a));
        }
        for l in self
            .leads()
            .filter(|l| l.source == Some(id) || l.salesperson == Some(id))
        {
            let mut l = l.clone();
            swap(&mut l.source);
            swap(&mut l.salesperson);
            change.put.push(Record::Lead(l));
        }
        for a in self
            .activities
            .values()
            .filter(|a| a.salesperson == Some(id))
        {
            let mut a = a.clone();
            swap(&mut a.salesperson);
            change.put.push(Record::Activity(a));
        }
        change.remove.push((EntityKind::Lookup, id));
        change
    }
}

/// Numbers `items` 1, 2, 3… in their order: the change puts those whose number changed.
fn resequence<'a, T: 'a>(
    items: impl Iterator<Item = &'a T>,
    sequence: impl Fn(&T) -> u32,
    with: impl Fn(&T, u32) -> Record,
) -> Change {
    let put = items
        .zip(1..)
        .filter(|(item, n)| sequence(item) != *n)
        .map(|(item, n)| with(item, n))
        .collect();
    Change {
        put,
        ..Change::default()
    }
}

/// Whether a deal uses the lookup value `id` in any of its lookup fields or tags.
pub(super) fn uses_lookup(o: &Opportunity, id: Id) -> bool {
    [
        o.source,
        o.campaign,
        o.salesperson,
        o.competitor,
        o.loss_reason,
    ]
    .contains(&Some(id))
        || o.tags.contains(&id)
}
