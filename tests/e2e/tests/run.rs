//! Runs in the real window: the states that ran turn green, a state's data pipeline opens from
//! the canvas, and a failing mock sends the run down its Catch path, coloured as a caught error.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;
use stepwise_e2e::{App, click, wait_for_text};

async fn run_status_of(app: &App, name: &str) -> Option<String> {
    let script = format!(
        r#"const n = document.querySelector('[data-state-name="{name}"]');
           return n ? (n.dataset.runStatus || null) : null;"#
    );
    app.eval(&script).await.as_str().map(str::to_owned)
}

/// Waits until the state's node shows `want` as its run status.
async fn wait_for_run_status(app: &App, name: &str, want: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while run_status_of(app, name).await.as_deref() != Some(want) {
        assert!(Instant::now() < deadline, "{name} never showed {want:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "current_thread")]
async fn running_the_example_turns_its_path_green_and_shows_a_states_pipeline() {
    let app = App::start(4534, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button.run-toggle").await;
    app.wait_for_all(".run-panel textarea", 1).await;
    click(&app, "button.run-start").await;
    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    // The status line can show the end a poll before the canvas has the final colours.
    wait_for_run_status(&app, "Hello World", "succeeded").await;

    for name in
        ["Pass", "Hello World example?", "Yes", "Wait 3 sec", "Hello", "World", "Hello World"]
    {
        assert_eq!(run_status_of(&app, name).await.as_deref(), Some("succeeded"), "{name} ran");
    }
    assert_eq!(run_status_of(&app, "No").await.as_deref(), Some("none"), "the Fail did not run");
    wait_for_text(&app, "[data-testid=run-cost]", "Standard $0.0002 (8 transitions)").await;
    wait_for_text(&app, "[data-testid=run-cost]", "(3 s, 64 MB)").await;

    click(&app, r#".react-flow__node:has([data-state-name="Wait 3 sec"])"#).await;
    wait_for_text(&app, "[data-testid=pipeline]", "output").await;
    let stages = app
        .eval("return [...document.querySelectorAll('.stage-name')].map(s => s.textContent)")
        .await;
    let stages: Vec<&str> =
        stages.as_array().expect("array").iter().filter_map(Value::as_str).collect();
    assert_eq!(stages.first(), Some(&"input"), "{stages:?}");
    assert_eq!(stages.last(), Some(&"output"), "{stages:?}");
    app.screenshot("run-succeeded").await;

    app.client
        .find(Locator::XPath("//div[@class='run-tabs']/button[starts-with(., 'Events')]"))
        .await
        .expect("the Events tab")
        .click()
        .await
        .expect("open the events");
    // The history is a windowed table: the rows in view are rendered.
    let rows = app.wait_for_all(".events-table .vitem .vrow", 10).await;
    assert!(rows.len() >= 10, "the history is listed");
    let first = app
        .eval("return document.querySelector('.events-table .vitem .vrow')?.innerText ?? ''")
        .await;
    assert!(first.as_str().is_some_and(|t| t.contains("ExecutionStarted")), "{first}");
    app.screenshot("run-events").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_failing_mock_sends_the_run_down_its_catch_path_coloured_as_caught() {
    let app = App::start(4544, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button[title='New from template']").await;
    app.wait_for_all(".gallery-item", 8).await;
    click(&app, "[data-template-id=order-fulfillment]").await;
    app.wait_for_all(r#"[data-state-name="Charge payment"]"#, 1).await;

    click(&app, "button.run-toggle").await;
    let cases = app.wait_for_all("select[aria-label='Mock test case'] option", 4).await;
    assert_eq!(cases.len(), 4, "no mocks + the template's three test cases");
    let select =
        app.client.find(Locator::Css("select[aria-label='Mock test case']")).await.expect("select");
    select.select_by_value("PaymentDeclined").await.expect("choose the failing case");
    click(&app, "button.run-start").await;
    wait_for_text(&app, "[data-testid=run-status]", "FAILED").await;
    wait_for_run_status(&app, "Payment declined", "failed").await;

    assert_eq!(run_status_of(&app, "Charge payment").await.as_deref(), Some("caught"));
    assert_eq!(run_status_of(&app, "Cancel order").await.as_deref(), Some("succeeded"));
    assert_eq!(run_status_of(&app, "Payment declined").await.as_deref(), Some("failed"));
    assert_eq!(run_status_of(&app, "Ship").await.as_deref(), Some("none"));
    app.screenshot("run-caught-error").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn executions_survive_an_app_restart() {
    let dir = std::env::temp_dir().join(format!("stepwise-e2e-restart-{}", std::process::id()));
    let data = dir.join("data");
    std::fs::create_dir_all(&data).expect("dirs");
    let flow = dir.join("hello.asl.json");
    std::fs::copy(
        stepwise_e2e::workspace_root().join("assets/examples/hello-world.asl.json"),
        &flow,
    )
    .expect("copy");
    std::fs::copy(
        stepwise_e2e::workspace_root().join("assets/examples/hello-world.input.json"),
        dir.join("hello.input.json"),
    )
    .expect("copy the sample input");
    let args = [flow.display().to_string()];

    let app = App::start_with_data(4604, &args, &data).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button.run-toggle").await;
    wait_for_text(&app, ".run-panel textarea", "IsHelloWorldExample").await;
    click(&app, "button.run-start").await;
    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    app.close().await;

    let again = App::start_with_data(4614, &args, &data).await;
    again.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&again, "button.run-toggle").await;
    wait_for_text(&again, ".run-tabs", "History (1)").await;
    click(&again, ".run-tabs button:last-child").await;
    let rows = again.wait_for_all(".history tbody tr", 1).await;
    let row = rows[0].text().await.expect("text");
    assert!(row.contains("SUCCEEDED"), "{row}");
    let cell = again.client.find(Locator::Css(".history tbody tr td")).await.expect("cell");
    cell.click().await.expect("open the past run");
    wait_for_text(&again, "[data-testid=run-status]", "SUCCEEDED").await;
    assert_eq!(run_status_of(&again, "Wait 3 sec").await.as_deref(), Some("succeeded"));
    again.screenshot("history-after-restart").await;
    again.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

/// A Map container shows its iterations as a progress bar with counts once the run has gone
/// through it (the issue's "Map states show iteration counts ... with a progress bar").
#[tokio::test(flavor = "current_thread")]
async fn a_map_shows_its_iterations_after_a_run() {
    let app = App::start(4594, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    click(&app, "button[title='New from template']").await;
    app.wait_for_all(".gallery-item", 8).await;
    click(&app, "[data-template-id=map-batch]").await;
    app.wait_for_all(".react-flow__node.react-flow__node-container", 1).await;
    click(&app, "button.run-toggle").await;
    app.wait_for_all("select[aria-label='Mock test case'] option", 2).await;
    let select =
        app.client.find(Locator::Css("select[aria-label='Mock test case']")).await.expect("select");
    select.select_by_value("AllProcessed").await.expect("choose the template's test case");
    click(&app, "button.run-start").await;
    wait_for_text(&app, "[data-testid=run-status]", "SUCCEEDED").await;
    wait_for_text(&app, "[data-testid=map-progress]", "3/3").await;
    app.screenshot("run-map-progress").await;
    app.close().await;
}
