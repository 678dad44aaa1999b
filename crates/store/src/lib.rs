//! The execution history, kept across restarts in an embedded SQLite database.
//!
//! A run is recorded when it starts (status `RUNNING`) and completed when it ends, so a run the
//! app did not see to its end (it was closed or crashed) is still listed, as running, never
//! silently lost. What a run produced (its history and per-state views) is stored as JSON text,
//! opaque to the store: the API crate owns its shape. The definition a run ran is kept with it,
//! so an exported run is the run that happened, whatever the document became since.
//!
//! The store also keeps each workflow's named inputs (the run panel's saved inputs).

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, params};

/// What can go wrong with the database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused (a locked, corrupt or unwritable file).
    #[error("execution history: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

/// One run, as the executions list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Its id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// RUNNING, SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: String,
    /// Wall-clock start, milliseconds since the epoch.
    pub started_ms: i64,
    /// Wall-clock end, when it ended.
    pub ended_ms: Option<i64>,
}

/// A run about to start.
#[derive(Debug, Clone, Copy)]
pub struct NewRun<'a> {
    /// The workflow's key (its file path, or `untitled:<name>`).
    pub workflow: &'a str,
    /// The execution name.
    pub name: &'a str,
    /// The input, as JSON text.
    pub input: &'a str,
    /// The definition it runs, as JSON text.
    pub definition: &'a str,
    /// Wall-clock start, milliseconds since the epoch.
    pub started_ms: i64,
}

/// Everything kept of one run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// How it is listed.
    pub summary: Summary,
    /// Its input (JSON text).
    pub input: String,
    /// The definition it ran (JSON text); `None` for runs recorded before definitions were kept.
    pub definition: Option<String>,
    /// What it produced (JSON text), once it ended.
    pub result: Option<String>,
}

/// An input saved under a name for a workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedInput {
    /// Its name.
    pub name: String,
    /// The input, as JSON text.
    pub input: String,
}

/// The execution history of every workflow.
pub struct Store {
    connection: Connection,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").finish_non_exhaustive()
    }
}

impl Store {
    /// Opens (creating when needed) the database at `path`.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Store::with(Connection::open(path)?)
    }

    /// A database in memory, for tests.
    pub fn in_memory() -> Result<Store, StoreError> {
        Store::with(Connection::open_in_memory()?)
    }

    fn with(connection: Connection) -> Result<Store, StoreError> {
        // WAL keeps readers and the writer out of each other's way; the history is small.
        connection.pragma_update(None, "journal_mode", "WAL")?;
        connection.execute_batch(
            "CREATE TABLE IF NOT EXISTS executions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                workflow TEXT NOT NULL,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                started_ms INTEGER NOT NULL,
                ended_ms INTEGER,
                input TEXT NOT NULL,
                result TEXT
            );
            CREATE INDEX IF NOT EXISTS executions_by_workflow ON executions (workflow, id);
            CREATE TABLE IF NOT EXISTS inputs (
                workflow TEXT NOT NULL,
                name TEXT NOT NULL,
                input TEXT NOT NULL,
                PRIMARY KEY (workflow, name)
            );",
        )?;
        // Databases from before definitions were kept gain the column; their runs have none.
        let has_definition = connection
            .prepare("SELECT 1 FROM pragma_table_info('executions') WHERE name = 'definition'")?
            .exists([])?;
        if !has_definition {
            connection.execute_batch("ALTER TABLE executions ADD COLUMN definition TEXT")?;
        }
        Ok(Store { connection })
    }

    /// Records that a run started.
    pub fn begin(&self, run: NewRun<'_>) -> Result<i64, StoreError> {
        self.connection.execute(
            "INSERT INTO executions (workflow, name, status, started_ms, input, definition)
             VALUES (?1, ?2, 'RUNNING', ?3, ?4, ?5)",
            params![run.workflow, run.name, run.started_ms, run.input, run.definition],
        )?;
        Ok(self.connection.last_insert_rowid())
    }

    /// Records how a run ended and what it produced (JSON text).
    pub fn finish(
        &self,
        id: i64,
        status: &str,
        ended_ms: i64,
        result: &str,
    ) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE executions SET status = ?2, ended_ms = ?3, result = ?4 WHERE id = ?1",
            params![id, status, ended_ms, result],
        )?;
        Ok(())
    }

    /// Marks an ended run as running again (it is being redriven); [`Store::finish`] records its
    /// new end.
    pub fn reopen(&self, id: i64) -> Result<(), StoreError> {
        self.connection.execute(
            "UPDATE executions SET status = 'RUNNING', ended_ms = NULL, result = NULL WHERE id = ?1",
            params![id],
        )?;
        Ok(())
    }

    /// The runs of a workflow, newest first.
    pub fn list(&self, workflow: &str) -> Result<Vec<Summary>, StoreError> {
        let mut statement = self.connection.prepare(
            "SELECT id, name, status, started_ms, ended_ms FROM executions
             WHERE workflow = ?1 ORDER BY id DESC",
        )?;
        let rows = statement.query_map(params![workflow], |row| {
            Ok(Summary {
                id: row.get(0)?,
                name: row.get(1)?,
                status: row.get(2)?,
                started_ms: row.get(3)?,
                ended_ms: row.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What a run produced (JSON text), if it ended; `None` for an unknown or unfinished run.
    pub fn result(&self, id: i64) -> Result<Option<String>, StoreError> {
        let found = self
            .connection
            .query_row("SELECT result FROM executions WHERE id = ?1", params![id], |row| {
                row.get::<_, Option<String>>(0)
            })
            .optional()?;
        Ok(found.flatten())
    }

    /// Everything kept of run `id`, if there is such a run.
    pub fn record(&self, id: i64) -> Result<Option<Record>, StoreError> {
        let found = self
            .connection
            .query_row(
                "SELECT id, name, status, started_ms, ended_ms, input, definition, result
                 FROM executions WHERE id = ?1",
                params![id],
                |row| {
                    Ok(Record {
                        summary: Summary {
                            id: row.get(0)?,
                            name: row.get(1)?,
                            status: row.get(2)?,
                            started_ms: row.get(3)?,
                            ended_ms: row.get(4)?,
                        },
                        input: row.get(5)?,
                        definition: row.get(6)?,
                        result: row.get(7)?,
                    })
                },
            )
            .optional()?;
        Ok(found)
    }

    /// Saves `input` under `name` for a workflow, replacing an input of that name.
    pub fn save_input(&self, workflow: &str, name: &str, input: &str) -> Result<(), StoreError> {
        self.connection.execute(
            "INSERT INTO inputs (workflow, name, input) VALUES (?1, ?2, ?3)
             ON CONFLICT (workflow, name) DO UPDATE SET input = excluded.input",
            params![workflow, name, input],
        )?;
        Ok(())
    }

    /// Forgets the input saved under `name` for a workflow.
    pub fn delete_input(&self, workflow: &str, name: &str) -> Result<(), StoreError> {
        self.connection.execute(
            "DELETE FROM inputs WHERE workflow = ?1 AND name = ?2",
            params![workflow, name],
        )?;
        Ok(())
    }

    /// A workflow's saved inputs, by name.
    pub fn inputs(&self, workflow: &str) -> Result<Vec<NamedInput>, StoreError> {
        let mut statement = self
            .connection
            .prepare("SELECT name, input FROM inputs WHERE workflow = ?1 ORDER BY name")?;
        let rows = statement.query_map(params![workflow], |row| {
            Ok(NamedInput { name: row.get(0)?, input: row.get(1)? })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run<'a>(workflow: &'a str, name: &'a str, started_ms: i64) -> NewRun<'a> {
        NewRun { workflow, name, input: "{}", definition: r#"{"StartAt":"A"}"#, started_ms }
    }

    #[test]
    fn a_run_is_listed_from_its_start_and_keeps_its_result_once_it_ends() {
        let store = Store::in_memory().expect("opens");
        let first = store.begin(run("/flows/a.asl.json", "run-1", 1_000)).expect("begins");
        let listed = store.list("/flows/a.asl.json").expect("lists");
        assert_eq!(listed[0].status, "RUNNING", "listed while it runs");
        assert_eq!(store.result(first).expect("reads"), None);
        store.finish(first, "SUCCEEDED", 1_250, r#"{"status":"SUCCEEDED"}"#).expect("ends");
        let second = store.begin(run("/flows/a.asl.json", "run-2", 2_000)).expect("begins");
        store.begin(run("/flows/other.asl.json", "run-x", 3_000)).expect("other workflow");
        let listed = store.list("/flows/a.asl.json").expect("lists");
        assert_eq!(
            listed.iter().map(|s| s.id).collect::<Vec<_>>(),
            [second, first],
            "newest first"
        );
        assert_eq!(listed[1].ended_ms, Some(1_250));
        assert_eq!(
            store.result(first).expect("reads").as_deref(),
            Some(r#"{"status":"SUCCEEDED"}"#)
        );
    }

    #[test]
    fn the_history_survives_reopening_the_file() {
        let dir = std::env::temp_dir().join(format!("stepwise-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("dir");
        let path = dir.join("executions.sqlite3");
        {
            let store = Store::open(&path).expect("creates");
            let id = store.begin(run("w", "kept", 5)).expect("begins");
            store.finish(id, "FAILED", 6, "{}").expect("ends");
            store.begin(run("w", "interrupted", 7)).expect("never finished");
        }
        let store = Store::open(&path).expect("reopens");
        let listed = store.list("w").expect("lists");
        let statuses: Vec<(&str, &str)> =
            listed.iter().map(|s| (s.name.as_str(), s.status.as_str())).collect();
        assert_eq!(statuses, [("interrupted", "RUNNING"), ("kept", "FAILED")]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_run_keeps_the_definition_and_input_it_ran() {
        let store = Store::in_memory().expect("opens");
        let id = store.begin(run("w", "r", 9)).expect("begins");
        let record = store.record(id).expect("reads").expect("found");
        assert_eq!(record.definition.as_deref(), Some(r#"{"StartAt":"A"}"#));
        assert_eq!((record.input.as_str(), record.result), ("{}", None));
        assert_eq!(record.summary.status, "RUNNING");
        assert_eq!(store.record(id + 1).expect("reads"), None);
        store.finish(id, "FAILED", 10, "{}").expect("ends");
        store.reopen(id).expect("redriven");
        let record = store.record(id).expect("reads").expect("found");
        assert_eq!((record.summary.status.as_str(), record.result), ("RUNNING", None));
    }

    #[test]
    fn a_database_from_before_definitions_were_kept_is_upgraded() {
        let connection = Connection::open_in_memory().expect("opens");
        connection
            .execute_batch(
                "CREATE TABLE executions (id INTEGER PRIMARY KEY AUTOINCREMENT, workflow TEXT NOT NULL,
                 name TEXT NOT NULL, status TEXT NOT NULL, started_ms INTEGER NOT NULL,
                 ended_ms INTEGER, input TEXT NOT NULL, result TEXT);
                 INSERT INTO executions (workflow, name, status, started_ms, input)
                 VALUES ('w', 'old', 'SUCCEEDED', 1, '{}');",
            )
            .expect("an old database");
        let store = Store::with(connection).expect("upgrades");
        assert_eq!(store.record(1).expect("reads").expect("kept").definition, None);
        let id = store.begin(run("w", "new", 2)).expect("begins");
        assert!(store.record(id).expect("reads").expect("kept").definition.is_some());
    }

    #[test]
    fn named_inputs_are_kept_per_workflow_and_replaced_by_name() {
        let store = Store::in_memory().expect("opens");
        store.save_input("w", "small", "{}").expect("saves");
        store.save_input("w", "big", "[1]").expect("saves");
        store.save_input("w", "small", r#"{"a":1}"#).expect("replaces");
        store.save_input("other", "x", "1").expect("another workflow");
        let names = |w| store.inputs(w).expect("lists");
        assert_eq!(
            names("w"),
            [
                NamedInput { name: "big".into(), input: "[1]".into() },
                NamedInput { name: "small".into(), input: r#"{"a":1}"#.into() }
            ]
        );
        store.delete_input("w", "big").expect("deletes");
        assert_eq!(names("w").len(), 1);
        assert_eq!(names("other").len(), 1);
    }
}
