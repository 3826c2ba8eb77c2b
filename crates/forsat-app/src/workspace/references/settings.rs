//! The settings: a currency code, offsets and counts in range, and a new base currency only
//! the way [`Workspace::settings_change`] makes it.

use crate::command::Change;
use crate::domain::{EntityKind, Field, FieldError, Problem, Record, Settings, is_currency_code};
use crate::workspace::Workspace;

/// The rules of the settings that need no record: a currency code, offsets and counts in range.
pub(super) fn check(s: &Settings) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !is_currency_code(&s.base_currency) {
        errors.push(FieldError::new(
            Field::Currency,
            Problem::BadCurrency(s.base_currency.clone()),
        ));
    }
    if s.close_offset_days > 3650 {
        errors.push(FieldError::new(
            Field::ExpectedClose,
            Problem::OutOfRange { min: 0, max: 3650 },
        ));
    }
    if !(1..=365).contains(&s.backups_keep) {
        errors.push(FieldError::new(
            Field::Backups,
            Problem::OutOfRange { min: 1, max: 365 },
        ));
    }
    errors
}

/// A new base currency must be a listed currency that leaves the list in the same change,
/// while the old base joins it: the change [`Workspace::settings_change`] builds.
pub(super) fn check_rebase(workspace: &Workspace, change: &Change, base: &str) -> Vec<FieldError> {
    let old = &workspace.settings.base_currency;
    if base == old {
        return Vec::new();
    }
    let pivot_leaves = workspace
        .currencies
        .values()
        .any(|c| c.code == base && change.remove.contains(&(EntityKind::Currency, c.id)));
    let old_joins = change
        .put
        .iter()
        .any(|r| matches!(r, Record::Currency(c) if &c.code == old));
    if pivot_leaves && old_joins {
        Vec::new()
    } else {
        vec![FieldError::new(
            Field::Currency,
            Problem::NotListed(base.to_owned()),
        )]
    }
}
