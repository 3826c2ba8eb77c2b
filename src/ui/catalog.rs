//! The catalog: products (what deal lines are priced from) and currencies with their rates to
//! the base currency. Each is a table with an editor above it.

use crate::ui::direction;
use crate::ui::text::bidi;
use std::collections::HashMap;

use egui::{RichText, TextEdit};
use egui_extras::{Column, TableBuilder};
use rust_decimal::Decimal;

use super::app::{Action, Ctx};
use super::reply::{self, Reply, Sent};
use super::theme;
use super::unsaved;
use crate::cli::View;
use crate::command::{Change, Command};
use crate::domain::*;
use crate::i18n::{editable, format_count, format_date, format_number};
use crate::tr;
use crate::workspace::Workspace;

const ROW_HEIGHT: f32 = 26.0;

/// The Products and Currencies views.
#[derive(Default)]
pub struct CatalogView {
    product: Option<ProductEditor>,
    currency: Option<CurrencyEditor>,
    /// Deals per currency code, and the generation it was counted at.
    uses: (u64, HashMap<String, usize>),
    /// An editor's save or delete, sent: the editor closes once it is applied and stays, with
    /// what was typed and why, when it was refused.
    sent: Option<Sent<Editor>>,
}

/// Which editor sent a command.
#[derive(Clone, Copy)]
enum Editor {
    Product,
    Currency,
}

/// A product being created (id 0) or edited; numbers stay text until saved.
struct ProductEditor {
    product: Product,
    price: String,
    error: Option<String>,
}

/// A currency being created (id 0) or edited.
struct CurrencyEditor {
    currency: Currency,
    rate: String,
    date: String,
    error: Option<String>,
}

fn amount_text(value: Decimal, max_decimals: u32) -> String {
    editable(format_number(
        value,
        value.normalize().scale().min(max_decimals),
    ))
}

impl CatalogView {
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx, view: View) -> Vec<Action> {
        let ws = cx.ws;
        let mut actions = Vec::new();
        if let Some((editor, reply)) = cx.replies.take(&mut self.sent) {
            let error = match reply {
                Reply::Applied { .. } => None,
                Reply::Refused { message, .. } => Some(message),
            };
            match (editor, error) {
                (Editor::Product, None) => self.product = None,
                (Editor::Currency, None) => self.currency = None,
                (Editor::Product, error) => {
                    if let Some(editor) = &mut self.product {
                        editor.error = error;
                    }
                }
                (Editor::Currency, error) => {
                    if let Some(editor) = &mut self.currency {
                        editor.error = error;
                    }
                }
            }
        }
        ui.add_space(4.0);
        match view {
            View::Currencies => self.currencies_ui(ui, ws, &mut actions),
            _ => self.products_ui(ui, ws, &mut actions),
        }
        actions
    }

    fn products_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.label(bidi(ui, RichText::new(tr!("Products")).heading()));
            if ui.button(bidi(ui, tr!("New product"))).clicked() {
                self.product = Some(ProductEditor {
                    product: Product {
                        currency: ws.settings().base_currency.clone(),
                        active: true,
                        ..Product::default()
                    },
                    price: String::new(),
                    error: None,
                });
            }
        });
        if let Some(editor) = &mut self.product {
            match editor.ui(ui, ws) {
                Outcome::Open => {}
                Outcome::Send(command) => {
                    actions.push(reply::send(&mut self.sent, Editor::Product, command))
                }
                Outcome::Done => self.product = None,
            }
        }
        ui.add_space(6.0);
        let products = ws.products();
        if products.is_empty() {
            ui.label(
                bidi(ui, RichText::new(tr!(
                    "No products yet. Products price the lines of a deal: add one with “New product”."
                ))
                .color(theme::TEXT_MUTED)));
            return;
        }
        let mut picked = None;
        ui.vertical(|ui| {
            TableBuilder::new(ui)
                .id_salt("products")
                .striped(true)
                .column(Column::exact(110.0))
                .column(Column::initial(320.0).at_least(160.0).resizable(true))
                .column(Column::exact(120.0))
                .column(Column::exact(80.0))
                .column(Column::remainder())
                .header(ROW_HEIGHT, |mut header| {
                    for title in [
                        Field::Code.label(),
                        Field::Name.label(),
                        Field::UnitPrice.label(),
                        Field::Currency.label(),
                        Field::Active.label(),
                    ] {
                        header.col(|ui| {
                            ui.label(bidi(ui, RichText::new(title).strong()));
                        });
                    }
                })
                .body(|body| {
                    body.rows(ROW_HEIGHT, products.len(), |mut row| {
                        let p = products[row.index()];
                        row.col(|ui| {
                            ui.label(bidi(ui, &p.code));
                        });
                        row.col(|ui| {
                            if ui.link(&p.name).clicked() {
                                picked = Some(p.clone());
                            }
                        });
                        row.col(|ui| {
                            ui.label(bidi(ui, format_number(p.unit_price, 2)));
                        });
                        row.col(|ui| {
                            ui.label(bidi(ui, &p.currency));
                        });
                        row.col(|ui| {
                            ui.label(bidi(ui, if p.active { tr!("Yes") } else { tr!("No") }));
                        });
                    });
                });
        });
        if let Some(product) = picked {
            self.product = Some(ProductEditor {
                price: amount_text(product.unit_price, 2),
                product,
                error: None,
            });
        }
    }

    fn currencies_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, actions: &mut Vec<Action>) {
        let base = ws.settings().base_currency.clone();
        ui.horizontal(|ui| {
            ui.label(bidi(ui, RichText::new(tr!("Currencies")).heading()));
            if ui.button(bidi(ui, tr!("New currency"))).clicked() {
                self.currency = Some(CurrencyEditor {
                    currency: Currency {
                        id: 0,
                        code: String::new(),
                        name: String::new(),
                        rate: Decimal::ONE,
                        rate_date: ws.today(),
                        active: true,
                    },
                    rate: String::new(),
                    date: editable(format_date(ws.today())),
                    error: None,
                });
            }
        });
        ui.label(
            bidi(ui, RichText::new(tr!(
                "Every total is shown in the base currency, {base}. A rate says what one unit of a currency is worth in {base}; changing it updates every total at once.",
                base = base
            ))
            .color(theme::TEXT_MUTED)));
        if let Some(editor) = &mut self.currency {
            match editor.ui(ui, ws) {
                Outcome::Open => {}
                Outcome::Send(command) => {
                    actions.push(reply::send(&mut self.sent, Editor::Currency, command))
                }
                Outcome::Done => self.currency = None,
            }
        }
        ui.add_space(6.0);
        if self.uses.0 != ws.generation() || self.uses.1.is_empty() {
            let mut uses: HashMap<String, usize> = HashMap::new();
            for o in ws.opportunities() {
                *uses.entry(o.currency.clone()).or_default() += 1;
            }
            self.uses = (ws.generation(), uses);
        }
        let currencies = ws.currencies();
        let mut picked = None;
        let deals_in =
            |code: &str| format_count(self.uses.1.get(code).copied().unwrap_or(0) as u64);
        direction::grid_scope(ui, |ui| {
            egui::Grid::new("currencies")
                .num_columns(6)
                .striped(true)
                .spacing([18.0, 8.0])
                .show(ui, |ui| {
                    for title in [
                        Field::Code.label(),
                        Field::Name.label(),
                        Field::Rate.label(),
                        Field::RateDate.label(),
                        Field::Active.label(),
                        tr!("Deals"),
                    ] {
                        ui.label(bidi(ui, RichText::new(title).strong()));
                    }
                    ui.end_row();
                    ui.label(bidi(ui, RichText::new(&base).strong()));
                    ui.label(bidi(ui, tr!("Base currency")));
                    ui.label(bidi(ui, "1"));
                    ui.label(bidi(ui, "—"));
                    ui.label(bidi(ui, tr!("Yes")));
                    ui.label(bidi(ui, deals_in(&base)));
                    ui.end_row();
                    for c in currencies {
                        if ui
                            .link(&c.code)
                            .on_hover_text(bidi(ui, tr!("Edit")))
                            .clicked()
                        {
                            picked = Some(c.clone());
                        }
                        ui.label(bidi(ui, &c.name));
                        ui.label(bidi(
                            ui,
                            tr!(
                                "1 {code} = {value} {base}",
                                code = c.code,
                                value = amount_text(c.rate, 8),
                                base = base
                            ),
                        ));
                        ui.label(bidi(ui, format_date(c.rate_date)));
                        ui.label(bidi(ui, if c.active { tr!("Yes") } else { tr!("No") }));
                        ui.label(bidi(ui, deals_in(&c.code)));
                        ui.end_row();
                    }
                })
        });
        if let Some(currency) = picked {
            self.currency = Some(CurrencyEditor {
                rate: amount_text(currency.rate, 8),
                date: editable(format_date(currency.rate_date)),
                currency,
                error: None,
            });
        }
    }
}

/// What an editor did this frame.
enum Outcome {
    Open,
    /// Asked to save or delete: it closes once the command is applied.
    Send(Command),
    /// Cancelled.
    Done,
}

/// The editor's buttons: Save, Cancel and (for a stored record) Delete. Returns which.
fn editor_buttons(ui: &mut egui::Ui, stored: bool) -> (bool, bool, bool) {
    ui.horizontal(|ui| {
        let save = ui
            .button(bidi(ui, RichText::new(tr!("Save")).strong()))
            .clicked();
        let cancel = ui.button(bidi(ui, tr!("Cancel"))).clicked();
        let delete = stored && ui.button(bidi(ui, tr!("Delete"))).clicked();
        (save, cancel, delete)
    })
    .inner
}

/// A labelled one-line text field in a two-column grid; true when Enter was pressed in it.
fn text_row(ui: &mut egui::Ui, field: Field, text: &mut String, width: f32) -> bool {
    let label = ui.label(bidi(ui, field.label()));
    let response = ui
        .add(TextEdit::singleline(text).desired_width(width))
        .labelled_by(label.id);
    ui.end_row();
    unsaved::submitted(ui, &response)
}

fn delete_command(kind: EntityKind, id: Id) -> Command {
    Command::Change(Box::new(Change {
        remove: vec![(kind, id)],
        ..Change::default()
    }))
}

fn error_ui(ui: &mut egui::Ui, error: &Option<String>) {
    if let Some(error) = error {
        ui.label(bidi(ui, RichText::new(error).color(theme::ERROR)));
    }
}

fn editor_frame(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    egui::Frame::group(ui.style())
        .fill(theme::CARD_FILL)
        .inner_margin(egui::Margin::same(10))
        .show(ui, add);
}

impl ProductEditor {
    /// Draws the editor and says what it did.
    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Outcome {
        let mut outcome = Outcome::Open;
        let mut entered = false;
        editor_frame(ui, |ui| {
            let p = &mut self.product;
            direction::grid_scope(ui, |ui| {
                egui::Grid::new("product_editor")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        entered |= text_row(ui, Field::Code, &mut p.code, 120.0);
                        entered |= text_row(ui, Field::Name, &mut p.name, 320.0);
                        entered |= text_row(ui, Field::UnitPrice, &mut self.price, 120.0);
                        let label = ui.label(bidi(ui, Field::Currency.label()));
                        egui::ComboBox::from_id_salt("product_currency")
                            .selected_text(bidi(ui, &p.currency))
                            .show_ui(ui, |ui| {
                                for code in ws.currency_codes() {
                                    ui.selectable_value(
                                        &mut p.currency,
                                        code.clone(),
                                        bidi(ui, code),
                                    );
                                }
                            })
                            .response
                            .labelled_by(label.id);
                        ui.end_row();
                        ui.label(bidi(ui, Field::Active.label()));
                        ui.checkbox(&mut p.active, bidi(ui, tr!("Offered on new lines")));
                        ui.end_row();
                    })
            });
            error_ui(ui, &self.error);
            let (save, cancel, delete) = editor_buttons(ui, p.id != 0);
            let save = save || entered;
            if save {
                match parse_amount(Field::UnitPrice, &self.price) {
                    Ok(price) => {
                        p.unit_price = price;
                        if let Some(command) = submit(Record::Product(p.clone()), &mut self.error) {
                            outcome = Outcome::Send(command);
                        }
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            if delete {
                outcome = Outcome::Send(delete_command(EntityKind::Product, p.id));
            }
            if cancel {
                outcome = Outcome::Done;
            }
        });
        outcome
    }
}

impl CurrencyEditor {
    /// Draws the editor and says what it did.
    fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace) -> Outcome {
        let mut outcome = Outcome::Open;
        let base = ws.settings().base_currency.clone();
        let mut entered = false;
        editor_frame(ui, |ui| {
            let c = &mut self.currency;
            direction::grid_scope(ui, |ui| {
                egui::Grid::new("currency_editor")
                    .num_columns(2)
                    .spacing([10.0, 6.0])
                    .show(ui, |ui| {
                        entered |= text_row(ui, Field::Code, &mut c.code, 60.0);
                        entered |= text_row(ui, Field::Name, &mut c.name, 220.0);
                        let label = ui.label(bidi(ui, Field::Rate.label()));
                        ui.horizontal(|ui| {
                            ui.add(TextEdit::singleline(&mut self.rate).desired_width(110.0))
                                .labelled_by(label.id);
                            ui.label(bidi(ui, tr!("{base} per unit", base = base)));
                        });
                        ui.end_row();
                        entered |= text_row(ui, Field::RateDate, &mut self.date, 100.0);
                        ui.label(bidi(ui, Field::Active.label()));
                        ui.checkbox(&mut c.active, bidi(ui, tr!("Offered for new deals")));
                        ui.end_row();
                    })
            });
            error_ui(ui, &self.error);
            let (save, cancel, delete) = editor_buttons(ui, c.id != 0);
            let save = save || entered;
            if save {
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
                        if let Some(command) = submit(record, &mut self.error) {
                            outcome = Outcome::Send(command);
                        }
                    }
                    Err(e) => self.error = Some(e.to_string()),
                }
            }
            if delete {
                outcome = Outcome::Send(delete_command(EntityKind::Currency, c.id));
            }
            if cancel {
                outcome = Outcome::Done;
            }
        });
        outcome
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
