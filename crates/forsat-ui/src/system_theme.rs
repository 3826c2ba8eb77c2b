//! The desktop's light or dark preference where winit cannot say it (Linux, X11 and Wayland):
//! the freedesktop appearance portal's `color-scheme`, read when the window opens and followed
//! while it is open. egui shows it as the fallback theme when the choice is "As the system".

use futures_lite::StreamExt as _;
use zbus::zvariant::{OwnedValue, Value};

const NAMESPACE: &str = "org.freedesktop.appearance";
const KEY: &str = "color-scheme";

/// The theme a `color-scheme` value asks for: 1 prefers dark, 2 light; 0 (no preference) and
/// anything else, none.
pub fn theme_of(scheme: &Value) -> Option<egui::Theme> {
    match scheme {
        Value::U32(1) => Some(egui::Theme::Dark),
        Value::U32(2) => Some(egui::Theme::Light),
        // The portal's older `Read` answers the value wrapped in a variant.
        Value::Value(inner) => theme_of(inner),
        _ => None,
    }
}

/// Follows the portal's `color-scheme` on a thread of its own for as long as the window lives;
/// without a session bus or a portal, nothing (the fallback stays light).
pub fn follow(ctx: &egui::Context) {
    let ctx = ctx.clone();
    std::thread::Builder::new()
        .name("system theme".to_owned())
        .spawn(move || pollster::block_on(watch(&ctx)))
        .ok();
}

async fn watch(ctx: &egui::Context) -> zbus::Result<()> {
    let bus = zbus::Connection::session().await?;
    let settings = zbus::Proxy::new(
        &bus,
        "org.freedesktop.portal.Desktop",
        "/org/freedesktop/portal/desktop",
        "org.freedesktop.portal.Settings",
    )
    .await?;
    // Listening first, so that a change while the value is read is not missed.
    let mut changes = settings.receive_signal("SettingChanged").await?;
    let value: OwnedValue = match settings.call("ReadOne", &(NAMESPACE, KEY)).await {
        Ok(value) => value,
        Err(_) => settings.call("Read", &(NAMESPACE, KEY)).await?,
    };
    take(ctx, &value);
    while let Some(message) = changes.next().await {
        let (namespace, key, value): (String, String, OwnedValue) = message.body().deserialize()?;
        if namespace == NAMESPACE && key == KEY {
            take(ctx, &value);
        }
    }
    Ok(())
}

fn take(ctx: &egui::Context, value: &Value) {
    let theme = theme_of(value).unwrap_or(egui::Theme::Light);
    ctx.options_mut(|options| options.fallback_theme = theme);
    ctx.request_repaint();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_portals_color_scheme_is_read_as_a_theme() {
        assert_eq!(theme_of(&Value::U32(1)), Some(egui::Theme::Dark));
        assert_eq!(theme_of(&Value::U32(2)), Some(egui::Theme::Light));
        assert_eq!(theme_of(&Value::U32(0)), None);
        // As `Read` answers: a variant in a variant.
        let wrapped = Value::Value(Box::new(Value::U32(1)));
        assert_eq!(theme_of(&wrapped), Some(egui::Theme::Dark));
        assert_eq!(theme_of(&Value::from("dark")), None);
    }
}
