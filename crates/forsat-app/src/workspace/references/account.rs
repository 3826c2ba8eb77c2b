//! Accounts: a unique name, a known source; none removed while deals, contacts or activities
//! still need it.

use super::After;
use crate::domain::{
    Account, ActivityLink, EntityKind, Field, FieldError, Id, LookupKind, Problem,
};

pub(super) fn check(after: &After, a: &Account) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !after.lookup_ok(a.source, LookupKind::Source) {
        errors.push(FieldError::new(Field::Source, Problem::Unknown));
    }
    // Deals find their account by name, so two accounts must not share one.
    if after
        .workspace
        .account_by_name(&a.name)
        .is_some_and(|other| other.id != a.id)
    {
        errors.push(FieldError::new(
            Field::Name,
            Problem::Duplicate(a.name.clone()),
        ));
    }
    errors
}

/// How many deals are of account `id`.
pub(super) fn uses(after: &After, id: Id) -> usize {
    after.deals().filter(|o| o.account == id).count()
}

/// What removed accounts and deleted deals leave behind must go with them: their contacts and
/// activities.
pub(super) fn check_left_behind(after: &After) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let removes_account = after
        .change
        .remove
        .iter()
        .any(|(k, _)| *k == EntityKind::Account);
    if !removes_account && after.deleted_deals.is_empty() {
        return errors;
    }
    let orphan_contacts = after
        .workspace
        .contacts
        .values()
        .filter(|c| after.is_untouched(EntityKind::Contact, c.id))
        .any(|c| after.is_removed(EntityKind::Account, c.account));
    let orphan_activities = after
        .workspace
        .activities
        .values()
        .filter(|a| after.is_untouched(EntityKind::Activity, a.id))
        .any(|a| match a.link {
            ActivityLink::Opportunity(id) => after.deleted_deals.contains(&id),
            ActivityLink::Account(id) => after.is_removed(EntityKind::Account, id),
        });
    if orphan_contacts {
        errors.push(FieldError::new(Field::Contact, Problem::InUse(1)));
    }
    if orphan_activities {
        errors.push(FieldError::new(Field::Link, Problem::InUse(1)));
    }
    errors
}
