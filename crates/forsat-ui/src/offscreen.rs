//! Drawing egui content into a picture without a window: an offscreen [`egui::Context`] with
//! the app's fonts and theme runs the same view code, and [`raster`] turns its meshes into
//! pixels on the CPU. Chart PNGs go through here from the window and from the command line
//! (`forsat report NAME --format png`), so both draw exactly what the Reports view draws, and
//! the command line needs no display and no GPU.

mod raster;
#[cfg(feature = "snapshot")]
mod snapshot;

use egui::epaint::Shape;
use egui::{Color32, ColorImage, Pos2, Rect, Vec2};

use super::{text, theme};

#[cfg(feature = "snapshot")]
pub use snapshot::SnapshotRenderer;

/// Frames run before the picture is taken: egui's plots size their axes from the frame before,
/// and the first frame loads the fonts.
const FRAMES: usize = 3;

/// What one offscreen frame painted.
pub struct Painted {
    /// The pixels, premultiplied (opaque here: the background is filled).
    pub image: ColorImage,
    /// Every text painted, as laid out (right-to-left runs in display order), in paint order.
    pub texts: Vec<String>,
    /// Where each of `texts` was painted, in points from the picture's top left: a test can
    /// tell a text cut by the picture's edge from one inside it.
    pub rects: Vec<Rect>,
}

/// Runs `content` in a frame `size` points wide and at most as high, at `pixels_per_point`,
/// in the window's fonts, the light theme (a picture is printed and pasted into documents,
/// whatever the window shows) and the language of this thread, on `background`.
/// The picture ends below the last thing `content` placed (a margin under it), so a report
/// shorter than `size` leaves no empty band.
pub fn paint(
    size: Vec2,
    pixels_per_point: f32,
    background: Color32,
    margin: f32,
    mut content: impl FnMut(&mut egui::Ui),
) -> Painted {
    let ctx = egui::Context::default();
    theme::apply(&ctx, egui::ThemePreference::Light);
    ctx.set_fonts(text::fonts(crate::i18n::language()));
    ctx.all_styles_mut(|style| style.animation_time = 0.0);
    let mut input = egui::RawInput {
        screen_rect: Some(Rect::from_min_size(Pos2::ZERO, size)),
        // Room for the font atlas of large text at a high scale.
        max_texture_side: Some(8192),
        ..Default::default()
    };
    if let Some(viewport) = input.viewports.get_mut(&egui::ViewportId::ROOT) {
        viewport.native_pixels_per_point = Some(pixels_per_point);
    }
    let mut textures = raster::Textures::default();
    let mut used = Rect::NOTHING;
    // The frames before the last are not painted: what they free goes at once.
    for _ in 1..FRAMES {
        let mut output = ctx.run_ui(input.clone(), |ui| {
            used = framed(ui, background, margin, &mut content);
        });
        let freed = textures.apply(std::mem::take(&mut output.textures_delta));
        textures.free(&freed);
    }
    let mut output = ctx.run_ui(input, |ui| {
        used = framed(ui, background, margin, &mut content);
    });
    // What the last frame frees is freed with the painter, after painting.
    textures.apply(std::mem::take(&mut output.textures_delta));
    let (texts, rects) = texts(&output.shapes).into_iter().unzip();
    let primitives = ctx.tessellate(output.shapes, pixels_per_point);
    let height = used.max.y.min(size.y).max(1.0);
    let pixels = |v: f32| (v * pixels_per_point).ceil().max(1.0) as usize;
    let mut canvas = raster::Canvas::new(
        [pixels(size.x), pixels(height)],
        pixels_per_point,
        background,
    );
    canvas.paint(&primitives, &textures);
    Painted {
        image: canvas.image,
        texts,
        rects,
    }
}

/// `content` on `background` inside `margin`; where it ended up.
fn framed(
    ui: &mut egui::Ui,
    background: Color32,
    margin: f32,
    content: &mut impl FnMut(&mut egui::Ui),
) -> Rect {
    egui::Frame::new()
        .fill(background)
        .inner_margin(egui::Margin::same(margin as i8))
        .show(ui, |ui| content(ui))
        .response
        .rect
}

/// The texts among `shapes` and where they are, in paint order.
fn texts(shapes: &[egui::epaint::ClippedShape]) -> Vec<(String, Rect)> {
    fn walk(shape: &Shape, out: &mut Vec<(String, Rect)>) {
        match shape {
            Shape::Text(text) => out.push((
                text.galley.text().to_owned(),
                text.galley.rect.translate(text.pos.to_vec2()),
            )),
            Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in shapes {
        walk(&clipped.shape, &mut out);
    }
    out
}
