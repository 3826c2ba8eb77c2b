//! Lookup values (sources, salespeople, ...): a value keeps its kind, and none is removed while
//! a deal, account, lead or activity uses it.

use super::After;
use crate::domain::{EntityKind, Field, FieldError, Id, Lookup, Problem, Record};
use crate::workspace::Workspace;
use crate::workspace::config::uses_lookup;

pub(super) fn check(workspace: &Workspace, l: &Lookup) -> Vec<FieldError> {
    if workspace.lookup(l.id).is_some_and(|old| old.kind != l.kind) {
        vec![FieldError::new(Field::Kind, Problem::Fixed)]
    } else {
        Vec::new()
    }
}

/// How many deals, accounts, leads and activities use value `id`.
pub(super) fn uses(after: &After, id: Id) -> usize {
    let workspace = after.workspace;
    let accounts = workspace
        .accounts
        .values()
        .filter(|a| after.is_untouched(EntityKind::Account, a.id))
        .chain(after.puts(|r| match r {
            Record::Account(a) => Some(a),
            _ => None,
        }));
    let leads = workspace
        .leads
        .values()
        .filter(|l| after.is_untouched(EntityKind::Lead, l.id))
        .chain(after.puts(|r| match r {
            Record::Lead(l) => Some(l),
            _ => None,
        }));
    let activities = workspace
        .activities
        .values()
        .filter(|a| after.is_untouched(EntityKind::Activity, a.id))
        .chain(after.puts(|r| match r {
            Record::Activity(a) => Some(a),
            _ => None,
        }));
    let used = Some(id);
    let deals = after.deals().filter(|o| uses_lookup(o, id)).count();
    let accounts = accounts.filter(|a| a.source == used).count();
    let leads = leads
        .filter(|l| l.source == used || l.salesperson == used)
        .count();
    let activities = activities.filter(|a| a.salesperson == used).count();
    deals + accounts + leads + activities
}
