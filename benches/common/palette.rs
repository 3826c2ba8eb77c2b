//! The command palette's index at a size: feeding every record as the window does (a slice per
//! frame), then the top 20 for a typed query and for one more keystroke.

use std::sync::Arc;
use std::time::{Duration, Instant};

use forsat::finder::Finder;
use forsat::workspace::Workspace;

/// What a frame may spend feeding, as the palette gives it.
const SLICE: Duration = Duration::from_millis(6);
/// Matching never takes this long; a run that does is a failure, not a slow row.
const PATIENCE: Duration = Duration::from_secs(60);

/// The palette's costs at one size.
pub struct Latency {
    /// Feeding every record and matching them all once, summed over the slices.
    pub feed: Duration,
    /// The longest feeding slice: the frame time the window pays while the index fills.
    pub slice: Duration,
    /// The top 20 for a four-letter query, the matching done.
    pub query: Duration,
    /// The top 20 after one more letter.
    pub keystroke: Duration,
}

/// Measures the palette's index on `ws`, typing the start of its first deal's name.
pub fn measure(ws: &Workspace) -> Latency {
    let mut finder = Finder::new(Arc::new(|| {}));
    let mut feed = Duration::ZERO;
    let mut slice = Duration::ZERO;
    loop {
        let start = Instant::now();
        finder.feed(ws, SLICE);
        let took = start.elapsed();
        feed += took;
        slice = slice.max(took);
        if !finder.busy() {
            break;
        }
    }
    let start = Instant::now();
    assert!(finder.settle(PATIENCE), "nucleo matched every record");
    feed += start.elapsed();
    eprintln!(
        "  the palette's index: {} records, {} distinct texts",
        finder.len(),
        finder.distinct()
    );
    let name: String = ws
        .opportunities()
        .next()
        .map(|o| o.name.to_lowercase())
        .unwrap_or_default()
        .chars()
        .filter(|c| c.is_alphanumeric())
        .take(5)
        .collect();
    let top = |finder: &mut Finder, query: &str| {
        let start = Instant::now();
        finder.set_query(query);
        assert!(finder.settle(PATIENCE), "nucleo matched the query");
        let hits = finder.results(ws, 20);
        let took = start.elapsed();
        assert!(!hits.is_empty(), "{query:?} finds its deal");
        took
    };
    let four: String = name.chars().take(4).collect();
    let query = top(&mut finder, &four);
    let keystroke = top(&mut finder, &name);
    Latency {
        feed,
        slice,
        query,
        keystroke,
    }
}
