//! Desktop notifications of activities whose time comes while the window is open (and, at
//! the start, of those whose time came while it was closed): the workspace says which are due
//! and keeps that they were said, so each is said once. A bar above the status bar says it
//! too, until the user dismisses it: a desktop without a notification service, or a user away
//! from the screen, loses none.

use std::time::Duration;

use crate::activity_panel::when_label;
use crate::workspace::Workspace;
use crate::{tr, trn};

/// How often an idle window wakes to look for activities due (a frame drawn looks anyway:
/// the look reads only the days since the last one).
const EVERY: Duration = Duration::from_secs(15);

/// Whether to show desktop notifications (not in tests).
pub struct Reminders {
    desktop: bool,
}

impl Reminders {
    pub fn new(desktop: bool) -> Reminders {
        Reminders { desktop }
    }

    /// Says the activities due in a desktop notification and returns the line the window
    /// shows until it is dismissed; or why they could not be kept as said.
    pub fn tick(&self, ctx: &egui::Context, ws: &mut Workspace) -> Option<Result<String, String>> {
        ctx.request_repaint_after(EVERY);
        let at = ws.local_now();
        if let Err(e) = ws.remind_from(at) {
            return Some(Err(reminder_error(&e)));
        }
        let due: Vec<String> = ws
            .reminders_due(at)
            .into_iter()
            .map(|a| {
                let about = ws.activity_about(a.link).unwrap_or_default();
                format!("{} — {} ({about})", when_label(a), a.summary)
            })
            .collect();
        if due.is_empty() {
            return None;
        }
        if let Err(e) = ws.reminded_through(at) {
            return Some(Err(reminder_error(&e)));
        }
        let title = trn!(due.len(), "{n} activities due");
        if self.desktop {
            notify(title.clone(), due.join("\n"));
        }
        Some(Ok(format!("{title}: {}", due.join("; "))))
    }
}

fn reminder_error(e: &forsat_app::StoreError) -> String {
    tr!("The reminders could not be kept: {error}", error = e)
}

/// Shows a desktop notification on a thread of its own: the session's notification service
/// may be slow to answer, or absent (then the status bar alone says it).
fn notify(title: String, body: String) {
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("Forsat")
            .summary(&title)
            .body(&body)
            .show();
        if let Err(e) = shown {
            eprintln!("forsat: {e}");
        }
    });
}
