//! One deal's card on the board: painted directly (no child widgets, so a column of thousands
//! lays out only what is visible), clickable and draggable.

use egui::text::LayoutJob;
use egui::{FontId, Sense, Stroke, vec2};

use super::CardDrag;
use crate::analytics::predict::Predictions;
use crate::app::Action;
use crate::domain::{ActivityState, Id, Opportunity};
use crate::i18n::{format_date, format_money, format_money_cents, format_percent};
use crate::text::bidi_job;
use crate::theme;
use crate::trn;
use crate::ui_ext::UiExt;
use crate::widgets::{paint_card_frame, paint_priority, text_line};
use crate::workspace::Workspace;

/// How a card stands out.
#[derive(Clone, Copy)]
pub(super) struct Look {
    /// Open in the form.
    pub selected: bool,
    /// The keyboard is on it: ringed.
    pub cursor: bool,
}

/// The widget id of deal `opp`'s card, which Tab may focus.
pub(super) fn widget_id(opp: Id) -> egui::Id {
    egui::Id::unique(("card", opp))
}

/// Draws `opp`'s card `height` high. While it is dragged, a faded placeholder keeps its place
/// (nothing below it moves up under the pointer) and the card follows the pointer.
pub(super) fn card_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    opp: &Opportunity,
    look: Look,
    height: f32,
    predictions: Option<&Predictions>,
) -> Option<Action> {
    let predicted = predictions.and_then(|p| p.probability(opp.id));
    let id = widget_id(opp.id);
    let size = vec2(ui.available_width(), height);
    if ui.ctx().is_being_dragged(id) {
        egui::DragAndDrop::set_payload(
            ui.ctx(),
            CardDrag {
                opp: opp.id,
                from: opp.stage,
            },
        );
        let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
        ui.painter().rect_filled(
            rect,
            theme::CARD_RADIUS,
            theme::colors(ui).card_stroke.gamma_multiply(0.5),
        );
        if let Some(pointer) = ui.ctx().pointer_interact_pos() {
            let layer = egui::LayerId::new(egui::Order::Tooltip, id);
            let floating = egui::Rect::from_center_size(pointer, size);
            let mut painter = ui.ctx().layer_painter(layer);
            if super::close_zones::covers(ui.ctx(), pointer) {
                painter.multiply_opacity(theme::CARD_OVER_ZONE_OPACITY);
            }
            paint_card(&painter, floating, ws, opp, true, predicted);
        }
        return None;
    }
    let (rect, _) = ui.allocate_exact_size(size, Sense::hover());
    let response = ui
        .interact(rect, id, Sense::click_and_drag())
        .on_hover_cursor(egui::CursorIcon::Grab);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &opp.name));
    crate::spoken::describe(&response, || {
        let deal = crate::spoken::deal(ws, opp);
        match predicted {
            Some(p) => crate::tr!(
                "{deal}, {predicted}",
                deal = deal,
                predicted = crate::prediction::predicted(p)
            ),
            None => deal,
        }
    });
    if ui.is_rect_visible(rect) {
        let painter = ui.painter().with_clip_rect(rect.intersect(ui.clip_rect()));
        paint_card(
            &painter,
            rect,
            ws,
            opp,
            look.selected || response.hovered(),
            predicted,
        );
        if look.cursor || response.has_focus() {
            painter.rect_stroke(
                rect.shrink(1.0),
                theme::CARD_RADIUS,
                Stroke::new(2.5, theme::colors(ui).focus_ring),
                egui::StrokeKind::Inside,
            );
        }
    }
    let response = response.on_hover_ui(|ui| details_ui(ui, ws, opp, predictions));
    if response.clicked() {
        Some(Action::Open(opp.id))
    } else if response.gained_focus() && !look.cursor {
        // Tab reached the card: the keyboard is on it.
        Some(Action::Select(opp.id))
    } else {
        None
    }
}

/// The card's tooltip: what the card shortens, in full (the exact amount, the salesperson's
/// name, every tag).
fn details_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    opp: &Opportunity,
    predictions: Option<&Predictions>,
) {
    // Each line whole: a name broken after its first word reads badly right to left.
    ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
    ui.text(egui::RichText::new(&opp.name).strong());
    let amount = format_money_cents(opp.amount, &opp.currency);
    ui.text(crate::tr!("Amount: {amount}", amount = amount));
    let owner = match opp.salesperson {
        Some(_) => crate::tr!(
            "Salesperson: {name}",
            name = ws.lookup_name(opp.salesperson)
        ),
        None => crate::tr!("No salesperson"),
    };
    ui.text(owner);
    if !opp.tags.is_empty() {
        let tags = tag_names(ws, opp).collect::<Vec<_>>().join(", ");
        ui.text(crate::tr!("Tags: {tags}", tags = tags));
    }
    if let Some(explanation) = predictions.and_then(|p| p.explain(opp.id)) {
        ui.separator();
        crate::prediction::explanation_ui(ui, ws, &explanation);
    }
}

fn tag_names<'a>(ws: &'a Workspace, opp: &'a Opportunity) -> impl Iterator<Item = &'a str> {
    opp.tags.iter().map(|t| ws.lookup_name(Some(*t)))
}

/// The card's four lines: name and owner; account and tags; amount (whole units: the tooltip
/// has the exact one) and probability; close date, staleness, next activity and stars.
pub(super) fn paint_card(
    painter: &egui::Painter,
    rect: egui::Rect,
    ws: &Workspace,
    opp: &Opportunity,
    highlight: bool,
    predicted: Option<f64>,
) {
    paint_card_frame(painter, rect, highlight, false);
    // A deal sitting in its stage too long has an amber edge and says for how long.
    let stale = ws.stale_days(opp);
    if stale.is_some() && !highlight {
        painter.rect_stroke(
            rect,
            theme::CARD_RADIUS,
            Stroke::new(2.0, theme::colors_of(painter.ctx()).stale),
            egui::StrokeKind::Inside,
        );
    }
    let lines = CardLines {
        painter,
        inner: rect.shrink2(vec2(
            f32::from(theme::CARD_MARGIN.left),
            f32::from(theme::CARD_MARGIN.top),
        )),
        // Lines start where reading does: mirrored in right-to-left languages.
        rtl: crate::i18n::right_to_left(),
    };
    let y = paint_name_lines(&lines, ws, opp, lines.inner.top());
    let y = paint_amount_line(&lines, opp, predicted, y + 5.0);
    paint_last_line(&lines, ws, opp, stale, y + 3.0);
}

/// The name with the owner at its end, then the account with the tags at its end, from `y`;
/// returns the bottom of the account's line.
fn paint_name_lines(lines: &CardLines, ws: &Workspace, opp: &Opportunity, y: f32) -> f32 {
    let (painter, width) = (lines.painter, lines.width());
    let owner = owner_ui(painter, ws, opp, lines.end(y));
    let name_bottom = lines.line(
        y,
        &opp.name,
        14.0,
        theme::colors_of(painter.ctx()).text_strong,
        width - owner,
    );
    let tags = tags_ui(painter, ws, opp, lines.end(name_bottom + 2.0), width * 0.5);
    let account = ws.account(opp.account).map_or("", |a| a.name.as_str());
    lines.line(
        name_bottom + 2.0,
        account,
        12.5,
        theme::colors_of(painter.ctx()).text_muted,
        width - tags,
    )
}

/// The amount at the line's start and the probability at its end (with the predicted one
/// beside it), at `y`; returns the line's bottom.
fn paint_amount_line(lines: &CardLines, opp: &Opportunity, predicted: Option<f64>, y: f32) -> f32 {
    let width = lines.width();
    // The probability's end takes more room when it says the prediction too.
    let share = if predicted.is_some() { 0.6 } else { 0.4 };
    let money = format_money(opp.amount, &opp.currency);
    let bottom = lines.line(
        y,
        &money,
        13.5,
        theme::colors_of(lines.painter.ctx()).text_strong,
        width * (1.0 - share),
    );
    let percent = format_percent(opp.probability);
    let percent = match predicted {
        // A deal that follows its prediction (Settings → General) says it once.
        Some(p) if !opp.probability_overridden && crate::prediction::percent(p) == percent => {
            crate::prediction::predicted(p)
        }
        Some(p) => crate::tr!(
            "{probability} · {predicted}",
            probability = percent,
            predicted = crate::prediction::predicted(p)
        ),
        None => percent,
    };
    let font = FontId::proportional(12.5);
    text_line(
        lines.painter,
        egui::pos2(lines.x_from_start(width), y),
        !lines.rtl,
        &percent,
        font,
        theme::colors_of(lines.painter.ctx()).text_muted,
        width * share,
    );
    bottom
}

/// The expected close (coloured when overdue), the days `stale`, the next activity's dot and the
/// priority's stars, at `y`.
fn paint_last_line(
    lines: &CardLines,
    ws: &Workspace,
    opp: &Opportunity,
    stale: Option<i64>,
    y: f32,
) {
    let width = lines.width();
    let mut offset = 0.0;
    if let Some(date) = opp.expected_close {
        let overdue = opp.is_overdue(ws.today());
        let color = if overdue {
            theme::colors_of(lines.painter.ctx()).overdue
        } else {
            theme::colors_of(lines.painter.ctx()).text_muted
        };
        let font = FontId::proportional(12.0);
        offset = lines
            .at_start(0.0, y, &format_date(date), font, color, width * 0.4)
            .width()
            + 8.0;
    }
    if let Some(days) = stale {
        lines.at_start(
            offset,
            y,
            &trn!(days, "stale {n} days"),
            FontId::proportional(12.0),
            theme::colors_of(lines.painter.ctx()).stale,
            (width - 64.0 - offset).max(1.0),
        );
    }
    // The next activity's dot sits before the stars, which take up to 3 × 14 px at the end.
    lines.painter.circle_filled(
        egui::pos2(lines.x_from_start(width - 56.0), y + 7.0),
        4.5,
        next_activity_color(theme::colors_of(lines.painter.ctx()), ws, opp.id),
    );
    paint_priority(
        lines.painter,
        egui::pos2(
            if lines.rtl {
                lines.inner.left() + 44.0
            } else {
                lines.inner.right()
            },
            y,
        ),
        14.0,
        opp.priority,
        theme::colors_of(lines.painter.ctx()).star,
    );
}

/// A card's text area and the direction its lines read in: where each line's texts go.
struct CardLines<'a> {
    painter: &'a egui::Painter,
    inner: egui::Rect,
    rtl: bool,
}

impl CardLines<'_> {
    fn width(&self) -> f32 {
        self.inner.width()
    }

    /// The x `offset` from where lines start.
    fn x_from_start(&self, offset: f32) -> f32 {
        if self.rtl {
            self.inner.right() - offset
        } else {
            self.inner.left() + offset
        }
    }

    /// `text` at `offset` from the start of the line at `y`, reading from there; its rect.
    fn at_start(
        &self,
        offset: f32,
        y: f32,
        text: &str,
        font: FontId,
        color: egui::Color32,
        max: f32,
    ) -> egui::Rect {
        text_line(
            self.painter,
            egui::pos2(self.x_from_start(offset), y),
            self.rtl,
            text,
            font,
            color,
            max,
        )
    }

    /// A line of `text` at `y`; returns where the next one goes. Lines are as tall as the
    /// language's font says (as the card's height counts them): a name in a script of taller
    /// lines (Persian in English) does not push the last line out.
    fn line(&self, y: f32, text: &str, size: f32, color: egui::Color32, max: f32) -> f32 {
        let font = FontId::proportional(size);
        let pitch = self.painter.ctx().fonts_mut(|f| f.row_height(&font));
        self.at_start(0.0, y, text, font, color, max);
        y + pitch
    }

    /// The end of the line whose top is `top`.
    fn end(&self, top: f32) -> LineEnd {
        LineEnd {
            x: self.x_from_start(self.width()),
            top,
            rtl: self.rtl,
        }
    }
}

/// Where a line of a card ends (its right in left-to-right languages, its left in
/// right-to-left ones) and its top: what is painted there grows towards the line's start.
#[derive(Clone, Copy)]
struct LineEnd {
    x: f32,
    top: f32,
    rtl: bool,
}

/// The salesperson's initials in a coloured disc at the end of the first line; returns the
/// width it takes, nothing without a salesperson.
fn owner_ui(painter: &egui::Painter, ws: &Workspace, opp: &Opportunity, end: LineEnd) -> f32 {
    let LineEnd { x: end, top, rtl } = end;
    let Some(owner) = opp.salesperson else {
        return 0.0;
    };
    let galley = painter.layout_job(bidi_job(LayoutJob::simple_singleline(
        initials(ws.lookup_name(opp.salesperson)),
        FontId::proportional(10.0),
        theme::TEXT_ON_COLOR,
    )));
    // A disc, or a pill where the initials are wider (Persian letters are).
    let size = vec2(
        theme::OWNER_DIAMETER.max(galley.size().x + 6.0),
        theme::OWNER_DIAMETER,
    );
    let left = if rtl { end } else { end - size.x };
    let badge = egui::Rect::from_min_size(egui::pos2(left, top), size);
    let color = theme::OWNER_COLORS[(owner % theme::OWNER_COLORS.len() as u64) as usize];
    painter.rect_filled(badge, size.y / 2.0, color);
    painter.galley(
        badge.center() - galley.size() / 2.0,
        galley,
        theme::TEXT_ON_COLOR,
    );
    size.x + 6.0
}

/// A name's first two initials ("Sara Karimi" → "SK"). Persian letters are kept apart by a
/// zero-width non-joiner, so they read as initials rather than joining into a word.
fn initials(name: &str) -> String {
    let letters: Vec<char> = name
        .split_whitespace()
        .filter_map(|w| w.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    let arabic = letters
        .iter()
        .any(|c| ('\u{0600}'..='\u{06FF}').contains(c));
    let mut out = String::new();
    for (i, c) in letters.into_iter().enumerate() {
        if i > 0 && arabic {
            out.push('\u{200C}');
        }
        out.push(c);
    }
    out
}

/// Up to two tag chips and "+N" for the rest, from the line's end towards its start, within
/// `budget`; returns the width they take.
fn tags_ui(
    painter: &egui::Painter,
    ws: &Workspace,
    opp: &Opportunity,
    end: LineEnd,
    budget: f32,
) -> f32 {
    const SHOWN: usize = 2;
    const GAP: f32 = 4.0;
    let LineEnd { x: end, top, rtl } = end;
    let chip = |text: String, max: f32| {
        let mut job = LayoutJob::simple_singleline(
            text,
            FontId::proportional(11.0),
            theme::colors_of(painter.ctx()).text_strong,
        );
        job.wrap = egui::text::TextWrapping::truncate_at_width(max);
        painter.layout_job(bidi_job(job))
    };
    let width = |galley: &egui::Galley| galley.size().x + 2.0 * theme::CHIP_PADDING + GAP;
    let mut chips = Vec::new();
    let mut used = 0.0;
    for name in tag_names(ws, opp).take(SHOWN) {
        // Room is kept for the "+N" chip while tags remain after this one.
        let rest = if opp.tags.len() > chips.len() + 1 {
            28.0
        } else {
            0.0
        };
        let room = budget - used - rest - 2.0 * theme::CHIP_PADDING - GAP;
        if room < 24.0 {
            break;
        }
        let galley = chip(name.to_owned(), room.min(90.0));
        used += width(&galley);
        chips.push(galley);
    }
    let rest = opp.tags.len() - chips.len();
    if rest > 0 {
        let more = crate::tr!("+{n}", n = crate::i18n::format_count(rest as u64));
        let galley = chip(more, f32::INFINITY);
        used += width(&galley);
        chips.push(galley);
    }
    // In reading order: the first tag nearest the line's start, "+N" at its end.
    let span = (used - GAP).max(0.0);
    let mut start = if rtl { end + span } else { end - span };
    for galley in chips {
        let size = galley.size() + vec2(2.0 * theme::CHIP_PADDING, 2.0);
        let x = if rtl { start - size.x } else { start };
        let rect = egui::Rect::from_min_size(egui::pos2(x, top), size);
        painter.rect_filled(
            rect,
            theme::CHIP_RADIUS,
            theme::colors_of(painter.ctx()).chip_fill,
        );
        painter.galley(
            rect.min + vec2(theme::CHIP_PADDING, 1.0),
            galley,
            theme::colors_of(painter.ctx()).text_strong,
        );
        start += if rtl { -(size.x + GAP) } else { size.x + GAP };
    }
    used
}

/// The colour of a card's next-activity dot: late red, today amber, planned green, none grey.
fn next_activity_color(colors: &theme::Colors, ws: &Workspace, opp: Id) -> egui::Color32 {
    ws.next_activity(opp).map_or(colors.activity_none, |due| {
        colors.activity(ActivityState::of(due, ws.today()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::command::{Change, Command};
    use crate::domain::{Activity, ActivityKind, ActivityLink, Record, StageKind};
    use chrono::{Days, TimeZone as _};

    #[test]
    fn initials_take_two_words_and_keep_persian_letters_apart() {
        assert_eq!(initials("Sara Karimi"), "SK");
        assert_eq!(initials("élodie"), "É");
        assert_eq!(initials("سارا کریمی"), "س\u{200C}ک");
        assert_eq!(initials(""), "");
    }

    #[test]
    fn a_card_shows_its_next_activity_in_colour() {
        let dir = tempfile::tempdir().unwrap();
        let clock: crate::workspace::Clock =
            std::sync::Arc::new(|| chrono::Utc.with_ymd_and_hms(2026, 11, 22, 9, 0, 0).unwrap());
        let mut ws = Workspace::open(&dir.path().join("f.redb"), clock).unwrap();
        let stage = ws
            .stage_of_kind(ws.default_pipeline().id, StageKind::Open)
            .unwrap()
            .clone();
        let opp = Opportunity::draft(&Default::default(), &stage, ws.settings(), ws.now());
        let id = ws
            .apply(Command::CreateOpportunity {
                opp: Box::new(opp),
                new_account: Some("Acme".into()),
            })
            .unwrap()
            .created
            .unwrap();
        assert_eq!(
            next_activity_color(&theme::DARK, &ws, id),
            theme::DARK.activity_none
        );
        let today = ws.today();
        let plan = |ws: &mut Workspace, due, summary: &str| {
            let activity = Activity::planned(
                ActivityKind::Call,
                summary.into(),
                due,
                ActivityLink::Opportunity(id),
            );
            ws.apply(Command::Change(Box::new(Change::put(Record::Activity(
                activity,
            )))))
            .unwrap();
        };
        plan(&mut ws, today + Days::new(3), "planned");
        assert_eq!(
            next_activity_color(&theme::DARK, &ws, id),
            theme::DARK.activity_planned
        );
        plan(&mut ws, today, "today");
        assert_eq!(
            next_activity_color(&theme::DARK, &ws, id),
            theme::DARK.activity_today
        );
        plan(&mut ws, today - Days::new(1), "late");
        assert_eq!(
            next_activity_color(&theme::DARK, &ws, id),
            theme::DARK.activity_late
        );
    }
}
