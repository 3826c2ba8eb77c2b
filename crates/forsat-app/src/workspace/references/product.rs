//! Products: a known currency; none removed while a deal's line names it.

use std::collections::HashMap;

use super::After;
use crate::domain::{Field, FieldError, Id, Problem, Product};

pub(super) fn check(after: &After, codes: &HashMap<String, Id>, p: &Product) -> Vec<FieldError> {
    if p.currency == after.base || codes.contains_key(&p.currency) {
        Vec::new()
    } else {
        vec![FieldError::new(Field::Currency, Problem::Unknown)]
    }
}

/// How many deals have a line of product `id`.
pub(super) fn uses(after: &After, id: Id) -> usize {
    after
        .deals()
        .filter(|o| o.lines.iter().any(|l| l.product == Some(id)))
        .count()
}
