//! egui's text widgets with their text in display order: each method puts the text through
//! [`bidi`] before egui's own method of the same name draws it, so no call site can forget it.

use egui::{InnerResponse, Response, Ui, WidgetText};

use crate::text::bidi;

/// Text widgets of [`Ui`] that lay out mixed and right-to-left text (UAX #9) first.
pub trait UiExt {
    /// `text` in display order, for a widget built by hand (`egui::Label::new`, `hint_text`,
    /// `selected_text`, `on_hover_text`, `CollapsingHeader::new`).
    fn rtl(&self, text: impl Into<WidgetText>) -> WidgetText;

    /// [`Ui::label`].
    fn text(&mut self, text: impl Into<WidgetText>) -> Response;

    /// [`Ui::link`].
    #[must_use = "the response says whether it was clicked"]
    fn link_text(&mut self, text: impl Into<WidgetText>) -> Response;

    /// [`Ui::button`].
    #[must_use = "the response says whether it was clicked"]
    fn button_text(&mut self, text: impl Into<WidgetText>) -> Response;

    /// [`Ui::small_button`].
    #[must_use = "the response says whether it was clicked"]
    fn small_button_text(&mut self, text: impl Into<WidgetText>) -> Response;

    /// [`Ui::checkbox`].
    fn checkbox_text(&mut self, checked: &mut bool, text: impl Into<WidgetText>) -> Response;

    /// [`Ui::radio_value`].
    fn radio_value_text<V: PartialEq>(
        &mut self,
        current: &mut V,
        alternative: V,
        text: impl Into<WidgetText>,
    ) -> Response;

    /// [`Ui::selectable_value`].
    fn selectable_value_text<V: PartialEq>(
        &mut self,
        current: &mut V,
        selected: V,
        text: impl Into<WidgetText>,
    ) -> Response;

    /// [`Ui::selectable_label`].
    #[must_use = "the response says whether it was clicked"]
    fn selectable_label_text(&mut self, checked: bool, text: impl Into<WidgetText>) -> Response;

    /// [`Ui::menu_button`].
    fn menu_button_text<R>(
        &mut self,
        text: impl Into<WidgetText>,
        add_contents: impl FnOnce(&mut Ui) -> R,
    ) -> InnerResponse<Option<R>>;
}

impl UiExt for Ui {
    fn rtl(&self, text: impl Into<WidgetText>) -> WidgetText {
        bidi(self, text)
    }

    fn text(&mut self, text: impl Into<WidgetText>) -> Response {
        let text = self.rtl(text);
        self.label(text)
    }

    fn link_text(&mut self, text: impl Into<WidgetText>) -> Response {
        let text = self.rtl(text);
        self.link(text)
    }

    fn button_text(&mut self, text: impl Into<WidgetText>) -> Response {
        let text = self.rtl(text);
        self.button(text)
    }

    fn small_button_text(&mut self, text: impl Into<WidgetText>) -> Response {
        let text = self.rtl(text);
        self.small_button(text)
    }

    fn checkbox_text(&mut self, checked: &mut bool, text: impl Into<WidgetText>) -> Response {
        let text = self.rtl(text);
        self.checkbox(checked, text)
    }

    fn radio_value_text<V: PartialEq>(
        &mut self,
        current: &mut V,
        alternative: V,
        text: impl Into<WidgetText>,
    ) -> Response {
        let text = self.rtl(text);
        self.radio_value(current, alternative, text)
    }

    fn selectable_value_text<V: PartialEq>(
        &mut self,
        current: &mut V,
        selected: V,
        text: impl Into<WidgetText>,
    ) -> Response {
        let text = self.rtl(text);
        self.selectable_value(current, selected, text)
    }

    fn selectable_label_text(&mut self, checked: bool, text: impl Into<WidgetText>) -> Response {
        let text = self.rtl(text);
        self.selectable_label(checked, text)
    }

    fn menu_button_text<R>(
        &mut self,
        text: impl Into<WidgetText>,
        add_contents: impl FnOnce(&mut Ui) -> R,
    ) -> InnerResponse<Option<R>> {
        let text = self.rtl(text);
        self.menu_button(text, add_contents)
    }
}

#[cfg(test)]
mod tests {
    use egui::epaint::{ClippedShape, Shape};

    use super::UiExt;
    use crate::domain::Language;
    use crate::i18n;
    use crate::text::{bidi_with, fonts};

    /// Latin, Persian and a Persian number: its display order differs from its logical one.
    const MIXED: &str = "Deal کافه نادری ۱۲۳";
    const LATIN: &str = "Deal 123";

    type Add = fn(&mut egui::Ui, &'static str);

    /// One way of drawing a text with each method.
    const METHODS: [(&str, Add); 10] = [
        ("rtl", |ui, t| {
            let text = ui.rtl(t);
            ui.label(text);
        }),
        ("text", |ui, t| {
            ui.text(t);
        }),
        ("link_text", |ui, t| {
            let _ = ui.link_text(t);
        }),
        ("button_text", |ui, t| {
            let _ = ui.button_text(t);
        }),
        ("small_button_text", |ui, t| {
            let _ = ui.small_button_text(t);
        }),
        ("checkbox_text", |ui, t| {
            ui.checkbox_text(&mut true, t);
        }),
        ("radio_value_text", |ui, t| {
            ui.radio_value_text(&mut 1, 1, t);
        }),
        ("selectable_value_text", |ui, t| {
            ui.selectable_value_text(&mut 1, 1, t);
        }),
        ("selectable_label_text", |ui, t| {
            let _ = ui.selectable_label_text(true, t);
        }),
        ("menu_button_text", |ui, t| {
            ui.menu_button_text(t, |_| ());
        }),
    ];

    /// The texts `add` paints with `text` in `language`, and what `bidi_with` makes of `text`.
    fn painted(language: Language, add: Add, text: &'static str) -> (Vec<String>, String) {
        i18n::install(i18n::Local {
            language,
            ..i18n::current()
        });
        let ctx = egui::Context::default();
        ctx.set_fonts(fonts(language));
        let mut output = ctx.run_ui(egui::RawInput::default(), |ui| add(ui, text));
        // No renderer takes the font atlas here.
        output.textures_delta.clear();
        let mut texts = Vec::new();
        output
            .shapes
            .into_iter()
            .for_each(|ClippedShape { shape, .. }| texts_of(shape, &mut texts));
        let expected = bidi_with(&ctx.global_style(), text).text().to_owned();
        (texts, expected)
    }

    fn texts_of(shape: Shape, out: &mut Vec<String>) {
        match shape {
            Shape::Text(text) => out.push(text.galley.text().to_owned()),
            Shape::Vec(shapes) => shapes.into_iter().for_each(|s| texts_of(s, out)),
            _ => {}
        }
    }

    #[test]
    fn every_method_draws_mixed_text_in_display_order() {
        let mut orders = Vec::new();
        for language in [Language::Persian, Language::English] {
            for (name, add) in METHODS {
                let (texts, expected) = painted(language, add, MIXED);
                assert_ne!(expected, MIXED, "{name} in {language:?}: not reordered");
                assert_eq!(
                    texts,
                    std::slice::from_ref(&expected),
                    "{name} in {language:?}"
                );
                orders.push(expected);
            }
        }
        // A Persian line reads right to left whatever its first letter; an English one doesn't.
        assert_ne!(orders.first(), orders.last());
    }

    #[test]
    fn every_method_draws_latin_text_as_it_is() {
        for language in [Language::Persian, Language::English] {
            for (name, add) in METHODS {
                let (texts, _) = painted(language, add, LATIN);
                assert_eq!(texts, [LATIN], "{name} in {language:?}");
            }
        }
    }
}
