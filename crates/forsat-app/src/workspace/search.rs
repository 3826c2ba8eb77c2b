//! The board's and the list's text search at a million deals: every deal's searched fields
//! (name, next step, description) and every account's name are folded to lower case once,
//! into one block of bytes each, and a keystroke is one substring search over those blocks
//! (memchr's `memmem`, SIMD) instead of lowercasing four strings per deal. A change patches
//! the changed deals' texts; a query that grows the last one narrows its matches.

use std::sync::Arc;

use memchr::memmem::Finder;

use super::Workspace;
use crate::domain::{Id, IdMap, IdSet, Opportunity};

/// After each field and record: a byte UTF-8 never holds, so no needle (a `str`) matches
/// across two fields.
const SEP: u8 = 0xFF;

/// Records of folded text one after another.
#[derive(Default)]
struct Block {
    bytes: Vec<u8>,
    /// Where each record ends (exclusive).
    ends: Vec<usize>,
}

impl Block {
    /// Appends a record of `fields`, folded as `str::to_lowercase` does; returns its index.
    fn push<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) -> usize {
        for field in fields {
            if field.is_ascii() {
                self.bytes
                    .extend(field.bytes().map(|b| b.to_ascii_lowercase()));
            } else {
                self.bytes
                    .extend_from_slice(field.to_lowercase().as_bytes());
            }
            self.bytes.push(SEP);
        }
        self.ends.push(self.bytes.len());
        self.ends.len() - 1
    }

    fn record(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    /// Calls `hit` with each record holding the needle, in order, once each.
    fn scan(&self, finder: &Finder<'_>, mut hit: impl FnMut(usize)) {
        let (mut pos, mut record) = (0, 0);
        while let Some(at) = finder.find(&self.bytes[pos..]) {
            let at = pos + at;
            // Hits are dense for a short needle: most land in the next record.
            if at >= self.ends[record] {
                record += self.ends[record..].partition_point(|&end| end <= at);
            }
            hit(record);
            pos = self.ends[record];
            record += 1;
            if record == self.ends.len() {
                break;
            }
        }
    }
}

/// A set of ids as bits: ids are handed out from one counter, so they are dense.
#[derive(Clone, Debug, Default)]
pub struct IdBits {
    words: Vec<u64>,
    ids: Vec<Id>,
}

impl IdBits {
    fn insert(&mut self, id: Id) {
        let (word, bit) = (usize::try_from(id / 64).unwrap_or(usize::MAX), id % 64);
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        if self.words[word] & (1 << bit) == 0 {
            self.words[word] |= 1 << bit;
            self.ids.push(id);
        }
    }

    /// Whether `id` is in the set.
    pub fn contains(&self, id: Id) -> bool {
        usize::try_from(id / 64)
            .ok()
            .and_then(|w| self.words.get(w))
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }

    /// How many ids the set holds.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// One share of the deals' folded texts, searched on a core of its own.
#[derive(Default)]
struct Part {
    block: Block,
    /// The deal and its account of each record.
    owners: Vec<(Id, Id)>,
    /// Whether each record is its deal's current text (a change appends a new one).
    alive: Vec<bool>,
}

impl Part {
    fn push(&mut self, opp: &Opportunity) -> usize {
        self.owners.push((opp.id, opp.account));
        self.alive.push(true);
        self.block.push([
            opp.name.as_str(),
            opp.next_step.as_str(),
            opp.description.as_str(),
        ])
    }

    /// The deals of this part whose text holds the needle or whose account is in `accounts`.
    fn search(&self, finder: &Finder<'_>, accounts: &IdBits) -> Vec<Id> {
        let mut found = Vec::new();
        let mut hit = vec![false; self.alive.len()];
        self.block.scan(finder, |r| hit[r] = true);
        for (r, (id, account)) in self.owners.iter().enumerate() {
            if self.alive[r] && (hit[r] || accounts.contains(*account)) {
                found.push(*id);
            }
        }
        found
    }
}

/// Where a deal's current text is: its part and its record there.
type Place = (usize, usize);

/// The folded texts of every deal and account.
struct TextIndex {
    /// The deals, shared out between the cores.
    parts: Vec<Part>,
    /// The current text of each deal.
    live: IdMap<Place>,
    accounts: Block,
    account_ids: Vec<Id>,
}

impl TextIndex {
    fn build(ws: &Workspace) -> TextIndex {
        let deals: Vec<&Opportunity> = ws.opportunities().collect();
        let parts = crate::cores::on_each_core(&deals, |share| {
            let mut part = Part::default();
            for opp in share {
                part.push(opp);
            }
            part
        });
        let mut live = IdMap::default();
        live.reserve(deals.len());
        for (p, part) in parts.iter().enumerate() {
            live.extend(
                part.owners
                    .iter()
                    .enumerate()
                    .map(|(r, (id, _))| (*id, (p, r))),
            );
        }
        let mut index = TextIndex {
            parts,
            live,
            accounts: Block::default(),
            account_ids: Vec::new(),
        };
        index.fold_accounts(ws);
        index
    }

    fn fold_accounts(&mut self, ws: &Workspace) {
        self.accounts = Block::default();
        self.account_ids.clear();
        for account in ws.accounts.values() {
            self.accounts.push([account.name.as_str()]);
            self.account_ids.push(account.id);
        }
    }

    /// Takes in the deals `changed` since: their old texts die, their new ones are added.
    fn patch(&mut self, ws: &Workspace, changed: &IdSet) {
        for id in changed {
            if let Some((p, r)) = self.live.remove(id) {
                self.parts[p].alive[r] = false;
            }
            if let Some(opp) = ws.opportunity(*id) {
                let p = self.parts.len() - 1;
                let r = self.parts[p].push(opp);
                self.live.insert(*id, (p, r));
            }
        }
    }

    /// Whether dead records are a quarter of all: building afresh is then as quick.
    fn worn(&self) -> bool {
        let records: usize = self.parts.iter().map(|p| p.alive.len()).sum();
        (records - self.live.len()) * 4 > records
    }

    /// The deals whose name, account name, next step or description holds `needle` (folded);
    /// with `within`, only those of its deals are looked at (the matches of a needle this one
    /// holds).
    fn search(&self, needle: &str, within: Option<&IdBits>) -> IdBits {
        let finder = Finder::new(needle.as_bytes());
        let mut accounts = IdBits::default();
        self.accounts
            .scan(&finder, |r| accounts.insert(self.account_ids[r]));
        let mut found = IdBits::default();
        match within {
            Some(previous) => {
                for id in &previous.ids {
                    let Some(&(p, r)) = self.live.get(id) else {
                        continue;
                    };
                    let part = &self.parts[p];
                    if accounts.contains(part.owners[r].1)
                        || finder.find(part.block.record(r)).is_some()
                    {
                        found.insert(*id);
                    }
                }
            }
            None => {
                let searched = crate::cores::on_each_core(&self.parts, |parts| -> Vec<Id> {
                    let found = parts.iter().map(|part| part.search(&finder, &accounts));
                    found.flatten().collect()
                });
                for id in searched.into_iter().flatten() {
                    found.insert(id);
                }
            }
        }
        found
    }
}

/// The search index as last brought up to date, what changed since, and the last answer.
#[derive(Default)]
pub(super) struct SearchCache {
    index: Option<TextIndex>,
    changed: IdSet,
    accounts_changed: bool,
    last: Option<(String, Arc<IdBits>)>,
}

impl SearchCache {
    /// Notes that the deals `ids` changed (their texts are folded again at the next search).
    pub(super) fn deals_changed(&mut self, ids: impl IntoIterator<Item = Id>, deals: usize) {
        self.last = None;
        if self.index.is_some() {
            self.changed.extend(ids);
            if self.changed.len() > deals / 10 {
                self.index = None;
                self.changed.clear();
            }
        }
    }

    /// Notes that an account was added, renamed or removed.
    pub(super) fn accounts_changed(&mut self) {
        self.last = None;
        self.accounts_changed = true;
    }
}

impl Workspace {
    /// Folds every deal's and account's text for the search now, if that is not done yet:
    /// called when the search takes the keyboard, so the first keystroke does not pay for it.
    pub fn prepare_search(&self) {
        self.with_search_index(|_| ());
    }

    /// The deals whose name, account name, next step or description holds `needle`, which
    /// the caller trimmed and lowercased; answers for a needle growing the last one look only
    /// at the last answer's deals.
    pub fn text_matches(&self, needle: &str) -> Arc<IdBits> {
        let mut cache = self
            .search
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((last, found)) = &cache.last
            && last == needle
        {
            return found.clone();
        }
        let previous = cache.last.take().filter(|(last, found)| {
            needle.contains(last.as_str()) && found.len() < self.opportunities.len() / 64
        });
        drop(cache);
        let found = Arc::new(self.with_search_index(|index| {
            index.search(needle, previous.as_ref().map(|(_, found)| &**found))
        }));
        self.search
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .last = Some((needle.to_owned(), found.clone()));
        found
    }

    /// Runs `f` on the search index, built or brought up to date first.
    fn with_search_index<T>(&self, f: impl FnOnce(&TextIndex) -> T) -> T {
        let mut cache = self
            .search
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let cache = &mut *cache;
        let index = match cache.index.take() {
            Some(mut index) => {
                index.patch(self, &cache.changed);
                if cache.accounts_changed {
                    index.fold_accounts(self);
                }
                if index.worn() {
                    TextIndex::build(self)
                } else {
                    index
                }
            }
            None => TextIndex::build(self),
        };
        cache.changed.clear();
        cache.accounts_changed = false;
        f(cache.index.insert(index))
    }
}
