//! Finding duplicate deals: the same account with names equal once case, spacing, accents and
//! Persian letter variants are folded, or identical names anywhere.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization as _;
use unicode_normalization::char::is_combining_mark;

use super::{Id, Opportunity};

/// A name reduced to what tells names apart: lowercase, no accents or Arabic diacritics,
/// Arabic letter forms as Persian ones, Persian and Arabic digits as ASCII, single spaces.
pub fn fold_name(name: &str) -> String {
    let folded: String = name
        .nfd()
        .filter(|c| !is_combining_mark(*c) && *c != '\u{640}')
        .map(|c| match c {
            'ي' | 'ى' => 'ی',
            'ك' => 'ک',
            'ة' => 'ه',
            '\u{200c}' | '\u{200d}' => ' ',
            '۰'..='۹' => char::from(b'0' + (c as u32 - '۰' as u32) as u8),
            '٠'..='٩' => char::from(b'0' + (c as u32 - '٠' as u32) as u8),
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Groups of two or more deals that look like the same deal, each sorted, the groups by their
/// first id.
pub fn duplicate_groups<'a>(opps: impl IntoIterator<Item = &'a Opportunity>) -> Vec<Vec<Id>> {
    // Union-find over ids: a deal joins every deal it shares a key with.
    fn root(parent: &mut HashMap<Id, Id>, id: Id) -> Id {
        let mut r = id;
        while let Some(&p) = parent.get(&r).filter(|p| **p != r) {
            r = p;
        }
        parent.insert(id, r);
        r
    }
    let mut parent: HashMap<Id, Id> = HashMap::new();
    let mut first_by_key: HashMap<(Option<Id>, String), Id> = HashMap::new();
    for opp in opps {
        parent.entry(opp.id).or_insert(opp.id);
        for key in [
            (Some(opp.account), fold_name(&opp.name)),
            (None, opp.name.clone()),
        ] {
            match first_by_key.get(&key) {
                Some(&other) => {
                    let (a, b) = (root(&mut parent, opp.id), root(&mut parent, other));
                    parent.insert(a.max(b), a.min(b));
                }
                None => {
                    first_by_key.insert(key, opp.id);
                }
            }
        }
    }
    let ids: Vec<Id> = parent.keys().copied().collect();
    let mut groups: HashMap<Id, Vec<Id>> = HashMap::new();
    for id in ids {
        let r = root(&mut parent, id);
        groups.entry(r).or_default().push(id);
    }
    let mut out: Vec<Vec<Id>> = groups.into_values().filter(|g| g.len() > 1).collect();
    for group in &mut out {
        group.sort_unstable();
    }
    out.sort_unstable();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_spacing_accents_and_persian_letter_forms() {
        assert_eq!(fold_name("  Société   Générale "), "societe generale");
        assert_eq!(fold_name("CAFÉ MÜLLER"), fold_name("cafe muller"));
        assert_eq!(fold_name("Núñez & Hijos"), "nunez & hijos");
        // Arabic yeh and kaf, a zero-width non-joiner, tatweel and Persian digits.
        assert_eq!(
            fold_name("شركت داده\u{200c}پردازي ۱۲۳"),
            fold_name("شرکت داده پردازی 123")
        );
        assert_eq!(fold_name("مـشتری"), fold_name("مشتری"));
        assert_ne!(fold_name("Acme – servers"), fold_name("Acme – support"));
    }

    use crate::domain::test_support::opportunity as opp;

    #[test]
    fn groups_same_account_folded_names_and_identical_names_anywhere() {
        let opps = [
            opp(1, 10, "Café Müller – espresso machines"),
            opp(2, 10, "cafe muller –  ESPRESSO machines"),
            opp(3, 11, "Cafe Muller – espresso machines"),
            opp(4, 12, "Renewal 2027"),
            opp(5, 13, "Renewal 2027"),
            opp(6, 10, "Café Müller – grinders"),
            opp(7, 14, "قرارداد پشتيباني"),
            opp(8, 14, "قرارداد پشتیبانی"),
        ];
        assert_eq!(
            duplicate_groups(&opps),
            [vec![1, 2], vec![4, 5], vec![7, 8]],
            "another account's similar (not identical) name is not a duplicate"
        );
    }
}
