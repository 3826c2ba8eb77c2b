//! The catalog: products (what deal lines are priced from) and currencies with their rates to
//! the base currency. Each is a table with an editor above it.

use crate::direction;
use crate::ui_ext::UiExt;
use std::collections::HashMap;

use egui::{RichText, TextEdit};
use egui_extras::Column;
use rust_decimal::Decimal;

use super::app::{Action, Ctx};
use super::reply::{self, Reply, Sent};
use super::theme;
use super::unsaved::{self, Choice, Editing, FormKey, Leave};
use super::widgets::{TableShape, reading_table};
use crate::View;
use crate::command::{Change, Command};
use crate::domain::{
    Currency, EntityKind, Field, FieldError, Id, Problem, Product, Record, parse_amount,
    parse_date, parse_rate,
};
use crate::i18n::{editable, format_count, format_date, format_number};
use crate::tr;
use crate::workspace::Workspace;

const ROW_HEIGHT: f32 = 26.0;
/// Width of the labels of the editors' rows.
const LABEL_WIDTH: f32 = 130.0;
/// Width of the editor beside the table: opening it moves no row from under the pointer.
const EDITOR_WIDTH: f32 = 440.0;

/// The Products and Currencies views.
pub struct CatalogView {
    product: Option<ProductEditor>,
    currency: Option<CurrencyEditor>,
    /// Deals per currency code, and the generation it was counted at.
    uses: (u64, HashMap<String, usize>),
    /// An editor's save or delete, sent, with what to do once it is applied: the editor stays,
    /// with what was typed and why, when it was refused.
    sent: Option<Sent<(Editor, Then)>>,
    /// The question asked because the shown editor has unsaved edits and would close.
    leave: Option<Leave<Then>>,
    /// The view drawn last (Products or Currencies): its editor is the one the app asks about.
    shown: View,
}

impl Default for CatalogView {
    fn default() -> Self {
        CatalogView {
            product: None,
            currency: None,
            uses: Default::default(),
            sent: None,
            leave: None,
            shown: View::Products,
        }
    }
}

/// Which editor sent a command.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Editor {
    Product,
    Currency,
}

/// What happens once an editor may close (saved, or its edits discarded).
enum Then {
    /// It closes.
    Close,
    /// The product editor opens on this product (None: a new one).
    Product(Option<Product>),
    /// The currency editor opens on this currency (None: a new one).
    Currency(Option<Currency>),
}

/// What the user asked an editor for this frame.
#[derive(Clone, Copy)]
enum Ask {
    /// Save (its button, Enter in a field, Ctrl+Enter).
    Save,
    /// Close (Cancel, Escape): asks first when there are unsaved edits.
    Close,
    Delete,
}

/// A product being created (id 0) or edited; numbers stay text until saved.
struct ProductEditor {
    product: Product,
    price: String,
    /// What the editor opened with: anything else is an unsaved edit.
    opened: (Product, String),
    error: Option<String>,
}

/// A currency being created (id 0) or edited.
struct CurrencyEditor {
    currency: Currency,
    rate: String,
    date: String,
    /// What the editor opened with: anything else is an unsaved edit.
    opened: (Currency, String, String),
    error: Option<String>,
}

fn amount_text(value: Decimal, max_decimals: u32) -> String {
    editable(format_number(
        value,
        value.normalize().scale().min(max_decimals),
    ))
}

impl CatalogView {
    /// Draws the products or the currencies, as `cx.view` says.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let ws = cx.ws;
        self.shown = cx.view;
        let mut actions = Vec::new();
        if let Some(((editor, then), reply)) = cx.replies.take(&mut self.sent) {
            match reply {
                Reply::Applied { .. } => self.go(ws, editor, then),
                Reply::Refused { message, .. } => match editor {
                    Editor::Product => {
                        if let Some(e) = &mut self.product {
                            e.error = Some(message);
                        }
                    }
                    Editor::Currency => {
                        if let Some(e) = &mut self.currency {
                            e.error = Some(message);
                        }
                    }
                },
            }
        }
        self.leave_ui(ui.ctx(), ws, &mut actions);
        ui.add_space(4.0);
        match cx.view {
            View::Currencies => self.currencies_ui(ui, ws, &mut actions),
            _ => self.products_ui(ui, ws, &mut actions),
        }
        actions
    }

    /// The editor of the view shown.
    fn shown_editor(&self) -> Editor {
        match self.shown {
            View::Currencies => Editor::Currency,
            _ => Editor::Product,
        }
    }

    /// The shown editor's record name when it has unsaved edits.
    fn unsaved_record(&self) -> Option<String> {
        match self.shown_editor() {
            Editor::Product => self
                .product
                .as_ref()
                .filter(|e| e.dirty())
                .map(ProductEditor::title),
            Editor::Currency => self
                .currency
                .as_ref()
                .filter(|e| e.dirty())
                .map(CurrencyEditor::title),
        }
    }

    /// The command saving the shown editor, or None (it then says what is wrong).
    fn save_command(&mut self, ws: &Workspace) -> Option<Command> {
        match self.shown_editor() {
            Editor::Product => self.product.as_mut()?.command(),
            Editor::Currency => self.currency.as_mut()?.command(ws),
        }
    }

    /// Goes on to `then`, first asking when the shown editor has unsaved edits.
    fn leave_then(&mut self, ws: &Workspace, then: Then) {
        if self.unsaved_record().is_some() {
            self.leave = Some(Leave { then });
        } else {
            self.go(ws, self.shown_editor(), then);
        }
    }

    /// Does `then` once `editor` may close.
    fn go(&mut self, ws: &Workspace, editor: Editor, then: Then) {
        match then {
            Then::Close => match editor {
                Editor::Product => self.product = None,
                Editor::Currency => self.currency = None,
            },
            Then::Product(product) => self.product = Some(ProductEditor::open(ws, product)),
            Then::Currency(currency) => self.currency = Some(CurrencyEditor::open(ws, currency)),
        }
    }

    /// The "Save / Discard / Keep editing" question, while it is asked.
    fn leave_ui(&mut self, ctx: &egui::Context, ws: &Workspace, actions: &mut Vec<Action>) {
        let Some(leave) = &self.leave else {
            return;
        };
        let record = self.unsaved_record().unwrap_or_default();
        let Some(choice) = leave.ui(ctx, &record) else {
            return;
        };
        let Some(Leave { then }) = self.leave.take() else {
            return;
        };
        let editor = self.shown_editor();
        match choice {
            Choice::Keep => {}
            Choice::Discard => self.go(ws, editor, then),
            Choice::Save => {
                if let Some(command) = self.save_command(ws) {
                    actions.push(reply::send(&mut self.sent, (editor, then), command));
                }
            }
        }
    }

    /// Does what the shown editor was asked for.
    fn answer(&mut self, ws: &Workspace, ask: Ask, actions: &mut Vec<Action>) {
        let editor = self.shown_editor();
        let command = match ask {
            Ask::Close => return self.leave_then(ws, Then::Close),
            Ask::Save => self.save_command(ws),
            Ask::Delete => match editor {
                Editor::Product => self
                    .product
                    .as_ref()
                    .map(|e| delete_command(EntityKind::Product, e.product.id)),
                Editor::Currency => self
                    .currency
                    .as_ref()
                    .map(|e| delete_command(EntityKind::Currency, e.currency.id)),
            },
        };
        if let Some(command) = command {
            actions.push(reply::send(&mut self.sent, (editor, Then::Close), command));
        }
    }

    fn products_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.text(RichText::new(tr!("Products")).heading());
            if ui.button_text(tr!("New product")).clicked() {
                self.leave_then(ws, Then::Product(None));
            }
        });
        let ask = self
            .product
            .as_mut()
            .and_then(|e| editor_panel(ui, "product_editor", |ui| e.ui(ui, ws)));
        if let Some(ask) = ask {
            self.answer(ws, ask, actions);
        }
        ui.add_space(6.0);
        let products = ws.products();
        if products.is_empty() {
            ui.text(
                RichText::new(tr!(
                    "No products yet. Products price the lines of a deal: add one with “New product”."
                ))
                .color(theme::colors(ui).text_muted));
            return;
        }
        let mut picked = None;
        let columns = [
            (Field::Code.label(), Column::exact(110.0), false),
            (
                Field::Name.label(),
                Column::initial(320.0).at_least(160.0).resizable(true),
                false,
            ),
            (Field::UnitPrice.label(), Column::exact(120.0), true),
            (Field::Currency.label(), Column::exact(80.0), false),
            (Field::Active.label(), Column::remainder(), false),
        ];
        reading_table(
            ui,
            TableShape::new("products", ROW_HEIGHT),
            &columns,
            products.len(),
            |ui, row, column| {
                let p = products[row];
                match column {
                    0 => {
                        ui.text(&p.code);
                    }
                    1 => {
                        if ui.link_text(&p.name).clicked() {
                            picked = Some(p.clone());
                        }
                    }
                    2 => {
                        ui.text(format_number(p.unit_price, 2));
                    }
                    3 => {
                        ui.text(&p.currency);
                    }
                    _ => {
                        ui.text(if p.active { tr!("Yes") } else { tr!("No") });
                    }
                }
            },
        );
        if let Some(product) = picked {
            self.leave_then(ws, Then::Product(Some(product)));
        }
    }

    fn currencies_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        let base = ws.settings().base_currency.clone();
        ui.horizontal(|ui| {
            ui.text(RichText::new(tr!("Currencies")).heading());
            if ui.button_text(tr!("New currency")).clicked() {
                self.leave_then(ws, Then::Currency(None));
            }
        });
        ui.text(
            RichText::new(tr!(
                "Every total is shown in the base currency, {base}. A rate says what one unit of a currency is worth in {base}; changing it updates every total at once.",
                base = base
            ))
            .color(theme::colors(ui).text_muted));
        let ask = self
            .currency
            .as_mut()
            .and_then(|e| editor_panel(ui, "currency_editor", |ui| e.ui(ui, ws)));
        if let Some(ask) = ask {
            self.answer(ws, ask, actions);
        }
        ui.add_space(6.0);
        self.count_uses(ws);
        let currencies = ws.currencies();
        if let Some(currency) = currencies_table_ui(ui, &currencies, &base, &self.uses.1) {
            self.leave_then(ws, Then::Currency(Some(currency)));
        }
    }

    /// Counts the deals in each currency, again once the data changed.
    fn count_uses(&mut self, ws: &Workspace) {
        if self.uses.0 != ws.generation() || self.uses.1.is_empty() {
            let mut uses: HashMap<String, usize> = HashMap::new();
            for o in ws.opportunities() {
                *uses.entry(o.currency.clone()).or_default() += 1;
            }
            self.uses = (ws.generation(), uses);
        }
    }
}

impl Editing for CatalogView {
    fn unsaved(&self) -> Option<String> {
        self.unsaved_record()
    }

    fn save(&mut self, ws: &Workspace) -> Option<Command> {
        self.save_command(ws)
    }

    fn discard(&mut self, ws: &Workspace) {
        self.go(ws, self.shown_editor(), Then::Close);
    }
}

/// The editor's buttons: Save, Cancel and (for a stored record) Delete, set apart from the
/// others so it is not clicked for them.
fn editor_buttons(ui: &mut egui::Ui, stored: bool) -> Option<Ask> {
    let mut ask = None;
    ui.horizontal(|ui| {
        if ui
            .button_text(RichText::new(tr!("Save")).strong())
            .clicked()
        {
            ask = Some(Ask::Save);
        }
        if ui.button_text(tr!("Cancel")).clicked() {
            ask = Some(Ask::Close);
        }
        if stored {
            ui.add_space(24.0);
            if ui.button_text(tr!("Delete")).clicked() {
                ask = Some(Ask::Delete);
            }
        }
    });
    ask
}

/// A labelled one-line text field on a row of its own; true when Enter was pressed in it.
fn text_row(ui: &mut egui::Ui, field: Field, text: &mut String, width: f32) -> bool {
    let label = ui.rtl(field.label());
    direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
        let response = ui
            .add(TextEdit::singleline(text).desired_width(width))
            .labelled_by(label);
        unsaved::submitted(ui, &response)
    })
}

/// The currencies' table, the base currency first; the currency whose code was clicked.
fn currencies_table_ui(
    ui: &mut egui::Ui,
    currencies: &[&Currency],
    base: &str,
    uses: &HashMap<String, usize>,
) -> Option<Currency> {
    let mut picked = None;
    let deals_in = |code: &str| format_count(uses.get(code).copied().unwrap_or(0) as u64);
    let columns = [
        (Field::Code.label(), Column::exact(80.0), false),
        (
            Field::Name.label(),
            Column::initial(240.0).at_least(120.0).resizable(true),
            false,
        ),
        (
            Field::Rate.label(),
            Column::initial(220.0).at_least(120.0),
            true,
        ),
        (Field::RateDate.label(), Column::exact(110.0), false),
        (Field::Active.label(), Column::exact(70.0), false),
        (tr!("Deals"), Column::exact(70.0), true),
    ];
    // The base currency comes first, then the others.
    reading_table(
        ui,
        TableShape::new("currencies", ROW_HEIGHT),
        &columns,
        currencies.len() + 1,
        |ui, row, column| {
            let Some(c) = row.checked_sub(1).map(|i| currencies[i]) else {
                let text = match column {
                    0 => RichText::new(base).strong(),
                    1 => RichText::new(tr!("Base currency")),
                    2 => RichText::new("1"),
                    3 => RichText::new("—"),
                    4 => RichText::new(tr!("Yes")),
                    _ => RichText::new(deals_in(base)),
                };
                ui.text(text);
                return;
            };
            match column {
                0 => {
                    if ui
                        .link_text(&c.code)
                        .on_hover_text(ui.rtl(tr!("Edit")))
                        .clicked()
                    {
                        picked = Some(c.clone());
                    }
                }
                1 => {
                    ui.text(&c.name);
                }
                2 => {
                    ui.text(tr!(
                        "1 {code} = {value} {base}",
                        code = c.code,
                        value = amount_text(c.rate, 8),
                        base = base
                    ));
                }
                3 => {
                    ui.text(format_date(c.rate_date));
                }
                4 => {
                    ui.text(if c.active { tr!("Yes") } else { tr!("No") });
                }
                _ => {
                    ui.text(deals_in(&c.code));
                }
            }
        },
    );
    picked
}

fn delete_command(kind: EntityKind, id: Id) -> Command {
    Command::Change(Box::new(Change {
        remove: vec![(kind, id)],
        ..Change::default()
    }))
}

fn error_ui(ui: &mut egui::Ui, error: Option<&str>) {
    if let Some(error) = error {
        ui.text(RichText::new(error).color(theme::colors(ui).error));
    }
}

/// A panel at the end of the view (the right, the left in Persian) holding an editor.
fn editor_panel<R>(ui: &mut egui::Ui, id: &'static str, add: impl FnOnce(&mut egui::Ui) -> R) -> R {
    direction::end_panel(id)
        .resizable(false)
        .exact_size(EDITOR_WIDTH)
        .show_separator_line(false)
        .frame(egui::Frame::new().inner_margin(egui::Margin::symmetric(8, 0)))
        .show(ui, |ui| direction::reading(ui, add).inner)
        .inner
}

/// The frame of an editor, under its title and the unsaved marker; what it was asked for this
/// frame (Ctrl+Enter saves, Escape closes, as in every form).
fn editor_frame(
    ui: &mut egui::Ui,
    title: &str,
    dirty: bool,
    add: impl FnOnce(&mut egui::Ui) -> Option<Ask>,
) -> Option<Ask> {
    let key = match unsaved::form_key(ui) {
        Some(FormKey::Save) => Some(Ask::Save),
        Some(FormKey::Close) => Some(Ask::Close),
        None => None,
    };
    egui::Frame::group(ui.style())
        .fill(theme::colors(ui).card_fill)
        .inner_margin(egui::Margin::same(10))
        .show(ui, |ui| {
            ui.horizontal(|ui| {
                ui.text(RichText::new(title).strong().size(15.0));
                unsaved::marker(ui, dirty);
            });
            ui.add_space(4.0);
            add(ui).or(key)
        })
        .inner
}

impl ProductEditor {
    /// An editor on `product`, or on a new one in the base currency.
    fn open(ws: &Workspace, product: Option<Product>) -> Self {
        let product = product.unwrap_or_else(|| Product {
            currency: ws.settings().base_currency.clone(),
            active: true,
            ..Product::default()
        });
        let price = if product.id == 0 {
            String::new()
        } else {
            amount_text(product.unit_price, 2)
        };
        ProductEditor {
            opened: (product.clone(), price.clone()),
            product,
            price,
            error: None,
        }
    }

    fn dirty(&self) -> bool {
        self.opened.0 != self.product || self.opened.1 != self.price
    }

    /// The product's name as stored, for the title and the unsaved-edits question.
    fn title(&self) -> String {
        if self.product.id == 0 {
            tr!("New product")
        } else {
            self.opened.0.name.clone()
        }
    }

    /// The command saving the product as typed; None, with the reason shown, when it is wrong.
    fn command(&mut self) -> Option<Command> {
        match parse_amount(Field::UnitPrice, &self.price) {
            Ok(price) => {
                let product = Product {
                    unit_price: price,
                    ..self.product.clone()
                };
                submit(Record::Product(product), &mut self.error)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    /// Draws the editor; what the user asked of it this frame.
    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<Ask> {
        let (title, dirty) = (self.title(), self.dirty());
        let ask = editor_frame(ui, &title, dirty, |ui| {
            let p = &mut self.product;
            let mut entered = false;
            entered |= text_row(ui, Field::Code, &mut p.code, 120.0);
            entered |= text_row(ui, Field::Name, &mut p.name, 320.0);
            entered |= text_row(ui, Field::UnitPrice, &mut self.price, 120.0);
            let label = ui.rtl(Field::Currency.label());
            direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
                egui::ComboBox::from_id_salt("product_currency")
                    .selected_text(ui.rtl(&p.currency))
                    .show_ui(ui, |ui| {
                        for code in ws.currency_codes() {
                            ui.selectable_value_text(&mut p.currency, code.clone(), code);
                        }
                    })
                    .response
                    .labelled_by(label);
            });
            let label = ui.rtl(Field::Active.label());
            direction::field_row(ui, LABEL_WIDTH, label, |ui, _| {
                ui.checkbox_text(&mut p.active, tr!("Offered on new lines"));
            });
            // Under the buttons: a refusal moves nothing the pointer is on.
            let ask = editor_buttons(ui, p.id != 0);
            error_ui(ui, self.error.as_deref());
            if entered { Some(Ask::Save) } else { ask }
        });
        if self.dirty() != dirty {
            // The marker follows the typing at once.
            ui.ctx().request_repaint();
        }
        ask
    }
}

impl CurrencyEditor {
    /// An editor on `currency`, or on a new one rated today.
    fn open(ws: &Workspace, currency: Option<Currency>) -> Self {
        let (currency, rate) = match currency {
            Some(c) => {
                let rate = amount_text(c.rate, 8);
                (c, rate)
            }
            None => (
                Currency {
                    id: 0,
                    code: String::new(),
                    name: String::new(),
                    rate: Decimal::ONE,
                    rate_date: ws.today(),
                    active: true,
                },
                String::new(),
            ),
        };
        let date = editable(format_date(currency.rate_date));
        CurrencyEditor {
            opened: (currency.clone(), rate.clone(), date.clone()),
            currency,
            rate,
            date,
            error: None,
        }
    }

    fn dirty(&self) -> bool {
        self.opened.0 != self.currency || self.opened.1 != self.rate || self.opened.2 != self.date
    }

    /// The currency's code as stored, for the title and the unsaved-edits question.
    fn title(&self) -> String {
        if self.currency.id == 0 {
            tr!("New currency")
        } else {
            self.opened.0.code.clone()
        }
    }

    /// The command saving the currency as typed; None, with the reason shown, when it is
    /// wrong.
    fn command(&mut self, ws: &Workspace) -> Option<Command> {
        let c = &self.currency;
        let parsed = parse_rate(&self.rate).and_then(|rate| {
            let date = parse_date(Field::RateDate, &self.date)?
                .ok_or_else(|| FieldError::new(Field::RateDate, Problem::Required))?;
            Ok((rate, date))
        });
        match parsed {
            Ok((rate, date)) => {
                // A new rate without a new date was set today.
                let rate_date = if rate != c.rate && date == c.rate_date {
                    ws.today()
                } else {
                    date
                };
                let record = Record::Currency(Currency {
                    rate,
                    rate_date,
                    ..c.clone()
                });
                submit(record, &mut self.error)
            }
            Err(e) => {
                self.error = Some(e.to_string());
                None
            }
        }
    }

    /// Draws the editor; what the user asked of it this frame.
    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Option<Ask> {
        let base = ws.settings().base_currency.clone();
        let (title, dirty) = (self.title(), self.dirty());
        let ask = editor_frame(ui, &title, dirty, |ui| {
            let c = &mut self.currency;
            let mut entered = false;
            entered |= text_row(ui, Field::Code, &mut c.code, 60.0);
            entered |= text_row(ui, Field::Name, &mut c.name, 220.0);
            let label = ui.rtl(Field::Rate.label());
            entered |= direction::field_row(ui, LABEL_WIDTH, label, |ui, label| {
                ui.horizontal(|ui| {
                    let field = ui
                        .add(TextEdit::singleline(&mut self.rate).desired_width(110.0))
                        .labelled_by(label);
                    ui.text(tr!("{base} per unit", base = base));
                    unsaved::submitted(ui, &field)
                })
                .inner
            });
            entered |= text_row(ui, Field::RateDate, &mut self.date, 100.0);
            let label = ui.rtl(Field::Active.label());
            direction::field_row(ui, LABEL_WIDTH, label, |ui, _| {
                ui.checkbox_text(&mut c.active, tr!("Offered for new deals"));
            });
            // Under the buttons: a refusal moves nothing the pointer is on.
            let ask = editor_buttons(ui, c.id != 0);
            error_ui(ui, self.error.as_deref());
            if entered { Some(Ask::Save) } else { ask }
        });
        if self.dirty() != dirty {
            ui.ctx().request_repaint();
        }
        ask
    }
}

/// Checks an edited record: the command saving it when it is right, else why not in `error`.
fn submit(mut record: Record, error: &mut Option<String>) -> Option<Command> {
    match record.normalize_and_validate() {
        Ok(()) => Some(Command::Change(Box::new(Change::put(record)))),
        Err(errors) => {
            let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
            *error = Some(text.join("; "));
            None
        }
    }
}
