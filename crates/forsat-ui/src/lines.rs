//! The product lines of a deal on its form: product, quantity, unit price, discount and the
//! line total, kept in step as the user types.

use crate::direction;
use crate::ui_ext::UiExt;
use egui::{RichText, TextEdit};
use rust_decimal::Decimal;

use super::theme;
use crate::domain::{
    Field, FieldError, Id, Line, Problem, parse_amount, parse_discount, parse_quantity,
};
use crate::i18n::{editable, format_money_cents, format_number};
use crate::workspace::Workspace;
use crate::{tr, trn};

/// One line as typed: the numbers stay text until they parse.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    product: Option<Id>,
    description: String,
    quantity: String,
    unit_price: String,
    discount: String,
}

impl Row {
    fn of(line: &Line) -> Row {
        let number =
            |d: Decimal, max: u32| editable(format_number(d, d.normalize().scale().min(max)));
        Row {
            product: line.product,
            description: line.description.clone(),
            quantity: number(line.quantity, 3),
            unit_price: number(line.unit_price, 2),
            discount: number(line.discount_pct, 2),
        }
    }

    fn parse(&self) -> Result<Line, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut line = Line {
            product: self.product,
            description: self.description.trim().to_owned(),
            quantity: Decimal::ONE,
            unit_price: Decimal::ZERO,
            discount_pct: Decimal::ZERO,
        };
        match parse_quantity(&self.quantity) {
            Ok(q) => line.quantity = q,
            Err(e) => errors.push(e),
        }
        match parse_amount(Field::UnitPrice, &self.unit_price) {
            Ok(p) => line.unit_price = p,
            Err(e) => errors.push(e),
        }
        match parse_discount(&self.discount) {
            Ok(d) => line.discount_pct = d,
            Err(e) => errors.push(e),
        }
        if line.product.is_none() && line.description.is_empty() {
            errors.push(FieldError::new(Field::Product, Problem::Required));
        }
        if errors.is_empty() {
            line.validate()?;
            Ok(line)
        } else {
            Err(errors)
        }
    }
}

/// The lines being edited.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinesEditor {
    rows: Vec<Row>,
}

impl LinesEditor {
    pub fn new(lines: &[Line]) -> LinesEditor {
        LinesEditor {
            rows: lines.iter().map(Row::of).collect(),
        }
    }

    /// The lines, or every problem, each naming its line ("Line 2: Quantity: …").
    pub fn parse(&self) -> Result<Vec<Line>, Vec<String>> {
        let mut lines = Vec::with_capacity(self.rows.len());
        let mut errors = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            match row.parse() {
                Ok(line) => lines.push(line),
                Err(found) => errors.extend(
                    found
                        .iter()
                        .map(|e| trn!(i + 1, "Line {n}: {error}", error = e)),
                ),
            }
        }
        if errors.is_empty() {
            Ok(lines)
        } else {
            Err(errors)
        }
    }

    /// The sum of the lines that parse: what the amount shows while the user types.
    pub fn total(&self) -> Decimal {
        self.rows
            .iter()
            .filter_map(|r| r.parse().ok())
            .map(|l| l.total())
            .sum()
    }

    /// Draws the lines as a table with an "Add line" button; prices are in `currency`.
    pub fn ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, currency: &str) {
        let mut remove = None;
        direction::grid_scope(ui, |ui| {
            egui::Grid::new("lines_grid")
                .num_columns(6)
                .spacing([6.0, 4.0])
                .striped(true)
                .show(ui, |ui| {
                    for header in [
                        Field::Product.label(),
                        Field::Quantity.label(),
                        Field::UnitPrice.label(),
                        Field::Discount.label(),
                        tr!("Total"),
                        String::new(),
                    ] {
                        ui.text(
                            RichText::new(header)
                                .small()
                                .color(theme::colors(ui).text_muted),
                        );
                    }
                    ui.end_row();
                    for (i, row) in self.rows.iter_mut().enumerate() {
                        let n = i + 1;
                        product_combo(ui, ws, row, currency, n);
                        for (text, width, what) in [
                            (&mut row.quantity, 44.0, Field::Quantity),
                            (&mut row.unit_price, 76.0, Field::UnitPrice),
                            (&mut row.discount, 40.0, Field::Discount),
                        ] {
                            let name = trn!(n, "Line {n} {field}", field = what.label());
                            // Sized explicitly: a grid cell would otherwise shrink it to its header.
                            let edit = ui.add_sized([width, 20.0], TextEdit::singleline(text));
                            edit.accessible_name(name);
                        }
                        match row.parse() {
                            Ok(line) => ui.text(format_money_cents(line.total(), currency)),
                            Err(errors) => ui
                                .text(RichText::new("—").color(theme::colors(ui).error))
                                .on_hover_text(
                                    ui.rtl(
                                        errors
                                            .iter()
                                            .map(ToString::to_string)
                                            .collect::<Vec<_>>()
                                            .join("\n"),
                                    ),
                                ),
                        };
                        if ui
                            .small_button_text(tr!("Remove"))
                            .on_hover_text(ui.rtl(trn!(n, "Remove line {n}")))
                            .clicked()
                        {
                            remove = Some(i);
                        }
                        ui.end_row();
                    }
                })
        });
        if let Some(i) = remove {
            self.rows.remove(i);
        }
        ui.horizontal(|ui| {
            if ui.button_text(tr!("Add line")).clicked() {
                self.rows.push(Row {
                    product: None,
                    description: String::new(),
                    quantity: "1".to_owned(),
                    unit_price: String::new(),
                    discount: String::new(),
                });
            }
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                ui.text(
                    RichText::new(format_money_cents(self.total(), currency))
                        .strong()
                        .color(theme::colors(ui).text_strong),
                );
                ui.text(tr!("Lines total"));
            });
        });
    }
}

/// The product of a line; picking one fills the description and the unit price, converted to
/// the deal's currency.
fn product_combo(ui: &mut egui::Ui, ws: &Workspace, row: &mut Row, currency: &str, n: usize) {
    let shown = row
        .product
        .and_then(|p| ws.product(p))
        .map_or(row.description.clone(), |p| p.name.clone());
    let shown = if shown.is_empty() {
        tr!("Choose…")
    } else {
        shown
    };
    let before = row.product;
    let response = egui::ComboBox::from_id_salt(("line_product", n))
        .selected_text(ui.rtl(shown))
        .width(150.0)
        .show_ui(ui, |ui| {
            for p in ws.products().into_iter().filter(|p| p.active) {
                let text = if p.code.is_empty() {
                    p.name.clone()
                } else {
                    format!("{} · {}", p.code, p.name)
                };
                ui.selectable_value_text(&mut row.product, Some(p.id), text);
            }
        })
        .response;
    let name = trn!(n, "Line {n} product");
    response.accessible_name(name);
    if row.product != before
        && let Some(p) = row.product.and_then(|p| ws.product(p))
    {
        row.description = p.name.clone();
        let price = ws.rates().convert(p.unit_price, &p.currency, currency);
        row.unit_price = editable(format_number(price, 2));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::lines_amount;

    #[test]
    fn rows_parse_with_their_line_number_in_errors() {
        let mut editor = LinesEditor::default();
        editor.rows.push(Row {
            product: None,
            description: "Seat licence".into(),
            quantity: "3".into(),
            unit_price: "19.99".into(),
            discount: "10".into(),
        });
        editor.rows.push(Row {
            product: None,
            description: "Setup".into(),
            quantity: "two".into(),
            unit_price: "5".into(),
            discount: String::new(),
        });
        assert_eq!(editor.total(), "53.97".parse::<Decimal>().unwrap());
        assert_eq!(
            editor.parse().unwrap_err(),
            ["Line 2: Quantity: “two” is not a number"]
        );
        editor.rows[1].quantity = "2".into();
        let lines = editor.parse().unwrap();
        assert_eq!(lines_amount(&lines), "63.97".parse::<Decimal>().unwrap());
        let shown = LinesEditor::new(&lines);
        assert_eq!(shown.rows[0].unit_price, "19.99");
        assert_eq!(shown.rows[1].discount, "0");
    }
}
