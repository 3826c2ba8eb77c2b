//! Mixed right-to-left and left-to-right text in display order (UAX #9, by `unicode-bidi`).
//!
//! egui shapes each run of one font with harfrust, which turns a run of Arabic script right to
//! left, but it has no bidi algorithm: it places runs left to right in logical order, so
//! "فاکتور ۱۲۳ برای Delta PC" would come out with its words in the wrong order and its number
//! reversed. [`visual_runs`] splits a line into directional runs in the order they are drawn
//! in, left to right; the window lays each out as a section of its own
//! (`ui::text::bidi`), a right-to-left one in the Persian font, which harfrust turns.

use std::ops::Range;

use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo, bidi_class};

/// A stretch of one line in one direction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Run {
    /// Bytes of the line.
    pub range: Range<usize>,
    pub right_to_left: bool,
}

/// Whether `text` has a character of a right-to-left script (Hebrew, Arabic, Persian…):
/// text without one is drawn as it is.
pub fn has_right_to_left(text: &str) -> bool {
    text.chars().any(|c| {
        c >= '\u{0590}' && matches!(bidi_class(c), BidiClass::R | BidiClass::AL | BidiClass::AN)
    })
}

/// Whether `c` is an Arabic-script digit or number sign (Persian ۰–۹, Arabic-Indic ٠–٩, ٪ ٫ ٬).
/// They read left to right, but a shaper given only them takes the run for Arabic script and
/// draws it right to left: such stretches are handed to it turned.
pub fn is_arabic_number(c: char) -> bool {
    matches!(c, '\u{0660}'..='\u{066C}' | '\u{06F0}'..='\u{06F9}')
}

/// Whether text must be laid out by [`visual_runs`]: it has right-to-left letters or
/// Arabic-script digits.
pub fn needs_reordering(text: &str) -> bool {
    text.chars().any(|c| {
        c >= '\u{0590}' && (is_arabic_number(c) || has_right_to_left(c.encode_utf8(&mut [0; 4])))
    })
}

/// The direction of a paragraph: its first strong character's (rule P2), or `fallback` for
/// text without one (a number, a dash).
pub fn paragraph_is_right_to_left(text: &str, fallback: bool) -> bool {
    text.chars()
        .find_map(|c| match bidi_class(c) {
            BidiClass::L => Some(false),
            BidiClass::R | BidiClass::AL => Some(true),
            _ => None,
        })
        .unwrap_or(fallback)
}

/// The runs of one line (no line breaks) in visual order, left to right. A right-to-left
/// run's bytes stay in logical order: the shaper draws them right to left.
pub fn visual_runs(line: &str, right_to_left: bool) -> Vec<Run> {
    let level = if right_to_left {
        Level::rtl()
    } else {
        Level::ltr()
    };
    let info = ParagraphBidiInfo::new(line, Some(level));
    let (levels, runs) = info.visual_runs(0..line.len());
    runs.into_iter()
        .filter(|run| !run.is_empty())
        .map(|run| Run {
            right_to_left: levels[run.start].is_rtl(),
            range: run,
        })
        .collect()
}

/// A line as it reads left to right on screen, each right-to-left run reversed: what the
/// runs of [`visual_runs`] look like once drawn (for tests and plain-text checks).
pub fn display_order(line: &str, right_to_left: bool) -> String {
    visual_runs(line, right_to_left)
        .into_iter()
        .map(|run| {
            let text = &line[run.range];
            if run.right_to_left {
                text.chars().rev().map(mirrored).collect()
            } else {
                text.to_owned()
            }
        })
        .collect()
}

/// The mirror image of a paired punctuation mark, drawn in right-to-left text (rule L4).
pub fn mirrored(c: char) -> char {
    match c {
        '(' => ')',
        ')' => '(',
        '[' => ']',
        ']' => '[',
        '{' => '}',
        '}' => '{',
        '<' => '>',
        '>' => '<',
        '«' => '»',
        '»' => '«',
        c => c,
    }
}

/// Whether a run holds a letter the shaper recognises as right to left (else it would be
/// drawn left to right and must be turned by hand).
pub fn has_strong_right_to_left(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(bidi_class(c), BidiClass::R | BidiClass::AL))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs' texts, left to right, with their direction.
    fn runs(line: &str, rtl: bool) -> Vec<(&str, bool)> {
        visual_runs(line, rtl)
            .into_iter()
            .map(|r| (&line[r.range], r.right_to_left))
            .collect()
    }

    #[test]
    fn mixed_persian_and_latin_text_is_split_into_runs_in_visual_order() {
        let rtl = |s| paragraph_is_right_to_left(s, false);
        // A Persian paragraph: the Latin name is drawn left of the Persian word.
        let text = "مشتری Acme";
        assert!(rtl(text));
        assert_eq!(runs(text, true), [("Acme", false), ("مشتری ", true)]);
        assert_eq!(display_order(text, true), "Acme یرتشم");

        // Digits keep their order inside a right-to-left paragraph, at its left end.
        let text = "سلام دنیا 123";
        assert_eq!(runs(text, rtl(text)), [("123", false), ("سلام دنیا ", true)]);
        assert_eq!(display_order(text, true), "123 ایند مالس");

        // Persian digits too; the words around them keep the paragraph's order.
        let text = "فاکتور ۱۲۳ برای Delta PC";
        assert_eq!(
            runs(text, rtl(text)),
            [
                ("Delta PC", false),
                (" برای ", true),
                ("۱۲۳", false),
                ("فاکتور ", true)
            ]
        );

        // An amount with Persian digits and separators stays one run, in order.
        let text = "مبلغ: ۱٬۵۰۰٬۰۰۰ ریال";
        assert_eq!(
            runs(text, rtl(text)),
            [(" ریال", true), ("۱٬۵۰۰٬۰۰۰", false), ("مبلغ: ", true)]
        );

        // A Latin paragraph with a Persian name: the name is one run, turned by the shaper.
        let text = "Deal with شرکت نوین (Tehran)";
        assert!(!rtl(text));
        assert_eq!(
            runs(text, false),
            [
                ("Deal with ", false),
                ("شرکت نوین", true),
                (" (Tehran)", false)
            ]
        );
        // Brackets in right-to-left text are mirrored.
        assert_eq!(display_order("(الف)", true), "(فلا)");
    }

    #[test]
    fn text_without_right_to_left_letters_is_one_run() {
        assert!(!has_right_to_left("Acme 123 (USD)"));
        assert!(has_right_to_left("Acme ۱۲۳ فاکتور"));
        assert_eq!(runs("Acme 123", false), [("Acme 123", false)]);
        assert!(!paragraph_is_right_to_left("123", false));
        assert!(paragraph_is_right_to_left("۱۲۳", true));
    }
}
