//! The predicted probability as the board's cards and the deal form show it: the figure, and
//! the factors that raise and lower it, in words.

use rust_decimal::Decimal;

use crate::analytics::predict::{
    AMOUNT_SPANS, Explanation, Factor, Predictions, Situation, day_span_bounds,
};
use crate::i18n::{format_count, format_money, format_percent};
use crate::theme;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;
use crate::{tr, trn};

/// A probability (0–1) as a whole percentage: "34 %".
pub fn percent(probability: f64) -> String {
    let whole = Decimal::from_f64_retain((probability * 100.0).round()).unwrap_or_default();
    format_percent(whole)
}

/// "Predicted 34 %".
pub fn predicted(probability: f64) -> String {
    tr!("Predicted {percent}", percent = percent(probability))
}

/// A span of days: "8–14 days", or "over 120 days" for the last.
fn days(span: u8) -> String {
    match day_span_bounds(span) {
        (from, Some(to)) => tr!(
            "{from}–{to} days",
            from = format_count(from.unsigned_abs()),
            to = format_count(to.unsigned_abs())
        ),
        (from, None) => tr!(
            "over {days} days",
            days = format_count(from.unsigned_abs().saturating_sub(1))
        ),
    }
}

/// What a factor says about the deal in `situation`, in words.
pub fn factor_label(ws: &Workspace, factor: Factor, situation: &Situation) -> String {
    let money = |amount: f64| {
        let amount = Decimal::from_f64_retain(amount).unwrap_or_default();
        format_money(amount, &ws.settings().base_currency)
    };
    match factor {
        Factor::Stage(stage) => tr!(
            "In {stage}",
            stage = ws.stage(stage).map_or("", |s| s.name.as_str())
        ),
        Factor::DaysInStage(span) => tr!("{days} in its stage", days = days(span)),
        Factor::Age(span) => tr!("{days} since it was created", days = days(span)),
        Factor::Amount(span) => {
            let span = usize::from(span);
            match (
                span.checked_sub(1).map(|i| AMOUNT_SPANS[i]),
                AMOUNT_SPANS.get(span),
            ) {
                (None, Some(&to)) => tr!("Amount under {to}", to = money(to)),
                (Some(from), Some(&to)) => {
                    tr!("Amount {from} to {to}", from = money(from), to = money(to))
                }
                (Some(from), None) => tr!("Amount over {from}", from = money(from)),
                (None, None) => String::new(),
            }
        }
        Factor::Source(id) => tr!("Source: {name}", name = ws.lookup_name(Some(id))),
        Factor::Salesperson(id) => tr!("Salesperson: {name}", name = ws.lookup_name(Some(id))),
        Factor::AccountWon => trn!(situation.account_won, "The account won {n} deals before"),
        Factor::AccountLost => trn!(situation.account_lost, "The account lost {n} deals before"),
        Factor::Pushed => trn!(situation.pushed, "Its close date was pushed {n} times"),
    }
}

/// The prediction and its factors, a line each: what raises it, then what lowers it, each by
/// how many percentage points the prediction would move without it.
pub fn explanation_ui(ui: &mut egui::Ui, ws: &Workspace, explanation: &Explanation) {
    // Lines start where reading does (at the right in Persian), in a tooltip as in the form.
    ui.with_layout(crate::direction::top_down_start(), |ui| {
        ui.text(egui::RichText::new(predicted(explanation.probability)).strong());
        for (heading, factors, color) in [
            (
                tr!("Raises it:"),
                &explanation.raises,
                theme::colors(ui).won,
            ),
            (
                tr!("Lowers it:"),
                &explanation.lowers,
                theme::colors(ui).lost,
            ),
        ] {
            if factors.is_empty() {
                continue;
            }
            ui.text(egui::RichText::new(heading).color(theme::colors(ui).text_muted));
            for (factor, effect) in factors {
                let whole = (effect * 100.0).round();
                let sign = if whole < 0.0 { "−" } else { "+" };
                let line = trn!(
                    whole.abs() as u64,
                    "{sign}{n} points: {factor}",
                    sign = sign,
                    factor = factor_label(ws, *factor, &explanation.situation)
                );
                ui.text(egui::RichText::new(line).color(color));
            }
        }
        let note = tr!("Each figure: how far the prediction would move without that factor.");
        ui.text(
            egui::RichText::new(note)
                .small()
                .color(theme::colors(ui).text_muted),
        );
    });
}

/// Why a deal has no prediction: too few closed deals, or it is not open.
pub fn missing(predictions: &Predictions) -> Option<String> {
    let too_few = predictions.too_few?;
    Some(tr!(
        "No prediction yet: it learns from {needed} won and {needed} lost deals (so far {won} won, {lost} lost).",
        needed = format_count(crate::analytics::predict::MIN_CLOSED as u64),
        won = format_count(too_few.won as u64),
        lost = format_count(too_few.lost as u64)
    ))
}
