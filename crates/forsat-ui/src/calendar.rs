//! The Activities view's week and month calendars. A week runs from the first weekday (Saturday
//! in the Jalali calendar) with an hour grid for timed activities and a strip above it for
//! those without a time; a month shows its weeks with each day's activities. An activity
//! dragged to another day, hour or the strip moves there in one change, undone as one.

use chrono::{Datelike as _, Days, NaiveDate, NaiveTime, Timelike as _};
use egui::{Align2, Color32, Pos2, Rect, RichText, Sense, Stroke, TextWrapMode, Ui, vec2};

use super::activity_panel::{kind_label, state_color, when_label};
use super::app::Action;
use super::theme;
use crate::command::{Change, Command};
use crate::date_picker::{first_of_month, month_title, shift_month, weekday_short};
use crate::domain::{Activity, ActivityFilter, Every, Id, Record};
use crate::i18n::{format_date, localize_digits, right_to_left};
use crate::tr;
use crate::ui_ext::UiExt;
use crate::workspace::{ListedActivity, Workspace};

/// Height of an hour in the week's grid.
const HOUR: f32 = 44.0;
/// Minutes an activity snaps to when dropped on the grid.
const SNAP: u32 = 15;
/// Height of an activity in the strip above the grid and in a month's day.
const CHIP: f32 = 20.0;
/// Width of the hours' gutter beside the grid.
const GUTTER: f32 = 52.0;
/// Activities shown in a day of the strip or the month before "+n more".
const SHOWN: usize = 3;

/// Which calendar is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Page {
    Week,
    Month,
}

/// What a dragged activity carries: which, and how far below its start the pointer took it
/// (minutes), so a drop on the grid keeps the part of it that was under the pointer there.
#[derive(Clone, Copy, Debug)]
struct ActivityDrag {
    id: Id,
    grab: u32,
}

/// The activities of the days shown, read again only when the data, the search or the page
/// changes.
struct Shown {
    generation: u64,
    filter: ActivityFilter,
    items: Vec<ListedActivity>,
}

/// What the calendar asks of the view beside actions on the data.
pub enum Went {
    /// List the activities of this day.
    Day(NaiveDate),
    /// Show the week of this day.
    Week(NaiveDate),
}

/// A week or month calendar of the activities.
pub struct CalendarView {
    pub page: Page,
    /// A day of the week or month shown.
    pub day: NaiveDate,
    shown: Option<Shown>,
    /// The grid scrolls to the morning when a week is first shown.
    to_morning: bool,
}

impl CalendarView {
    pub fn new(page: Page, day: NaiveDate) -> CalendarView {
        CalendarView {
            page,
            day,
            shown: None,
            to_morning: true,
        }
    }

    /// The first day shown and the number of days (a week, or the whole weeks of a month).
    pub fn days(&self) -> (NaiveDate, u32) {
        let (start, _) = Every::Week.bounds(self.day);
        match self.page {
            Page::Week => (start, 7),
            Page::Month => {
                let (first, next) = Every::Month.bounds(self.day);
                let start = Every::Week.bounds(first).0;
                let weeks = ((next - start).num_days() as u32).div_ceil(7);
                (start, weeks * 7)
            }
        }
    }

    /// The page's title: the month, or the week's first and last day.
    pub fn title(&self) -> String {
        match self.page {
            Page::Month => month_title(first_of_month(self.day)).0,
            Page::Week => {
                let (start, _) = self.days();
                let end = start + Days::new(6);
                format!("{} – {}", format_date(start), format_date(end))
            }
        }
    }

    /// How many activities the page shows (none before it is first drawn).
    pub fn count(&self) -> Option<usize> {
        self.shown.as_ref().map(|s| s.items.len())
    }

    /// Moves to the next (`step` 1) or previous (−1) week or month.
    pub fn step(&mut self, step: i32) {
        self.day = match self.page {
            Page::Week if step > 0 => self.day + Days::new(7),
            Page::Week => self.day - Days::new(7),
            Page::Month => shift_month(first_of_month(self.day), step),
        };
        self.to_morning = true;
    }

    /// Shows `page` around `day`.
    pub fn show(&mut self, page: Page, day: NaiveDate) {
        self.page = page;
        self.day = day;
        self.to_morning = true;
    }

    /// Draws the page; the changes asked for go in `actions`.
    pub fn ui(
        &mut self,
        ui: &mut Ui,
        ws: &Workspace,
        filter: &ActivityFilter,
        actions: &mut Vec<Action>,
    ) -> Option<Went> {
        let (start, days) = self.days();
        self.refresh(ws, filter, start, days);
        let (page, day) = (self.page, self.day);
        let morning = page == Page::Week && std::mem::take(&mut self.to_morning);
        let grid = Grid {
            start,
            days,
            today: ws.today(),
            items: self.shown.as_ref().map_or(&[][..], |s| &s.items),
        };
        let went = match page {
            Page::Week => grid.week_ui(ui, morning, actions),
            Page::Month => grid.month_ui(ui, day, actions),
        };
        // "+n more" in a month opens that day's week.
        if page == Page::Month
            && let Some(Went::Day(day) | Went::Week(day)) = went
        {
            self.show(Page::Week, day);
            return Some(Went::Week(day));
        }
        went
    }

    /// Reads the activities of the days shown that the search lists, unless they were read
    /// for this data and search already.
    fn refresh(&mut self, ws: &Workspace, filter: &ActivityFilter, start: NaiveDate, days: u32) {
        let last = start + Days::new(u64::from(days) - 1);
        let ranged = ActivityFilter {
            from: Some(filter.from.map_or(start, |f| f.max(start))),
            to: Some(filter.to.map_or(last, |t| t.min(last))),
            ..filter.clone()
        };
        let fresh = self
            .shown
            .as_ref()
            .is_some_and(|s| s.generation == ws.generation() && s.filter == ranged);
        if !fresh {
            self.shown = Some(Shown {
                generation: ws.generation(),
                items: ws.listed_activities(&ranged),
                filter: ranged,
            });
        }
    }
}

/// The days of a page and their activities.
struct Grid<'a> {
    start: NaiveDate,
    days: u32,
    today: NaiveDate,
    items: &'a [ListedActivity],
}

impl Grid<'_> {
    /// The rectangle of column `column` (0 the first day) within `rect`, seven to a row, the
    /// first on the right in a right-to-left layout.
    fn column(rect: Rect, column: u32) -> Rect {
        let width = rect.width() / 7.0;
        let slot = if right_to_left() { 6 - column } else { column };
        Rect::from_min_size(
            Pos2::new(rect.left() + width * slot as f32, rect.top()),
            vec2(width, rect.height()),
        )
    }

    /// The column under `x` within `rect`.
    fn column_at(rect: Rect, x: f32) -> u32 {
        let slot = (((x - rect.left()) / (rect.width() / 7.0)).floor() as i64).clamp(0, 6) as u32;
        if right_to_left() { 6 - slot } else { slot }
    }

    fn day(&self, n: u32) -> NaiveDate {
        self.start + Days::new(u64::from(n))
    }

    /// The activities due on `day`, untimed or timed.
    fn on(&self, day: NaiveDate, timed: bool) -> impl Iterator<Item = &ListedActivity> {
        self.items
            .iter()
            .filter(move |o| o.activity.due == day && o.activity.time.is_some() == timed)
    }

    /// A week: day headings, the strip of untimed activities, and the hour grid.
    fn week_ui(&self, ui: &mut Ui, morning: bool, actions: &mut Vec<Action>) -> Option<Went> {
        let width = ui.available_width();
        let (gutter, days) = split_gutter(
            Rect::from_min_size(ui.cursor().min, vec2(width, 0.0)),
            GUTTER,
        );
        let heads = ui.allocate_space(vec2(width, 34.0)).1;
        for n in 0..7 {
            let cell = Self::column(days.with_min_y(heads.top()).with_max_y(heads.bottom()), n);
            self.heading_ui(ui, cell, self.day(n));
        }
        let most = (0..7)
            .map(|n| self.on(self.day(n), false).count().min(SHOWN + 1))
            .max()
            .unwrap_or(0)
            .max(1);
        let strip = ui
            .allocate_space(vec2(width, most as f32 * (CHIP + 2.0) + 6.0))
            .1;
        let strip_days = strip.with_min_x(days.left()).with_max_x(days.right());
        let all_day = gutter.with_min_y(strip.top()).with_max_y(strip.bottom());
        let muted = theme::colors(ui).text_muted;
        paint_text(
            ui,
            all_day,
            &tr!("All day"),
            11.0,
            muted,
            Align2::CENTER_CENTER,
        );
        let mut went = None;
        for n in 0..7 {
            let cell = Self::column(strip_days, n).shrink2(vec2(2.0, 3.0));
            let day = self.day(n);
            let zone = ui.interact(cell, ui.scope_id().with(("strip", day)), Sense::hover());
            let listed: Vec<&ListedActivity> = self.on(day, false).collect();
            if self.chips_ui(ui, cell, &listed, actions) {
                went = Some(Went::Day(day));
            }
            let moved = self.dropped(ui, &zone, |a| {
                (a.due != day || a.time.is_some()).then(|| Activity {
                    due: day,
                    time: None,
                    ..a.clone()
                })
            });
            actions.extend(moved.map(move_action));
        }
        ui.painter().hline(
            strip.x_range(),
            strip.bottom(),
            Stroke::new(1.0, theme::colors(ui).card_stroke),
        );
        let mut scroll = egui::ScrollArea::vertical()
            .id_salt("week_hours")
            .auto_shrink(false);
        if morning {
            scroll = scroll.vertical_scroll_offset(8.0 * HOUR);
        }
        scroll.show(ui, |ui| self.hours_ui(ui, actions));
        went
    }

    /// A day's heading: its weekday and date, today's marked.
    fn heading_ui(&self, ui: &Ui, cell: Rect, day: NaiveDate) {
        let text = format!("{} {}", weekday_short(day.weekday()), format_date(day));
        let color = if day == self.today {
            theme::colors(ui).card_selected
        } else {
            theme::colors(ui).text_strong
        };
        if day == self.today {
            ui.painter().rect_filled(
                cell.shrink(2.0),
                4.0,
                theme::colors(ui).card_selected.gamma_multiply(0.12),
            );
        }
        paint_text(ui, cell, &text, 13.0, color, Align2::CENTER_CENTER);
    }

    /// The hour grid of a week with its timed activities.
    fn hours_ui(&self, ui: &mut Ui, actions: &mut Vec<Action>) {
        let width = ui.available_width();
        let rect = ui.allocate_space(vec2(width, 24.0 * HOUR)).1;
        let (gutter, days) = split_gutter(rect, GUTTER);
        // Before the activities: they take the clicks and drags over it.
        let zone = ui.interact(days, ui.scope_id().with("hour_drop"), Sense::hover());
        let painter = ui.painter();
        for hour in 0..24 {
            let y = rect.top() + hour as f32 * HOUR;
            painter.hline(
                days.x_range(),
                y,
                Stroke::new(1.0, theme::colors(ui).card_stroke),
            );
            let label = localize_digits(&format!("{hour:02}:00")).into_owned();
            let cell = gutter.with_min_y(y + 2.0).with_max_y(y + HOUR / 2.0);
            paint_text(
                ui,
                cell,
                &label,
                11.0,
                theme::colors(ui).text_muted,
                Align2::CENTER_TOP,
            );
        }
        for n in 0..7 {
            let column = Self::column(days, n);
            painter.vline(
                column.left(),
                rect.y_range(),
                Stroke::new(1.0, theme::colors(ui).card_stroke),
            );
            if self.day(n) == self.today {
                painter.rect_filled(
                    column,
                    0.0,
                    theme::colors(ui).card_selected.gamma_multiply(0.05),
                );
            }
        }
        for n in 0..7 {
            let column = Self::column(days, n).shrink2(vec2(2.0, 0.0));
            let timed: Vec<&ListedActivity> = self.on(self.day(n), true).collect();
            for (item, lane, lanes) in lanes(&timed) {
                let a = &item.activity;
                let start = minutes_of(a.time.unwrap_or(NaiveTime::MIN));
                let length = a.minutes.max(30).min(24 * 60 - start);
                let lane_width = column.width() / lanes as f32;
                let x = if right_to_left() {
                    column.right() - lane_width * (lane + 1) as f32
                } else {
                    column.left() + lane_width * lane as f32
                };
                let chip = Rect::from_min_size(
                    Pos2::new(x, rect.top() + start as f32 / 60.0 * HOUR),
                    vec2(lane_width - 1.0, length as f32 / 60.0 * HOUR - 1.0),
                );
                chip_ui(ui, chip, item, self.today, actions);
            }
        }
        self.grid_drop_ui(ui, &zone, rect, actions);
    }

    /// A month: the weekdays, then each week's days with their activities.
    fn month_ui(&self, ui: &mut Ui, day: NaiveDate, actions: &mut Vec<Action>) -> Option<Went> {
        let first = first_of_month(day);
        let next = shift_month(first, 1);
        let width = ui.available_width();
        let heads = ui.allocate_space(vec2(width, 24.0)).1;
        for n in 0..7 {
            let text = weekday_short(self.day(n).weekday());
            let cell = Self::column(heads, n);
            paint_text(
                ui,
                cell,
                &text,
                12.0,
                theme::colors(ui).text_muted,
                Align2::CENTER_CENTER,
            );
        }
        let weeks = self.days / 7;
        let gap = ui.spacing().item_spacing.y;
        let height = ((ui.available_height() - gap * weeks as f32) / weeks as f32)
            .max(4.0 * (CHIP + 2.0) + 24.0);
        let mut went = None;
        egui::ScrollArea::vertical()
            .id_salt("month_weeks")
            .auto_shrink(false)
            .show(ui, |ui| {
                for week in 0..weeks {
                    let row = ui.allocate_space(vec2(width, height)).1;
                    for n in 0..7 {
                        let date = self.day(week * 7 + n);
                        let cell = Self::column(row, n);
                        let outside = date < first || date >= next;
                        if let Some(w) = self.day_ui(ui, cell, date, outside, actions) {
                            went = Some(w);
                        }
                    }
                }
            });
        went
    }

    /// A day of a month: its number, its activities, a drop zone keeping their time.
    fn day_ui(
        &self,
        ui: &Ui,
        cell: Rect,
        date: NaiveDate,
        outside: bool,
        actions: &mut Vec<Action>,
    ) -> Option<Went> {
        let zone = ui.interact(cell, ui.scope_id().with(("month", date)), Sense::hover());
        let painter = ui.painter();
        let colors = theme::colors(ui);
        let fill = if outside {
            colors.outside_fill
        } else {
            colors.card_fill
        };
        painter.rect(
            cell.shrink(1.0),
            2.0,
            fill,
            Stroke::new(1.0, theme::colors(ui).card_stroke),
            egui::StrokeKind::Inside,
        );
        let number = localize_digits(&day_of_month(date).to_string()).into_owned();
        let (color, strong) = if date == self.today {
            (theme::colors(ui).card_selected, true)
        } else if outside {
            (theme::colors(ui).text_muted, false)
        } else {
            (theme::colors(ui).text_strong, false)
        };
        let head = cell.shrink(4.0).with_max_y(cell.top() + 20.0);
        let align = if right_to_left() {
            Align2::RIGHT_TOP
        } else {
            Align2::LEFT_TOP
        };
        let size = if strong { 14.0 } else { 12.0 };
        paint_text(ui, head, &number, size, color, align);
        let body = cell.shrink2(vec2(3.0, 2.0)).with_min_y(head.bottom());
        let listed: Vec<&ListedActivity> = self
            .items
            .iter()
            .filter(|o| o.activity.due == date)
            .collect();
        let more = self.chips_ui(ui, body, &listed, actions);
        let moved = self.dropped(ui, &zone, |a| {
            (a.due != date).then(|| Activity {
                due: date,
                ..a.clone()
            })
        });
        actions.extend(moved.map(move_action));
        more.then_some(Went::Day(date))
    }

    /// Activities stacked in `rect` as many as fit, then "+n more"; true when "+n more" was
    /// clicked.
    fn chips_ui(
        &self,
        ui: &Ui,
        rect: Rect,
        listed: &[&ListedActivity],
        actions: &mut Vec<Action>,
    ) -> bool {
        let fit = ((rect.height() / (CHIP + 2.0)).floor() as usize).max(1);
        let shown = if listed.len() > fit {
            fit - 1
        } else {
            listed.len()
        };
        for (i, item) in listed.iter().take(shown).enumerate() {
            let top = rect.top() + i as f32 * (CHIP + 2.0);
            let chip = Rect::from_min_size(Pos2::new(rect.left(), top), vec2(rect.width(), CHIP));
            chip_ui(ui, chip, item, self.today, actions);
        }
        let rest = listed.len() - shown;
        if rest == 0 {
            return false;
        }
        let top = rect.top() + shown as f32 * (CHIP + 2.0);
        let more = Rect::from_min_size(Pos2::new(rect.left(), top), vec2(rect.width(), CHIP));
        let text = crate::trn!(rest, "+{n} more");
        let id = ui.scope_id().with(("more", listed[0].activity.id));
        let response = ui.interact(more, id, Sense::click());
        response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, text.clone()));
        let color = if response.hovered() {
            theme::colors(ui).card_selected
        } else {
            theme::colors(ui).text_muted
        };
        paint_text(ui, more, &text, 12.0, color, start_align());
        response.clicked()
    }

    /// The activity dragged over `zone` where `moved` would put it (None: nowhere new),
    /// outlined; returned when it is let go there.
    fn dropped(
        &self,
        ui: &Ui,
        zone: &egui::Response,
        moved: impl Fn(&Activity) -> Option<Activity>,
    ) -> Option<Activity> {
        let drag = zone.dnd_hover_payload::<ActivityDrag>()?;
        let target = moved(self.find(drag.id)?)?;
        ui.painter().rect_stroke(
            zone.rect,
            3.0,
            Stroke::new(2.0, theme::colors(ui).column_drop_stroke),
            egui::StrokeKind::Inside,
        );
        zone.dnd_release_payload::<ActivityDrag>().map(|_| target)
    }

    /// The hour grid (`rect`, its days under `zone`) as a drop target: a shadow where the
    /// activity would start, snapped to [`SNAP`] minutes, and the move when let go.
    fn grid_drop_ui(&self, ui: &Ui, zone: &egui::Response, rect: Rect, actions: &mut Vec<Action>) {
        let Some(drag) = zone.dnd_hover_payload::<ActivityDrag>() else {
            return;
        };
        let pos = ui.input(|i| i.pointer.latest_pos());
        let (Some(pos), Some(a)) = (pos, self.find(drag.id)) else {
            return;
        };
        let n = Self::column_at(zone.rect, pos.x);
        let day = self.day(n);
        let pointed = ((pos.y - rect.top()) / HOUR * 60.0).max(0.0) as u32;
        // To the nearest quarter hour, as the shadow shows it.
        let start =
            ((pointed.saturating_sub(drag.grab) + SNAP / 2) / SNAP * SNAP).min(24 * 60 - SNAP);
        let Some(time) = NaiveTime::from_num_seconds_from_midnight_opt(start * 60, 0) else {
            return;
        };
        let column = Self::column(zone.rect, n);
        let length = a.minutes.max(30).min(24 * 60 - start);
        let shadow = Rect::from_min_size(
            Pos2::new(column.left() + 2.0, rect.top() + start as f32 / 60.0 * HOUR),
            vec2(column.width() - 4.0, length as f32 / 60.0 * HOUR),
        );
        ui.painter().rect_filled(
            shadow,
            3.0,
            theme::colors(ui).column_drop_stroke.gamma_multiply(0.25),
        );
        let when = format!(
            "{} {}",
            weekday_short(day.weekday()),
            localize_digits(&time.format("%H:%M").to_string())
        );
        paint_text(
            ui,
            shadow.shrink(4.0),
            &when,
            12.0,
            theme::colors(ui).text_strong,
            Align2::CENTER_TOP,
        );
        if zone.dnd_release_payload::<ActivityDrag>().is_some()
            && (a.due, a.time) != (day, Some(time))
        {
            actions.push(move_action(Activity {
                due: day,
                time: Some(time),
                ..a.clone()
            }));
        }
    }

    /// A shown activity by id.
    fn find(&self, id: Id) -> Option<&Activity> {
        self.items.iter().map(|o| &o.activity).find(|a| a.id == id)
    }
}

/// Splits `rect` into the hours' gutter (on the start side) and the days.
fn split_gutter(rect: Rect, gutter: f32) -> (Rect, Rect) {
    if right_to_left() {
        let cut = rect.right() - gutter;
        (rect.with_min_x(cut), rect.with_max_x(cut))
    } else {
        let cut = rect.left() + gutter;
        (rect.with_max_x(cut), rect.with_min_x(cut))
    }
}

/// Left-aligned in a left-to-right layout, right-aligned in a right-to-left one, centred
/// vertically.
fn start_align() -> Align2 {
    if right_to_left() {
        Align2::RIGHT_CENTER
    } else {
        Align2::LEFT_CENTER
    }
}

/// Paints `text` in display order within `rect`, cut to its width.
fn paint_text(ui: &Ui, rect: Rect, text: &str, size: f32, color: Color32, align: Align2) {
    let galley = ui
        .rtl(RichText::new(text).size(size).color(color))
        .into_galley(
            ui,
            Some(TextWrapMode::Truncate),
            rect.width().max(1.0),
            egui::TextStyle::Body,
        );
    let pos = align.align_size_within_rect(galley.size(), rect).min;
    ui.painter()
        .with_clip_rect(rect.intersect(ui.clip_rect()))
        .galley(pos, galley, color);
}

/// One activity in the calendar: its time, kind and summary on its state's colour; a click
/// opens its editor, a drag moves it.
fn chip_ui(
    ui: &Ui,
    rect: Rect,
    item: &ListedActivity,
    today: NaiveDate,
    actions: &mut Vec<Action>,
) {
    let a = &item.activity;
    let id = ui.scope_id().with(("activity_chip", a.id));
    let response = ui.interact(rect, id, Sense::click_and_drag());
    let label = tr!("Edit activity {summary}", summary = a.summary);
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
    let pressed_at = id.with("pressed_at");
    if response.drag_started() {
        // Where the press was, not where the pointer is once it has moved far enough to drag.
        let origin = ui.input(|i| i.pointer.press_origin());
        let grab = origin.map_or(0, |p| ((p.y - rect.top()).max(0.0) / HOUR * 60.0) as u32);
        egui::DragAndDrop::set_payload(ui.ctx(), ActivityDrag { id: a.id, grab });
        ui.data_mut(|d| d.insert_temp(pressed_at, origin));
    }
    // A press held a moment or moved a hair is a drag to egui, but a click to the hand.
    let mut clicked = response.clicked();
    if response.drag_stopped() {
        let origin = ui
            .data_mut(|d| d.remove_temp::<Option<Pos2>>(pressed_at))
            .flatten();
        let now = ui.input(|i| i.pointer.latest_pos());
        if let (Some(origin), Some(now)) = (origin, now) {
            clicked |= origin.distance(now) < 6.0;
        }
    }
    let dragged = response.dragged();
    let tint = if a.done {
        theme::colors(ui).text_muted
    } else {
        state_color(ui, a.due, today)
    };
    let fill = if dragged {
        tint.gamma_multiply(0.08)
    } else if response.hovered() {
        tint.gamma_multiply(0.28)
    } else {
        tint.gamma_multiply(0.18)
    };
    let painter = ui.painter().with_clip_rect(ui.clip_rect());
    painter.rect_filled(rect, 3.0, fill);
    let stripe = if right_to_left() {
        rect.with_min_x(rect.right() - 3.0)
    } else {
        rect.with_max_x(rect.left() + 3.0)
    };
    painter.rect_filled(stripe, 1.5, tint);
    let time = a
        .time
        .map(|t| format!("{} ", localize_digits(&t.format("%H:%M").to_string())))
        .unwrap_or_default();
    let text = format!("{time}{}", a.summary);
    let inner = rect.shrink2(vec2(6.0, 2.0));
    let line = inner.with_max_y(inner.top() + CHIP - 4.0);
    let color = if a.done {
        theme::colors(ui).text_muted
    } else {
        theme::colors(ui).text_strong
    };
    paint_text(ui, line, &text, 12.0, color, start_align());
    if inner.height() >= 1.8 * CHIP {
        let below = line.translate(vec2(0.0, CHIP - 4.0));
        paint_text(
            ui,
            below,
            &item.about,
            11.0,
            theme::colors(ui).text_muted,
            start_align(),
        );
    }
    let hover = format!(
        "{}\n{} · {}\n{}",
        a.summary,
        kind_label(a.kind),
        when_label(a),
        item.about
    );
    response
        .on_hover_cursor(egui::CursorIcon::PointingHand)
        .on_hover_text(ui.rtl(hover));
    if clicked {
        actions.push(Action::EditActivity(a.id));
    }
}

/// The change moving an activity: one undo step.
fn move_action(a: Activity) -> Action {
    Action::Apply(Command::Change(Box::new(Change::put(Record::Activity(a)))))
}

/// Minutes from midnight.
fn minutes_of(time: NaiveTime) -> u32 {
    time.hour() * 60 + time.minute()
}

/// The day's number in its month, in the calendar in use.
fn day_of_month(date: NaiveDate) -> u32 {
    match crate::i18n::calendar() {
        crate::domain::Calendar::Gregorian => date.day(),
        crate::domain::Calendar::Jalali => {
            u32::from(crate::i18n::jalali::JalaliDate::from_gregorian(date).day)
        }
    }
}

/// Each timed activity of a day with its lane and the number of lanes of the activities it
/// overlaps (they share the column's width side by side).
fn lanes<'a>(timed: &[&'a ListedActivity]) -> Vec<(&'a ListedActivity, usize, usize)> {
    let span = |a: &Activity| {
        let start = minutes_of(a.time.unwrap_or(NaiveTime::MIN));
        (start, start + a.minutes.max(30))
    };
    let mut sorted = timed.to_vec();
    sorted.sort_by_key(|o| (span(&o.activity), o.activity.id));
    let mut out = Vec::with_capacity(sorted.len());
    let mut cluster: Vec<(&ListedActivity, usize)> = Vec::new();
    let mut cluster_end = 0;
    let mut lane_ends: Vec<u32> = Vec::new();
    let flush = |cluster: &mut Vec<(&'a ListedActivity, usize)>,
                 lane_ends: &mut Vec<u32>,
                 out: &mut Vec<(&'a ListedActivity, usize, usize)>| {
        let lanes = lane_ends.len().max(1);
        out.extend(cluster.drain(..).map(|(o, lane)| (o, lane, lanes)));
        lane_ends.clear();
    };
    for o in sorted {
        let (start, end) = span(&o.activity);
        if start >= cluster_end {
            flush(&mut cluster, &mut lane_ends, &mut out);
        }
        let lane = match lane_ends.iter().position(|e| *e <= start) {
            Some(free) => {
                lane_ends[free] = end;
                free
            }
            None => {
                lane_ends.push(end);
                lane_ends.len() - 1
            }
        };
        cluster_end = if cluster.is_empty() {
            end
        } else {
            cluster_end.max(end)
        };
        cluster.push((o, lane));
    }
    flush(&mut cluster, &mut lane_ends, &mut out);
    out
}
