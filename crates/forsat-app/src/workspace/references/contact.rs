//! Contacts: an existing account, and no deal left with a contact of another account.

use super::After;
use crate::domain::{Contact, EntityKind, Field, FieldError, Id, Problem};

pub(super) fn check(after: &After, c: &Contact) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !after.exists(EntityKind::Account, c.account) {
        errors.push(FieldError::new(Field::Account, Problem::Unknown));
    }
    // A contact that changes account must not stay a deal's contact elsewhere.
    let moved = after
        .workspace
        .contact(c.id)
        .is_some_and(|old| old.account != c.account);
    let stranded = moved
        && after
            .deals()
            .any(|o| o.contact == Some(c.id) && o.account != c.account);
    if stranded {
        errors.push(FieldError::new(Field::Contact, Problem::InUse(1)));
    }
    errors
}

/// How many deals have contact `id`.
pub(super) fn uses(after: &After, id: Id) -> usize {
    after.deals().filter(|o| o.contact == Some(id)).count()
}
