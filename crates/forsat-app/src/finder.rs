//! The command palette's search: one fuzzy match (nucleo, helix's matcher) over every deal,
//! account, contact and lead, and over the commands the window names, ranked by score with the
//! recently picked ones first among equals.
//!
//! A million deals are fed a slice per frame ([`Finder::feed`], within a time budget) and
//! matched on nucleo's thread pool, so the window keeps drawing while the index fills and while
//! the user types; the index is kept across openings and fed again only when the workspace
//! changed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use nucleo::pattern::{CaseMatching, Normalization};
use nucleo::{Config, Matcher, Nucleo, Utf32Str, Utf32String};

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

/// The fuzzy index and the query typed into it.
pub struct Finder {
    nucleo: Nucleo<Found>,
    /// The workspace generation the index holds (or is being fed from).
    generation: Option<u64>,
    /// The records to feed, collected when a feed starts; `next` is the first not yet fed.
    queue: Vec<Found>,
    next: usize,
    commands: Vec<String>,
    /// Most recent first.
    recent: Vec<Found>,
    query: String,
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
    /// An empty index; `notify` is called from nucleo's threads when new matches are ready
    /// (the window asks for a repaint).
    pub fn new(notify: Arc<dyn Fn() + Sync + Send>) -> Self {
        Finder {
            nucleo: Nucleo::new(Config::DEFAULT, notify, None, 1),
            generation: None,
            queue: Vec::new(),
            next: 0,
            commands: Vec::new(),
            recent: Vec::new(),
            query: String::new(),
            matcher: Matcher::new(Config::DEFAULT),
        }
    }

    /// The commands matched beside the records, by name in the user's language; `Found::Command`
    /// holds an index into this list.
    pub fn set_commands(&mut self, commands: Vec<String>) {
        self.commands = commands;
    }

    /// Feeds the index from `ws` for at most `budget`, starting over when the workspace changed
    /// since the last feed, and lets nucleo take what was fed. Called every frame the palette
    /// shows.
    pub fn feed(&mut self, ws: &Workspace, budget: Duration) {
        let start = Instant::now();
        if self.generation != Some(ws.generation()) {
            self.generation = Some(ws.generation());
            self.nucleo.restart(true);
            self.queue = queue(ws);
            self.next = 0;
        }
        let injector = self.nucleo.injector();
        while let Some(&found) = self.queue.get(self.next) {
            self.next += 1;
            if let Some(text) = haystack(ws, found) {
                injector.push(found, |_, columns| columns[0] = text);
            }
            if self.next.is_multiple_of(CLOCK_EVERY) && start.elapsed() >= budget {
                break;
            }
        }
        if self.next == self.queue.len() {
            self.queue = Vec::new();
            self.next = 0;
        }
        self.nucleo.tick(0);
    }

    /// Waits up to `timeout` for nucleo's threads to finish matching; whether they did.
    pub fn settle(&mut self, timeout: Duration) -> bool {
        let end = Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(Instant::now());
            let ms = u64::try_from(left.as_millis()).unwrap_or(u64::MAX).min(10);
            if !self.nucleo.tick(ms).running {
                return true;
            }
            if left.is_zero() {
                return false;
            }
        }
    }

    /// Whether records remain to feed or matches to compute.
    pub fn busy(&self) -> bool {
        !self.queue.is_empty() || self.generation.is_none()
    }

    /// How many records the index holds.
    pub fn len(&self) -> usize {
        self.nucleo.snapshot().item_count() as usize
    }

    /// Whether the index holds no record.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Matches `query` from now on; a query extending the last one only narrows its matches.
    pub fn set_query(&mut self, query: &str) {
        if query == self.query {
            return;
        }
        let append = query.starts_with(self.query.as_str());
        self.nucleo
            .pattern
            .reparse(0, query, CaseMatching::Smart, Normalization::Smart, append);
        query.clone_into(&mut self.query);
        self.nucleo.tick(0);
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
        let mut hits = self.top_matches(limit);
        let pattern = self.nucleo.pattern.column_pattern(0).clone();
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

    /// Nucleo's best `limit` records for the query as last matched, with their scores. The
    /// recent picks further down are scored on their own by [`Finder::results`], so the boost
    /// cannot miss one.
    fn top_matches(&mut self, limit: usize) -> Vec<Hit> {
        let pattern = self.nucleo.pattern.column_pattern(0).clone();
        let snapshot = self.nucleo.snapshot();
        let take = snapshot
            .matched_item_count()
            .min(u32::try_from(limit).unwrap_or(u32::MAX));
        snapshot
            .matched_items(..take)
            .filter_map(|item| {
                // Scored again against the query as typed: the snapshot may still hold the
                // matches of the query before the last keystroke.
                let score = pattern.score(item.matcher_columns[0].slice(..), &mut self.matcher)?;
                Some(Hit {
                    found: *item.data,
                    score,
                })
            })
            .collect()
    }

    /// Boosts the recent picks and sorts: by score, then deals first among equals (what the
    /// user works on), then by kind; stable, so then nucleo's order (shorter first) and the
    /// commands' own.
    fn order(&self, hits: &mut [Hit]) {
        for hit in hits.iter_mut() {
            if let Some(at) = self.recent.iter().position(|f| *f == hit.found) {
                hit.score += boost(at);
            }
        }
        hits.sort_by_key(|h| (std::cmp::Reverse(h.score), rank(h.found)));
    }
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

fn haystack(ws: &Workspace, found: Found) -> Option<Utf32String> {
    haystack_text(ws, found).map(Utf32String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finder() -> Finder {
        Finder::new(Arc::new(|| {}))
    }

    /// Feeds texts straight in, without a workspace; the ids are the texts' positions.
    fn feed_texts(finder: &mut Finder, texts: &[&str]) {
        let injector = finder.nucleo.injector();
        for (i, text) in texts.iter().enumerate() {
            let text = Utf32String::from(*text);
            injector.push(Found::Deal(i as Id), |_, columns| columns[0] = text);
        }
        finder.generation = Some(0);
    }

    /// The best lines' ids for `query`, matching done.
    fn best(finder: &mut Finder, query: &str) -> Vec<Found> {
        finder.set_query(query);
        assert!(finder.settle(Duration::from_secs(5)));
        let mut hits = finder.top_matches(usize::MAX);
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
