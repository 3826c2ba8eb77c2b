//! One durable edit: a stage move with its history and stage event.

use super::{Connection, DateTime, EntityKind, HashMap, Id, Utc, params};

/// The `SQLite` side of one durable edit: the deal's new stage and probability, its two history
/// entries (stage, probability) and a stage event, in one transaction with a synced commit.
pub struct Mover {
    next_history: i64,
    next_event: i64,
    probability: HashMap<Id, i64>,
    names: HashMap<Id, String>,
}

impl Mover {
    pub fn new(conn: &Connection) -> Mover {
        let max = |sql: &str| -> i64 {
            conn.query_row(sql, [], |r| r.get::<_, Option<i64>>(0))
                .expect("the maximum id reads")
                .unwrap_or(0)
        };
        let mut stmt = conn
            .prepare("SELECT id, name, probability FROM stages")
            .expect("stages prepare");
        let stages: Vec<(Id, String, i64)> = stmt
            .query_map([], |r| {
                Ok((r.get::<_, i64>(0)? as Id, r.get(1)?, r.get(2)?))
            })
            .expect("stages read")
            .collect::<rusqlite::Result<_>>()
            .expect("stages read");
        Mover {
            next_history: max("SELECT MAX(id) FROM history") + 1,
            next_event: max("SELECT MAX(id) FROM stage_events") + 1,
            probability: stages.iter().map(|(id, _, p)| (*id, *p)).collect(),
            names: stages.into_iter().map(|(id, n, _)| (id, n)).collect(),
        }
    }

    /// Moves deal `opp` from stage `from` to `to` (both open), as of `now`.
    pub fn move_to(
        &mut self,
        conn: &mut Connection,
        opp: Id,
        from: Id,
        to: Id,
        now: DateTime<Utc>,
    ) {
        let at = now.timestamp_millis();
        let tx = conn.transaction().expect("a transaction");
        tx.prepare_cached(
            "UPDATE opportunities SET stage = ?2, probability = ?3, updated = ?4,
             stage_entered = ?4 WHERE id = ?1",
        )
        .and_then(|mut s| s.execute(params![opp as i64, to as i64, self.probability[&to], at]))
        .expect("the deal is updated");
        let action = self.next_history;
        let entries = [
            ("stage", self.names[&from].clone(), self.names[&to].clone()),
            (
                "probability",
                self.probability[&from].to_string(),
                self.probability[&to].to_string(),
            ),
        ];
        for (field, old, new) in entries {
            tx.prepare_cached(
                "INSERT INTO history (id, action, entity, entity_id, at, field, old, new)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    self.next_history,
                    action,
                    EntityKind::Opportunity as i64,
                    opp as i64,
                    at,
                    field,
                    old,
                    new
                ])
            })
            .expect("a history entry is inserted");
            self.next_history += 1;
        }
        tx.prepare_cached(
            "INSERT INTO stage_events (id, opportunity, from_stage, to_stage, at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .and_then(|mut s| {
            s.execute(params![
                self.next_event,
                opp as i64,
                from as i64,
                to as i64,
                at
            ])
        })
        .expect("the stage event is inserted");
        self.next_event += 1;
        tx.commit().expect("the move commits");
    }
}
