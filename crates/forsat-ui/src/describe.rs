//! What a command does, in the user's words, for the status bar's "Undid: …" and "Redid: …".

use crate::command::{Change, Command};
use crate::domain::{Activity, Id, Record};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// Says what `command` does, read before it is applied (names are those of the records then).
pub fn describe(ws: &Workspace, command: &Command) -> String {
    let deal = |id: Id| {
        ws.opportunity(id)
            .map_or_else(String::new, |o| o.name.clone())
    };
    match command {
        Command::CreateOpportunity { opp, .. } => tr!("created {deal}", deal = opp.name),
        Command::UpdateOpportunity { opp, .. } => tr!("edited {deal}", deal = opp.name),
        Command::MoveToStage { opp, stage, .. } => tr!(
            "moved {deal} to {stage}",
            deal = deal(*opp),
            stage = ws.stage(*stage).map_or("", |s| s.name.as_str())
        ),
        Command::UpdateOpportunities { opps, .. } => trn!(opps.len(), "updated {n} deals"),
        Command::MassUpdate { ids, .. } => trn!(ids.len(), "updated {n} deals"),
        Command::DeleteOpportunity { id, .. } => tr!("deleted {deal}", deal = deal(*id)),
        Command::RestoreOpportunity { opp, .. } => tr!("restored {deal}", deal = opp.name),
        Command::InsertBatch(batch) => trn!(batch.opportunities.len(), "imported {n} deals"),
        Command::FirstStart { .. } => tr!("added the sample pipeline"),
        Command::Trash { ids } => trn!(ids.len(), "moved {n} deals to the trash"),
        Command::RestoreFromTrash { ids } => trn!(ids.len(), "took {n} deals out of the trash"),
        Command::EmptyTrash => tr!("emptied the trash"),
        Command::SaveFilter { name, .. } => tr!("saved the search {name}", name = name),
        Command::DeleteSavedFilter { .. } | Command::SetSavedFilters { .. } => {
            tr!("changed the saved searches")
        }
        Command::SetSavedReports { .. } => tr!("changed the saved reports"),
        Command::SetGoals { .. } => tr!("changed the goals"),
        Command::Merge {
            survivor, merged, ..
        } => trn!(
            merged.len(),
            "merged {n} deals into {deal}",
            deal = survivor.name
        ),
        Command::Unmerge { survivor, .. } => tr!("split {deal} again", deal = survivor.name),
        Command::SetListColumns { .. } => tr!("changed the list's columns"),
        Command::SetCalendarFile { path: Some(path) } => {
            tr!("kept the activities in {file}", file = path.display())
        }
        Command::SetCalendarFile { path: None } => tr!("stopped keeping the calendar file"),
        Command::ClearSample => tr!("cleared the sample data"),
        Command::LoadSample(_) => tr!("loaded the sample pipeline"),
        Command::Change(change) => describe_change(ws, change),
        Command::ConvertLead(convert) => tr!(
            "converted the lead {lead}",
            lead = ws.lead(convert.lead).map_or("", |l| l.name.as_str())
        ),
    }
}

fn describe_change(ws: &Workspace, change: &Change) -> String {
    if change.settings.is_some() {
        return tr!("changed the settings");
    }
    match (change.put.as_slice(), change.remove.len()) {
        ([Record::Activity(a)], 0) if ws.activity(a.id).is_some_and(|was| was.done != a.done) => {
            if a.done {
                tr!("marked {summary} done", summary = a.summary)
            } else {
                tr!("marked {summary} not done", summary = a.summary)
            }
        }
        ([Record::Activity(a)], 0)
            if ws.activity(a.id).is_some_and(|was| {
                Activity {
                    due: a.due,
                    time: a.time,
                    ..was.clone()
                } == *a
            }) =>
        {
            tr!(
                "moved {summary} to {when}",
                summary = a.summary,
                when = crate::activity_panel::when_label(a)
            )
        }
        ([record], 0) => tr!("saved {record}", record = record_name(record)),
        ([], 1) => tr!("deleted a record"),
        (put, removed) => trn!(put.len() + removed, "changed {n} records"),
    }
}

/// The name a user knows a record by.
fn record_name(record: &Record) -> &str {
    match record {
        Record::Account(a) => &a.name,
        Record::Contact(c) => &c.name,
        Record::Lead(l) => &l.name,
        Record::Activity(a) => &a.summary,
        Record::Product(p) => &p.name,
        Record::Currency(c) => &c.code,
        Record::Pipeline(p) => &p.name,
        Record::Stage(s) => &s.name,
        Record::Lookup(l) => &l.name,
    }
}
