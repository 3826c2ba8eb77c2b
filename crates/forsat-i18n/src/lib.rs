//! The translation layer and locale-aware formatting of numbers, money and dates.
//!
//! Strings are looked up by their English text (gettext style): a catalog per language in
//! `assets/i18n/` maps each English text to its translation, so a missing one falls back to
//! readable English. English's own catalog holds only the singular forms of counted texts.
//!
//! The language, calendar and date settings in force are per thread (each window and each test
//! runs on its own thread; workers are handed [`current`]); `--locale` overrides the language
//! for the whole process.

pub mod bidi;
mod catalog;
mod format;
pub mod jalali;
mod locale;

use std::cell::Cell;
use std::fmt::Display;
use std::sync::OnceLock;

pub use catalog::{translate, translate_plural};
pub use format::*;
pub use locale::{Calendar, DateFormat, Language, WeekStart};

/// Translates `key` in the current language, filling `{name}` placeholders:
/// `tr!("Lost {deals} to {name}", deals = 3, name = "Acme")`.
#[macro_export]
macro_rules! tr {
    ($key:literal) => {
        $crate::translate($key).to_owned()
    };
    ($key:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::fill(
            $crate::translate($key),
            &[$((stringify!($name), &$value as &dyn ::std::fmt::Display)),+],
        )
    };
}

/// Translates a counted text: `trn!(count, "{n} deals")` picks the language's plural form for
/// `count` and fills `{n}` with it, digits and grouping of the language; more placeholders may
/// follow as in [`tr!`].
#[macro_export]
macro_rules! trn {
    ($count:expr, $key:literal $(, $name:ident = $value:expr)* $(,)?) => {{
        let count = $crate::Count::count($count);
        $crate::fill(
            $crate::translate_plural($key, count),
            &[
                ("n", &$crate::format_count(count) as &dyn ::std::fmt::Display),
                $((stringify!($name), &$value as &dyn ::std::fmt::Display)),*
            ],
        )
    }};
}

/// A number of things [`trn!`] counts.
pub trait Count {
    fn count(self) -> u64;
}

/// Counts of every unsigned width.
macro_rules! unsigned_count {
    ($($t:ty),*) => {$(
        impl Count for $t {
            fn count(self) -> u64 {
                u64::try_from(self).unwrap_or(u64::MAX)
            }
        }
    )*};
}
unsigned_count!(u8, u16, u32, u64, usize);

impl<T: Count + Copy> Count for &T {
    fn count(self) -> u64 {
        (*self).count()
    }
}

/// Negative counts count as their size ("3 days late").
impl Count for i64 {
    fn count(self) -> u64 {
        self.unsigned_abs()
    }
}

/// Replaces each `{name}` in `template` by its value.
pub fn fill(template: &str, values: &[(&str, &dyn Display)]) -> String {
    let mut out = template.to_owned();
    for (name, value) in values {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

/// The language, calendar and date conventions text is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Local {
    pub language: Language,
    pub calendar: Calendar,
    pub date_format: DateFormat,
    pub week_start: WeekStart,
}

impl Local {
    /// What the settings ask for: the `language` chosen there, else the command line's, else
    /// the system's; the `calendar` chosen there, else the language's.
    pub fn chosen(
        language: Option<Language>,
        calendar: Option<Calendar>,
        date_format: DateFormat,
        week_start: WeekStart,
    ) -> Local {
        let language = OVERRIDE
            .get()
            .copied()
            .or(language)
            .unwrap_or_else(system_language);
        Local {
            language,
            calendar: calendar.unwrap_or(language.calendar()),
            date_format,
            week_start,
        }
    }
}

thread_local! {
    static LOCAL: Cell<Local> = const {
        Cell::new(Local {
            language: Language::English,
            calendar: Calendar::Gregorian,
            date_format: DateFormat::Iso,
            week_start: WeekStart::Monday,
        })
    };
}

/// The `--locale` of the command line: wins over the settings for this run.
static OVERRIDE: OnceLock<Language> = OnceLock::new();

/// Makes `language` the language of this process whatever the settings say (`--locale`).
pub fn override_language(language: Language) {
    OVERRIDE.set(language).ok();
    speak(language);
}

/// Makes this thread write in `language`, with its calendar, until settings say otherwise:
/// the messages of a start that has not read the settings yet.
pub fn speak(language: Language) {
    LOCAL.with(|l| {
        l.set(Local {
            language,
            calendar: language.calendar(),
            ..l.get()
        });
    });
}

/// The conventions in force on this thread.
pub fn current() -> Local {
    LOCAL.with(Cell::get)
}

/// Makes this thread write in `local` (when a workspace opens, its settings change, or a
/// worker starts).
pub fn install(local: Local) {
    LOCAL.with(|l| l.set(local));
}

/// The language in use.
pub fn language() -> Language {
    current().language
}

/// The calendar in use.
pub fn calendar() -> Calendar {
    current().calendar
}

/// The date format in use.
pub fn date_format() -> DateFormat {
    current().date_format
}

/// The first day of the week in use.
pub fn week_start() -> WeekStart {
    current().week_start
}

/// Whether the language in use is written right to left.
pub fn right_to_left() -> bool {
    language().right_to_left()
}

/// The system's language (`LC_ALL`, `LC_MESSAGES`, `LANG`), English when it is none of ours.
pub fn system_language() -> Language {
    environment_language(|name| std::env::var(name).ok())
}

/// The language of the locale variables `env` gives (`LC_ALL`, `LC_MESSAGES`, `LANG`: the
/// first that is set and not empty), English when it is none of ours.
pub fn environment_language(env: impl Fn(&str) -> Option<String>) -> Language {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(env)
        .find(|value| !value.is_empty())
        .and_then(|value| Language::from_code(&value))
        .unwrap_or_default()
}

/// The language of a start, before the database is read (its settings cannot be read when the
/// file is locked or damaged, and its errors must still be understood): `--locale` when given,
/// else the language remembered from the last run, else the system's (from `env`).
pub fn startup_language(
    flag: Option<Language>,
    remembered: Option<Language>,
    env: impl Fn(&str) -> Option<String>,
) -> Language {
    flag.or(remembered)
        .unwrap_or_else(|| environment_language(env))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Locale variables as a map, for [`environment_language`].
    fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_system_locale_names_the_language() {
        let of = |vars: &[(&str, &str)]| environment_language(env(vars));
        assert_eq!(of(&[("LANG", "fa_IR.UTF-8")]), Language::Persian);
        assert_eq!(of(&[("LANG", "fr_CA.UTF-8")]), Language::French);
        assert_eq!(of(&[("LANG", "de_DE.UTF-8")]), Language::English);
        assert_eq!(of(&[("LANG", "C")]), Language::English);
        assert_eq!(of(&[]), Language::English);
        // LC_ALL wins over LC_MESSAGES, which wins over LANG; an empty one is not set.
        let all = [
            ("LC_ALL", "fr_FR"),
            ("LC_MESSAGES", "fa_IR"),
            ("LANG", "en_US"),
        ];
        assert_eq!(of(&all), Language::French);
        let messages = [("LC_ALL", ""), ("LC_MESSAGES", "fa_IR"), ("LANG", "fr_FR")];
        assert_eq!(of(&messages), Language::Persian);
    }

    #[test]
    fn the_flag_wins_then_the_last_run_then_the_system() {
        let persian_system = env(&[("LANG", "fa_IR.UTF-8")]);
        let start = |flag, remembered| startup_language(flag, remembered, &persian_system);
        assert_eq!(
            start(Some(Language::French), Some(Language::English)),
            Language::French
        );
        assert_eq!(start(None, Some(Language::English)), Language::English);
        assert_eq!(start(None, None), Language::Persian);
    }
}
