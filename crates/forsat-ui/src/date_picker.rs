//! A month calendar beside a date field: in the Jalali calendar its months from Farvardin and
//! weeks from Saturday, otherwise Gregorian months and the week start of the settings.

use chrono::{Datelike as _, Days, Months, NaiveDate, Weekday};
use egui::containers::menu::{MenuButton, MenuConfig};
use egui::{PopupCloseBehavior, RichText, Ui};

use crate::direction;
use crate::domain::Calendar;
use crate::i18n::jalali::{self, JalaliDate};
use crate::i18n::{calendar, editable, format_date, localize_digits, parse_date_text};
use crate::tr;
use crate::ui_ext::UiExt;

/// A button opening a calendar of the month of `text`'s date (or `today`'s); a day picked
/// replaces `text`. True when a day was picked.
pub fn picker_button(ui: &mut Ui, text: &mut String, today: NaiveDate, name: &str) -> bool {
    let id = ui.scope_id().with(("date_picker", name));
    let mut picked = false;
    let button = MenuButton::new(ui.rtl(tr!("Calendar")))
        .config(MenuConfig::new().close_behavior(PopupCloseBehavior::CloseOnClickOutside));
    let (response, _) = button.ui(ui, |ui| {
        let chosen = parse_date_text(text);
        let mut month = ui
            .data(|d| d.get_temp::<NaiveDate>(id))
            .unwrap_or_else(|| first_of_month(chosen.unwrap_or(today)));
        if let Some(day) = month_ui(ui, &mut month, chosen, today) {
            *text = editable(format_date(day));
            picked = true;
            ui.data_mut(|d| d.remove::<NaiveDate>(id));
            ui.close();
        } else {
            ui.data_mut(|d| d.insert_temp(id, month));
        }
    });
    response.accessible_name(tr!("Pick {field} from a calendar", field = name));
    picked
}

/// The first day of `date`'s month in the calendar in use.
pub(crate) fn first_of_month(date: NaiveDate) -> NaiveDate {
    match calendar() {
        Calendar::Gregorian => date.with_day(1).unwrap_or(date),
        Calendar::Jalali => JalaliDate::from_gregorian(date).months_from_start(1).0,
    }
}

/// The first day of the month after (`step` 1) or before (−1) the one starting on `first`.
pub(crate) fn shift_month(first: NaiveDate, step: i32) -> NaiveDate {
    match calendar() {
        Calendar::Gregorian if step > 0 => first + Months::new(1),
        Calendar::Gregorian => first - Months::new(1),
        Calendar::Jalali => {
            let day = JalaliDate::from_gregorian(first);
            let next = if step > 0 {
                day.next_month()
            } else {
                day.previous_month()
            };
            next.to_gregorian().unwrap_or(first)
        }
    }
}

/// The month's title and length: "Azar 1405" / "آذر ۱۴۰۵", 30.
pub(crate) fn month_title(first: NaiveDate) -> (String, u32) {
    match calendar() {
        Calendar::Gregorian => {
            let next = first + Months::new(1);
            let days = (next - first).num_days() as u32;
            let year = localize_digits(&first.year().to_string()).into_owned();
            (format!("{} {year}", gregorian_month(first.month())), days)
        }
        Calendar::Jalali => {
            let day = JalaliDate::from_gregorian(first);
            let year = localize_digits(&day.year.to_string()).into_owned();
            let title = format!("{} {year}", jalali::month_name(day.month));
            (title, u32::from(day.days_in_month()))
        }
    }
}

fn gregorian_month(month: u32) -> String {
    match month {
        1 => tr!("January"),
        2 => tr!("February"),
        3 => tr!("March"),
        4 => tr!("April"),
        5 => tr!("May"),
        6 => tr!("June"),
        7 => tr!("July"),
        8 => tr!("August"),
        9 => tr!("September"),
        10 => tr!("October"),
        11 => tr!("November"),
        _ => tr!("December"),
    }
}

pub(crate) fn weekday_short(day: Weekday) -> String {
    match day {
        Weekday::Mon => tr!("Mo"),
        Weekday::Tue => tr!("Tu"),
        Weekday::Wed => tr!("We"),
        Weekday::Thu => tr!("Th"),
        Weekday::Fri => tr!("Fr"),
        Weekday::Sat => tr!("Sa"),
        Weekday::Sun => tr!("Su"),
    }
}

/// The month starting on `first`, with arrows to the months around it; the day clicked.
fn month_ui(
    ui: &mut Ui,
    first: &mut NaiveDate,
    chosen: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let (title, days) = month_title(*first);
    ui.horizontal(|ui| {
        // The arrows point the way the months run in the reading direction.
        let (back, forth) = if crate::i18n::right_to_left() {
            (">", "<")
        } else {
            ("<", ">")
        };
        let previous = ui.small_button(back).accessible_name(tr!("Previous month"));
        if previous
            .on_hover_text(ui.rtl(tr!("Previous month")))
            .clicked()
        {
            *first = shift_month(*first, -1);
        }
        ui.text(RichText::new(&title).strong());
        let next = ui.small_button(forth).accessible_name(tr!("Next month"));
        if next.on_hover_text(ui.rtl(tr!("Next month"))).clicked() {
            *first = shift_month(*first, 1);
        }
    });
    let start = crate::domain::first_weekday();
    let week: Vec<Weekday> = std::iter::successors(Some(start), |d| Some(d.succ()))
        .take(7)
        .collect();
    let offset = week.iter().position(|d| *d == first.weekday()).unwrap_or(0);
    // Cells in reading order: a Persian week runs from the right.
    let order: Vec<usize> = if crate::i18n::right_to_left() {
        (0..7).rev().collect()
    } else {
        (0..7).collect()
    };
    let mut clicked = None;
    direction::grid_scope(ui, |ui| {
        egui::Grid::new(("date_picker_days", *first))
            .spacing([2.0, 2.0])
            .min_col_width(28.0)
            .show(ui, |ui| {
                for &column in &order {
                    ui.text(RichText::new(weekday_short(week[column])).weak());
                }
                ui.end_row();
                let cells = (offset as u32 + days).div_ceil(7) * 7;
                for row in 0..cells / 7 {
                    for &column in &order {
                        let cell = row * 7 + column as u32;
                        let Some(day) = cell.checked_sub(offset as u32).filter(|d| *d < days)
                        else {
                            ui.label("");
                            continue;
                        };
                        let date = *first + Days::new(u64::from(day));
                        let mut text = RichText::new(localize_digits(&(day + 1).to_string()));
                        if date == today {
                            text = text.underline();
                        }
                        let button = ui
                            .selectable_label_text(chosen == Some(date), text)
                            .on_hover_text(ui.rtl(format_date(date)));
                        if button.clicked() {
                            clicked = Some(date);
                        }
                    }
                    ui.end_row();
                }
            });
    });
    clicked
}
