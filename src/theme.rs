//! Themes: a palette of named colours and named style slots. Widgets ask the
//! theme for a slot (`ui.theme.danger`) and never write a raw colour, so a
//! theme file can restyle everything and `mono` can take every colour away.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

/// The themes compiled into the binary, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("default", include_str!("../themes/default.toml")),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("mono", include_str!("../themes/mono.toml")),
];

/// The theme that uses no colour at all (and what NO_COLOR selects).
pub const MONO: &str = "mono";

macro_rules! slots {
    ($($(#[$doc:meta])* $slot:ident,)*) => {
        /// Every style a widget may use, by purpose.
        #[derive(Debug, Clone, PartialEq, Default)]
        pub struct Theme {
            pub name: String,
            $($(#[$doc])* pub $slot: Style,)*
        }

        impl Theme {
            /// The slot names a theme file may set.
            pub const SLOTS: &'static [&'static str] = &[$(stringify!($slot)),*];

            fn slot_mut(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($slot) => Some(&mut self.$slot),)*
                    _ => None,
                }
            }

            /// Every slot with its name.
            pub fn slots(&self) -> Vec<(&'static str, Style)> {
                vec![$((stringify!($slot), self.$slot)),*]
            }

            fn slots_mut(&mut self) -> Vec<&mut Style> {
                vec![$(&mut self.$slot),*]
            }
        }
    };
}

slots! {
    /// Plain body text.
    text,
    title,
    border,
    border_focused,
    /// The selected row of a list or table.
    selection,
    /// Secondary text: hints, timestamps.
    muted,
    danger,
    success,
    warning,
    /// Key names in the footer and help.
    key_hint,
    /// The status bar at the top.
    header,
    label,
    label_focused,
    input,
    input_focused,
    /// The screen you are on, in the sidebar.
    nav_active,
    button,
    button_focused,
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("no theme named '{0}' (built in: default, light, high-contrast, mono)")]
    Unknown(String),
    #[error("'{0}' is not a theme name: use letters, digits, '-' or '_'")]
    BadName(String),
    #[error("could not read {path}: {reason}")]
    Read { path: String, reason: String },
    #[error("theme '{name}' is not valid: {reason}")]
    Invalid { name: String, reason: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    #[serde(default)]
    palette: BTreeMap<String, String>,
    #[serde(default)]
    styles: BTreeMap<String, StyleSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StyleSpec {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    modifiers: Vec<String>,
}

impl Theme {
    /// A word that must stand out in the header (DEMO, a warning): the
    /// header's own colours, swapped. Readable wherever the header is,
    /// which the warning colour on the header's background was not.
    pub fn badge(&self) -> Style {
        self.header
            .add_modifier(ratatui::style::Modifier::BOLD | ratatui::style::Modifier::REVERSED)
    }

    /// The built-in theme of that name.
    pub fn builtin(name: &str) -> Result<Self, ThemeError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| ThemeError::Unknown(name.to_string()))?;
        Self::parse(name, text, &Self::default())
    }

    /// The built-in default; it is tested to parse, so this never falls back
    /// further than an unstyled theme.
    pub fn fallback() -> Self {
        Self::builtin("default").unwrap_or_default()
    }

    /// A theme from TOML. Slots the file leaves out keep `base`'s style, so a
    /// user theme may change just a few.
    pub fn parse(name: &str, text: &str, base: &Theme) -> Result<Self, ThemeError> {
        let invalid = |reason: String| ThemeError::Invalid {
            name: name.to_string(),
            reason,
        };
        let file: ThemeFile = toml::from_str(text).map_err(|e| invalid(e.message().to_string()))?;
        let mut theme = base.clone();
        theme.name = file.name.unwrap_or_else(|| name.to_string());
        for (slot, spec) in &file.styles {
            let style = spec
                .resolve(&file.palette)
                .map_err(|e| invalid(e.to_string()))?;
            let target = theme
                .slot_mut(slot)
                .ok_or_else(|| invalid(format!("unknown style slot '{slot}'")))?;
            *target = style;
        }
        Ok(theme)
    }

    /// The same theme with every colour removed: only modifiers remain.
    pub fn without_colours(mut self) -> Self {
        for style in self.slots_mut() {
            *style = Style::new().add_modifier(style.add_modifier);
        }
        self
    }

    /// True when no slot sets a colour.
    pub fn is_colourless(&self) -> bool {
        self.clone()
            .slots_mut()
            .iter()
            .all(|s| s.fg.is_none() && s.bg.is_none() && s.underline_color.is_none())
    }
}

impl StyleSpec {
    fn resolve(&self, palette: &BTreeMap<String, String>) -> Result<Style, StyleError> {
        let mut style = Style::new();
        if let Some(fg) = &self.fg {
            style = style.fg(colour(fg, palette)?);
        }
        if let Some(bg) = &self.bg {
            style = style.bg(colour(bg, palette)?);
        }
        for name in &self.modifiers {
            style = style.add_modifier(modifier(name)?);
        }
        Ok(style)
    }
}

/// A style in a theme file that names no colour or modifier.
#[derive(Debug, thiserror::Error)]
enum StyleError {
    #[error("'{0}' is not a colour (use a name like \"red\", \"#rrggbb\" or 0-255)")]
    Colour(String),
    #[error("'{0}' is not a modifier (bold, dim, italic, underlined, reversed, crossed_out)")]
    Modifier(String),
}

fn colour(name: &str, palette: &BTreeMap<String, String>) -> Result<Color, StyleError> {
    let value = palette.get(name).map(String::as_str).unwrap_or(name);
    Color::from_str(value).map_err(|_| StyleError::Colour(value.to_string()))
}

fn modifier(name: &str) -> Result<Modifier, StyleError> {
    Ok(match name {
        "bold" => Modifier::BOLD,
        "dim" => Modifier::DIM,
        "italic" => Modifier::ITALIC,
        "underlined" => Modifier::UNDERLINED,
        "reversed" => Modifier::REVERSED,
        "crossed_out" => Modifier::CROSSED_OUT,
        other => return Err(StyleError::Modifier(other.to_string())),
    })
}

/// The theme `name`: the user's `<config_dir>/themes/NAME.toml` if there is
/// one, else the built-in. On any problem: the built-in default plus a
/// warning to show. `mono` never carries a colour, whatever its file says.
pub fn load(name: &str, config_dir: Option<&Path>) -> (Theme, Option<String>) {
    let result = user_theme(name, config_dir).unwrap_or_else(|| Theme::builtin(name));
    let (theme, warning) = match result {
        Ok(theme) => (theme, None),
        Err(e) => (
            Theme::fallback(),
            Some(format!("{e}; using the default theme")),
        ),
    };
    if name == MONO {
        return (theme.without_colours(), warning);
    }
    (theme, warning)
}

fn user_theme(name: &str, config_dir: Option<&Path>) -> Option<Result<Theme, ThemeError>> {
    let dir = config_dir?;
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !safe {
        return Some(Err(ThemeError::BadName(name.to_string())));
    }
    let path = dir.join("themes").join(format!("{name}.toml"));
    if !path.is_file() {
        return None;
    }
    let read = std::fs::read_to_string(&path).map_err(|e| ThemeError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    });
    Some(read.and_then(|text| Theme::parse(name, &text, &Theme::fallback())))
}

/// A colour's place in the terminal's palette (the 16 basic ones, or an
/// index); None for the default and for true colour.
pub fn palette(c: Color) -> Option<u8> {
    Some(match c {
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
        Color::Indexed(i) => i,
        Color::Reset | Color::Rgb(..) => return None,
    })
}

#[cfg(test)]
mod contrast;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_file_parses_and_sets_every_slot() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes");
        let entries = std::fs::read_dir(&dir).expect("themes/ exists");
        let mut seen = 0;
        for entry in entries {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("readable");
            let file: ThemeFile = toml::from_str(&text).expect("valid TOML");
            for slot in Theme::SLOTS {
                assert!(file.styles.contains_key(*slot), "{path:?} lacks {slot}");
            }
            Theme::parse("t", &text, &Theme::default()).expect("valid theme");
            seen += 1;
        }
        assert!(seen >= BUILTIN.len());
        for (name, _) in BUILTIN {
            assert_eq!(Theme::builtin(name).expect("builtin").name, *name);
        }
    }

    #[test]
    fn mono_has_no_colour() {
        let (theme, warning) = load(MONO, None);
        assert!(warning.is_none());
        assert!(theme.is_colourless());
        assert!(!Theme::fallback().is_colourless());
    }

    #[test]
    fn a_broken_user_theme_falls_back_with_a_warning() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join("themes")).expect("mkdir");
        let file = dir.path().join("themes").join("mine.toml");
        std::fs::write(&file, "[styles]\ntitle = { fg = \"not-a-colour\" }\n").expect("write");
        let (theme, warning) = load("mine", Some(dir.path()));
        assert_eq!(theme, Theme::fallback());
        let warning = warning.expect("a warning");
        assert!(warning.contains("not a colour"), "{warning}");

        std::fs::write(&file, "[styles]\ntitle = { fg = \"red\" }\n").expect("write");
        let (theme, warning) = load("mine", Some(dir.path()));
        assert!(warning.is_none(), "{warning:?}");
        assert_eq!(theme.title, Style::new().fg(Color::Red));
        assert_eq!(
            theme.border,
            Theme::fallback().border,
            "unset slots inherit"
        );
    }

    #[test]
    fn unknown_names_and_slots_are_explained() {
        let (_, warning) = load("nope", None);
        assert!(warning.expect("warning").contains("no theme named 'nope'"));
        let err = Theme::parse("x", "[styles]\ntitel = {}\n", &Theme::default())
            .expect_err("unknown slot");
        assert!(
            err.to_string().contains("unknown style slot 'titel'"),
            "{err}"
        );
        let (_, warning) = load("../etc", Some(Path::new("/tmp")));
        assert!(warning.expect("warning").contains("not a theme name"));
    }
}
