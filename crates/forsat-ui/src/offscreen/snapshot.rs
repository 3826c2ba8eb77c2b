//! `egui_kittest`'s [`TestRenderer`] on the CPU rasteriser, for the GUI tests' snapshot images:
//! no GPU is needed and no wgpu is compiled.

use egui::epaint::TextureId;
use egui::{Color32, TexturesDelta};
use egui_kittest::TestRenderer;

use super::raster::{Canvas, Textures};

/// Paints a harness's last frame as the window's painter would, pixel for pixel the same
/// between runs.
#[derive(Default)]
pub struct SnapshotRenderer {
    textures: Textures,
    /// What the last frame freed: egui frees a texture once the frame that freed it is painted,
    /// and that frame may still be rendered.
    freed: Vec<TextureId>,
}

impl TestRenderer for SnapshotRenderer {
    fn handle_delta(&mut self, delta: &mut TexturesDelta) {
        self.textures.free(&std::mem::take(&mut self.freed));
        self.freed = self.textures.apply(std::mem::take(delta));
    }

    fn render(
        &mut self,
        ctx: &egui::Context,
        output: &egui::FullOutput,
    ) -> Result<image::RgbaImage, String> {
        let pixels_per_point = ctx.pixels_per_point();
        let size = ctx.content_rect().size() * pixels_per_point;
        let [width, height] = [size.x, size.y].map(|v| v.round().max(1.0) as usize);
        let primitives = ctx.tessellate(output.shapes.clone(), pixels_per_point);
        // Transparent where nothing is painted, as kittest's GPU renderer clears.
        let mut canvas = Canvas::new([width, height], pixels_per_point, Color32::TRANSPARENT);
        canvas.paint(&primitives, &self.textures);
        let bytes = canvas
            .image
            .pixels
            .iter()
            .flat_map(egui::Color32::to_array)
            .collect();
        image::RgbaImage::from_raw(width as u32, height as u32, bytes)
            .ok_or_else(|| format!("no {width}x{height} picture"))
    }
}
