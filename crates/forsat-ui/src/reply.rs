//! Command replies: a view that must know what became of its command sends it with a ticket and
//! reads the reply on a later frame, instead of guessing from the data changing.

use std::cell::RefCell;
use std::sync::atomic::{AtomicU64, Ordering};

use super::app::Action;
use crate::command::Command;
use crate::domain::{FieldError, Id};

/// Names one sent command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticket(u64);

impl Ticket {
    /// A ticket no other command has.
    fn new() -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Ticket(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// What became of a sent command.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// Written; `created` is the deal or record it created, if any.
    Applied { created: Option<Id> },
    /// Nothing was written: the message says why, `fields` names the fields at fault.
    Refused {
        message: String,
        fields: Vec<FieldError>,
    },
}

/// A command sent and not yet answered, with what it was for.
#[derive(Debug)]
pub struct Sent<K> {
    ticket: Ticket,
    what: K,
}

/// Sends `command` for `what`: the action for the app, and the slot to read the reply from.
pub fn send<K>(slot: &mut Option<Sent<K>>, what: K, command: Command) -> Action {
    let ticket = Ticket::new();
    *slot = Some(Sent { ticket, what });
    Action::Send(ticket, command)
}

/// How many replies are kept unread: a view that is not drawn for a while (the user went
/// elsewhere) must not make the list grow.
const KEPT: usize = 32;

/// The replies to the commands applied so far, until their views read them.
#[derive(Default)]
pub struct Replies {
    unread: RefCell<Vec<(Ticket, Reply)>>,
}

impl Replies {
    /// Keeps `reply` to the command sent with `ticket`.
    pub fn answer(&self, ticket: Ticket, reply: Reply) {
        let mut unread = self.unread.borrow_mut();
        if unread.len() == KEPT {
            unread.remove(0);
        }
        unread.push((ticket, reply));
    }

    /// The reply to the command in `slot`, once there is one; the slot is emptied then.
    pub fn take<K>(&self, slot: &mut Option<Sent<K>>) -> Option<(K, Reply)> {
        let ticket = slot.as_ref()?.ticket;
        let mut unread = self.unread.borrow_mut();
        let at = unread.iter().position(|(t, _)| *t == ticket)?;
        let (_, reply) = unread.remove(at);
        slot.take().map(|sent| (sent.what, reply))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_reaches_only_the_slot_that_sent_its_command() {
        let replies = Replies::default();
        let (mut first, mut second) = (None, None);
        let Action::Send(ticket, _) = send(&mut first, "first", Command::EmptyTrash) else {
            panic!("send makes a Send action");
        };
        send(&mut second, "second", Command::EmptyTrash);
        assert_eq!(replies.take(&mut first), None, "no reply yet");
        replies.answer(ticket, Reply::Applied { created: Some(7) });
        assert_eq!(replies.take(&mut second), None);
        assert_eq!(
            replies.take(&mut first),
            Some(("first", Reply::Applied { created: Some(7) }))
        );
        assert!(first.is_none() && second.is_some());
    }

    #[test]
    fn unread_replies_are_bounded() {
        let replies = Replies::default();
        for _ in 0..KEPT * 3 {
            replies.answer(Ticket::new(), Reply::Applied { created: None });
        }
        assert_eq!(replies.unread.borrow().len(), KEPT);
    }
}
