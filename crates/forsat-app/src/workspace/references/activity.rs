//! Activities: the deal or account they are about exists, and so does their salesperson.

use super::After;
use crate::domain::{Activity, ActivityLink, EntityKind, Field, FieldError, LookupKind, Problem};

pub(super) fn check(after: &After, a: &Activity) -> Vec<FieldError> {
    let linked = match a.link {
        ActivityLink::Opportunity(id) => after.deal_exists(id),
        ActivityLink::Account(id) => after.exists(EntityKind::Account, id),
    };
    let mut errors = Vec::new();
    if !linked {
        errors.push(FieldError::new(Field::Link, Problem::Unknown));
    }
    if !after.lookup_ok(a.salesperson, LookupKind::Salesperson) {
        errors.push(FieldError::new(Field::Salesperson, Problem::Unknown));
    }
    errors
}
