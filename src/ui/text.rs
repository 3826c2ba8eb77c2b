//! Text in the window: the fonts of each language and mixed-direction text in display order.

use std::ops::Range;
use std::sync::Arc;

use egui::text::{ByteIndex, LayoutJob, LayoutSection};
use egui::{FontData, FontDefinitions, FontFamily, FontSelection, Ui, WidgetText};

use crate::domain::Language;
use crate::i18n::bidi::{
    has_right_to_left, has_strong_right_to_left, mirrored, paragraph_is_right_to_left, visual_runs,
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
            "../../assets/fonts/Vazirmatn-Regular.ttf"
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
/// directional run a section of its own; other text as it is. Every label, button, card and
/// cell that can show Persian goes through here.
pub fn bidi(ui: &Ui, text: impl Into<WidgetText>) -> WidgetText {
    let text = text.into();
    if !has_right_to_left(text.text()) {
        return text;
    }
    let job = text.into_layout_job(ui.style(), FontSelection::Default, ui.text_valign());
    WidgetText::LayoutJob(Arc::new(display_order(&job)))
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
        let right_to_left = paragraph_is_right_to_left(line, fallback);
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

/// Appends `text` in `section`'s format; a right-to-left piece in the Persian font, turned by
/// hand when the shaper would not see it as right to left (brackets, dashes between words).
fn push_piece(out: &mut LayoutJob, text: &str, section: &LayoutSection, right_to_left: bool) {
    let from = out.text.len();
    let mut format = section.format.clone();
    if right_to_left {
        format.font_id.family = FontFamily::Name(RIGHT_TO_LEFT.into());
        if has_strong_right_to_left(text) {
            out.text.push_str(text);
        } else {
            out.text.extend(text.chars().rev().map(mirrored));
        }
    } else {
        out.text.push_str(text);
    }
    out.sections.push(LayoutSection {
        leading_space: 0.0,
        byte_range: ByteIndex(from)..ByteIndex(out.text.len()),
        format,
    });
}
