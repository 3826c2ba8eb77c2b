//! The keyboard's cursor on the board and in the list: the keys that move it, and where they
//! take it. The keys are the view's only while no text field, popup or dialog has the keyboard
//! and no other widget has the focus (Tab put it there: the arrows are egui's then).

use egui::{Key, Modifiers};

use crate::domain::Id;

/// A cursor key pressed this frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    Up,
    Down,
    /// Towards the start of the reading line (the previous column).
    Back,
    /// Towards its end (the next column).
    Forward,
    /// Enter: open the deal.
    Open,
}

/// Whether the keys may be the views' this frame: no text field, popup or dialog has them.
/// Asked as the frame starts: a field that took Enter has let the focus go by the time the
/// views are drawn, and its Enter must not open a deal too.
pub fn keys_free(ctx: &egui::Context) -> bool {
    !super::widgets::typing(ctx)
        && !egui::Popup::is_any_open(ctx)
        && ctx.memory(egui::Memory::top_modal_layer).is_none()
}

/// The cursor key pressed this frame, taken from the input; none unless the keys were `free`
/// as the frame started ([`keys_free`]). `own`: the cursor's widget, which may hold the focus
/// (a card Tab reached); its arrows move the cursor, not egui's focus.
pub fn step(ctx: &egui::Context, free: bool, own: Option<egui::Id>) -> Option<Step> {
    if !free || !keys_free(ctx) {
        return None;
    }
    let focused = ctx.memory(egui::Memory::focused);
    if focused.is_some() && focused != own {
        return None;
    }
    // The arrows follow the screen: Left is the next column in a right-to-left board.
    let rtl = crate::i18n::right_to_left();
    let step = ctx.input_mut(|i| {
        let mut take = |key| i.consume_key(Modifiers::NONE, key);
        if take(Key::ArrowUp) || take(Key::K) {
            Some(Step::Up)
        } else if take(Key::ArrowDown) || take(Key::J) {
            Some(Step::Down)
        } else if take(Key::ArrowLeft) {
            Some(if rtl { Step::Forward } else { Step::Back })
        } else if take(Key::ArrowRight) {
            Some(if rtl { Step::Back } else { Step::Forward })
        } else if focused.is_none() && take(Key::Enter) {
            // A focused card takes its Enter as a click, which opens it.
            Some(Step::Open)
        } else {
            None
        }
    });
    if step.is_some()
        && let Some(focused) = focused
    {
        // The cursor's ring shows where the keyboard is; egui's focus would move on its own.
        ctx.memory_mut(|m| {
            m.move_focus(egui::FocusDirection::None);
            m.surrender_focus(focused);
        });
    }
    step
}

/// The column and row of deal `id` among `columns`.
pub fn position(columns: &[&[Id]], id: Id) -> Option<(usize, usize)> {
    columns
        .iter()
        .enumerate()
        .find_map(|(c, ids)| ids.iter().position(|x| *x == id).map(|r| (c, r)))
}

/// The deal now at `row` of `column` (or the column's last), else in the nearest column with
/// deals, forward first: where the cursor goes when its deal left.
pub fn nearest(columns: &[&[Id]], column: usize, row: usize) -> Option<Id> {
    let at = |ids: &&[Id]| ids.get(row.min(ids.len().checked_sub(1)?)).copied();
    columns
        .get(column..)
        .into_iter()
        .flatten()
        .chain(columns.get(..column).into_iter().flatten().rev())
        .find_map(at)
}

/// Where `step` takes the cursor among `columns` (a list is one column): up and down within a
/// column, back and forward to the nearest column with deals, at the same row or its last.
/// A cursor on none of them starts at the first deal. None when there is nowhere to go.
pub fn moved(columns: &[&[Id]], cursor: Option<Id>, step: Step) -> Option<Id> {
    let at = cursor.and_then(|id| position(columns, id));
    let Some((column, row)) = at else {
        return columns.iter().find_map(|ids| ids.first().copied());
    };
    let ids = columns[column];
    match step {
        Step::Up => ids.get(row.checked_sub(1)?).copied(),
        Step::Down => ids.get(row + 1).copied(),
        Step::Back | Step::Forward => {
            let mut others: Box<dyn Iterator<Item = &&[Id]>> = if step == Step::Back {
                Box::new(columns[..column].iter().rev())
            } else {
                Box::new(columns[column + 1..].iter())
            };
            let next = others.find(|ids| !ids.is_empty())?;
            next.get(row.min(next.len() - 1)).copied()
        }
        Step::Open => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_walks_rows_and_skips_empty_columns() {
        let (a, b, c): (&[Id], &[Id], &[Id]) = (&[1, 2, 3], &[], &[7, 8]);
        let columns = [a, b, c];
        assert_eq!(moved(&columns, None, Step::Down), Some(1));
        assert_eq!(moved(&columns, Some(99), Step::Up), Some(1));
        assert_eq!(moved(&columns, Some(1), Step::Down), Some(2));
        assert_eq!(moved(&columns, Some(1), Step::Up), None);
        assert_eq!(moved(&columns, Some(3), Step::Down), None);
        assert_eq!(moved(&columns, Some(3), Step::Forward), Some(8));
        assert_eq!(moved(&columns, Some(1), Step::Forward), Some(7));
        assert_eq!(moved(&columns, Some(8), Step::Back), Some(2));
        assert_eq!(moved(&columns, Some(8), Step::Forward), None);
        assert_eq!(moved(&columns, Some(1), Step::Back), None);
    }

    #[test]
    fn a_deal_gone_hands_the_cursor_to_the_one_in_its_place() {
        let (a, b, c): (&[Id], &[Id], &[Id]) = (&[1, 2], &[], &[7]);
        let columns = [a, b, c];
        assert_eq!(nearest(&columns, 0, 1), Some(2));
        assert_eq!(nearest(&columns, 0, 5), Some(2), "the column's last");
        assert_eq!(nearest(&columns, 1, 0), Some(7), "forward first");
        assert_eq!(position(&columns, 7), Some((2, 0)));
        let (empty, alone): (&[Id], &[Id]) = (&[], &[3]);
        assert_eq!(nearest(&[alone, empty], 1, 0), Some(3), "then back");
        assert_eq!(nearest(&[empty], 0, 0), None);
    }
}
