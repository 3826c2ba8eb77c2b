//! The in-memory model: every record, indexes and cached totals, over the durable store.
//! All changes go through [`Workspace::apply`].

mod apply;
mod batch;
mod close_dates;
mod columns;
mod config;
mod filter;
mod list;
mod merge;
mod predict;
pub use predict::BookCopy;
mod preferences;
mod records;
mod references;
mod reminders;
mod search;
mod trash;
mod undo;

use crate::analytics::reports::{DoneActivity, ForecastSnapshot, SavedReport};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, Utc};

use crate::analytics::StageTotals;
use crate::analytics::facts::{Facts, Sources};
use crate::analytics::reports::{
    self, Data, Params, Push, Records as ReportRecords, Report, Scope, Slip,
};
use crate::domain::{
    Account, Activity, ActivityLink, CloseDateChange, Contact, Currency, DEFAULT_LOSS_REASONS,
    DEFAULT_SOURCES, EntityKind, Goal, HistoryEntry, Id, IdMap, IdSet, Lead, Lookup, LookupKind,
    Measure, Opportunity, Pipeline, Product, Rates, SavedFilter, Settings, Stage, StageEvent,
    StageKind, default_stages, default_text, pushes,
};
use crate::store::{CloseEdit, Records, Store, StoreError};
use columns::Deals;

pub use crate::domain::ListColumn;
pub use crate::domain::{CloseWindow, Filter};
pub use apply::{Applied, ApplyError};
pub use columns::BoardColumn;
pub use list::{Closed, ListTotals, Sort};
pub use records::{AccountSummary, ListedActivity};
pub use search::IdBits;
pub use undo::UndoStack;

/// Where "now" comes from: the system clock in the app, a fixed instant in tests.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The real clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// All records of one database, kept in memory and in step with the store.
pub struct Workspace {
    store: Store,
    clock: Clock,
    settings: Settings,
    pipelines: Vec<Pipeline>,
    stages: Vec<Stage>,
    lookups: BTreeMap<Id, Lookup>,
    accounts: IdMap<Account>,
    /// Boxed: a map's buckets are sized for its largest value and up to half of them stay
    /// empty, so a million deals stored inline took twice their size.
    opportunities: Deals,
    stage_events: Vec<StageEvent>,
    /// Each deal's close-date changes, oldest first (kept by the store with the history).
    close_dates: close_dates::CloseDates,
    /// What the writes of the command being applied did to them, taken in by `apply`.
    close_journal: std::sync::Mutex<Vec<CloseEdit>>,
    /// Active deals per stage in card order, with their totals.
    columns: IdMap<BoardColumn>,
    sample: Vec<(EntityKind, Id)>,
    /// Deals in the trash and when they were put there; they are on no board, list or report.
    trash: IdMap<DateTime<Utc>>,
    saved_filters: Vec<SavedFilter>,
    saved_reports: Vec<SavedReport>,
    /// The forecasts kept at the start of periods.
    forecasts: Vec<ForecastSnapshot>,
    /// The goals, in the order they were set.
    goals: Vec<Goal>,
    /// Up to when the activities due were reminded (the system's clock).
    reminded_through: Option<chrono::NaiveDateTime>,
    /// The iCalendar file kept up to date with the activities.
    calendar_file: Option<std::path::PathBuf>,
    /// How many times an activity was put or removed since the file was opened.
    activities_changed: u64,
    /// The reports' facts of every deal, kept up to date deal by deal.
    facts: std::sync::Mutex<FactsCache>,
    /// The search's folded texts, kept up to date deal by deal.
    search: std::sync::Mutex<search::SearchCache>,
    /// Every deal in the list's last order, and the generation it was sorted at.
    sorted: std::sync::Mutex<Option<list::Sorted>>,
    list_columns: Vec<ListColumn>,
    contacts: BTreeMap<Id, Contact>,
    leads: BTreeMap<Id, Lead>,
    activities: BTreeMap<Id, Activity>,
    products: BTreeMap<Id, Product>,
    currencies: BTreeMap<Id, Currency>,
    /// The currencies' rates, kept in step with `currencies` and the base currency.
    rates: Rates,
    /// Each deal's next open activity: (due, activity id). Updated per activity change.
    next_activity: IdMap<(NaiveDate, Id)>,
    /// Contact ids per account and activity ids per deal or account, so a form lists them
    /// without scanning every record each frame.
    contacts_by_account: IdMap<Vec<Id>>,
    activities_by_link: HashMap<ActivityLink, Vec<Id>>,
    /// Every activity by due day: a calendar's week or month without a walk of them all.
    activities_by_due: std::collections::BTreeSet<(chrono::NaiveDate, Id)>,
    first_start_done: bool,
    /// Mirrors the store's id counter after each commit.
    /// (Atomic rather than a `Cell` so the workspace can be read from several threads.)
    next_id: AtomicU64,
    /// Bumped by every applied command; views cache what they derive and compare this.
    generation: u64,
    backup_failed: Option<StoreError>,
}

/// The reports' facts as last worked out, and the deals changed since.
#[derive(Default)]
struct FactsCache {
    facts: Option<Arc<Facts>>,
    changed: IdSet,
    /// Deals one of whose stage moves was taken back since (an undone move).
    replaced: IdSet,
    /// Stage moves added since.
    events: Vec<StageEvent>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace")
            .field("store", &self.store)
            .field("opportunities", &self.opportunities.len())
            .finish_non_exhaustive()
    }
}

impl Workspace {
    /// Puts `backup` in place of the damaged file at `db`, which is kept beside it under a
    /// second name (returned). The store holds the file's lock meanwhile.
    pub fn restore(db: &Path, backup: &Path, now: DateTime<Utc>) -> Result<PathBuf, StoreError> {
        crate::store::restore(db, backup, now)
    }

    /// The newest backup of `db` that opens, when opening `db` failed with `error` because the
    /// file is damaged: what a refusal offers to restore.
    pub fn backup_to_restore(db: &Path, error: &StoreError) -> Option<PathBuf> {
        matches!(error, StoreError::Corrupt { .. })
            .then(|| crate::store::newest_good(db))
            .flatten()
    }

    /// Opens (or creates) the database at `path`. A new file gets the default pipeline, stages,
    /// loss reasons and sources in its first transaction.
    pub fn open(path: &Path, clock: Clock) -> Result<Workspace, StoreError> {
        let (store, records, backup_failed) = Store::open(path, clock().date_naive())?;
        let Records {
            pipelines,
            stages,
            lookups,
            accounts,
            opportunities,
            stage_events,
            close_dates,
            settings,
            sample,
            first_start_done,
            next_id,
            trash,
            saved_filters,
            saved_reports,
            list_columns,
            forecasts,
            goals,
            reminded_through,
            calendar_file,
            contacts,
            leads,
            activities,
            products,
            currencies,
        } = records;
        let settings_or_default = settings.clone().unwrap_or_default();
        let rates = Rates::new(&settings_or_default.base_currency, &currencies);
        let trash: IdMap<DateTime<Utc>> =
            trash.into_iter().map(|t| (t.opportunity, t.at)).collect();
        // The board's columns from the loaded vector, read in order, before the deals are
        // scattered over the map.
        let columns = BoardColumn::build(
            opportunities
                .iter()
                .map(|o| &**o)
                .filter(|o| o.active && !trash.contains_key(&o.id)),
            &rates,
        );
        let mut ws = Workspace {
            store,
            clock,
            settings: settings_or_default,
            pipelines,
            stages,
            lookups: lookups.into_iter().map(|l| (l.id, l)).collect(),
            accounts: accounts.into_iter().map(|a| (a.id, a)).collect(),
            opportunities: opportunities.into_iter().map(|o| (o.id, o)).collect(),
            stage_events,
            close_dates: close_dates::CloseDates::new(close_dates),
            close_journal: std::sync::Mutex::default(),
            columns,
            sample,
            trash,
            saved_filters,
            saved_reports,
            forecasts,
            goals,
            reminded_through,
            calendar_file,
            activities_changed: 0,
            facts: std::sync::Mutex::default(),
            search: std::sync::Mutex::default(),
            sorted: std::sync::Mutex::default(),
            list_columns: list_columns.unwrap_or_else(|| ListColumn::DEFAULT.to_vec()),
            contacts: contacts.into_iter().map(|r| (r.id, r)).collect(),
            leads: leads.into_iter().map(|r| (r.id, r)).collect(),
            activities: activities.into_iter().map(|r| (r.id, r)).collect(),
            products: products.into_iter().map(|r| (r.id, r)).collect(),
            currencies: currencies.into_iter().map(|r| (r.id, r)).collect(),
            rates,
            next_activity: IdMap::default(),
            contacts_by_account: IdMap::default(),
            activities_by_link: HashMap::new(),
            activities_by_due: std::collections::BTreeSet::new(),
            first_start_done,
            next_id: AtomicU64::new(next_id),
            generation: 0,
            backup_failed,
        };
        if settings.is_none() {
            // A new file's defaults are written in the language it will be shown in.
            crate::i18n::install(Settings::default().local());
            ws.initialize()?;
        }
        if ws.pipelines.is_empty() {
            // Every Forsat file gets a pipeline in its first transaction: this one was damaged.
            return Err(StoreError::Corrupt {
                path: path.to_owned(),
                detail: "it has no pipeline".to_owned(),
            });
        }
        crate::i18n::install(ws.settings.local());
        // A file that follows the system's language leaves the last run's choice alone.
        if ws.settings.language.is_some() {
            crate::last_language::remember(ws.settings.language);
        }
        ws.sort_config();
        ws.rebuild_related_indexes();
        Ok(ws)
    }

    /// Closes the file as dropping does, but leaves the records to the end of the process
    /// unfreed: the command line's last step, where freeing a million deals one at a time
    /// took longer than a report (a tenth of `report pipeline` at 1M, perf).
    pub fn close_for_exit(mut self) {
        std::mem::forget(std::mem::take(&mut self.opportunities));
        std::mem::forget(std::mem::take(&mut self.stage_events));
        std::mem::forget(std::mem::take(&mut self.accounts));
        std::mem::forget(std::mem::take(&mut self.contacts));
        std::mem::forget(std::mem::take(&mut self.activities));
        std::mem::forget(std::mem::take(&mut self.columns));
        std::mem::forget(std::mem::take(
            self.facts.get_mut().unwrap_or_else(|e| e.into_inner()),
        ));
    }

    /// Writes the default configuration of a new database.
    fn initialize(&mut self) -> Result<(), StoreError> {
        let settings = Settings::default();
        let (pipeline, stages, lookups) = self.write(|tx| {
            tx.put_settings(&settings)?;
            let pipeline = Pipeline {
                id: tx.new_id()?,
                name: default_text("Sales"),
                sequence: 1,
            };
            tx.put_pipeline(&pipeline)?;
            let mut stages = Vec::new();
            for stage in default_stages(pipeline.id) {
                let stage = Stage {
                    id: tx.new_id()?,
                    ..stage
                };
                tx.put_stage(&stage)?;
                stages.push(stage);
            }
            let mut lookups = Vec::new();
            let defaults = DEFAULT_LOSS_REASONS
                .iter()
                .map(|n| (LookupKind::LossReason, n))
                .chain(DEFAULT_SOURCES.iter().map(|n| (LookupKind::Source, n)));
            for (kind, name) in defaults {
                let lookup = Lookup {
                    id: tx.new_id()?,
                    kind,
                    name: default_text(name),
                    active: true,
                };
                tx.put_lookup(&lookup)?;
                lookups.push(lookup);
            }
            Ok((pipeline, stages, lookups))
        })?;
        self.settings = settings;
        self.pipelines.push(pipeline);
        self.stages.extend(stages);
        self.lookups.extend(lookups.into_iter().map(|l| (l.id, l)));
        Ok(())
    }

    fn sort_config(&mut self) {
        self.pipelines.sort_by_key(|p| (p.sequence, p.id));
        self.stages.sort_by_key(|s| (s.pipeline, s.sequence, s.id));
    }

    /// Checks the whole file (see [`Store::check_integrity`]).
    pub fn check_integrity(&mut self) -> Result<(), StoreError> {
        self.store.check_integrity()
    }

    /// The current time from the workspace's clock.
    pub fn now(&self) -> DateTime<Utc> {
        (self.clock)()
    }

    /// Today's date (UTC) from the workspace's clock.
    pub fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }

    /// The file this workspace is stored in.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// Changes whenever a command is applied.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The id the next created record gets; generated batches assign ids from here.
    pub fn next_id(&self) -> Id {
        self.next_id.load(Ordering::Relaxed)
    }

    /// Runs `f` in one durable transaction and, once it committed, mirrors the id counter.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut crate::store::Tx<'_>) -> Result<T, crate::store::TxError>,
    ) -> Result<T, StoreError> {
        let (value, next, journal) = self.store.write(|tx| {
            let value = f(tx).map_err(|e| self.store.write_failed(e))?;
            Ok::<_, StoreError>((value, tx.next_id(), tx.take_close_journal()))
        })?;
        self.next_id.store(next, Ordering::Relaxed);
        if !journal.is_empty() {
            (self.close_journal.lock())
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .extend(journal);
        }
        Ok(value)
    }

    /// Takes in what the last writes did to the close-date changes.
    pub(super) fn close_journal_taken(&mut self) {
        let journal = std::mem::take(
            self.close_journal
                .get_mut()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        );
        self.close_dates.apply(journal);
    }

    /// Deal `id`'s close-date changes, oldest first.
    pub fn close_dates(&self, id: Id) -> &[CloseDateChange] {
        self.close_dates.of(id)
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Pipelines in display order.
    pub fn pipelines(&self) -> &[Pipeline] {
        &self.pipelines
    }

    /// The first pipeline: where new deals go and what the CLI reports by default.
    pub fn default_pipeline(&self) -> &Pipeline {
        // `open` guarantees at least one pipeline: a new file gets "Sales".
        &self.pipelines[0]
    }

    /// The stages of `pipeline` in order.
    pub fn stages_of(&self, pipeline: Id) -> impl Iterator<Item = &Stage> {
        self.stages.iter().filter(move |s| s.pipeline == pipeline)
    }

    /// The first stage of `kind` in `pipeline`.
    pub fn stage_of_kind(&self, pipeline: Id, kind: StageKind) -> Option<&Stage> {
        self.stages_of(pipeline).find(|s| s.kind == kind)
    }

    pub fn stage(&self, id: Id) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    pub fn lookup(&self, id: Id) -> Option<&Lookup> {
        self.lookups.get(&id)
    }

    /// The active values of one lookup table, by name: what dropdowns offer.
    pub fn lookups(&self, kind: LookupKind) -> Vec<&Lookup> {
        let mut out = self.all_lookups(kind);
        out.retain(|l| l.active);
        out
    }

    /// Every value of one lookup table, inactive ones included, by name.
    pub fn all_lookups(&self, kind: LookupKind) -> Vec<&Lookup> {
        let mut out: Vec<&Lookup> = self.lookups.values().filter(|l| l.kind == kind).collect();
        out.sort_by_cached_key(|l| l.name.to_lowercase());
        out
    }

    /// The display name of an optional lookup, empty when unset.
    pub fn lookup_name(&self, id: Option<Id>) -> &str {
        id.and_then(|id| self.lookups.get(&id))
            .map_or("", |l| l.name.as_str())
    }

    pub fn account(&self, id: Id) -> Option<&Account> {
        self.accounts.get(&id)
    }

    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.accounts.values()
    }

    /// The account named `name`, ignoring case and surrounding spaces.
    pub fn account_by_name(&self, name: &str) -> Option<&Account> {
        let wanted = name.trim().to_lowercase();
        self.accounts
            .values()
            .find(|a| a.name.to_lowercase() == wanted)
    }

    /// Up to `limit` account names containing `text` (case-insensitive), by name.
    pub fn account_suggestions(&self, text: &str, limit: usize) -> Vec<&Account> {
        let wanted = text.trim().to_lowercase();
        let mut out: Vec<&Account> = self
            .accounts
            .values()
            .filter(|a| a.name.to_lowercase().contains(&wanted))
            .collect();
        out.sort_by_cached_key(|a| a.name.to_lowercase());
        out.truncate(limit);
        out
    }

    pub fn opportunity(&self, id: Id) -> Option<&Opportunity> {
        self.opportunities.get(&id).map(|o| &**o)
    }

    pub fn opportunities(&self) -> impl Iterator<Item = &Opportunity> {
        self.opportunities.values().map(|o| &**o)
    }

    /// Every deal's id, without reading the deals (the palette's index collects a million).
    pub fn opportunity_ids(&self) -> impl Iterator<Item = Id> {
        self.opportunities.keys().copied()
    }

    pub fn opportunity_count(&self) -> usize {
        self.opportunities.len()
    }

    /// Every stage move, in the order they happened.
    pub fn stage_events(&self) -> &[StageEvent] {
        &self.stage_events
    }

    /// The active deals of `stage` in card order, with their totals (cached, kept up to date).
    pub fn column(&self, stage: Id) -> &BoardColumn {
        static EMPTY: BoardColumn = BoardColumn::EMPTY;
        self.columns.get(&stage).unwrap_or(&EMPTY)
    }

    /// Totals of a stage's active deals.
    pub fn stage_totals(&self, stage: Id) -> StageTotals {
        self.column(stage).totals
    }

    /// Whether the sample pipeline is present.
    pub fn has_sample(&self) -> bool {
        // A sample loaded then undone leaves its ids behind, for a redo to bring back.
        self.sample.iter().any(|(kind, id)| match kind {
            EntityKind::Opportunity => self.opportunities.contains_key(id),
            EntityKind::Account => self.accounts.contains_key(id),
            _ => false,
        })
    }

    /// Whether the GUI has started on this file before.
    pub fn first_start_done(&self) -> bool {
        self.first_start_done
    }

    /// Why today's backup could not be made, when it could not (the file opened regardless).
    pub fn backup_failed(&self) -> Option<&StoreError> {
        self.backup_failed.as_ref()
    }

    /// One record's history, oldest first.
    pub fn history(&self, entity: EntityKind, id: Id) -> Result<Vec<HistoryEntry>, StoreError> {
        self.store.history(entity, id)
    }

    /// Checks the whole history (every entry, none missing) before it is written out.
    pub fn check_history(&self) -> Result<(), StoreError> {
        self.store.check_history()
    }

    /// What the reports read for `scope`. The deals' [`Facts`] are worked out once per
    /// change of the data and shared by every report until the next.
    pub fn report_data(&self, scope: &Scope) -> Data<'_> {
        let records = ReportRecords {
            pipelines: &self.pipelines,
            stages: &self.stages,
            lookups: self.lookups.values(),
            rates: &self.rates,
            today: self.today(),
        };
        Data::new(scope, records, self.facts())
            .with_events(&self.stage_events)
            .with_snapshots(&self.forecasts)
    }

    /// Keeps the forecast of each month and quarter that began since one was last kept, on the
    /// first day a window is open in it with deals expected to close in it (the window calls
    /// this; a report from the command line writes nothing): a file's first minutes, before
    /// its deals are imported, keep nothing. Returns how many were kept. An automatic record,
    /// not a change of the user's: no history, no undo, and the reports of the data stay as
    /// they were (only periods that have ended show their forecast).
    pub fn keep_forecasts(&mut self) -> Result<usize, StoreError> {
        let due = ForecastSnapshot::due(&self.forecasts, self.today());
        if due.is_empty() {
            return Ok(0);
        }
        let data = self.report_data(&Scope::default());
        let taken: Vec<ForecastSnapshot> = due
            .iter()
            .map(|&by| ForecastSnapshot::take(&data, by))
            .filter(|s| !s.rows.is_empty())
            .collect();
        drop(data);
        if taken.is_empty() {
            return Ok(0);
        }
        let kept = taken.len();
        let mut all = self.forecasts.clone();
        all.extend(taken);
        self.write(|tx| tx.put_forecasts(&all))?;
        self.forecasts = all;
        Ok(kept)
    }

    /// The reports' facts of every deal: worked out in full once, then for each change only
    /// those of the deals it changed, so the first report after a stage move at a million
    /// deals does not wait for a million deals.
    pub fn facts(&self) -> Arc<Facts> {
        let mut cache = self
            .facts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let sources = Sources {
            trashed: |id| self.is_trashed(id),
            events: &self.stage_events,
            stages: &self.stages,
            rates: &self.rates,
        };
        let facts = match cache.facts.take() {
            Some(facts) if cache.changed.is_empty() && cache.replaced.is_empty() => facts,
            Some(mut facts) => {
                // Cloned only while a report still holds the old facts.
                let patched = Arc::make_mut(&mut facts);
                let deal = |id| self.opportunity(id);
                // A deal whose move was taken back has its moves placed afresh, all of them.
                let replaced = &cache.replaced;
                let added: std::borrow::Cow<[StageEvent]> = if replaced.is_empty() {
                    std::borrow::Cow::Borrowed(&cache.events)
                } else {
                    let kept = cache.events.iter();
                    let kept = kept.filter(|e| !replaced.contains(&e.opportunity));
                    let theirs = self.stage_events.iter();
                    let theirs = theirs.filter(|e| replaced.contains(&e.opportunity));
                    kept.chain(theirs).cloned().collect()
                };
                patched.patch(&cache.changed, replaced, &added, deal, &sources);
                if patched.worn() {
                    Arc::new(Facts::new(self.opportunities(), &sources))
                } else {
                    facts
                }
            }
            None => Arc::new(Facts::new(self.opportunities(), &sources)),
        };
        cache.changed.clear();
        cache.replaced.clear();
        cache.events.clear();
        cache.facts = Some(facts.clone());
        facts
    }

    /// Adds stage moves to memory (callers keep them in time order).
    pub(super) fn add_stage_events(&mut self, events: impl IntoIterator<Item = StageEvent>) {
        let at = self.stage_events.len();
        self.stage_events.extend(events);
        let cache = self.facts.get_mut().unwrap_or_else(|e| e.into_inner());
        if cache.facts.is_some() {
            cache.events.extend_from_slice(&self.stage_events[at..]);
        }
    }

    /// Takes the stage moves `ids` out of memory (an undo took them back) and notes their
    /// deals, whose moves [`Self::facts`] places afresh.
    pub(super) fn withdraw_stage_events(&mut self, ids: &IdSet) {
        if ids.is_empty() {
            return;
        }
        let mut deals = IdSet::default();
        self.stage_events.retain(|e| {
            let gone = ids.contains(&e.id);
            if gone {
                deals.insert(e.opportunity);
            }
            !gone
        });
        let cache = self.facts.get_mut().unwrap_or_else(|e| e.into_inner());
        if cache.facts.is_some() {
            cache.replaced.extend(deals);
        }
    }

    /// Notes that the deals `ids` changed (record or trash), for [`Self::facts`] and the
    /// search. Past a tenth of the deals, working them all out again is as quick: the facts
    /// are dropped.
    pub(super) fn deals_changed(&mut self, ids: impl IntoIterator<Item = Id>) {
        let ids: Vec<Id> = ids.into_iter().collect();
        let deals = self.opportunities.len();
        self.search
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .deals_changed(ids.iter().copied(), deals);
        let cache = self.facts.get_mut().unwrap_or_else(|e| e.into_inner());
        if cache.facts.is_some() {
            cache.changed.extend(ids);
            if cache.changed.len() > deals / 10 {
                *cache = FactsCache::default();
            }
        }
    }

    /// Puts an account in memory (new or changed); the search folds its name again.
    pub(super) fn put_account(&mut self, account: Account) {
        self.accounts.insert(account.id, account);
        self.accounts_changed();
    }

    /// Takes an account out of memory; the search forgets its name.
    pub(super) fn drop_account(&mut self, id: Id) {
        self.accounts.remove(&id);
        self.accounts_changed();
    }

    fn accounts_changed(&mut self) {
        self.search
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .accounts_changed();
    }

    /// Notes that every deal's facts are to be worked out again (stages, rates or merged
    /// deals changed).
    pub(super) fn facts_stale(&mut self) {
        *self.facts.get_mut().unwrap_or_else(|e| e.into_inner()) = FactsCache::default();
    }

    /// The report `params` names, over `scope`.
    pub fn report(&self, scope: &Scope, params: &Params) -> Report {
        let data = self.report_data(scope);
        match params {
            Params::Calibration => {
                let book = self.prediction_book(scope);
                reports::run(&data.with_book(&book), params)
            }
            // A goal counts its period whenever its deals were created.
            Params::Goals => {
                let scope = Scope {
                    pipeline: scope.pipeline,
                    ..Scope::default()
                };
                let counts_activities =
                    (self.goals.iter()).any(|g| g.measure == Measure::ActivitiesDone);
                let done = if counts_activities {
                    self.done_activities(&scope)
                } else {
                    Vec::new()
                };
                let data = self.report_data(&scope);
                reports::run(&data.with_goals(&self.goals, &done), params)
            }
            Params::Slipped { every } => {
                let slips = self.slips(every.bounds(self.today()).0);
                reports::run(&data.with_slips(&slips), params)
            }
            _ => reports::run(&data, params),
        }
    }

    /// Every deal with a push of its close date that stands on or after `since`, with all of
    /// its pushes that stand (the report keeps those of its period and deals of its scope).
    fn slips(&self, since: NaiveDate) -> Vec<Slip<'_>> {
        // A push since then is a change since then: the other deals are passed over unread.
        let start = since.and_time(chrono::NaiveTime::MIN).and_utc();
        (self.close_dates.changed_since(start))
            .filter_map(|(deal, changes)| {
                let pushes: Vec<Push> = pushes(changes)
                    .into_iter()
                    .filter_map(|c| {
                        Some(Push {
                            on: c.at.date_naive(),
                            from: c.from?,
                            to: c.to?,
                        })
                    })
                    .collect();
                let recent = pushes.last().is_some_and(|p| p.on >= since);
                let name = || self.opportunity(deal).map(|o| o.name.as_str());
                // A pull-in then a push in the period: it was due on neither date before.
                let first = changes.iter().find(|c| c.at >= start);
                let was = first.map_or(changes.last().and_then(|c| c.to), |c| c.from);
                recent.then(name).flatten().map(|name| Slip {
                    deal,
                    name,
                    pushes,
                    was,
                })
            })
            .collect()
    }

    /// Whether the deal is in the trash.
    pub fn is_trashed(&self, id: Id) -> bool {
        self.trash.contains_key(&id)
    }

    /// The searches the user named, in the order they were saved.
    pub fn saved_filters(&self) -> &[SavedFilter] {
        &self.saved_filters
    }

    /// The goals, in the order they were set.
    pub fn goals(&self) -> &[Goal] {
        &self.goals
    }

    /// The activities done that the goals of `scope` count: those of its deals, and those of
    /// accounts when it holds every pipeline; each with its deal's salesperson.
    fn done_activities(&self, scope: &Scope) -> Vec<DoneActivity> {
        (self.activities.values())
            .filter(|a| a.done)
            .filter_map(|a| {
                let deal = match a.link {
                    ActivityLink::Opportunity(id) => Some(self.opportunity(id)?),
                    _ if scope.pipeline.is_some() => return None,
                    _ => None,
                };
                let in_scope = deal.is_none_or(|o| {
                    !self.is_trashed(o.id) && scope.holds(o.pipeline, o.created.date_naive())
                });
                in_scope.then(|| DoneActivity {
                    due: a.due,
                    salesperson: deal.and_then(|o| o.salesperson),
                })
            })
            .collect()
    }

    /// The reports the user named, in the order they were saved.
    pub fn saved_reports(&self) -> &[SavedReport] {
        &self.saved_reports
    }

    /// The list's visible columns, in order.
    pub fn list_columns(&self) -> &[ListColumn] {
        &self.list_columns
    }

    /// How many deals are in the trash.
    pub fn trash_count(&self) -> usize {
        self.trash.len()
    }

    /// Whether the deal shows on the board: active and not in the trash.
    fn on_board(&self, opp: &Opportunity) -> bool {
        opp.active && !self.is_trashed(opp.id)
    }

    fn rebuild_columns(&mut self) {
        let trash = &self.trash;
        self.columns = BoardColumn::build(
            self.opportunities
                .values()
                .map(|o| &**o)
                .filter(|o| o.active && !trash.contains_key(&o.id)),
            &self.rates,
        );
    }
}
