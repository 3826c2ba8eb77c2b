//! Contacts as vCard files: a thousand cards written and read back (by calcard and by a
//! second parser), the 2.1 a phone exports (quoted-printable Persian), 4.0, duplicates by
//! email or phone left out, merged or added as the user says, and bad files refused by line
//! with nothing changed.

use std::collections::BTreeSet;

use forsat_app::interchange::vcard::{self, OnDuplicate, Repeats};
use forsat_app::interchange::{self, Format, Kind};
use forsat_app::workspace::Workspace;
use forsat_core::command::{Change, Command};
use forsat_core::domain::{Account, Contact, Id, Record};

use crate::open;

/// A contact as a round trip keeps it: name, organisation, title, emails, phones, notes.
type Kept = (String, String, String, Vec<String>, Vec<String>, String);

fn kept(ws: &Workspace) -> BTreeSet<Kept> {
    ws.contacts()
        .map(|c| {
            (
                c.name.clone(),
                ws.account(c.account).unwrap().name.clone(),
                c.role.clone(),
                c.emails().map(str::to_owned).collect(),
                c.phones().map(str::to_owned).collect(),
                c.notes.clone(),
            )
        })
        .collect()
}

fn apply(ws: &mut Workspace, change: Change) {
    ws.apply(Command::Change(Box::new(change))).unwrap();
}

/// 1,000 contacts at 40 accounts (Latin and Persian names), some with two or three emails and
/// phones, notes with commas, semicolons, backslashes and line breaks.
fn thousand(ws: &mut Workspace) {
    let mut change = Change::default();
    let first: Id = ws.next_id();
    for n in 0..40 {
        change.put.push(Record::Account(Account {
            id: first + n,
            name: if n % 2 == 0 {
                format!("Account {n}, Ltd; branch")
            } else {
                format!("شرکت پارس {n}")
            },
            ..Account::default()
        }));
    }
    for n in 0..1000u64 {
        let persian = n % 3 == 0;
        let mut contact = Contact {
            account: first + n % 40,
            name: if persian {
                format!("سارا احمدی {n}")
            } else {
                format!("Jean-Luc O'Brien {n}")
            },
            role: if n % 5 == 0 {
                "CFO, buyer".into()
            } else {
                String::new()
            },
            notes: if n % 4 == 0 {
                format!("Met at the fair; asked about C:\\temp, {n}\nSecond line: دیدار")
            } else {
                String::new()
            },
            ..Contact::default()
        };
        let emails = (0..=n % 3)
            .map(|k| format!("person{n}.{k}@example.com"))
            .collect();
        let phones = (0..n % 3)
            .map(|k| format!("+98 912 {n:03} {k:04}"))
            .collect();
        contact.set_emails(emails);
        contact.set_phones(phones);
        change.put.push(Record::Contact(contact));
    }
    apply(ws, change);
}

#[test]
fn a_thousand_cards_come_back_as_they_were_read_by_two_parsers() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("from.redb"));
    thousand(&mut ws);
    let bytes = interchange::export(&ws, Kind::Contacts, Format::Vcf).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(text.matches("BEGIN:VCARD\r\n").count(), 1000);

    // `ical`'s vCard parser, written apart from calcard.
    let cards: Vec<_> = ical::VcardParser::new(text.as_bytes())
        .map(Result::unwrap)
        .collect();
    assert_eq!(cards.len(), 1000);
    let names: BTreeSet<String> = cards
        .iter()
        .map(|card| {
            let fn_ = card.properties.iter().find(|p| p.name == "FN").unwrap();
            fn_.value.clone().unwrap()
        })
        .collect();
    let stored: BTreeSet<String> = ws.contacts().map(|c| c.name.clone()).collect();
    assert_eq!(names, stored);
    let emails = cards
        .iter()
        .flat_map(|c| &c.properties)
        .filter(|p| p.name == "EMAIL")
        .count();
    assert_eq!(
        emails,
        ws.contacts().map(|c| c.emails().count()).sum::<usize>()
    );

    // Read back into an empty file: the same contacts, every field kept.
    let mut again = open(&dir.path().join("to.redb"));
    let plan = vcard::plan_cards(&again, "contacts.vcf", &text, &|_| OnDuplicate::Skip).unwrap();
    assert_eq!((plan.added, plan.accounts), (1000, 40));
    assert!(plan.duplicates.is_empty());
    apply(&mut again, plan.change);
    assert_eq!(kept(&again), kept(&ws));
    // And once more: every card is a duplicate, nothing is added.
    let plan = vcard::plan_cards(&again, "contacts.vcf", &text, &|_| OnDuplicate::Skip).unwrap();
    assert_eq!((plan.added, plan.duplicates.len()), (0, 1000));
    assert!(plan.change.put.is_empty());
}

/// A card as an Android phone exports it: version 2.1, the Persian name quoted-printable in
/// UTF-8, the note folded with a soft line break.
const PHONE_CARD: &str = "BEGIN:VCARD\r\n\
VERSION:2.1\r\n\
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=A7=D8=AD=D9=85=D8=AF=DB=8C;=D8=B3=D8=A7=D8=B1=D8=A7;;;\r\n\
FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=B3=D8=A7=D8=B1=D8=A7 =D8=A7=D8=AD=D9=85=D8=AF=DB=8C\r\n\
TEL;CELL:+989121234567\r\n\
TEL;WORK;VOICE:021-8888-7777\r\n\
EMAIL;HOME:sara@example.ir\r\n\
EMAIL;WORK:s.ahmadi@pars.example\r\n\
ORG:Pars Data\r\n\
NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D8=AF=DB=8C=D8=AF=D8=A7=D8=B1 =D8=AF=D8=B1 =D9=86=D9=85=D8=A7=DB=8C=D8=B4=\r\n\
=DA=AF=D8=A7=D9=87\r\n\
END:VCARD\r\n";

/// A 4.0 card: typed emails, a phone as a `tel:` URI, no organisation.
const V4_CARD: &str = "BEGIN:VCARD\r\n\
VERSION:4.0\r\n\
FN:Émile Zola\r\n\
N:Zola;Émile;;;\r\n\
EMAIL;TYPE=work;PREF=1:emile@zola.example\r\n\
TEL;VALUE=uri;TYPE=\"voice,cell\":tel:+33-1-45-67-89-00\r\n\
TITLE:Author\r\n\
END:VCARD\r\n";

#[test]
fn a_phone_s_2_1_card_and_a_4_0_card_are_read_with_every_email_and_phone() {
    let text = format!("{PHONE_CARD}\r\n{V4_CARD}");
    let cards = vcard::read_cards("phone.vcf", &text).unwrap();
    assert_eq!(cards.len(), 2);
    let sara = &cards[0];
    assert_eq!(sara.line, 1);
    assert_eq!(sara.name, "سارا احمدی");
    assert_eq!(sara.organisation, "Pars Data");
    assert_eq!(sara.emails, ["sara@example.ir", "s.ahmadi@pars.example"]);
    assert_eq!(sara.phones, ["+989121234567", "021-8888-7777"]);
    assert_eq!(sara.notes, "دیدار در نمایشگاه");
    let emile = &cards[1];
    assert_eq!(emile.line, 14);
    assert_eq!(
        (emile.name.as_str(), emile.role.as_str()),
        ("Émile Zola", "Author")
    );
    assert_eq!(emile.phones, ["+33-1-45-67-89-00"]);

    // Émile has no organisation: filed under an account of his name, and the import says so.
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let plan = vcard::plan_cards(&ws, "phone.vcf", &text, &|_| OnDuplicate::Skip).unwrap();
    assert!(
        plan.lines
            .iter()
            .any(|l| l.contains("Line 14: Émile Zola has no organisation (ORG)")),
        "{:?}",
        plan.lines
    );
    apply(&mut ws, plan.change);
    let accounts: BTreeSet<&str> = ws.accounts().map(|a| a.name.as_str()).collect();
    assert_eq!(accounts, BTreeSet::from(["Pars Data", "Émile Zola"]));
}

/// A contact already in the file: Sara at Pars Data, one email and one phone.
fn with_sara(ws: &mut Workspace) -> Id {
    let account = ws.next_id();
    let mut change = Change::default();
    change.put.push(Record::Account(Account {
        id: account,
        name: "Pars Data".into(),
        ..Account::default()
    }));
    change.put.push(Record::Contact(Contact {
        id: account + 1,
        account,
        name: "Sara Ahmadi".into(),
        email: "Sara@Example.ir".into(),
        phone: "0912 123 4567".into(),
        ..Contact::default()
    }));
    apply(ws, change);
    account + 1
}

#[test]
fn duplicates_by_email_or_phone_are_left_out_merged_or_added_as_the_user_says() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    let sara = with_sara(&mut ws);
    // The phone's card shares Sara's email (another case) and phone (another format); the
    // second card of the file shares the first new card's phone.
    let new = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Reza Karimi\r\nORG:Kavir Steel\r\nTEL:+1 555 0101\r\nEND:VCARD\r\n\
BEGIN:VCARD\r\nVERSION:3.0\r\nFN:R. Karimi\r\nORG:Kavir Steel\r\nTEL:(555) 0101\r\nEMAIL:reza@kavir.example\r\nEND:VCARD\r\n";
    let text = format!("{PHONE_CARD}{new}");
    let skip = vcard::plan_cards(&ws, "cards.vcf", &text, &|_| OnDuplicate::Skip).unwrap();
    assert_eq!(skip.added, 1, "Reza only");
    let repeats: Vec<(usize, Repeats)> = skip
        .duplicates
        .iter()
        .map(|d| (d.card.line, d.repeats.clone()))
        .collect();
    assert_eq!(
        repeats,
        [(1, Repeats::Contact(sara)), (19, Repeats::Card(13))]
    );
    assert_eq!(skip.duplicates[0].shared, "sara@example.ir");
    assert_eq!(skip.duplicates[0].repeats_name, "Sara Ahmadi (Pars Data)");
    assert!(
        skip.lines[0].starts_with("1 new contact, 2 duplicates left out, 1 new account."),
        "{:?}",
        skip.lines
    );

    // Merged: Sara gains the card's second email, its work phone and its note, not the
    // email and phone she had; the file's second Reza gives the first his email.
    let merge = vcard::plan_cards(&ws, "cards.vcf", &text, &|_| OnDuplicate::Merge).unwrap();
    apply(&mut ws, merge.change);
    let merged = ws.contact(sara).unwrap();
    assert_eq!(
        merged.emails().collect::<Vec<_>>(),
        ["Sara@Example.ir", "s.ahmadi@pars.example"]
    );
    assert_eq!(
        merged.phones().collect::<Vec<_>>(),
        ["0912 123 4567", "021-8888-7777"]
    );
    assert_eq!(merged.notes, "دیدار در نمایشگاه");
    let reza: Vec<&Contact> = ws
        .contacts()
        .filter(|c| c.name.contains("Karimi"))
        .collect();
    assert_eq!(reza.len(), 1);
    assert_eq!(reza[0].emails().collect::<Vec<_>>(), ["reza@kavir.example"]);
    assert_eq!(ws.contacts().count(), 2);

    // Added all the same, when the user says so for that card.
    let add = vcard::plan_cards(&ws, "cards.vcf", PHONE_CARD, &|line| {
        if line == 1 {
            OnDuplicate::Add
        } else {
            OnDuplicate::Skip
        }
    })
    .unwrap();
    assert_eq!(add.added, 1);
    apply(&mut ws, add.change);
    assert_eq!(
        ws.contacts()
            .filter(|c| c.account == merged_account(&ws, sara))
            .count(),
        2
    );
}

fn merged_account(ws: &Workspace, contact: Id) -> Id {
    ws.contact(contact).unwrap().account
}

#[test]
fn a_bad_file_is_refused_by_line_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = open(&dir.path().join("crm.redb"));
    with_sara(&mut ws);
    let before = kept(&ws);
    let refused =
        |text: &str| vcard::plan_cards(&ws, "bad.vcf", text, &|_| OnDuplicate::Add).unwrap_err();
    let no_name = "BEGIN:VCARD\r\nVERSION:3.0\r\nEMAIL:x@y.example\r\nEND:VCARD\r\n";
    let bad_email = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ali\r\nEMAIL:ali at pars\r\nEND:VCARD\r\n";
    let problems = refused(&format!(
        "{no_name}\r\nhello\r\n{bad_email}BEGIN:VCARD\r\nFN:Open"
    ));
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems[0].starts_with("bad.vcf, line 1: the card has no name"),
        "{problems:?}"
    );
    assert!(
        problems[1].contains("line 6: “hello” is outside a card"),
        "{problems:?}"
    );
    assert!(
        problems[2].contains("line 7 (Ali): Email: “ali at pars”"),
        "{problems:?}"
    );
    assert!(
        problems[3].contains("line 12: the card has no END:VCARD"),
        "{problems:?}"
    );
    let csv = refused("name,email\nSara,sara@example.ir\n");
    assert!(
        csv[0].contains("line 1: “name,email” is outside a card"),
        "{csv:?}"
    );
    assert_eq!(refused(""), ["bad.vcf holds no card (BEGIN:VCARD)."]);
    assert_eq!(kept(&ws), before);
}
