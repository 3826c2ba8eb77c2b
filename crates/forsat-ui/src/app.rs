//! The eframe application: owns the workspace, routes to views, applies what they ask for
//! after the frame.

use crate::direction;
use crate::ui_ext::UiExt;
use std::path::PathBuf;

use egui::RichText;

use super::about::About;
use super::accounts::AccountsView;
use super::activities::ActivitiesView;
use super::activity_editor::ActivityEditor;
use super::board::BoardView;
use super::catalog::CatalogView;
use super::describe::describe;
use super::dialogs::{self, Dialog};
use super::form::OpportunityForm;
use super::keys::{self, Verb};
use super::leads::LeadsView;
use super::learner::Learner;
use super::list::ListView;
use super::remembered::{FileMemory, Remembered};
use super::reminders::Reminders;
use super::reply::{Replies, Reply, Ticket};
use super::reports::ReportsView;
use super::screenshot::{Capture, Request};
use super::search::Search;
use super::settings::SettingsView;
use super::theme;
use super::unsaved::{Choice, Editing, Leave};
use crate::View;
use crate::analytics::predict::Predictions;
use crate::command::{Change, Command};
use crate::domain::{Activity, Id, Record, StageKind};
use crate::i18n::deals;
use crate::workspace::{Applied, ApplyError, Clock, Filter, UndoStack, Workspace};
use crate::{demo, tr, trn};
use forsat_app::StoreError;

/// What the app is started with.
pub struct AppOptions {
    pub db: PathBuf,
    pub clock: Clock,
    pub view: View,
    /// Where to save a screenshot, and how to report it, for `--screenshot`.
    pub screenshot: Option<Request>,
    /// The database already being opened on another thread (while the window is made), or
    /// None to open it here.
    pub opening: Option<Opening>,
    /// Whether activities due are said in desktop notifications (the status bar says them
    /// always): the binary's window, not the tests'.
    pub desktop_notifications: bool,
    /// Light, dark or the system's.
    pub theme: egui::ThemePreference,
    /// What this computer remembers of the window, to take up and to keep up to date; None
    /// to remember nothing (tests, `--screenshot`).
    pub remembered: Option<Remembered>,
}

/// A database being opened on a thread of its own: [`open_in_background`].
pub type Opening = std::thread::JoinHandle<Result<Workspace, StoreError>>;

/// Starts opening `db` on another thread, which speaks this thread's language: the window is
/// made meanwhile, on the other core.
pub fn open_in_background(db: PathBuf, clock: Clock) -> Opening {
    let local = crate::i18n::current();
    std::thread::spawn(move || {
        crate::i18n::install(local);
        Workspace::open(&db, clock)
    })
}

/// What every view is drawn with: the data, the replies to the commands views sent, and what
/// the views share. A view changes the filter or the pipeline by returning an [`Action`].
pub struct Ctx<'a> {
    pub ws: &'a Workspace,
    pub replies: &'a Replies,
    /// The search and filters narrowing the board and the list.
    pub filter: &'a Filter,
    /// The pipeline the board, the list and the reports show.
    pub pipeline: Id,
    /// The deal open in the form, highlighted where it shows.
    pub selected: Option<Id>,
    /// The deal the keyboard is on (the arrows move it), ringed where it shows; the deal
    /// the shortcuts act on.
    pub cursor: Option<Id>,
    pub view: View,
    /// No text field, popup or dialog had the keys as the frame started: the views' cursor
    /// keys may move (see [`super::cursor::keys_free`]).
    pub keys_free: bool,
    /// The open deals' predicted probabilities, once learnt (from before the last change
    /// while the next are learnt).
    pub predictions: Option<&'a Predictions>,
}

/// The views' [`Ctx`] from a [`Ready`]'s fields, borrowed one by one (a method would borrow
/// all of it), so that a view, another field, can be borrowed mutably beside it.
macro_rules! cx {
    ($ready:expr) => {
        Ctx {
            ws: &$ready.ws,
            replies: &$ready.replies,
            filter: &$ready.filter,
            pipeline: $ready.pipeline,
            selected: $ready.selected(),
            cursor: $ready.cursor,
            view: $ready.view,
            keys_free: $ready.keys_free,
            predictions: $ready.predicted.as_deref(),
        }
    };
}

/// What a view asks the app to do; applied after the views have drawn.
#[derive(Debug)]
pub enum Action {
    Apply(Command),
    /// Apply a command and keep the reply under the ticket, for the view that sent it (see
    /// [`super::reply::send`]).
    Send(Ticket, Command),
    /// Open a deal in the form.
    Open(Id),
    /// Open a deal in the form with the keyboard in its name, as Enter on the board, in the
    /// list or in the palette does: what is typed next edits the deal, it never fires a
    /// shortcut on it.
    Edit(Id),
    /// Put the keyboard on a deal (the arrows on the board or in the list).
    Select(Id),
    /// Open a deal's form with the keyboard in its "plan an activity" line.
    PlanActivity(Id),
    /// Open the dialog editing an activity.
    EditActivity(Id),
    /// Mark an activity done; when nothing else is planned for its open deal, ask for the
    /// next one.
    MarkDone(Id),
    /// Open the list showing only `ids` (a funnel stage's deals), under a chip saying `label`.
    OpenPinned {
        label: String,
        ids: Vec<Id>,
    },
    /// Show an account's detail in the Accounts view.
    OpenAccount(Id),
    /// Open the form on a new deal in this stage.
    New {
        stage: Id,
    },
    /// Move a deal, asking first for a loss reason when the stage is a Lost one.
    Move {
        opp: Id,
        stage: Id,
    },
    CloseForm,
    Undo,
    Redo,
    AskClearSample,
    AskEmptyTrash,
    /// Open the import wizard with this format chosen.
    Import(crate::interchange::Source),
    /// Narrow the board and the list by this filter instead.
    SetFilter(Filter),
    /// Show this pipeline on the board, the list and the reports.
    ShowPipeline(Id),
    /// Open the merge dialog on these duplicates.
    AskMerge(Vec<Id>),
    /// Show a message in the status bar (e.g. a cell that did not parse).
    Error(String),
    /// Say in the status bar that something was done (e.g. a file written).
    Done(String),
}

/// A line in the status bar.
struct Status {
    text: String,
    error: bool,
}

/// The state of an opened database.
struct Ready {
    ws: Workspace,
    view: View,
    /// The pipeline the board and the list show.
    pipeline: Id,
    filter: Filter,
    search: Search,
    board: BoardView,
    list: ListView,
    accounts: AccountsView,
    leads: LeadsView,
    activities: ActivitiesView,
    reports: ReportsView,
    catalog: CatalogView,
    settings: SettingsView,
    form: Option<OpportunityForm>,
    dialog: Option<Dialog>,
    undo: UndoStack,
    status: Option<Status>,
    replies: Replies,
    /// The question asked because a form with unsaved edits would close.
    leave: Option<Asked>,
    /// Set once the user let every form close: the window then closes without asking again.
    quitting: bool,
    /// A view changed the filter or the pipeline after the views drew with the old one.
    stale: bool,
    /// The deal the keyboard is on: see [`Ctx::cursor`].
    cursor: Option<Id>,
    /// The search field takes the keyboard when it is next drawn (`/`, Ctrl+F).
    focus_search: bool,
    /// The widget that had the keyboard focus last frame, to see where Tab moved it.
    focused: Option<egui::Id>,
    /// See [`Ctx::keys_free`]; set as each frame starts.
    keys_free: bool,
    /// The command palette (Ctrl+K), its index kept across openings.
    palette: super::palette::Palette,
    /// The open deals' predicted probabilities, learnt on another thread.
    predictions: Learner<Predictions>,
    /// Their latest: see [`Ctx::predictions`].
    predicted: Option<std::sync::Arc<Predictions>>,
    /// The day and data the forecasts due at the start of a period were last kept (or tried)
    /// on.
    forecasts_kept: Option<(chrono::NaiveDate, u64)>,
    /// When to look for activities due, and how to say them.
    reminders: Reminders,
    /// The reminders said and not dismissed yet.
    due_now: Vec<String>,
    /// The settings' calendar file, written again after each change of an activity.
    calendar: crate::interchange::CalendarKeeper,
    /// Deals following their stage's probability take the prediction: the data last brought
    /// up to date, and the day every such deal last was (None while the setting is off).
    followed: Option<(u64, Option<chrono::NaiveDate>)>,
}

/// A form with unsaved edits would close: which one, and where the user was going.
struct Asked {
    holder: Holder,
    question: Leave<Leaving>,
}

/// Which form holds unsaved edits.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Holder {
    /// The deal form beside every view.
    Deal,
    /// The form of this view (an account, a lead, a product…).
    View(View),
}

/// Where the user was going when a form asked first.
enum Leaving {
    Action(Action),
    View(View),
    Quit,
}

/// The Forsat window.
pub struct App {
    /// The open database, or why it could not be opened.
    state: Result<Box<Ready>, Box<Refusal>>,
    capture: Option<Capture>,
    /// Whether activities due are said in desktop notifications.
    desktop_notifications: bool,
    /// What was remembered at the start; see [`App::remembered`].
    remembered: Option<Remembered>,
    /// The window's context, for the theme chosen when the remembered is saved.
    ctx: egui::Context,
}

/// Why the database could not be opened, and what the error screen can do about it.
struct Refusal {
    message: String,
    db: PathBuf,
    clock: Clock,
    view: View,
    /// For a damaged file: the newest backup that opens, offered in its place.
    backup: Option<PathBuf>,
}

impl App {
    /// Opens the database; on the GUI's first start on an empty file, adds the sample pipeline.
    pub fn new(ctx: &egui::Context, options: AppOptions) -> Self {
        let AppOptions {
            db,
            clock,
            view,
            screenshot,
            opening,
            desktop_notifications,
            theme,
            remembered,
        } = options;
        theme::apply(ctx, theme);
        let mut capture = screenshot.map(|request| Capture::new(request, db.clone()));
        let opened = match opening {
            Some(opening) => {
                let opened = opening
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                // The settings' language was installed on the thread that read them.
                if let Ok(ws) = &opened {
                    crate::i18n::install(ws.settings().local());
                }
                opened
            }
            None => Workspace::open(&db, clock.clone()),
        };
        let state = Ready::open(opened, &db, &clock, view);
        if let Err(refusal) = &state {
            match &mut capture {
                Some(capture) => capture.fail_with(refusal.message.clone()),
                None => eprintln!("forsat: {}", refusal.message),
            }
        }
        let mut app = App {
            state,
            capture,
            desktop_notifications,
            remembered,
            ctx: ctx.clone(),
        };
        app.remind();
        app
    }

    /// Gives the open workspace its reminders, and takes up what was remembered of its file.
    fn remind(&mut self) {
        if let Ok(ready) = &mut self.state {
            ready.reminders = Reminders::new(self.desktop_notifications);
            if let Some(remembered) = &self.remembered {
                ready.take_up(remembered);
            }
        }
    }

    /// What to remember of the window now (the theme, the view, the list's widths, and the
    /// pipeline and reports of the file open); None when it remembers nothing.
    pub fn remembered(&self) -> Option<Remembered> {
        let mut remembered = self.remembered.clone()?;
        remembered.theme = self.ctx.options(|o| o.theme_preference);
        if let Ok(ready) = &self.state {
            remembered.view = ready.view;
            remembered.list_widths = ready.list.widths().to_vec();
            remembered.activities_calendar = ready.activities.calendar_page();
            let memory = FileMemory {
                pipeline: Some(ready.pipeline),
                reports: Some(ready.reports.settings()),
            };
            remembered.set_file(ready.ws.path(), memory);
        }
        Some(remembered)
    }

    /// The open workspace, for tests.
    pub fn workspace(&self) -> Option<&Workspace> {
        self.state.as_ref().ok().map(|r| &r.ws)
    }

    /// The text the board's and the list's search holds, for tests and benchmarks.
    pub fn search_text(&self) -> Option<&str> {
        self.state.as_ref().ok().map(|r| r.filter.text.as_str())
    }

    /// The error screen's message when the database could not be opened.
    pub fn open_error(&self) -> Option<&str> {
        self.state.as_ref().err().map(|r| r.message.as_str())
    }

    /// Puts the refused file's newest good backup in its place (the damaged file is kept
    /// beside it, renamed) and opens it.
    fn restore(&mut self) {
        let Err(refusal) = &mut self.state else {
            return;
        };
        let Some(backup) = refusal.backup.take() else {
            return;
        };
        let now = (refusal.clock)();
        match Workspace::restore(&refusal.db, &backup, now) {
            Ok(kept) => {
                let opened = Workspace::open(&refusal.db, refusal.clock.clone());
                self.state = Ready::open(opened, &refusal.db, &refusal.clock, refusal.view);
                self.remind();
                if let Ok(ready) = &mut self.state {
                    ready.status = Some(Status {
                        text: tr!(
                            "Restored {backup}. The damaged file was kept as {kept}.",
                            backup = file_name(&backup),
                            kept = file_name(&kept)
                        ),
                        error: false,
                    });
                }
            }
            Err(e) => refusal.message = e.to_string(),
        }
    }
}

/// Why a command was refused, for the status bar: each field's problem, joined.
fn refusal_message(error: &ApplyError) -> String {
    match error {
        ApplyError::Invalid(errors) => errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

/// The move of `opp` `step` open stages on (back when negative), if there is such a stage.
fn step_stage(ws: &Workspace, opp: &crate::domain::Opportunity, step: isize) -> Option<Action> {
    let open: Vec<Id> = ws
        .stages_of(opp.pipeline)
        .filter(|s| s.kind == StageKind::Open)
        .map(|s| s.id)
        .collect();
    let at = open.iter().position(|s| *s == opp.stage)?;
    let stage = *open.get(at.checked_add_signed(step)?)?;
    Some(Action::Move { opp: opp.id, stage })
}

/// The last part of a path, for a message.
fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

impl eframe::App for App {
    /// Called by eframe when the window closes, and after a frame at most every 30 seconds.
    /// egui's own memory is kept beside it (eframe's default): its zoom, which the window's
    /// remembered size is measured in.
    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if let Some(remembered) = self.remembered() {
            remembered.save(storage);
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        super::text::follow_language(ui.ctx());
        match &mut self.state {
            Ok(ready) => ready.ui(ui),
            Err(refusal) => {
                if error_screen_ui(ui, refusal) {
                    self.restore();
                }
            }
        }
        if let Some(capture) = &mut self.capture {
            capture.on_frame(ui.ctx());
        }
    }
}

/// The screen instead of the window's views; true when the user asks for the backup.
fn error_screen_ui(ui: &mut egui::Ui, refusal: &Refusal) -> bool {
    let mut restore = false;
    egui::CentralPanel::default().show(ui, |ui| {
        direction::reading(ui, |ui| {
            ui.vertical_centered(|ui| {
                ui.add_space(ui.available_height() / 3.0);
                ui.text(RichText::new(tr!("Forsat cannot open this database")).heading());
                ui.add_space(12.0);
                ui.text(RichText::new(&refusal.message).color(theme::colors(ui).error));
                ui.add_space(12.0);
                if let Some(backup) = &refusal.backup {
                    ui.text(tr!(
                        "The damaged file will be kept beside it under another name."
                    ));
                    let text = tr!("Restore {backup}", backup = file_name(backup));
                    restore = ui.button_text(text).clicked();
                    ui.add_space(6.0);
                }
                if ui.button_text(tr!("Quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
        });
    });
    restore
}

impl Drop for Ready {
    /// A calendar file being written is finished before the window goes.
    fn drop(&mut self) {
        self.calendar.finish();
    }
}

impl Ready {
    /// Takes up what this computer remembers: the list's widths, and the file's pipeline (if
    /// it still has it) and reports' settings.
    fn take_up(&mut self, remembered: &Remembered) {
        self.list.set_widths(remembered.list_widths.clone());
        let today = self.ws.today();
        self.activities
            .show_calendar(remembered.activities_calendar, today);
        let Some(memory) = remembered.file(self.ws.path()) else {
            return;
        };
        if let Some(pipeline) = memory.pipeline
            && self.ws.pipelines().iter().any(|p| p.id == pipeline)
        {
            self.pipeline = pipeline;
        }
        if let Some(reports) = &memory.reports {
            self.reports.restore(reports, &self.ws);
        }
    }

    /// Opens the database at `db`; on the GUI's first start on an empty file, adds the sample
    /// pipeline.
    /// The window's state on the workspace `opened` from `db`, or the refusal to show.
    fn open(
        opened: Result<Workspace, StoreError>,
        db: &std::path::Path,
        clock: &Clock,
        view: View,
    ) -> Result<Box<Ready>, Box<Refusal>> {
        let refusal = |message: String, backup: Option<PathBuf>| {
            Box::new(Refusal {
                message,
                db: db.to_owned(),
                clock: clock.clone(),
                view,
                backup,
            })
        };
        let mut ws = opened.map_err(|e| {
            let backup = Workspace::backup_to_restore(db, &e);
            refusal(e.to_string(), backup)
        })?;
        if !ws.first_start_done() {
            let sample = (ws.opportunity_count() == 0).then(|| Box::new(demo::sample(&ws)));
            ws.apply(Command::FirstStart { sample })
                .map_err(|e| refusal(e.to_string(), None))?;
        }
        // Today's backup, when the settings keep them; a failure only warns.
        let status = ws.backup_failed().map(|e| Status {
            text: tr!("No backup could be made today: {error}", error = e),
            error: true,
        });
        Ok(Box::new(Ready {
            pipeline: ws.default_pipeline().id,
            ws,
            view,
            filter: Filter::default(),
            search: Search::default(),
            board: BoardView::default(),
            list: ListView::default(),
            accounts: AccountsView::default(),
            leads: LeadsView::default(),
            activities: ActivitiesView::default(),
            reports: ReportsView::default(),
            catalog: CatalogView::default(),
            settings: SettingsView::default(),
            form: None,
            dialog: None,
            undo: UndoStack::default(),
            status,
            replies: Replies::default(),
            leave: None,
            quitting: false,
            stale: false,
            cursor: None,
            focus_search: false,
            focused: None,
            keys_free: false,
            palette: super::palette::Palette::default(),
            predictions: Learner::default(),
            forecasts_kept: None,
            reminders: Reminders::new(false),
            due_now: Vec::new(),
            calendar: crate::interchange::CalendarKeeper::default(),
            followed: None,
            predicted: None,
        }))
    }

    fn ui(&mut self, ui: &mut egui::Ui) {
        let mut actions = Vec::new();
        self.keys_free = super::cursor::keys_free(ui.ctx());
        // Nothing fires under an open question or dialog, which is about the state as it is.
        let asking = self.leave.is_some() || self.dialog.is_some() || self.palette.is_open();
        if !asking {
            let typing = super::widgets::typing(ui.ctx());
            if let Some(verb) = keys::pressed(ui.ctx(), typing, crate::i18n::right_to_left()) {
                self.verb(verb, &mut actions);
            }
        }
        self.reveal_focus(ui.ctx());
        self.ask_before_quitting(ui.ctx());
        self.keep_up(ui.ctx());
        // Modals first: they take their keys (Escape) before the forms beneath them would.
        self.leave_ui(ui.ctx());
        self.dialog_ui(ui.ctx(), &mut actions);
        if let Some(pick) = self.palette.ui(ui.ctx(), &self.ws) {
            self.picked(pick, &mut actions);
        }
        let view_before = self.view;
        egui::Panel::top("top_bar").show(ui, |ui| {
            direction::reading(ui, |ui| self.top_bar_ui(ui, &mut actions));
        });
        if self.search.is_open() && self.view_has_filters() {
            egui::Panel::top("advanced_search").show(ui, |ui| {
                direction::reading(ui, |ui| {
                    self.search.panel_ui(ui, &self.ws, &mut self.filter);
                });
            });
        }
        egui::Panel::bottom("status_bar").show(ui, |ui| {
            direction::reading(ui, |ui| self.status_bar_ui(ui));
        });
        if !self.due_now.is_empty() {
            let bar = egui::Frame::side_top_panel(ui.style()).fill(theme::colors(ui).reminder_fill);
            egui::Panel::bottom("reminder_bar")
                .frame(bar)
                .show(ui, |ui| {
                    direction::reading(ui, |ui| self.reminder_bar_ui(ui));
                });
        }
        // The board's cards and the form show predicted probabilities: learnt again after each
        // change, on another thread (in every view when deals follow them).
        let following = self.ws.settings().predicted_probability;
        if self.view == View::Pipeline || self.form.is_some() || following {
            let scope = crate::analytics::reports::Scope::default();
            self.predicted = self
                .predictions
                .tick(&self.ws, &scope, ui.ctx(), |book| Predictions::new(&book));
        }
        self.follow_predictions(following);
        // The top bar and the search panel are drawn first and edit the filter and the pipeline
        // in place; the views drawn below read them from here.
        let cx = &cx!(self);
        if let Some(form) = &mut self.form {
            direction::end_panel("form")
                .resizable(true)
                .default_size(theme::FORM_WIDTH)
                .min_size(340.0)
                .show(ui, |ui| {
                    direction::reading(ui, |ui| actions.extend(form.ui(ui, cx)));
                });
        }
        egui::CentralPanel::default()
            .frame(egui::Frame::central_panel(ui.style()).fill(theme::colors(ui).board_fill))
            .show(ui, |ui| {
                direction::reading(ui, |ui| {
                    actions.extend(match cx.view {
                        View::Pipeline => self.board.ui(ui, cx),
                        View::List => self.list.ui(ui, cx),
                        View::Accounts => self.accounts.ui(ui, cx),
                        View::Leads => self.leads.ui(ui, cx),
                        View::Activities => self.activities.ui(ui, cx),
                        View::Reports => self.reports.ui(ui, cx),
                        View::Products | View::Currencies => self.catalog.ui(ui, cx),
                        View::Settings => self.settings.ui(ui, cx),
                    });
                });
            });
        // A tab clicked away from a form with unsaved edits asks first.
        if self.view != view_before {
            let to = std::mem::replace(&mut self.view, view_before);
            self.leave_then(Some(Holder::View(view_before)), Leaving::View(to));
        }
        for action in actions {
            self.handle(action);
        }
        if std::mem::take(&mut self.stale) {
            // Drawn again before it shows, so a change of filter or pipeline is seen at once.
            ui.ctx()
                .request_discard("a view changed the filter or the pipeline");
            if !ui.ctx().will_discard() {
                ui.ctx().request_repaint();
            }
        }
        if self.quitting {
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// Scrolls the widget that just took the keyboard (Tab) into sight when its scroll area
    /// hides part of it: egui moves the focus there but does not scroll. It is asked as a screen
    /// reader asks: a scroll target only reaches the scroll areas around the widget when set
    /// while the widget is drawn.
    fn reveal_focus(&mut self, ctx: &egui::Context) {
        let focused = ctx.memory(egui::Memory::focused);
        if std::mem::replace(&mut self.focused, focused) == focused {
            return;
        }
        if let Some(widget) = focused.and_then(|id| ctx.read_response(id))
            && widget.interact_rect != widget.rect
        {
            let request = egui::accesskit::ActionRequest {
                action: egui::accesskit::Action::ScrollIntoView,
                target_tree: egui::accesskit::TreeId::ROOT,
                target_node: widget.id.accesskit_id(),
                data: None,
            };
            ctx.input_mut(|i| i.events.push(egui::Event::AccessKitActionRequest(request)));
        }
    }

    /// Turns the window's close button into the unsaved-edits question while a form has them.
    fn ask_before_quitting(&mut self, ctx: &egui::Context) {
        if self.quitting || !ctx.input(|i| i.viewport().close_requested()) {
            return;
        }
        if let Some(holder) = self.unsaved_holder() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            if self.leave.is_none() {
                self.leave_then(Some(holder), Leaving::Quit);
            }
        }
    }

    /// The form with unsaved edits, if any: the deal form first, then the current view's, then
    /// any other view's (none should hold edits once left, but quitting never takes the risk).
    fn unsaved_holder(&mut self) -> Option<Holder> {
        [
            Holder::Deal,
            Holder::View(self.view),
            Holder::View(View::Accounts),
            Holder::View(View::Leads),
            Holder::View(View::Products),
            Holder::View(View::Settings),
        ]
        .into_iter()
        .find(|&holder| {
            self.editor(holder)
                .is_some_and(|(editor, _)| editor.unsaved().is_some())
        })
    }

    /// The form `holder` names, with the data it is saved to.
    fn editor(&mut self, holder: Holder) -> Option<(&mut dyn Editing, &Workspace)> {
        let editor: Option<&mut dyn Editing> = match holder {
            Holder::Deal => self.form.as_mut().map(|form| form as &mut dyn Editing),
            Holder::View(View::Accounts) => Some(&mut self.accounts),
            Holder::View(View::Leads) => Some(&mut self.leads),
            Holder::View(View::Products | View::Currencies) => Some(&mut self.catalog),
            Holder::View(View::Settings) => Some(&mut self.settings),
            Holder::View(_) => None,
        };
        editor.map(|editor| (editor, &self.ws))
    }

    /// Goes on to `then`, first asking when `holder`'s form has unsaved edits.
    fn leave_then(&mut self, holder: Option<Holder>, then: Leaving) {
        let dirty = holder.filter(|&h| {
            self.editor(h)
                .is_some_and(|(editor, _)| editor.unsaved().is_some())
        });
        match dirty {
            Some(holder) => {
                self.leave = Some(Asked {
                    holder,
                    question: Leave { then },
                });
            }
            None => self.go(then),
        }
    }

    /// Shows the unsaved-edits question, and does what the user answers.
    fn leave_ui(&mut self, ctx: &egui::Context) {
        let Some(asked) = &self.leave else {
            return;
        };
        let holder = asked.holder;
        let record = self
            .editor(holder)
            .and_then(|(editor, _)| editor.unsaved())
            .unwrap_or_default();
        let Some(asked) = &self.leave else {
            return;
        };
        let Some(choice) = asked.question.ui(ctx, &record) else {
            return;
        };
        let Some(asked) = self.leave.take() else {
            return;
        };
        let then = asked.question.then;
        match choice {
            Choice::Keep => {}
            Choice::Discard => {
                if let Some((editor, ws)) = self.editor(holder) {
                    editor.discard(ws);
                }
                // A view may hold more than one form (Settings): ask for the next.
                self.leave_then(Some(holder), then);
            }
            Choice::Save => {
                let Some(command) = self.editor(holder).and_then(|(editor, ws)| editor.save(ws))
                else {
                    // The form shows what does not validate; the user stays with it.
                    return;
                };
                let label = describe(&self.ws, &command);
                let result = self.undo.run(&mut self.ws, command, label);
                if self.settle(result, holder == Holder::Deal) {
                    if let Some((editor, ws)) = self.editor(holder) {
                        editor.discard(ws);
                    }
                    self.say(tr!("Saved."), false);
                    self.leave_then(Some(holder), then);
                }
            }
        }
    }

    /// Does what the user was about to do when a form asked.
    fn go(&mut self, then: Leaving) {
        match then {
            Leaving::Action(action) => self.handle_now(action),
            Leaving::View(view) => self.view = view,
            Leaving::Quit => {
                // The window closes at the end of this frame.
                self.quitting = true;
            }
        }
    }

    fn top_bar_ui(&mut self, ui: &mut egui::Ui, actions: &mut Vec<Action>) {
        ui.horizontal(|ui| {
            ui.menu_button_text(tr!("File"), |ui| {
                let clear = ui.add_enabled(
                    self.ws.has_sample(),
                    egui::Button::new(ui.rtl(tr!("Clear sample data…"))),
                );
                if clear.clicked() {
                    actions.push(Action::AskClearSample);
                }
                if ui.button_text(tr!("Import…")).clicked() {
                    self.verb(Verb::Import, actions);
                }
                if ui
                    .button_text(tr!("Import contacts or an invitation…"))
                    .clicked()
                {
                    self.dialog = Some(Dialog::Exchange(Box::default()));
                }
                if ui.button_text(tr!("Export…")).clicked() {
                    self.ask_export();
                }
                if ui.button_text(tr!("Quit")).clicked() {
                    ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                }
            });
            ui.menu_button_text(tr!("Help"), |ui| {
                if ui.button_text(Verb::Shortcuts.label()).clicked() {
                    self.verb(Verb::Shortcuts, actions);
                }
                if ui.button_text(tr!("About Forsat")).clicked() {
                    self.dialog = Some(Dialog::About(About::default()));
                }
            });
            ui.separator();
            ui.text(
                RichText::new("Forsat")
                    .strong()
                    .color(theme::colors(ui).text_strong),
            );
            self.pipeline_ui(ui);
            ui.separator();
            for view in keys::VIEWS {
                ui.selectable_value_text(&mut self.view, view, keys::view_name(view));
            }
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                let sheet = ui
                    .button("?")
                    .accessible_name(Verb::Shortcuts.label())
                    .on_hover_text(ui.rtl(tr!("Keyboard shortcuts (?)")));
                if sheet.clicked() {
                    self.verb(Verb::Shortcuts, actions);
                }
                let redo = ui
                    .add_enabled(self.undo.can_redo(), egui::Button::new(ui.rtl(tr!("Redo"))))
                    .on_hover_text(ui.rtl(tr!("Redo what was undone (Ctrl+Shift+Z)")));
                if redo.clicked() {
                    actions.push(Action::Redo);
                }
                let undo = ui
                    .add_enabled(self.undo.can_undo(), egui::Button::new(ui.rtl(tr!("Undo"))))
                    .on_hover_text(ui.rtl(tr!("Undo the last change (Ctrl+Z)")));
                if undo.clicked() {
                    actions.push(Action::Undo);
                }
            });
        });
        // The deal views' filters get their own row: with every view's tab there is no room.
        if self.view_has_filters() {
            ui.horizontal(|ui| {
                super::board::filter_bar_ui(ui, &self.ws, &mut self.filter, &mut self.focus_search);
                actions.extend(self.search.buttons_ui(ui, &cx!(self)));
            });
        }
    }

    /// The export dialog, on the deals the list shows and those selected in it.
    fn ask_export(&mut self) {
        let (shown, selected) = self
            .list
            .shown_and_selected(&self.ws, &self.filter, self.pipeline);
        self.dialog = Some(Dialog::Export(super::export::ExportDialog::new(
            &self.ws, shown, selected,
        )));
    }

    /// Does what a shortcut or the palette asked.
    fn verb(&mut self, verb: Verb, actions: &mut Vec<Action>) {
        match verb {
            Verb::Palette => self.palette.open(&self.ws),
            Verb::Shortcuts => self.dialog = Some(Dialog::Shortcuts),
            Verb::NewDeal => {
                if let Some(stage) = self.new_deal_stage() {
                    actions.push(Action::New { stage });
                }
            }
            Verb::Search => {
                if !self.view_has_filters() {
                    self.leave_then(Some(Holder::View(self.view)), Leaving::View(View::Pipeline));
                }
                self.focus_search = true;
            }
            Verb::NextStage | Verb::PreviousStage => {
                let step = if verb == Verb::NextStage { 1 } else { -1 };
                actions.extend(self.on_target(|ws, opp| step_stage(ws, opp, step)));
            }
            Verb::MarkWon | Verb::MarkLost => {
                let kind = if verb == Verb::MarkWon {
                    StageKind::Won
                } else {
                    StageKind::Lost
                };
                actions.extend(self.on_target(|ws, opp| {
                    let stage = ws.stage_of_kind(opp.pipeline, kind).map(|s| s.id);
                    let closed = stage == Some(opp.stage);
                    stage
                        .filter(|_| !closed)
                        .map(|stage| Action::Move { opp: opp.id, stage })
                }));
            }
            Verb::PlanActivity => {
                actions.extend(self.on_target(|_, opp| Some(Action::PlanActivity(opp.id))));
            }
            Verb::Trash => {
                actions.extend(
                    self.on_target(|_, opp| {
                        Some(Action::Apply(Command::Trash { ids: vec![opp.id] }))
                    }),
                );
            }
            Verb::Go(view) => {
                self.leave_then(Some(Holder::View(self.view)), Leaving::View(view));
            }
            Verb::Undo => actions.push(Action::Undo),
            Verb::Redo => actions.push(Action::Redo),
            Verb::Import => self.dialog = Some(Dialog::Import(Box::default())),
            Verb::Export => self.ask_export(),
        }
    }

    /// Does what was picked in the palette.
    fn picked(&mut self, pick: super::palette::Pick, actions: &mut Vec<Action>) {
        use super::palette::Pick;
        match pick {
            Pick::Verb(verb) => self.verb(verb, actions),
            Pick::Pipeline(id) => actions.push(Action::ShowPipeline(id)),
            Pick::Deal(id) => actions.push(Action::Edit(id)),
            Pick::Account(id) => actions.push(Action::OpenAccount(id)),
            Pick::Lead(id) => {
                self.leave_then(Some(Holder::View(self.view)), Leaving::View(View::Leads));
                self.leads.select(&self.ws, id);
            }
        }
    }

    /// The stage a new deal goes to: the selected deal's, when it is open and on the pipeline
    /// shown, else the pipeline's first open stage.
    fn new_deal_stage(&self) -> Option<Id> {
        let of_cursor = self
            .target()
            .and_then(|id| self.ws.opportunity(id))
            .and_then(|opp| self.ws.stage(opp.stage))
            .filter(|s| s.kind == StageKind::Open && s.pipeline == self.pipeline);
        of_cursor
            .or_else(|| self.ws.stage_of_kind(self.pipeline, StageKind::Open))
            .map(|s| s.id)
    }

    /// The deal the shortcuts act on: the one the keyboard is on, else the one open in the
    /// form.
    fn target(&self) -> Option<Id> {
        self.cursor
            .filter(|id| self.ws.opportunity(*id).is_some() && !self.ws.is_trashed(*id))
            .or_else(|| self.selected())
    }

    /// What `act` makes of the deal the shortcuts act on; says why when there is none.
    fn on_target(
        &mut self,
        act: impl FnOnce(&Workspace, &crate::domain::Opportunity) -> Option<Action>,
    ) -> Option<Action> {
        let Some(opp) = self.target().and_then(|id| self.ws.opportunity(id)) else {
            self.say(
                tr!("Select a deal first: click it, or move to it with the arrow keys."),
                true,
            );
            return None;
        };
        let action = act(&self.ws, opp);
        if action.is_none() {
            let name = opp.name.clone();
            self.say(tr!("{deal} cannot go further that way.", deal = name), true);
        }
        action
    }

    /// The pipeline the board and the list show: a dropdown once there are several.
    fn pipeline_ui(&mut self, ui: &mut egui::Ui) {
        let pipelines = self.ws.pipelines();
        // A pipeline deleted (or undone) meanwhile gives way to the first one.
        let current = match pipelines.iter().find(|p| p.id == self.pipeline) {
            Some(p) => p,
            None => self.ws.default_pipeline(),
        };
        self.pipeline = current.id;
        // Always a dropdown of one width, so a second pipeline added does not shift the tabs
        // under the pointer.
        egui::ComboBox::from_id_salt("pipeline_switcher")
            .width(theme::PIPELINE_SWITCHER_WIDTH)
            .truncate()
            .selected_text(ui.rtl(&current.name))
            .show_ui(ui, |ui| {
                for p in pipelines {
                    ui.selectable_value_text(&mut self.pipeline, p.id, &p.name);
                }
            })
            .response
            .accessible_name(tr!("Pipeline shown"));
    }

    /// The deal open in the form.
    fn selected(&self) -> Option<Id> {
        self.form
            .as_ref()
            .and_then(super::form::OpportunityForm::opportunity_id)
    }

    /// Whether the current view shows deals, which the filter bar narrows.
    fn view_has_filters(&self) -> bool {
        matches!(self.view, View::Pipeline | View::List)
    }

    /// The reminders said, until dismissed: "Open activities" shows them, "Dismiss" clears.
    fn reminder_bar_ui(&mut self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            ui.text(
                RichText::new(tr!("Reminder"))
                    .strong()
                    .color(theme::colors(ui).text_strong),
            );
            ui.vertical(|ui| {
                for due in &self.due_now {
                    ui.text(RichText::new(due).color(theme::colors(ui).text_strong));
                }
            });
            if ui.button_text(tr!("Open activities")).clicked() {
                self.due_now.clear();
                let go = Leaving::View(View::Activities);
                self.leave_then(Some(Holder::View(self.view)), go);
            }
            if ui.button_text(tr!("Dismiss")).clicked() {
                self.due_now.clear();
            }
        });
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            // Counted every frame, so a merge, an import or an undo shows at once; deals in
            // the trash are on no board or list, so they are not counted.
            let kept = self.ws.opportunity_count() - self.ws.trash_count();
            ui.text(deals(kept as u64));
            if let Some(Status { text, error }) = &self.status {
                ui.separator();
                let color = if *error {
                    theme::colors(ui).error
                } else {
                    theme::colors(ui).text_strong
                };
                ui.text(RichText::new(text).color(color));
            }
            ui.with_layout(direction::end_to_start(egui::Align::Center), |ui| {
                ui.text(
                    RichText::new(self.ws.path().display().to_string())
                        .small()
                        .color(theme::colors(ui).text_faint),
                );
            });
        });
    }

    /// Does what a view asked; what would close the deal form with unsaved edits asks first.
    fn handle(&mut self, action: Action) {
        let closes_form = match &action {
            Action::Open(id) | Action::Edit(id) => self.selected() != Some(*id),
            Action::New { .. } | Action::CloseForm => true,
            _ => false,
        };
        if closes_form && self.leave.is_none() {
            self.leave_then(Some(Holder::Deal), Leaving::Action(action));
        } else if !closes_form {
            self.handle_now(action);
        }
    }

    fn handle_now(&mut self, action: Action) {
        match action {
            Action::Apply(command) => {
                self.run(command, false);
            }
            Action::EditActivity(id) => self.edit_activity(id),
            Action::MarkDone(id) => self.mark_done(id),
            Action::Send(ticket, command) => {
                let reply = self.run(command, true);
                self.replies.answer(ticket, reply);
            }
            Action::Open(id) => {
                if let Some(opp) = self.ws.opportunity(id) {
                    self.form = Some(OpportunityForm::edit(&self.ws, opp.clone()));
                    self.cursor = Some(id);
                }
            }
            Action::PlanActivity(id) => self.plan_activity(id),
            Action::Edit(id) => {
                self.handle_now(Action::Open(id));
                if let Some(form) = self.form_of(id) {
                    form.take_keyboard();
                }
            }
            Action::Select(id) => {
                if self.cursor != Some(id) {
                    self.cursor = Some(id);
                    self.stale = true;
                }
            }
            Action::OpenPinned { label, ids } => {
                // The pinned deals show whatever else the search says: archived ones too,
                // since the funnel counts them.
                self.filter = Filter {
                    status: crate::domain::Status::All,
                    show: crate::domain::Show::All,
                    ..Filter::default()
                };
                self.list.pin(label, ids);
                self.view = View::List;
            }
            Action::OpenAccount(id) => {
                self.view = View::Accounts;
                self.accounts.select(id);
            }
            Action::New { stage } => {
                self.form = OpportunityForm::new_in(&self.ws, stage);
            }
            Action::Move { opp, stage } => {
                let lost = self
                    .ws
                    .stage(stage)
                    .is_some_and(|s| s.kind == StageKind::Lost);
                if lost {
                    self.dialog = Some(Dialog::loss_reason(opp, stage));
                } else {
                    let command = Command::MoveToStage {
                        opp,
                        stage,
                        loss_reason: None,
                    };
                    self.run(command, false);
                }
            }
            Action::CloseForm => self.form = None,
            Action::Undo => self.step_history(false),
            Action::Redo => self.step_history(true),
            Action::AskClearSample => self.dialog = Some(Dialog::ClearSample),
            Action::AskEmptyTrash => self.dialog = Some(Dialog::EmptyTrash),
            Action::Import(source) => {
                self.dialog = Some(Dialog::Import(Box::new(
                    super::import::ImportDialog::from_source(source),
                )));
            }
            Action::SetFilter(filter) => {
                if filter != self.filter {
                    self.filter = filter;
                    self.stale = true;
                }
            }
            Action::ShowPipeline(pipeline) => {
                if pipeline != self.pipeline {
                    self.pipeline = pipeline;
                    self.stale = true;
                }
            }
            Action::AskMerge(ids) => {
                self.dialog = Some(Dialog::Merge(super::merge::MergeDialog::new(ids)));
            }
            Action::Error(message) => self.say(message, true),
            Action::Done(message) => self.say(message, false),
        }
    }

    /// The open dialog, if any, and what its answer does.
    fn dialog_ui(&mut self, ctx: &egui::Context, actions: &mut Vec<Action>) {
        if let Some(dialog) = &mut self.dialog {
            match dialogs::dialog_ui(ctx, dialog, &self.ws) {
                dialogs::Outcome::Open => {}
                dialogs::Outcome::Cancel => self.dialog = None,
                // An activity refused (its salesperson deleted meanwhile) keeps its dialog open
                // with what was typed.
                dialogs::Outcome::Run(command) if matches!(dialog, Dialog::Activity(_)) => {
                    if let Reply::Refused { fields, .. } = self.run(command, false)
                        && let Some(Dialog::Activity(editor)) = &mut self.dialog
                    {
                        editor.refused(fields);
                    } else {
                        self.dialog = None;
                    }
                }
                dialogs::Outcome::Run(command) => {
                    self.dialog = None;
                    actions.push(Action::Apply(command));
                }
                dialogs::Outcome::Done(message) => {
                    self.dialog = None;
                    self.say(message, false);
                }
            }
        }
    }

    /// Opens the dialog editing activity `id`.
    fn edit_activity(&mut self, id: Id) {
        if let Some(activity) = self.ws.activity(id) {
            self.dialog = Some(Dialog::Activity(Box::new(ActivityEditor::edit(activity))));
        }
    }

    /// Marks activity `id` done; asks for the next one when nothing else is planned for its
    /// open deal.
    fn mark_done(&mut self, id: Id) {
        let Some(activity) = self.ws.activity(id).filter(|a| !a.done).cloned() else {
            return;
        };
        let done = Activity {
            done: true,
            ..activity
        };
        let command = Command::Change(Box::new(Change::put(Record::Activity(done.clone()))));
        if let Reply::Applied { .. } = self.run(command, false)
            && self.dialog.is_none()
            && let Some(next) = ActivityEditor::next_after(&self.ws, &done)
        {
            self.dialog = Some(Dialog::Activity(Box::new(next)));
        }
    }

    /// Undoes the last change, or redoes the last undone one, and says which.
    fn step_history(&mut self, redo: bool) {
        let (label, result) = if redo {
            let label = self.undo.redo_label().unwrap_or_default().to_owned();
            (label, self.undo.redo(&mut self.ws))
        } else {
            let label = self.undo.undo_label().unwrap_or_default().to_owned();
            (label, self.undo.undo(&mut self.ws))
        };
        if let Some(result) = result
            && self.settle(result, false)
        {
            let done = if redo {
                tr!("Redid: {what}", what = label)
            } else {
                tr!("Undid: {what}", what = label)
            };
            self.say(done, false);
        }
    }

    /// Opens deal `id` (asking first when another deal's form has unsaved edits) with the
    /// keyboard in the line planning its next activity.
    fn plan_activity(&mut self, id: Id) {
        if self.selected() != Some(id) {
            self.handle(Action::Open(id));
        }
        if let Some(form) = self.form_of(id) {
            form.plan_activity();
        }
    }

    /// The form, when it is open on deal `id` (the user may have kept another one open).
    fn form_of(&mut self, id: Id) -> Option<&mut OpportunityForm> {
        self.form
            .as_mut()
            .filter(|form| form.opportunity_id() == Some(id))
    }

    /// Applies a command the user asked for, keeping its inverse for undo; what became of it.
    /// `sent`: a view sent it for the reply (a cell edited in the list), so it is not the deal
    /// form's save and leaves the form open.
    fn run(&mut self, command: Command, sent: bool) -> Reply {
        // A deal saved as it is stored writes nothing: no history line, no undo step, and the
        // status bar does not claim a save.
        if let Command::UpdateOpportunity {
            opp,
            new_account: None,
        } = &command
            && self.ws.opportunity(opp.id) == Some(&**opp)
        {
            if !sent && self.selected() == Some(opp.id) {
                self.form = None;
            }
            self.say(tr!("Nothing to save: no field was changed."), false);
            return Reply::Applied { created: None };
        }
        let saved_form = !sent
            && matches!(
                command,
                Command::CreateOpportunity { .. } | Command::UpdateOpportunity { .. }
            );
        let done = match &command {
            Command::Change(_) => Some(tr!("Saved.")),
            Command::ConvertLead(_) => Some(tr!("Converted: the deal is on the board.")),
            Command::InsertBatch(batch) => Some(trn!(
                batch.opportunities.len(),
                "Imported {n} deals (Undo takes them back)."
            )),
            Command::LoadSample(batch) => Some(trn!(
                batch.opportunities.len(),
                "Loaded the sample pipeline: {n} deals (Undo takes them back)."
            )),
            // A deal won, lost or trashed leaves the board: say where it went.
            Command::MoveToStage { .. } | Command::Trash { .. } => {
                Some(tr!("Done: {what}", what = describe(&self.ws, &command)))
            }
            _ => None,
        };
        let label = describe(&self.ws, &command);
        let result = self.undo.run(&mut self.ws, command, label);
        let reply = match &result {
            Ok(applied) => Reply::Applied {
                created: applied.created,
            },
            Err(error) => Reply::Refused {
                message: refusal_message(error),
                fields: match error {
                    ApplyError::Invalid(fields) => fields.clone(),
                    _ => Vec::new(),
                },
            },
        };
        if self.settle(result, saved_form) {
            if saved_form {
                self.form = None;
                self.say(tr!("Saved."), false);
            } else if let Some(done) = done {
                self.say(done, false);
            }
        }
        reply
    }

    /// Brings the form and the status bar in line with a command's outcome; true on success.
    /// `from_form` when the form's Save sent it: only then are its errors the form's to show.
    fn settle(&mut self, result: Result<Applied, ApplyError>, from_form: bool) -> bool {
        match result {
            Ok(_) => {
                // The form shows the record as stored now (its history included).
                if let Some(form) = &mut self.form
                    && let Some(id) = form.opportunity_id()
                {
                    match self.ws.opportunity(id) {
                        Some(opp) if !form.is_dirty() => {
                            form.reload(&self.ws, opp.clone());
                        }
                        // Keep the user's edits, but not a stage the board has since changed.
                        Some(opp) => form.follow_stage(opp),
                        None => self.form = None,
                    }
                }
                self.status = None;
                true
            }
            Err(error) => {
                let text = refusal_message(&error);
                if let ApplyError::Invalid(errors) = error
                    && from_form
                    && let Some(form) = &mut self.form
                {
                    form.show_errors(errors);
                }
                self.say(text, true);
                false
            }
        }
    }

    /// Brings the deals that follow their stage's probability to their predictions when the
    /// settings ask for it and fresh ones are learnt (see [`Workspace::followers_change`]),
    /// and back to their stages' defaults when the setting is turned off. Not on the undo
    /// stack: the setting's own change is what the user undoes.
    fn follow_predictions(&mut self, following: bool) {
        let change = if following {
            let scope = crate::analytics::reports::Scope::default();
            let generation = self.ws.generation();
            let Some(predicted) = self.predictions.current(&self.ws, &scope) else {
                return;
            };
            let (done, full) = self.followed.unwrap_or((u64::MAX, None));
            if done == generation {
                return;
            }
            let today = self.ws.today();
            self.followed = Some((generation, Some(today)));
            self.ws
                .followers_change(Some(&predicted), full != Some(today))
        } else if self.followed.take().is_some() {
            self.ws.followers_change(None, true)
        } else {
            return;
        };
        if let Some(change) = change
            && let Err(e) = self.ws.apply(Command::Change(Box::new(change)))
        {
            self.say(e.to_string(), true);
        }
    }

    /// What the window keeps up with each frame: the forecast of a period begun, the
    /// reminders due, the calendar file.
    fn keep_up(&mut self, ctx: &egui::Context) {
        self.keep_forecasts();
        match self.reminders.tick(ctx, &mut self.ws) {
            // Added to those not dismissed yet.
            Some(Ok(due)) => self.due_now.push(due),
            Some(Err(why)) => self.say(why, true),
            None => {}
        }
        if let Some(Err(e)) = self.calendar.keep(&self.ws) {
            let said = tr!("The calendar file could not be written: {error}", error = e);
            self.say(said, true);
        }
        if self.calendar.busy() {
            // Its end is looked for while the window is idle.
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }
    }

    /// Keeps the forecast of a month or quarter that has begun: tried on the first frame,
    /// after a change while none is kept (an empty file's first deals), and past midnight.
    fn keep_forecasts(&mut self) {
        let now = (self.ws.today(), self.ws.generation());
        if self.forecasts_kept == Some(now) {
            return;
        }
        self.forecasts_kept = Some(now);
        if let Err(e) = self.ws.keep_forecasts() {
            self.say(
                tr!(
                    "The forecast of this period could not be kept: {error}",
                    error = e
                ),
                true,
            );
        }
    }

    fn say(&mut self, text: String, error: bool) {
        self.status = Some(Status { text, error });
    }
}
