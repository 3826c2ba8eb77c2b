//! Contacts as vCard files, read and written with calcard: the 2.1 that phones still export
//! (quoted-printable, a character set named on the line), 3.0 and 4.0. Each card is a contact:
//! its name (FN, else N), organisation (ORG: the account of that name, made when none is),
//! title, every EMAIL and TEL, and NOTE. A card whose email or phone a contact already has (or
//! an earlier card of the file) is a duplicate: it is not added unless the user says so, and
//! merging it gives the contact the emails, phones and notes it lacked. A file that is not
//! vCard, or a card that cannot be taken, changes nothing and is named by its line.

use std::collections::HashMap;

use calcard::vcard::{VCard, VCardEntry, VCardProperty, VCardValue, VCardVersion};

use crate::command::Change;
use crate::domain::{Account, Contact, Id, Record};
use crate::i18n::latin_digits;
use crate::tr;
use crate::workspace::Workspace;

/// The contacts of the accounts `of` (every contact when None), by account and name, as the
/// text of a vCard 3.0 file (the version every address book reads).
pub fn contacts_vcf(ws: &Workspace, of: Option<&[Id]>) -> String {
    let mut contacts: Vec<(&str, &Contact)> = ws
        .contacts()
        .filter(|c| of.is_none_or(|of| of.contains(&c.account)))
        .map(|c| (ws.account(c.account).map_or("", |a| a.name.as_str()), c))
        .collect();
    contacts.sort_by(|a, b| (a.0, &a.1.name, a.1.id).cmp(&(b.0, &b.1.name, b.1.id)));
    let mut out = String::new();
    for (organisation, contact) in contacts {
        // Writing to a String cannot fail.
        let _ = card(organisation, contact).write_to(&mut out, VCardVersion::V3_0);
    }
    out
}

/// One contact's card.
fn card(organisation: &str, c: &Contact) -> VCard {
    let text = |property: VCardProperty, value: &str| {
        VCardEntry::new(property).with_value(VCardValue::Text(value.to_owned()))
    };
    // N is family name; given names: the last word is taken as the family name.
    let (given, family) = c.name.rsplit_once(' ').unwrap_or(("", c.name.as_str()));
    let mut entries = vec![
        text(VCardProperty::Fn, &c.name),
        VCardEntry::new(VCardProperty::N).with_values(
            [family, given, "", "", ""]
                .iter()
                .map(|part| VCardValue::Text((*part).to_owned()))
                .collect(),
        ),
    ];
    if !organisation.is_empty() {
        entries.push(text(VCardProperty::Org, organisation));
    }
    if !c.role.is_empty() {
        entries.push(text(VCardProperty::Title, &c.role));
    }
    entries.extend(c.emails().map(|e| text(VCardProperty::Email, e)));
    entries.extend(c.phones().map(|p| text(VCardProperty::Tel, p)));
    if !c.notes.is_empty() {
        entries.push(text(VCardProperty::Note, &c.notes));
    }
    entries.push(text(
        VCardProperty::Uid,
        &format!("contact-{}@forsat", c.id),
    ));
    VCard { entries }
}

/// A card of a file as read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Card {
    /// The line its BEGIN:VCARD is on (from 1).
    pub line: usize,
    pub name: String,
    pub organisation: String,
    pub role: String,
    pub emails: Vec<String>,
    pub phones: Vec<String>,
    pub notes: String,
}

impl Card {
    /// The contact the card is, of no account yet.
    fn contact(&self) -> Contact {
        let mut contact = Contact {
            name: self.name.clone(),
            role: self.role.clone(),
            notes: self.notes.clone(),
            ..Contact::default()
        };
        contact.set_emails(self.emails.clone());
        contact.set_phones(self.phones.clone());
        contact
    }
}

/// What a duplicate card is kept as.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum OnDuplicate {
    /// Left out.
    #[default]
    Skip,
    /// Its emails, phones and notes given to the contact it repeats.
    Merge,
    /// Added as a contact of its own all the same.
    Add,
}

/// Who a duplicate card repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Repeats {
    /// A contact of the file (its id).
    Contact(Id),
    /// An earlier card of the same file (its line).
    Card(usize),
}

/// A card with an email or a phone some contact or earlier card already has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Duplicate {
    pub card: Card,
    pub repeats: Repeats,
    /// Who it repeats, by name ("Sara Ahmadi (Acme)").
    pub repeats_name: String,
    /// What they share: the email or phone.
    pub shared: String,
    /// What was done with it, in a line ("Line 14: Sara left out: …").
    pub said: String,
    /// The emails, phones and notes a merge would give the contact it repeats (none: the
    /// card holds nothing new).
    pub adds: Vec<String>,
}

/// What a file of cards adds: the change, a summary and the repairs made (a card without an
/// organisation), and the duplicates.
#[derive(Debug)]
pub struct CardsPlan {
    pub change: Change,
    pub lines: Vec<String>,
    pub added: usize,
    pub merged: usize,
    pub accounts: usize,
    pub duplicates: Vec<Duplicate>,
}

/// Reads the cards of `text` (the file `name`); every problem named by its line.
pub fn read_cards(name: &str, text: &str) -> Result<Vec<Card>, Vec<String>> {
    let (cards, problems) = scan(name, text);
    if problems.is_empty() {
        Ok(cards)
    } else {
        Err(problems.into_iter().map(|(_, p)| p).collect())
    }
}

/// The cards of `text` that can be read, and the problems of the others (and of any text
/// outside a card), each with its line.
fn scan(name: &str, text: &str) -> (Vec<Card>, Vec<(usize, String)>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut cards = Vec::new();
    let mut problems = Vec::new();
    let mut open: Option<(usize, Vec<&str>, usize)> = None;
    for (n, line) in (1..).zip(text.lines()) {
        let word = line.trim().to_ascii_uppercase();
        match &mut open {
            None if word == "BEGIN:VCARD" => open = Some((n, vec![line], 1)),
            None if word.is_empty() => {}
            None => problems.push((
                n,
                tr!(
                    "{file}, line {line}: “{text}” is outside a card (BEGIN:VCARD … END:VCARD).",
                    file = name,
                    line = n,
                    text = super::clip(line)
                ),
            )),
            Some((start, lines, depth)) => {
                lines.push(line);
                // A 2.1 card may hold another (AGENT): it ends at its own END:VCARD.
                if word == "BEGIN:VCARD" {
                    *depth += 1;
                } else if word == "END:VCARD" {
                    *depth -= 1;
                    if *depth == 0 {
                        match card_of(*start, &lines.join("\r\n")) {
                            Ok(card) => cards.push(card),
                            Err(problem) => problems.push((
                                *start,
                                tr!(
                                    "{file}, line {line}: {problem}",
                                    file = name,
                                    line = *start,
                                    problem = problem
                                ),
                            )),
                        }
                        open = None;
                    }
                }
            }
        }
    }
    if let Some((start, ..)) = open {
        problems.push((
            start,
            tr!(
                "{file}, line {line}: the card has no END:VCARD.",
                file = name,
                line = start
            ),
        ));
    }
    if cards.is_empty() && problems.is_empty() {
        problems.push((0, tr!("{file} holds no card (BEGIN:VCARD).", file = name)));
    }
    (cards, problems)
}

/// The card whose text begins on line `line`.
fn card_of(line: usize, text: &str) -> Result<Card, String> {
    let card = VCard::parse(text).map_err(|entry| {
        tr!(
            "the card cannot be read ({detail}).",
            detail = super::unreadable(&entry, text, line)
        )
    })?;
    let texts = |property: VCardProperty| -> Vec<String> {
        card.properties(&property)
            .filter_map(|e| e.values.first())
            .filter_map(VCardValue::as_text)
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    };
    let first = |property: VCardProperty| texts(property).into_iter().next().unwrap_or_default();
    let name = match first(VCardProperty::Fn) {
        n if n.is_empty() => structured_name(&card),
        n => n,
    };
    if name.is_empty() {
        return Err(tr!("the card has no name (FN or N)."));
    }
    let mut emails = texts(VCardProperty::Email);
    emails.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
    let phones = texts(VCardProperty::Tel)
        .into_iter()
        .map(|p| p.strip_prefix("tel:").map(str::to_owned).unwrap_or(p))
        .collect();
    let role = match first(VCardProperty::Title) {
        r if r.is_empty() => first(VCardProperty::Role),
        r => r,
    };
    Ok(Card {
        line,
        name,
        organisation: first(VCardProperty::Org),
        role,
        emails,
        phones,
        notes: texts(VCardProperty::Note).join("\n"),
    })
}

/// A name from N: prefix, given, additional names, family name, suffix.
fn structured_name(card: &VCard) -> String {
    let Some(n) = card.property(&VCardProperty::N) else {
        return String::new();
    };
    let part = |i: usize| {
        n.values
            .get(i)
            .and_then(VCardValue::as_text)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    [part(3), part(1), part(2), part(0), part(4)]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A phone number's digits (Persian ones as Latin).
fn digits(phone: &str) -> String {
    latin_digits(phone)
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// The last `n` of some digits.
fn last(digits: &str, n: usize) -> &str {
    &digits[digits.len().saturating_sub(n)..]
}

/// Whether two phone numbers are one: the same last nine digits ("+98 912 345 6789" and
/// "0912 345 6789"), or a local number of seven or eight digits the other ends with.
fn same_phone(a: &str, b: &str) -> bool {
    let (a, b) = (digits(a), digits(b));
    let shorter = a.len().min(b.len());
    match shorter {
        0..7 => !a.is_empty() && a == b,
        7 | 8 => last(&a, shorter) == last(&b, shorter),
        _ => last(&a, 9) == last(&b, 9),
    }
}

/// The emails (lower case) and phones of the contacts and cards met so far, each with who
/// has them: phones by their last nine digits, and local ones (seven or eight digits) by the
/// ends of the others, as [`same_phone`] compares them.
#[derive(Default)]
struct Known {
    emails: HashMap<String, Repeats>,
    /// Numbers of nine digits or more, by their last nine.
    long: HashMap<String, Repeats>,
    /// Local numbers (seven or eight digits), as they are.
    local: HashMap<String, Repeats>,
    /// The last seven and eight digits of every number of seven or more.
    ends: HashMap<String, Repeats>,
}

impl Known {
    fn learn<'a>(
        &mut self,
        who: &Repeats,
        emails: impl Iterator<Item = &'a str>,
        phones: impl Iterator<Item = &'a str>,
    ) {
        let note = |map: &mut HashMap<String, Repeats>, key: &str| {
            map.entry(key.to_owned()).or_insert_with(|| who.clone());
        };
        for e in emails {
            note(&mut self.emails, &e.to_lowercase());
        }
        for phone in phones {
            let d = digits(phone);
            if d.len() >= 9 {
                note(&mut self.long, last(&d, 9));
            } else if d.len() >= 7 {
                note(&mut self.local, &d);
            }
            for n in [7, 8].into_iter().filter(|n| d.len() >= *n) {
                note(&mut self.ends, last(&d, n));
            }
        }
    }

    /// Who has `phone` already.
    fn phone(&self, phone: &str) -> Option<&Repeats> {
        let d = digits(phone);
        match d.len() {
            0..7 => None,
            7 | 8 => self.ends.get(&d),
            _ => self
                .long
                .get(last(&d, 9))
                .or_else(|| self.local.get(last(&d, 7)))
                .or_else(|| self.local.get(last(&d, 8))),
        }
    }

    /// Who already has one of the card's emails or phones, and which.
    fn repeated(&self, card: &Card) -> Option<(Repeats, String)> {
        let by_email = card.emails.iter().find_map(|e| {
            let who = self.emails.get(&e.to_lowercase())?;
            Some((who.clone(), e.clone()))
        });
        by_email.or_else(|| {
            card.phones
                .iter()
                .find_map(|p| Some((self.phone(p)?.clone(), p.clone())))
        })
    }
}

/// Plans the cards of the file `name` as contacts: a duplicate is kept as `choice` says for
/// its line (left out when it does not say).
pub fn plan_cards(
    ws: &Workspace,
    name: &str,
    text: &str,
    choice: &dyn Fn(usize) -> OnDuplicate,
) -> Result<CardsPlan, Vec<String>> {
    let (cards, mut problems) = scan(name, text);
    let mut plan = Planning::new(ws);
    for card in cards {
        let line = card.line;
        if let Err(problem) = plan.take(ws, name, &card, choice) {
            problems.push((line, problem));
        }
    }
    if problems.is_empty() {
        Ok(plan.finish())
    } else {
        problems.sort_by_key(|(line, _)| *line);
        Err(problems.into_iter().map(|(_, p)| p).collect())
    }
}

/// A plan being made, card by card.
struct Planning {
    next_id: Id,
    known: Known,
    accounts: HashMap<String, Id>,
    new_accounts: Vec<Account>,
    contacts: Vec<Contact>,
    /// The planned contact of each card added, by the card's line.
    by_line: HashMap<usize, usize>,
    merged: HashMap<Id, Contact>,
    lines: Vec<String>,
    duplicates: Vec<Duplicate>,
    added: usize,
    skipped: usize,
}

impl Planning {
    fn new(ws: &Workspace) -> Planning {
        let mut known = Known::default();
        for c in ws.contacts() {
            known.learn(&Repeats::Contact(c.id), c.emails(), c.phones());
        }
        Planning {
            next_id: ws.next_id(),
            known,
            accounts: ws
                .accounts()
                .map(|a| (a.name.trim().to_lowercase(), a.id))
                .collect(),
            new_accounts: Vec::new(),
            contacts: Vec::new(),
            by_line: HashMap::new(),
            merged: HashMap::new(),
            lines: Vec::new(),
            duplicates: Vec::new(),
            added: 0,
            skipped: 0,
        }
    }

    fn take_id(&mut self) -> Id {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// The account of a card: its organisation's, made when there is none; a card without
    /// one files its person under an account of their name.
    fn account_of(&mut self, card: &Card) -> Id {
        let name = if card.organisation.is_empty() {
            &card.name
        } else {
            &card.organisation
        };
        let key = name.trim().to_lowercase();
        if card.organisation.is_empty() {
            self.lines.push(tr!(
                "Line {line}: {name} has no organisation (ORG): filed under the account {name}.",
                line = card.line,
                name = card.name
            ));
        }
        if let Some(id) = self.accounts.get(&key) {
            return *id;
        }
        let id = self.take_id();
        self.accounts.insert(key, id);
        self.new_accounts.push(Account {
            id,
            name: name.clone(),
            ..Account::default()
        });
        id
    }

    /// Takes one card: added, merged or left out, or the reason it cannot be.
    fn take(
        &mut self,
        ws: &Workspace,
        file: &str,
        card: &Card,
        choice: &dyn Fn(usize) -> OnDuplicate,
    ) -> Result<(), String> {
        // Checked once, as the contact it is; a merge checks what it makes of two.
        let contact = checked(file, card, card.contact())?;
        let Some((repeats, shared)) = self.known.repeated(card) else {
            self.add(card, contact);
            return Ok(());
        };
        let keep = choice(card.line);
        let other = self.name_of(ws, &repeats);
        let adds = self
            .target(ws, &repeats)
            .map_or_else(Vec::new, |t| news(&t, card));
        let (line, name) = (card.line, &card.name);
        let said = match keep {
            OnDuplicate::Skip => tr!(
                "Line {line}: {name} left out: {other} has {shared} already.",
                line = line,
                name = name,
                shared = shared,
                other = other
            ),
            OnDuplicate::Merge => tr!(
                "Line {line}: {name} merged into {other} (both have {shared}).",
                line = line,
                name = name,
                shared = shared,
                other = other
            ),
            OnDuplicate::Add => tr!(
                "Line {line}: {name} added, though {other} has {shared} too.",
                line = line,
                name = name,
                shared = shared,
                other = other
            ),
        };
        self.duplicates.push(Duplicate {
            card: card.clone(),
            repeats: repeats.clone(),
            repeats_name: other,
            shared,
            said,
            adds,
        });
        match keep {
            OnDuplicate::Merge => self.merge(ws, file, card, &repeats),
            OnDuplicate::Add => {
                self.add(card, contact);
                Ok(())
            }
            OnDuplicate::Skip => {
                self.skipped += 1;
                Ok(())
            }
        }
    }

    /// Who `repeats` is, by name and account.
    fn name_of(&self, ws: &Workspace, repeats: &Repeats) -> String {
        let (name, account) = match repeats {
            Repeats::Contact(id) => {
                let c = self.merged.get(id).or_else(|| ws.contact(*id));
                (
                    c.map_or("", |c| c.name.as_str()),
                    c.map_or(0, |c| c.account),
                )
            }
            Repeats::Card(line) => {
                let c = self.by_line.get(line).map(|i| &self.contacts[*i]);
                (
                    c.map_or("", |c| c.name.as_str()),
                    c.map_or(0, |c| c.account),
                )
            }
        };
        let organisation = ws
            .account(account)
            .map(|a| a.name.as_str())
            .or_else(|| {
                self.new_accounts
                    .iter()
                    .find(|a| a.id == account)
                    .map(|a| a.name.as_str())
            })
            .unwrap_or_default();
        format!("{name} ({organisation})")
    }

    /// Adds a card as a new contact: `contact`, as checked, at the card's account.
    fn add(&mut self, card: &Card, contact: Contact) {
        let account = self.account_of(card);
        let contact = Contact {
            id: self.take_id(),
            account,
            ..contact
        };
        let who = Repeats::Card(card.line);
        self.known.learn(&who, contact.emails(), contact.phones());
        self.by_line.insert(card.line, self.contacts.len());
        self.contacts.push(contact);
        self.added += 1;
    }

    /// The contact (or earlier card, as planned) a card repeats.
    fn target(&self, ws: &Workspace, repeats: &Repeats) -> Option<Contact> {
        match repeats {
            Repeats::Contact(id) => self.merged.get(id).or_else(|| ws.contact(*id)).cloned(),
            Repeats::Card(line) => self.by_line.get(line).map(|i| self.contacts[*i].clone()),
        }
    }

    /// Gives the contact (or earlier card) a card repeats the emails, phones and notes it
    /// lacked, and the card's title when it had none.
    fn merge(
        &mut self,
        ws: &Workspace,
        file: &str,
        card: &Card,
        repeats: &Repeats,
    ) -> Result<(), String> {
        let Some(mut contact) = self.target(ws, repeats) else {
            return Ok(());
        };
        let mut emails: Vec<String> = contact.emails().map(str::to_owned).collect();
        for e in &card.emails {
            if !emails.iter().any(|have| have.eq_ignore_ascii_case(e)) {
                emails.push(e.clone());
            }
        }
        let mut phones: Vec<String> = contact.phones().map(str::to_owned).collect();
        for p in &card.phones {
            if !phones.iter().any(|have| same_phone(have, p)) {
                phones.push(p.clone());
            }
        }
        contact.set_emails(emails);
        contact.set_phones(phones);
        if contact.role.is_empty() {
            contact.role.clone_from(&card.role);
        }
        if !card.notes.is_empty() && !contact.notes.contains(&card.notes) {
            contact.notes = [contact.notes.as_str(), card.notes.as_str()]
                .into_iter()
                .filter(|n| !n.is_empty())
                .collect::<Vec<_>>()
                .join("\n");
        }
        let contact = checked(file, card, contact)?;
        match repeats {
            Repeats::Contact(id) => {
                self.merged.insert(*id, contact);
            }
            Repeats::Card(line) => {
                if let Some(i) = self.by_line.get(line) {
                    self.contacts[*i] = contact;
                }
            }
        }
        Ok(())
    }

    fn finish(mut self) -> CardsPlan {
        let accounts = self.new_accounts.len();
        let merged = self.merged.len();
        // What happened, each part said only when it happened (the contacts added always).
        let summary = [
            (usize::MAX, crate::trn!(self.added, "{n} new contacts")),
            (
                merged,
                crate::trn!(merged, "{n} contacts completed from a duplicate card"),
            ),
            (
                self.skipped,
                crate::trn!(self.skipped, "{n} duplicates left out"),
            ),
            (accounts, crate::trn!(accounts, "{n} new accounts")),
        ]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(_, said)| said)
        .collect::<Vec<_>>()
        .join(", ");
        self.lines.insert(0, summary + ".");
        // Who is new, by name (the first twenty).
        if !self.contacts.is_empty() {
            let mut names: Vec<String> = self
                .contacts
                .iter()
                .take(20)
                .map(|c| c.name.clone())
                .collect();
            if self.contacts.len() > 20 {
                names.push("…".to_owned());
            }
            self.lines
                .insert(1, tr!("New: {names}", names = names.join(", ")));
        }
        let mut change = Change::default();
        change
            .put
            .extend(self.new_accounts.into_iter().map(Record::Account));
        change
            .put
            .extend(self.contacts.into_iter().map(Record::Contact));
        let mut merged_contacts: Vec<Contact> = self.merged.into_values().collect();
        merged_contacts.sort_by_key(|c| c.id);
        change
            .put
            .extend(merged_contacts.into_iter().map(Record::Contact));
        CardsPlan {
            change,
            lines: self.lines,
            added: self.added,
            merged,
            accounts,
            duplicates: self.duplicates,
        }
    }
}

/// The emails, phones and notes of `card` that `contact` lacks.
fn news(contact: &Contact, card: &Card) -> Vec<String> {
    let emails = card
        .emails
        .iter()
        .filter(|e| !contact.emails().any(|have| have.eq_ignore_ascii_case(e)));
    let phones = card
        .phones
        .iter()
        .filter(|p| !contact.phones().any(|have| same_phone(have, p)));
    let notes = (!card.notes.is_empty() && !contact.notes.contains(&card.notes))
        .then(|| card.notes.lines().next().unwrap_or_default().to_owned());
    emails.chain(phones).cloned().chain(notes).collect()
}

/// `contact` checked as a contact is before it is saved, or the reason naming the card's
/// line, name, field and value.
fn checked(file: &str, card: &Card, contact: Contact) -> Result<Contact, String> {
    let mut record = Record::Contact(contact);
    match (record.normalize_and_validate(), record) {
        (Ok(()), Record::Contact(c)) => Ok(c),
        (result, _) => Err(tr!(
            "{file}, line {line} ({name}): {problems}",
            file = file,
            line = card.line,
            name = card.name,
            problems = result
                .err()
                .unwrap_or_default()
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("; ")
        )),
    }
}
