//! Files on disk: atomic writes, and the layout sidecar that keeps the positions the user gave
//! to states beside the workflow (never inside the ASL, which stays clean for deployment).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never a
/// half-written file: write a temporary file in the same folder, flush it to disk, rename it.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = folder.join(format!(".{name}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = std::fs::File::create(&temporary)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temporary, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    written
}

/// The sidecar of a workflow file: `flow.asl.json` → `flow.asl.json.stepwise-layout.json`.
pub fn sidecar_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".stepwise-layout.json");
    path.with_file_name(name)
}

/// A position the user chose for a node (top-left, relative to its container).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pinned {
    /// Left edge.
    pub x: f64,
    /// Top edge.
    pub y: f64,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Sidecar {
    version: u32,
    /// Node id (JSON Pointer of the state) → position.
    positions: BTreeMap<String, Pinned>,
}

/// Reads the pinned positions beside `path`; a missing or unreadable sidecar pins nothing (the
/// layout is then automatic, and nothing of the workflow itself is lost).
pub fn read_positions(path: &Path) -> BTreeMap<String, Pinned> {
    std::fs::read_to_string(sidecar_path(path))
        .ok()
        .and_then(|text| serde_json::from_str::<Sidecar>(&text).ok())
        .map(|sidecar| sidecar.positions)
        .unwrap_or_default()
}

/// Writes the pinned positions beside `path`, or removes the sidecar when nothing is pinned.
pub fn write_positions(path: &Path, positions: &BTreeMap<String, Pinned>) -> std::io::Result<()> {
    let sidecar = sidecar_path(path);
    if positions.is_empty() {
        return match std::fs::remove_file(&sidecar) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        };
    }
    let text = serde_json::to_string_pretty(&Sidecar { version: 1, positions: positions.clone() })
        .map_err(std::io::Error::other)?;
    write_atomically(&sidecar, format!("{text}\n").as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("stepwise-files-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        dir
    }

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = temp_dir("atomic");
        let path = dir.join("flow.asl.json");
        std::fs::write(&path, "old").expect("write");
        write_atomically(&path, b"new").expect("atomic write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "new");
        let left: Vec<_> = std::fs::read_dir(&dir).expect("list").collect();
        assert_eq!(left.len(), 1, "only the file itself remains");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = temp_dir("failed");
        // The target is a directory, so the final rename fails after the temporary is written.
        let path = dir.join("occupied");
        std::fs::create_dir_all(path.join("inside")).expect("dir");
        assert!(write_atomically(&path, b"new").is_err());
        assert!(path.join("inside").exists(), "what was there is untouched");
        let names: Vec<String> = std::fs::read_dir(&dir)
            .expect("list")
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        assert_eq!(names, ["occupied"], "the temporary file was cleaned up");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn positions_round_trip_through_the_sidecar_and_an_empty_set_removes_it() {
        let dir = temp_dir("sidecar");
        let path = dir.join("flow.asl.json");
        let mut positions = BTreeMap::new();
        positions.insert("/States/A".to_owned(), Pinned { x: 10.0, y: -4.5 });
        write_positions(&path, &positions).expect("write");
        assert!(sidecar_path(&path).ends_with("flow.asl.json.stepwise-layout.json"));
        assert_eq!(read_positions(&path), positions);
        write_positions(&path, &BTreeMap::new()).expect("clear");
        assert!(!sidecar_path(&path).exists());
        std::fs::write(sidecar_path(&path), "not json").expect("garbage");
        assert!(read_positions(&path).is_empty(), "a broken sidecar pins nothing");
        std::fs::remove_dir_all(&dir).ok();
    }
}
