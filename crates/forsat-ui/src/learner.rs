//! What is learnt from the deals on another thread — the predictions of open deals, the
//! calibration card — so no frame waits: the deals are copied a slice a frame (a million
//! take about ninety frames), then laid out and learnt from on a thread of their own, and
//! the last answer is shown until the next comes.

use std::sync::{Arc, mpsc};
use std::time::Duration;

use crate::analytics::predict::Book;
use crate::analytics::reports::Scope;
use crate::workspace::{BookCopy, Workspace};

/// How long a frame copies deals for the learner.
const SLICE: Duration = Duration::from_millis(6);

/// What an answer was learnt from: the data as of a change, the day (ages count from it) and
/// the deals' scope.
#[derive(Clone, PartialEq)]
struct Key {
    generation: u64,
    today: chrono::NaiveDate,
    scope: Scope,
}

impl Key {
    fn of(ws: &Workspace, scope: &Scope) -> Key {
        Key {
            generation: ws.generation(),
            today: ws.today(),
            scope: scope.clone(),
        }
    }
}

/// One thing learnt from the deals of a scope, kept up to date with the data. One learning
/// runs at a time: a change while it runs is learnt after it (its answer is shown meanwhile),
/// so at a million deals two copies never fill the memory and the cores together.
pub struct Learner<T> {
    copy: Option<BookCopy>,
    /// The learning under way, and where its answer comes.
    learning: Option<(Key, mpsc::Receiver<T>)>,
    latest: Option<(Key, Arc<T>)>,
    /// What a learning failed for (a panic, said on stderr): not tried again until a change.
    failed: Option<Key>,
}

impl<T> Default for Learner<T> {
    fn default() -> Self {
        Learner {
            copy: None,
            learning: None,
            latest: None,
            failed: None,
        }
    }
}

impl<T: Send + Sync + 'static> Learner<T> {
    /// The latest answer for `scope` (maybe from before the last change, while the next is
    /// learnt); one frame's work towards the next when the data, the day or the scope changed,
    /// `learn` making it from the copied deals on another thread.
    pub fn tick(
        &mut self,
        ws: &Workspace,
        scope: &Scope,
        ctx: &egui::Context,
        learn: impl FnOnce(Book) -> T + Send + 'static,
    ) -> Option<Arc<T>> {
        let wanted = Key::of(ws, scope);
        if let Some((key, answer)) = &self.learning {
            match answer.try_recv() {
                Ok(answer) => {
                    self.latest = Some((key.clone(), Arc::new(answer)));
                    self.learning = None;
                }
                Err(mpsc::TryRecvError::Empty) => {}
                Err(mpsc::TryRecvError::Disconnected) => {
                    self.failed = Some(key.clone());
                    self.learning = None;
                }
            }
        }
        let fresh = self.latest.as_ref().is_some_and(|l| l.0 == wanted)
            || self.learning.as_ref().is_some_and(|l| l.0 == wanted)
            || self.failed.as_ref() == Some(&wanted);
        if !fresh && self.learning.is_none() {
            if !self.copy.as_ref().is_some_and(|c| c.is_of(ws, scope)) {
                self.copy = Some(BookCopy::new(ws, scope));
            }
            let copy = self.copy.as_mut().expect("just made");
            match copy.step(ws, SLICE) {
                None => ctx.request_repaint(),
                Some(gathered) => {
                    self.copy = None;
                    let (send, answer) = mpsc::channel();
                    let ctx = ctx.clone();
                    std::thread::spawn(move || {
                        // The window may have closed: nobody to tell.
                        let _ = send.send(learn(gathered.finish()));
                        ctx.request_repaint();
                    });
                    self.learning = Some((wanted, answer));
                }
            }
        }
        let latest = self.latest.as_ref().filter(|l| l.0.scope == *scope)?;
        Some(latest.1.clone())
    }

    /// The latest answer when it was learnt from the data as it is now (for `scope`, today).
    pub fn current(&self, ws: &Workspace, scope: &Scope) -> Option<Arc<T>> {
        let wanted = Key::of(ws, scope);
        let latest = self.latest.as_ref().filter(|l| l.0 == wanted)?;
        Some(latest.1.clone())
    }
}
