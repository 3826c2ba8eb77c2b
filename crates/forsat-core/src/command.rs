//! Every change a user (or the CLI) can make. Views never mutate records: they return a
//! `Command`, and [`crate::workspace::Workspace::apply`] validates it, writes it with its history
//! in one transaction, updates memory and hands back the inverse for undo.

use crate::analytics::reports::SavedReport;
use chrono::NaiveDate;

use crate::domain::{
    Account, CloseDateChange, EntityKind, Filter, ForecastChoice, Id, ListColumn, Lookup,
    Opportunity, Record, SavedFilter, Settings, StageEvent,
};

/// One user action.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Creates a deal. When `new_account` is set, the deal's account is the account of that name
    /// (matched case-insensitively) or a new one created in the same transaction.
    CreateOpportunity {
        opp: Box<Opportunity>,
        new_account: Option<String>,
    },
    /// Replaces an existing deal's fields (the form's Save); `new_account` as for creation.
    UpdateOpportunity {
        opp: Box<Opportunity>,
        new_account: Option<String>,
    },
    /// Replaces several deals at once (the undo of a mass update or of a move, and its redo),
    /// taking back or putting back the stage moves `moves` names.
    UpdateOpportunities {
        opps: Vec<Opportunity>,
        moves: Moves,
    },
    /// Sets the same fields on many deals: one transaction, one undo step.
    MassUpdate { ids: Vec<Id>, patch: MassPatch },
    /// Moves a deal to another stage (a drag on the board); `loss_reason` for a Lost stage.
    MoveToStage {
        opp: Id,
        stage: Id,
        loss_reason: Option<Id>,
    },
    /// Deletes a deal and its stage events (the undo of a creation). `account` is deleted too
    /// when given, if no other deal uses it.
    DeleteOpportunity { id: Id, account: Option<Id> },
    /// Puts back a deleted deal with its id and stage events (the undo of a deletion), and its
    /// account when that was deleted with it.
    RestoreOpportunity {
        opp: Box<Opportunity>,
        account: Option<Box<Account>>,
        stage_events: Vec<StageEvent>,
    },
    /// Adds generated records (demo data) in one transaction.
    InsertBatch(Box<Batch>),
    /// Records that the GUI has started on this file, with the sample pipeline when given.
    FirstStart { sample: Option<Box<Batch>> },
    /// Moves deals to the trash: off the board, the list and the reports, restorable.
    Trash { ids: Vec<Id> },
    /// Takes deals out of the trash.
    RestoreFromTrash { ids: Vec<Id> },
    /// Deletes every deal in the trash for good (asked for with a confirmation).
    EmptyTrash,
    /// Names the current search; a name already saved gets the new filter.
    SaveFilter { name: String, filter: Box<Filter> },
    /// Forgets a saved search.
    DeleteSavedFilter { id: Id },
    /// Replaces every saved search (the undo of saving or deleting one).
    SetSavedFilters { filters: Vec<SavedFilter> },
    /// Replaces the saved reports (saving, renaming or deleting one, and its undo).
    SetSavedReports { reports: Vec<SavedReport> },
    /// Replaces the goals (adding, changing or removing one, and its undo).
    SetGoals { goals: Vec<crate::domain::Goal> },
    /// Merges duplicates into `survivor` (its fields as the user picked them): their stage
    /// events and history move to it, and they go to the trash. One undo step. `moves` puts
    /// back the survivor's stage move its undo took back (a redo); empty otherwise.
    Merge {
        survivor: Box<Opportunity>,
        merged: Vec<Id>,
        moves: Moves,
    },
    /// Undoes a merge: the survivor's earlier version, and the moved events, history entries
    /// and activities back to the deals (`(moved id, deal it came from)`), out of the trash;
    /// the survivor's stage move the merge made is taken back (`moves`), not moved back.
    Unmerge {
        survivor: Box<Opportunity>,
        merged: Vec<Id>,
        events: Vec<(Id, Id)>,
        history: Vec<(Id, Id)>,
        activities: Vec<(Id, Id)>,
        moves: Moves,
    },
    /// Chooses the list's visible columns, in order.
    SetListColumns { columns: Vec<ListColumn> },
    /// Keeps the activities written to this iCalendar file after every change (None: stops).
    SetCalendarFile { path: Option<std::path::PathBuf> },
    /// Removes the sample pipeline's deals, and its accounts and salespeople no longer in use.
    ClearSample,
    /// Creates, edits or deletes accounts, contacts, leads, activities, products or
    /// currencies, with the deals that must change with them: one transaction, one undo step.
    Change(Box<Change>),
    /// Turns a lead into an account, a contact and a deal.
    ConvertLead(Box<ConvertLead>),
    /// Adds the sample pipeline's deals (made by [`crate::demo::sample`] in the pipeline's
    /// own stages) on request, marked as the sample: one undo step.
    LoadSample(Box<Batch>),
}

/// What a [`Command::Change`] does, in this order: settings, records put, deals put back,
/// deals replaced, deals deleted, records removed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Change {
    /// Records created (id 0: a fresh id is taken) or replaced.
    pub put: Vec<Record>,
    /// Deleted deals put back with their ids and stage events.
    pub restore_deals: Vec<(Opportunity, Vec<StageEvent>)>,
    /// Existing deals replaced (an account's deals moved to another account).
    pub update_deals: Vec<Opportunity>,
    /// Deals deleted with their stage events.
    pub delete_deals: Vec<Id>,
    /// Records deleted.
    pub remove: Vec<(EntityKind, Id)>,
    /// New settings (a new base currency comes with its currencies rebased in `put`).
    pub settings: Option<Settings>,
    /// Stage moves of `update_deals` taken back or put back (an undo, a redo).
    pub moves: Moves,
}

/// The stage moves an undo takes back and its redo puts back. An undone move did not happen:
/// its stage event goes, in the same transaction, instead of a move back being recorded, so
/// every report reads stage events as where deals really were. The history keeps both the
/// move and its undo as changes of their own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Moves {
    /// Moves to delete: the deal they moved goes back from their `to` to their `from`
    /// without a new move.
    pub withdraw: Vec<StageEvent>,
    /// Moves to put back as they were (ids and times): the deal goes again from their `from`
    /// to their `to`.
    pub restore: Vec<StageEvent>,
}

impl Moves {
    /// Takes back `events`, moves just written.
    pub fn withdraw(events: Vec<StageEvent>) -> Moves {
        Moves {
            withdraw: events,
            restore: Vec::new(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.withdraw.is_empty() && self.restore.is_empty()
    }
}

impl Change {
    /// Creates or replaces one record.
    pub fn put(record: Record) -> Change {
        Change {
            put: vec![record],
            ..Change::default()
        }
    }
}

/// How a lead becomes a deal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConvertLead {
    pub lead: Id,
    /// An existing account, or None for the account named `account_name` (matched ignoring
    /// case, created when there is none).
    pub account: Option<Id>,
    pub account_name: String,
    pub stage: Id,
}

/// Records with ids assigned in advance from [`crate::workspace::Workspace::next_id`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Batch {
    pub lookups: Vec<Lookup>,
    pub accounts: Vec<Account>,
    pub opportunities: Vec<Opportunity>,
    /// Each deal's stage moves, creation first, in time order.
    pub stage_events: Vec<StageEvent>,
    /// Changes of the deals' expected close dates before the batch, each deal's in time
    /// order, its last one to the date it holds; written into their history (their ids are
    /// taken then: `id` is not read).
    pub close_dates: Vec<CloseDateChange>,
    /// Contacts, leads, activities, products, currencies, pipelines and stages; what they
    /// name is in the batch or stored.
    pub records: Vec<Record>,
    /// Deals of the batch that go straight to the trash (an import of trashed deals).
    pub trash: Vec<Id>,
}

/// The fields a mass update sets; `None` leaves a field as each deal has it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MassPatch {
    pub stage: Option<Id>,
    pub salesperson: Option<Option<Id>>,
    pub expected_close: Option<Option<NaiveDate>>,
    pub forecast: Option<ForecastChoice>,
    pub source: Option<Option<Id>>,
    pub campaign: Option<Option<Id>>,
    /// The loss reason given to every deal when `stage` is a Lost one (asked once for all);
    /// None keeps each deal's own.
    pub loss_reason: Option<Id>,
}

impl MassPatch {
    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == MassPatch::default()
    }

    /// Sets the patch's fields on `opp`; a new stage's rules are applied when it is saved.
    pub fn apply_to(&self, opp: &mut Opportunity) {
        let MassPatch {
            stage,
            salesperson,
            expected_close,
            forecast,
            source,
            campaign,
            loss_reason,
        } = *self;
        if let Some(stage) = stage {
            opp.stage = stage;
            // The stage's rules keep it only for a Lost stage.
            opp.loss_reason = loss_reason.or(opp.loss_reason);
        }
        opp.salesperson = salesperson.unwrap_or(opp.salesperson);
        opp.expected_close = expected_close.unwrap_or(opp.expected_close);
        opp.forecast = forecast.unwrap_or(opp.forecast);
        opp.source = source.unwrap_or(opp.source);
        opp.campaign = campaign.unwrap_or(opp.campaign);
    }
}
