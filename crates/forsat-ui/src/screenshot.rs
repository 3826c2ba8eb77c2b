//! `--screenshot`: render the window, write it as PNG, close.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use crate::files::{Replace, write_file};

/// Frames rendered before the capture, so fonts and layout have settled.
const WARM_UP_FRAMES: u32 = 3;

/// How the capture ended, shared between the app and `run`.
#[derive(Clone, Default)]
pub struct Outcome(Arc<Mutex<Option<Result<(), String>>>>);

impl Outcome {
    fn set(&self, result: Result<(), String>) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(result);
    }

    fn get(&self) -> Option<Result<(), String>> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// Exit code for the process: failure when no PNG was written.
    pub fn exit_code(&self, path: &Path) -> ExitCode {
        match self.get() {
            Some(Ok(())) => ExitCode::SUCCESS,
            Some(Err(message)) => {
                eprintln!("forsat: {message}");
                ExitCode::FAILURE
            }
            None => {
                eprintln!(
                    "forsat: the window closed before the screenshot {} was taken",
                    path.display()
                );
                ExitCode::FAILURE
            }
        }
    }
}

/// What `--screenshot` asks for: the PNG to write, whether a file there may be replaced
/// (`--force`), and where the outcome goes.
pub struct Request {
    pub path: PathBuf,
    pub replace: Replace,
    pub outcome: Outcome,
}

/// Drives one capture from inside the app's frames.
pub struct Capture {
    request: Request,
    /// The database, which the PNG must never land on.
    db: PathBuf,
    frames: u32,
    requested: bool,
    /// Set when the app failed to start: the capture still shows its message, then fails.
    error: Option<String>,
}

impl Capture {
    pub fn new(request: Request, db: PathBuf) -> Self {
        Self {
            request,
            db,
            frames: 0,
            requested: false,
            error: None,
        }
    }

    /// Makes the process fail with `message` even though the PNG is written.
    pub fn fail_with(&mut self, message: String) {
        self.error = Some(message);
    }

    /// Called once per frame: counts frames, requests the capture, closes when it is saved.
    pub fn on_frame(&mut self, ctx: &egui::Context) {
        if let Some(result) = self.request.outcome.get() {
            if result.is_ok()
                && let Some(message) = self.error.take()
            {
                self.request.outcome.set(Err(message));
            }
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        self.frames += 1;
        ctx.request_repaint();
        if self.frames >= WARM_UP_FRAMES && !self.requested {
            self.requested = true;
            let (db, path) = (self.db.clone(), self.request.path.clone());
            let (replace, outcome) = (self.request.replace, self.request.outcome.clone());
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                outcome.set(write_png(&db, &path, replace, &image));
                repaint.request_repaint();
            });
        }
    }
}

/// Writes an RGBA PNG at `path` through [`write_file`]: never onto the database `db` or its
/// backups, over another file only when `replace` allows.
pub fn write_png(
    db: &Path,
    path: &Path,
    replace: Replace,
    image: &egui::ColorImage,
) -> Result<(), String> {
    let [width, height] = image.size;
    write_file(db, path, replace, |out| {
        let mut encoder = png::Encoder::new(out, width as u32, height as u32);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header()?;
        let bytes: Vec<u8> = image
            .pixels
            .iter()
            .flat_map(egui::Color32::to_array)
            .collect();
        writer.write_image_data(&bytes)?;
        Ok(writer.finish()?)
    })
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_png_is_never_written_onto_the_database_and_replaces_a_file_only_when_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.redb");
        std::fs::write(&db, b"database").unwrap();
        let image = egui::ColorImage::new([2, 1], vec![egui::Color32::RED; 2]);
        let refused = write_png(&db, &dir.path().join("./x.redb"), Replace::Allow, &image);
        assert!(refused.unwrap_err().contains("is the database"));
        assert_eq!(std::fs::read(&db).unwrap(), b"database");

        let png = dir.path().join("chart.png");
        std::fs::write(&png, b"mine").unwrap();
        let refused = write_png(&db, &png, Replace::Refuse, &image);
        assert!(refused.unwrap_err().contains("already exists"));
        assert_eq!(std::fs::read(&png).unwrap(), b"mine");
        write_png(&db, &png, Replace::Allow, &image).unwrap();
        let decoder =
            png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&png).unwrap()));
        let info = decoder.read_info().unwrap();
        assert_eq!((info.info().width, info.info().height), (2, 1));
    }
}
