//! Work shared out between the machine's cores: the palette's matching, the search's folding,
//! the search's scanning, scoring predictions.

/// `work` on `items` split into one run per core, each on a scoped thread of its own, its
/// results in the runs' order. A panic in a run is this caller's.
pub fn on_each_core<T: Sync, R: Send>(items: &[T], work: impl Fn(&[T]) -> R + Sync) -> Vec<R> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let run = items.len().div_ceil(cores).max(1);
    let work = &work;
    std::thread::scope(|scope| {
        let runs: Vec<_> = items
            .chunks(run)
            .map(|items| scope.spawn(move || work(items)))
            .collect();
        runs.into_iter()
            .map(|run| {
                run.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}
