//! Colours, sizes and spacing in one place, so views never scatter literals.

use egui::{Color32, CornerRadius, Margin, Stroke, Theme, ThemePreference};

use crate::domain::ActivityState;

/// Narrowest board column; with many stages the board scrolls sideways instead.
pub const COLUMN_WIDTH: f32 = 276.0;
/// Widest board column: wider cards only spread their text apart.
pub const COLUMN_MAX_WIDTH: f32 = 440.0;
/// Height of a card on the board in egui's Latin font; fixed, so columns lay out only the
/// visible cards.
const CARD_HEIGHT: f32 = 84.0;

/// Height of a card on the board: [`CARD_HEIGHT`], or more where the font's lines are taller
/// (Vazirmatn's are, for Persian's marks above and below the letters).
pub fn card_height(ctx: &egui::Context) -> f32 {
    let rows: f32 = [14.0, 12.5, 13.5, 12.0]
        .into_iter()
        .map(|size| ctx.fonts_mut(|f| f.row_height(&egui::FontId::proportional(size))))
        .sum();
    // Margins, gaps between the lines and the card's frame.
    let chrome = 2.0 * f32::from(CARD_MARGIN.top) + 10.0;
    CARD_HEIGHT.max(rows + chrome)
}
/// Height of the Won and Lost drop zones shown over the board's bottom edge while dragging.
pub const CLOSE_ZONE_HEIGHT: f32 = 64.0;
/// Their distance from the board's edges and from each other.
pub const CLOSE_ZONE_MARGIN: f32 = 10.0;
/// Width of a folded stage's column.
pub const FOLDED_WIDTH: f32 = 150.0;
/// Width of the opportunity form panel.
pub const FORM_WIDTH: f32 = 500.0;
/// Width of the top bar's pipeline dropdown, whatever the pipelines' names.
pub const PIPELINE_SWITCHER_WIDTH: f32 = 170.0;
/// The salesperson's initials on a card: the disc's size and colours (dark enough for white
/// letters), one per salesperson, repeated.
pub const OWNER_DIAMETER: f32 = 18.0;
pub const OWNER_COLORS: [Color32; 6] = [
    Color32::from_rgb(0x3B, 0x6E, 0xD8),
    Color32::from_rgb(0x8E, 0x44, 0xAD),
    Color32::from_rgb(0x00, 0x79, 0x6B),
    Color32::from_rgb(0xC0, 0x39, 0x2B),
    Color32::from_rgb(0x6D, 0x4C, 0x41),
    Color32::from_rgb(0x54, 0x6E, 0x7A),
];
/// A tag chip on a card.
pub const CHIP_PADDING: f32 = 5.0;
pub const CHIP_RADIUS: CornerRadius = CornerRadius::same(4);
/// White letters on the salesperson's disc and on the Won and Lost drop zones, in both themes.
pub const TEXT_ON_COLOR: Color32 = Color32::WHITE;
/// A dragged card over them is faint, so that the zone's words read through it.
pub const CARD_OVER_ZONE_OPACITY: f32 = 0.35;
/// One colour per salesperson in stacked charts (Tableau 10), repeated past ten.
pub const CHART_SERIES: [Color32; 10] = [
    Color32::from_rgb(0x4E, 0x79, 0xA7),
    Color32::from_rgb(0xF2, 0x8E, 0x2B),
    Color32::from_rgb(0xE1, 0x57, 0x59),
    Color32::from_rgb(0x76, 0xB7, 0xB2),
    Color32::from_rgb(0x59, 0xA1, 0x4F),
    Color32::from_rgb(0xED, 0xC9, 0x48),
    Color32::from_rgb(0xB0, 0x7A, 0xA1),
    Color32::from_rgb(0xFF, 0x9D, 0xA7),
    Color32::from_rgb(0x9C, 0x75, 0x5F),
    Color32::from_rgb(0xBA, 0xB0, 0xAC),
];

/// Every colour that differs between the light and the dark theme. Views take theirs from
/// [`colors`], never from a literal, so both themes stay readable wherever a colour is used.
#[derive(Debug)]
pub struct Colors {
    /// The line showing where a dragged card will land.
    pub drop_marker: Color32,
    /// A card's face (also forms' and reports' frames, which sit on the panel like cards).
    pub card_fill: Color32,
    pub card_stroke: Color32,
    /// The edge of a widget at rest (a text field, a dropdown, a button): egui's light theme has
    /// none, so a white text field on a white card or editor frame could not be seen.
    pub field_stroke: Color32,
    pub card_selected: Color32,
    /// The ring of the card or row the keyboard is on: apart from the selected card's blue.
    pub focus_ring: Color32,
    pub column_fill: Color32,
    pub board_fill: Color32,
    /// A day of another month in the month calendar.
    pub outside_fill: Color32,
    /// The chosen row of a list that is no table (the accounts).
    pub selected_fill: Color32,
    /// A question asked inside a form before it acts (delete this account?).
    pub ask_fill: Color32,
    pub text_muted: Color32,
    pub text_strong: Color32,
    /// The data file's path in the status bar: quieter than muted text.
    pub text_faint: Color32,
    pub overdue: Color32,
    /// Won and lost as text and marks (labels, bars, legend swatches).
    pub won: Color32,
    pub lost: Color32,
    /// The Won and Lost drop zones under a dragged card (white words on them), brighter when
    /// the card is over them.
    pub won_zone: Color32,
    pub won_zone_hover: Color32,
    pub lost_zone: Color32,
    pub lost_zone_hover: Color32,
    /// A column under a dragged card: a tint and an edge.
    pub column_drop_fill: Color32,
    pub column_drop_stroke: Color32,
    pub star: Color32,
    /// Next-activity dots (Odoo's colours): late, due today, planned, none.
    pub activity_late: Color32,
    pub activity_today: Color32,
    pub activity_planned: Color32,
    pub activity_none: Color32,
    /// The bar of reminders said and not dismissed: amber, as today's activities.
    pub reminder_fill: Color32,
    /// The edge and note of a card that sat in its stage too long.
    pub stale: Color32,
    pub error: Color32,
    /// The bar under a column header, tinted by the stage's probability.
    pub progress: Color32,
    /// Report charts: expected and weighted revenue, the funnel's bars, the conversion line,
    /// lost amounts that are not the worst leak.
    pub chart_expected: Color32,
    pub chart_weighted: Color32,
    pub chart_funnel: Color32,
    pub chart_line: Color32,
    pub chart_lost_muted: Color32,
    /// The chip naming a restriction of the list (a funnel stage's deals), a tag on a card.
    pub chip_fill: Color32,
}

const fn rgb(hex: u32) -> Color32 {
    let [_, r, g, b] = hex.to_be_bytes();
    Color32::from_rgb(r, g, b)
}

/// The light theme's colours. Text colours read at 4.5:1 or more on cards and the board (WCAG
/// AA, the test below), the activity colours too: they colour headings and dates as well as
/// dots.
pub const LIGHT: Colors = Colors {
    drop_marker: rgb(0x3B6ED8),
    card_fill: Color32::WHITE,
    card_stroke: rgb(0xD5D9E0),
    field_stroke: rgb(0xB4BAC3),
    card_selected: rgb(0x3B6ED8),
    focus_ring: rgb(0x7C3AED),
    column_fill: rgb(0xEFF1F5),
    board_fill: rgb(0xF7F8FA),
    outside_fill: Color32::from_gray(246),
    selected_fill: rgb(0xE3ECFB),
    ask_fill: rgb(0xFDF3F2),
    text_muted: rgb(0x5F6773),
    text_strong: rgb(0x1F242B),
    text_faint: rgb(0x646B76),
    overdue: rgb(0xC62828),
    won: rgb(0x2E7D32),
    lost: rgb(0xB71C1C),
    won_zone: rgb(0x2E7D32),
    won_zone_hover: rgb(0x43A047),
    lost_zone: rgb(0xB71C1C),
    lost_zone_hover: rgb(0xE53935),
    column_drop_fill: rgb(0xE3ECFB),
    column_drop_stroke: rgb(0x3B6ED8),
    star: rgb(0xF2A900),
    activity_late: rgb(0xC62828),
    activity_today: rgb(0xA15C00),
    activity_planned: rgb(0x27803A),
    activity_none: rgb(0xB4BAC3),
    reminder_fill: rgb(0xFFF1D6),
    stale: rgb(0xA85A00),
    error: rgb(0xC62828),
    progress: rgb(0x3B6ED8),
    chart_expected: rgb(0x3B6ED8),
    chart_weighted: rgb(0xF28E2B),
    chart_funnel: rgb(0xC9D8F5),
    chart_line: rgb(0x5E35B1),
    chart_lost_muted: rgb(0xEFB4B4),
    chip_fill: rgb(0xE3ECFB),
};

/// The dark theme's colours: the same roles, lighter marks on darker faces, at the same
/// contrast.
pub const DARK: Colors = Colors {
    drop_marker: rgb(0x3B6ED8),
    card_fill: rgb(0x2A2F37),
    card_stroke: rgb(0x3D4450),
    field_stroke: rgb(0x5C6573),
    card_selected: rgb(0x6A9BF4),
    focus_ring: rgb(0xB39DFF),
    column_fill: rgb(0x1E2228),
    board_fill: rgb(0x16191E),
    outside_fill: rgb(0x22262D),
    selected_fill: rgb(0x24344F),
    ask_fill: rgb(0x3E2524),
    text_muted: rgb(0xA4ACB8),
    text_strong: rgb(0xE8EBF0),
    text_faint: rgb(0x959CA7),
    overdue: rgb(0xFF6B6B),
    won: rgb(0x6CCB70),
    lost: rgb(0xFF7070),
    won_zone: rgb(0x2E7D32),
    won_zone_hover: rgb(0x388E3C),
    lost_zone: rgb(0xB71C1C),
    lost_zone_hover: rgb(0xD32F2F),
    column_drop_fill: rgb(0x22324C),
    column_drop_stroke: rgb(0x6A9BF4),
    star: rgb(0xFFC53D),
    activity_late: rgb(0xFF6666),
    activity_today: rgb(0xFFB020),
    activity_planned: rgb(0x4CC35F),
    activity_none: rgb(0x5C6573),
    reminder_fill: rgb(0x4A3A16),
    stale: rgb(0xFFA53D),
    error: rgb(0xFF6B6B),
    progress: rgb(0x6A9BF4),
    chart_expected: rgb(0x6A9BF4),
    chart_weighted: rgb(0xF5A05A),
    chart_funnel: rgb(0x34496F),
    chart_line: rgb(0xA98BF0),
    chart_lost_muted: rgb(0x7D4242),
    chip_fill: rgb(0x2B3B58),
};

/// The colours of the theme `ui` is painted in.
pub fn colors(ui: &egui::Ui) -> &'static Colors {
    colors_for(ui.visuals())
}

/// The colours of the theme a context paints in now (for painters and callbacks without a ui).
pub fn colors_of(ctx: &egui::Context) -> &'static Colors {
    colors_for(&ctx.global_style().visuals)
}

impl Colors {
    /// An activity's dot and heading: late red, today amber, planned green.
    pub fn activity(&self, state: ActivityState) -> Color32 {
        match state {
            ActivityState::Late => self.activity_late,
            ActivityState::Today => self.activity_today,
            ActivityState::Planned => self.activity_planned,
        }
    }
}

fn colors_for(visuals: &egui::Visuals) -> &'static Colors {
    if visuals.dark_mode { &DARK } else { &LIGHT }
}

/// Height of a chart on the reports dashboard, and of a card's table under it.
pub const CHART_HEIGHT: f32 = 250.0;
pub const REPORT_TABLE_HEIGHT: f32 = 150.0;
/// Height of a row in report tables.
pub const REPORT_ROW_HEIGHT: f32 = 22.0;

pub const CARD_RADIUS: CornerRadius = CornerRadius::same(6);

/// A card's frame margins.
pub const CARD_MARGIN: Margin = Margin::symmetric(10, 8);

/// Sets both themes' spacing and edges, and which of them is shown: `choice`, where the system's
/// is unknown (no desktop says it, as under Xvfb) the light one.
pub fn apply(ctx: &egui::Context, choice: ThemePreference) {
    ctx.options_mut(|options| options.fallback_theme = Theme::Light);
    ctx.set_theme(choice);
    for (theme, palette) in [(Theme::Light, &LIGHT), (Theme::Dark, &DARK)] {
        ctx.style_mut_of(theme, |style| {
            style.spacing.item_spacing = egui::vec2(8.0, 6.0);
            style.spacing.button_padding = egui::vec2(8.0, 3.0);
            style.visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.0, palette.card_stroke);
            // A text field is as light as the frames editors sit on (`extreme_bg_color`): its
            // edge is what shows it.
            style.visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, palette.field_stroke);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG 2's contrast ratio of two colours.
    fn contrast(a: Color32, b: Color32) -> f32 {
        let luminance = |c: Color32| {
            let linear = |v: u8| {
                let v = f32::from(v) / 255.0;
                if v <= 0.039_28 {
                    v / 12.92
                } else {
                    ((v + 0.055) / 1.055).powf(2.4)
                }
            };
            0.2126 * linear(c.r()) + 0.7152 * linear(c.g()) + 0.0722 * linear(c.b())
        };
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn text_reads_on_cards_and_the_board_in_both_themes() {
        for (theme, c) in [("light", &LIGHT), ("dark", &DARK)] {
            let texts = [
                ("text_muted", c.text_muted),
                ("text_strong", c.text_strong),
                ("text_faint", c.text_faint),
                ("overdue", c.overdue),
                ("won", c.won),
                ("lost", c.lost),
                ("error", c.error),
                ("stale", c.stale),
                ("activity_late", c.activity_late),
                ("activity_today", c.activity_today),
                ("activity_planned", c.activity_planned),
                ("chart_line", c.chart_line),
            ];
            for (name, color) in texts {
                for (under, fill) in [("card", c.card_fill), ("board", c.board_fill)] {
                    let ratio = contrast(color, fill);
                    assert!(ratio >= 4.5, "{theme} {name} on the {under}: {ratio:.2}");
                }
            }
            // White words on the drop zones and the "lands here" pill.
            for (name, fill) in [
                ("won_zone", c.won_zone),
                ("lost_zone", c.lost_zone),
                ("drop_marker", c.drop_marker),
            ] {
                let ratio = contrast(TEXT_ON_COLOR, fill);
                assert!(ratio >= 4.5, "{theme} white on {name}: {ratio:.2}");
            }
        }
    }
}
