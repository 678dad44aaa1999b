//! The Stepwise desktop shell.
//!
//! Nothing here knows about ASL: every command is a one-line adapter to
//! [`stepwise_api::Session`], expanded from the API's single command list. The window is granted
//! exactly these commands (capabilities/default.json), runs under a strict Content-Security-Policy
//! and loads no remote content.

use std::path::PathBuf;
use std::sync::Mutex;

use stepwise_api::Session;
use stepwise_api::outgoing::Outgoing;
use tauri::Manager;

mod shell;
#[allow(clippy::wildcard_imports)]
use stepwise_api::wire::*;

macro_rules! tauri_commands {
    ($($name:ident($request:ty) -> $response:ty;)*) => {
        $(
            #[tauri::command]
            async fn $name(
                session: tauri::State<'_, Mutex<Session>>,
                watch: tauri::State<'_, shell::FileWatch>,
                req: $request,
            ) -> Result<<$response as Outgoing>::Wire, ApiError> {
                // A panic in another command must not make the app unusable: take the session
                // as it is. Every Session method leaves it consistent before it can fail.
                let mut session = session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                let answer = session.$name(req).map(|answer| session.outgoing(answer));
                watch.sync(&session);
                answer
            }
        )*
    };
}
stepwise_api::for_each_command!(tauri_commands);

macro_rules! handler {
    ($($name:ident($request:ty) -> $response:ty;)*) => {
        tauri::generate_handler![
            $($name,)*
            shell::choose_open_path,
            shell::choose_save_path,
            shell::close_window
        ]
    };
}

/// The document to open at start: the first command-line argument, if any.
fn launch_path() -> Option<PathBuf> {
    std::env::args_os().nth(1).map(PathBuf::from)
}

/// Opens the execution history and the recent-files list in the app's data folder (`STEPWISE_DATA_DIR` overrides it, for a
/// portable profile and for tests). Without it the app still works; runs are just not kept.
fn open_history(app: &tauri::App) {
    let folder = std::env::var_os("STEPWISE_DATA_DIR")
        .map(PathBuf::from)
        .or_else(|| app.path().app_data_dir().ok());
    let Some(folder) = folder else { return };
    if let Err(err) = std::fs::create_dir_all(&folder) {
        eprintln!("stepwise: no execution history: cannot create {}: {err}", folder.display());
        return;
    }
    let session = app.state::<Mutex<Session>>();
    let mut session = session.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Err(err) = session.open_history(&folder.join("executions.sqlite3")) {
        eprintln!("stepwise: no execution history: {}", err.message);
    }
    session.keep_recent_files(&folder.join("recent-files.json"));
}

/// On Linux, WebKitGTK paints the page itself rather than through composited layers
/// (decision 0012). The canvas draws each transition as its own positioned SVG; with
/// compositing on, a 1,000-state machine on screen made WebKit allocate layer backing stores
/// until the page was killed at 23 GB, where painted directly it stays near 400 MB.
fn paint_without_compositing(app: &tauri::App) {
    #[cfg(target_os = "linux")]
    if let Some(window) = app.get_webview_window("main") {
        let applied = window.with_webview(|webview| {
            use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
            if let Some(settings) = webview.inner().settings() {
                settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            }
        });
        if let Err(error) = applied {
            eprintln!("stepwise: could not set the WebView's painting: {error}");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// Starts the app and blocks until its window closes.
pub fn run() {
    let session = Session::new(launch_path());
    tauri::Builder::default()
        .manage(Mutex::new(session))
        .setup(|app| {
            paint_without_compositing(app);
            let watch = shell::FileWatch::new(app.handle());
            app.manage(watch);
            open_history(app);
            Ok(())
        })
        .on_window_event(|window, event| match event {
            tauri::WindowEvent::CloseRequested { api, .. } => {
                shell::on_close_requested(window, api);
            }
            tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) => {
                shell::on_file_dropped(window, paths);
            }
            _ => {}
        })
        .invoke_handler(stepwise_api::for_each_command!(handler))
        .run(tauri::generate_context!())
        .expect("the Stepwise window could not be started");
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_command_has_a_permission_and_is_granted_to_the_window() {
        let build = include_str!("../build.rs");
        let capability: serde_json::Value =
            serde_json::from_str(include_str!("../capabilities/default.json")).expect("json");
        let granted: Vec<&str> = capability["permissions"]
            .as_array()
            .expect("permissions list")
            .iter()
            .filter_map(|p| p.as_str())
            .collect();
        let commands = stepwise_api::COMMANDS.iter().chain(stepwise_api::bindings::SHELL_COMMANDS);
        for command in commands.clone() {
            assert!(build.contains(&format!("\"{command}\"")), "build.rs lacks {command}");
            let permission = format!("allow-{}", command.replace('_', "-"));
            assert!(granted.contains(&permission.as_str()), "window not granted {permission}");
        }
        let app_permissions = granted.iter().filter(|p| p.starts_with("allow-")).count();
        assert_eq!(app_permissions, commands.count(), "no stale grants");
    }

    #[test]
    fn csp_is_strict_and_nothing_remote_is_allowed() {
        let config: serde_json::Value =
            serde_json::from_str(include_str!("../tauri.conf.json")).expect("json");
        let csp = config["app"]["security"]["csp"].as_object().expect("csp is set");
        assert_eq!(csp["default-src"], "'self'");
        assert_eq!(csp["script-src"], "'self'");
        for (directive, value) in csp {
            let value = value.as_str().unwrap_or_default();
            assert!(!value.contains("http:") || value.contains("ipc.localhost"), "{directive}");
            assert!(!value.contains("https:") && !value.contains('*'), "{directive}: {value}");
            assert!(!value.contains("unsafe-eval"), "{directive}");
        }
    }
}
