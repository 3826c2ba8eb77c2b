//! Pipeline analysis by stage: what `forsat report pipeline` prints.

use rust_decimal::Decimal;
use serde::Serialize;

use super::render::{csv, table};
use super::{StageTotals, money_string};
use crate::domain::{Id, Opportunity, Rates, Stage, StageKind};

/// One open stage's active deals.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageRow {
    pub stage: String,
    pub count: u64,
    #[serde(serialize_with = "money")]
    pub expected: Decimal,
    #[serde(serialize_with = "money")]
    pub weighted: Decimal,
}

/// Won or lost deals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ClosedRow {
    pub count: u64,
    #[serde(serialize_with = "money")]
    pub amount: Decimal,
}

/// Open stages in order, then won and lost, of one pipeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PipelineReport {
    pub pipeline: String,
    pub base_currency: String,
    pub stages: Vec<StageRow>,
    pub won: ClosedRow,
    pub lost: ClosedRow,
}

fn money<S: serde::Serializer>(value: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&money_string(*value))
}

/// Groups the active deals of the pipeline whose `stages` are given (in pipeline order) by stage,
/// in the base currency of `rates`.
pub fn pipeline_by_stage<'a>(
    pipeline: &str,
    rates: &Rates,
    stages: &[&Stage],
    opportunities: impl IntoIterator<Item = &'a Opportunity>,
) -> PipelineReport {
    let index: std::collections::HashMap<Id, usize> =
        stages.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    let mut totals = vec![StageTotals::default(); stages.len()];
    for opp in opportunities {
        if let (true, Some(&i)) = (opp.active, index.get(&opp.stage)) {
            totals[i].add(opp, rates);
        }
    }
    let mut report = PipelineReport {
        pipeline: pipeline.to_owned(),
        base_currency: rates.base().to_owned(),
        stages: Vec::new(),
        won: ClosedRow::default(),
        lost: ClosedRow::default(),
    };
    for (stage, t) in stages.iter().zip(totals) {
        match stage.kind {
            StageKind::Open => report.stages.push(StageRow {
                stage: stage.name.clone(),
                count: t.count,
                expected: t.expected,
                weighted: t.weighted,
            }),
            StageKind::Won => {
                report.won.count += t.count;
                report.won.amount += t.expected;
            }
            StageKind::Lost => {
                report.lost.count += t.count;
                report.lost.amount += t.expected;
            }
        }
    }
    report
}

impl PipelineReport {
    /// The report as JSON, amounts as decimal strings.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("reports serialize to JSON")
    }

    /// One row per open stage, then `Won` and `Lost` (weighted = amount for won, 0 for lost),
    /// each starting with the pipeline's name.
    pub fn to_csv(&self) -> String {
        Self::csv_of(std::slice::from_ref(self))
    }

    /// The CSV of several pipelines' reports, one after the other under one header.
    pub fn csv_of(reports: &[PipelineReport]) -> String {
        let rows = reports.iter().flat_map(|r| {
            r.rows()
                .into_iter()
                .map(|[stage, count, expected, weighted]| {
                    [r.pipeline.clone(), stage, count, expected, weighted]
                })
        });
        csv(
            &["pipeline", "stage", "count", "expected", "weighted"],
            rows,
        )
    }

    /// An aligned text table for a terminal.
    pub fn to_table(&self) -> String {
        let expected = format!("Expected ({})", self.base_currency);
        let weighted = format!("Weighted ({})", self.base_currency);
        table(&["Stage", "Count", &expected, &weighted], self.rows())
    }

    fn rows(&self) -> Vec<[String; 4]> {
        let closed = |name: &str, row: &ClosedRow, weighted: Decimal| {
            [
                name.to_owned(),
                row.count.to_string(),
                money_string(row.amount),
                money_string(weighted),
            ]
        };
        self.stages
            .iter()
            .map(|r| {
                [
                    r.stage.clone(),
                    r.count.to_string(),
                    money_string(r.expected),
                    money_string(r.weighted),
                ]
            })
            .chain([
                closed("Won", &self.won, self.won.amount),
                closed("Lost", &self.lost, Decimal::ZERO),
            ])
            .collect()
    }
}
