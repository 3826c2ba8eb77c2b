//! The Reports view: a dashboard of cards — funnel, expected vs weighted revenue by stage and
//! by expected-close month, sales leakage, forecast, won and lost, the sales grid, time in stage
//! and velocity — over a
//! scope (pipeline, created period). Each card opens full size, exports CSV, XLSX or a PNG of
//! its chart, and saves its settings under a name. Reports are cached per card and recomputed
//! only when the data, the scope or the card's settings change.

mod bar_nodes;
mod calibration;
mod charts;
mod controls;
mod files;
pub mod goals;
mod picture;
mod slipped;
mod velocity;

use crate::direction;
use crate::ui_ext::UiExt;
use std::sync::{Arc, mpsc};

use chrono::NaiveDate;
use egui::{Align, Rect, RichText, vec2};

use super::app::{Action, Ctx};
use super::learner::Learner;
use super::offscreen::Painted;
use super::theme;
use super::widgets::{choice_combo, lookup_combo};
use crate::analytics::reports::{
    self, GroupBy, Params, Period, Report, Rows, SavedReport, Scope, VelocityBy, WinLossBy,
};
use crate::command::Command;
use crate::domain::{Every, Id, LookupKind};
use crate::tr;
use crate::workspace::Workspace;
use charts::{Measure, Pivot};
use controls::{DateField, Range, group_label, period_ui, range_mut, range_ui, winloss_label};
use files::{FileKind, SaveFile, SaveOutcome};
use picture::Picture;

/// The cards of the dashboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Card {
    Funnel,
    Leakage,
    Revenue,
    RevenueByMonth,
    Forecast,
    Grid,
    WinLoss,
    Velocity,
    Calibration,
    Goals,
    Slipped,
}

/// How many cards the dashboard has.
const CARDS: usize = 11;

impl Card {
    /// In dashboard order, two to a row.
    const ALL: [Card; CARDS] = [
        Card::Funnel,
        Card::Leakage,
        Card::Revenue,
        Card::RevenueByMonth,
        Card::Forecast,
        Card::Grid,
        Card::WinLoss,
        Card::Velocity,
        Card::Calibration,
        Card::Goals,
        Card::Slipped,
    ];

    fn title(self) -> String {
        match self {
            Card::Funnel => tr!("Funnel"),
            Card::Leakage => tr!("Sales leakage"),
            Card::Revenue => tr!("Expected vs weighted revenue"),
            Card::RevenueByMonth => tr!("Revenue by expected-close month"),
            Card::Forecast => tr!("Forecast"),
            Card::Grid => tr!("Sales grid"),
            Card::WinLoss => tr!("Won and lost"),
            Card::Velocity => tr!("Time in stage & velocity"),
            Card::Calibration => tr!("Predicted probability: calibration"),
            Card::Goals => tr!("Goals"),
            Card::Slipped => tr!("Slipped close dates"),
        }
    }

    fn default_params(self) -> Params {
        match self {
            Card::Funnel => Params::Funnel,
            Card::Leakage => Params::Leakage,
            Card::Revenue => Params::Pipeline { by: GroupBy::Stage },
            Card::RevenueByMonth => Params::Pipeline { by: GroupBy::Month },
            Card::Forecast => Params::Forecast {
                by: Period::Month,
                from: None,
                to: None,
                salesperson: None,
            },
            Card::Grid => Params::Grid {
                by: Period::Month,
                from: None,
                to: None,
            },
            Card::WinLoss => Params::WinLoss {
                by: WinLossBy::Reason,
                from: None,
                to: None,
            },
            Card::Velocity => Params::Velocity {
                by: VelocityBy::Stage,
                from: None,
                to: None,
            },
            Card::Calibration => Params::Calibration,
            Card::Goals => Params::Goals,
            Card::Slipped => Params::Slipped {
                every: Every::Month,
            },
        }
    }

    /// The card showing a report with `params` (to open a saved report).
    fn of(params: &Params) -> Card {
        match params {
            Params::Funnel => Card::Funnel,
            Params::Leakage => Card::Leakage,
            Params::Pipeline {
                by: GroupBy::Month, ..
            } => Card::RevenueByMonth,
            Params::Pipeline { .. } => Card::Revenue,
            Params::Forecast { .. } => Card::Forecast,
            Params::Grid { .. } => Card::Grid,
            Params::WinLoss { .. } => Card::WinLoss,
            Params::Velocity { .. } => Card::Velocity,
            Params::Calibration => Card::Calibration,
            Params::Goals => Card::Goals,
            Params::Slipped { .. } => Card::Slipped,
        }
    }

    /// The funnel, the leakage and the time in stage follow one pipeline's stages; the others
    /// can add them up.
    fn follows_one_pipeline(self) -> bool {
        matches!(self, Card::Funnel | Card::Leakage | Card::Velocity)
    }

    /// The cards whose period looks back at closed deals only (all time by default).
    fn looks_back(self) -> bool {
        matches!(self, Card::WinLoss | Card::Velocity)
    }

    /// Its place in [`Card::ALL`], which lists the cards in declaration order.
    fn index(self) -> usize {
        self as usize
    }
}

/// The report's name in file names: the command line's name, and what it is grouped by.
fn file_stem(params: &Params) -> String {
    let by = match params {
        Params::Pipeline { by } => Some(by.name()),
        Params::Forecast { by, .. } | Params::Grid { by, .. } => Some(by.name()),
        Params::WinLoss { by, .. } => Some(by.name()),
        Params::Slipped { every } => Some(every.key()),
        Params::Funnel
        | Params::Leakage
        | Params::Velocity { .. }
        | Params::Calibration
        | Params::Goals => None,
    };
    match by {
        Some(by) => format!("{}-by-{by}", params.name()),
        None => params.name().to_owned(),
    }
}

/// A card's report, and what its chart needs beyond the rows.
struct Cached {
    /// The data and the day it was worked out for (periods and paces move at midnight).
    generation: (u64, chrono::NaiveDate),
    scope: Scope,
    params: Params,
    report: Report,
    /// The forecast's and the grid's rows by salesperson and period.
    pivot: Option<Pivot>,
}

/// One card's settings and cache.
struct CardState {
    params: Params,
    /// The preset range shown, None for dates typed in `from` and `to`.
    range: Option<Range>,
    from: DateField,
    to: DateField,
    cache: Option<Cached>,
    /// The calibration, learnt on another thread, and its answer last copied into `cache`.
    learner: Learner<Report>,
    learnt: Option<Arc<Report>>,
}

impl CardState {
    fn new(card: Card) -> CardState {
        CardState {
            params: card.default_params(),
            range: Some(Range::Standard),
            from: DateField::default(),
            to: DateField::default(),
            cache: None,
            learner: Learner::default(),
            learnt: None,
        }
    }

    /// The report for `scope`, computed again only when something it depends on changed.
    /// The calibration learns on another thread (seconds at a million deals): until its
    /// first answer there is none, then the last answer shows while the next is learnt.
    fn report(&mut self, ws: &Workspace, scope: &Scope, ctx: &egui::Context) -> Option<&Cached> {
        let fresh = self.cache.as_ref().is_some_and(|c| {
            c.generation == (ws.generation(), ws.today())
                && c.scope == *scope
                && c.params == self.params
        });
        if self.params == Params::Calibration {
            self.learn(ws, scope, ctx);
        } else if !fresh {
            let report = ws.report(scope, &self.params);
            let pivot = pivot_of(&self.params, &report, reports::default_period(ws.today()));
            self.cache = Some(Cached {
                generation: (ws.generation(), ws.today()),
                scope: scope.clone(),
                params: self.params.clone(),
                report,
                pivot,
            });
        }
        // Not another scope's: the calibration's answer for a new scope may still be coming.
        self.cache
            .as_ref()
            .filter(|c| c.params == self.params && c.scope == *scope)
    }

    /// The calibration of `scope` when learnt (the last one while the next is learnt).
    fn learn(&mut self, ws: &Workspace, scope: &Scope, ctx: &egui::Context) {
        let currency = ws.settings().base_currency.clone();
        let learnt = self.learner.tick(ws, scope, ctx, move |book| Report {
            name: Params::Calibration.name(),
            base_currency: currency,
            rows: Rows::Calibration(crate::analytics::predict::calibration(&book)),
        });
        let Some(report) = learnt else {
            return;
        };
        // Copied into the cache once an answer, not every frame the card is drawn.
        if self
            .learnt
            .as_ref()
            .is_some_and(|l| Arc::ptr_eq(l, &report))
        {
            return;
        }
        self.cache = Some(Cached {
            generation: (ws.generation(), ws.today()),
            scope: scope.clone(),
            params: Params::Calibration,
            report: (*report).clone(),
            pivot: None,
        });
        self.learnt = Some(report);
    }

    /// Shows `params` (a saved report's), with its range as a preset when it is one.
    fn restore(&mut self, params: Params, card: Card, today: NaiveDate) {
        self.params = params;
        if let Some((from, to)) = range_mut(&mut self.params) {
            let dates = (*from, *to);
            self.range = Range::offered(card)
                .into_iter()
                .find(|r| r.dates(today) == dates);
            self.from.set(dates.0);
            self.to.set(dates.1);
        }
    }
}

/// The chart of the report `params` over `scope` as its PNG shows it: its pixels, and the
/// texts painted (what a test reads).
pub fn paint_chart(ws: &Workspace, scope: &Scope, params: &Params) -> Painted {
    Picture::new(ws, scope, params, Measure::default()).paint()
}

/// Writes the chart of the report `params` over `scope` as a PNG at `path`, as the Reports
/// view's "PNG…" does (never onto the database; over another file only as `replace` says);
/// the message saying where it went.
pub fn write_chart(
    ws: &Workspace,
    scope: &Scope,
    params: &Params,
    path: &std::path::Path,
    replace: crate::files::Replace,
) -> Result<String, String> {
    Picture::new(ws, scope, params, Measure::default()).write(ws.path(), path, replace)
}

/// The forecast's and the grid's rows placed by salesperson and period, over every period of
/// their range (`default` where the range is left open).
fn pivot_of(params: &Params, report: &Report, default: (NaiveDate, NaiveDate)) -> Option<Pivot> {
    let periods = |by: Period, from: Option<NaiveDate>, to: Option<NaiveDate>| {
        by.all(from.unwrap_or(default.0), to.unwrap_or(default.1))
    };
    match (params, &report.rows) {
        (Params::Forecast { by, from, to, .. }, Rows::Forecast(rows)) => Some(Pivot::of(
            periods(*by, *from, *to),
            rows.iter()
                .map(|r| (r.salesperson.as_str(), r.period.as_str())),
        )),
        (Params::Grid { by, from, to }, Rows::Grid(rows)) => Some(Pivot::of(
            periods(*by, *from, *to),
            rows.iter()
                .map(|r| (r.salesperson.as_str(), r.period.as_str())),
        )),
        _ => None,
    }
}

/// The plot id of a revenue card's chart, and what its deals without a key are called.
fn revenue_chart(card: Card) -> (&'static str, String) {
    match card {
        Card::RevenueByMonth => ("revenue_by_month_chart", tr!("No date")),
        _ => ("revenue_chart", tr!("None")),
    }
}

/// Whether won-and-lost is by loss reason (losses by reason, the won deals a row apart).
fn by_reason(params: &Params) -> bool {
    matches!(
        params,
        Params::WinLoss {
            by: WinLossBy::Reason,
            ..
        }
    )
}

/// What a card's header buttons ask for.
#[derive(Clone, Copy)]
enum CardAsk {
    FullSize,
    Back,
    File(FileKind),
    Save,
}

/// The dialog naming a card's settings to save them.
struct SaveReportDialog {
    card: Card,
    name: String,
}

/// How saving a chart ended: the message for the status bar, or the error.
type PngResult = Result<String, String>;

/// The Reports view.
pub struct ReportsView {
    cards: [CardState; CARDS],
    /// Whether the cards that can add pipelines up show every pipeline.
    all_pipelines: bool,
    created_from: DateField,
    created_to: DateField,
    /// The card shown full size.
    full: Option<Card>,
    measure: Measure,
    file: Option<SaveFile>,
    save_report: Option<SaveReportDialog>,
    /// Where chart pictures report back, from the thread that paints and writes them.
    png_done: (mpsc::Sender<PngResult>, mpsc::Receiver<PngResult>),
}

impl Default for ReportsView {
    fn default() -> Self {
        ReportsView {
            cards: Card::ALL.map(CardState::new),
            all_pipelines: false,
            created_from: DateField::default(),
            created_to: DateField::default(),
            full: None,
            measure: Measure::default(),
            file: None,
            save_report: None,
            png_done: mpsc::channel(),
        }
    }
}

/// The reports' choices, remembered between runs (see [`crate::remembered`]): each card's
/// parameters and preset range, whether every pipeline is added up, and the forecast's measure.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReportSettings {
    cards: Vec<(Card, Params, Option<Range>)>,
    all_pipelines: bool,
    measure: Measure,
}

impl ReportsView {
    /// The choices to remember.
    pub fn settings(&self) -> ReportSettings {
        ReportSettings {
            cards: Card::ALL
                .iter()
                .zip(&self.cards)
                .map(|(card, c)| (*card, c.params.clone(), c.range))
                .collect(),
            all_pipelines: self.all_pipelines,
            measure: self.measure,
        }
    }

    /// Takes up the choices remembered: a preset range's dates as of today (this year is this
    /// year's), a salesperson the file no longer has dropped, a card whose report has changed
    /// kind since left as it is.
    pub fn restore(&mut self, settings: &ReportSettings, ws: &Workspace) {
        for (card, params, range) in &settings.cards {
            let state = &mut self.cards[card.index()];
            if std::mem::discriminant(&state.params) != std::mem::discriminant(params) {
                continue;
            }
            state.params = params.clone();
            state.range = *range;
            if let Params::Forecast { salesperson, .. } = &mut state.params
                && salesperson.is_some_and(|id| ws.lookup(id).is_none())
            {
                *salesperson = None;
            }
            if let Some((from, to)) = range_mut(&mut state.params) {
                match range {
                    Some(preset) => (*from, *to) = preset.dates(ws.today()),
                    None => {
                        state.from.set(*from);
                        state.to.set(*to);
                    }
                }
            }
        }
        self.all_pipelines = settings.all_pipelines;
        self.measure = settings.measure;
    }

    /// Draws the dashboard, or one card full size, of the pipeline shown; a saved report
    /// opened may show another.
    pub fn ui(&mut self, ui: &mut egui::Ui, cx: &Ctx) -> Vec<Action> {
        let ws = cx.ws;
        let mut actions = Vec::new();
        while let Ok(result) = self.png_done.1.try_recv() {
            actions.push(match result {
                Ok(message) => Action::Done(message),
                Err(message) => Action::Error(message),
            });
        }
        // Escape leaves a card shown full size, as it closes a form, unless a dialog, a
        // popup or a text field takes the key.
        let ctx = ui.ctx().clone();
        if self.full.is_some()
            && self.file.is_none()
            && self.save_report.is_none()
            && !ctx.egui_wants_keyboard_input()
            && !egui::Popup::is_any_open(&ctx)
            && ctx.input(|i| i.key_pressed(egui::Key::Escape))
        {
            self.full = None;
        }
        ui.add_space(4.0);
        self.scope_bar_ui(ui, ws, cx.pipeline);
        // The cards below already show the pipeline of a saved report opened; the app then
        // shows it everywhere.
        let mut pipeline = cx.pipeline;
        if let Some(opened) = self.saved_reports_ui(ui, ws, &mut actions) {
            pipeline = opened;
            actions.push(Action::ShowPipeline(opened));
        }
        ui.add_space(4.0);
        match self.full {
            Some(card) => {
                let frame = card_frame(ui);
                frame.show(ui, |ui| {
                    ui.set_min_size(ui.available_size());
                    self.card_ui(ui, ws, pipeline, card, true, &mut actions);
                });
            }
            None => {
                egui::ScrollArea::vertical()
                    .id_salt("reports_dashboard")
                    .auto_shrink(false)
                    .show(ui, |ui| {
                        // Each row gets the width the first had: a card wider than its half
                        // would otherwise widen every row below it.
                        let width = ui.available_width();
                        for pair in Card::ALL.chunks(2) {
                            let row =
                                Rect::from_min_size(ui.cursor().min, vec2(width, f32::INFINITY));
                            ui.scope_builder(egui::UiBuilder::new().max_rect(row), |ui| {
                                ui.columns(2, |columns| {
                                    // The first card of a row where reading starts.
                                    if crate::i18n::right_to_left() {
                                        columns.reverse();
                                    }
                                    for (ui, card) in columns.iter_mut().zip(pair) {
                                        card_frame(ui).show(ui, |ui| {
                                            ui.set_width(ui.available_width());
                                            self.card_ui(
                                                ui,
                                                ws,
                                                pipeline,
                                                *card,
                                                false,
                                                &mut actions,
                                            );
                                        });
                                    }
                                });
                            });
                            ui.add_space(8.0);
                        }
                    });
            }
        }
        self.dialogs_ui(ui.ctx(), ws, pipeline, &mut actions);
        actions
    }

    /// Which deals a card looks at.
    fn scope(&self, card: Card, pipeline: Id) -> Scope {
        Scope {
            pipeline: (!self.all_pipelines || card.follows_one_pipeline()).then_some(pipeline),
            created_from: self.created_from.value,
            created_to: self.created_to.value,
        }
    }

    fn scope_bar_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, pipeline: Id) {
        ui.horizontal_wrapped(|ui| {
            ui.text(RichText::new(tr!("Reports")).heading());
            ui.separator();
            let name = ws
                .pipelines()
                .iter()
                .find(|p| p.id == pipeline)
                .map_or("", |p| p.name.as_str());
            ui.text(tr!("Pipeline: {name}", name = name))
                .on_hover_text(ui.rtl(tr!("Switch the pipeline in the top bar")));
            if ws.pipelines().len() > 1 {
                ui.checkbox_text(&mut self.all_pipelines, tr!("All pipelines"))
                    .on_hover_text(ui.rtl(tr!(
                        "Revenue, forecast, won and lost and the grid add every pipeline up; the funnel and the leakage follow one pipeline's stages"
                    )));
            }
            ui.separator();
            ui.text(RichText::new(tr!("Deals created")).color(theme::colors(ui).text_muted));
            self.created_from.ui(ui, &tr!("from"));
            self.created_to.ui(ui, &tr!("to"));
        });
    }

    /// The saved reports as buttons that open them, each with a Delete button. The pipeline of
    /// the report opened, if it names one.
    fn saved_reports_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        actions: &mut Vec<Action>,
    ) -> Option<Id> {
        let mut pipeline = None;
        ui.horizontal_wrapped(|ui| {
            ui.text(RichText::new(tr!("Saved reports:")).color(theme::colors(ui).text_muted));
            let saved = ws.saved_reports();
            if saved.is_empty() {
                ui.text(
                    RichText::new(tr!("none yet: a card's Save… keeps its settings here"))
                        .color(theme::colors(ui).text_muted),
                );
            }
            for report in saved {
                let card = Card::of(&report.params);
                let open = ui
                    .button_text(&report.name)
                    .on_hover_text(ui.rtl(tr!("Open this {report} report", report = card.title())));
                if open.clicked() {
                    pipeline = self.open_saved(ws, report);
                }
                let delete = ui
                    .small_button_text("×")
                    .accessible_name(tr!("Delete the saved report {name}", name = report.name))
                    .on_hover_text(ui.rtl(tr!("Delete this saved report")));
                if delete.clicked() {
                    let reports = saved
                        .iter()
                        .filter(|r| r.id != report.id)
                        .cloned()
                        .collect();
                    actions.push(Action::Apply(Command::SetSavedReports { reports }));
                }
                ui.add_space(6.0);
            }
        });
        pipeline
    }

    /// Restores a saved report's card, scope and settings, full size; the pipeline it shows,
    /// if it names one that still exists.
    fn open_saved(&mut self, ws: &Workspace, report: &SavedReport) -> Option<Id> {
        let card = Card::of(&report.params);
        self.cards[card.index()].restore(report.params.clone(), card, ws.today());
        let mut pipeline = None;
        match report.scope.pipeline {
            // A pipeline deleted since leaves the current one in place.
            Some(p) if ws.pipelines().iter().any(|x| x.id == p) => {
                pipeline = Some(p);
                self.all_pipelines = false;
            }
            Some(_) => {}
            None => self.all_pipelines = true,
        }
        self.created_from.set(report.scope.created_from);
        self.created_to.set(report.scope.created_to);
        self.full = Some(card);
        pipeline
    }

    /// A card in reading order: in Persian its title, settings and sentences start at the
    /// right (rows inside a column aligned at the reading start run that way).
    fn card_ui(
        &mut self,
        ui: &mut egui::Ui,
        ws: &Workspace,
        pipeline: Id,
        card: Card,
        full: bool,
        actions: &mut Vec<Action>,
    ) {
        direction::reading(ui, |ui| {
            if let Some(ask) = card_header_ui(ui, card, full) {
                self.answer(ws, card, ask);
            }
            let scope = self.scope(card, pipeline);
            self.controls_ui(ui, ws, card);
            let room = Room {
                card,
                full,
                available: ui.available_height(),
            };
            let measure = self.measure;
            let Some(cached) = self.cards[card.index()].report(ws, &scope, ui.ctx()) else {
                let learning = tr!("Testing the predictions on your closed deals…");
                needs_ui(ui, &[learning], room.height(0.0));
                return;
            };
            // The goals card sets goals: it shows its row to set one even with none.
            let needs = needs(&cached.report.rows, &cached.params, measure);
            if let Some(needs) = needs.filter(|_| card != Card::Goals) {
                let mut lines = vec![needs];
                if scope.created_from.is_some() || scope.created_to.is_some() {
                    lines.push(tr!(
                        "Only the deals created in the dates chosen above count."
                    ));
                }
                needs_ui(ui, &lines, room.height(0.0));
                return;
            }
            report_ui(ui, ws, &scope, cached, measure, room, actions);
        });
    }

    /// Does what a card's header was asked for.
    fn answer(&mut self, ws: &Workspace, card: Card, ask: CardAsk) {
        match ask {
            CardAsk::FullSize => self.full = Some(card),
            CardAsk::Back => self.full = None,
            CardAsk::File(kind) => {
                let stem = file_stem(&self.cards[card.index()].params);
                self.file = Some(SaveFile::new(card, stem, kind, ws.today()));
            }
            CardAsk::Save => {
                self.save_report = Some(SaveReportDialog {
                    card,
                    name: String::new(),
                });
            }
        }
    }

    /// The settings of a card, above its chart.
    fn controls_ui(&mut self, ui: &mut egui::Ui, ws: &Workspace, card: Card) {
        let title = card.title();
        let today = ws.today();
        let measure = &mut self.measure;
        let state = &mut self.cards[card.index()];
        ui.horizontal_wrapped(|ui| match &mut state.params {
            Params::Funnel => {
                ui.text(RichText::new(tr!("Click a stage to see the deals that reached it."))
                        .color(theme::colors(ui).text_muted));
            }
            Params::Leakage => {
                ui.text(RichText::new(tr!("Where deals are lost, and how many move on."))
                        .color(theme::colors(ui).text_muted));
            }
            Params::Pipeline { by: GroupBy::Month } => {
                ui.text(RichText::new(tr!("Open deals by the month they are expected to close."))
                        .color(theme::colors(ui).text_muted));
            }
            Params::Pipeline { by } => {
                let choices = [GroupBy::Stage, GroupBy::Salesperson, GroupBy::Source];
                choice_combo(ui, &tr!("By"), by, &choices, group_label);
            }
            Params::Forecast {
                by, salesperson, ..
            } => {
                period_ui(ui, &title, by);
                let label = ui.text(tr!("Salesperson"));
                lookup_combo(
                    ui,
                    label.id,
                    ws,
                    LookupKind::Salesperson,
                    salesperson,
                    &tr!("Everyone"),
                );
                choice_combo(ui, &tr!("Bars"), measure, &Measure::ALL, Measure::label);
            }
            Params::Grid { by, .. } => period_ui(ui, &title, by),
            Params::Velocity { .. } => {
                ui.text(RichText::new(tr!(
                        "Days deals spend in each open stage, and the money the pipeline wins per day."
                    ))
                    .color(theme::colors(ui).text_muted));
            }
            Params::Calibration => {
                ui.text(RichText::new(tr!(
                        "Predictions learnt from older deals, checked against what happened to newer ones."
                    ))
                    .color(theme::colors(ui).text_muted));
            }
            Params::Goals => {
                ui.text(RichText::new(tr!(
                        "This week's, month's, quarter's or year's goals against a steady pace."
                    ))
                    .color(theme::colors(ui).text_muted));
            }
            Params::Slipped { every } => {
                choice_combo(ui, &tr!("Period"), every, &Every::ALL, Every::current_label);
            }
            Params::WinLoss { by, .. } => {
                let choices = [
                    WinLossBy::Reason,
                    WinLossBy::Competitor,
                    WinLossBy::Source,
                    WinLossBy::Salesperson,
                ];
                choice_combo(ui, &tr!("By"), by, &choices, winloss_label);
            }
        });
        if range_mut(&mut state.params).is_some() {
            ui.horizontal_wrapped(|ui| range_ui(ui, card, state, today));
        }
    }

    fn dialogs_ui(
        &mut self,
        ctx: &egui::Context,
        ws: &Workspace,
        pipeline: Id,
        actions: &mut Vec<Action>,
    ) {
        if let Some(card) = self.file.as_ref().map(|d| d.card) {
            let scope = self.scope(card, pipeline);
            let Some(cached) = self.cards[card.index()].report(ws, &scope, ctx) else {
                return;
            };
            let report = &cached.report;
            let Some(dialog) = &mut self.file else {
                return;
            };
            match dialog.ui(ctx, ws.path(), &card.title(), report) {
                SaveOutcome::Open => {}
                SaveOutcome::Cancel => self.file = None,
                SaveOutcome::Written(message) => {
                    self.file = None;
                    actions.push(Action::Done(message));
                }
                SaveOutcome::Png(file) => {
                    self.file = None;
                    // The card's report as shown: the calibration is not learnt again here.
                    let picture =
                        Picture::of(ws, &scope, &cached.params, report.clone(), self.measure);
                    picture.save_in_background(
                        ws.path().to_owned(),
                        file,
                        self.png_done.0.clone(),
                        ctx.clone(),
                    );
                }
            }
        }
        if let Some(card) = self.save_report.as_ref().map(|d| d.card) {
            let scope = self.scope(card, pipeline);
            let params = self.cards[card.index()].params.clone();
            let Some(dialog) = &mut self.save_report else {
                return;
            };
            let mut close = false;
            let modal = egui::Modal::new(egui::Id::unique("save_report")).show(ctx, |ui| {
                ui.set_min_width(380.0);
                ui.text(
                    RichText::new(tr!("Save the {report} report", report = card.title())).heading(),
                );
                ui.text(
                    RichText::new(tr!(
                        "Its settings and scope, to open again from the list of saved reports."
                    ))
                    .color(theme::colors(ui).text_muted),
                );
                ui.add_space(6.0);
                let label = ui.text(tr!("Report name"));
                let field = ui
                    .add(egui::TextEdit::singleline(&mut dialog.name).desired_width(300.0))
                    .labelled_by(label.id);
                let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                ui.add_space(10.0);
                ui.horizontal(|ui| {
                    let save = ui.add_enabled(
                        !dialog.name.trim().is_empty(),
                        egui::Button::new(ui.rtl(RichText::new(tr!("Save")).strong())),
                    );
                    if (save.clicked() || enter) && !dialog.name.trim().is_empty() {
                        let saved = SavedReport {
                            // A new report takes the store's next id, like every record.
                            id: ws.next_id(),
                            name: dialog.name.trim().to_owned(),
                            scope: scope.clone(),
                            params: params.clone(),
                        };
                        actions.push(Action::Apply(Command::SetSavedReports {
                            reports: with_saved(ws.saved_reports(), saved),
                        }));
                        close = true;
                    }
                    if ui.button_text(tr!("Cancel")).clicked() {
                        close = true;
                    }
                });
            });
            if close || modal.should_close() {
                self.save_report = None;
            }
        }
    }
}

/// The saved reports with `report` added (with its id), or replacing the one of the same name
/// (ignoring case, keeping that one's id) so saving again updates it.
fn with_saved(saved: &[SavedReport], mut report: SavedReport) -> Vec<SavedReport> {
    let mut reports = saved.to_vec();
    match reports
        .iter_mut()
        .find(|r| r.name.to_lowercase() == report.name.to_lowercase())
    {
        Some(existing) => {
            report.id = existing.id;
            *existing = report;
        }
        None => reports.push(report),
    }
    reports
}

fn card_frame(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::new()
        .fill(theme::colors(ui).card_fill)
        .stroke(egui::Stroke::new(1.0, theme::colors(ui).card_stroke))
        .corner_radius(theme::CARD_RADIUS)
        .inner_margin(egui::Margin::same(12))
}

/// The card's title and its buttons; what was clicked.
fn card_header_ui(ui: &mut egui::Ui, card: Card, full: bool) -> Option<CardAsk> {
    let title = card.title();
    let mut ask = None;
    ui.horizontal(|ui| {
        ui.text(
            RichText::new(&title)
                .strong()
                .size(16.0)
                .color(theme::colors(ui).text_strong),
        );
        ui.with_layout(direction::end_to_start(Align::Center), |ui| {
            let save = ui
                .small_button_text(tr!("Save…"))
                .accessible_name(tr!("Save the {report} report", report = title))
                .on_hover_text(ui.rtl(tr!("Keep these settings under a name")));
            if save.clicked() {
                ask = Some(CardAsk::Save);
            }
            let png = ui
                .small_button_text(tr!("PNG…"))
                .accessible_name(tr!("Save the {report} chart as PNG", report = title))
                .on_hover_text(ui.rtl(tr!("Save the chart as a PNG image")));
            if png.clicked() {
                ask = Some(CardAsk::File(FileKind::Png));
            }
            let export = ui
                .small_button_text(tr!("Export…"))
                .accessible_name(tr!("Export {report}", report = title))
                .on_hover_text(ui.rtl(tr!("Write the rows as CSV or XLSX")));
            if export.clicked() {
                ask = Some(CardAsk::File(FileKind::Csv));
            }
            if full {
                if ui.small_button_text(tr!("Back")).clicked() {
                    ask = Some(CardAsk::Back);
                }
            } else {
                let open = ui
                    .small_button_text(tr!("Full size"))
                    .accessible_name(tr!("Open {report} full size", report = title));
                if open.clicked() {
                    ask = Some(CardAsk::FullSize);
                }
            }
        });
    });
    ask
}

/// A card being drawn and the room its chart has on screen.
#[derive(Clone, Copy)]
struct Room {
    card: Card,
    /// The card is shown full size.
    full: bool,
    /// The height left under the card's settings.
    available: f32,
}

impl Room {
    /// The chart's height with `below` under it: full size, the chart takes what its table or
    /// sentences leave.
    fn height(self, below: f32) -> f32 {
        if self.full {
            (self.available - below).max(theme::CHART_HEIGHT)
        } else {
            theme::CHART_HEIGHT
        }
    }
}

/// A card's report: its chart and what goes with it (a table, sentences).
fn report_ui(
    ui: &mut egui::Ui,
    ws: &Workspace,
    scope: &Scope,
    cached: &Cached,
    measure: Measure,
    room: Room,
    actions: &mut Vec<Action>,
) {
    let currency = cached.report.base_currency.as_str();
    match (&cached.report.rows, &cached.pivot) {
        (Rows::Funnel(rows), _) => {
            let table = (rows.len() + 1) as f32 * 24.0 + 12.0;
            let (_, bar) = charts::funnel_ui(ui, rows, currency, room.height(table));
            ui.add_space(6.0);
            let row = charts::funnel_rows_ui(ui, rows, currency);
            if let Some(k) = bar.or(row) {
                let stage = &rows[k];
                let ids = reports::reached_deals(&ws.report_data(scope), stage.stage_id);
                actions.push(Action::OpenPinned {
                    label: tr!("Reached {stage}", stage = stage.stage),
                    ids,
                });
            }
        }
        (Rows::Leakage(rows), _) => leakage_card_ui(ui, rows, currency, room),
        (Rows::Pipeline(rows), _) => {
            let (id, none) = revenue_chart(room.card);
            charts::revenue_ui(ui, id, rows, &none, currency, room.height(0.0));
        }
        (Rows::Forecast(rows), Some(pivot)) => {
            let table = if room.full {
                room.available * 0.35
            } else {
                theme::REPORT_TABLE_HEIGHT
            };
            let chart_height = room.height(table + 40.0);
            charts::forecast_ui(ui, rows, pivot, measure, currency, chart_height);
            ui.add_space(6.0);
            if let Some(k) = charts::forecast_table_ui(ui, rows, currency, table, room.full) {
                let row = &rows[k];
                let data = ws.report_data(scope);
                let deals = reports::forecast_deals(&data, &cached.params, row);
                actions.push(Action::OpenPinned {
                    label: tr!(
                        "Forecast of {period}, {salesperson}",
                        period = row.period,
                        salesperson = charts::key_label(&row.salesperson, &tr!("No salesperson"))
                    ),
                    ids: deals.iter().map(|d| d.id).collect(),
                });
            }
        }
        (Rows::Grid(rows), Some(pivot)) => {
            let table = room.height(0.0)
                + if room.full {
                    -40.0
                } else {
                    theme::REPORT_TABLE_HEIGHT
                };
            charts::grid_ui(ui, rows, pivot, currency, table);
        }
        (Rows::WinLoss(rows), _) => {
            charts::winloss_ui(
                ui,
                rows,
                by_reason(&cached.params),
                currency,
                room.height(0.0),
            );
        }
        (Rows::Velocity(report), _) => {
            let beside = velocity::room_beside_chart(report);
            velocity::card_ui(ui, report, currency, room.height(beside));
        }
        (Rows::Calibration(calibration), _) => {
            ui.with_layout(direction::top_down_start(), |ui| {
                let summary = crate::analytics::predict::summary(calibration);
                ui.add(egui::Label::new(ui.rtl(RichText::new(summary))).wrap())
            });
            calibration::chart_ui(ui, calibration, room.height(60.0));
        }
        (Rows::Goals(rows), _) => {
            let below = rows.len() as f32 * 70.0 + 60.0;
            goals::card_ui(ui, ws, rows, currency, room.height(below), actions);
        }
        (Rows::Slipped(rows), _) => {
            // Below the table's top: the sentence and the link.
            slipped::card_ui(ui, rows, currency, room.height(70.0), Some(actions));
        }
        // The card lists stages; deals are for the command line.
        (Rows::Forecast(_) | Rows::Grid(_), None) | (Rows::DealTimes(_), _) => {}
    }
}

/// The leakage card: its verdict, the chart, the weakest step and the table.
fn leakage_card_ui(ui: &mut egui::Ui, rows: &[reports::LeakageRow], currency: &str, room: Room) {
    // The verdict first: what to do about the chart below.
    let verdict = RichText::new(reports::verdict(rows, currency)).strong();
    let reviewed = rows.iter().any(|r| r.needs_review);
    let verdict = if reviewed {
        verdict.color(theme::colors(ui).lost)
    } else {
        verdict.color(theme::colors(ui).won)
    };
    // Not justified: a sentence's spaces stay spaces.
    ui.with_layout(direction::top_down_start(), |ui| {
        ui.add(egui::Label::new(ui.rtl(verdict)).wrap())
    });
    // Under the chart: a sentence, the table, a line per stage with losses.
    let lines = rows.iter().filter(|r| r.lost > 0).count();
    let below = (rows.len() + 1) as f32 * 24.0 + lines as f32 * 20.0 + 90.0;
    charts::leakage_ui(ui, rows, currency, room.height(below));
    if let Some(lowest) = charts::leakage_summary(rows) {
        ui.text(lowest);
    }
    ui.add_space(4.0);
    charts::leakage_rows_ui(ui, rows, currency);
}

/// What a card needs to draw its chart, as a sentence, when its report has nothing to show:
/// axes over no data would read "$0" and "0 %" as if they were figures.
fn needs(rows: &Rows, params: &Params, measure: Measure) -> Option<String> {
    match rows {
        Rows::Velocity(report) => velocity::needs(report),
        Rows::Calibration(c) if c.brier_model.is_none() => {
            Some(crate::analytics::predict::summary(c))
        }
        Rows::Goals(rows) if rows.is_empty() => Some(tr!(
            "No goal is set: set one on the Goals card of the Reports view."
        )),
        Rows::Slipped(rows) if rows.is_empty() => {
            Some(tr!("No deal's close date was pushed later in this period."))
        }
        Rows::DealTimes(_) => Some(tr!(
            "The time each deal spent in each stage is a table: chart it by stage."
        )),
        Rows::Funnel(rows) if rows.is_empty() => Some(tr!(
            "The funnel follows one pipeline: it has no open stage."
        )),
        Rows::Funnel(rows) if rows.iter().all(|r| r.reached == 0) => {
            Some(tr!("The funnel needs deals in this pipeline."))
        }
        Rows::Leakage(rows) if rows.is_empty() => Some(tr!(
            "Sales leakage follows one pipeline: it has no open stage."
        )),
        Rows::Leakage(rows) if rows.iter().all(|r| r.entered == 0) => {
            Some(tr!("Sales leakage needs deals in this pipeline."))
        }
        Rows::Pipeline(rows) if rows.iter().all(|r| r.count == 0) => Some(match params {
            Params::Pipeline { by: GroupBy::Month } => {
                tr!("Revenue by month needs open deals.")
            }
            _ => tr!("Expected vs weighted revenue needs open deals."),
        }),
        Rows::Pipeline(rows) if rows.iter().all(|r| r.expected.is_zero()) => {
            Some(tr!("The open deals have no amount yet."))
        }
        Rows::Forecast(rows) if rows.is_empty() => Some(tr!(
            "The forecast needs open deals with an expected close date in the period, or deals won in it."
        )),
        // A forecast kept at the start of a period that came to nothing is worth its table.
        Rows::Forecast(rows)
            if rows
                .iter()
                .all(|r| measure.of(r).is_zero() && r.at_start.is_none()) =>
        {
            Some(tr!(
                "{measure}: nothing in the period.",
                measure = measure.label()
            ))
        }
        Rows::WinLoss(rows) if rows.is_empty() => Some(tr!(
            "Win/loss needs won or lost deals closed in the period."
        )),
        Rows::Grid(rows) if rows.is_empty() => Some(tr!(
            "The sales grid needs deals won or expected to close in the period."
        )),
        _ => None,
    }
}

/// A card with nothing to draw: `lines` saying what it needs where its chart would be, with no
/// axes. Returns where it is drawn (a PNG of the card shows the sentences).
fn needs_ui(ui: &mut egui::Ui, lines: &[String], height: f32) -> egui::Rect {
    let size = egui::vec2(ui.available_width(), height);
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    let layout = egui::Layout::top_down(Align::Center);
    let mut inner = ui.new_child(egui::UiBuilder::new().max_rect(rect).layout(layout));
    inner.add_space(height / 3.0);
    for (k, line) in lines.iter().enumerate() {
        let text = RichText::new(line).color(theme::colors(ui).text_muted);
        let text = if k == 0 { text.size(15.0) } else { text };
        inner.add(egui::Label::new(inner.rtl(text)).wrap());
    }
    rect
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved(id: Id, name: &str, params: Params) -> SavedReport {
        SavedReport {
            id,
            name: name.to_owned(),
            scope: Scope::default(),
            params,
        }
    }

    #[test]
    fn saving_under_a_name_in_use_replaces_that_report() {
        let funnel = saved(4, "Funnel Q4", Params::Funnel);
        let leakage = saved(9, "leakage", Params::Leakage);
        let both = with_saved(std::slice::from_ref(&funnel), leakage);
        assert_eq!(both.iter().map(|r| r.id).collect::<Vec<_>>(), [4, 9]);
        let again = with_saved(&both, saved(12, "funnel q4", Params::Leakage));
        assert_eq!(again.len(), 2);
        assert_eq!((again[0].id, &again[0].params), (4, &Params::Leakage));
    }

    #[test]
    fn presets_are_whole_calendar_periods_around_today() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        assert_eq!(
            Range::ThisYear.dates(today),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(
            Range::LastYear.dates(today),
            (d(2025, 1, 1), d(2025, 12, 31))
        );
        assert_eq!(
            Range::Next12Months.dates(today),
            (d(2026, 11, 1), d(2027, 10, 31))
        );
        assert_eq!(
            Range::Last12Months.dates(today),
            (d(2025, 12, 1), d(2026, 11, 30))
        );
        assert_eq!(Range::Standard.dates(today), (None, None));
    }

    #[test]
    fn file_names_say_the_report_and_its_grouping() {
        assert_eq!(file_stem(&Params::Funnel), "funnel");
        assert_eq!(
            file_stem(&Params::Pipeline { by: GroupBy::Month }),
            "pipeline-by-month"
        );
        assert_eq!(
            file_stem(&Card::Forecast.default_params()),
            "forecast-by-month"
        );
        assert_eq!(
            file_stem(&Params::WinLoss {
                by: WinLossBy::Competitor,
                from: None,
                to: None
            }),
            "winloss-by-competitor"
        );
    }

    #[test]
    fn a_saved_report_opens_on_the_card_of_its_report() {
        for card in Card::ALL {
            assert_eq!(Card::of(&card.default_params()), card);
            assert_eq!(Card::ALL[card.index()], card);
        }
        assert_eq!(
            Card::of(&Params::Pipeline {
                by: GroupBy::Source
            }),
            Card::Revenue
        );
    }
}
