//! Undo and redo: each step is the command that reverses one action. Undoing applies it as a
//! new command, so the record's history shows what happened instead of a rewritten past.

use super::{Applied, ApplyError, Workspace};
use crate::command::Command;

/// The undo and redo stacks of one session.
#[derive(Debug, Default)]
pub struct UndoStack {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// One step: the command reversing an action, and what the action was in the user's words.
#[derive(Debug)]
struct Step {
    command: Command,
    label: String,
}

impl UndoStack {
    /// Applies a new user action. It clears the redo stack; an action with no inverse (clearing
    /// the sample) clears the undo stack too, since earlier steps may name records now gone.
    /// `label` says what the action does ("moved Bluefin to Qualified"), for "Undid: …".
    pub fn run(
        &mut self,
        ws: &mut Workspace,
        command: Command,
        label: String,
    ) -> Result<Applied, ApplyError> {
        let applied = ws.apply(command)?;
        self.redo.clear();
        match &applied.inverse {
            Some(inverse) => self.undo.push(Step {
                command: inverse.clone(),
                label,
            }),
            None => self.undo.clear(),
        }
        Ok(applied)
    }

    /// What the next undo takes back, in the user's words.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    /// What the next redo does again, in the user's words.
    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Undoes the last action. None when there is nothing to undo.
    pub fn undo(&mut self, ws: &mut Workspace) -> Option<Result<Applied, ApplyError>> {
        Self::step(ws, &mut self.undo, &mut self.redo)
    }

    /// Redoes the last undone action. None when there is nothing to redo.
    pub fn redo(&mut self, ws: &mut Workspace) -> Option<Result<Applied, ApplyError>> {
        Self::step(ws, &mut self.redo, &mut self.undo)
    }

    /// Applies the top of `from` and pushes its inverse on `to`. When the write failed (a full
    /// disk) the step stays, to be tried again. When the step no longer applies (its record
    /// changed in a way that refuses it), the steps below it were built on the same state and
    /// are dropped with it, so no inverse ever runs on a state it was not made for.
    fn step(
        ws: &mut Workspace,
        from: &mut Vec<Step>,
        to: &mut Vec<Step>,
    ) -> Option<Result<Applied, ApplyError>> {
        let step = from.pop()?;
        let result = ws.apply(step.command.clone());
        match &result {
            Ok(applied) => to.extend(applied.inverse.clone().map(|command| Step {
                command,
                label: step.label,
            })),
            Err(ApplyError::Store(_)) => from.push(step),
            Err(_) => from.clear(),
        }
        Some(result)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets every step (after an action that cannot be undone).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
