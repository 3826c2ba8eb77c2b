//! Reminders of activities at a time of day: each is said once, when its time comes while a
//! window is open, or at the next start when it came while none was. The file keeps the moment
//! up to which activities were reminded, so a restart neither repeats one nor loses one. An
//! automatic record, not a change of the user's: no history, no undo.

use chrono::{Local, NaiveDateTime};

use super::Workspace;
use crate::domain::{Activity, ActivityLink};
use crate::store::StoreError;

impl Workspace {
    /// The wall-clock time now on the system's clock (activities' days and times are).
    pub fn local_now(&self) -> NaiveDateTime {
        self.now().with_timezone(&Local).naive_local()
    }

    /// The open activities with a time that came after the last reminder and by `now`, in the
    /// order they came. None before the file was ever reminded: see [`Workspace::remind_from`].
    pub fn reminders_due(&self, now: NaiveDateTime) -> Vec<&Activity> {
        let Some(after) = self.reminded_through.filter(|after| *after < now) else {
            return Vec::new();
        };
        let mut due: Vec<&Activity> = self
            .due_between(after.date(), now.date())
            // Not those of a deal in the trash or of a record gone.
            .filter(|a| !a.done && self.activity_about(a.link).is_some())
            .filter(|a| !matches!(a.link, ActivityLink::Opportunity(id) if self.is_trashed(id)))
            .filter(|a| {
                a.time
                    .map(|t| a.due.and_time(t))
                    .is_some_and(|at| at > after && at <= now)
            })
            .collect();
        due.sort_by_key(|a| (a.due, a.time, a.id));
        due
    }

    /// Keeps that everything due by `now` was reminded.
    pub fn reminded_through(&mut self, now: NaiveDateTime) -> Result<(), StoreError> {
        if self.reminded_through.is_some_and(|at| at >= now) {
            return Ok(());
        }
        self.write(|tx| tx.put_reminded_through(now))?;
        self.reminded_through = Some(now);
        Ok(())
    }

    /// Starts reminding on a file that never reminded: what came before `now` is past, not
    /// news (a file of years of activities says nothing of them).
    pub fn remind_from(&mut self, now: NaiveDateTime) -> Result<(), StoreError> {
        if self.reminded_through.is_none() {
            self.reminded_through(now)?;
        }
        Ok(())
    }
}
