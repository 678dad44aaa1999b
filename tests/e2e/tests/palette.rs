//! The palette: drag a Pass onto a transition and it is inserted between the transition's ends;
//! search and click an action and a Task with the right Resource appears in the text.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
use serde_json::Value;
use stepwise_e2e::App;

const STATE_NAMES: &str = "return [...document.querySelectorAll('.react-flow__node [data-state-name]')].map(n => n.dataset.stateName)";
const CODE_TEXT: &str =
    "return document.querySelector('[data-testid=code-view] .cm-content').innerText";

async fn names(app: &App) -> BTreeSet<String> {
    let value = app.eval(STATE_NAMES).await;
    value
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

async fn wait_for_new_state(app: &App, before: &BTreeSet<String>) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = names(app).await;
        if let Some(new) = now.difference(before).next() {
            return new.clone();
        }
        assert!(Instant::now() < deadline, "no new state appeared");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits for the example and the palette to be drawn and the view to settle; the state names.
async fn settle(app: &App) -> BTreeSet<String> {
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    app.wait_for_all(".palette-item", 20).await;
    // Edges are drawn once the nodes are measured, and the view then fits itself: let it settle.
    app.wait_for_all(".react-flow__edge", 14).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    names(app).await
}

/// Drags the palette's Pass with a real pointer and drops it at screen point (`x`, `y`).
async fn drag_pass_to(app: &App, x: f64, y: f64) {
    let item = app.client.find(Locator::Css("[data-palette-id=pass]")).await.expect("Pass item");
    let drag = MouseActions::new("mouse".into())
        .then(PointerAction::MoveToElement { element: item, duration: None, x: 0.0, y: 0.0 })
        .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
        .then(PointerAction::MoveBy { duration: Some(Duration::from_millis(100)), x: 30.0, y: 0.0 })
        .then(PointerAction::MoveTo {
            duration: Some(Duration::from_millis(300)),
            x: x.round(),
            y: y.round(),
        })
        .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
    app.client.perform_actions(drag).await.expect("drag from the palette");
    app.client.release_actions().await.expect("release");
}

#[tokio::test(flavor = "current_thread")]
async fn dragging_a_pass_onto_a_transition_inserts_it_between_the_ends() {
    let app = App::start(4554, &[]).await;
    let before = settle(&app).await;

    // The screen point in the middle of the Wait 3 sec → Parallel State transition (a straight
    // vertical segment, so the middle of its box is on it).
    let point = app
        .eval(
            r#"const edge = [...document.querySelectorAll('.react-flow__edge')]
                 .find(e => e.dataset.id === '/States/Wait 3 sec->next');
               const r = edge.querySelector('path').getBoundingClientRect();
               return [r.left + r.width / 2, r.top + r.height / 2];"#,
        )
        .await;
    let (x, y) = (point[0].as_f64().expect("x"), point[1].as_f64().expect("y"));
    drag_pass_to(&app, x, y).await;

    let new = wait_for_new_state(&app, &before).await;
    let text = app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned();
    let wait_state = text.find("\"Wait 3 sec\": {").expect("Wait 3 sec in the text");
    let wait_next = &text[wait_state..];
    assert!(
        wait_next[..wait_next.find('}').expect("end of the state")]
            .contains(&format!("\"Next\": \"{new}\"")),
        "Wait 3 sec now leads to {new}: {text}"
    );
    let new_state = &text[text.find(&format!("\"{new}\": {{")).expect("the new state")..];
    assert!(
        new_state[..new_state.find('}').expect("end")].contains("\"Next\": \"Parallel State\""),
        "{new} leads on to Parallel State: {text}"
    );
    app.screenshot("palette-dropped-on-transition").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn searching_and_clicking_an_action_adds_a_task_with_its_resource() {
    let app = App::start(4564, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    let before = names(&app).await;
    let search = app.client.find(Locator::Css(".palette-search")).await.expect("search");
    search.send_keys("dynamo put").await.expect("type");
    let shown = app.wait_for_all(".palette-item", 1).await;
    assert_eq!(shown.len(), 1, "the search narrows to one item");
    shown[0].click().await.expect("click to add");
    let new = wait_for_new_state(&app, &before).await;
    assert!(new.starts_with("DynamoDB PutItem"), "{new}");
    let text = app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned();
    assert!(text.contains("arn:aws:states:::dynamodb:putItem"), "{text}");
    app.close().await;
}

/// A state dropped inside a Parallel goes into the branch whose column is under the pointer:
/// dropped under World (the second branch), it is added to Branches[1], after World.
#[tokio::test(flavor = "current_thread")]
async fn dropping_into_a_parallel_adds_to_the_branch_under_the_pointer() {
    let app = App::start(4644, &[]).await;
    let before = settle(&app).await;
    // Inside the Parallel's box, below the World node (the container, not a node).
    let point = app
        .eval(
            r#"const world = document.querySelector('.react-flow__node[data-id="/States/Parallel State/Branches/1/States/World"]').getBoundingClientRect();
               const box = document.querySelector('.react-flow__node[data-id="/States/Parallel State"]').getBoundingClientRect();
               const y = Math.min(world.bottom + 12, box.bottom - 4);
               return [world.left + world.width / 2, y, box.bottom];"#,
        )
        .await;
    let (x, y) = (point[0].as_f64().expect("x"), point[1].as_f64().expect("y"));
    drag_pass_to(&app, x, y).await;

    let new = wait_for_new_state(&app, &before).await;
    let text = app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned();
    let definition: Value = serde_json::from_str(&text).expect("the ASL text parses");
    let branches = &definition["States"]["Parallel State"]["Branches"];
    assert!(branches[1]["States"].get(&new).is_some(), "{new} is in the second branch: {branches}");
    assert!(branches[0]["States"].get(&new).is_none(), "not in the first: {branches}");
    app.screenshot("palette-dropped-in-branch").await;
    app.close().await;
}
