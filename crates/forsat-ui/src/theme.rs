//! Colours, sizes and spacing in one place, so views never scatter literals.

use egui::{Color32, CornerRadius, Margin, Stroke};

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
pub const OWNER_TEXT: Color32 = Color32::WHITE;
pub const OWNER_COLORS: [Color32; 6] = [
    Color32::from_rgb(0x3B, 0x6E, 0xD8),
    Color32::from_rgb(0x8E, 0x44, 0xAD),
    Color32::from_rgb(0x00, 0x79, 0x6B),
    Color32::from_rgb(0xC0, 0x39, 0x2B),
    Color32::from_rgb(0x6D, 0x4C, 0x41),
    Color32::from_rgb(0x37, 0x47, 0x4F),
];
/// A tag chip on a card.
pub const CHIP_PADDING: f32 = 5.0;
pub const CHIP_RADIUS: CornerRadius = CornerRadius::same(4);
/// The line showing where a dragged card will land.
pub const DROP_MARKER: Color32 = Color32::from_rgb(0x3B, 0x6E, 0xD8);

pub const CARD_FILL: Color32 = Color32::WHITE;
pub const CARD_STROKE: Color32 = Color32::from_rgb(0xD5, 0xD9, 0xE0);
/// The edge of a widget at rest (a text field, a dropdown, a button): egui's light theme has
/// none, so a white text field on a white card or editor frame could not be seen.
pub const FIELD_STROKE: Color32 = Color32::from_rgb(0xB4, 0xBA, 0xC3);
pub const CARD_SELECTED: Color32 = Color32::from_rgb(0x3B, 0x6E, 0xD8);
/// The ring of the card or row the keyboard is on: apart from the selected card's blue.
pub const FOCUS_RING: Color32 = Color32::from_rgb(0x7C, 0x3A, 0xED);
pub const COLUMN_FILL: Color32 = Color32::from_rgb(0xEF, 0xF1, 0xF5);
pub const BOARD_FILL: Color32 = Color32::from_rgb(0xF7, 0xF8, 0xFA);
pub const TEXT_MUTED: Color32 = Color32::from_rgb(0x5F, 0x67, 0x73);
pub const TEXT_STRONG: Color32 = Color32::from_rgb(0x1F, 0x24, 0x2B);
pub const OVERDUE: Color32 = Color32::from_rgb(0xC6, 0x28, 0x28);
pub const WON: Color32 = Color32::from_rgb(0x2E, 0x7D, 0x32);
pub const LOST: Color32 = Color32::from_rgb(0xB7, 0x1C, 0x1C);
/// The Won and Lost drop zones under a dragged card: brighter than at rest.
pub const WON_HOVER: Color32 = Color32::from_rgb(0x43, 0xA0, 0x47);
pub const LOST_HOVER: Color32 = Color32::from_rgb(0xE5, 0x39, 0x35);
pub const CLOSE_ZONE_TEXT: Color32 = Color32::WHITE;
/// A dragged card over them is faint, so that the zone's words read through it.
pub const CARD_OVER_ZONE_OPACITY: f32 = 0.35;
/// A column under a dragged card: a light tint and a blue edge.
pub const COLUMN_DROP_FILL: Color32 = Color32::from_rgb(0xE3, 0xEC, 0xFB);
pub const COLUMN_DROP_STROKE: Color32 = Color32::from_rgb(0x3B, 0x6E, 0xD8);
pub const STAR: Color32 = Color32::from_rgb(0xF2, 0xA9, 0x00);
/// Next-activity dots (Odoo's colours): late, due today, planned, none.
pub const ACTIVITY_LATE: Color32 = Color32::from_rgb(0xD3, 0x2F, 0x2F);
pub const ACTIVITY_TODAY: Color32 = Color32::from_rgb(0xE0, 0x8E, 0x0B);
pub const ACTIVITY_PLANNED: Color32 = Color32::from_rgb(0x2E, 0x9D, 0x45);
pub const ACTIVITY_NONE: Color32 = Color32::from_rgb(0xB4, 0xBA, 0xC3);
/// The bar of reminders said and not dismissed: amber, as today's activities.
pub const REMINDER_FILL: Color32 = Color32::from_rgb(0xFF, 0xF1, 0xD6);
/// The edge and note of a card that sat in its stage too long.
pub const STALE: Color32 = Color32::from_rgb(0xC7, 0x6A, 0x00);
pub const ERROR: Color32 = Color32::from_rgb(0xC6, 0x28, 0x28);
/// The bar under a column header, tinted by the stage's probability.
pub const PROGRESS: Color32 = Color32::from_rgb(0x3B, 0x6E, 0xD8);

/// Report charts: expected and weighted revenue, the funnel's bars, the conversion line, lost
/// amounts that are not the worst leak.
pub const CHART_EXPECTED: Color32 = Color32::from_rgb(0x3B, 0x6E, 0xD8);
pub const CHART_WEIGHTED: Color32 = Color32::from_rgb(0xF2, 0x8E, 0x2B);
pub const CHART_FUNNEL: Color32 = Color32::from_rgb(0xC9, 0xD8, 0xF5);
pub const CHART_LINE: Color32 = Color32::from_rgb(0x5E, 0x35, 0xB1);
pub const CHART_LOST_MUTED: Color32 = Color32::from_rgb(0xEF, 0xB4, 0xB4);
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
/// The chip naming a restriction of the list (a funnel stage's deals).
pub const CHIP_FILL: Color32 = Color32::from_rgb(0xE3, 0xEC, 0xFB);

/// Height of a chart on the reports dashboard, and of a card's table under it.
pub const CHART_HEIGHT: f32 = 250.0;
pub const REPORT_TABLE_HEIGHT: f32 = 150.0;
/// Height of a row in report tables.
pub const REPORT_ROW_HEIGHT: f32 = 22.0;

pub const CARD_RADIUS: CornerRadius = CornerRadius::same(6);

/// A card's frame margins.
pub const CARD_MARGIN: Margin = Margin::symmetric(10, 8);

/// Sets the light theme and spacing used throughout the app.
pub fn apply(ctx: &egui::Context) {
    ctx.set_theme(egui::ThemePreference::Light);
    ctx.all_styles_mut(|style| {
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 3.0);
        style.visuals.widgets.noninteractive.bg_stroke = Stroke::new(1.0, CARD_STROKE);
        // A text field is as white as the frames editors sit on (`extreme_bg_color`): its edge
        // is what shows it.
        style.visuals.widgets.inactive.bg_stroke = Stroke::new(1.0, FIELD_STROKE);
    });
}
