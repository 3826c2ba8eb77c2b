//! Text in the window: the fonts of each language and mixed-direction text in display order.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use egui::text::{ByteIndex, LayoutJob, LayoutSection, TextFormat};
use egui::{FontData, FontDefinitions, FontFamily, FontSelection, Ui, WidgetText};

use crate::domain::Language;
use crate::i18n::bidi::{
    has_strong_right_to_left, is_arabic_number, mirrored, needs_reordering,
    paragraph_is_right_to_left, visual_runs,
};

/// The font family right-to-left runs are drawn in: Vazirmatn first, whatever the language.
const RIGHT_TO_LEFT: &str = "right-to-left";
const VAZIRMATN: &str = "Vazirmatn";

/// egui's fonts plus Vazirmatn (SIL OFL, `assets/fonts/`): first in Persian, a fallback for
/// Persian names in the other languages, and first in the family of right-to-left runs.
pub fn fonts(language: Language) -> FontDefinitions {
    let mut fonts = FontDefinitions::default();
    fonts.font_data.insert(
        VAZIRMATN.to_owned(),
        Arc::new(FontData::from_static(include_bytes!(
            "../../../assets/fonts/Vazirmatn-Regular.ttf"
        ))),
    );
    let latin = fonts
        .families
        .get(&FontFamily::Proportional)
        .cloned()
        .unwrap_or_default();
    let persian_first: Vec<String> = std::iter::once(VAZIRMATN.to_owned())
        .chain(latin.iter().cloned())
        .collect();
    let proportional = if language == Language::Persian {
        persian_first.clone()
    } else {
        latin.into_iter().chain([VAZIRMATN.to_owned()]).collect()
    };
    fonts
        .families
        .insert(FontFamily::Proportional, proportional);
    fonts
        .families
        .insert(FontFamily::Name(RIGHT_TO_LEFT.into()), persian_first);
    if let Some(monospace) = fonts.families.get_mut(&FontFamily::Monospace) {
        monospace.push(VAZIRMATN.to_owned());
    }
    fonts
}

/// Loads the fonts of the language in use when it changed since the last frame.
pub fn follow_language(ctx: &egui::Context) {
    let language = crate::i18n::language();
    let id = egui::Id::unique("forsat_fonts_language");
    if ctx.data(|d| d.get_temp::<Language>(id)) != Some(language) {
        ctx.set_fonts(fonts(language));
        ctx.data_mut(|d| d.insert_temp(id, language));
    }
}

/// `text` ready to draw: text with right-to-left letters in display order (UAX #9), each
/// directional run a section of its own; other text as it is. Widgets reach it through
/// [`UiExt`](crate::ui_ext::UiExt), whose methods take the text and do this step.
pub(crate) fn bidi(ui: &Ui, text: impl Into<WidgetText>) -> WidgetText {
    let text = text.into();
    if !needs_reordering(text.text()) {
        return text;
    }
    let wraps = ui.layout().is_vertical() && ui.wrap_mode() == egui::TextWrapMode::Wrap;
    if !wraps {
        return bidi_with(ui.style(), text);
    }
    let job = text.into_layout_job(ui.style(), FontSelection::Default, ui.text_valign());
    match break_lines(ui, &job, ui.available_width()) {
        Some(broken) => WidgetText::LayoutJob(cached_display_order(&broken)),
        None => WidgetText::LayoutJob(cached_display_order(&job)),
    }
}

/// `job` (of one section) with line breaks where its words stop fitting `width`, found in
/// logical order. egui wraps a laid-out line from its left end: a right-to-left paragraph put
/// in display order first would read its lines bottom-up. None when it fits as it is.
fn break_lines(ui: &Ui, job: &LayoutJob, width: f32) -> Option<LayoutJob> {
    let [section] = &job.sections[..] else {
        return None;
    };
    if !(width.is_finite() && width > 0.0) {
        return None;
    }
    let mut font = section.format.font_id.clone();
    font.family = FontFamily::Name(RIGHT_TO_LEFT.into());
    let measure = |text: &str| {
        ui.ctx().fonts_mut(|f| {
            let galley =
                f.layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::PLACEHOLDER);
            galley.size().x
        })
    };
    if job.text.split('\n').all(|line| measure(line) <= width) {
        return None;
    }
    let space = measure(" ");
    let mut text = String::with_capacity(job.text.len() + 8);
    for (i, line) in job.text.split('\n').enumerate() {
        if i > 0 {
            text.push('\n');
        }
        let mut used = 0.0;
        for (j, word) in line.split(' ').enumerate() {
            let word_width = measure(word);
            if j > 0 {
                if used + space + word_width > width {
                    text.push('\n');
                    used = 0.0;
                } else {
                    text.push(' ');
                    used += space;
                }
            }
            text.push_str(word);
            used += word_width;
        }
    }
    let mut broken = LayoutJob {
        text,
        sections: Vec::new(),
        ..job.clone()
    };
    broken.sections.push(LayoutSection {
        byte_range: ByteIndex(0)..ByteIndex(broken.text.len()),
        ..section.clone()
    });
    Some(broken)
}

/// [`bidi`] where no `Ui` is at hand (text placed inside a chart), in `style`.
pub fn bidi_with(style: &egui::Style, text: impl Into<WidgetText>) -> WidgetText {
    let text = text.into();
    if !needs_reordering(text.text()) {
        return text;
    }
    let job = text.into_layout_job(style, FontSelection::Default, egui::Align::Center);
    WidgetText::LayoutJob(cached_display_order(&job))
}

thread_local! {
    /// Jobs already put in display order, by a hash of the job and the reading direction: the
    /// same labels come back every frame, and the bidi algorithm allocates.
    static ORDERED: std::cell::RefCell<std::collections::HashMap<u64, Arc<LayoutJob>>> =
        std::cell::RefCell::default();
}

/// [`display_order`], remembered.
fn cached_display_order(job: &LayoutJob) -> Arc<LayoutJob> {
    use std::hash::BuildHasher as _;
    let key = foldhash::fast::FixedState::default().hash_one((job, crate::i18n::right_to_left()));
    ORDERED.with(|cache| {
        if let Some(hit) = cache.borrow().get(&key) {
            return Arc::clone(hit);
        }
        let ordered = Arc::new(display_order(job));
        let mut cache = cache.borrow_mut();
        // A bound, not an eviction policy: the visible labels refill it within a frame.
        if cache.len() >= 16_384 {
            cache.clear();
        }
        cache.insert(key, Arc::clone(&ordered));
        ordered
    })
}

/// `text` cut to fit `max_width` at the end of its reading order, with `…`: a right-to-left line
/// loses its last words (at its left), never its first ones, as egui's own truncation of the
/// line in display order would. `width` measures a line as it will be drawn. Borrowed when it
/// fits as it is.
pub fn fit_line(text: &str, max_width: f32, width: impl Fn(&str) -> f32) -> Cow<'_, str> {
    if width(text) <= max_width {
        return Cow::Borrowed(text);
    }
    let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).collect();
    let cut = |end: usize| format!("{}…", text[..end].trim_end());
    // The longest start that fits with its ellipsis; at least one letter.
    let (mut low, mut high) = (0, ends.len());
    while low + 1 < high {
        let mid = usize::midpoint(low, high);
        if width(&cut(ends[mid])) <= max_width {
            low = mid;
        } else {
            high = mid;
        }
    }
    match ends.get(low) {
        Some(&end) => Cow::Owned(cut(end)),
        None => Cow::Borrowed(text),
    }
}

/// `job` ready to draw, for text painted directly (cards): see [`bidi`].
pub fn bidi_job(job: LayoutJob) -> LayoutJob {
    if needs_reordering(&job.text) {
        display_order(&job)
    } else {
        job
    }
}

/// `job` with each line's directional runs in visual order.
pub fn display_order(job: &LayoutJob) -> LayoutJob {
    let fallback = crate::i18n::right_to_left();
    let mut out = LayoutJob {
        text: String::with_capacity(job.text.len() + 8),
        sections: Vec::with_capacity(job.sections.len() + 4),
        ..job.clone()
    };
    let mut start = 0;
    for line in job.text.split('\n') {
        // In a right-to-left language every line reads right to left (the window's text is
        // composed from its phrases, whatever data starts it); elsewhere by its first letter.
        let right_to_left = fallback || paragraph_is_right_to_left(line, false);
        for run in visual_runs(line, right_to_left) {
            let range = start + run.range.start..start + run.range.end;
            let mut pieces: Vec<(Range<usize>, &LayoutSection)> = job
                .sections
                .iter()
                .filter_map(|section| {
                    let from = section.byte_range.start.0.max(range.start);
                    let to = section.byte_range.end.0.min(range.end);
                    (from < to).then_some((from..to, section))
                })
                .collect();
            if run.right_to_left {
                pieces.reverse();
            }
            for (piece, section) in pieces {
                push_piece(&mut out, &job.text[piece], section, run.right_to_left);
            }
        }
        start += line.len();
        if start < job.text.len() {
            if let Some(section) = job.sections.iter().find(|s| s.byte_range.end.0 > start) {
                push_piece(&mut out, "\n", section, false);
            }
            start += 1;
        }
    }
    if let (Some(first), Some(original)) = (out.sections.first_mut(), job.sections.first()) {
        first.leading_space = original.leading_space;
    }
    out
}

/// Appends `text` in `section`'s format. A right-to-left piece is drawn in the Persian font,
/// turned by hand when the shaper would not see it as right to left (brackets, dashes between
/// words). In a left-to-right piece each stretch of Persian digits is a section of its own,
/// turned by hand, as the shaper takes it for Arabic script and turns it.
fn push_piece(out: &mut LayoutJob, text: &str, section: &LayoutSection, right_to_left: bool) {
    if right_to_left {
        let mut format = section.format.clone();
        format.font_id.family = FontFamily::Name(RIGHT_TO_LEFT.into());
        if has_strong_right_to_left(text) {
            push_section(out, text.chars(), format);
        } else {
            push_section(out, text.chars().rev().map(mirrored), format);
        }
        return;
    }
    let mut rest = text;
    while let Some(first) = rest.chars().next() {
        let number = is_arabic_number(first);
        let end = rest
            .find(|c: char| is_arabic_number(c) != number)
            .unwrap_or(rest.len());
        let (piece, after) = rest.split_at(end);
        let format = section.format.clone();
        if number {
            push_section(out, piece.chars().rev(), format);
        } else {
            push_section(out, piece.chars(), format);
        }
        rest = after;
    }
}

fn push_section(out: &mut LayoutJob, text: impl Iterator<Item = char>, format: TextFormat) {
    let from = out.text.len();
    out.text.extend(text);
    out.sections.push(LayoutSection {
        leading_space: 0.0,
        byte_range: ByteIndex(from)..ByteIndex(out.text.len()),
        format,
    });
}

/// `text` for widgets that lay out a plain string themselves (chart axes, bar labels, hover
/// texts of bars). In Persian, where one font draws every character, a right-to-left line is
/// shaped as a single run that harfrust turns whole; the line is handed over in the order
/// that turning puts right: its display order, reversed. Other text is as it is.
pub fn one_run(text: &str) -> String {
    if crate::i18n::language() != Language::Persian || !needs_reordering(text) {
        return text.to_owned();
    }
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| {
            // The shaper takes the run's direction from its first letter or Persian digit.
            let shaped_right_to_left = line
                .chars()
                .find(|c| c.is_alphabetic() || is_arabic_number(*c))
                .is_some_and(|c| {
                    is_arabic_number(c) || has_strong_right_to_left(c.encode_utf8(&mut [0; 4]))
                });
            if !shaped_right_to_left {
                return line.to_owned();
            }
            visual_runs(line, true)
                .into_iter()
                .rev()
                .flat_map(|run| {
                    let piece = &line[run.range];
                    let chars: Vec<char> = if run.right_to_left {
                        piece.chars().collect()
                    } else {
                        piece.chars().rev().collect()
                    };
                    chars
                })
                .collect()
        })
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::fit_line;

    /// Ten points a character: enough to see where a line is cut.
    fn width(text: &str) -> f32 {
        text.chars().count() as f32 * 10.0
    }

    #[test]
    fn a_long_persian_line_keeps_its_first_words() {
        let text = "پیشنهاد ارسال شد و پاسخ مشتری مورد انتظار است";
        let cut = fit_line(text, 120.0, width);
        assert!(cut.starts_with("پیشنهاد ار"), "{cut}");
        assert!(cut.ends_with('…'), "{cut}");
        assert!(width(&cut) <= 120.0, "{cut}");
    }

    #[test]
    fn a_line_that_fits_is_left_as_it_is() {
        assert_eq!(fit_line("کافه", 120.0, width), "کافه");
    }
}
