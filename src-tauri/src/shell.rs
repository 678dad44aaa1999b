//! What only a desktop shell can do: native file dialogs (rfd), watching open files for changes
//! by other programs (notify), and asking before a window with unsaved edits closes.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc;

use notify::{RecommendedWatcher, RecursiveMode, Watcher};
use serde::Deserialize;
use stepwise_api::Session;
use stepwise_api::wire::{ApiError, CloseRequested, DiskChanged, ErrorCode, FileDropped};
use tauri::{AppHandle, Emitter, Manager};

/// Runs a native dialog on the main thread (GTK requires it) and waits for the answer off it.
async fn on_main_thread<T: Send + 'static>(
    app: &AppHandle,
    dialog: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ApiError> {
    let (sender, receiver) = mpsc::channel();
    app.run_on_main_thread(move || {
        let _ = sender.send(dialog());
    })
    .map_err(|err| io_error(format!("cannot show the dialog: {err}")))?;
    tauri::async_runtime::spawn_blocking(move || receiver.recv())
        .await
        .map_err(|err| io_error(format!("the dialog failed: {err}")))?
        .map_err(|_| io_error("the dialog was closed unexpectedly".into()))
}

fn io_error(message: String) -> ApiError {
    ApiError { code: ErrorCode::Io, message }
}

fn workflow_filter(dialog: rfd::FileDialog) -> rfd::FileDialog {
    dialog.add_filter("State machines", &["json", "yaml", "yml"]).add_filter("All files", &["*"])
}

/// The answer a scripted dialog gives, when `STEPWISE_DIALOG_DIR` names a folder: end-to-end
/// tests cannot click in a native (GTK) dialog, so they write the path Open should answer into
/// `<folder>/open`, and Save answers `<folder>/<suggested name>`. Unset, dialogs are native.
fn scripted_answer(save_as: Option<&str>) -> Option<Option<String>> {
    let folder = PathBuf::from(std::env::var_os("STEPWISE_DIALOG_DIR")?);
    Some(match save_as {
        Some(name) => Some(folder.join(name).display().to_string()),
        None => std::fs::read_to_string(folder.join("open")).ok().map(|p| p.trim().to_owned()),
    })
}

/// Asks for a workflow file to open; `None` when the user cancels.
#[tauri::command]
pub(crate) async fn choose_open_path(app: AppHandle) -> Result<Option<String>, ApiError> {
    if let Some(answer) = scripted_answer(None) {
        return Ok(answer);
    }
    let picked =
        on_main_thread(&app, || workflow_filter(rfd::FileDialog::new()).pick_file()).await?;
    Ok(picked.map(|p| p.display().to_string()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SuggestedName {
    suggested_name: String,
}

/// Asks where to save; `None` when the user cancels.
#[tauri::command]
pub(crate) async fn choose_save_path(
    app: AppHandle,
    req: SuggestedName,
) -> Result<Option<String>, ApiError> {
    let name = req.suggested_name;
    if let Some(answer) = scripted_answer(Some(&name)) {
        return Ok(answer);
    }
    let picked = on_main_thread(&app, move || {
        workflow_filter(rfd::FileDialog::new()).set_file_name(name).save_file()
    })
    .await?;
    Ok(picked.map(|p| p.display().to_string()))
}

/// Closes the window for good, once the user has answered the unsaved-edits question.
#[tauri::command]
pub(crate) fn close_window(window: tauri::Window) -> Result<(), ApiError> {
    window.destroy().map_err(|err| io_error(format!("cannot close the window: {err}")))
}

/// A window asked to close: if edits are unsaved, keep it open and let the UI ask the user.
pub(crate) fn on_close_requested(window: &tauri::Window, api: &tauri::CloseRequestApi) {
    let session = window.state::<Mutex<Session>>();
    let unsaved = session.lock().unwrap_or_else(|p| p.into_inner()).has_unsaved_edits();
    if unsaved {
        api.prevent_close();
        let _ = window.emit("close-requested", CloseRequested {});
    }
}

/// Files were dropped on the window: the UI opens the first one (through its queue, like Open).
pub(crate) fn on_file_dropped(window: &tauri::Window, paths: &[PathBuf]) {
    if let Some(path) = paths.first() {
        let _ = window.emit("file-dropped", FileDropped { path: path.display().to_string() });
    }
}

/// Watches the folders of open documents (editors often replace a file rather than write it, so
/// the folder is what to watch) and tells the UI when another program changed a document.
pub(crate) struct FileWatch {
    watcher: Mutex<Option<RecommendedWatcher>>,
    folders: Mutex<BTreeSet<PathBuf>>,
}

impl FileWatch {
    pub(crate) fn new(app: &AppHandle) -> FileWatch {
        let handle = app.clone();
        let watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            if event.is_ok_and(|e| e.kind.is_modify() || e.kind.is_create()) {
                report_disk_changes(&handle);
            }
        })
        .ok();
        FileWatch { watcher: Mutex::new(watcher), folders: Mutex::new(BTreeSet::new()) }
    }

    /// Watches every folder that holds an open document (called after each command).
    pub(crate) fn sync(&self, session: &Session) {
        let wanted: BTreeSet<PathBuf> = session
            .watched_files()
            .into_iter()
            .filter_map(|(_, path)| path.parent().map(PathBuf::from))
            .collect();
        let mut folders = self.folders.lock().unwrap_or_else(|p| p.into_inner());
        let mut watcher = self.watcher.lock().unwrap_or_else(|p| p.into_inner());
        let Some(watcher) = watcher.as_mut() else { return };
        for folder in wanted.difference(&folders.clone()) {
            if watcher.watch(folder, RecursiveMode::NonRecursive).is_ok() {
                folders.insert(folder.clone());
            }
        }
    }
}

fn report_disk_changes(app: &AppHandle) {
    let session = app.state::<Mutex<Session>>();
    let changes: Vec<DiskChanged> = {
        let session = session.lock().unwrap_or_else(|p| p.into_inner());
        session
            .watched_files()
            .into_iter()
            .filter_map(|(id, _)| session.disk_change(id))
            .map(|c| DiskChanged { document_id: c.document_id, unsaved_edits: c.unsaved_edits })
            .collect()
    };
    for change in changes {
        let _ = app.emit("disk-changed", change);
    }
}
