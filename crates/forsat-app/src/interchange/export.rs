//! The rows an export writes, made from the workspace one at a time and handed to a writer as
//! they come (a million deals never exist as one table of text), references by name.

use std::collections::HashSet;
use std::io;

use serde::Serialize;

use super::Kind;
use super::columns::{self, FileColumn, OPPORTUNITIES};
use super::table::{Cell, decimal_text};
use crate::domain::{
    Account, ActivityLink, EntityKind, Field, Id, IdMap, Line, Opportunity, Product, StageKind,
};
use crate::workspace::Workspace;

/// What receives an export's rows, one at a time, in order.
pub type Sink<'a> = dyn FnMut(&[Cell]) -> io::Result<()> + 'a;

/// The sheet name and the column headers of an export of `what`.
pub fn header(what: Kind) -> (&'static str, Vec<&'static str>) {
    match what {
        Kind::Opportunities => ("Opportunities", columns::opportunities()),
        Kind::Accounts => ("Accounts", columns::accounts()),
        Kind::StageEvents => ("Stage events", columns::STAGE_EVENTS.to_vec()),
        Kind::History => ("History", columns::HISTORY.to_vec()),
        Kind::Activities => ("Activities", columns::ACTIVITIES.to_vec()),
        Kind::Contacts => ("Contacts", columns::CONTACTS.to_vec()),
    }
}

/// The rows of one kind, of every deal or only of the deals `ids` (in their order; unknown ids
/// are left out): the deals themselves, their stage moves, their history or their accounts.
/// Without `ids` deals come by id, trashed ones included (the `trashed` column says which).
/// The first error of `row` (a full disk) stops the export.
pub fn rows(ws: &Workspace, what: Kind, ids: Option<&[Id]>, row: &mut Sink) -> io::Result<()> {
    let deals: Vec<&Opportunity> = match ids {
        Some(ids) => {
            let mut seen = HashSet::new();
            ids.iter()
                .filter(|id| seen.insert(**id))
                .filter_map(|id| ws.opportunity(*id))
                .collect()
        }
        None => {
            let mut all: Vec<&Opportunity> = ws.opportunities().collect();
            all.sort_by_key(|o| o.id);
            all
        }
    };
    match what {
        Kind::Opportunities => opportunities(ws, &deals, row),
        Kind::Accounts => accounts(ws, ids.map(|_| &deals[..]), row),
        Kind::StageEvents => stage_events(ws, ids.map(|_| &deals[..]), row),
        Kind::History => history(ws, &deals, row),
        Kind::Activities => activities(ws, ids.map(|_| &deals[..]), row),
        Kind::Contacts => contacts(ws, ids.map(|_| &deals[..]), row),
    }
}

/// Text as a cell: an empty one for no text.
fn text(text: &str) -> Cell {
    if text.is_empty() {
        Cell::Empty
    } else {
        Cell::text(text)
    }
}

/// One line of a deal as its `lines` cell encodes it: the product by code (by name when it
/// has no code), numbers as decimal strings.
#[derive(Serialize)]
struct LineCell<'a> {
    product: &'a str,
    description: &'a str,
    quantity: String,
    unit_price: String,
    discount_pct: String,
}

/// How the `lines` cell names a product.
fn product_key(product: &Product) -> &str {
    if product.code.trim().is_empty() {
        &product.name
    } else {
        &product.code
    }
}

fn lines_cell(ws: &Workspace, lines: &[Line]) -> Cell {
    if lines.is_empty() {
        return Cell::Empty;
    }
    let cells: Vec<LineCell> = lines
        .iter()
        .map(|l| LineCell {
            product: l
                .product
                .and_then(|p| ws.product(p))
                .map_or("", product_key),
            description: &l.description,
            quantity: decimal_text(l.quantity),
            unit_price: decimal_text(l.unit_price),
            discount_pct: decimal_text(l.discount_pct),
        })
        .collect();
    // Plain structs of strings always serialize.
    Cell::Text(serde_json::to_string(&cells).unwrap_or_default())
}

fn opportunities(ws: &Workspace, deals: &[&Opportunity], row: &mut Sink) -> io::Result<()> {
    let name = |id: Option<Id>| text(ws.lookup_name(id));
    let closed_from = closed_from(ws);
    let mut cells = Vec::with_capacity(OPPORTUNITIES.len());
    for o in deals {
        cells.clear();
        cells.extend(OPPORTUNITIES.iter().map(|column| {
            match *column {
                FileColumn::Id => Cell::Integer(o.id),
                FileColumn::Created => Cell::Timestamp(o.created),
                FileColumn::Updated => Cell::Timestamp(o.updated),
                FileColumn::StageEntered => Cell::Timestamp(o.stage_entered),
                FileColumn::ClosedFrom => closed_from
                    .get(&o.id)
                    .filter(|(to, _)| *to == o.stage)
                    .and_then(|(_, from)| ws.stage(*from))
                    .map_or(Cell::Empty, |s| text(&s.name)),
                FileColumn::Trashed => Cell::Bool(ws.is_trashed(o.id)),
                FileColumn::BaseCurrency => Cell::text(ws.rates().base()),
                FileColumn::Field(field) => match field {
                    Field::Name => text(&o.name),
                    Field::Account => ws.account(o.account).map_or(Cell::Empty, |a| text(&a.name)),
                    Field::Contact => o
                        .contact
                        .and_then(|c| ws.contact(c))
                        .map_or(Cell::Empty, |c| text(&c.name)),
                    Field::BusinessType => Cell::text(columns::business_type(o.business_type)),
                    Field::Source => name(o.source),
                    Field::Pipeline => ws
                        .pipelines()
                        .iter()
                        .find(|p| p.id == o.pipeline)
                        .map_or(Cell::Empty, |p| text(&p.name)),
                    Field::Stage => ws.stage(o.stage).map_or(Cell::Empty, |s| text(&s.name)),
                    Field::NextStep => text(&o.next_step),
                    Field::Campaign => name(o.campaign),
                    Field::Salesperson => name(o.salesperson),
                    Field::Currency => text(&o.currency),
                    Field::Amount => Cell::Money(o.amount),
                    Field::Rate => ws
                        .rates()
                        .rate(&o.currency)
                        .map_or(Cell::Empty, Cell::Decimal),
                    Field::AmountMode => Cell::text(columns::amount_mode(o.amount_mode)),
                    Field::Lines => lines_cell(ws, &o.lines),
                    Field::ExpectedClose => Cell::date(o.expected_close),
                    Field::Active => Cell::Bool(o.active),
                    Field::Probability => Cell::Decimal(o.probability),
                    Field::ProbabilityOverridden => Cell::Bool(o.probability_overridden),
                    Field::Forecast => Cell::text(o.forecast.key()),
                    Field::Competitor => name(o.competitor),
                    Field::LossReason => name(o.loss_reason),
                    Field::Description => text(&o.description),
                    Field::WinLossReport => text(&o.win_loss_report),
                    Field::Priority => Cell::Integer(o.priority.into()),
                    Field::Tags => {
                        let tags: Vec<&str> =
                            o.tags.iter().map(|t| ws.lookup_name(Some(*t))).collect();
                        text(&tags.join("; "))
                    }
                    Field::Closed => Cell::date(o.closed),
                    _ => Cell::Empty,
                },
            }
        }));
        row(&cells)?;
    }
    Ok(())
}

/// Per deal whose last move into a won or lost stage came from an open stage: (that closed
/// stage, the open stage it came from). One pass over the moves, in the order they happened.
fn closed_from(ws: &Workspace) -> IdMap<(Id, Id)> {
    let kind = |id: Id| ws.stage(id).map(|s| s.kind);
    let mut closed = IdMap::default();
    for e in ws.stage_events() {
        match (kind(e.to), e.from) {
            (Some(StageKind::Won | StageKind::Lost), Some(from))
                if kind(from) == Some(StageKind::Open) =>
            {
                closed.insert(e.opportunity, (e.to, from));
            }
            (Some(StageKind::Won | StageKind::Lost), _) => {
                closed.remove(&e.opportunity);
            }
            _ => {}
        }
    }
    closed
}

/// Every account by id, or the accounts of `deals` in the deals' order.
fn accounts(ws: &Workspace, deals: Option<&[&Opportunity]>, row: &mut Sink) -> io::Result<()> {
    let list: Vec<&Account> = match deals {
        Some(deals) => {
            let mut seen = HashSet::new();
            deals
                .iter()
                .filter(|o| seen.insert(o.account))
                .filter_map(|o| ws.account(o.account))
                .collect()
        }
        None => {
            let mut all: Vec<&Account> = ws.accounts().collect();
            all.sort_by_key(|a| a.id);
            all
        }
    };
    for a in list {
        row(&[
            Cell::Integer(a.id),
            text(&a.name),
            text(ws.lookup_name(a.source)),
            text(&a.industry),
            text(&a.phone),
            text(&a.email),
            text(&a.website),
            text(&a.address),
            text(&a.notes),
        ])?;
    }
    Ok(())
}

/// Every stage move in the order they happened, or only those of `deals`.
fn stage_events(ws: &Workspace, deals: Option<&[&Opportunity]>, row: &mut Sink) -> io::Result<()> {
    let wanted: Option<HashSet<Id>> = deals.map(|d| d.iter().map(|o| o.id).collect());
    let stage = |id: Id| ws.stage(id);
    let events = ws
        .stage_events()
        .iter()
        .filter(|e| wanted.as_ref().is_none_or(|w| w.contains(&e.opportunity)));
    for e in events {
        let pipeline = stage(e.to)
            .and_then(|s| ws.pipelines().iter().find(|p| p.id == s.pipeline))
            .map_or(Cell::Empty, |p| Cell::text(&p.name));
        row(&[
            Cell::Integer(e.id),
            Cell::Integer(e.opportunity),
            ws.opportunity(e.opportunity)
                .map_or(Cell::Empty, |o| Cell::text(&o.name)),
            pipeline,
            e.from
                .and_then(stage)
                .map_or(Cell::Empty, |s| Cell::text(&s.name)),
            stage(e.to).map_or(Cell::Empty, |s| Cell::text(&s.name)),
            Cell::Timestamp(e.at),
        ])?;
    }
    Ok(())
}

/// Every activity in id order, or only those of `deals`.
fn activities(ws: &Workspace, deals: Option<&[&Opportunity]>, row: &mut Sink) -> io::Result<()> {
    let wanted: Option<HashSet<Id>> = deals.map(|d| d.iter().map(|o| o.id).collect());
    for a in ws.activities() {
        let (deal, account) = match a.link {
            ActivityLink::Opportunity(id) => {
                if wanted.as_ref().is_some_and(|w| !w.contains(&id)) {
                    continue;
                }
                let deal = ws.opportunity(id);
                (Some((id, deal)), deal.and_then(|o| ws.account(o.account)))
            }
            ActivityLink::Account(_) if wanted.is_some() => continue,
            ActivityLink::Account(id) => (None, ws.account(id)),
        };
        row(&[
            Cell::Integer(a.id),
            Cell::text(columns::activity_kind(a.kind)),
            Cell::text(&a.summary),
            Cell::Date(a.due),
            a.time
                .map_or(Cell::Empty, |t| Cell::Text(t.format("%H:%M").to_string())),
            if a.minutes == 0 {
                Cell::Empty
            } else {
                Cell::Integer(u64::from(a.minutes))
            },
            Cell::Bool(a.done),
            deal.map_or(Cell::Empty, |(id, _)| Cell::Integer(id)),
            deal.and_then(|(_, o)| o)
                .map_or(Cell::Empty, |o| Cell::text(&o.name)),
            account.map_or(Cell::Empty, |acc| Cell::text(&acc.name)),
            text(ws.lookup_name(a.salesperson)),
            text(&a.notes),
            text(&a.uid),
            Cell::text(if deal.is_some() { "deal" } else { "account" }),
        ])?;
    }
    Ok(())
}

/// Every contact, or those of the accounts of `deals`, by id; several emails or phones in
/// one cell, separated by commas (as the account's contacts take them).
fn contacts(ws: &Workspace, deals: Option<&[&Opportunity]>, row: &mut Sink) -> io::Result<()> {
    let wanted: Option<HashSet<Id>> = deals.map(|d| d.iter().map(|o| o.account).collect());
    let mut contacts: Vec<_> = ws
        .contacts()
        .filter(|c| wanted.as_ref().is_none_or(|w| w.contains(&c.account)))
        .collect();
    contacts.sort_by_key(|c| c.id);
    for c in contacts {
        row(&[
            Cell::Integer(c.id),
            Cell::text(&c.name),
            text(ws.account(c.account).map_or("", |a| a.name.as_str())),
            text(&c.role),
            text(&c.emails().collect::<Vec<_>>().join(", ")),
            text(&c.phones().collect::<Vec<_>>().join(", ")),
            text(&c.notes),
            Cell::Integer(c.account),
        ])?;
    }
    Ok(())
}

/// Every change of `deals`, deal by deal, oldest first; the whole history is checked first, so
/// an entry damage hides is a refusal, not a line missing from the file.
fn history(ws: &Workspace, deals: &[&Opportunity], row: &mut Sink) -> io::Result<()> {
    ws.check_history()
        .map_err(|e| io::Error::other(e.to_string()))?;
    for o in deals {
        let entries = ws
            .history(EntityKind::Opportunity, o.id)
            .map_err(|e| io::Error::other(e.to_string()))?;
        for h in entries {
            row(&[
                Cell::Integer(o.id),
                Cell::text(&o.name),
                Cell::Integer(h.id),
                Cell::Integer(h.action),
                Cell::Timestamp(h.at),
                Cell::Text(h.field),
                text(&h.old),
                text(&h.new),
            ])?;
        }
    }
    Ok(())
}
