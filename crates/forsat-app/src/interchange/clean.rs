//! The repairs the importer makes to cells other systems write in ways Forsat's fields do not
//! take: a name exported as a multi-line cell, Odoo's HTML notes, an email written with its
//! owner's name, several phones in one cell. Each repair is counted ([`Repairs`]) so the import
//! summary says what was changed and how often; nothing is changed silently.
//!
//! What cannot be repaired without guessing is left to the checks, which refuse it naming the
//! row, the column and the value: control characters other than line breaks and tabs (an
//! escape sequence, a NUL byte) are no layout another system put there but damage or an attack,
//! and dropping them would change a name in a way nobody can check.

use super::Target;
use crate::domain::MAX_TEXT_CHARS;
use crate::trn;

/// Whether `c` ends a line or indents: CR, LF, tab, vertical tab, form feed, next line
/// (U+0085) and the line and paragraph separators (U+2028, U+2029), the characters Unicode
/// breaks lines at (UAX #14) plus the tab.
pub(super) fn breaks_line(c: char) -> bool {
    matches!(
        c,
        '\r' | '\n' | '\t' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// `text` trimmed and made one line: each run of line breaks and tabs, with the spaces around
/// it, becomes one space; other spaces stay as written. None when trimming alone makes it one
/// line (the common case, without an allocation).
pub(super) fn one_line(text: &str) -> Option<String> {
    let text = text.trim();
    if !text.contains(breaks_line) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    // The spaces since the last other character, and whether a line break is among them.
    let mut run = String::new();
    let mut broken = false;
    for c in text.chars() {
        if c.is_whitespace() {
            broken |= breaks_line(c);
            run.push(c);
            continue;
        }
        if broken {
            out.push(' ');
        } else {
            out.push_str(&run);
        }
        run.clear();
        broken = false;
        out.push(c);
    }
    Some(out)
}

/// Whether a cell is HTML, as Odoo exports its notes (an Html field): it begins with a tag and
/// closes one. Text that only mentions `<` (“a < b”) is not.
pub(super) fn is_html(text: &str) -> bool {
    let text = text.trim();
    text.starts_with('<')
        && text.ends_with('>')
        && (text.contains("</") || text.contains("/>") || text.contains("<br"))
}

/// The text of an HTML cell: paragraphs, line breaks and list items on lines of their own,
/// tags and their decorations dropped (a link is its text), entities decoded, no blank lines.
/// `html2text` (on html5ever, Servo's parser) reads HTML as browsers do, broken markup
/// included.
pub(super) fn html_text(html: &str) -> String {
    // Wide enough that no line of a description (at most MAX_TEXT_CHARS) is ever wrapped.
    let decorator = html2text::render::TrivialDecorator::new();
    let text = html2text::config::with_decorator(decorator)
        .string_from_read(html.as_bytes(), MAX_TEXT_CHARS)
        .unwrap_or_else(|_| html.to_owned());
    text.lines()
        .map(str::trim_end)
        .filter(|line| !line.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

/// The values of a cell that lists several, separated by `,` or `;` (Pipedrive writes a
/// person's phones in one cell, Odoo may keep several addresses), each trimmed; a separator
/// inside quotes or `<…>` (`"Burke, Willie" <willie@example.com>`) separates nothing.
pub(super) fn listed(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut angled) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '<' if !quoted => angled = true,
            '>' if !quoted => angled = false,
            ',' | ';' if !quoted && !angled => {
                parts.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The address of an email written with its owner's name (`Willie Burke
/// <willie@example.com>`, as Odoo keeps the sender of a mail); None when it is written alone.
pub(super) fn bare_address(text: &str) -> Option<&str> {
    let (_, rest) = text.rsplit_once('<')?;
    let address = rest.trim_end().strip_suffix('>')?.trim();
    (!address.is_empty()).then_some(address)
}

/// One kind of repair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Repair {
    /// A one-line cell's line breaks and tabs joined with a space.
    Folded(Target),
    /// An HTML description made text.
    Html(Target),
    /// An email written with its owner's name: the address kept.
    NamedEmail,
    /// More than one email (or phone) for a contact, in one cell or several columns: the
    /// first kept, as a contact has one.
    Extra(Target),
    /// A contact without a name but with an email or a phone: named by it.
    Unnamed,
    /// Odoo's customer written “Company, Person” with the person as the contact: the company
    /// taken as the account (Odoo names a company's contact so).
    CustomerWithContact,
}

/// The repairs made to the rows read, each kind counted, in the order first met.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct Repairs(Vec<(Repair, usize)>);

impl Repairs {
    pub fn add(&mut self, repair: Repair) {
        match self.0.iter_mut().find(|(r, _)| *r == repair) {
            Some((_, n)) => *n += 1,
            None => self.0.push((repair, 1)),
        }
    }

    /// Adds the counts of `other` (rows read after these).
    pub fn merge(&mut self, other: Repairs) {
        for (repair, n) in other.0 {
            match self.0.iter_mut().find(|(r, _)| *r == repair) {
                Some((_, m)) => *m += n,
                None => self.0.push((repair, n)),
            }
        }
    }

    /// A note for each kind of repair, naming what was changed, in which column, how often;
    /// `header` gives a target's column as the file names it.
    pub fn messages(&self, header: impl Fn(Target) -> String) -> Vec<String> {
        self.0
            .iter()
            .map(|&(repair, n)| match repair {
                Repair::Folded(target) => trn!(
                    n,
                    "{n} values of {field} (column “{column}”) had line breaks or tabs: joined with a space",
                    field = target.label(),
                    column = crate::domain::escaped(&header(target))
                ),
                Repair::Html(target) => trn!(
                    n,
                    "{n} values of {field} (column “{column}”) were HTML: made text (paragraphs and list items on lines of their own)",
                    field = target.label(),
                    column = crate::domain::escaped(&header(target))
                ),
                Repair::NamedEmail => trn!(
                    n,
                    "{n} emails were written with a name (“Name <address>”): the address kept"
                ),
                Repair::Extra(target) => trn!(
                    n,
                    "{n} rows have more than one {field} for their contact: the first kept (a contact has one)",
                    field = target.label()
                ),
                Repair::Unnamed => trn!(
                    n,
                    "{n} contacts have no name but an email or a phone: named by it"
                ),
                Repair::CustomerWithContact => trn!(
                    n,
                    "{n} customers were written “Company, Contact” (as Odoo names a company's contact): the company taken as the account"
                ),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_tabs_fold_into_one_space_and_other_spaces_stay() {
        assert_eq!(one_line("  Plain name "), None);
        assert_eq!(one_line("Two  spaces"), None);
        assert_eq!(
            one_line("Office\r\n  chairs").as_deref(),
            Some("Office chairs")
        );
        assert_eq!(one_line("a\n\n\tb").as_deref(), Some("a b"));
        assert_eq!(one_line("a\rb\nc").as_deref(), Some("a b c"));
        assert_eq!(
            one_line("فروش\u{2028}سرور\u{2029}").as_deref(),
            Some("فروش سرور")
        );
        assert_eq!(
            one_line("x\u{85}y\u{0B}z\u{0C}w").as_deref(),
            Some("x y z w")
        );
        assert_eq!(one_line("\r\nTrailing\r\n"), None, "trimming alone");
        // Other control characters are no layout: left for the checks to refuse.
        assert_eq!(one_line("Esc\u{1b}[2J"), None);
    }

    #[test]
    fn odoo_html_notes_become_lines_of_text() {
        assert!(is_html("<p>Two floors</p><p>open plan</p>"));
        assert!(is_html("<p>one<br>two</p>"));
        assert!(!is_html("a < b and c > d"));
        assert!(!is_html("<not closed"));
        assert_eq!(
            html_text("<p>Two floors</p><p>open&nbsp;plan &amp; &quot;café&quot;</p>"),
            "Two floors\nopen\u{a0}plan & \"café\""
        );
        assert_eq!(
            html_text("<p>Call back<br>Thursday</p><ul><li>Quote</li><li>دمو</li></ul>"),
            "Call back\nThursday\nQuote\nدمو"
        );
        assert_eq!(
            html_text("<div><b>Bold</b> &lt;tag&gt; <a href=\"https://x.example\">link</a></div>"),
            "Bold <tag> link"
        );
    }
}
