//! Every report on a small hand-made pipeline whose figures are worked out by hand below, and
//! the CLI printing what the workspace computes.

use forsat_core::analytics::reports::{GroupBy, Params, Period, Rows, Scope, WinLossBy};
use forsat_core::domain::{LookupKind, Stage, StageKind};

#[path = "../../crates/forsat-core/tests/common/reports.rs"]
mod common;
use common::day;

#[test]
fn the_cli_gives_losses_by_reason_and_the_won_deals_in_a_row_of_their_own() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("winloss.redb");
    {
        let mut ws = super::open(&path);
        let reason = |ws: &forsat_app::workspace::Workspace, name: &str| {
            let reasons = ws.lookups(LookupKind::LossReason);
            reasons.iter().find(|l| l.name == name).unwrap().id
        };
        let expensive = Some(reason(&ws, "Too expensive"));
        let no_budget = Some(reason(&ws, "No budget"));
        let (won, lost) = (super::stage(&ws, "Won"), super::stage(&ws, "Lost"));
        for (account, amount, stage, loss_reason) in [
            ("Café Müller", "1000", won, None),
            ("Nordwind GmbH", "2000.50", won, None),
            ("Zagros Logistics", "500", lost, expensive),
            ("Tabriz Textiles", "700", lost, expensive),
            ("Hôtel Lumière", "300", lost, no_budget),
            ("Bluefin", "100", lost, None),
        ] {
            let opp = super::create(&mut ws, account, account, amount);
            let to = forsat_core::command::Command::MoveToStage {
                opp,
                stage,
                loss_reason,
            };
            ws.apply(to).unwrap();
        }
        // Open: on no row.
        super::create(&mut ws, "Aria Systems", "Aria Systems", "50");
    }
    let (code, out, err) = super::forsat(&path, &["report", "winloss", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rows: Vec<String> = json["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {} {}",
                r["key"].as_str().unwrap(),
                r["won"],
                r["lost"],
                r["won_amount"].as_str().unwrap(),
                r["lost_amount"].as_str().unwrap(),
                r["win_rate"]
            )
        })
        .collect();
    // Too expensive: Zagros and Tabriz, 500 + 700 = 1200; No budget: Hôtel Lumière, 300; no
    // reason: Bluefin, 100 (last of the reasons). Won: Café Müller and Nordwind,
    // 1000 + 2000.50 = 3000.50, 2 of the 6 closed = 0.3333. No reason row has a win rate.
    assert_eq!(
        rows,
        [
            "Too expensive 0 2 0.00 1200.00 null",
            "No budget 0 1 0.00 300.00 null",
            "none 0 1 0.00 100.00 null",
            "won 2 0 3000.50 0.00 0.3333",
        ]
    );
    let (_, csv, _) = super::forsat(&path, &["report", "winloss", "--format", "csv"]);
    assert!(
        csv.contains("\r\nToo expensive,0,2,0.00,1200.00,\r\n"),
        "{csv}"
    );
}

#[test]
fn the_cli_prints_what_the_workspace_computes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.redb");
    let cli = |args: &[&str]| {
        let out = crate::bin::forsat()
            .arg("--db")
            .arg(&path)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    cli(&["demo", "--opps", "300"]);
    let printed: Vec<String> = [
        vec!["pipeline", "--by", "salesperson"],
        vec!["funnel"],
        vec!["leakage"],
        // Explicit periods: the CLI's today is the machine's, the workspace's the test clock's.
        vec![
            "forecast",
            "--by",
            "quarter",
            "--from",
            "2024-01-01",
            "--to",
            "2028-12-31",
        ],
        vec!["winloss", "--by", "source"],
        vec!["grid", "--from", "2024-01-01", "--to", "2028-12-31"],
    ]
    .iter()
    .map(|args| {
        let mut all = vec!["report"];
        all.extend(args);
        all.extend(["--format", "json"]);
        cli(&all)
    })
    .collect();
    let ws = super::open(&path);
    let scope = Scope {
        pipeline: Some(ws.default_pipeline().id),
        ..Scope::default()
    };
    let params = [
        Params::Pipeline {
            by: GroupBy::Salesperson,
        },
        Params::Funnel,
        Params::Leakage,
        Params::Forecast {
            by: Period::Quarter,
            from: Some(day("2024-01-01")),
            to: Some(day("2028-12-31")),
            salesperson: None,
        },
        Params::WinLoss {
            by: WinLossBy::Source,
            from: None,
            to: None,
        },
        Params::Grid {
            by: Period::Month,
            from: Some(day("2024-01-01")),
            to: Some(day("2028-12-31")),
        },
    ];
    // The pipeline by stage is the board's column totals.
    let by_stage = ws.report(&scope, &Params::Pipeline { by: GroupBy::Stage });
    let Rows::Pipeline(rows) = by_stage.rows else {
        panic!("a pipeline report");
    };
    let open: Vec<&Stage> = ws
        .stages_of(ws.default_pipeline().id)
        .filter(|s| s.kind == StageKind::Open)
        .collect();
    assert_eq!(rows.len(), open.len());
    for (row, stage) in rows.iter().zip(open) {
        let column = ws.stage_totals(stage.id);
        assert_eq!(
            (row.key.as_str(), row.count, row.expected, row.weighted),
            (
                stage.name.as_str(),
                column.count,
                column.expected,
                column.weighted
            )
        );
    }
    for (printed, params) in printed.iter().zip(&params) {
        let report = ws.report(&scope, params);
        assert_eq!(*printed, report.to_json(), "{}", params.name());
        let json: serde_json::Value = serde_json::from_str(printed).unwrap();
        assert!(
            !json["rows"].as_array().unwrap().is_empty(),
            "{}",
            params.name()
        );
    }
}

#[test]
fn report_png_draws_the_chart_headless_and_never_replaces_a_file_unasked_or_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.redb");
    let (code, _, err) = super::forsat(&db, &["demo", "--opps", "60"]);
    assert_eq!(code, Some(0), "{err}");
    let out = dir.path().join("funnel.png");
    let funnel_png = ["report", "funnel", "--format", "png", "--out"];
    let with_out = |path: &std::path::Path, force: bool| {
        let mut args: Vec<&str> = funnel_png.to_vec();
        args.push(path.to_str().unwrap());
        if force {
            args.push("--force");
        }
        super::forsat(&db, &args)
    };

    let (code, said, err) = with_out(&out, false);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(said, format!("Saved the chart to {}.\n", out.display()));
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&out).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let frame = reader.next_frame(&mut pixels).unwrap();
    // 960 points at 2 pixels per point.
    assert_eq!(frame.width, 1920);
    let colours: std::collections::HashSet<&[u8]> = pixels.chunks_exact(4).collect();
    assert!(
        colours.len() > 10,
        "a blank picture: {} colours",
        colours.len()
    );

    // An existing file is replaced only with --force.
    std::fs::write(&out, "my slide").unwrap();
    let (code, _, err) = with_out(&out, false);
    assert_eq!(code, Some(1));
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "my slide");
    let (code, _, err) = with_out(&out, true);
    assert_eq!(code, Some(0), "{err}");
    assert!(std::fs::read(&out).unwrap().starts_with(b"\x89PNG"));

    // Never onto the database, even with --force.
    let before = std::fs::read(&db).unwrap();
    let (code, _, err) = with_out(&db, true);
    assert_eq!(code, Some(1));
    assert!(err.contains("is the database itself"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);

    // A picture needs a file to go to.
    let (code, _, err) = super::forsat(&db, &["report", "funnel", "--format", "png"]);
    assert_eq!(
        (code, err.as_str()),
        (Some(1), "forsat: a PNG report needs --out FILE\n")
    );

    // Text reports can go to a file too: what they would print.
    let csv = dir.path().join("funnel.csv");
    let (_, printed, _) = super::forsat(&db, &["report", "funnel", "--format", "csv"]);
    let args = [
        "report",
        "funnel",
        "--format",
        "csv",
        "--out",
        csv.to_str().unwrap(),
    ];
    let (code, _, err) = super::forsat(&db, &args);
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(std::fs::read_to_string(&csv).unwrap(), printed);
}

#[test]
fn the_cli_reports_each_goals_progress_as_the_workspace_does() {
    use forsat_app::workspace::{Workspace, system_clock};
    use forsat_core::command::Command;
    use forsat_core::domain::{Every, Goal, Measure};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("goals.redb");
    let demo = crate::bin::forsat()
        .arg("--db")
        .arg(&path)
        .args(["demo", "--opps", "200"])
        .output()
        .unwrap();
    assert!(demo.status.success());
    // The command line's today is the machine's: the workspace reads the same clock.
    let mut ws = Workspace::open(&path, system_clock()).unwrap();
    let id = ws.next_id();
    let goals = vec![
        Goal {
            id,
            salesperson: None,
            measure: Measure::WonValue,
            every: Every::Year,
            target: 100_000_000.into(),
        },
        Goal {
            id: id + 1,
            salesperson: None,
            measure: Measure::DealsAdded,
            every: Every::Quarter,
            target: 50.into(),
        },
    ];
    ws.apply(Command::SetGoals { goals }).unwrap();
    let expected = ws.report(
        &Scope::of_pipeline(ws.default_pipeline().id),
        &Params::Goals,
    );
    drop(ws);
    let out = crate::bin::forsat()
        .arg("--db")
        .arg(&path)
        .args(["report", "goals", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8(out.stdout).unwrap();
    assert_eq!(printed, expected.to_json());
    let json: serde_json::Value = serde_json::from_str(&printed).unwrap();
    let rows = json["rows"].as_array().unwrap();
    assert_eq!(rows[0]["measure"], "won_value");
    assert_eq!(rows[0]["salesperson"], serde_json::Value::Null);
    assert!(rows[0]["coverage"].is_number(), "{}", rows[0]);
    assert_eq!(rows[1]["expected"], serde_json::Value::Null);
    assert!(
        rows[1]["achieved"]
            .as_str()
            .unwrap()
            .parse::<f64>()
            .unwrap()
            > 0.0
    );
}
