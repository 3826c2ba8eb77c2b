//! The translation catalogs (`assets/i18n/*.json`), read once per language on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::Language;

/// A catalog entry: a translation, or plural forms ("one", then "other").
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Text(String),
    Plural(Vec<String>),
}

/// Every translation of one language, by English text.
pub type Catalog = HashMap<String, Entry>;

/// The catalog files, built into the binary.
pub const SOURCES: [(Language, &str); 3] = [
    (
        Language::English,
        include_str!("../../../assets/i18n/en.json"),
    ),
    (
        Language::Persian,
        include_str!("../../../assets/i18n/fa.json"),
    ),
    (
        Language::French,
        include_str!("../../../assets/i18n/fr.json"),
    ),
];

/// The catalog of `language`, parsed on first use. A catalog that does not parse is a build
/// defect the completeness test catches; the program then falls back to English.
pub fn catalog(language: Language) -> &'static Catalog {
    static CATALOGS: [OnceLock<Catalog>; 3] = [OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let index = Language::ALL
        .iter()
        .position(|l| *l == language)
        .unwrap_or(0);
    CATALOGS[index].get_or_init(|| {
        let source = SOURCES[index].1;
        serde_json::from_str(source).unwrap_or_default()
    })
}

/// The current language's text for `key`: its translation, or `key` itself.
pub fn translate(key: &'static str) -> &'static str {
    match catalog(super::language()).get(key) {
        Some(Entry::Text(text)) => text,
        Some(Entry::Plural(forms)) => forms.last().map_or(key, String::as_str),
        None => key,
    }
}

/// The current language's form of `key` for `count` (`key` is the English plural).
pub fn translate_plural(key: &'static str, count: u64) -> &'static str {
    let language = super::language();
    match catalog(language).get(key) {
        Some(Entry::Text(text)) => text,
        Some(Entry::Plural(forms)) => {
            let index = usize::from(plural_is_other(language, count));
            forms
                .get(index)
                .or(forms.last())
                .map_or(key, String::as_str)
        }
        None => key,
    }
}

/// Whether `count` takes the "other" form (CLDR cardinal rules: English "one" is 1 only,
/// French and Persian "one" are 0 and 1).
fn plural_is_other(language: Language, count: u64) -> bool {
    match language {
        Language::English => count != 1,
        Language::French | Language::Persian => count > 1,
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// Every key the source translates, with whether it is counted (`trn!`): the first string
    /// literal after each `tr!(` or `trn!(` outside comments.
    fn source_keys() -> BTreeMap<String, bool> {
        let mut keys = BTreeMap::new();
        // Every crate of the workspace asks for texts: the binary's `src` and each `crates/*/src`.
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut dirs = vec![root.join("src")];
        for krate in std::fs::read_dir(root.join("crates")).unwrap() {
            dirs.push(krate.unwrap().path().join("src"));
        }
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let code: Vec<&str> = text
                        .lines()
                        .filter(|line| !line.trim_start().starts_with("//"))
                        .collect();
                    collect_keys(&code.join("\n"), &mut keys);
                }
            }
        }
        keys
    }

    fn collect_keys(code: &str, keys: &mut BTreeMap<String, bool>) {
        for (at, _) in code
            .match_indices("tr!(")
            .chain(code.match_indices("trn!("))
        {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '"') {
                continue;
            }
            let counted = code[at..].starts_with("trn!(");
            let quote = at + code[at..].find('"').unwrap();
            keys.insert(rust_literal(&code[quote + 1..]), counted);
        }
    }

    /// The value of the Rust string literal that `rest` starts inside.
    fn rust_literal(rest: &str) -> String {
        let mut out = String::new();
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next().unwrap() {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    '\n' => {
                        let skipped: String =
                            chars.clone().take_while(|c| c.is_whitespace()).collect();
                        for _ in skipped.chars() {
                            chars.next();
                        }
                    }
                    'u' => {
                        let hex: String =
                            chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    other => out.push(other),
                },
                c => out.push(c),
            }
        }
        out
    }

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.match_indices('{')
            .filter_map(|(at, _)| text[at..].find('}').map(|end| &text[at..=(at + end)]))
            .collect()
    }

    #[test]
    fn every_key_is_translated_in_every_language_with_its_placeholders() {
        let keys = source_keys();
        assert!(keys.len() > 600, "found only {} keys", keys.len());
        for (language, source) in SOURCES {
            let catalog: Catalog = serde_json::from_str(source)
                .unwrap_or_else(|e| panic!("{}.json does not parse: {e}", language.code()));
            for (key, entry) in &catalog {
                let counted = keys.get(key).copied();
                assert!(
                    counted.is_some(),
                    "{}.json: “{key}” is not in the source",
                    language.code()
                );
                let forms: Vec<&String> = match entry {
                    Entry::Text(text) => vec![text],
                    Entry::Plural(forms) => {
                        assert_eq!(
                            counted,
                            Some(true),
                            "{}: “{key}” is not counted",
                            language.code()
                        );
                        assert_eq!(
                            forms.len(),
                            2,
                            "{}: “{key}” needs one and other",
                            language.code()
                        );
                        forms.iter().collect()
                    }
                };
                for form in forms {
                    assert!(
                        !form.trim().is_empty(),
                        "{}: “{key}” is empty",
                        language.code()
                    );
                    assert_eq!(
                        placeholders(form),
                        placeholders(key),
                        "{}: “{key}” → “{form}”",
                        language.code()
                    );
                }
            }
            if language != Language::English {
                let missing: Vec<&String> =
                    keys.keys().filter(|k| !catalog.contains_key(*k)).collect();
                assert!(
                    missing.is_empty(),
                    "{}.json lacks {missing:?}",
                    language.code()
                );
            }
        }
    }

    #[test]
    fn plural_forms_follow_each_language() {
        use crate::{Local, current, install};
        let before = current();
        let text = |language, n: u64| {
            install(Local { language, ..before });
            crate::trn!(n, "Apply to {n} deals")
        };
        assert_eq!(text(Language::English, 1), "Apply to 1 deal");
        assert_eq!(text(Language::English, 0), "Apply to 0 deals");
        assert_eq!(text(Language::English, 1200), "Apply to 1,200 deals");
        assert_eq!(text(Language::French, 0), "Appliquer à 0 affaire");
        assert_eq!(text(Language::French, 1), "Appliquer à 1 affaire");
        assert_eq!(text(Language::French, 3), "Appliquer à 3 affaires");
        assert_eq!(text(Language::Persian, 3), "اعمال روی ۳ فرصت");
        install(before);
        let values: [(&str, &dyn std::fmt::Display); 2] = [("a", &3), ("b", &"five")];
        assert_eq!(crate::fill("{a} of {b}", &values), "3 of five");
    }
}
