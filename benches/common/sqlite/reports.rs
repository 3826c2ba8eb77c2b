//! The reports as `GROUP BY` queries.

use super::{Connection, NaiveDate};

/// The SQL of each report in [`super::reports`], by the same name: open active deals are those
/// in a stage of kind 0 and active; amounts are converted to the base currency per deal and
/// rounded to cents, weighted values are rounded per deal, as Forsat does. Each returns the
/// rows' total deal count (as [`super::report_count`] sums them) and the rows.
#[expect(
    clippy::too_many_lines,
    reason = "one SQL statement per report, side by side"
)]
pub fn report(conn: &Connection, name: &str, from: NaiveDate, to: NaiveDate) -> (u64, usize) {
    // A deal's amount in base-currency cents, and its weighted value in cents.
    const BASE: &str = "ROUND(o.amount * COALESCE(CAST(c.rate AS REAL), 1.0))";
    const WEIGHTED: &str =
        "ROUND(ROUND(o.amount * COALESCE(CAST(c.rate AS REAL), 1.0)) * o.probability / 10000.0)";
    const DEALS: &str = "opportunities o JOIN stages s ON s.id = o.stage
         LEFT JOIN currencies c ON c.code = o.currency";
    const NOT_TRASHED: &str = "NOT EXISTS (SELECT 1 FROM trash t WHERE t.opportunity = o.id)";
    let (from, to) = (from.to_string(), to.to_string());
    let pipeline = |key: &str| {
        format!(
            "SELECT {key} AS k, COUNT(*) AS n, SUM({BASE}) AS a, SUM({WEIGHTED}) AS w
             FROM {DEALS} WHERE s.kind = 0 AND o.active AND {NOT_TRASHED} GROUP BY k"
        )
    };
    // The furthest open stage each deal reached: from its stage events, its current open
    // stage, or every open stage for a won deal. One pipeline, as the funnel requires.
    let furthest = "WITH os AS (SELECT id, sequence AS seq FROM stages WHERE kind = 0),
         top AS (SELECT MAX(seq) AS seq FROM os),
         reached AS (
           SELECT e.opportunity AS opp, os.seq FROM stage_events e JOIN os ON os.id = e.to_stage
           UNION ALL SELECT o.id, os.seq FROM opportunities o JOIN os ON os.id = o.stage
           UNION ALL SELECT o.id, top.seq FROM opportunities o JOIN stages s ON s.id = o.stage,
             top WHERE s.kind = 1),
         furthest AS (SELECT opp, MAX(seq) AS seq FROM reached GROUP BY opp)";
    let funnel = format!(
        "{furthest}
         SELECT os.id, COUNT(*), SUM({BASE}) FROM os JOIN furthest f ON f.seq >= os.seq
         JOIN opportunities o ON o.id = f.opp LEFT JOIN currencies c ON c.code = o.currency
         WHERE {NOT_TRASHED} GROUP BY os.id ORDER BY os.seq"
    );
    let queries: Vec<String> = match name {
        "pipeline by stage" => vec![format!(
            "SELECT st.name, n, a, w FROM ({}) g JOIN stages st ON st.id = g.k
             ORDER BY st.sequence",
            pipeline("o.stage")
        )],
        "pipeline by salesperson" => vec![format!(
            "SELECT l.name, n, a, w FROM ({}) g LEFT JOIN lookups l ON l.id = g.k
             ORDER BY l.name IS NULL, lower(l.name)",
            pipeline("o.salesperson")
        )],
        "pipeline by month" => vec![format!(
            "SELECT k, n, a, w FROM ({}) ORDER BY k IS NULL, k",
            pipeline("substr(o.expected_close, 1, 7)")
        )],
        "funnel" => vec![funnel],
        // Leakage: the funnel, the stage each lost deal was last lost from, the open deals per
        // stage and the won deals.
        "leakage" => vec![
            funnel,
            format!(
                "WITH lost_from AS (
                   SELECT e.opportunity AS opp, e.from_stage AS stage, MAX(e.id)
                   FROM stage_events e JOIN stages ls ON ls.id = e.to_stage
                   WHERE ls.kind = 2 GROUP BY e.opportunity)
                 SELECT lf.stage, COUNT(*), SUM({BASE}) FROM lost_from lf
                 JOIN opportunities o ON o.id = lf.opp JOIN stages s ON s.id = o.stage
                 LEFT JOIN currencies c ON c.code = o.currency
                 WHERE s.kind = 2 AND lf.stage IN (SELECT id FROM stages WHERE kind = 0)
                 AND {NOT_TRASHED} GROUP BY lf.stage"
            ),
            format!(
                "SELECT o.stage, COUNT(*) FROM {DEALS} WHERE s.kind = 0 AND o.active
                 AND {NOT_TRASHED} GROUP BY o.stage"
            ),
        ],
        "forecast" => vec![format!(
            "SELECT substr(d, 1, 7) AS period, l.name, SUM(NOT won), SUM(won),
               SUM(CASE WHEN won THEN 0 ELSE base END), SUM(CASE WHEN won THEN 0 ELSE weighted END),
               SUM(CASE WHEN won THEN base ELSE 0 END)
             FROM (SELECT CASE WHEN s.kind = 1 THEN o.closed ELSE o.expected_close END AS d,
                     s.kind = 1 AS won, o.salesperson AS sp, {BASE} AS base,
                     {WEIGHTED} AS weighted
                   FROM {DEALS}
                   WHERE ((s.kind = 0 AND o.active AND o.forecast) OR s.kind = 1)
                   AND {NOT_TRASHED})
             LEFT JOIN lookups l ON l.id = sp
             WHERE d BETWEEN '{from}' AND '{to}'
             GROUP BY period, sp ORDER BY period, l.name IS NULL, lower(l.name)"
        )],
        "winloss" => vec![format!(
            "SELECT l.name, SUM(s.kind = 1), SUM(s.kind = 2),
               SUM(CASE WHEN s.kind = 1 THEN {BASE} ELSE 0 END),
               SUM(CASE WHEN s.kind = 2 THEN {BASE} ELSE 0 END)
             FROM {DEALS} LEFT JOIN lookups l ON l.id = o.loss_reason
             WHERE s.kind IN (1, 2) AND {NOT_TRASHED}
             GROUP BY o.loss_reason ORDER BY l.name IS NULL, lower(l.name)"
        )],
        "grid" => vec![format!(
            "SELECT l.name, substr(d, 1, 7) AS period, SUM(won), SUM(NOT won),
               SUM(CASE WHEN won THEN base ELSE 0 END), SUM(CASE WHEN won THEN 0 ELSE base END)
             FROM (SELECT CASE WHEN s.kind = 1 THEN o.closed ELSE o.expected_close END AS d,
                     s.kind = 1 AS won, o.salesperson AS sp, {BASE} AS base
                   FROM {DEALS}
                   WHERE ((s.kind = 0 AND o.active) OR s.kind = 1) AND {NOT_TRASHED})
             LEFT JOIN lookups l ON l.id = sp
             WHERE d BETWEEN '{from}' AND '{to}'
             GROUP BY sp, period ORDER BY l.name IS NULL, lower(l.name), period"
        )],
        other => panic!("no SQL for the report {other}"),
    };
    let count_columns: &[usize] = match name {
        "forecast" | "grid" => &[2, 3],
        "winloss" => &[1, 2],
        _ => &[1],
    };
    let mut total = 0u64;
    let mut rows = 0;
    for (i, sql) in queries.iter().enumerate() {
        let mut stmt = conn
            .prepare_cached(sql)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        let mut result = stmt.query([]).expect("the report runs");
        while let Some(row) = result.next().expect("a row reads") {
            rows += 1;
            // Leakage counts entered, lost and open deals: the sum of its three queries.
            let columns = if name == "leakage" && i > 0 {
                &[1][..]
            } else {
                count_columns
            };
            for &c in columns {
                total += row.get::<_, Option<i64>>(c).expect("a count").unwrap_or(0) as u64;
            }
        }
    }
    (total, rows)
}
