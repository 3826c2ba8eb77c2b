//! Currencies: codes unique and never the base currency's, a code in use kept, and none
//! removed while a deal or product is in it.

use std::collections::HashMap;

use super::After;
use crate::domain::{EntityKind, Field, FieldError, Id, Problem, Record};
use crate::workspace::Workspace;

/// Checks the codes of the currencies the change puts and returns the codes it leaves, each
/// with its currency.
pub(super) fn check_codes(after: &After, errors: &mut Vec<FieldError>) -> HashMap<String, Id> {
    let workspace = after.workspace;
    let mut codes: HashMap<String, Id> = workspace
        .currencies
        .values()
        .filter(|c| !after.is_removed(EntityKind::Currency, c.id))
        .map(|c| (c.code.clone(), c.id))
        .collect();
    let puts = after.puts(|r| match r {
        Record::Currency(c) => Some(c),
        _ => None,
    });
    for c in puts {
        if let Some(old) = workspace.currencies.get(&c.id).filter(|o| o.code != c.code) {
            let used = uses_of_code(workspace, &old.code);
            if used > 0 {
                errors.push(FieldError::new(Field::Code, Problem::InUse(used)));
            }
            codes.remove(&old.code);
        }
        let taken = c.code == after.base || codes.get(&c.code).is_some_and(|&id| id != c.id);
        if taken {
            errors.push(FieldError::new(
                Field::Code,
                Problem::Duplicate(c.code.clone()),
            ));
        }
        codes.insert(c.code.clone(), c.id);
    }
    codes
}

/// How many deals and products are in currency `code`.
fn uses_of_code(workspace: &Workspace, code: &str) -> usize {
    workspace
        .opportunities()
        .filter(|o| o.currency == code)
        .count()
        + workspace
            .products
            .values()
            .filter(|p| p.currency == code)
            .count()
}

/// How many deals and products are in currency `id` once the change is applied.
pub(super) fn uses(after: &After, id: Id) -> usize {
    let code = &after.workspace.currencies[&id].code;
    // A currency that becomes the base one stays in use by its deals, rightly.
    if code == after.base {
        return 0;
    }
    let products = after
        .workspace
        .products
        .values()
        .filter(|p| after.is_untouched(EntityKind::Product, p.id))
        .chain(after.puts(|r| match r {
            Record::Product(p) => Some(p),
            _ => None,
        }));
    after.deals().filter(|o| &o.currency == code).count()
        + products.filter(|p| &p.currency == code).count()
}
