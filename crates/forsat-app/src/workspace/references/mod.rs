//! The referential checks of a [`Change`], against the state it would leave: every reference
//! resolves, nothing still in use goes, names and codes that must be unique are. One file per
//! record kind; this one dispatches and holds what they share, the state after the change.

mod account;
mod activity;
mod contact;
mod currency;
mod lead;
mod lookup;
mod pipeline;
mod product;
mod settings;

use std::collections::{HashMap, HashSet};

use super::Workspace;
use crate::command::Change;
use crate::domain::{EntityKind, Field, FieldError, Id, LookupKind, Opportunity, Problem, Record};

impl Workspace {
    /// Checks a change against the state it would leave: every reference resolves, nothing
    /// still in use is deleted, currency codes are unique.
    pub(super) fn check_change(&self, change: &mut Change) -> Vec<FieldError> {
        let mut errors = Vec::new();
        for record in &mut change.put {
            errors.extend(record.normalize_and_validate().err().unwrap_or_default());
        }
        let after = After::new(self, change);
        if let Some(new) = &change.settings {
            errors.extend(settings::check(new));
            errors.extend(settings::check_rebase(self, change, &new.base_currency));
        }
        let codes = currency::check_codes(&after, &mut errors);
        for record in &change.put {
            errors.extend(match record {
                Record::Account(a) => account::check(&after, a),
                Record::Contact(c) => contact::check(&after, c),
                Record::Lead(l) => lead::check(&after, l),
                Record::Activity(a) => activity::check(&after, a),
                Record::Lookup(l) => lookup::check(self, l),
                Record::Product(p) => product::check(&after, &codes, p),
                _ => Vec::new(),
            });
        }
        for &(kind, id) in &change.remove {
            errors.extend(after.check_remove(kind, id));
        }
        errors.extend(pipeline::check(&after));
        errors.extend(account::check_left_behind(&after));
        errors
    }
}

/// A change and the workspace it applies to: what exists once it is applied.
struct After<'a> {
    workspace: &'a Workspace,
    change: &'a Change,
    removed: HashSet<(EntityKind, Id)>,
    /// The records put that already have an id.
    put: HashMap<(EntityKind, Id), &'a Record>,
    deleted_deals: HashSet<Id>,
    restored_deals: HashSet<Id>,
    updated_deals: HashMap<Id, &'a Opportunity>,
    /// The base currency as the change leaves it.
    base: &'a str,
}

impl<'a> After<'a> {
    fn new(workspace: &'a Workspace, change: &'a Change) -> Self {
        After {
            workspace,
            change,
            removed: change.remove.iter().copied().collect(),
            put: change
                .put
                .iter()
                .filter(|r| r.id() != 0)
                .map(|r| ((r.kind(), r.id()), r))
                .collect(),
            deleted_deals: change.delete_deals.iter().copied().collect(),
            restored_deals: change.restore_deals.iter().map(|(o, _)| o.id).collect(),
            updated_deals: change.update_deals.iter().map(|o| (o.id, o)).collect(),
            base: change
                .settings
                .as_ref()
                .map_or(&workspace.settings.base_currency, |s| &s.base_currency),
        }
    }

    fn is_removed(&self, kind: EntityKind, id: Id) -> bool {
        self.removed.contains(&(kind, id))
    }

    /// Whether the record is neither removed nor put by the change: its stored version stays.
    fn is_untouched(&self, kind: EntityKind, id: Id) -> bool {
        !self.is_removed(kind, id) && !self.put.contains_key(&(kind, id))
    }

    fn exists(&self, kind: EntityKind, id: Id) -> bool {
        !self.is_removed(kind, id)
            && (self.put.contains_key(&(kind, id)) || self.workspace.stored(kind, id).is_some())
    }

    fn deal_exists(&self, id: Id) -> bool {
        self.restored_deals.contains(&id)
            || (!self.deleted_deals.contains(&id) && self.workspace.opportunity(id).is_some())
    }

    /// The deals as the change leaves them, for what records may still be used by.
    fn deals(&self) -> impl Iterator<Item = &'a Opportunity> {
        let (deleted, updated) = (&self.deleted_deals, &self.updated_deals);
        self.workspace
            .opportunities()
            .filter(|o| !deleted.contains(&o.id))
            .map(|o| updated.get(&o.id).copied().unwrap_or(o))
            .chain(self.change.restore_deals.iter().map(|(o, _)| o))
    }

    /// The records of one kind the change puts, picked by `of`.
    fn puts<T: 'a>(&self, of: fn(&Record) -> Option<&T>) -> impl Iterator<Item = &'a T> {
        self.change.put.iter().filter_map(of)
    }

    /// Whether `id` names no value or a value of `kind`; a value may be put back by the same
    /// change (the redo of an import).
    fn lookup_ok(&self, id: Option<Id>, kind: LookupKind) -> bool {
        id.is_none_or(|id| match self.put.get(&(EntityKind::Lookup, id)) {
            Some(Record::Lookup(l)) => l.kind == kind,
            _ => self.workspace.lookup(id).is_some_and(|l| l.kind == kind),
        })
    }

    /// A removal of a record that does not exist or is still in use.
    fn check_remove(&self, kind: EntityKind, id: Id) -> Option<FieldError> {
        if self.workspace.stored(kind, id).is_none() {
            return Some(FieldError::new(Field::Name, Problem::Unknown));
        }
        let (field, used) = match kind {
            EntityKind::Account => (Field::Account, account::uses(self, id)),
            EntityKind::Contact => (Field::Contact, contact::uses(self, id)),
            EntityKind::Currency => (Field::Currency, currency::uses(self, id)),
            EntityKind::Product => (Field::Product, product::uses(self, id)),
            EntityKind::Stage => (Field::Stage, pipeline::stage_uses(self, id)),
            EntityKind::Pipeline => (Field::Pipeline, pipeline::uses(self, id)),
            EntityKind::Lookup => (Field::Name, lookup::uses(self, id)),
            _ => (Field::Name, 0),
        };
        let problem = if kind == EntityKind::Account {
            Problem::HasDeals(used)
        } else {
            Problem::InUse(used)
        };
        (used > 0).then(|| FieldError::new(field, problem))
    }
}
