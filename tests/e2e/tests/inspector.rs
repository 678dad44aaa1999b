//! The inspector: a state picked on the canvas opens as a form; changing a field changes the text
//! in the code view (one edit), and undo takes it back; a JSON field applies only a draft that
//! parses.

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;
use stepwise_e2e::{App, until};

const WORKFLOW: &str = r#"{
  "Comment": "One Task, for the inspector.",
  "StartAt": "Call",
  "States": {
    "Call": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {
        "FunctionName": "greet"
      },
      "TimeoutSeconds": 10,
      "Retry": [
        {
          "ErrorEquals": ["Lambda.ServiceException", "Lambda.TooManyRequestsException"],
          "IntervalSeconds": 1,
          "MaxAttempts": 3,
          "BackoffRate": 2
        }
      ],
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "Done"
        }
      ],
      "Next": "Done"
    },
    "Done": {
      "Type": "Succeed"
    }
  }
}
"#;

/// The code view's text as rendered (short enough to be rendered whole).
const CODE_TEXT: &str =
    "return document.querySelector('[data-testid=code-view] .cm-content').innerText";
/// What the inspector's TimeoutSeconds field shows.
const TIMEOUT_FIELD: &str = "const i = document.querySelector('[data-testid=inspector] input[aria-label=TimeoutSeconds]'); return i ? i.value : null";

/// Presses `modifier` plus `key` in the focused element.
async fn chord(app: &App, modifier: Key, key: char) {
    let keys = KeyActions::new("keys".into())
        .then(KeyAction::Down { value: modifier.into() })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: modifier.into() });
    app.client.perform_actions(keys).await.expect("key chord");
    app.client.release_actions().await.expect("release keys");
}

async fn code_text(app: &App) -> String {
    app.eval(CODE_TEXT).await.as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "current_thread")]
async fn a_field_changed_in_the_inspector_changes_the_text_and_undo_takes_it_back() {
    let dir = std::env::temp_dir().join(format!("stepwise-e2e-inspector-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("task.asl.json");
    std::fs::write(&path, WORKFLOW).expect("write the workflow");
    let app = App::start(4714, &[path.display().to_string()]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 2).await;
    let original = code_text(&app).await;
    assert!(original.contains("\"TimeoutSeconds\": 10"), "{original}");

    // Pick the Task on the canvas (clicking until the first fit-to-view has settled).
    let node = app
        .client
        .find(Locator::Css(r#".react-flow__node:has([data-state-name="Call"])"#))
        .await
        .expect("the Call state");
    until(
        "the inspector to show the Task",
        async || {
            let _ = node.click().await;
            app.eval(TIMEOUT_FIELD).await
        },
        |value| value == &Value::String("10".into()),
    )
    .await;
    let panel =
        app.eval("return document.querySelector('[data-testid=inspector]').innerText").await;
    let panel = panel.as_str().unwrap_or_default().to_owned();
    assert!(panel.contains("JSONPath"), "the query language shows: {panel}");
    assert!(panel.contains("Lambda.TooManyRequestsException"), "the retrier shows: {panel}");

    // Replace the value and press Enter: one setField, seen in the code view.
    let field = app
        .client
        .find(Locator::Css("[data-testid=inspector] input[aria-label=TimeoutSeconds]"))
        .await
        .expect("the TimeoutSeconds field");
    field.click().await.expect("focus the field");
    chord(&app, Key::Control, 'a').await;
    field.send_keys(&format!("45{}", Key::Enter)).await.expect("type the new timeout");
    let changed = until(
        "the code view to show the new timeout",
        async || code_text(&app).await,
        |text| text.contains("\"TimeoutSeconds\": 45"),
    )
    .await;
    assert_eq!(
        changed.replace("\"TimeoutSeconds\": 45", "\"TimeoutSeconds\": 10"),
        original,
        "only the value changed"
    );
    app.screenshot("inspector-task").await;

    // Undo, from the toolbar: the text and the form both go back.
    let undo = app.client.find(Locator::Css("button[title^=Undo]")).await.expect("undo");
    undo.click().await.expect("click undo");
    until("undo to restore the text", async || code_text(&app).await, |t| t == &original).await;
    until(
        "the inspector to show the old value",
        async || app.eval(TIMEOUT_FIELD).await,
        |value| value == &Value::String("10".into()),
    )
    .await;
    // A JSON field: a draft that does not parse is kept with its error and not applied; once it
    // parses, Ctrl+Enter applies it.
    let parameters = app
        .client
        .find(Locator::Css("[data-testid=inspector] .cm-content[aria-label=Parameters]"))
        .await
        .expect("the Parameters editor");
    parameters.click().await.expect("focus Parameters");
    chord(&app, Key::Control, 'a').await;
    parameters.send_keys(r#"{"FunctionName": "#).await.expect("type half a value");
    let comment = app
        .client
        .find(Locator::Css("[data-testid=inspector] input[aria-label=Comment]"))
        .await
        .expect("the Comment field");
    comment.click().await.expect("leave Parameters");
    app.wait_for_all("[data-testid=inspector] [role=alert]", 1).await;
    assert_eq!(code_text(&app).await, original, "nothing applied");
    parameters.click().await.expect("back to Parameters");
    parameters.send_keys(r#""bye"}"#).await.expect("finish the value");
    chord(&app, Key::Control, Key::Enter.into()).await;
    until(
        "the code view to show the new Parameters",
        async || code_text(&app).await,
        |text| text.contains("\"FunctionName\": \"bye\""),
    )
    .await;
    app.eval("document.querySelector('[data-testid=inspector]').scrollTop = 1e6; return null")
        .await;
    app.screenshot("inspector-retry-catch").await;
    app.close().await;
    std::fs::remove_dir_all(&dir).ok();
}
