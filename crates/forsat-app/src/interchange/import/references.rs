//! Accounts, contacts, lookups and products the deals name: stored ones found, new ones made.

use super::plan::Ids;
use crate::domain::{Account, Contact, Id, Line, Lookup, LookupKind, Product, Record, escaped};
use crate::trn;
use crate::workspace::Workspace;

/// Accounts, contacts, lookups and products by name: stored ones found (case ignored), new
/// ones created once.
pub(super) struct References<'w> {
    ws: &'w Workspace,
    accounts: Names,
    lookups: foldhash::HashMap<LookupKind, Names>,
    /// Each account's contacts, loaded when a row first names one (see
    /// [`References::contact`]).
    contacts: foldhash::HashMap<Id, ContactsOf>,
    /// Where each new contact is in `new_records`, to take an email or a phone a later row
    /// gives it.
    new_contacts: foldhash::HashMap<Id, usize>,
    /// What the contacts found tell the user.
    contact_notes: ContactNotes,
    products: Names,
    /// The caseless key being looked up: reused, so a name found costs no allocation.
    key: String,
    pub(super) new_accounts: Vec<Account>,
    pub(super) new_lookups: Vec<Lookup>,
    pub(super) new_records: Vec<Record>,
}

/// Ids by caseless name.
type Names = foldhash::HashMap<String, Id>;

/// The contacts of one account by caseless email and by caseless name.
#[derive(Default)]
struct ContactsOf {
    by_email: Names,
    by_name: Names,
}

/// What finding the deals' contacts showed, for the summary.
#[derive(Default)]
struct ContactNotes {
    /// Contacts already stored whose email or phone the file writes otherwise: kept as
    /// stored, named here.
    stored_differ: Vec<String>,
    /// Rows whose contact was found by its email under another name.
    by_email_named_otherwise: usize,
    /// New contacts whose rows give them different emails or phones: the first kept.
    new_differ: usize,
}

/// `name` trimmed and lower-cased into `key` (cleared first).
fn caseless<'k>(key: &'k mut String, name: &str) -> &'k str {
    key.clear();
    key.extend(name.trim().chars().flat_map(char::to_lowercase));
    key
}

/// Adds `name` under its caseless key unless the key is taken.
fn keep_first(names: &mut Names, name: &str, id: Id) {
    let mut key = String::new();
    caseless(&mut key, name);
    names.entry(key).or_insert(id);
}

impl<'w> References<'w> {
    pub(super) fn new(ws: &'w Workspace) -> References<'w> {
        let mut lookups = foldhash::HashMap::default();
        for kind in LookupKind::ALL {
            let names: &mut Names = lookups.entry(kind).or_default();
            for l in ws.all_lookups(kind) {
                keep_first(names, &l.name, l.id);
            }
        }
        let mut accounts = Names::default();
        for a in ws.accounts_by_name() {
            keep_first(&mut accounts, &a.name, a.id);
        }
        let mut products = Names::default();
        let stored = ws.products();
        for p in &stored {
            if !p.code.trim().is_empty() {
                keep_first(&mut products, &p.code, p.id);
            }
        }
        for p in &stored {
            keep_first(&mut products, &p.name, p.id);
        }
        References {
            ws,
            accounts,
            lookups,
            contacts: foldhash::HashMap::default(),
            new_contacts: foldhash::HashMap::default(),
            contact_notes: ContactNotes::default(),
            products,
            key: String::new(),
            new_accounts: Vec::new(),
            new_lookups: Vec::new(),
            new_records: Vec::new(),
        }
    }

    /// The id `names` has for `name`, else a new one `create` makes the record of.
    fn find_or(
        names: &mut Names,
        key: &mut String,
        ids: &mut Ids,
        name: &str,
        create: impl FnOnce(Id),
    ) -> Id {
        if let Some(id) = names.get(caseless(key, name)) {
            return *id;
        }
        let id = ids.take();
        create(id);
        names.insert(key.clone(), id);
        id
    }

    pub(super) fn account(&mut self, ids: &mut Ids, name: &str) -> Id {
        let new = &mut self.new_accounts;
        Self::find_or(&mut self.accounts, &mut self.key, ids, name, |id| {
            new.push(Account {
                id,
                name: name.to_owned(),
                ..Account::default()
            });
        })
    }

    pub(super) fn lookup(&mut self, ids: &mut Ids, kind: LookupKind, name: &str) -> Option<Id> {
        if name.is_empty() {
            return None;
        }
        let names = self.lookups.entry(kind).or_default();
        let new = &mut self.new_lookups;
        Some(Self::find_or(names, &mut self.key, ids, name, |id| {
            new.push(Lookup {
                id,
                kind,
                name: name.to_owned(),
                active: true,
            });
        }))
    }

    /// The deal's contact at `account`: the one with its email (case ignored), else with its
    /// name, else a new one with the row's email and phone. A stored contact keeps its data
    /// (an import adds, and its undo removes only what it added): a different email or phone
    /// in the file is reported. A contact new in this import takes the first email and phone
    /// its rows give.
    pub(super) fn contact(
        &mut self,
        ids: &mut Ids,
        account: Id,
        name: &str,
        email: &str,
        phone: &str,
    ) -> Option<Id> {
        if name.is_empty() {
            return None;
        }
        let ws = self.ws;
        let of = self.contacts.entry(account).or_insert_with(|| {
            let mut of = ContactsOf::default();
            for c in ws.contacts_of(account) {
                keep_first(&mut of.by_name, &c.name, c.id);
                if !c.email.trim().is_empty() {
                    keep_first(&mut of.by_email, &c.email, c.id);
                }
            }
            of
        });
        let by_email = (!email.is_empty())
            .then(|| of.by_email.get(caseless(&mut self.key, email)).copied())
            .flatten();
        let found = by_email.or_else(|| of.by_name.get(caseless(&mut self.key, name)).copied());
        let Some(id) = found else {
            let id = ids.take();
            self.new_contacts.insert(id, self.new_records.len());
            self.new_records.push(Record::Contact(Contact {
                id,
                account,
                name: name.to_owned(),
                email: email.to_owned(),
                phone: phone.to_owned(),
                ..Contact::default()
            }));
            keep_first(&mut of.by_name, name, id);
            if !email.is_empty() {
                keep_first(&mut of.by_email, email, id);
            }
            return Some(id);
        };
        let differs = |kept: &str, file: &str| {
            !file.is_empty() && kept.trim().to_lowercase() != file.to_lowercase()
        };
        let notes = &mut self.contact_notes;
        match self.new_contacts.get(&id) {
            Some(&at) => {
                let Record::Contact(c) = &mut self.new_records[at] else {
                    unreachable!("new contacts are contacts");
                };
                if by_email.is_some() && c.name.to_lowercase() != name.to_lowercase() {
                    notes.by_email_named_otherwise += 1;
                }
                let mut taken = false;
                for (kept, file) in [(&mut c.email, email), (&mut c.phone, phone)] {
                    if kept.is_empty() {
                        kept.push_str(file);
                        taken |= !file.is_empty();
                    } else if differs(kept, file) {
                        notes.new_differ += 1;
                    }
                }
                if taken && !c.email.is_empty() {
                    keep_first(&mut of.by_email, &c.email, id);
                }
            }
            None => {
                let stored = ws.contact(id).expect("a stored contact");
                if by_email.is_some() && stored.name.to_lowercase() != name.to_lowercase() {
                    notes.by_email_named_otherwise += 1;
                }
                if (differs(&stored.email, email) || differs(&stored.phone, phone))
                    && !notes.stored_differ.contains(&stored.name)
                {
                    notes.stored_differ.push(stored.name.clone());
                }
            }
        }
        Some(id)
    }

    /// What finding the contacts showed, as notes for the summary.
    pub(super) fn contact_messages(&self) -> Vec<String> {
        /// How many names a note lists.
        const NAMED: usize = 10;
        let ContactNotes {
            stored_differ,
            by_email_named_otherwise,
            new_differ,
        } = &self.contact_notes;
        let mut notes = Vec::new();
        if !stored_differ.is_empty() {
            let mut names: Vec<String> = stored_differ
                .iter()
                .take(NAMED)
                .map(|n| format!("“{}”", escaped(n)))
                .collect();
            if stored_differ.len() > NAMED {
                names.push("…".to_owned());
            }
            notes.push(trn!(
                stored_differ.len(),
                "{n} contacts already in Forsat keep their own email and phone, though the file writes others: {names}",
                names = names.join(", ")
            ));
        }
        if *by_email_named_otherwise > 0 {
            notes.push(trn!(
                *by_email_named_otherwise,
                "{n} rows name a contact by an email that a contact of the account with another name has: the deal has that contact"
            ));
        }
        if *new_differ > 0 {
            notes.push(trn!(
                *new_differ,
                "{n} times a row gives a new contact another email or phone than an earlier row: the first kept"
            ));
        }
        notes
    }

    /// The product a line names (by code, else by name); a new one takes the line's price
    /// in the deal's currency.
    pub(super) fn product(
        &mut self,
        ids: &mut Ids,
        key: &str,
        line: &Line,
        currency: &str,
    ) -> Option<Id> {
        if key.is_empty() {
            return None;
        }
        let new = &mut self.new_records;
        Some(Self::find_or(
            &mut self.products,
            &mut self.key,
            ids,
            key,
            |id| {
                new.push(Record::Product(Product {
                    id,
                    code: key.to_owned(),
                    name: key.to_owned(),
                    unit_price: line.unit_price,
                    currency: currency.to_owned(),
                    active: true,
                }));
            },
        ))
    }
}
