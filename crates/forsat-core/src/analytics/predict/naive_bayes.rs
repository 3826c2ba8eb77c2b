//! Odoo's predictive lead scoring, reimplemented as the baseline the model must beat: naive
//! Bayes over the stage, the team and the source, as `_pls_get_naive_bayes_probabilities`
//! and `_pls_prepare_frequencies` in Odoo's `addons/crm/models/crm_lead.py` compute it.
//!
//! - A won deal counts as won for every stage of its pipeline, a lost one as lost for the
//!   stages up to (by sequence) the one it was lost from; other fields count their value.
//! - Each team's (pipeline's) count of a value starts at 0.1; across teams the counts add up.
//! - The prior is the team's first stage's counts (every closed deal passes it); a stage's
//!   likelihood is divided by those, another field's by that field's totals.
//! - p = S(won) / (S(won) + S(lost)), in percent rounded to 2 decimals and kept within
//!   0.01–99.99.
//!
//! Odoo's stages are shared by every team; Forsat's belong to one pipeline, so "every stage"
//! and "stages up to" are the deal's pipeline's.

use crate::domain::{Id, IdMap};

use super::book::{Book, Deal, End};

/// The fields the baseline reads, in Odoo's names: `stage_id`, `team_id`, `source_id`.
#[derive(Clone, Copy)]
enum Field {
    Stage = 0,
    Team = 1,
    Source = 2,
}

/// One field's counts in one team: each value's (won, lost) and their totals.
#[derive(Clone, Debug, Default)]
struct Counts {
    values: IdMap<(f64, f64)>,
    won_total: f64,
    lost_total: f64,
}

/// One team's (or every team's) frequency table.
#[derive(Clone, Debug, Default)]
struct Table {
    fields: [Counts; 3],
    team_won: f64,
    team_lost: f64,
}

/// The frequency tables of every pipeline and of all together (Odoo's team `-1`, used for a
/// deal whose team has none).
#[derive(Clone, Debug, Default)]
pub struct NaiveBayes {
    teams: IdMap<Table>,
    all: Table,
}

impl NaiveBayes {
    /// The tables learnt from the closed deals `trained` picks (as they ended).
    pub fn learn(book: &Book, trained: impl Fn(&Deal) -> bool) -> NaiveBayes {
        let mut raw: IdMap<[IdMap<(f64, f64)>; 3]> = IdMap::default();
        for deal in book.deals.iter().filter(|d| trained(d)) {
            let (won, lost) = match deal.end {
                End::Won(_) => (1.0, 0.0),
                End::Lost(..) => (0.0, 1.0),
                End::Open => continue,
            };
            let fields = raw.entry(deal.record.pipeline).or_default();
            let mut count = |field: Field, value: Id| {
                let c = fields[field as usize].entry(value).or_default();
                c.0 += won;
                c.1 += lost;
            };
            let stages = book
                .pipelines
                .get(&deal.record.pipeline)
                .map_or(&[][..], Vec::as_slice);
            let up_to = match deal.end {
                End::Lost(_, from) => from
                    .or(stages.first().copied())
                    .and_then(|s| book.stages.get(&s))
                    .map(|s| s.sequence),
                _ => None,
            };
            for stage in stages {
                let sequence = book.stages[stage].sequence;
                if up_to.is_none_or(|last| sequence <= last) {
                    count(Field::Stage, *stage);
                }
            }
            count(Field::Team, deal.record.pipeline);
            if let Some(source) = deal.record.source {
                count(Field::Source, source);
            }
        }
        let mut nb = NaiveBayes::default();
        for (pipeline, fields) in raw {
            let mut table = Table::default();
            for (counts, values) in table.fields.iter_mut().zip(fields) {
                for (value, (won, lost)) in values {
                    // Odoo creates each frequency row with 0.1 added to both counts.
                    let (won, lost) = (won + 0.1, lost + 0.1);
                    counts.values.insert(value, (won, lost));
                    counts.won_total += won;
                    counts.lost_total += lost;
                }
            }
            let first = book
                .pipelines
                .get(&pipeline)
                .and_then(|s| s.first())
                .and_then(|s| table.fields[Field::Stage as usize].values.get(s).copied());
            (table.team_won, table.team_lost) = first.unwrap_or((0.0, 0.0));
            nb.teams.insert(pipeline, table);
        }
        nb.all = sum(nb.teams.values());
        nb
    }

    /// The baseline's probability (0–1) that a deal of `pipeline` in `stage` from `source` is
    /// won; None when its table lacks won or lost deals (Odoo leaves it without one).
    pub fn probability(&self, pipeline: Id, stage: Id, source: Option<Id>) -> Option<f64> {
        let table = self.teams.get(&pipeline).unwrap_or(&self.all);
        if table.team_won == 0.0 || table.team_lost == 0.0 {
            return None;
        }
        let team_total = table.team_won + table.team_lost;
        let mut s_won = table.team_won / team_total;
        let mut s_lost = table.team_lost / team_total;
        let values = [
            (Field::Stage, Some(stage)),
            (Field::Team, Some(pipeline)),
            (Field::Source, source),
        ];
        for (field, value) in values {
            let counts = &table.fields[field as usize];
            let Some(&(won, lost)) = value.and_then(|v| counts.values.get(&v)) else {
                continue;
            };
            let (total_won, total_lost) = match field {
                Field::Stage => (table.team_won, table.team_lost),
                _ => (counts.won_total, counts.lost_total),
            };
            if total_won == 0.0 || total_lost == 0.0 {
                continue;
            }
            s_won *= won / total_won;
            s_lost *= lost / total_lost;
        }
        // In hundredths of a percent, so the fraction is the nearest to Odoo's percentage.
        let hundredths = (10_000.0 * s_won / (s_won + s_lost)).round();
        Some(hundredths.clamp(1.0, 9_999.0) / 10_000.0)
    }
}

/// Every team's tables added up, as Odoo's team `-1`.
fn sum<'a>(teams: impl Iterator<Item = &'a Table>) -> Table {
    let mut all = Table::default();
    for table in teams {
        for (into, from) in all.fields.iter_mut().zip(&table.fields) {
            for (value, (won, lost)) in &from.values {
                let c = into.values.entry(*value).or_default();
                c.0 += won;
                c.1 += lost;
            }
            into.won_total += from.won_total;
            into.lost_total += from.lost_total;
        }
        all.team_won += table.team_won;
        all.team_lost += table.team_lost;
    }
    all
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone as _, Utc};
    use rust_decimal::Decimal;

    use super::*;
    use crate::analytics::predict::DealRecord;
    use crate::domain::{ForecastCategory, Stage, StageEvent, StageKind};

    fn stage(id: Id, sequence: u32, kind: StageKind) -> Stage {
        Stage {
            id,
            pipeline: 1,
            name: format!("S{id}"),
            sequence,
            probability: Decimal::from(10 * sequence),
            kind,
            requirements: String::new(),
            rotting_days: None,
            folded: false,
            forecast: ForecastCategory::default(),
        }
    }

    /// Four closed deals worked through by hand with Odoo's formulas: A and B won (sources X
    /// and Y), C lost from the first stage and D from the second (both from X).
    #[test]
    fn probabilities_are_odoos_to_the_hundredth_of_a_percent() {
        let (s1, s2, s3, won, lost) = (11, 12, 13, 14, 15);
        let stages = [
            stage(s1, 1, StageKind::Open),
            stage(s2, 2, StageKind::Open),
            stage(s3, 3, StageKind::Open),
            stage(won, 4, StageKind::Won),
            stage(lost, 5, StageKind::Lost),
        ];
        let (x, y) = (101, 102);
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let deal = |id, stage, source| DealRecord {
            id,
            pipeline: 1,
            account: 50,
            source: Some(source),
            salesperson: None,
            amount: 1000.0,
            created: day,
            stage,
            closed: Some(day),
            at_stage_default: false,
        };
        let at = Utc.with_ymd_and_hms(2026, 1, 1, 9, 0, 0).unwrap();
        let event = |id, opportunity, from, to| StageEvent {
            id,
            opportunity,
            from,
            to,
            at,
        };
        let events = [
            event(1, 1, None, s1),
            event(2, 1, Some(s1), won),
            event(3, 2, None, s1),
            event(4, 2, Some(s1), won),
            event(5, 3, None, s1),
            event(6, 3, Some(s1), lost),
            event(7, 4, None, s1),
            event(8, 4, Some(s1), s2),
            event(9, 4, Some(s2), lost),
        ];
        let deals = [
            deal(1, won, x),
            deal(2, won, y),
            deal(3, lost, x),
            deal(4, lost, x),
        ];
        let book = Book::new(deals, &events, &stages, day);
        let nb = NaiveBayes::learn(&book, |_| true);
        // Counts with Odoo's 0.1: S1 (2.1, 2.1), S2 (2.1, 1.1), S3 (2.1, 0.1); the team
        // (2.1, 2.1); X (1.1, 2.1), Y (1.1, 0.1). Prior 2.1 / 4.2 each way.
        // S3, Y: 0.5·1·(1.1/2.2) against 0.5·(0.1/2.1)·(0.1/2.2) -> 99.5690 %.
        assert_eq!(nb.probability(1, s3, Some(y)), Some(0.9957));
        // S2, Y: 0.25 against 0.5·(1.1/2.1)·(0.1/2.2) -> 95.4545 %.
        assert_eq!(nb.probability(1, s2, Some(y)), Some(0.9545));
        // S2, X: 0.25 against 0.5·(1.1/2.1)·(2.1/2.2) = 0.25 -> 50 %.
        assert_eq!(nb.probability(1, s2, Some(x)), Some(0.5));
        // No source: the stage alone. S3: 0.5 against 0.5·0.1/2.1 -> 95.4545 %.
        assert_eq!(nb.probability(1, s3, None), Some(0.9545));
        // A pipeline without closed deals reads every team's counts (Odoo's team -1).
        assert_eq!(nb.probability(2, s3, None), Some(0.9545));
    }

    #[test]
    fn no_probability_without_won_and_lost_deals() {
        let stages = [stage(11, 1, StageKind::Open), stage(14, 2, StageKind::Won)];
        let day = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let book = Book::new([], &[], &stages, day);
        assert_eq!(
            NaiveBayes::learn(&book, |_| true).probability(1, 11, None),
            None
        );
    }
}
