//! The command palette's search: one fuzzy match (nucleo's matcher, as helix uses) over every
//! deal, account, contact and lead, and over the commands the window names, ranked by score with
//! the recently picked ones first among equals.
//!
//! The index is built a slice per frame ([`Finder::feed`], within a time budget) into one block
//! of the records' distinct texts (a text many deals share is matched once) with a bitmask per
//! text of the letters it holds; a query is matched on a thread of
//! its own (so typing never waits), which skips by mask the records lacking a letter of the
//! query, scores the others with nucleo's matcher on both cores, and keeps the matches, so that
//! the next keystroke only looks again at them. Nucleo's own index (`Nucleo`) was tried first:
//! it keeps every record as UTF-32 and sorts every match, 230–400 ms a query at 1M deals.

use std::hash::BuildHasher;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use hashbrown::HashTable;
use nucleo::pattern::{CaseMatching, Normalization, Pattern};
use nucleo::{Config, Matcher, Utf32Str, chars};

use crate::domain::Id;
use crate::workspace::Workspace;

/// What a palette line leads to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Found {
    Deal(Id),
    Account(Id),
    Contact(Id),
    Lead(Id),
    /// The command at this index of the list given to [`Finder::set_commands`].
    Command(usize),
}

/// A line of the results: what it leads to and its score (recency boost included).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    pub found: Found,
    pub score: u32,
}

/// How many picks are remembered.
const RECENT: usize = 8;
/// The score added to the most recent pick, less for older ones: about two well-placed
/// characters (nucleo gives 16 a matched character plus bonuses), so a recent pick wins over an
/// equal or slightly better match but not over a much better one.
const RECENT_BONUS: u32 = 48;
/// How often the feeding loop looks at the clock.
const CLOCK_EVERY: usize = 256;
/// How many of the best matches a query keeps, for the lines shown.
const KEPT: usize = 64;
/// The characters that give a query's words a meaning of their own in nucleo's syntax (not,
/// at the start, at the end, exactly, escaped): such a query is matched against every record.
const SYNTAX: [char; 5] = ['!', '^', '$', '\'', '\\'];

/// The records' distinct texts in one block, with the letters each holds and the records of
/// each. Records share a text when they read the same ("Annual support Acme" every year, a
/// deal and its account): it is matched once. Every push is complete in itself, so no step
/// after the last (a frame's worth of sorting or freeing at a million) stands between the
/// last slice and the first query.
#[derive(Default)]
struct Index {
    /// What each record is.
    found: Vec<Found>,
    text: String,
    /// Where each text ends in `text`.
    ends: Vec<usize>,
    masks: Vec<u64>,
    /// The records of each text as a chain in the order indexed: its first and last record,
    /// and after each record the next of the same text.
    first: Vec<u32>,
    last: Vec<u32>,
    next: Vec<u32>,
    /// The texts by their contents (each entry a text's number), to find a text met before.
    seen: HashTable<u32>,
    hasher: foldhash::quality::RandomState,
}

/// Text `at` of a block of texts ending at `ends`.
fn nth<'a>(block: &'a str, ends: &[usize], at: usize) -> &'a str {
    let start = at.checked_sub(1).map_or(0, |before| ends[before]);
    &block[start..ends[at]]
}

/// The end of a chain of records.
const END: u32 = u32::MAX;

impl Index {
    /// Room for `records` at once: growing a table of a million would stall one frame.
    fn with_capacity(records: usize) -> Self {
        Self {
            found: Vec::with_capacity(records),
            next: Vec::with_capacity(records),
            seen: HashTable::with_capacity(records),
            ..Self::default()
        }
    }

    fn push(&mut self, found: Found, text: &str) {
        let text: String = text.chars().map(plain_punctuation).collect();
        let record = u32::try_from(self.found.len()).unwrap_or(END);
        let hash = self.hasher.hash_one(text.as_str());
        let (block, ends) = (&self.text, &self.ends);
        match self
            .seen
            .find(hash, |&at| nth(block, ends, at as usize) == text)
        {
            Some(&at) => {
                let last = std::mem::replace(&mut self.last[at as usize], record);
                self.next[last as usize] = record;
            }
            None => {
                let at = u32::try_from(self.ends.len()).unwrap_or(END);
                self.text.push_str(&text);
                self.ends.push(self.text.len());
                self.masks.push(mask(&text));
                self.first.push(record);
                self.last.push(record);
                let hasher = &self.hasher;
                let (block, ends) = (&self.text, &self.ends);
                self.seen.insert_unique(hash, at, |&other| {
                    hasher.hash_one(nth(block, ends, other as usize))
                });
            }
        }
        self.found.push(found);
        self.next.push(END);
    }

    /// How many distinct texts there are.
    fn texts(&self) -> usize {
        self.ends.len()
    }

    fn text(&self, at: usize) -> &str {
        nth(&self.text, &self.ends, at)
    }

    /// The index once every record is in: the table of texts met, no longer needed, freed (one
    /// block).
    fn built(mut self) -> Self {
        self.seen = HashTable::new();
        self
    }

    /// The records reading text `at`, in the order indexed.
    fn records(&self, at: usize) -> impl Iterator<Item = Found> + '_ {
        std::iter::successors(Some(self.first[at]), |&record| {
            Some(self.next[record as usize]).filter(|&next| next != END)
        })
        .map(|record| self.found[record as usize])
    }
}

/// Typographic punctuation as typed on a keyboard: "Acme – Annual support" then reads as ASCII,
/// which nucleo matches on its fast path, and no one types an en dash to find it. Queries are
/// read the same way.
fn plain_punctuation(c: char) -> char {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201C}' | '\u{201D}' => '"',
        '\u{00A0}' | '\u{202F}' => ' ',
        other => other,
    }
}

/// The bit of a character in a mask: letters and digits their own, the rest shared by hash.
fn bit(c: char) -> u64 {
    let n = match c {
        'a'..='z' => u32::from(c) - u32::from('a'),
        '0'..='9' => 26 + u32::from(c) - u32::from('0'),
        _ => 36 + u32::from(c) % 28,
    };
    1 << n
}

/// The letters of `text`, folded as nucleo folds them (lower case, and without accents when
/// the query has none): a record lacking one of a query's letters cannot match it.
fn mask(text: &str) -> u64 {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .fold(0, |mask, c| {
            let lower = chars::to_lower_case(c);
            mask | bit(lower) | bit(chars::to_lower_case(chars::normalize(c)))
        })
}

/// A query to match: the index, the pattern, and the records it may match among (the matches
/// of the query it extends), answered under `seq`.
struct Job {
    seq: u64,
    index: Arc<Index>,
    query: String,
    within: Option<Arc<Vec<u32>>>,
}

/// A query's answer: every match (for the next keystroke) and the best ones, by score.
struct Answer {
    seq: u64,
    index: Arc<Index>,
    /// None when the query has nucleo's syntax: the next one cannot narrow it.
    matched: Option<Arc<Vec<u32>>>,
    best: Vec<(u32, u32)>,
}

/// The latest answer, and the condition the UI waits on in tests and benchmarks.
type Shared = Arc<(Mutex<Option<Answer>>, Condvar)>;

/// The fuzzy index and the query typed into it.
pub struct Finder {
    /// The workspace generation the index holds (or is being built from).
    generation: Option<u64>,
    /// The records to index, collected when a build starts; `next` is the first not yet
    /// indexed.
    queue: Vec<Found>,
    next: usize,
    building: Index,
    index: Option<Arc<Index>>,
    commands: Vec<String>,
    /// Most recent first.
    recent: Vec<Found>,
    query: String,
    /// The last query sent to the matching thread.
    seq: u64,
    jobs: Sender<Job>,
    answer: Shared,
    matcher: Matcher,
}

impl std::fmt::Debug for Finder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Finder")
            .field("generation", &self.generation)
            .field("fed", &self.next)
            .field("queued", &self.queue.len())
            .field("query", &self.query)
            .finish_non_exhaustive()
    }
}

impl Finder {
    /// An empty index; `notify` is called from the matching thread when an answer is ready
    /// (the window asks for a repaint).
    pub fn new(notify: Arc<dyn Fn() + Sync + Send>) -> Self {
        let (jobs, inbox) = mpsc::channel();
        let answer: Shared = Arc::default();
        let out = Arc::clone(&answer);
        // Ends when the finder is dropped (its sender with it).
        std::thread::spawn(move || answer_jobs(&inbox, &out, notify.as_ref()));
        Finder {
            generation: None,
            queue: Vec::new(),
            next: 0,
            building: Index::default(),
            index: None,
            commands: Vec::new(),
            recent: Vec::new(),
            query: String::new(),
            seq: 0,
            jobs,
            answer,
            matcher: Matcher::new(Config::DEFAULT),
        }
    }

    /// The commands matched beside the records, by name in the user's language; `Found::Command`
    /// holds an index into this list.
    pub fn set_commands(&mut self, commands: Vec<String>) {
        self.commands = commands;
    }

    /// Builds the index from `ws` for at most `budget`, starting over when the workspace
    /// changed since. The frame that starts over only collects what to index (a million ids).
    /// Called every frame the palette shows.
    pub fn feed(&mut self, ws: &Workspace, budget: Duration) {
        let start = Instant::now();
        if self.generation != Some(ws.generation()) {
            self.generation = Some(ws.generation());
            self.queue = queue(ws);
            self.next = 0;
            self.building = Index::with_capacity(self.queue.len());
            return;
        }
        if self.queue.is_empty() {
            return;
        }
        while let Some(&found) = self.queue.get(self.next) {
            self.next += 1;
            if let Some(text) = haystack_text(ws, found) {
                self.building.push(found, &text);
            }
            if self.next.is_multiple_of(CLOCK_EVERY) && start.elapsed() >= budget {
                return;
            }
        }
        self.queue = Vec::new();
        self.next = 0;
        self.index = Some(Arc::new(std::mem::take(&mut self.building).built()));
        self.send(None);
    }

    /// Waits up to `timeout` for the answer to the query as last set; whether it came.
    pub fn settle(&mut self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        let (answer, ready) = &*self.answer;
        let mut latest = answer.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            if latest.as_ref().is_some_and(|a| a.seq == self.seq) {
                return true;
            }
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            latest = ready
                .wait_timeout(latest, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// Whether records remain to index or the query's answer is still to come.
    pub fn busy(&self) -> bool {
        self.index.is_none() || !self.queue.is_empty() || {
            let latest = self.answer.0.lock().unwrap_or_else(PoisonError::into_inner);
            latest.as_ref().is_none_or(|a| a.seq != self.seq)
        }
    }

    /// How many records the index holds.
    pub fn len(&self) -> usize {
        self.index.as_ref().map_or(0, |index| index.found.len())
    }

    /// How many distinct texts the index matches (records reading alike share one).
    pub fn distinct(&self) -> usize {
        self.index.as_ref().map_or(0, |index| index.texts())
    }

    /// Whether the index holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Matches `query` from now on; a query extending the last one only looks again at its
    /// matches.
    pub fn set_query(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        let within = query
            .starts_with(self.query.as_str())
            .then(|| self.latest_matches())
            .flatten();
        query.clone_into(&mut self.query);
        self.send(within);
    }

    /// The matches of the query last answered, when that is the query as last set and in the
    /// index matched now.
    fn latest_matches(&self) -> Option<Arc<Vec<u32>>> {
        let latest = self.answer.0.lock().unwrap_or_else(PoisonError::into_inner);
        let answer = latest.as_ref()?;
        let same_index = self
            .index
            .as_ref()
            .is_some_and(|index| Arc::ptr_eq(index, &answer.index));
        (answer.seq == self.seq && same_index)
            .then(|| answer.matched.clone())
            .flatten()
    }

    /// Sends the query to the matching thread, once the index is built.
    fn send(&mut self, within: Option<Arc<Vec<u32>>>) {
        let Some(index) = &self.index else {
            return;
        };
        self.seq += 1;
        let job = Job {
            seq: self.seq,
            index: Arc::clone(index),
            query: self.query.clone(),
            within,
        };
        // The thread lives as long as the finder: a send cannot fail while it does.
        let _ = self.jobs.send(job);
    }

    /// Remembers a pick, which ranks higher from now on.
    pub fn picked(&mut self, found: Found) {
        self.recent.retain(|f| *f != found);
        self.recent.insert(0, found);
        self.recent.truncate(RECENT);
    }

    /// The best `limit` lines for the query: by score, recent picks boosted. With no query: the
    /// recent picks, then the commands in their order.
    pub fn results(&mut self, ws: &Workspace, limit: usize) -> Vec<Hit> {
        self.recent.retain(|f| exists(ws, *f, self.commands.len()));
        if self.query.trim().is_empty() {
            let commands = (0..self.commands.len()).map(Found::Command);
            let mut hits: Vec<Hit> = Vec::with_capacity(limit);
            for found in self.recent.iter().copied().chain(commands) {
                if hits.len() == limit {
                    break;
                }
                if !hits.iter().any(|h| h.found == found) {
                    hits.push(Hit { found, score: 0 });
                }
            }
            return hits;
        }
        let pattern = parse(&self.query);
        let mut hits = self.top_matches(&pattern, limit);
        let mut buf = Vec::new();
        let mut extra: Vec<Found> = (0..self.commands.len()).map(Found::Command).collect();
        extra.extend(
            self.recent
                .iter()
                .copied()
                .filter(|f| !hits.iter().any(|h| h.found == *f)),
        );
        for found in extra {
            let text = match found {
                Found::Command(i) => self.commands[i].clone(),
                record => haystack_text(ws, record).unwrap_or_default(),
            };
            if let Some(score) = pattern.score(Utf32Str::new(&text, &mut buf), &mut self.matcher) {
                hits.push(Hit { found, score });
            }
        }
        self.order(&mut hits);
        hits.truncate(limit);
        hits
    }

    /// The best `limit` records of the latest answer, scored again against the query as typed
    /// (the answer may still be the one before the last keystroke). The recent picks further
    /// down are scored on their own by [`Finder::results`], so the boost cannot miss one.
    fn top_matches(&mut self, pattern: &Pattern, limit: usize) -> Vec<Hit> {
        let latest = self.answer.0.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(answer) = latest.as_ref() else {
            return Vec::new();
        };
        let mut buf = Vec::new();
        let index = &answer.index;
        answer
            .best
            .iter()
            .filter_map(|&(_, at)| {
                let at = at as usize;
                let haystack = Utf32Str::new(index.text(at), &mut buf);
                let score = pattern.score(haystack, &mut self.matcher)?;
                Some(index.records(at).map(move |found| Hit { found, score }))
            })
            .flatten()
            .take(limit)
            .collect()
    }

    /// Boosts the recent picks and sorts: by score, then deals first among equals (what the
    /// user works on), then by kind; stable, so then the matching's order (shorter first) and
    /// the commands' own.
    fn order(&self, hits: &mut [Hit]) {
        for hit in hits.iter_mut() {
            if let Some(at) = self.recent.iter().position(|f| *f == hit.found) {
                hit.score += boost(at);
            }
        }
        hits.sort_by_key(|h| (std::cmp::Reverse(h.score), rank(h.found)));
    }
}

/// The pattern of a query, as the palette matches it.
fn parse(query: &str) -> Pattern {
    let query: String = query.chars().map(plain_punctuation).collect();
    Pattern::parse(&query, CaseMatching::Smart, Normalization::Smart)
}

/// The matching thread: answers the latest query sent (older ones waiting are skipped).
fn answer_jobs(inbox: &Receiver<Job>, out: &Shared, notify: &(dyn Fn() + Sync + Send)) {
    while let Ok(mut job) = inbox.recv() {
        while let Ok(newer) = inbox.try_recv() {
            job = newer;
        }
        let answer = answer(job);
        let (latest, ready) = &**out;
        *latest.lock().unwrap_or_else(PoisonError::into_inner) = Some(answer);
        ready.notify_all();
        notify();
    }
}

/// Matches a query: the records holding its letters, scored on every core, the best kept.
fn answer(job: Job) -> Answer {
    let Job {
        seq,
        index,
        query,
        within,
    } = job;
    let pattern = parse(&query);
    let plain = !query.contains(SYNTAX);
    let need = if plain {
        mask(&query.chars().map(plain_punctuation).collect::<String>())
    } else {
        0
    };
    let scorer = if plain {
        Scorer::Greedy(&pattern)
    } else {
        Scorer::Full(&pattern)
    };
    let all: Vec<u32>;
    let candidates: &[u32] = match (&within, plain) {
        (Some(within), true) => within,
        _ => {
            all = (0..u32::try_from(index.texts()).unwrap_or(u32::MAX)).collect();
            &all
        }
    };
    let parts: Vec<Part> =
        crate::cores::on_each_core(candidates, |part| match_part(&index, scorer, need, part));
    let mut matched = Vec::new();
    let mut best = Vec::new();
    for (m, b) in parts {
        matched.extend(m);
        best.extend(b);
    }
    keep_best(&mut best, &index);
    Answer {
        seq,
        matched: plain.then(|| Arc::new(matched)),
        index,
        best,
    }
}

/// What a part of the texts gave: every match, and the best as (score, text).
type Part = (Vec<u32>, Vec<(u32, u32)>);

/// How the matching thread scores a record.
#[derive(Clone, Copy)]
enum Scorer<'a> {
    /// Each word by nucleo's greedy match (one pass, fzf's first algorithm): a plain query
    /// over a million records. It matches exactly the records the optimal match does; its
    /// score only ranks them, and the lines shown are scored again optimally
    /// ([`Finder::results`]).
    Greedy(&'a Pattern),
    /// The pattern's own (optimal) score: a query in nucleo's syntax (`!`, `^`, `$`, `'`).
    Full(&'a Pattern),
}

impl Scorer<'_> {
    /// The record's score, if it matches; `matchers` holds one matcher per word, set up for
    /// that word's case and accents.
    fn score(self, haystack: Utf32Str<'_>, matchers: &mut [Matcher]) -> Option<u32> {
        match self {
            Scorer::Greedy(pattern) => {
                let mut score = 0;
                for (atom, matcher) in pattern.atoms.iter().zip(matchers) {
                    let needle = atom.needle_text();
                    score += u32::from(matcher.fuzzy_match_greedy(haystack, needle)?);
                }
                Some(score)
            }
            Scorer::Full(pattern) => pattern.score(haystack, &mut matchers[0]),
        }
    }

    /// A matcher per word of the pattern, each configured as its word asks (scoring a word
    /// once sets its matcher's case and accent folding).
    fn matchers(self) -> Vec<Matcher> {
        let (Scorer::Greedy(pattern) | Scorer::Full(pattern)) = self;
        let mut buf = Vec::new();
        let mut matchers: Vec<Matcher> = pattern
            .atoms
            .iter()
            .map(|atom| {
                let mut matcher = Matcher::new(Config::DEFAULT);
                atom.score(Utf32Str::new("", &mut buf), &mut matcher);
                matcher
            })
            .collect();
        if matchers.is_empty() {
            matchers.push(Matcher::new(Config::DEFAULT));
        }
        matchers
    }
}

/// The records of `part` that `scorer` matches (those lacking a letter of `need` are skipped
/// unscored), and the best of them as (score, record).
fn match_part(index: &Index, scorer: Scorer<'_>, need: u64, part: &[u32]) -> Part {
    let mut matchers = scorer.matchers();
    let mut buf = Vec::new();
    let mut matched = Vec::new();
    let mut best = Vec::new();
    for &at in part {
        let record = at as usize;
        if index.masks[record] & need != need {
            continue;
        }
        let haystack = Utf32Str::new(index.text(record), &mut buf);
        if let Some(score) = scorer.score(haystack, &mut matchers) {
            matched.push(at);
            best.push((score, at));
            if best.len() >= 4 * KEPT {
                keep_best(&mut best, index);
            }
        }
    }
    (matched, best)
}

/// Keeps the `KEPT` best of `best`, in order: by score, then the shorter text (a closer
/// match), then the order indexed.
fn keep_best(best: &mut Vec<(u32, u32)>, index: &Index) {
    let key =
        |&(score, at): &(u32, u32)| (std::cmp::Reverse(score), index.text(at as usize).len(), at);
    if best.len() > KEPT {
        best.select_nth_unstable_by_key(KEPT, key);
        best.truncate(KEPT);
    }
    best.sort_unstable_by_key(key);
}

/// The order of kinds among equal scores.
fn rank(found: Found) -> u8 {
    match found {
        Found::Deal(_) => 0,
        Found::Account(_) => 1,
        Found::Contact(_) => 2,
        Found::Lead(_) => 3,
        Found::Command(_) => 4,
    }
}

/// The recency boost of the pick at `at` in the recent list (0: the last one).
fn boost(at: usize) -> u32 {
    let left = u32::try_from(RECENT.saturating_sub(at)).unwrap_or(0);
    RECENT_BONUS * left / u32::try_from(RECENT).unwrap_or(1)
}

/// Every record to feed: the few accounts, contacts and leads first, so they are found at once,
/// then the deals.
fn queue(ws: &Workspace) -> Vec<Found> {
    let mut out: Vec<Found> = ws.accounts().map(|a| Found::Account(a.id)).collect();
    out.extend(ws.contacts().map(|c| Found::Contact(c.id)));
    out.extend(ws.leads().map(|l| Found::Lead(l.id)));
    out.reserve(ws.opportunity_count());
    out.extend(ws.opportunity_ids().map(Found::Deal));
    out
}

/// Whether a remembered pick still names something.
fn exists(ws: &Workspace, found: Found, commands: usize) -> bool {
    match found {
        Found::Deal(id) => ws.opportunity(id).is_some() && !ws.is_trashed(id),
        Found::Account(id) => ws.account(id).is_some(),
        Found::Contact(id) => ws.contact(id).is_some(),
        Found::Lead(id) => ws.lead(id).is_some(),
        Found::Command(i) => i < commands,
    }
}

/// A record's name and what tells it apart (a deal's account, a contact's email, a lead's
/// company), as the palette shows them; none for a command or a record gone.
pub fn describe(ws: &Workspace, found: Found) -> Option<(&str, &str)> {
    match found {
        Found::Deal(id) => ws.opportunity(id).filter(|_| !ws.is_trashed(id)).map(|o| {
            let account = ws.account(o.account).map_or("", |a| a.name.as_str());
            (o.name.as_str(), account)
        }),
        Found::Account(id) => ws.account(id).map(|a| (a.name.as_str(), "")),
        Found::Contact(id) => ws.contact(id).map(|c| (c.name.as_str(), c.email.as_str())),
        Found::Lead(id) => ws.lead(id).map(|l| (l.name.as_str(), l.company.as_str())),
        Found::Command(_) => None,
    }
}

/// The text a record is matched on: its name, then what tells it apart.
fn haystack_text(ws: &Workspace, found: Found) -> Option<String> {
    describe(ws, found).map(|(name, detail)| {
        if detail.is_empty() {
            name.to_owned()
        } else {
            format!("{name} {detail}")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder() -> Finder {
        Finder::new(Arc::new(|| {}))
    }

    /// Indexes texts straight, without a workspace; the ids are the texts' positions.
    fn feed_texts(finder: &mut Finder, texts: &[&str]) {
        let mut index = Index::default();
        for (i, text) in texts.iter().enumerate() {
            index.push(Found::Deal(i as Id), text);
        }
        finder.index = Some(Arc::new(index.built()));
        finder.generation = Some(0);
    }

    /// The best lines' ids for `query`, matching done.
    fn best(finder: &mut Finder, query: &str) -> Vec<Found> {
        finder.set_query(query);
        assert!(finder.settle(Duration::from_secs(5)));
        let pattern = parse(query);
        let mut hits = finder.top_matches(&pattern, usize::MAX);
        finder.order(&mut hits);
        hits.into_iter().map(|h| h.found).collect()
    }

    const DEALS: [&str; 5] = [
        "Café Müller – espresso machines Café Müller",
        "Nordwind – fleet renewal Nordwind Logistik",
        "Sunrise dental works Sunrise Clinics",
        "Zagros – website relaunch Zagros Trading",
        "New dashboard rework Acme",
    ];

    #[test]
    fn a_few_letters_in_order_find_the_deal_first() {
        let mut finder = finder();
        feed_texts(&mut finder, &DEALS);
        assert_eq!(best(&mut finder, "nrdw")[0], Found::Deal(1));
        assert_eq!(best(&mut finder, "zag")[0], Found::Deal(3));
        // Not a subsequence of anything: nothing.
        assert!(best(&mut finder, "xqz").is_empty());
    }

    /// What nucleo's optimal match of every text finds, read as the index reads it, as ids.
    fn brute(texts: &[&str], query: &str) -> Vec<Found> {
        let (pattern, mut matcher) = (parse(query), Matcher::new(Config::DEFAULT));
        let mut buf = Vec::new();
        let mut found: Vec<Found> = (0..texts.len())
            .filter(|&i| {
                let text: String = texts[i].chars().map(plain_punctuation).collect();
                pattern
                    .score(Utf32Str::new(&text, &mut buf), &mut matcher)
                    .is_some()
            })
            .map(|i| Found::Deal(i as Id))
            .collect();
        found.sort_by_key(|f| format!("{f:?}"));
        found
    }

    #[test]
    fn the_letters_skipped_by_mask_never_hide_a_match() {
        let texts = [
            "Café Müller – espresso machines",
            "CAFE MULLER",
            "قرارداد صفحه‌کلید Zagros",
            "Nordwind – fleet renewal Nordwind Logistik",
            "Société Générale d’Équipement",
        ];
        let mut finder = finder();
        feed_texts(&mut finder, &texts);
        // Typed one keystroke after another, so each query but the first narrows the last.
        for query in [
            "c",
            "ca",
            "caf",
            "café",
            "cafe",
            "Cafe",
            "M",
            "mül",
            "mul",
            "قرار",
            "قرار zag",
            "nord",
            "nord log",
            "soc gen",
            "équip",
            "equip",
            "!nord",
            "^caf",
            "xyz",
            "café -",
            "café – esp",
            "d’é",
            "d'é",
        ] {
            let mut got = best(&mut finder, query);
            got.sort_by_key(|f| format!("{f:?}"));
            assert_eq!(got, brute(&texts, query), "{query:?}");
        }
    }

    #[test]
    fn records_reading_alike_are_matched_once_and_all_found() {
        let mut finder = finder();
        feed_texts(
            &mut finder,
            &["Annual support Acme", "Other", "Annual support Acme"],
        );
        assert_eq!(
            best(&mut finder, "annual"),
            [Found::Deal(0), Found::Deal(2)]
        );
        assert_eq!(finder.index.as_ref().unwrap().texts(), 2);
    }

    #[test]
    fn a_recent_pick_ranks_above_an_equal_match() {
        let mut finder = finder();
        feed_texts(&mut finder, &["Atlas renewal", "Atlas rebuild"]);
        let before = best(&mut finder, "atlas re");
        let second = before[1];
        finder.picked(second);
        assert_eq!(best(&mut finder, "atlas re")[0], second);
        // A much better match still wins over an old pick.
        assert_eq!(best(&mut finder, "atlas rebuild")[0], Found::Deal(1));
    }
}
