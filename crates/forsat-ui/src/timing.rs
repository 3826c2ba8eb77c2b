//! `--timing`: what a user waits for when the window opens, measured on the real binary. The
//! window opens as usual; when its first frame has been painted, the time since the process
//! started and the resident memory are printed to standard output and the window closes.

use std::time::Instant;

/// Wraps the window's app: counts frames, reports at the start of the second (the first has
/// been painted and shown by then), then asks the window to close.
pub struct Timed<A> {
    app: A,
    started: Instant,
    frames: u32,
}

impl<A> Timed<A> {
    pub fn new(app: A, started: Instant) -> Self {
        Self {
            app,
            started,
            frames: 0,
        }
    }
}

impl<A: eframe::App> eframe::App for Timed<A> {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.frames += 1;
        if self.frames == 2 {
            // Machine-read by `scripts/bench-summary`: key=value, not prose.
            println!(
                "first_frame_ms={:.1} resident_bytes={}",
                self.started.elapsed().as_secs_f64() * 1e3,
                resident_bytes().unwrap_or(0)
            );
            ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
        }
        ui.ctx().request_repaint();
        self.app.ui(ui, frame);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.app.save(storage);
    }

    fn persist_egui_memory(&self) -> bool {
        self.app.persist_egui_memory()
    }
}

/// This process's resident memory (`VmRSS`) in bytes, where the system tells it (Linux).
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}
