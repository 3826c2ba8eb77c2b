//! The real window without a GPU: `forsat::ui::App` driven frame by frame through
//! `egui::Context::run_ui` and `Context::tessellate`, exactly the CPU work eframe does per
//! frame before it hands triangles to the GPU. No AccessKit tree is built (eframe builds one
//! only when a screen reader asks), so this is the cost a user without one sees.

use std::path::Path;
use std::time::{Duration, Instant};

use egui::{Event, Modifiers, MouseWheelSource, MouseWheelUnit, Pos2, RawInput, Rect, TouchPhase};
use forsat::ui::View;
use forsat::ui::{App, AppOptions, WINDOW_SIZE};

use super::clock;

/// Where the pointer rests while scrolling: over the board's first column and the list's rows.
pub const POINTER: Pos2 = Pos2::new(260.0, 480.0);

/// How far each frame scrolls, in points: a brisk wheel or trackpad flick.
const SCROLL_PER_FRAME: f32 = 60.0;

/// The window at its default size on one view of a database.
pub struct Window {
    ctx: egui::Context,
    app: App,
    frame: eframe::Frame,
    time: f64,
}

impl Window {
    /// Opens `db` in the real app on `view` and runs a few frames so the first frame's
    /// one-time work (fonts, the sorted list, column widths) is not counted.
    pub fn open(db: &Path, view: View) -> Window {
        let ctx = egui::Context::default();
        let app = App::new(
            &ctx,
            AppOptions {
                opening: None,
                desktop_notifications: false,
                db: db.to_owned(),
                clock: clock(),
                view,
                screenshot: None,
                theme: egui::ThemePreference::Light,
                remembered: None,
            },
        );
        assert_eq!(app.open_error(), None, "the app opens {}", db.display());
        let mut window = Window {
            ctx,
            app,
            // The same stand-in egui_kittest gives an eframe app outside a native window.
            frame: eframe::Frame::_new_kittest(),
            time: 0.0,
        };
        for _ in 0..10 {
            window.frame(false);
        }
        window
    }

    /// Runs one frame — input, layout of every view, tessellation — and returns how long it
    /// took. With `scroll`, the frame also scrolls the view under the pointer down.
    pub fn frame(&mut self, scroll: bool) -> Duration {
        let mut events = Vec::new();
        if scroll {
            events.push(Event::MouseWheel {
                unit: MouseWheelUnit::Point,
                delta: egui::vec2(0.0, -SCROLL_PER_FRAME),
                phase: TouchPhase::Move,
                source: MouseWheelSource::Wheel,
                modifiers: Modifiers::NONE,
            });
        }
        self.frame_with(events)
    }

    /// One frame given `events` besides the resting pointer.
    fn frame_with(&mut self, mut events: Vec<Event>) -> Duration {
        let Window {
            ctx,
            app,
            frame,
            time,
        } = self;
        *time += 1.0 / 60.0;
        events.insert(0, Event::PointerMoved(POINTER));
        let input = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, WINDOW_SIZE.into())),
            time: Some(*time),
            predicted_dt: 1.0 / 60.0,
            events,
            ..RawInput::default()
        };
        let start = Instant::now();
        let output = ctx.run_ui(input, |ui| eframe::App::ui(app, ui, frame));
        let primitives = ctx.tessellate(output.shapes, output.pixels_per_point);
        let elapsed = start.elapsed();
        std::hint::black_box(primitives);
        elapsed
    }

    /// Types `text` into the view's search as a person does — `/` to focus it, then one key at
    /// a time — and returns the wait for the focus (its two frames) and each keystroke's wait:
    /// its frame and the next, by when the view shows what matches. Then clears the search
    /// (Escape).
    pub fn type_in_search(&mut self, text: &str) -> (Duration, Vec<Duration>) {
        let key = |key: egui::Key, pressed: bool| Event::Key {
            key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: Modifiers::NONE,
        };
        let focus = self.frame_with(vec![key(egui::Key::Slash, true)])
            + self.frame_with(vec![key(egui::Key::Slash, false)]);
        let waits = text
            .chars()
            .map(|c| self.frame_with(vec![Event::Text(c.to_string())]) + self.frame(false))
            .collect();
        assert_eq!(
            self.app.search_text(),
            Some(text),
            "the keys went into the search"
        );
        self.frame_with(vec![key(egui::Key::Escape, true)]);
        self.frame_with(vec![key(egui::Key::Escape, false)]);
        (focus, waits)
    }

    /// The median of `frames` scrolling frames.
    pub fn median_frame(&mut self, frames: usize) -> Duration {
        let mut times: Vec<Duration> = (0..frames).map(|_| self.frame(true)).collect();
        super::median(&mut times)
    }

    /// The median of `frames` frames with the pointer resting and nothing scrolling.
    pub fn median_frame_still(&mut self, frames: usize) -> Duration {
        let mut times: Vec<Duration> = (0..frames).map(|_| self.frame(false)).collect();
        super::median(&mut times)
    }
}
