//! A report card's chart as a finished picture for a slide: the title, a subtitle saying what
//! the chart covers (pipeline, created period, the card's settings), the chart with its axes,
//! labels and legend, drawn by the same code as the card (`charts.rs`) into an offscreen
//! frame at twice the screen's scale. The window's "PNG…" and `forsat report NAME --format
//! png` both come here, so they draw the same picture.

use std::path::{Path, PathBuf};
use std::sync::mpsc;

use chrono::NaiveDate;
use egui::{RichText, Vec2};

use super::super::offscreen::{self, Painted};
use super::super::screenshot::write_png;
use super::super::theme;
use super::calibration;
use super::charts::{self, Measure, Pivot};
use super::controls::{group_label, winloss_label};
use super::files::PngFile;
use super::{Card, pivot_of};
use crate::analytics::reports::{Params, Period, Report, Rows, Scope, default_period};
use crate::direction;
use crate::files::Replace;
use crate::i18n::format_date;
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::Workspace;

/// Pixels per point of the picture: twice a plain screen's, sharp on a projector.
pub const PIXELS_PER_POINT: f32 = 2.0;
/// The picture's width in points; at twice the scale, 1920 pixels (a full-HD slide).
const WIDTH: f32 = 960.0;
/// The chart's height in points: with the title and subtitle, about 1080 pixels.
const CHART_HEIGHT: f32 = 440.0;
/// The picture's margin, in points.
const MARGIN: f32 = 20.0;
/// The tallest picture, in points (32,768 pixels, as tall as common viewers open): the frames
/// are laid out this high and the picture ends below what they drew (`offscreen::paint`), so
/// its height is measured, whatever the language's line heights.
const MAX_HEIGHT: f32 = 16_384.0;

/// Everything a chart's picture shows, owned, so it can be drawn on another thread.
pub struct Picture {
    card: Card,
    title: String,
    subtitle: String,
    params: Params,
    report: Report,
    pivot: Option<Pivot>,
    measure: Measure,
}

impl Picture {
    /// The picture of the report `params` over `scope` in `ws`, its forecast bars showing
    /// `measure`.
    pub fn new(ws: &Workspace, scope: &Scope, params: &Params, measure: Measure) -> Picture {
        // The workspace's report: the calibration learns from the deals' lives it copies.
        Picture::of(ws, scope, params, ws.report(scope, params), measure)
    }

    /// The picture of `report` (the report `params` over `scope`, as a card already has it).
    pub fn of(
        ws: &Workspace,
        scope: &Scope,
        params: &Params,
        report: Report,
        measure: Measure,
    ) -> Picture {
        let pivot = pivot_of(params, &report, default_period(ws.today()));
        let card = Card::of(params);
        Picture {
            card,
            title: card.title(),
            subtitle: subtitle(ws, scope, params, pivot.as_ref(), measure),
            params: params.clone(),
            report,
            pivot,
            measure,
        }
    }

    /// Draws the picture: title, subtitle, chart.
    pub fn ui(&self, ui: &mut egui::Ui) {
        ui.text(
            RichText::new(&self.title)
                .strong()
                .size(22.0)
                .color(theme::colors(ui).text_strong),
        );
        ui.text(
            RichText::new(&self.subtitle)
                .size(14.0)
                .color(theme::colors(ui).text_muted),
        );
        ui.add_space(10.0);
        self.chart_ui(ui);
    }

    fn chart_ui(&self, ui: &mut egui::Ui) {
        let currency = self.report.base_currency.as_str();
        // Empty axes would read as zeros: the picture says what the report needs, as the card.
        if let Some(needs) = super::needs(&self.report.rows, &self.params, self.measure) {
            super::needs_ui(ui, &[needs], CHART_HEIGHT / 2.0);
            return;
        }
        match (&self.report.rows, &self.pivot) {
            (Rows::Funnel(rows), _) => {
                charts::funnel_ui(ui, rows, currency, CHART_HEIGHT);
            }
            (Rows::Leakage(rows), _) => {
                charts::leakage_ui(ui, rows, currency, CHART_HEIGHT);
            }
            (Rows::Pipeline(rows), _) => {
                let (id, none) = super::revenue_chart(self.card);
                charts::revenue_ui(ui, id, rows, &none, currency, CHART_HEIGHT);
            }
            (Rows::Forecast(rows), Some(pivot)) => {
                charts::forecast_ui(ui, rows, pivot, self.measure, currency, CHART_HEIGHT);
            }
            (Rows::Grid(rows), Some(pivot)) => {
                // Every row in view, the totals' too: a picture cannot scroll. The table
                // shrinks to its rows.
                charts::grid_ui(ui, rows, pivot, currency, MAX_HEIGHT);
            }
            (Rows::WinLoss(rows), _) => {
                let by_reason = super::by_reason(&self.params);
                charts::winloss_ui(ui, rows, by_reason, currency, CHART_HEIGHT);
            }
            (Rows::Velocity(report), _) => {
                super::velocity::chart_ui(ui, &report.stages, CHART_HEIGHT);
                ui.add_space(8.0);
                super::velocity::velocity_ui(ui, &report.velocity, currency);
            }
            (Rows::Calibration(calibration), _) => {
                ui.add(
                    egui::Label::new(ui.rtl(RichText::new(crate::analytics::predict::summary(
                        calibration,
                    ))))
                    .wrap(),
                );
                calibration::chart_ui(ui, calibration, CHART_HEIGHT);
            }
            (Rows::Goals(rows), _) => {
                super::goals::progress_ui(ui, rows, currency, CHART_HEIGHT, |_, _| {});
            }
            (Rows::Slipped(rows), _) => {
                // A picture cannot scroll: the rows that fit, and how many more there are.
                // A row and the space between rows; the header's.
                let row = crate::theme::REPORT_ROW_HEIGHT + ui.spacing().item_spacing.y + 2.0;
                let fit = ((MAX_HEIGHT - 60.0) / row) as usize;
                let shown = &rows[..rows.len().min(fit)];
                let height = shown.len() as f32 * row + 40.0;
                super::slipped::card_ui(ui, shown, currency, height, None);
                if rows.len() > shown.len() {
                    let more = (rows.len() - shown.len()) as u64;
                    ui.text(crate::tr!("+{n} more", n = more));
                }
            }
            // `needs` has said a deal's times are a table.
            (Rows::Forecast(_) | Rows::Grid(_), None) | (Rows::DealTimes(_), _) => {}
        }
    }

    /// Whether the report has no row to chart.
    fn is_empty(&self) -> bool {
        super::needs(&self.report.rows, &self.params, self.measure).is_some()
    }

    /// The most the picture may take, in points: the grid is as wide as its columns (a
    /// picture cannot scroll), every other chart a slide's width; the height is what is drawn,
    /// measured as it is painted.
    fn size(&self) -> Vec2 {
        let width = match &self.pivot {
            Some(pivot) if self.card == Card::Grid && !self.is_empty() => {
                // The names, the totals and a column per period, each with the spacing the
                // table leaves after it, and room for a scroll bar it never needs.
                let [names, totals, period] = charts::GRID_COLUMNS;
                let spacing = 8.0;
                let columns = pivot.periods.len() as f32;
                names + totals + columns * period + (columns + 4.0) * spacing + 2.0 * MARGIN
            }
            _ => WIDTH,
        };
        Vec2::new(width.max(WIDTH), MAX_HEIGHT)
    }

    /// The picture painted offscreen, with the texts it painted.
    pub fn paint(&self) -> Painted {
        offscreen::paint(
            self.size(),
            PIXELS_PER_POINT,
            // Offscreen pictures are light whatever the window's theme: they are printed and
            // pasted into documents.
            theme::LIGHT.card_fill,
            MARGIN,
            // Right-aligned in a right-to-left language, as the window lays out.
            |ui| {
                direction::reading(ui, |ui| self.ui(ui));
            },
        )
    }

    /// Paints the picture and writes it as a PNG at `path` (never onto the database `db`, over
    /// another file only when `replace` allows); the message saying where it went.
    pub fn write(&self, db: &Path, path: &Path, replace: Replace) -> Result<String, String> {
        // Refused before the work of painting.
        crate::files::check(db, path, replace).map_err(|e| e.to_string())?;
        let painted = self.paint();
        write_png(db, path, replace, &painted.image)?;
        let path = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
        Ok(tr!("Saved the chart to {path}.", path = path.display()))
    }
}

impl Picture {
    /// Paints and writes the picture on a thread of its own, so the window stays responsive;
    /// the message for the status bar (or the error) arrives on `done`, and `repaint` wakes
    /// the window to show it.
    pub fn save_in_background(
        self,
        db: PathBuf,
        file: PngFile,
        done: mpsc::Sender<Result<String, String>>,
        repaint: egui::Context,
    ) {
        // The worker writes its messages in the window's language.
        let local = crate::i18n::current();
        let failed = done.clone();
        let work = move || {
            crate::i18n::install(local);
            let PngFile { path, replace } = file;
            // The view may be gone (the window closing): then nobody waits for the message.
            done.send(self.write(&db, &path, replace)).ok();
            repaint.request_repaint();
        };
        if let Err(e) = std::thread::Builder::new()
            .name("chart-png".to_owned())
            .spawn(work)
        {
            failed.send(Err(e.to_string())).ok();
        }
    }
}

/// What a chart covers, in one line: the pipeline, the deals' created period, the card's
/// settings (grouping, period, salesperson, what the bars show).
fn subtitle(
    ws: &Workspace,
    scope: &Scope,
    params: &Params,
    pivot: Option<&Pivot>,
    measure: Measure,
) -> String {
    let mut parts = Vec::new();
    parts.push(match scope.pipeline {
        Some(id) => {
            let name = ws
                .pipelines()
                .iter()
                .find(|p| p.id == id)
                .map_or("", |p| p.name.as_str());
            tr!("Pipeline: {name}", name = name)
        }
        None => tr!("All pipelines"),
    });
    parts.push(dates(Dates::Created, scope.created_from, scope.created_to));
    let periods = |by: Period| {
        let first = pivot.and_then(|p| p.periods.first()).cloned();
        let last = pivot.and_then(|p| p.periods.last()).cloned();
        let (first, last) = (first.unwrap_or_default(), last.unwrap_or_default());
        match by {
            Period::Month => tr!("By month, {first} to {last}", first = first, last = last),
            Period::Quarter => tr!("By quarter, {first} to {last}", first = first, last = last),
        }
    };
    match params {
        // Nothing to add: the funnel and leakage have no grouping; the card by month says so in
        // its title.
        Params::Funnel
        | Params::Leakage
        | Params::Calibration
        | Params::Goals
        | Params::Pipeline {
            by: crate::analytics::reports::GroupBy::Month,
        } => {}
        Params::Pipeline { by } => parts.push(tr!("By: {what}", what = group_label(*by))),
        Params::Slipped { every } => parts.push(every.current_label()),
        Params::Forecast {
            by, salesperson, ..
        } => {
            parts.push(periods(*by));
            parts.push(match salesperson {
                Some(id) => tr!("Salesperson: {name}", name = ws.lookup_name(Some(*id))),
                None => tr!("Every salesperson"),
            });
            parts.push(tr!("Bars: {what}", what = measure.label()));
        }
        Params::Grid { by, .. } => parts.push(periods(*by)),
        Params::WinLoss { by, from, to } => {
            parts.push(tr!("By: {what}", what = winloss_label(*by)));
            parts.push(dates(Dates::Closed, *from, *to));
        }
        Params::Velocity { from, to, .. } => parts.push(dates(Dates::Closed, *from, *to)),
    }
    parts.join(" · ")
}

/// Which day of a deal a period of the subtitle is about.
#[derive(Clone, Copy)]
enum Dates {
    /// Its creation (the scope of every card).
    Created,
    /// Its closing (won and lost deals).
    Closed,
}

/// A period of the subtitle, either end open.
fn dates(of: Dates, from: Option<NaiveDate>, to: Option<NaiveDate>) -> String {
    match (of, from.map(format_date), to.map(format_date)) {
        (Dates::Created, None, None) => tr!("Deals created at any time"),
        (Dates::Created, Some(from), None) => tr!("Deals created from {from}", from = from),
        (Dates::Created, None, Some(to)) => tr!("Deals created up to {to}", to = to),
        (Dates::Created, Some(from), Some(to)) => {
            tr!("Deals created from {from} to {to}", from = from, to = to)
        }
        (Dates::Closed, None, None) => tr!("Every closed deal"),
        (Dates::Closed, Some(from), None) => tr!("Closed from {from}", from = from),
        (Dates::Closed, None, Some(to)) => tr!("Closed up to {to}", to = to),
        (Dates::Closed, Some(from), Some(to)) => {
            tr!("Closed from {from} to {to}", from = from, to = to)
        }
    }
}
