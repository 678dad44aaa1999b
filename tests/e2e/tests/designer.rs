//! The designer keeps the canvas still: adding a state from the palette moves no other node;
//! Ctrl+D duplicates the selected state under a unique name and Ctrl+Z takes it back.

use std::collections::BTreeMap;
use std::time::Duration;

use fantoccini::Locator;
use serde_json::Value;
use stepwise_e2e::{App, ctrl, until};

const CODE_TEXT: &str =
    "return document.querySelector('[data-testid=code-view] .cm-content').innerText";
/// Every node's on-screen top-left corner, by node id.
const NODE_PLACES: &str = r#"return Object.fromEntries([...document.querySelectorAll('.react-flow__node')]
    .map(n => { const r = n.getBoundingClientRect(); return [n.dataset.id, [r.left, r.top]]; }))"#;
const STATE_NAMES: &str = "return [...document.querySelectorAll('.react-flow__node [data-state-name]')].map(n => n.dataset.stateName)";

async fn places(app: &App) -> BTreeMap<String, (f64, f64)> {
    let value = app.eval(NODE_PLACES).await;
    let nodes = value.as_object().cloned().unwrap_or_default();
    nodes
        .into_iter()
        .map(|(id, at)| {
            (id, (at[0].as_f64().unwrap_or(f64::NAN), at[1].as_f64().unwrap_or(f64::NAN)))
        })
        .collect()
}

async fn state_names(app: &App) -> Vec<String> {
    let value = app.eval(STATE_NAMES).await;
    let names = value.as_array().cloned().unwrap_or_default();
    names.iter().filter_map(Value::as_str).map(str::to_owned).collect()
}

/// The example, drawn and settled (nodes measured, edges drawn, the view fitted).
async fn settled(port: u16) -> App {
    let app = App::start(port, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    app.wait_for_all(".palette-item", 20).await;
    app.wait_for_all(".react-flow__edge", 14).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    app
}

#[tokio::test(flavor = "current_thread")]
async fn adding_a_state_from_the_palette_moves_no_other_node_on_screen() {
    let app = settled(4854).await;
    let before = places(&app).await;
    assert!(before.len() >= 12, "every node has a place: {before:?}");

    let item = app.client.find(Locator::Css("[data-palette-id=wait]")).await.expect("Wait item");
    item.click().await.expect("click to add");
    let after = until(
        "the new state to be drawn",
        async || places(&app).await,
        |now| now.len() == before.len() + 1,
    )
    .await;
    // Give React Flow a moment to apply the new snapshot to every node, then look again.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let after = if places(&app).await.len() == after.len() { places(&app).await } else { after };
    for (id, (x, y)) in &before {
        let (nx, ny) = after.get(id).copied().unwrap_or_else(|| panic!("{id} is still drawn"));
        assert!(
            (nx - x).abs() < 0.5 && (ny - y).abs() < 0.5,
            "{id} moved on screen from ({x}, {y}) to ({nx}, {ny})"
        );
    }
    let new: Vec<&String> = after.keys().filter(|id| !before.contains_key(*id)).collect();
    assert_eq!(new.len(), 1, "{new:?}");
    assert!(new[0].starts_with("/States/Wait"), "{new:?}");
    app.screenshot("designer-added-state-moves-no-other").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn ctrl_d_duplicates_the_selected_state_and_ctrl_z_removes_it() {
    let app = settled(4864).await;
    let original = app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned();
    let node = app
        .client
        .find(Locator::Css(r#".react-flow__node:has([data-state-name="Wait 3 sec"])"#))
        .await
        .expect("the Wait 3 sec state");
    until(
        "Wait 3 sec to be selected",
        async || {
            let _ = node.click().await;
            app.eval(
                r#"return !!document.querySelector('.react-flow__node.selected [data-state-name="Wait 3 sec"]')"#,
            )
            .await
        },
        |selected| selected == &Value::Bool(true),
    )
    .await;

    ctrl(&app, 'd').await;
    until(
        "the duplicate under a unique name",
        async || state_names(&app).await,
        |names| names.iter().any(|n| n == "Wait 3 sec 2"),
    )
    .await;
    let text = app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned();
    assert!(text.contains("\"Wait 3 sec 2\": {"), "the copy is in the text: {text}");
    assert_eq!(text.matches("\"Wait 3 sec\": {").count(), 1, "the original stays as it was");
    app.screenshot("designer-duplicated").await;

    ctrl(&app, 'z').await;
    until(
        "one undo to take the duplicate back",
        async || app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned(),
        |text| *text == original,
    )
    .await;
    until(
        "the duplicate to leave the canvas",
        async || state_names(&app).await,
        |names| !names.iter().any(|n| n == "Wait 3 sec 2") && names.len() == 9,
    )
    .await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn ctrl_c_then_ctrl_v_pastes_a_copy_of_the_selected_state() {
    let app = settled(4874).await;
    let node = app
        .client
        .find(Locator::Css(r#".react-flow__node:has([data-state-name="Yes"])"#))
        .await
        .expect("the Yes state");
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
    ctrl(&app, 'c').await;
    // The copy reads the state from Rust before it is kept: give it a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    ctrl(&app, 'v').await;
    until(
        "the pasted copy",
        async || state_names(&app).await,
        |names| names.iter().any(|n| n == "Yes 2"),
    )
    .await;
    let text = app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned();
    let copy = &text[text.find("\"Yes 2\": {").expect("the copy in the text")..];
    assert!(
        copy[..copy.find('}').expect("end")].contains("\"Next\": \"Wait 3 sec\""),
        "the copy still leads where Yes does: {text}"
    );
    app.close().await;
}
