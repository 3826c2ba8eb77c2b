//! What a screen reader says for a deal. Its card on the board and its row in the list speak
//! the same line, so a deal sounds the same wherever it is met.

use crate::domain::Opportunity;
use crate::i18n::{format_date, format_money_cents, format_percent};
use crate::tr;
use crate::workspace::Workspace;

/// The deal `opp` as one spoken line: name, account, amount, stage, expected close and
/// probability. The catalog's sentence orders them, so each language reads them its way.
pub fn deal(ws: &Workspace, opp: &Opportunity) -> String {
    let account = ws
        .account(opp.account)
        .map_or_else(|| tr!("no account"), |a| a.name.clone());
    let close = opp.expected_close.map_or_else(
        || tr!("no expected close date"),
        |date| tr!("expected to close {date}", date = format_date(date)),
    );
    tr!(
        "{name}, {account}, {amount}, stage {stage}, {close}, probability {percent}",
        name = opp.name,
        account = account,
        // To the cent, as the card's tooltip and the list's cell give it.
        amount = format_money_cents(opp.amount, &opp.currency),
        stage = ws.stage(opp.stage).map_or("", |s| s.name.as_str()),
        close = close,
        percent = format_percent(opp.probability)
    )
}

/// Gives the node of `response` the description `text` makes. The text is only made while
/// assistive technology listens: a board draws many cards each frame.
pub fn describe(response: &egui::Response, text: impl FnOnce() -> String) {
    response
        .ctx
        .accesskit_node_builder(response.id, |node| node.set_description(text()));
}
