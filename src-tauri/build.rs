//! Generates one permission per app command, so the capability file can grant each explicitly.
//! The list must equal `stepwise_api::COMMANDS` plus the shell's own commands (a test in
//! src/lib.rs checks it).

const COMMANDS: &[&str] = &[
    // stepwise_api::COMMANDS
    "launch_document",
    "open_document",
    "apply_text",
    "apply_edit",
    "undo",
    "redo",
    "document_snapshot",
    "save_document",
    "save_document_as",
    "reload_document",
    "set_node_position",
    "reset_layout",
    "list_templates",
    "new_from_template",
    "run_setup",
    "run_execution",
    "start_run",
    "poll_run",
    "control_run",
    "answer_task",
    "list_palette",
    "insert_palette_item",
    "vocabulary",
    "list_executions",
    "open_execution",
    "export_image",
    "recent_files",
    "convert_to_jsonata",
    "variable_names",
    "inspect_state",
    "test_state",
    "redrive_run",
    "export_execution",
    "import_execution",
    "list_inputs",
    "save_input",
    "delete_input",
    // stepwise_api::bindings::SHELL_COMMANDS
    "choose_open_path",
    "choose_save_path",
    "close_window",
];

fn main() {
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: is ui/dist built (cargo xtask run builds it)?");
}
