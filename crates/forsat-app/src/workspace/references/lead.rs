//! Leads: a known source and salesperson.

use super::After;
use crate::domain::{Field, FieldError, Lead, LookupKind, Problem};

pub(super) fn check(after: &After, l: &Lead) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !after.lookup_ok(l.source, LookupKind::Source) {
        errors.push(FieldError::new(Field::Source, Problem::Unknown));
    }
    if !after.lookup_ok(l.salesperson, LookupKind::Salesperson) {
        errors.push(FieldError::new(Field::Salesperson, Problem::Unknown));
    }
    errors
}
