//! Pipelines and stages: every stage in an existing pipeline, a stage holding deals keeps its
//! pipeline and kind, a pipeline with stages keeps an open one, names are unique, and at least
//! one pipeline remains.

use super::After;
use crate::domain::{
    EntityKind, Field, FieldError, Id, Pipeline, Problem, Record, Stage, StageKind,
};

/// Checks what a change does to pipelines and stages.
pub(super) fn check(after: &After) -> Vec<FieldError> {
    let stage_puts: Vec<&Stage> = after
        .puts(|r| match r {
            Record::Stage(s) => Some(s),
            _ => None,
        })
        .collect();
    let touches = !stage_puts.is_empty()
        || after
            .change
            .put
            .iter()
            .any(|r| r.kind() == EntityKind::Pipeline)
        || after
            .removed
            .iter()
            .any(|(k, _)| matches!(k, EntityKind::Stage | EntityKind::Pipeline));
    if !touches {
        return Vec::new();
    }
    let pipelines = pipelines_after(after);
    let mut errors = Vec::new();
    if pipelines.is_empty() {
        errors.push(FieldError::new(Field::Pipeline, Problem::LastOne));
    }
    errors.extend(check_names(&pipelines));
    let pipelines: Vec<Id> = pipelines.iter().map(|p| p.id).collect();
    errors.extend(check_stages(after, &stage_puts, &pipelines));
    errors.extend(check_open_stages(after, &stage_puts, &pipelines));
    errors
}

/// The pipelines as the change leaves them, in order.
fn pipelines_after<'a>(after: &After<'a>) -> Vec<&'a Pipeline> {
    let puts: Vec<&Pipeline> = after
        .puts(|r| match r {
            Record::Pipeline(p) => Some(p),
            _ => None,
        })
        .collect();
    let mut pipelines: Vec<&Pipeline> = after
        .workspace
        .pipelines
        .iter()
        .filter(|p| !after.is_removed(EntityKind::Pipeline, p.id))
        .filter(|p| !puts.iter().any(|n| n.id == p.id))
        .chain(puts.iter().copied())
        .collect();
    pipelines.sort_by_key(|p| (p.sequence, p.id));
    pipelines
}

/// `--pipeline NAME` and people tell pipelines apart by name.
fn check_names(pipelines: &[&Pipeline]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (i, p) in pipelines.iter().enumerate() {
        let lower = p.name.to_lowercase();
        if pipelines[..i]
            .iter()
            .any(|q| q.name.to_lowercase() == lower)
        {
            errors.push(FieldError::new(
                Field::Pipeline,
                Problem::Duplicate(p.name.clone()),
            ));
        }
    }
    errors
}

/// Every stage put is in a pipeline that remains, and a stage holding deals keeps its kind
/// and pipeline.
fn check_stages(after: &After, stage_puts: &[&Stage], pipelines: &[Id]) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for s in stage_puts {
        if !pipelines.contains(&s.pipeline) {
            errors.push(FieldError::new(Field::Pipeline, Problem::Unknown));
        }
        if let Some(old) = after
            .workspace
            .stage(s.id)
            .filter(|old| old.kind != s.kind || old.pipeline != s.pipeline)
        {
            // Rare (a stage changes kind or pipeline), so a scan of every deal is fine.
            let holding = after
                .workspace
                .opportunities()
                .filter(|o| after.updated_deals.get(&o.id).copied().unwrap_or(o).stage == old.id)
                .count();
            if holding > 0 {
                errors.push(FieldError::new(Field::Kind, Problem::InUse(holding)));
            }
        }
    }
    errors
}

/// A new pipeline starts without stages; once it has some, one must be open. The first
/// pipeline, where the board opens and leads convert, always has one.
fn check_open_stages(after: &After, stage_puts: &[&Stage], pipelines: &[Id]) -> Vec<FieldError> {
    let stages: Vec<&Stage> = after
        .workspace
        .stages
        .iter()
        .filter(|s| !after.is_removed(EntityKind::Stage, s.id))
        .filter(|s| !stage_puts.iter().any(|p| p.id == s.id))
        .chain(stage_puts.iter().copied())
        .collect();
    let has_open = |p: Id| {
        stages
            .iter()
            .any(|s| s.pipeline == p && s.kind == StageKind::Open)
    };
    let without_open = pipelines.iter().enumerate().any(|(i, p)| {
        let has_stages = stages.iter().any(|s| s.pipeline == *p);
        (i == 0 || has_stages) && !has_open(*p)
    });
    if without_open {
        vec![FieldError::new(Field::Stage, Problem::NeedsOpenStage)]
    } else {
        Vec::new()
    }
}

/// How many deals are in stage `id`.
pub(super) fn stage_uses(after: &After, id: Id) -> usize {
    after.deals().filter(|o| o.stage == id).count()
}

/// How many deals and stages (not removed with it) pipeline `id` holds.
pub(super) fn uses(after: &After, id: Id) -> usize {
    after.deals().filter(|o| o.pipeline == id).count()
        + after
            .workspace
            .stages_of(id)
            .filter(|s| !after.is_removed(EntityKind::Stage, s.id))
            .count()
}
