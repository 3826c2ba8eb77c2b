//! epaint's tessellated meshes turned into pixels on the CPU: no GPU, no window, no display.
//!
//! No maintained crate renders egui 0.37 output in software (`egui_software_backend` and
//! dream-soft-render's egui adapter are built for egui 0.34; dream-soft-render's core caps a
//! surface at 1280x720 and samples texels off by up to one at the atlas's far side). egui's
//! meshes are simple, though: triangles whose vertices carry a position, a texture coordinate
//! and a premultiplied colour, with anti-aliasing already in the geometry (feathered edges are
//! thin triangles fading to transparent). So this is a plain triangle fill doing what egui's
//! GPU painters do, in gamma space as they do:
//! - colour and texture coordinates are interpolated linearly across each triangle;
//! - the texel (bilinear or nearest, as the texture's options say) times the vertex colour is
//!   blended source-over with premultiplied alpha;
//! - a pixel is covered when its centre is inside the triangle, a centre on an edge counting
//!   for one triangle only (the top-left rule), so the two halves of a translucent rectangle
//!   never blend their shared edge twice;
//! - everything is cut to the primitive's clip rectangle, in whole pixels.

use std::collections::HashMap;

use egui::epaint::{ClippedPrimitive, ImageDelta, Mesh, Primitive, TextureId, Vertex};
use egui::{Color32, ColorImage, ImageData, TextureFilter, TexturesDelta};

/// Textures as the painter holds them: egui's uploads applied in order.
#[derive(Default)]
pub struct Textures {
    images: HashMap<TextureId, (ColorImage, TextureFilter)>,
}

impl Textures {
    /// Applies one frame's uploads; returns the textures egui frees once that frame is
    /// painted.
    pub fn apply(&mut self, mut delta: TexturesDelta) -> Vec<TextureId> {
        for (id, patches) in &delta.set {
            for patch in patches {
                self.set(*id, patch);
            }
        }
        let free = delta.free.drain().collect();
        // Handled: egui checks that no upload is dropped unseen.
        delta.clear();
        free
    }

    /// Forgets textures egui freed.
    pub fn free(&mut self, ids: &[TextureId]) {
        for id in ids {
            self.images.remove(id);
        }
    }

    fn set(&mut self, id: TextureId, delta: &ImageDelta) {
        let ImageData::Color(image) = &delta.image;
        let filter = delta.options.magnification;
        match delta.pos {
            None => {
                self.images.insert(id, ((**image).clone(), filter));
            }
            Some([x0, y0]) => {
                // A patch of a texture uploaded before (the font atlas growing).
                let Some((target, _)) = self.images.get_mut(&id) else {
                    return;
                };
                let [w, h] = image.size;
                let [tw, th] = target.size;
                for y in 0..h.min(th.saturating_sub(y0)) {
                    for x in 0..w.min(tw.saturating_sub(x0)) {
                        target.pixels[(y0 + y) * tw + x0 + x] = image.pixels[y * w + x];
                    }
                }
            }
        }
    }
}

/// Premultiplied RGBA with channels 0..=255, as f32 for interpolation.
type Rgba = [f32; 4];

fn rgba(c: Color32) -> Rgba {
    let [r, g, b, a] = c.to_array();
    [f32::from(r), f32::from(g), f32::from(b), f32::from(a)]
}

/// The texel of `image` at texture coordinates `uv`, clamped to the edge as egui's textures
/// are (bilinear: weighted from the four nearest texel centres, as a GPU samples).
fn sample(image: &ColorImage, filter: TextureFilter, [u, v]: [f32; 2]) -> Rgba {
    let [w, h] = image.size;
    if w == 0 || h == 0 {
        return [0.0; 4];
    }
    let at = |x: isize, y: isize| {
        let x = x.clamp(0, w as isize - 1) as usize;
        let y = y.clamp(0, h as isize - 1) as usize;
        rgba(image.pixels[y * w + x])
    };
    let (x, y) = (u * w as f32, v * h as f32);
    match filter {
        TextureFilter::Nearest => at(x.floor() as isize, y.floor() as isize),
        TextureFilter::Linear => {
            let (x, y) = (x - 0.5, y - 0.5);
            let (x0, y0) = (x.floor(), y.floor());
            let (fx, fy) = (x - x0, y - y0);
            let (x0, y0) = (x0 as isize, y0 as isize);
            let (a, b) = (at(x0, y0), at(x0 + 1, y0));
            let (c, d) = (at(x0, y0 + 1), at(x0 + 1, y0 + 1));
            std::array::from_fn(|i| {
                let top = a[i] + (b[i] - a[i]) * fx;
                let bottom = c[i] + (d[i] - c[i]) * fx;
                top + (bottom - top) * fy
            })
        }
    }
}

/// A picture being painted: premultiplied pixels, top row first.
pub struct Canvas {
    pub image: ColorImage,
    pixels_per_point: f32,
}

/// A pixel rectangle, `min` included and `max` excluded.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Clip {
    min: [usize; 2],
    max: [usize; 2],
}

impl Canvas {
    /// A canvas of `size` pixels filled with `background`, for shapes given in points at
    /// `pixels_per_point`.
    pub fn new(size: [usize; 2], pixels_per_point: f32, background: Color32) -> Canvas {
        Canvas {
            image: ColorImage::filled(size, background),
            pixels_per_point,
        }
    }

    /// Paints egui's primitives in order; a paint callback (custom GPU code) has nothing to
    /// draw here, and no view of ours makes one.
    pub fn paint(&mut self, primitives: &[ClippedPrimitive], textures: &Textures) {
        for primitive in primitives {
            if let Primitive::Mesh(mesh) = &primitive.primitive {
                let clip = self.clip(primitive.clip_rect);
                self.mesh(mesh, clip, textures);
            }
        }
    }

    /// The clip rectangle in whole pixels, inside the canvas (rounded as egui's painters do).
    fn clip(&self, rect: egui::Rect) -> Clip {
        let [w, h] = self.image.size;
        let px =
            |v: f32, max: usize| ((v * self.pixels_per_point).round().max(0.0) as usize).min(max);
        Clip {
            min: [px(rect.min.x, w), px(rect.min.y, h)],
            max: [px(rect.max.x, w), px(rect.max.y, h)],
        }
    }

    fn mesh(&mut self, mesh: &Mesh, clip: Clip, textures: &Textures) {
        // A mesh naming a texture never uploaded draws as egui would without it: nothing.
        let Some((image, filter)) = textures.images.get(&mesh.texture_id) else {
            return;
        };
        for triangle in mesh.indices.chunks_exact(3) {
            let vertex = |i: u32| mesh.vertices.get(i as usize).copied();
            if let (Some(a), Some(b), Some(c)) = (
                vertex(triangle[0]),
                vertex(triangle[1]),
                vertex(triangle[2]),
            ) {
                self.triangle([a, b, c], clip, image, *filter);
            }
        }
    }

    fn triangle(&mut self, v: [Vertex; 3], clip: Clip, image: &ColorImage, filter: TextureFilter) {
        let s = self.pixels_per_point;
        let p = v.map(|v| [v.pos.x * s, v.pos.y * s]);
        // Twice the signed area; with y down, positive is clockwise on screen.
        let edge = |a: [f32; 2], b: [f32; 2], q: [f32; 2]| {
            (b[0] - a[0]) * (q[1] - a[1]) - (b[1] - a[1]) * (q[0] - a[0])
        };
        let area = edge(p[0], p[1], p[2]);
        if area == 0.0 || !area.is_finite() {
            return;
        }
        // Wind every triangle the same way so one test serves both orientations.
        let (p, v) = if area < 0.0 {
            ([p[0], p[2], p[1]], [v[0], v[2], v[1]])
        } else {
            (p, v)
        };
        let area = area.abs();
        // The top-left rule: a centre exactly on an edge belongs to the triangle only when that
        // edge is a top edge (horizontal, the triangle below it) or a left edge.
        let top_left = |a: [f32; 2], b: [f32; 2]| {
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            (dy == 0.0 && dx > 0.0) || dy < 0.0
        };
        let edges = [(p[1], p[2]), (p[2], p[0]), (p[0], p[1])];
        let owns = edges.map(|(a, b)| top_left(a, b));
        let lo: [f32; 2] = std::array::from_fn(|i| p[0][i].min(p[1][i]).min(p[2][i]));
        let hi: [f32; 2] = std::array::from_fn(|i| p[0][i].max(p[1][i]).max(p[2][i]));
        let range = |i: usize| {
            let from = (lo[i] - 0.5).ceil().max(clip.min[i] as f32) as usize;
            let to = ((hi[i] - 0.5).floor() + 1.0).clamp(0.0, clip.max[i] as f32) as usize;
            from..to.max(from)
        };
        let colors = v.map(|v| rgba(v.color));
        let uvs = v.map(|v| [v.uv.x, v.uv.y]);
        // Shapes are drawn with one texel (egui's white pixel): sample it once.
        let same_uv = uvs[0] == uvs[1] && uvs[1] == uvs[2];
        let texel = same_uv.then(|| sample(image, filter, uvs[0]));
        let width = self.image.size[0];
        for y in range(1) {
            for x in range(0) {
                let q = [x as f32 + 0.5, y as f32 + 0.5];
                let w = edges.map(|(a, b)| edge(a, b, q));
                let inside = w
                    .iter()
                    .zip(owns)
                    .all(|(w, owns)| *w > 0.0 || (*w == 0.0 && owns));
                if !inside {
                    continue;
                }
                let w = w.map(|w| w / area);
                let mix = |values: [Rgba; 3]| -> Rgba {
                    std::array::from_fn(|i| {
                        values[0][i] * w[0] + values[1][i] * w[1] + values[2][i] * w[2]
                    })
                };
                let color = mix(colors);
                let texel = texel.unwrap_or_else(|| {
                    let uv = std::array::from_fn(|i| {
                        uvs[0][i] * w[0] + uvs[1][i] * w[1] + uvs[2][i] * w[2]
                    });
                    sample(image, filter, uv)
                });
                let src: Rgba = std::array::from_fn(|i| texel[i] * color[i] / 255.0);
                let dst = &mut self.image.pixels[y * width + x];
                *dst = blend(src, *dst);
            }
        }
    }
}

/// Premultiplied source over destination.
fn blend(src: Rgba, dst: Color32) -> Color32 {
    if src[3] <= 0.0 {
        return dst;
    }
    let keep = 1.0 - (src[3] / 255.0).min(1.0);
    let d = rgba(dst);
    let c = |i: usize| (src[i] + d[i] * keep).round().clamp(0.0, 255.0) as u8;
    Color32::from_rgba_premultiplied(c(0), c(1), c(2), c(3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::epaint::{TextureId, Vertex};
    use egui::{Rect, TextureOptions, pos2};

    const WHITE_TEXTURE: TextureId = TextureId::Managed(0);

    /// Textures holding `image` as texture 0, with `options`.
    fn textures(image: ColorImage, options: TextureOptions) -> Textures {
        let mut delta = TexturesDelta::default();
        delta
            .set
            .insert(WHITE_TEXTURE, [ImageDelta::full(image, options)].into());
        let mut textures = Textures::default();
        assert!(textures.apply(delta).is_empty());
        textures
    }

    /// A rectangle from `min` to `max` (points) as two triangles sharing a diagonal, as
    /// epaint draws one, with texture coordinates from (0, 0) to (1, 1).
    fn rectangle(min: [f32; 2], max: [f32; 2], color: Color32) -> Mesh {
        let vertex = |x: f32, y: f32, u: f32, v: f32| Vertex {
            pos: pos2(x, y),
            uv: pos2(u, v),
            color,
        };
        Mesh {
            indices: vec![0, 1, 2, 0, 2, 3],
            vertices: vec![
                vertex(min[0], min[1], 0.0, 0.0),
                vertex(max[0], min[1], 1.0, 0.0),
                vertex(max[0], max[1], 1.0, 1.0),
                vertex(min[0], max[1], 0.0, 1.0),
            ],
            texture_id: WHITE_TEXTURE,
        }
    }

    fn paint(canvas: &mut Canvas, mesh: Mesh, clip: Rect, textures: &Textures) {
        canvas.paint(
            &[ClippedPrimitive {
                clip_rect: clip,
                primitive: Primitive::Mesh(mesh),
            }],
            textures,
        );
    }

    /// The canvas as rows of "#" (`color`) and "." (still white).
    fn rows(canvas: &Canvas, color: Color32) -> Vec<String> {
        canvas
            .image
            .pixels
            .chunks(canvas.image.size[0])
            .map(|row| {
                row.iter()
                    .map(|p| match *p {
                        p if p == color => '#',
                        Color32::WHITE => '.',
                        _ => '?',
                    })
                    .collect()
            })
            .collect()
    }

    /// `mesh` painted with egui's plain white texture on a white canvas of `size` pixels.
    fn on_white(size: [usize; 2], pixels_per_point: f32, mesh: Mesh, clip: Rect) -> Canvas {
        let white = ColorImage::filled([1, 1], Color32::WHITE);
        let mut canvas = Canvas::new(size, pixels_per_point, Color32::WHITE);
        paint(
            &mut canvas,
            mesh,
            clip,
            &textures(white, TextureOptions::LINEAR),
        );
        canvas
    }

    #[test]
    fn a_translucent_rectangle_covers_the_pixels_whose_centres_it_holds_each_blended_once() {
        // Half-transparent red, premultiplied: (128, 0, 0, 128).
        let red = Color32::from_rgba_unmultiplied(255, 0, 0, 128);
        assert_eq!(red.to_array(), [128, 0, 0, 128]);
        let mesh = rectangle([1.0, 0.0], [3.0, 2.0], red);
        let canvas = on_white([5, 3], 1.0, mesh, Rect::EVERYTHING);
        // Over white: red 128 + 255 x (255 - 128) / 255 = 128 + 127 = 255; green and blue
        // 0 + 127 = 127. A pixel on the diagonal blended twice would read 63 instead.
        let blended = Color32::from_rgb(255, 127, 127);
        assert_eq!(rows(&canvas, blended), [".##..", ".##..", "....."]);
    }

    #[test]
    fn points_become_pixels_at_the_scale_and_the_clip_rectangle_cuts() {
        // Points (0.5, 0)-(2.5, 1) are pixels (1, 0)-(5, 2) at 2 pixels per point; the clip
        // (points 0-2 wide) keeps pixels 0-3 of them.
        let mesh = rectangle([0.5, 0.0], [2.5, 1.0], Color32::BLUE);
        let clip = Rect::from_min_max(pos2(0.0, 0.0), pos2(2.0, 9.0));
        let canvas = on_white([6, 3], 2.0, mesh, clip);
        assert_eq!(rows(&canvas, Color32::BLUE), [".###..", ".###..", "......"]);
    }

    #[test]
    fn texels_are_sampled_where_the_texture_coordinates_point_and_tinted_by_the_vertex_colour() {
        // A 2x1 texture: white, then half-transparent white; nearest sampling.
        let texture = ColorImage::new(
            [2, 1],
            vec![
                Color32::WHITE,
                Color32::from_rgba_premultiplied(128, 128, 128, 128),
            ],
        );
        let textures = textures(texture, TextureOptions::NEAREST);
        let mut canvas = Canvas::new([4, 1], 1.0, Color32::BLACK);
        paint(
            &mut canvas,
            rectangle([0.0, 0.0], [4.0, 1.0], Color32::from_rgb(0, 200, 0)),
            Rect::EVERYTHING,
            &textures,
        );
        // The left half samples the opaque texel: green 255 x 200 / 255 = 200. The right half
        // samples (128, 128, 128, 128) tinted to (0, 128 x 200 / 255 = 100.4, 0, 128), over
        // black: green 100.
        assert_eq!(
            canvas.image.pixels,
            [
                Color32::from_rgb(0, 200, 0),
                Color32::from_rgb(0, 200, 0),
                Color32::from_rgb(0, 100, 0),
                Color32::from_rgb(0, 100, 0),
            ]
        );
    }

    #[test]
    fn a_patch_updates_part_of_a_texture_and_a_freed_one_draws_nothing() {
        let mut textures = textures(
            ColorImage::filled([2, 2], Color32::WHITE),
            TextureOptions::NEAREST,
        );
        let mut delta = TexturesDelta::default();
        let patch = ImageDelta::partial(
            [1, 0],
            ColorImage::filled([1, 2], Color32::RED),
            TextureOptions::NEAREST,
        );
        delta.set.insert(WHITE_TEXTURE, [patch].into());
        delta.free.insert(WHITE_TEXTURE);
        let freed = textures.apply(delta);
        assert_eq!(
            textures.images[&WHITE_TEXTURE].0.pixels,
            [Color32::WHITE, Color32::RED, Color32::WHITE, Color32::RED]
        );
        assert_eq!(freed, [WHITE_TEXTURE]);
        textures.free(&freed);
        let mut canvas = Canvas::new([2, 2], 1.0, Color32::WHITE);
        paint(
            &mut canvas,
            rectangle([0.0, 0.0], [2.0, 2.0], Color32::BLACK),
            Rect::EVERYTHING,
            &textures,
        );
        assert_eq!(rows(&canvas, Color32::BLACK), ["..", ".."]);
    }
}
