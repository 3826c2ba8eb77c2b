//! Predicted win probability: a regularised logistic regression learnt from the file's own
//! closed deals, as they stood at points of their lives (their stage, days in it, age,
//! amount, source, salesperson, the account's earlier wins and losses), and its honest check —
//! a backtest against the stages' default probabilities and Odoo's naive Bayes. The README ("Predicted probability") explains the model.

mod book;
mod features;
mod logistic;
mod naive_bayes;

use chrono::NaiveDate;
use serde::Serialize;

pub use book::{Book, Day, Deal, DealRecord, End, Gathered, day};
pub use features::{AMOUNT_SPANS, DAY_SPANS, Factor, Situation, day_span_bounds};
pub use naive_bayes::NaiveBayes;

use crate::domain::Id;
use features::{Vocabulary, situation};
use logistic::{Rows, sigmoid};

/// No prediction is made before this many won and this many lost deals.
pub const MIN_CLOSED: usize = 20;
/// The ridge penalty: enough to keep a source seen on three deals from swinging a prediction,
/// little against thousands of rows.
const LAMBDA: f64 = 1.0;
/// A closed deal is looked at every this many days of its open life (further apart when that
/// would give more than [`MAX_LOOKS`]), so a long deal weighs more, as open deals found on
/// any day are more often long ones.
const LOOK_EVERY: Day = 30;
const MAX_LOOKS: Day = 12;
/// Past this many looks, an even sample of them is fitted: a few dozen weights are learnt as
/// well from 300,000 rows as from millions, in a fraction of the time.
const MAX_ROWS: u64 = 300_000;

/// Why there is no model: too few closed deals to learn from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TooFew {
    pub won: usize,
    pub lost: usize,
}

/// A learnt model.
#[derive(Clone, Debug)]
pub struct Model {
    vocabulary: Vocabulary,
    weights: Vec<f64>,
    /// The closed deals it learnt from.
    pub won: usize,
    pub lost: usize,
}

/// A deal's prediction and the factors that moved it most, each with how much (the change
/// in probability, 0–1, if that factor were left out).
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub probability: f64,
    /// Largest first.
    pub raises: Vec<(Factor, f64)>,
    /// Largest drop first.
    pub lowers: Vec<(Factor, f64)>,
    /// What it was worked out from (the counts behind the account's factors).
    pub situation: Situation,
}

/// How many factors each side of an explanation lists.
const EXPLAINED: usize = 3;

impl Model {
    /// The model learnt from the deals closed before `before` (every closed deal when None).
    pub fn train(book: &Book, before: Option<Day>) -> Result<Model, TooFew> {
        let trained = |d: &Deal| d.end.closed().is_some_and(|c| before.is_none_or(|b| c < b));
        let mut won = 0;
        let mut lost = 0;
        let mut looks = 0u64;
        for deal in book.deals.iter().filter(|d| trained(d)) {
            let days = look_days(deal);
            // Counted when it can be looked at: open on its first look's day.
            let first = days.clone().next();
            if first.and_then(|day| situation(book, deal, day)).is_none() {
                continue;
            }
            looks += days.len() as u64;
            if deal.end.won() {
                won += 1;
            } else {
                lost += 1;
            }
        }
        if won < MIN_CLOSED || lost < MIN_CLOSED {
            return Err(TooFew { won, lost });
        }
        let mut looked: Vec<(Situation, bool)> = Vec::new();
        for deal in book.deals.iter().filter(|d| trained(d)) {
            for (k, day) in look_days(deal).enumerate() {
                if looks > MAX_ROWS && mix(deal.record.id, k as u64) % looks >= MAX_ROWS {
                    continue;
                }
                if let Some(s) = situation(book, deal, day) {
                    looked.push((s, deal.end.won()));
                }
            }
        }
        let vocabulary = Vocabulary::of(looked.iter().flat_map(|(s, _)| s.factors()));
        let mut rows = Rows::default();
        for (s, won) in &looked {
            let known = s
                .factors()
                .filter_map(|(f, x)| Some((vocabulary.get(f)?, x)));
            rows.push(known, *won);
        }
        let weights = logistic::fit(&rows, vocabulary.dims(), LAMBDA);
        Ok(Model {
            vocabulary,
            weights,
            won,
            lost,
        })
    }

    fn columns(&self, s: &Situation) -> Vec<(u16, f32, Factor)> {
        s.factors()
            .filter_map(|(f, x)| Some((self.vocabulary.get(f)?, x, f)))
            .collect()
    }

    /// The probability (0–1) that a deal in situation `s` is won.
    pub fn probability(&self, s: &Situation) -> f64 {
        let weighed = s.factors().filter_map(|(f, x)| {
            Some(self.weights[usize::from(self.vocabulary.get(f)?)] * f64::from(x))
        });
        sigmoid(self.weights[0] + weighed.sum::<f64>())
    }

    /// The probability in situation `s`, with the factors that raise and lower it most.
    pub fn explain(&self, s: &Situation) -> Explanation {
        let columns = self.columns(s);
        let z = self.weights[0]
            + columns
                .iter()
                .map(|&(c, x, _)| self.weights[usize::from(c)] * f64::from(x))
                .sum::<f64>();
        let probability = sigmoid(z);
        let mut effects: Vec<(Factor, f64)> = columns
            .iter()
            .map(|&(c, x, f)| {
                let part = self.weights[usize::from(c)] * f64::from(x);
                (f, probability - sigmoid(z - part))
            })
            .collect();
        effects.sort_by(|a, b| b.1.total_cmp(&a.1));
        // Effects under half a point are noise to a reader.
        let shown = |e: &&(Factor, f64)| e.1.abs() >= 0.005;
        let raises = effects
            .iter()
            .filter(|e| e.1 > 0.0)
            .filter(shown)
            .take(EXPLAINED)
            .copied()
            .collect();
        let lowers = effects
            .iter()
            .rev()
            .filter(|e| e.1 < 0.0)
            .filter(shown)
            .take(EXPLAINED)
            .copied()
            .collect();
        Explanation {
            probability,
            raises,
            lowers,
            situation: *s,
        }
    }
}

/// The days a closed deal is looked at: from a day in its first [`LOOK_EVERY`] (the same for
/// a deal on every run) every [`LOOK_EVERY`] days (or its life over [`MAX_LOOKS`]) until the
/// day before it closed. None for a deal closed the day it was made.
fn look_days(deal: &Deal) -> std::iter::StepBy<std::ops::Range<Day>> {
    let end = deal.end.closed().unwrap_or(deal.created);
    let life = (end - deal.created).max(0);
    if life == 0 {
        return (0..0).step_by(1);
    }
    let every = LOOK_EVERY.max((life + MAX_LOOKS - 1) / MAX_LOOKS);
    let first = (mix(deal.record.id, 0) % every.min(life) as u64) as Day;
    (deal.created + first..end).step_by(every as usize)
}

/// A well-mixed number from a deal and an index (`SplitMix64`'s finaliser): even samples that
/// are the same on every run.
fn mix(id: Id, k: u64) -> u64 {
    let mut z = id
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(k.wrapping_mul(0xD1B5_4A32_D192_ED03));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Every open deal's prediction today, by deal id: its probability, and its situation to
/// explain it when asked (explaining every deal would cost five times as much, for the few a
/// user looks at).
#[derive(Clone, Debug, Default)]
pub struct Predictions {
    model: Option<Model>,
    deals: Vec<(Id, f32, Situation)>,
    /// The open deals whose probability was their stage's default when learnt, in id order.
    at_stage_default: Vec<Id>,
    /// Closed deals so far when too few to learn from.
    pub too_few: Option<TooFew>,
}

impl Predictions {
    /// The model learnt from every closed deal of `book`, applied to its open deals as they
    /// stand today.
    pub fn new(book: &Book) -> Predictions {
        match Model::train(book, None) {
            Err(too_few) => Predictions {
                too_few: Some(too_few),
                ..Predictions::default()
            },
            Ok(model) => Predictions::score(book, model),
        }
    }

    /// `model` applied to the open deals of `book` as they stand today.
    pub fn score(book: &Book, model: Model) -> Predictions {
        let parts = crate::cores::on_each_core(&book.deals, |deals| {
            let open = deals.iter().filter(|d| d.end == End::Open);
            let scored = open.filter_map(|d| {
                let s = situation(book, d, book.today.max(d.created))?;
                Some((d.record.id, model.probability(&s) as f32, s))
            });
            scored.collect::<Vec<_>>()
        });
        // In id order: the book's deals are.
        let mut deals = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        for part in parts {
            deals.extend(part);
        }
        let at_stage_default = (book.deals.iter())
            .filter(|d| d.end == End::Open && d.record.at_stage_default)
            .map(|d| d.record.id)
            .collect();
        Predictions {
            model: Some(model),
            deals,
            at_stage_default,
            too_few: None,
        }
    }

    /// The open deals whose probability was their stage's default when this was learnt: the
    /// ones a deal following its prediction has not updated yet (just created or moved), so
    /// the workspace need not walk every deal after each learning.
    pub fn at_stage_default(&self) -> &[Id] {
        &self.at_stage_default
    }

    fn find(&self, id: Id) -> Option<&(Id, f32, Situation)> {
        let at = self.deals.binary_search_by_key(&id, |d| d.0).ok()?;
        Some(&self.deals[at])
    }

    /// Deal `id`'s predicted probability (0–1), when it is open and there is a model.
    pub fn probability(&self, id: Id) -> Option<f64> {
        self.find(id).map(|d| f64::from(d.1))
    }

    /// Deal `id`'s prediction with the factors that raise and lower it most.
    pub fn explain(&self, id: Id) -> Option<Explanation> {
        Some(self.model.as_ref()?.explain(&self.find(id)?.2))
    }
}

/// One bin of the reliability diagram: the deals predicted from `from` to `to`, the mean of
/// their predictions and the share of them won (None when the bin is empty).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bin {
    pub from: f64,
    pub to: f64,
    pub count: u64,
    pub predicted: Option<f64>,
    pub won_rate: Option<f64>,
}

/// The backtest: the model and the baseline learnt from the deals closed before `split`,
/// scored on the deals closed after it as they stood on that day.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Calibration {
    /// The first day of the test: about the last quarter of the closed deals closed from it.
    pub split: Option<NaiveDate>,
    pub closed_train: u64,
    /// Of those closed before the split, the won and lost ones a look could learn from.
    pub won_train: u64,
    pub lost_train: u64,
    pub closed_test: u64,
    /// Mean squared error of each way of predicting on the test deals (lower is better).
    pub brier_model: Option<f64>,
    pub brier_stage: Option<f64>,
    pub brier_naive_bayes: Option<f64>,
    /// The model's expected calibration error: the bins' gaps between predicted and won,
    /// weighted by their deals.
    pub calibration_error: Option<f64>,
    /// Ten bins of the model's predictions on the test deals.
    pub bins: Vec<Bin>,
}

/// The share of closed deals (by the day they closed) the backtest learns from.
const TRAIN_SHARE: f64 = 0.75;

/// The backtest of `book`: see [`Calibration`].
pub fn calibration(book: &Book) -> Calibration {
    let mut closes: Vec<Day> = book.deals.iter().filter_map(|d| d.end.closed()).collect();
    closes.sort_unstable();
    let split = closes
        .get((closes.len() as f64 * TRAIN_SHARE) as usize)
        .copied();
    let mut out = Calibration {
        split: split.and_then(NaiveDate::from_num_days_from_ce_opt),
        closed_train: split.map_or(0, |s| closes.partition_point(|&c| c < s)) as u64,
        won_train: 0,
        lost_train: 0,
        closed_test: 0,
        brier_model: None,
        brier_stage: None,
        brier_naive_bayes: None,
        calibration_error: None,
        bins: bins(std::iter::empty()).0,
    };
    let Some(split) = split else {
        return out;
    };
    let model = match Model::train(book, Some(split)) {
        Ok(model) => model,
        Err(too_few) => {
            (out.won_train, out.lost_train) = (too_few.won as u64, too_few.lost as u64);
            return out;
        }
    };
    (out.won_train, out.lost_train) = (model.won as u64, model.lost as u64);
    let baseline = NaiveBayes::learn(book, |d| d.end.closed().is_some_and(|c| c < split));
    // (model, stage default, baseline, won) for each deal open on the split day.
    let tested: Vec<(f64, f64, f64, bool)> = book
        .deals
        .iter()
        .filter(|d| d.end.closed().is_some_and(|c| c >= split))
        .filter_map(|d| {
            let s = situation(book, d, split)?;
            let stage = book.stages.get(&s.stage)?.probability;
            let nb = baseline
                .probability(d.record.pipeline, s.stage, d.record.source)
                .unwrap_or(stage);
            Some((model.probability(&s), stage, nb, d.end.won()))
        })
        .collect();
    out.closed_test = tested.len() as u64;
    if tested.is_empty() {
        return out;
    }
    let brier = |pick: fn(&(f64, f64, f64, bool)) -> f64| {
        let sum: f64 = tested
            .iter()
            .map(|t| (pick(t) - f64::from(u8::from(t.3))).powi(2))
            .sum();
        Some(round4(sum / tested.len() as f64))
    };
    out.brier_model = brier(|t| t.0);
    out.brier_stage = brier(|t| t.1);
    out.brier_naive_bayes = brier(|t| t.2);
    let (bins, gap) = bins(tested.iter().map(|t| (t.0, t.3)));
    out.bins = bins;
    out.calibration_error = Some(round4(gap));
    out
}

/// Ten bins of predictions (0–0.1, …, 0.9–1, the last including 1) and their outcomes, and
/// the expected calibration error (from the unrounded means).
fn bins(scored: impl Iterator<Item = (f64, bool)>) -> (Vec<Bin>, f64) {
    let mut sums = [(0u64, 0.0f64, 0u64); 10];
    for (p, won) in scored {
        let bin = &mut sums[((p * 10.0) as usize).min(9)];
        bin.0 += 1;
        bin.1 += p;
        bin.2 += u64::from(won);
    }
    let total: u64 = sums.iter().map(|s| s.0).sum();
    let gap: f64 = sums
        .iter()
        .filter(|s| s.0 > 0)
        .map(|&(_, predicted, won)| (predicted - won as f64).abs())
        .sum::<f64>()
        / total.max(1) as f64;
    let bins = (0u32..)
        .zip(sums)
        .map(|(i, (count, predicted, won))| Bin {
            from: f64::from(i) / 10.0,
            to: f64::from(i + 1) / 10.0,
            count,
            predicted: (count > 0).then(|| round4(predicted / count as f64)),
            won_rate: (count > 0).then(|| round4(won as f64 / count as f64)),
        })
        .collect();
    (bins, gap)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

/// The backtest in a sentence or two, under the calibration's table, in plain words.
pub fn summary(c: &Calibration) -> String {
    use crate::i18n::{format_count, format_date};
    let (Some(split), Some(model), Some(stage), Some(nb), Some(gap)) = (
        c.split,
        c.brier_model,
        c.brier_stage,
        c.brier_naive_bayes,
        c.calibration_error,
    ) else {
        return crate::tr!(
            "Not enough closed deals to check predictions yet: learning needs {count} won and {count} lost deals closed before the last quarter of closes ({won} won and {lost} lost so far).",
            count = format_count(MIN_CLOSED as u64),
            won = format_count(c.won_train),
            lost = format_count(c.lost_train)
        );
    };
    let score = |x: f64| crate::i18n::localize_number(&format!("{x:.4}")).into_owned();
    crate::tr!(
        "Learnt from {train} deals closed before {split}, then checked on the {test} deals open that day (all closed since). Average error (Brier score, lower is better): predictions {model}, stage probabilities {stage}, Odoo's method {nb}. Predicted and actual win rates differ by {gap} on average.",
        train = format_count(c.closed_train),
        split = format_date(split),
        test = format_count(c.closed_test),
        model = score(model),
        stage = score(stage),
        nb = score(nb),
        gap = score(gap)
    )
}
