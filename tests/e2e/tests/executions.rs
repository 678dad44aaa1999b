//! Executions in the real window, beyond one run: a 10,000-item Map with its progress bar and a
//! drill into single iterations; a run named, exported to a file and imported back (its
//! definition opening as a new document), with an input saved by name that survives a restart;
//! a failed run redriven from its failed task; and the data-flow simulator of one state.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{Value, json};
use stepwise_e2e::{
    App, click, click_at, run_template_without_mocks, ten_thousand_item_map, until, wait_for_text,
    wait_for_text_within,
};

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stepwise-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

async fn click_button(app: &App, label: &str) {
    let xpath = format!("//button[normalize-space(.)='{label}']");
    click_at(app, Locator::XPath(&xpath), label).await;
}

async fn run_status_of(app: &App, name: &str) -> Option<String> {
    let script = format!(
        r#"const n = document.querySelector('[data-state-name="{name}"]');
           return n ? (n.dataset.runStatus || null) : null;"#
    );
    app.eval(&script).await.as_str().map(str::to_owned)
}

async fn wait_for_run_status(app: &App, name: &str, want: Option<&str>) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = run_status_of(app, name).await;
        if got.as_deref() == want {
            return;
        }
        assert!(Instant::now() < deadline, "{name} shows {got:?}, not {want:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Sets a React-controlled input or textarea as typing would.
async fn set_value(app: &App, css: &str, value: &str) {
    let script = r#"
        const [css, value] = arguments;
        const element = document.querySelector(css);
        const proto = element instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
        Object.getOwnPropertyDescriptor(proto, 'value').set.call(element, value);
        element.dispatchEvent(new Event('input', { bubbles: true }));
        return element.value;"#;
    let set = app.client.execute(script, vec![json!(css), json!(value)]).await.expect("set value");
    assert_eq!(set.as_str(), Some(value), "{css} holds the value");
}

#[tokio::test(flavor = "current_thread")]
async fn a_ten_thousand_item_map_runs_with_its_progress_bar_and_opens_one_iteration() {
    let dir = temp_dir("map-10000");
    let workflow = ten_thousand_item_map(&dir, "ten-thousand");
    let app = App::start(4824, &[workflow.display().to_string()]).await;
    app.wait_for_all(r#"[data-state-name="Each item"]"#, 1).await;
    click(&app, "button.run-toggle").await;
    app.wait_for_all("button.run-start", 1).await;
    // 10,000 iterations write about 80,000 events: over AWS's 25,000-event history limit.
    click(&app, "input[aria-label='Lift AWS limits']").await;
    click(&app, "button.run-start").await;
    wait_for_text_within(&app, "[data-testid=run-status]", "SUCCEEDED", Duration::from_secs(120))
        .await;
    wait_for_text_within(
        &app,
        "[data-testid=map-progress]",
        "10000/10000",
        Duration::from_secs(30),
    )
    .await;
    app.screenshot("map-10000-done").await;

    // Selected, the Map offers its iterations. Iteration 5 (the value 5) went to Small;
    // iteration 6000 to Big.
    click(&app, r#"[data-state-name="Each item"] .container-title"#).await;
    app.wait_for_all("[data-testid=drill] input[aria-label='Iteration of Each item']", 1).await;
    set_value(&app, "input[aria-label='Iteration of Each item']", "5").await;
    wait_for_run_status(&app, "Small", Some("succeeded")).await;
    wait_for_run_status(&app, "Big", Some("none")).await;
    wait_for_text(&app, "[data-testid=drill]", "succeeded").await;
    set_value(&app, "input[aria-label='Iteration of Each item']", "6000").await;
    wait_for_run_status(&app, "Big", Some("succeeded")).await;
    wait_for_run_status(&app, "Small", Some("none")).await;
    app.screenshot("map-10000-iteration-6000").await;
    click(&app, "button[aria-label='All iterations of Each item']").await;
    wait_for_run_status(&app, "Small", Some("succeeded")).await;
    app.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "current_thread")]
async fn a_named_run_exports_and_imports_and_a_saved_input_survives_a_restart() {
    let dialogs = temp_dir("dialogs");
    let data = temp_dir("executions-data");
    let env = [("STEPWISE_DIALOG_DIR", dialogs.as_path())];
    let app = App::start_with_env(4834, &[], &data, &env).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button.run-toggle").await;
    app.wait_for_all("button.run-start", 1).await;

    set_value(&app, "input[aria-label='Execution name']", "e2e-named").await;
    click_button(&app, "Save input").await;
    set_value(&app, "input[aria-label='Input name']", "happy path").await;
    click(&app, ".saved-inputs-name button[type=submit]").await;
    app.wait_for_all("select[aria-label='Saved inputs'] option[value='happy path']", 1).await;
    click(&app, "button.run-start").await;
    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;

    click_button(&app, "Export run").await;
    let exported = dialogs.join("e2e-named.execution.json");
    wait_for_text(&app, ".run-notice", "Saved e2e-named").await;
    let file: Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).expect("exported")).expect("JSON");
    assert_eq!(file["format"], "stepwise-execution");
    assert_eq!(file["name"], "e2e-named");
    assert_eq!(file["definition"]["StartAt"], "Pass");
    assert_eq!(file["events"][0]["type"], "ExecutionStarted");

    std::fs::write(dialogs.join("open"), exported.display().to_string()).expect("dialog answer");
    click_button(&app, "Import run").await;
    wait_for_text(&app, "[data-testid=document-name]", "e2e-named.asl.json").await;
    wait_for_run_status(&app, "Hello World", Some("succeeded")).await;
    wait_for_run_status(&app, "No", Some("none")).await;
    app.screenshot("execution-imported").await;
    app.close().await;

    // The saved input is still there after a restart (the app's database).
    let app = App::start_with_env(4834, &[], &data, &env).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button.run-toggle").await;
    app.wait_for_all("select[aria-label='Saved inputs'] option[value='happy path']", 1).await;
    app.close().await;
    std::fs::remove_dir_all(&dialogs).ok();
}

#[tokio::test(flavor = "current_thread")]
async fn a_failed_run_is_redriven_from_its_failed_task() {
    let app = App::start(4844, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    run_template_without_mocks(&app, "human-approval", "Request approval").await;

    wait_for_text(&app, "[aria-label='Waiting: Request approval']", "Task token").await;
    set_value(&app, "input[aria-label='Error of Request approval']", "Approver.Unreachable").await;
    click_button(&app, "Send failure").await;
    wait_for_text(&app, "[data-testid=run-status]", "FAILED").await;
    wait_for_run_status(&app, "Request approval", Some("failed")).await;

    click_button(&app, "Redrive").await;
    wait_for_text(&app, "[aria-label='Waiting: Request approval']", "Task token").await;
    set_value(
        &app,
        "textarea[aria-label='Output of Request approval']",
        r#"{"approved": true, "approver": "Ana"}"#,
    )
    .await;
    click_button(&app, "Send success").await;
    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    wait_for_run_status(&app, "Carry out", Some("succeeded")).await;
    // One execution, redriven: its history holds the first attempt and the redrive.
    wait_for_text(&app, ".run-tabs", "History (1)").await;
    click_at(
        &app,
        Locator::XPath("//div[@class='run-tabs']/button[starts-with(., 'Events')]"),
        "Events",
    )
    .await;
    wait_for_text(&app, ".events-view", "ExecutionRedriven").await;
    app.screenshot("execution-redriven").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn the_data_flow_simulator_runs_one_state_as_its_fields_change() {
    let app = App::start(4854, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, r#".react-flow__node:has([data-state-name="Pass"])"#).await;
    click(&app, "button[aria-label='Simulate data flow']").await;
    app.wait_for_all("[role=dialog] textarea[aria-label='Simulator input']", 1).await;
    set_value(
        &app,
        "textarea[aria-label='Simulator input']",
        r#"{"IsHelloWorldExample": true, "extra": 1}"#,
    )
    .await;
    wait_for_text(&app, "[data-testid=simulator-status]", "SUCCEEDED → Hello World example?").await;
    set_value(&app, "input[aria-label='Simulator OutputPath']", "$.extra").await;
    let output = "return document.querySelector('[data-testid=simulator-stages] [data-stage=output] .stage-value')?.textContent.trim()";
    until("the output of OutputPath $.extra", async || app.eval(output).await, |v| v == "1").await;
    // A path that selects nothing fails the state as AWS does.
    set_value(&app, "input[aria-label='Simulator OutputPath']", "$.missing").await;
    wait_for_text(&app, "[data-testid=simulator-status]", "FAILED · States.Runtime").await;
    app.screenshot("simulator").await;
    click(&app, "button[aria-label='Close the simulator']").await;
    app.close().await;
}
