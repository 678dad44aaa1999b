//! The inspector: a state picked on the canvas opens as a form; changing a field changes the text
//! in the code view (one edit), and undo takes it back.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;
use stepwise_e2e::App;

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

/// Polls `probe` until `done` holds, for up to 10 s.
async fn until<T: std::fmt::Debug>(
    what: &str,
    mut probe: impl AsyncFnMut() -> T,
    done: impl Fn(&T) -> bool,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let value = probe().await;
        if done(&value) {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}; last saw {value:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
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
    let select_all = KeyActions::new("keys".into())
        .then(KeyAction::Down { value: Key::Control.into() })
        .then(KeyAction::Down { value: 'a' })
        .then(KeyAction::Up { value: 'a' })
        .then(KeyAction::Up { value: Key::Control.into() });
    app.client.perform_actions(select_all).await.expect("select the value");
    app.client.release_actions().await.expect("release keys");
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
    app.eval("document.querySelector('[data-testid=inspector]').scrollTop = 1e6; return null")
        .await;
    app.screenshot("inspector-retry-catch").await;
    app.close().await;
    std::fs::remove_dir_all(&dir).ok();
}
