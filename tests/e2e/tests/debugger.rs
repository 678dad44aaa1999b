//! The debugger in the real window: a breakpoint set on the canvas pauses the live run before
//! its state, Step runs one state and shows its pipeline, Continue runs to the end; a callback
//! task waits until the run panel sends its answer.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;
use stepwise_e2e::{App, click, click_at, run_template_without_mocks, wait_for_text};

async fn attribute_of(app: &App, name: &str, attribute: &str) -> Option<String> {
    let script = format!(
        r#"const n = document.querySelector('[data-state-name="{name}"]');
           return n ? n.getAttribute("{attribute}") : null;"#
    );
    app.eval(&script).await.as_str().map(str::to_owned)
}

/// Waits until the state's node has `attribute` = `want` (the canvas redraws a moment after the
/// run panel changes).
async fn expect_attribute(app: &App, name: &str, attribute: &str, want: Option<&str>) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let got = attribute_of(app, name, attribute).await;
        if got.as_deref() == want {
            return;
        }
        assert!(Instant::now() < deadline, "{name}: {attribute} is {got:?}, not {want:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn click_button(app: &App, label: &str) {
    let xpath = format!("//button[normalize-space(.)='{label}']");
    click_at(app, Locator::XPath(&xpath), label).await;
}

async fn stage_names(app: &App) -> Vec<String> {
    let names = app
        .eval("return [...document.querySelectorAll('[data-testid=pipeline] .stage-name')].map(s => s.textContent)")
        .await;
    names.as_array().expect("array").iter().filter_map(Value::as_str).map(str::to_owned).collect()
}

#[tokio::test(flavor = "current_thread")]
async fn a_breakpoint_pauses_the_run_then_step_shows_the_pipeline_and_continue_ends_it() {
    let app = App::start(4804, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button.run-toggle").await;
    app.wait_for_all(".run-panel textarea", 1).await;

    click(&app, r#"button[aria-label="Breakpoint on Wait 3 sec"]"#).await;
    app.wait_for_all(r#"button[aria-label="Breakpoint on Wait 3 sec"][aria-pressed=true]"#, 1)
        .await;
    click(&app, "button.run-start").await;
    wait_for_text(&app, "[data-testid=run-status]", "PAUSED").await;
    wait_for_text(&app, "[data-testid=paused-banner]", "Paused before Wait 3 sec · Yes just ran")
        .await;
    expect_attribute(&app, "Wait 3 sec", "data-paused", Some("true")).await;
    expect_attribute(&app, "Yes", "data-run-status", Some("succeeded")).await;
    expect_attribute(&app, "Wait 3 sec", "data-run-status", Some("none")).await;
    // The pause shows the pipeline of the state just run.
    wait_for_text(&app, ".run-tabs", "State · Yes").await;
    let stages = stage_names(&app).await;
    assert_eq!(stages.first().map(String::as_str), Some("input"), "{stages:?}");
    assert_eq!(stages.last().map(String::as_str), Some("output"), "{stages:?}");
    app.screenshot("debugger-paused-at-breakpoint").await;

    click_button(&app, "Step").await;
    wait_for_text(
        &app,
        "[data-testid=paused-banner]",
        "Paused before Parallel State · Wait 3 sec just ran",
    )
    .await;
    expect_attribute(&app, "Wait 3 sec", "data-run-status", Some("succeeded")).await;
    wait_for_text(&app, ".run-tabs", "State · Wait 3 sec").await;
    assert!(stage_names(&app).await.contains(&"output".to_owned()));

    click_button(&app, "Continue").await;
    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    for name in ["Parallel State", "Hello", "World", "Hello World"] {
        expect_attribute(&app, name, "data-run-status", Some("succeeded")).await;
    }
    expect_attribute(&app, "Parallel State", "data-paused", None).await;
    app.screenshot("debugger-continued-to-the-end").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_callback_task_waits_until_send_success_in_the_panel() {
    let app = App::start(4814, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    // No mocks: the callback task waits for an answer from the panel.
    run_template_without_mocks(&app, "human-approval", "Request approval").await;

    wait_for_text(&app, "[aria-label='Waiting: Request approval']", "Task token").await;
    wait_for_text(&app, "[data-testid=run-status]", "RUNNING").await;
    expect_attribute(&app, "Request approval", "data-run-status", Some("running")).await;
    // Still waiting a moment later.
    tokio::time::sleep(Duration::from_millis(500)).await;
    wait_for_text(&app, "[data-testid=run-status]", "RUNNING").await;
    let token = app.client.find(Locator::Css(".pending-task code.token")).await.expect("token");
    let token = token.text().await.expect("text");
    assert_eq!(token.len(), 32, "a task token: {token}");
    wait_for_text(&app, ".pending-task pre", &token).await;
    app.screenshot("debugger-callback-waiting").await;

    let output = app
        .client
        .find(Locator::Css("textarea[aria-label='Output of Request approval']"))
        .await
        .expect("the output editor");
    // Select all (Ctrl+A, then release the modifier) and type over it, as a person would; once
    // more if a keystroke was lost while the panel re-rendered.
    let answer = r#"{"approved": true, "approver": "Ana"}"#;
    let mut typed = Value::Null;
    for _ in 0..3 {
        output.send_keys("\u{E009}a\u{E000}\u{E003}").await.expect("select all and delete");
        output.send_keys(answer).await.expect("type");
        typed = app
            .eval("return document.querySelector(\"textarea[aria-label='Output of Request approval']\").value")
            .await;
        if typed.as_str() == Some(answer) {
            break;
        }
    }
    assert_eq!(typed.as_str(), Some(answer), "the output editor holds {typed}");
    click_button(&app, "Send success").await;

    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    expect_attribute(&app, "Request approval", "data-run-status", Some("succeeded")).await;
    expect_attribute(&app, "Carry out", "data-run-status", Some("succeeded")).await;
    wait_for_text(&app, ".run-tabs", "Waiting (0)").await;
    app.screenshot("debugger-callback-answered").await;
    app.close().await;
}
