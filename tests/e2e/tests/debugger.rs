//! The debugger in the real window: a breakpoint set on the canvas pauses the live run before
//! its state, Step runs one state and shows its pipeline, Continue runs to the end; a callback
//! task waits until the run panel sends its answer.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;
use stepwise_e2e::App;

async fn attribute_of(app: &App, name: &str, attribute: &str) -> Option<String> {
    let script = format!(
        r#"const n = document.querySelector('[data-state-name="{name}"]');
           return n ? n.getAttribute("{attribute}") : null;"#
    );
    app.eval(&script).await.as_str().map(str::to_owned)
}

async fn click(app: &App, css: &str) {
    app.client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css}"))
        .click()
        .await
        .expect("click");
}

async fn click_button(app: &App, label: &str) {
    let xpath = format!("//button[normalize-space(.)='{label}']");
    app.client
        .find(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|_| panic!("the {label} button"))
        .click()
        .await
        .expect("click");
}

async fn wait_for_text(app: &App, css: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = match app.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(want) {
            return;
        }
        if Instant::now() > deadline {
            let shot = app.screenshot("debugger-timeout").await;
            panic!("timed out waiting for {want:?} in {css}, saw {text:?}; {}", shot.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    assert_eq!(attribute_of(&app, "Wait 3 sec", "data-paused").await.as_deref(), Some("true"));
    assert_eq!(attribute_of(&app, "Yes", "data-run-status").await.as_deref(), Some("succeeded"));
    assert_eq!(attribute_of(&app, "Wait 3 sec", "data-run-status").await.as_deref(), Some("none"));
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
    assert_eq!(
        attribute_of(&app, "Wait 3 sec", "data-run-status").await.as_deref(),
        Some("succeeded")
    );
    wait_for_text(&app, ".run-tabs", "State · Wait 3 sec").await;
    assert!(stage_names(&app).await.contains(&"output".to_owned()));

    click_button(&app, "Continue").await;
    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    for name in ["Parallel State", "Hello", "World", "Hello World"] {
        assert_eq!(
            attribute_of(&app, name, "data-run-status").await.as_deref(),
            Some("succeeded"),
            "{name} ran"
        );
    }
    assert_eq!(attribute_of(&app, "Parallel State", "data-paused").await, None);
    app.screenshot("debugger-continued-to-the-end").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_callback_task_waits_until_send_success_in_the_panel() {
    let app = App::start(4814, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button[title='New from template']").await;
    app.wait_for_all(".gallery-item", 8).await;
    click(&app, "[data-template-id=human-approval]").await;
    app.wait_for_all(r#"[data-state-name="Request approval"]"#, 1).await;

    click(&app, "button.run-toggle").await;
    app.wait_for_all("select[aria-label='Mock test case'] option", 3).await;
    let select =
        app.client.find(Locator::Css("select[aria-label='Mock test case']")).await.expect("select");
    // No mocks: the callback task waits for an answer from the panel.
    select.select_by_value("").await.expect("choose no mocks");
    click(&app, "button.run-start").await;

    wait_for_text(&app, "[aria-label='Waiting: Request approval']", "Task token").await;
    wait_for_text(&app, "[data-testid=run-status]", "RUNNING").await;
    assert_eq!(
        attribute_of(&app, "Request approval", "data-run-status").await.as_deref(),
        Some("running")
    );
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
    output.clear().await.expect("clear");
    output.send_keys(r#"{"approved": true, "approver": "Ana"}"#).await.expect("type");
    click_button(&app, "Send success").await;

    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    assert_eq!(
        attribute_of(&app, "Request approval", "data-run-status").await.as_deref(),
        Some("succeeded")
    );
    assert_eq!(
        attribute_of(&app, "Carry out", "data-run-status").await.as_deref(),
        Some("succeeded")
    );
    wait_for_text(&app, ".run-tabs", "Waiting (0)").await;
    app.screenshot("debugger-callback-answered").await;
    app.close().await;
}
