//! Undo and redo: each step is the command that reverses one action. Undoing applies it as a
//! new command, so the record's history shows what happened instead of a rewritten past.

use super::{Applied, ApplyError, Workspace};
use crate::command::Command;

/// The undo and redo stacks of one session.
#[derive(Debug, Default)]
pub struct UndoStack {
    undo: Vec<Command>,
    redo: Vec<Command>,
}

impl UndoStack {
    /// Applies a new user action. It clears the redo stack; an action with no inverse (clearing
    /// the sample) clears the undo stack too, since earlier steps may name records now gone.
    pub fn run(&mut self, ws: &mut Workspace, command: Command) -> Result<Applied, ApplyError> {
        let applied = ws.apply(command)?;
        self.redo.clear();
        match &applied.inverse {
            Some(inverse) => self.undo.push(inverse.clone()),
            None => self.undo.clear(),
        }
        Ok(applied)
    }

    /// Undoes the last action. None when there is nothing to undo.
    pub fn undo(&mut self, ws: &mut Workspace) -> Option<Result<Applied, ApplyError>> {
        Self::step(ws, &mut self.undo, &mut self.redo)
    }

    /// Redoes the last undone action. None when there is nothing to redo.
    pub fn redo(&mut self, ws: &mut Workspace) -> Option<Result<Applied, ApplyError>> {
        Self::step(ws, &mut self.redo, &mut self.undo)
    }

    /// Applies the top of `from` and pushes its inverse on `to`. A step that fails (its record
    /// changed meanwhile in a way that refuses it) is dropped, so the stacks never stall.
    fn step(
        ws: &mut Workspace,
        from: &mut Vec<Command>,
        to: &mut Vec<Command>,
    ) -> Option<Result<Applied, ApplyError>> {
        let command = from.pop()?;
        Some(ws.apply(command).inspect(|applied| {
            if let Some(inverse) = &applied.inverse {
                to.push(inverse.clone());
            }
        }))
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
