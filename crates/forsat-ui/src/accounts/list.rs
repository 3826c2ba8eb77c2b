//! The account list: every account by name, narrowed by the search.

use crate::direction;
use crate::ui_ext::UiExt;
use egui::{Color32, FontId, RichText, Sense, TextEdit, vec2};

use super::{AccountsView, Switch};
use crate::domain::{Account, Id};
use crate::i18n::format_count;
use crate::theme;
use crate::widgets::text_line;
use crate::workspace::Workspace;
use crate::{tr, trn};

/// Height of a row of the list (name over industry); fixed, so only visible rows are laid out.
const ROW_HEIGHT: f32 = 44.0;

/// Every account by name, and those the search shows.
#[derive(Default)]
pub(super) struct AccountList {
    /// The data generation `sorted` was built at; None before the first build.
    generation: Option<u64>,
    /// Every account by name, with its name in lower case for the search.
    sorted: Vec<(Id, String)>,
    /// The search `shown` was filtered with.
    search: String,
    pub(super) shown: Vec<Id>,
}

impl AccountList {
    pub(super) fn refresh(&mut self, ws: &Workspace, search: &str) {
        let stale = self.generation != Some(ws.generation());
        if stale {
            self.sorted = ws
                .accounts_by_name()
                .into_iter()
                .map(|a| (a.id, a.name.to_lowercase()))
                .collect();
            self.generation = Some(ws.generation());
        }
        if stale || self.search != search {
            let needle = search.trim().to_lowercase();
            self.shown = self
                .sorted
                .iter()
                .filter(|(_, name)| name.contains(&needle))
                .map(|(id, _)| *id)
                .collect();
            self.search = search.to_owned();
        }
    }

    /// Up to `limit` accounts other than `except` whose name contains `text`, by name.
    pub(super) fn matching(&self, text: &str, except: Id, limit: usize) -> Vec<Id> {
        let needle = text.trim().to_lowercase();
        self.sorted
            .iter()
            .filter(|(id, name)| *id != except && name.contains(&needle))
            .take(limit)
            .map(|(id, _)| *id)
            .collect()
    }
}

/// One account of the list: its name over its industry; selected, it is highlighted.
fn account_row_ui(ui: &mut egui::Ui, account: &Account, selected: bool) -> egui::Response {
    let size = vec2(ui.available_width(), ROW_HEIGHT);
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    response.widget_info(|| {
        egui::WidgetInfo::selected(egui::Role::ListItem, true, selected, &account.name)
    });
    if ui.is_rect_visible(rect) {
        let painter = ui.painter();
        let fill = if selected {
            theme::colors(ui).selected_fill
        } else if response.hovered() {
            theme::colors(ui).column_fill
        } else {
            Color32::TRANSPARENT
        };
        painter.rect_filled(rect, 0, fill);
        // The row reads from where reading starts: from the right in Persian.
        let rtl = crate::i18n::right_to_left();
        if selected {
            let x = if rtl { rect.right() - 3.0 } else { rect.left() };
            let bar =
                egui::Rect::from_min_size(egui::pos2(x, rect.top()), vec2(3.0, rect.height()));
            painter.rect_filled(bar, 0, theme::colors(ui).card_selected);
        }
        let width = rect.width() - 24.0;
        let left = if rtl {
            rect.right_top() + vec2(-12.0, 6.0)
        } else {
            rect.left_top() + vec2(12.0, 6.0)
        };
        text_line(
            painter,
            left,
            rtl,
            &account.name,
            FontId::proportional(14.0),
            theme::colors(ui).text_strong,
            width,
        );
        let industry = if account.industry.is_empty() {
            "—"
        } else {
            account.industry.as_str()
        };
        text_line(
            painter,
            left + vec2(0.0, 19.0),
            rtl,
            industry,
            FontId::proportional(12.0),
            theme::colors(ui).text_muted,
            width,
        );
        painter.hline(
            rect.x_range(),
            rect.bottom() - 0.5,
            egui::Stroke::new(1.0, theme::colors(ui).card_stroke),
        );
    }
    response.on_hover_cursor(egui::CursorIcon::PointingHand)
}

impl AccountsView {
    /// The search, the New button and the virtualised list; where the user asked to go.
    pub(super) fn list_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<Switch> {
        let mut switch = None;
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            let total = self.list.sorted.len() as u64;
            let shown = self.list.shown.len() as u64;
            let count = if shown == total {
                trn!(total, "{n} accounts")
            } else {
                trn!(
                    total,
                    "{shown} of {n} accounts",
                    shown = format_count(shown)
                )
            };
            ui.text(
                RichText::new(count)
                    .strong()
                    .color(theme::colors(ui).text_strong),
            );
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                if ui.button_text(tr!("New account")).clicked() {
                    switch = Some(Switch::New);
                }
            });
        });
        ui.add(
            TextEdit::singleline(&mut self.search)
                .hint_text(ui.rtl(tr!("Search accounts by name")))
                .desired_width(f32::INFINITY),
        )
        .accessible_name(tr!("Search accounts"));
        // A search typed this frame filters at once.
        self.list.refresh(ws, &self.search);
        ui.add_space(4.0);
        let ids = &self.list.shown;
        if ids.is_empty() {
            let text = if self.list.sorted.is_empty() {
                tr!("No accounts yet.")
            } else {
                tr!("No account matches “{text}”.", text = self.search.trim())
            };
            ui.text(RichText::new(text).color(theme::colors(ui).text_muted));
            return switch;
        }
        let selected = self.detail.as_ref().and_then(|d| d.id);
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("accounts_rows")
            .auto_shrink(false);
        if std::mem::take(&mut self.reveal)
            && let Some(index) = selected.and_then(|id| ids.iter().position(|x| *x == id))
        {
            // Rows are packed without spacing (below): row i starts at i × ROW_HEIGHT.
            let visible = ui.available_height();
            let offset = (index as f32 * ROW_HEIGHT - visible / 2.0).max(0.0);
            scroll = scroll.vertical_scroll_offset(offset);
        }
        let mut clicked = None;
        ui.scope(|ui| {
            ui.spacing_mut().item_spacing.y = 0.0;
            scroll.show_rows(ui, ROW_HEIGHT, ids.len(), |ui, range| {
                ui.spacing_mut().item_spacing.y = 0.0;
                for id in &ids[range] {
                    if let Some(account) = ws.account(*id)
                        && account_row_ui(ui, account, selected == Some(*id)).clicked()
                    {
                        clicked = Some(*id);
                    }
                }
            });
        });
        switch.or(clicked.map(Switch::Pick))
    }
}
