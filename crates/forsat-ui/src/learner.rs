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

/// One thing learnt from the deals of a scope, kept up to date with the data.
pub struct Learner<T> {
    copy: Option<BookCopy>,
    /// The learning under way: for which data and scope, and where its answer comes.
    learning: Option<(u64, Scope, mpsc::Receiver<T>)>,
    latest: Option<(u64, Scope, Arc<T>)>,
}

impl<T> Default for Learner<T> {
    fn default() -> Self {
        Learner {
            copy: None,
            learning: None,
            latest: None,
        }
    }
}

impl<T: Send + Sync + 'static> Learner<T> {
    /// The latest answer for `scope` (maybe from before the last change, while the next is
    /// learnt); one frame's work towards the next when the data or the scope changed, `learn`
    /// making it from the copied deals on another thread.
    pub fn tick(
        &mut self,
        ws: &Workspace,
        scope: &Scope,
        ctx: &egui::Context,
        learn: impl FnOnce(Book) -> T + Send + 'static,
    ) -> Option<Arc<T>> {
        let wanted = (ws.generation(), scope);
        let current = |generation: u64, for_scope: &Scope| (generation, for_scope) == wanted;
        if let Some((generation, for_scope, answer)) = &self.learning
            && let Ok(answer) = answer.try_recv()
        {
            self.latest = Some((*generation, for_scope.clone(), Arc::new(answer)));
            self.learning = None;
        }
        let fresh = self.latest.as_ref().is_some_and(|l| current(l.0, &l.1))
            || self.learning.as_ref().is_some_and(|l| current(l.0, &l.1));
        if !fresh {
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
                    self.learning = Some((wanted.0, scope.clone(), answer));
                }
            }
        }
        let latest = self.latest.as_ref().filter(|l| l.1 == *scope)?;
        Some(latest.2.clone())
    }
}
