//! Activities: the deal or account they are about exists.

use super::After;
use crate::domain::{Activity, ActivityLink, EntityKind, Field, FieldError, Problem};

pub(super) fn check(after: &After, a: &Activity) -> Vec<FieldError> {
    let linked = match a.link {
        ActivityLink::Opportunity(id) => after.deal_exists(id),
        ActivityLink::Account(id) => after.exists(EntityKind::Account, id),
    };
    if linked {
        Vec::new()
    } else {
        vec![FieldError::new(Field::Link, Problem::Unknown)]
    }
}
