//! The pipelines and stages the rows name, and the stages the import creates: their kind,
//! probability and order.

use std::collections::HashMap;
use std::sync::Arc;

use rust_decimal::Decimal;

use super::report::ImportError;
use super::rows::RowIn;
use crate::domain::{DEFAULT_STAGES, Id, StageKind, escaped};
use crate::tr;
use crate::workspace::Workspace;

/// A stage a row names: stored, or one the import creates (index into `Plan::new_stages`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum StageRef {
    Stored(Id),
    New(usize),
}

/// A pipeline a row names: stored, or one the import creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum PipelineRef {
    Stored(Id),
    New(usize),
}

/// The pipelines and stages rows name, each spelling resolved once (rows name few): stored
/// ones found by name (case ignored), new ones collected to be created.
pub(super) struct StageNames<'w> {
    ws: &'w Workspace,
    stored_pipelines: HashMap<String, Id>,
    /// New pipelines, named as first written.
    pub(super) pipelines: Vec<String>,
    /// New stages: their pipeline, caseless name, and name as first written.
    pub(super) stages: Vec<(PipelineRef, String, Arc<str>)>,
    resolved: foldhash::HashMap<Spelling, StageRef>,
}

/// A pipeline and stage as a row writes them, and whether the row is won or lost.
type Spelling = (Arc<str>, Arc<str>, Option<StageKind>);

impl<'w> StageNames<'w> {
    pub(super) fn new(ws: &'w Workspace) -> StageNames<'w> {
        StageNames {
            ws,
            stored_pipelines: ws
                .pipelines()
                .iter()
                .map(|p| (p.name.trim().to_lowercase(), p.id))
                .collect(),
            pipelines: Vec::new(),
            stages: Vec::new(),
            resolved: foldhash::HashMap::default(),
        }
    }

    /// The stage `stage` of pipeline `pipeline` (the default one when empty). A deal won or
    /// lost (`outcome`) goes to a stored pipeline's won or lost stage; an empty stage is the
    /// pipeline's first open one.
    pub(super) fn resolve(
        &mut self,
        pipeline: &Arc<str>,
        stage: &Arc<str>,
        outcome: Option<StageKind>,
    ) -> StageRef {
        let spelling = (Arc::clone(pipeline), Arc::clone(stage), outcome);
        if let Some(&found) = self.resolved.get(&spelling) {
            return found;
        }
        let ws = self.ws;
        let pipeline = if pipeline.is_empty() {
            PipelineRef::Stored(ws.default_pipeline().id)
        } else {
            let key = pipeline.to_lowercase();
            match self.stored_pipelines.get(&key) {
                Some(id) => PipelineRef::Stored(*id),
                None => PipelineRef::New(
                    match self.pipelines.iter().position(|n| n.to_lowercase() == key) {
                        Some(n) => n,
                        None => {
                            self.pipelines.push(pipeline.to_string());
                            self.pipelines.len() - 1
                        }
                    },
                ),
            }
        };
        let stored = match pipeline {
            PipelineRef::Stored(p) if outcome.is_some_and(|k| ws.stage_of_kind(p, k).is_some()) => {
                outcome.and_then(|k| ws.stage_of_kind(p, k))
            }
            PipelineRef::Stored(p) if stage.is_empty() => ws
                .stage_of_kind(p, StageKind::Open)
                .or_else(|| ws.stages_of(p).next()),
            PipelineRef::Stored(p) => {
                let key = stage.to_lowercase();
                ws.stages_of(p)
                    .find(|s| s.name.trim().to_lowercase() == key)
            }
            PipelineRef::New(_) => None,
        };
        let found = match stored {
            Some(stored) => StageRef::Stored(stored.id),
            None => {
                let name: Arc<str> = if stage.is_empty() {
                    Arc::from(DEFAULT_STAGES[0].name)
                } else {
                    Arc::clone(stage)
                };
                let key = name.to_lowercase();
                let n = match self
                    .stages
                    .iter()
                    .position(|(p, k, _)| *p == pipeline && *k == key)
                {
                    Some(n) => n,
                    None => {
                        self.stages.push((pipeline, key, name));
                        self.stages.len() - 1
                    }
                };
                StageRef::New(n)
            }
        };
        self.resolved.insert(spelling, found);
        found
    }
}

/// Each row's stage, and the open stage a closed deal closed at when the file names it.
pub(super) struct RowStages<'w> {
    pub(super) names: StageNames<'w>,
    /// The rows of each new stage.
    members: Vec<Vec<usize>>,
    pub(super) stages: Vec<StageRef>,
    pub(super) closed_from: Vec<Option<StageRef>>,
}

impl<'w> RowStages<'w> {
    /// The stages `rows` name, resolved in `ws`.
    pub(super) fn of(ws: &'w Workspace, rows: &[RowIn]) -> RowStages<'w> {
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
        RowStages {
            names,
            members,
            stages: row_stages,
            closed_from: row_closed_from,
        }
    }

    /// The stages the import creates, from the rows in them.
    pub(super) fn drafts(&self, rows: &[RowIn]) -> Vec<StageDraft> {
        // A new stage's kind and probability come from its deals: all closed at 100 % (or 0 %)
        // make it a Won (Lost) stage. A stage only named as where closed deals were is open.
        // Every new pipeline gets an open stage.
        let first_stage_name = DEFAULT_STAGES[0].name;
        let mut drafts: Vec<StageDraft> = self
            .names
            .stages
            .iter()
            .zip(&self.members)
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
        for n in 0..self.names.pipelines.len() {
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
        drafts
    }
}

/// A stage the import creates, before its id and place.
pub(super) struct StageDraft {
    pub(super) pipeline: PipelineRef,
    pub(super) name: String,
    pub(super) kind: StageKind,
    pub(super) probability: Decimal,
    /// The middle probability of its open deals in the file: where it goes among the others.
    pub(super) rank: Option<Decimal>,
}

/// The order new stages are created in, so each pipeline's sequences follow it: each
/// pipeline's open stages as [`stage_order`] puts them, then won, then lost stages. `chosen`
/// may only name new open stages.
pub(super) fn creation_order(
    drafts: &[StageDraft],
    usual: &[&str],
    chosen: &[String],
) -> Result<Vec<usize>, ImportError> {
    let mut pipelines: Vec<PipelineRef> = Vec::new();
    for d in drafts {
        if !pipelines.contains(&d.pipeline) {
            pipelines.push(d.pipeline);
        }
    }
    let mut order = Vec::with_capacity(drafts.len());
    for pipeline in pipelines {
        let open: Vec<usize> = (0..drafts.len())
            .filter(|&n| drafts[n].pipeline == pipeline && drafts[n].kind == StageKind::Open)
            .collect();
        let stages: Vec<(&str, Option<Decimal>)> = open
            .iter()
            .map(|&n| (drafts[n].name.as_str(), drafts[n].rank))
            .collect();
        order.extend(
            stage_order(&stages, usual, chosen)
                .into_iter()
                .map(|k| open[k]),
        );
    }
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    if let Some(stray) = chosen
        .iter()
        .find(|c| !order.iter().any(|&n| same(&drafts[n].name, c)))
    {
        // Listed in the import's own order.
        let own = creation_order(drafts, usual, &[])?;
        let mut new: Vec<&str> = Vec::new();
        for &n in own.iter().filter(|&&n| drafts[n].kind == StageKind::Open) {
            if !new.contains(&drafts[n].name.as_str()) {
                new.push(&drafts[n].name);
            }
        }
        return Err(ImportError::Options(if new.is_empty() {
            tr!(
                "the stage order names “{name}”, but this file adds no stage",
                name = escaped(stray)
            )
        } else {
            tr!(
                "the stage order names “{name}”, which is not one of the stages this file adds ({stages})",
                name = escaped(stray),
                stages = new.join(", ")
            )
        }));
    }
    for kind in [StageKind::Won, StageKind::Lost] {
        order.extend((0..drafts.len()).filter(|&n| drafts[n].kind == kind));
    }
    Ok(order)
}

/// The order of one pipeline's new open stages, given as their names and the middle
/// probability of their deals in the file, in the order the file first names them: the
/// system's default stages (`usual`, case ignored) in its order; each other stage whose deals
/// have probabilities before the first stage so placed of a higher one; the rest after, as
/// the file names them. The user's `chosen` names go over that: those stages first, in its
/// order.
fn stage_order(
    stages: &[(&str, Option<Decimal>)],
    usual: &[&str],
    chosen: &[String],
) -> Vec<usize> {
    let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
    let known = |n: usize| usual.iter().position(|u| same(u, stages[n].0));
    let mut order: Vec<usize> = (0..stages.len()).filter(|&n| known(n).is_some()).collect();
    order.sort_by_key(|&n| known(n));
    let mut ranked: Vec<usize> = (0..stages.len())
        .filter(|&n| known(n).is_none() && stages[n].1.is_some())
        .collect();
    ranked.sort_by_key(|&n| stages[n].1);
    for n in ranked {
        let at = order
            .iter()
            .position(|&o| stages[o].1 > stages[n].1)
            .unwrap_or(order.len());
        order.insert(at, n);
    }
    order.extend((0..stages.len()).filter(|&n| known(n).is_none() && stages[n].1.is_none()));
    order.sort_by_key(|&n| {
        chosen
            .iter()
            .position(|c| same(c, stages[n].0))
            .unwrap_or(usize::MAX)
    });
    order
}

/// The kind and default probability of a stage the import creates, from its deals: all
/// closed at 100 % make it won, all closed at 0 % lost (a name with "lost" decides when the
/// probabilities do not), otherwise open at its deals' usual probability.
pub(super) fn infer_stage<'a>(
    name: &str,
    rows: impl Iterator<Item = &'a RowIn>,
) -> (StageKind, Decimal) {
    let rows: Vec<&RowIn> = rows.collect();
    for kind in [StageKind::Won, StageKind::Lost] {
        if !rows.is_empty() && rows.iter().all(|r| r.outcome == Some(kind)) {
            let probability = if kind == StageKind::Won {
                Decimal::ONE_HUNDRED
            } else {
                Decimal::ZERO
            };
            return (kind, probability);
        }
    }
    let all_closed = !rows.is_empty() && rows.iter().all(|r| r.closed.is_some());
    if all_closed {
        let all_at = |p: Decimal| rows.iter().all(|r| r.probability == Some(p));
        if all_at(Decimal::ONE_HUNDRED) {
            return (StageKind::Won, Decimal::ONE_HUNDRED);
        }
        if all_at(Decimal::ZERO) || name.to_lowercase().contains("lost") {
            return (StageKind::Lost, Decimal::ZERO);
        }
        return (StageKind::Won, Decimal::ONE_HUNDRED);
    }
    let probability = rows
        .iter()
        .filter(|r| r.closed.is_none() && r.probability_overridden != Some(true))
        .find_map(|r| r.probability)
        .unwrap_or(DEFAULT_STAGES[0].probability.into());
    (StageKind::Open, probability)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interchange::Source;
    use crate::interchange::formats;

    #[test]
    fn new_stages_go_in_the_systems_order_then_by_probability_then_as_named() {
        let p = |text: &str| Some(text.parse::<Decimal>().unwrap());
        let usual = formats::Dialect::of(Source::Odoo).stage_order;
        let named = |order: Vec<usize>, stages: &[(&str, Option<Decimal>)]| -> Vec<String> {
            order.into_iter().map(|n| stages[n].0.to_owned()).collect()
        };
        let stages = [
            ("Proposition", p("70")),
            ("Later", None),
            ("Demo", p("50")),
            ("new", p("10")),
            ("Early", p("5")),
            ("Qualified", None),
            ("Also later", None),
        ];
        // Known ones in Odoo's order (case ignored); Demo before the first known stage of a
        // higher probability, Early before New; the rest as the file names them.
        assert_eq!(
            named(stage_order(&stages, usual, &[]), &stages),
            [
                "Early",
                "new",
                "Qualified",
                "Demo",
                "Proposition",
                "Later",
                "Also later"
            ]
        );
        let chosen = ["also later".to_owned(), "Proposition".to_owned()];
        assert_eq!(
            named(stage_order(&stages, usual, &chosen), &stages),
            [
                "Also later",
                "Proposition",
                "Early",
                "new",
                "Qualified",
                "Demo",
                "Later"
            ]
        );
        // No known stage and no probabilities: as the file names them.
        let plain = [("B", None), ("A", None)];
        assert_eq!(named(stage_order(&plain, &[], &[]), &plain), ["B", "A"]);
    }
}
