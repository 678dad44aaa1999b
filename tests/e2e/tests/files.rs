//! Files: an edit marks the document dirty, Save writes the ASL (and the dragged positions into
//! the sidecar, not the ASL), reopening restores both, and a change made by another program is
//! reloaded onto the canvas.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::Value;
use stepwise_e2e::{App, workspace_root};

const POSITION_OF_PASS: &str = r#"
    const n = document.querySelector('.react-flow__node[data-id="/States/Pass"]');
    const m = n && n.style.transform.match(/translate\(([-\d.]+)px, *([-\d.]+)px\)/);
    return m ? [Number(m[1]), Number(m[2])] : null;
"#;

fn workflow_copy(name: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("stepwise-e2e-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("hello.asl.json");
    std::fs::copy(workspace_root().join("assets/examples/hello-world.asl.json"), &path)
        .expect("copy the example");
    (dir, path)
}

async fn wait_until(what: &str, mut check: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !check().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn present(app: &App, css: &str) -> bool {
    app.client.find_all(Locator::Css(css)).await.map(|found| !found.is_empty()).unwrap_or(false)
}

#[tokio::test(flavor = "current_thread")]
async fn save_writes_the_asl_and_the_sidecar_and_reopening_restores_positions() {
    let (dir, path) = workflow_copy("save");
    let original = std::fs::read_to_string(&path).expect("read");
    let app = App::start(4494, &[path.display().to_string()]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    assert!(!present(&app, "[data-testid=dirty-marker]").await, "freshly opened: clean");

    let pass = r#".react-flow__node[data-id="/States/Pass"]"#;
    app.drag(pass, (150.0, 0.0), async |_| ()).await;
    let dragged = app.eval(POSITION_OF_PASS).await;

    // An edit through the toolbar: add a Wait state.
    let add = app.client.find(Locator::Css("select[aria-label='Add a state']")).await.expect("add");
    add.select_by_value("Wait").await.expect("choose Wait");
    wait_until("the new state", async || present(&app, r#"[data-state-name="Wait"]"#).await).await;
    assert!(present(&app, "[data-testid=dirty-marker]").await, "an edit makes it dirty");

    let save = app.client.find(Locator::Css("button[title^='Save (']")).await.expect("save");
    save.click().await.expect("click save");
    wait_until("the dirty marker to go", async || {
        !present(&app, "[data-testid=dirty-marker]").await
    })
    .await;
    let saved = std::fs::read_to_string(&path).expect("read the saved file");
    assert_ne!(saved, original);
    assert!(saved.contains("\"Wait\": {"), "the new state is in the file");
    let sidecar = dir.join("hello.asl.json.stepwise-layout.json");
    let layout: Value =
        serde_json::from_str(&std::fs::read_to_string(&sidecar).expect("sidecar written"))
            .expect("sidecar is JSON");
    assert!(layout["positions"]["/States/Pass"].is_object(), "Pass is pinned: {layout}");
    assert!(!saved.contains("positions"), "the ASL file stays clean");
    app.close().await;

    let reopened = App::start(4504, &[path.display().to_string()]).await;
    reopened.wait_for_all(".react-flow__node [data-state-name]", 10).await;
    assert_eq!(reopened.eval(POSITION_OF_PASS).await, dragged, "the dragged position survives");
    reopened.screenshot("reopened-with-dragged-position").await;
    reopened.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "current_thread")]
async fn a_change_made_by_another_program_reloads_onto_the_canvas() {
    let (dir, path) = workflow_copy("external");
    let app = App::start(4514, &[path.display().to_string()]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;

    let text = std::fs::read_to_string(&path).expect("read");
    std::fs::write(&path, text.replace("Wait 3 sec", "Nap")).expect("another program writes");
    wait_until("the canvas to show the change", async || {
        present(&app, r#"[data-state-name="Nap"]"#).await
    })
    .await;
    assert!(!present(&app, r#"[data-state-name="Wait 3 sec"]"#).await);
    assert!(!present(&app, "[data-testid=dirty-marker]").await, "in step with the disk");
    app.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "current_thread")]
async fn a_template_creates_a_workflow_that_validates_with_no_errors() {
    let app = App::start(4524, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    let new =
        app.client.find(Locator::Css("button[title='New from template']")).await.expect("new");
    new.click().await.expect("open the gallery");
    let items = app.wait_for_all(".gallery-item", 8).await;
    assert!(items.len() >= 8, "the gallery lists every template");
    app.screenshot("template-gallery").await;
    let saga = app
        .client
        .find(Locator::Css("[data-template-id=order-fulfillment]"))
        .await
        .expect("order fulfillment");
    saga.click().await.expect("choose it");
    wait_until("the template on the canvas", async || {
        present(&app, r#"[data-state-name="Charge payment"]"#).await
    })
    .await;
    let errors = app.client.find(Locator::Css("[data-testid=error-count]")).await.expect("status");
    assert_eq!(errors.text().await.expect("text"), "0 errors");
    let name = app.client.find(Locator::Css("[data-testid=document-name]")).await.expect("name");
    assert_eq!(name.text().await.expect("text"), "order-fulfillment.asl.json");
    assert!(present(&app, "[data-testid=dirty-marker]").await, "new and unsaved");
    app.screenshot("new-from-template").await;
    app.close().await;
}
