//! One document, three views: typing in the code view redraws the canvas, broken text keeps the
//! last graph and says where it is broken, a rename on the canvas rewrites every reference in the
//! text, and undo/redo cover both.

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;
use stepwise_e2e::{App, ctrl, until};

/// The state names on the canvas, in DOM order.
const STATE_NAMES: &str = "return [...document.querySelectorAll('.react-flow__node [data-state-name]')].map(n => n.dataset.stateName)";
/// The code view's text as rendered (the example is short enough to be rendered whole).
const CODE_TEXT: &str =
    "return document.querySelector('[data-testid=code-view] .cm-content').innerText";

async fn names(app: &App) -> Vec<String> {
    let value = app.eval(STATE_NAMES).await;
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

async fn code_text(app: &App) -> String {
    app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn typing_in_the_code_view_redraws_the_canvas_and_broken_text_keeps_the_graph() {
    let app = App::start(4474, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;

    let code = app
        .client
        .find(Locator::Css("[data-testid=code-view] .cm-content"))
        .await
        .expect("code view");
    code.click().await.expect("focus the code view");
    ctrl(&app, 'a').await;
    code.send_keys(r#"{"StartAt": "Only", "States": {"Only": {"Type": "Succeed"}}}"#)
        .await
        .expect("type a definition");
    until("the canvas to show the typed machine", async || names(&app).await, |n| n == &["Only"])
        .await;
    let errors = app.client.find(Locator::Css("[data-testid=error-count]")).await.expect("status");
    assert_eq!(errors.text().await.expect("text"), "0 errors");

    // Delete the closing brace: the text is broken, the graph keeps its shape, the problem shows.
    code.send_keys(&format!("{}", Key::Backspace)).await.expect("backspace");
    until(
        "the status bar to count the syntax error",
        async || errors.text().await.unwrap_or_default(),
        |t| t != "0 errors",
    )
    .await;
    assert_eq!(names(&app).await, ["Only"], "the graph keeps its last valid shape");
    app.wait_for_all(".cm-lint-marker-error", 1).await;
    app.screenshot("code-view-broken-json").await;

    // Fixing the text brings everything back.
    code.send_keys("}").await.expect("retype the brace");
    until(
        "the error to clear",
        async || errors.text().await.unwrap_or_default(),
        |t| t == "0 errors",
    )
    .await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_rename_on_the_canvas_rewrites_every_reference_and_undo_redo_cover_it() {
    let app = App::start(4484, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    let original = code_text(&app).await;
    assert_eq!(original.matches("\"Yes\"").count(), 3, "key, rule Next and Default");

    // Select the state, press F2 (the desktop convention), type the new name.
    let node = app
        .client
        .find(Locator::Css(r#".react-flow__node:has([data-state-name="Yes"])"#))
        .await
        .expect("the Yes state");
    // The first render may still be settling (fit to view): click until React Flow selects it.
    until(
        "Yes to be selected",
        async || {
            let _ = node.click().await;
            app.eval(r#"return !!document.querySelector('.react-flow__node.selected [data-state-name="Yes"]')"#)
                .await
        },
        |selected| selected == &Value::Bool(true),
    )
    .await;
    let press_f2 = KeyActions::new("keys".into())
        .then(KeyAction::Down { value: Key::F2.into() })
        .then(KeyAction::Up { value: Key::F2.into() });
    app.client.perform_actions(press_f2).await.expect("F2");
    app.client.release_actions().await.expect("release");
    // React renders the field after the key's state update: wait for it. It starts selected.
    let input = app.wait_for_all(".state-name-input", 1).await.remove(0);
    input.send_keys(&format!("Greet{}", Key::Enter)).await.expect("type the new name");

    let renamed = until(
        "the code view to show the rename",
        async || code_text(&app).await,
        |t| t.contains("\"Greet\""),
    )
    .await;
    assert_eq!(renamed.matches("\"Greet\"").count(), 3, "every reference follows: {renamed}");
    assert!(!renamed.contains("\"Yes\""), "no reference is left behind");
    until("the canvas to follow", async || names(&app).await, |n| n.contains(&"Greet".to_owned()))
        .await;
    app.screenshot("renamed-on-canvas").await;

    let undo = app.client.find(Locator::Css("button[title^=Undo]")).await.expect("undo");
    undo.click().await.expect("click undo");
    until("undo to restore the text", async || code_text(&app).await, |t| t == &original).await;
    until("the canvas to undo too", async || names(&app).await, |n| n.contains(&"Yes".to_owned()))
        .await;

    let redo = app.client.find(Locator::Css("button[title^=Redo]")).await.expect("redo");
    redo.click().await.expect("click redo");
    until("redo to rename again", async || code_text(&app).await, |t| t == &renamed).await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn selecting_on_the_canvas_reveals_the_json_and_the_cursor_selects_the_node() {
    let app = App::start(4584, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    app.wait_for_all(".react-flow__edge", 14).await;

    let active_line = "return (document.querySelector('.cm-activeLine') || {}).textContent || ''";
    let node = app
        .client
        .find(Locator::Css(r#".react-flow__node:has([data-state-name="Yes"])"#))
        .await
        .expect("Yes");
    until(
        "the code view to reveal Yes",
        async || {
            let _ = node.click().await;
            app.eval(active_line).await.as_str().unwrap_or_default().to_owned()
        },
        |line| line.contains("\"Yes\": {"),
    )
    .await;

    // Put the cursor inside the No state: its node is selected on the canvas. The code view may
    // still be scrolling to the revealed state, so find and click the line again each try.
    let cause_line =
        "//div[contains(concat(' ', @class, ' '), ' cm-line ')][contains(., 'Not Hello World')]";
    until(
        "the canvas to select No",
        async || {
            if let Ok(line) = app.client.find(Locator::XPath(cause_line)).await {
                let _ = line.click().await;
            }
            app.eval(r#"return !!document.querySelector('.react-flow__node.selected [data-state-name="No"]')"#)
                .await
        },
        |selected| selected == &Value::Bool(true),
    )
    .await;
    app.close().await;
}
