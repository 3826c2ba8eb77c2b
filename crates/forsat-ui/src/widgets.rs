//! Small reusable pieces shared by the views.

use crate::ui_ext::UiExt;
use egui::text::{LayoutJob, TextWrapping};
use egui::{Color32, FontId, Pos2, Rect};

use egui::RichText;

use super::theme;
use crate::domain::{
    Field, ForecastCategory, ForecastChoice, ForecastFilter, HistoryEntry, Id, LookupKind,
};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// A record's history, newest first, in a collapsible section ("History (n)").
pub fn history_ui(ui: &mut egui::Ui, history: &[HistoryEntry]) {
    egui::CollapsingHeader::new(ui.rtl(trn!(history.len(), "History ({n})")))
        .default_open(true)
        .show(ui, |ui| {
            for entry in history.iter().rev() {
                let when = entry.at.format("%Y-%m-%d %H:%M").to_string();
                let what = match entry.field.as_str() {
                    "created" => tr!("created"),
                    "deleted" => tr!("deleted"),
                    "restored" => tr!("restored"),
                    "converted" => tr!("converted into “{deal}”", deal = entry.new),
                    key => {
                        let label = Field::from_key(key).map_or(key.to_owned(), Field::label);
                        let shown = |v: &str| {
                            if v.is_empty() {
                                "—".to_owned()
                            } else if key == Field::Forecast.key()
                                && let Some(choice) = ForecastChoice::parse(v)
                            {
                                choice_label(choice)
                            } else {
                                crate::i18n::display_stored(v).into_owned()
                            }
                        };
                        tr!(
                            "{field}: {old} » {new}",
                            field = label,
                            old = shown(&entry.old),
                            new = shown(&entry.new)
                        )
                    }
                };
                // Stage moves are what a salesperson scans for: they stand out.
                let what = if entry.field == Field::Stage.key() {
                    RichText::new(what)
                        .strong()
                        .color(theme::colors(ui).progress)
                } else {
                    RichText::new(what)
                };
                ui.horizontal_wrapped(|ui| {
                    ui.text(
                        RichText::new(when)
                            .small()
                            .color(theme::colors(ui).text_muted),
                    );
                    ui.text(what);
                });
            }
        });
}

/// A labelled dropdown of `choices`, each called by `name`.
pub fn choice_combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    choices: &[T],
    name: fn(T) -> String,
) {
    let label = ui.text(label);
    egui::ComboBox::from_id_salt((label.id, "choice"))
        .selected_text(ui.rtl(name(*value)))
        .show_ui(ui, |ui| {
            for choice in choices {
                ui.selectable_value_text(value, *choice, name(*choice));
            }
        })
        .response
        .labelled_by(label.id);
}

/// A dropdown over one lookup table, with an empty choice named `none`, named for assistive
/// technology (and tests) by the visible label `label`. Returns true when the choice changed.
pub fn lookup_combo(
    ui: &mut egui::Ui,
    label: egui::Id,
    ws: &Workspace,
    kind: LookupKind,
    value: &mut Option<Id>,
    none: &str,
) -> bool {
    let (response, changed) = lookup_combo_box(ui, (label, kind as u8), ws, kind, value, none);
    response.labelled_by(label);
    changed
}

/// The dropdown of [`lookup_combo`] without a label, for table cells: the caller names it.
pub fn lookup_combo_box(
    ui: &mut egui::Ui,
    id_salt: impl egui::AsIdSalt,
    ws: &Workspace,
    kind: LookupKind,
    value: &mut Option<Id>,
    none: &str,
) -> (egui::Response, bool) {
    let before = *value;
    let selected = match ws.lookup_name(*value) {
        "" => none.to_owned(),
        name => name.to_owned(),
    };
    let response = egui::ComboBox::from_id_salt(id_salt)
        .selected_text(ui.rtl(selected))
        .width(ui.available_width().min(180.0))
        .show_ui(ui, |ui| {
            ui.selectable_value_text(value, None, none);
            for lookup in ws.lookups(kind) {
                ui.selectable_value_text(value, Some(lookup.id), &lookup.name);
            }
        })
        .response;
    (response, before != *value)
}

/// A labelled dropdown of every pipeline's stages with a first choice `none` ("Any", "Keep").
pub fn optional_stage_combo(ui: &mut egui::Ui, ws: &Workspace, value: &mut Option<Id>, none: &str) {
    let label = ui.text(crate::domain::Field::Stage.label());
    let current = value
        .and_then(|s| ws.stage(s))
        .map_or(none.to_owned(), |s| s.name.clone());
    egui::ComboBox::from_id_salt((label.id, "stage"))
        .selected_text(ui.rtl(current))
        .show_ui(ui, |ui| {
            ui.selectable_value_text(value, None, none);
            for p in ws.pipelines() {
                for s in ws.stages_of(p.id) {
                    ui.selectable_value_text(value, Some(s.id), &s.name);
                }
            }
        })
        .response
        .labelled_by(label.id);
}

/// A button opening a menu that stays open while its checkboxes are ticked, one after
/// another, and closes on Escape or a click outside it. Returns the button's response.
pub fn sticky_menu_ui(
    ui: &mut egui::Ui,
    text: impl Into<egui::WidgetText>,
    content: impl FnOnce(&mut egui::Ui),
) -> egui::Response {
    use egui::containers::menu::{MenuButton, MenuConfig};
    let config = MenuConfig::new().close_behavior(egui::PopupCloseBehavior::CloseOnClickOutside);
    MenuButton::new(text)
        .config(config)
        .ui(ui, |ui| super::direction::reading(ui, content))
        .0
}

/// The stages to show, several at once, in a menu of checkboxes labelled "Stages" (none
/// ticked: any stage). Stages are grouped under their pipeline's name when there are several.
pub fn stages_filter_ui(ui: &mut egui::Ui, ws: &Workspace, stages: &mut Vec<Id>) {
    let label = ui.text(tr!("Stages"));
    let picked: Vec<&str> = stages
        .iter()
        .filter_map(|id| ws.stage(*id))
        .map(|s| s.name.as_str())
        .collect();
    let summary = match picked.as_slice() {
        [] => tr!("Any"),
        [one] => (*one).to_owned(),
        [first, second] => format!("{first}, {second}"),
        [first, ..] => trn!(picked.len() - 1, "{first} and {n} more", first = first),
    };
    let pipelines = ws.pipelines();
    let button = sticky_menu_ui(ui, ui.rtl(&summary), |ui| {
        for p in pipelines {
            if pipelines.len() > 1 {
                ui.text(RichText::new(&p.name).strong());
            }
            for s in ws.stages_of(p.id) {
                let mut on = stages.contains(&s.id);
                if ui.checkbox_text(&mut on, &s.name).changed() {
                    if on {
                        stages.push(s.id);
                    } else {
                        stages.retain(|x| *x != s.id);
                    }
                }
            }
        }
        if !stages.is_empty() && ui.button_text(tr!("Any stage")).clicked() {
            stages.clear();
        }
    });
    // To assistive technology (and tests) a dropdown named by its label, showing the choice.
    button.widget_info(|| {
        let mut info = egui::WidgetInfo::new(egui::Role::ComboBox);
        info.current_text_value = Some(summary.clone());
        info
    });
    button.labelled_by(label.id);
}

/// A labelled dropdown of the forecast: `none` ("Any", "Keep") or one of `choices`, each
/// called by `name`.
pub fn forecast_combo<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    value: &mut Option<T>,
    none: &str,
    (choices, name): (&[T], fn(T) -> String),
) {
    let label = ui.text(crate::domain::Field::Forecast.label());
    let shown = |v: Option<T>| v.map_or_else(|| none.to_owned(), name);
    egui::ComboBox::from_id_salt((label.id, "forecast"))
        .selected_text(ui.rtl(shown(*value)))
        .show_ui(ui, |ui| {
            let choices = choices.iter().copied().map(Some);
            for choice in std::iter::once(None).chain(choices) {
                ui.selectable_value_text(value, choice, shown(choice));
            }
        })
        .response
        .labelled_by(label.id);
}

/// What the search's forecast choice is called.
pub fn filter_label(filter: ForecastFilter) -> String {
    match filter {
        ForecastFilter::InForecast => tr!("In the forecast"),
        ForecastFilter::Stage => choice_label(ForecastChoice::Stage),
        ForecastFilter::Pipeline => category_label(ForecastCategory::Pipeline),
        ForecastFilter::BestCase => category_label(ForecastCategory::BestCase),
        ForecastFilter::Commit => category_label(ForecastCategory::Commit),
        ForecastFilter::Omitted => category_label(ForecastCategory::Omitted),
    }
}

/// The form's dropdown of a deal's forecast choice, labelled by `label`; following the stage
/// says which category that gives (`stage`).
pub fn deal_forecast_combo(
    ui: &mut egui::Ui,
    label: egui::Id,
    value: &mut ForecastChoice,
    stage: ForecastCategory,
) -> egui::Response {
    let name = |choice: ForecastChoice| match choice {
        ForecastChoice::Stage => tr!(
            "Stage's category ({category})",
            category = category_label(stage)
        ),
        chosen => choice_label(chosen),
    };
    egui::ComboBox::from_id_salt((label, "deal_forecast"))
        .selected_text(ui.rtl(name(*value)))
        .show_ui(ui, |ui| {
            for choice in ForecastChoice::ALL {
                ui.selectable_value_text(value, choice, name(choice));
            }
        })
        .response
        .labelled_by(label)
}

/// A forecast category's name.
pub fn category_label(category: ForecastCategory) -> String {
    match category {
        ForecastCategory::Pipeline => crate::tr!("Pipeline"),
        ForecastCategory::BestCase => crate::tr!("Best case"),
        ForecastCategory::Commit => crate::tr!("Commit"),
        ForecastCategory::Omitted => crate::tr!("Omitted"),
    }
}

/// A forecast choice's name: a category's, or "Stage's category".
pub fn choice_label(choice: ForecastChoice) -> String {
    match choice {
        ForecastChoice::Stage => crate::tr!("Stage's category"),
        ForecastChoice::Pipeline => category_label(ForecastCategory::Pipeline),
        ForecastChoice::BestCase => category_label(ForecastCategory::BestCase),
        ForecastChoice::Commit => category_label(ForecastCategory::Commit),
        ForecastChoice::Omitted => category_label(ForecastCategory::Omitted),
    }
}

/// Paints one line of text cut with `…` at `max_width`, at the end of its reading order (a
/// Persian line keeps its first words). `anchor` is its top-left corner, or its top-right
/// corner when `right_aligned`. Returns its rect.
pub fn text_line(
    painter: &egui::Painter,
    anchor: Pos2,
    right_aligned: bool,
    text: &str,
    font: FontId,
    color: Color32,
    max_width: f32,
) -> Rect {
    let format = egui::TextFormat::simple(font, color);
    let layout = |text: &str| {
        let job = LayoutJob::single_section(text.to_owned(), format.clone());
        painter.layout_job(crate::text::bidi_job(job))
    };
    let galley = if crate::i18n::bidi::needs_reordering(text) {
        // Cut in reading order first, then put in display order.
        layout(&crate::text::fit_line(text, max_width, |t| {
            layout(t).size().x
        }))
    } else {
        let mut job = LayoutJob::single_section(text.to_owned(), format.clone());
        job.wrap = TextWrapping::truncate_at_width(max_width.max(1.0));
        painter.layout_job(job)
    };
    let x = if right_aligned {
        anchor.x - galley.size().x
    } else {
        anchor.x
    };
    let rect = Rect::from_min_size(Pos2::new(x, anchor.y), galley.size());
    painter.galley(rect.min, galley, color);
    rect
}

/// A five-pointed star, filled or outlined. Painted, since the default fonts lack ★.
pub fn paint_star(
    painter: &egui::Painter,
    center: Pos2,
    radius: f32,
    filled: bool,
    color: Color32,
) {
    let points: Vec<Pos2> = (0..10)
        .map(|i| {
            let r = if i % 2 == 0 { radius } else { radius * 0.45 };
            let angle = -std::f32::consts::FRAC_PI_2 + i as f32 * std::f32::consts::PI / 5.0;
            center + egui::vec2(angle.cos(), angle.sin()) * r
        })
        .collect();
    // A star is not convex: fill it as five triangles around the centre, then stroke the outline.
    if filled {
        for i in 0..5 {
            let outer = points[2 * i];
            let before = points[(2 * i + 9) % 10];
            let after = points[2 * i + 1];
            painter.add(egui::Shape::convex_polygon(
                vec![before, outer, after, center],
                color,
                egui::Stroke::NONE,
            ));
        }
        painter.add(egui::Shape::convex_polygon(
            (0..5).map(|i| points[2 * i + 1]).collect(),
            color,
            egui::Stroke::NONE,
        ));
    }
    painter.add(egui::Shape::closed_line(
        points,
        egui::Stroke::new(1.0, color),
    ));
}

/// Three stars, `priority` of them filled, ending at `right_top`.
pub fn paint_priority(
    painter: &egui::Painter,
    right_top: Pos2,
    size: f32,
    priority: u8,
    color: Color32,
) {
    for i in 0..3u8 {
        let center = Pos2::new(
            right_top.x - size * (2.5 - f32::from(i)) - 1.0,
            right_top.y + size / 2.0,
        );
        paint_star(painter, center, size * 0.45, i < priority, color);
    }
}

/// A clickable star for the priority field.
pub fn star_button(ui: &mut egui::Ui, filled: bool, name: String) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(22.0, 22.0), egui::Sense::click());
    let response = response.accessible_name(name);
    let color = if response.hovered() {
        super::theme::colors(ui).star.gamma_multiply(0.8)
    } else {
        super::theme::colors(ui).star
    };
    paint_star(ui.painter(), rect.center(), 9.0, filled, color);
    response
}

/// A card's white frame: a thick blue edge when selected, a thin blue one when hovered.
pub fn paint_card_frame(painter: &egui::Painter, rect: Rect, selected: bool, hovered: bool) {
    let colors = theme::colors_of(painter.ctx());
    let stroke = if selected {
        egui::Stroke::new(2.0, colors.card_selected)
    } else if hovered {
        egui::Stroke::new(1.0, colors.card_selected)
    } else {
        egui::Stroke::new(1.0, colors.card_stroke)
    };
    painter.rect(
        rect,
        theme::CARD_RADIUS,
        colors.card_fill,
        stroke,
        egui::StrokeKind::Inside,
    );
}

/// Whether a text field has the keyboard focus: single-key and app-level shortcuts (the app's
/// undo among them) stay quiet then, and the field's own keys apply.
pub fn typing(ctx: &egui::Context) -> bool {
    ctx.text_edit_focused()
}

/// A one-line field holding a number or a date in Latin digits (which it shows in order while
/// edited; the parsers read both), shown through `localize` in the language's digits while it
/// is not being edited. `id` is the field's, to know before drawing whether it is edited;
/// `edit` sets the field's size and hint.
pub fn digits_field(
    ui: &mut egui::Ui,
    id: egui::Id,
    text: &mut String,
    localize: fn(&str) -> std::borrow::Cow<'_, str>,
    edit: impl FnOnce(egui::TextEdit<'_>) -> egui::TextEdit<'_>,
) -> egui::Response {
    let editing = ui.memory(|m| m.has_focus(id));
    let shown = match localize(text) {
        std::borrow::Cow::Owned(shown) if !editing => shown,
        _ => return ui.add(edit(egui::TextEdit::singleline(text).id(id))),
    };
    let mut shown_text = shown.clone();
    // Persian digits laid out in display order, as every label is.
    let mut layouter = |ui: &egui::Ui, buffer: &dyn egui::TextBuffer, _wrap: f32| {
        let format = egui::TextFormat::simple(
            egui::TextStyle::Body.resolve(ui.style()),
            ui.visuals().text_color(),
        );
        let job = LayoutJob::single_section(buffer.as_str().to_owned(), format);
        ui.fonts_mut(|f| f.layout_job(crate::text::bidi_job(job)))
    };
    let response =
        ui.add(edit(egui::TextEdit::singleline(&mut shown_text).id(id)).layouter(&mut layouter));
    if shown_text != shown {
        *text = crate::i18n::editable(shown_text);
    }
    response
}

/// Where a [`reading_table`] is: its id, its rows' height, and the most its body may take
/// before it scrolls (None: every row).
#[derive(Clone, Copy)]
pub struct TableShape<'a> {
    pub id: &'a str,
    pub row_height: f32,
    pub height: Option<f32>,
}

impl<'a> TableShape<'a> {
    pub fn new(id: &'a str, row_height: f32) -> Self {
        TableShape {
            id,
            row_height,
            height: None,
        }
    }

    /// The same table, scrolled past `height`.
    pub fn scrolled(self, height: f32) -> Self {
        TableShape {
            height: Some(height),
            ..self
        }
    }
}

/// A striped table of `rows` rows under the `columns` (title, size, whether it holds numbers),
/// laid out in reading order (mirrored in Persian); numbers are aligned at the end of their
/// cells. `cell` draws the cell of a row and a column (indices in `columns`).
pub fn reading_table(
    ui: &mut egui::Ui,
    shape: TableShape,
    columns: &[(String, egui_extras::Column, bool)],
    rows: usize,
    mut cell: impl FnMut(&mut egui::Ui, usize, usize),
) {
    use crate::direction;
    use egui::Align;
    let mut order: Vec<usize> = (0..columns.len()).collect();
    if crate::i18n::right_to_left() {
        order.reverse();
    }
    let layout = |numeric: bool| {
        if numeric {
            direction::end_to_start(Align::Center)
        } else {
            direction::start_to_end(Align::Center)
        }
    };
    ui.vertical(|ui| {
        let mut table = egui_extras::TableBuilder::new(ui)
            .id_salt(shape.id)
            .striped(true);
        if let Some(height) = shape.height {
            table = table.min_scrolled_height(height).max_scroll_height(height);
        }
        for &i in &order {
            table = table.column(columns[i].1);
        }
        table
            .header(shape.row_height, |mut header| {
                for &i in &order {
                    let (title, _, numeric) = &columns[i];
                    header.col(|ui| {
                        ui.with_layout(layout(*numeric), |ui| {
                            ui.text(RichText::new(title).strong());
                        });
                    });
                }
            })
            .body(|body| {
                body.rows(shape.row_height, rows, |mut row| {
                    let index = row.index();
                    for &i in &order {
                        row.col(|ui| {
                            ui.with_layout(layout(columns[i].2), |ui| cell(ui, index, i));
                        });
                    }
                });
            });
    });
}
