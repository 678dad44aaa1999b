//! Generates one permission per app command, so the capability file can grant each explicitly.
//! The list must equal `stepwise_api::COMMANDS` (a test in src/lib.rs checks it).

const COMMANDS: &[&str] =
    &["launch_document", "open_document", "apply_text", "apply_edit", "undo", "redo"];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: is ui/dist built (cargo xtask run builds it)?");
}
