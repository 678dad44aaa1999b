//! The execution history, kept across restarts in an embedded SQLite database.
//!
//! A run is recorded when it starts (status `RUNNING`) and completed when it ends, so a run the
//! app did not see to its end (it was closed or crashed) is still listed, as running, never
//! silently lost. What a run produced (its history and per-state views) is stored as JSON text,
//! opaque to the store: the API crate owns its shape.

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
            CREATE INDEX IF NOT EXISTS executions_by_workflow ON executions (workflow, id);",
        )?;
        Ok(Store { connection })
    }

    /// Records that a run started.
    pub fn begin(
        &self,
        workflow: &str,
        name: &str,
        input: &str,
        started_ms: i64,
    ) -> Result<i64, StoreError> {
        self.connection.execute(
            "INSERT INTO executions (workflow, name, status, started_ms, input)
             VALUES (?1, ?2, 'RUNNING', ?3, ?4)",
            params![workflow, name, started_ms, input],
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
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_listed_from_its_start_and_keeps_its_result_once_it_ends() {
        let store = Store::in_memory().expect("opens");
        let first = store.begin("/flows/a.asl.json", "run-1", "{}", 1_000).expect("begins");
        let listed = store.list("/flows/a.asl.json").expect("lists");
        assert_eq!(listed[0].status, "RUNNING", "listed while it runs");
        assert_eq!(store.result(first).expect("reads"), None);
        store.finish(first, "SUCCEEDED", 1_250, r#"{"status":"SUCCEEDED"}"#).expect("ends");
        let second = store.begin("/flows/a.asl.json", "run-2", "{}", 2_000).expect("begins");
        store.begin("/flows/other.asl.json", "run-x", "{}", 3_000).expect("other workflow");
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
            let id = store.begin("w", "kept", "{}", 5).expect("begins");
            store.finish(id, "FAILED", 6, "{}").expect("ends");
            store.begin("w", "interrupted", "{}", 7).expect("never finished");
        }
        let store = Store::open(&path).expect("reopens");
        let listed = store.list("w").expect("lists");
        let statuses: Vec<(&str, &str)> =
            listed.iter().map(|s| (s.name.as_str(), s.status.as_str())).collect();
        assert_eq!(statuses, [("interrupted", "RUNNING"), ("kept", "FAILED")]);
        std::fs::remove_dir_all(&dir).ok();
    }
}
