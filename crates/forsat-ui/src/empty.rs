//! What the board and the list show instead of empty columns: on a file with no deals, the
//! ways to get some; when the search hides every deal, a way back to all of them.

use egui::RichText;

use super::app::{Action, Ctx};
use super::theme;
use crate::command::Command;
use crate::domain::{Id, StageKind};
use crate::interchange::Source;
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::{Filter, Workspace};

/// Why a view of deals has nothing to show, if it has not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Empty {
    /// The file holds no deal outside the trash.
    NoDeals,
    /// Deals exist, but the search or filters hide them all.
    NoMatch,
    /// The list's trash view, with nothing in the trash.
    NothingInTrash,
}

impl Empty {
    /// Why nothing is shown, when `shown` deals are: none in the file, or none let through
    /// by a search or filter (`filtered`). An unfiltered pipeline without deals while others
    /// have some is not empty: its columns are what there is to see.
    pub fn of(ws: &Workspace, shown: usize, filtered: bool, trash_view: bool) -> Option<Empty> {
        if shown > 0 {
            None
        } else if trash_view {
            Some(Empty::NothingInTrash)
        } else if ws.opportunity_count() == ws.trash_count() {
            Some(Empty::NoDeals)
        } else {
            filtered.then_some(Empty::NoMatch)
        }
    }
}

/// The message and its buttons in the middle of the area left. A deal added goes to the first
/// open stage of the pipeline shown.
pub fn empty_ui(ui: &mut egui::Ui, cx: &Ctx, empty: Empty) -> Option<Action> {
    let mut action = None;
    // Centred in what is left of the view, as one block.
    let height = match empty {
        Empty::NoDeals => 170.0,
        _ => 80.0,
    };
    ui.add_space(((ui.available_height() - height) / 2.0).max(12.0));
    ui.vertical_centered(|ui| {
        let (title, detail) = match empty {
            Empty::NoDeals => (
                tr!("No deals yet"),
                tr!("Add your first deal, bring them from another CRM, or look around with a sample pipeline."),
            ),
            Empty::NoMatch => (
                tr!("No deal matches the search/filter"),
                tr!("The deals are there: the search or the filters hide them all."),
            ),
            Empty::NothingInTrash => (tr!("The trash is empty"), String::new()),
        };
        ui.text(RichText::new(title).heading().color(theme::colors(ui).text_strong));
        if !detail.is_empty() {
            ui.text(RichText::new(detail).color(theme::colors(ui).text_muted));
        }
        ui.add_space(10.0);
        match empty {
            Empty::NoDeals => action = offers_ui(ui, cx.ws, cx.pipeline),
            Empty::NoMatch => {
                let clear = ui
                    .button_text(tr!("Clear filters"))
                    .accessible_name(tr!("Clear filters and show every deal"));
                if clear.clicked() {
                    action = Some(Action::SetFilter(Filter::default()));
                }
            }
            Empty::NothingInTrash => {}
        }
    });
    action
}

/// Add a deal, import one of the files other CRMs export, or load the sample.
fn offers_ui(ui: &mut egui::Ui, ws: &Workspace, pipeline: Id) -> Option<Action> {
    let mut action = None;
    let first_open = ws
        .stages_of(pipeline)
        .find(|s| s.kind == StageKind::Open)
        .map(|s| s.id);
    if let Some(stage) = first_open
        && ui
            .button_text(RichText::new(tr!("Add a deal")).strong())
            .clicked()
    {
        action = Some(Action::New { stage });
    }
    ui.add_space(6.0);
    // One row, centred: its width is known only once laid out, so it is measured first.
    let sources = [
        (Source::Odoo, "Odoo"),
        (Source::Pipedrive, "Pipedrive"),
        (Source::Suitecrm, "SuiteCRM"),
        (Source::Auto, "CSV…"),
    ];
    // One row, centred: its width is known once laid out, so the last frame's is used (and
    // the frame drawn again when it changed). Symmetric, so it holds right to left too.
    let id = ui.make_persistent_id("import_row_width");
    let width: f32 = ui.data(|d| d.get_temp(id)).unwrap_or(0.0);
    let room = ui.available_width();
    ui.horizontal(|ui| {
        ui.add_space(((room - width) / 2.0).max(0.0));
        let row = ui.horizontal(|ui| {
            ui.text(tr!("Import from"));
            for (source, name) in sources {
                let button = ui
                    .button_text(name)
                    .accessible_name(tr!("Import from {source}", source = name));
                if button.clicked() {
                    action = Some(Action::Import(source));
                }
            }
        });
        let used = row.response.rect.width();
        if (used - width).abs() > 0.5 {
            ui.data_mut(|d| d.insert_temp(id, used));
            ui.ctx().request_discard("centre the import row");
        }
    });
    ui.add_space(6.0);
    let sample = ui
        .button_text(tr!("Load the sample pipeline"))
        .on_hover_text(ui.rtl(tr!(
        "Three dozen made-up deals in this file's stages; File → Clear sample data… removes them"
    )));
    if sample.clicked() {
        let batch = crate::demo::sample(ws);
        action = Some(Action::Apply(Command::LoadSample(Box::new(batch))));
    }
    action
}
