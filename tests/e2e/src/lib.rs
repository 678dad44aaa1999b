//! Drives the real Stepwise window: tauri-driver (which starts WebKitWebDriver, which starts the
//! app binary) and a fantoccini WebDriver client. Used by tests/window.rs.
//!
//! The app binary is `target/debug/stepwise-app`, built with `--features custom-protocol` so it
//! serves the built ui/dist (`cargo xtask test` builds both first); `STEPWISE_APP` overrides it.
//! Screenshots go to `target/e2e-screenshots/` (or `$SHOT_DIR`).

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The app under test.
pub fn app_binary() -> PathBuf {
    match std::env::var_os("STEPWISE_APP") {
        Some(path) => PathBuf::from(path),
        None => workspace_root().join("target/debug/stepwise-app"),
    }
}

/// Where screenshots are written.
pub fn screenshot_dir() -> PathBuf {
    match std::env::var_os("SHOT_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => workspace_root().join("target/e2e-screenshots"),
    }
}

/// A running tauri-driver and a WebDriver session with one app window. Dropping it ends the
/// session and stops the driver with SIGTERM, which makes tauri-driver stop WebKitWebDriver too
/// (SIGKILL would leave WebKitWebDriver running).
pub struct App {
    pub client: Client,
    /// Stops the driver when the test ends, passed or panicked.
    _driver: DriverGuard,
}

impl App {
    /// Starts the app with `args` on the driver port `port` (each test uses its own), with a data
    /// folder of its own (execution history), so tests never see each other's or a user's runs.
    pub async fn start(port: u16, args: &[String]) -> App {
        let data =
            std::env::temp_dir().join(format!("stepwise-e2e-data-{port}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&data);
        App::start_with_data(port, args, &data).await
    }

    /// [`App::start`] with a given data folder, for tests that restart the app.
    pub async fn start_with_data(port: u16, args: &[String], data: &std::path::Path) -> App {
        App::start_with_env(port, args, data, &[]).await
    }

    /// [`App::start_with_data`] with more environment for the app (e.g. `STEPWISE_DIALOG_DIR`,
    /// the folder scripted file dialogs answer from).
    pub async fn start_with_env(
        port: u16,
        args: &[String],
        data: &std::path::Path,
        env: &[(&str, &std::path::Path)],
    ) -> App {
        let binary = app_binary();
        assert!(binary.exists(), "{} is missing: run `cargo xtask test`", binary.display());
        let driver_bin = std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into());
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "tauri:options".into(),
            json!({ "application": binary.display().to_string(), "args": args }),
        );
        let url = format!("http://127.0.0.1:{port}");
        // An app that dies while starting (once in a CI run, GTK could not open the display)
        // leaves WebKitWebDriver waiting on it for good: each attempt is bounded, and the next
        // one starts a fresh driver.
        let mut failures = Vec::new();
        for _ in 0..3 {
            let driver = Command::new(&driver_bin)
                .args(["--port", &port.to_string(), "--native-port", &(port + 1).to_string()])
                // The driver passes its environment on to WebKitWebDriver, which passes it to
                // the app.
                .env("STEPWISE_DATA_DIR", data)
                .envs(env.iter().copied())
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap_or_else(|e| {
                    panic!("cannot start {driver_bin}: {e} (cargo xtask test installs it)")
                });
            let guard = DriverGuard(Some(driver));
            match session(&url, &capabilities).await {
                Ok(client) => return App { client, _driver: guard },
                Err(err) => {
                    eprintln!("stepwise-e2e: no WebDriver session ({err}); starting again");
                    failures.push(err);
                }
            }
        }
        panic!("no WebDriver session in three attempts: {failures:?}");
    }

    /// Waits until `css` matches at least `count` elements and returns them.
    pub async fn wait_for_all(
        &self,
        css: &str,
        count: usize,
    ) -> Vec<fantoccini::elements::Element> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let found = self.client.find_all(Locator::Css(css)).await.unwrap_or_default();
            if found.len() >= count {
                return found;
            }
            if Instant::now() > deadline {
                // Leave what the window showed, to make the failure readable.
                let shot = self.screenshot("timeout").await;
                let text = self.eval("return document.body.innerText").await;
                panic!(
                    "timed out waiting for {count} × {css}; found {}; the page says {text}; \
                     screenshot {}",
                    found.len(),
                    shot.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Drags the element matching `css` by (`dx`, `dy`) screen pixels with a real pointer.
    /// React Flow ignores the move that crosses its drag threshold, so the pointer is nudged
    /// 5 px first; `after_nudge` runs then (e.g. to read the position the drag starts from).
    pub async fn drag<T>(
        &self,
        css: &str,
        (dx, dy): (f64, f64),
        after_nudge: impl AsyncFnOnce(&App) -> T,
    ) -> T {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let element = self.client.find(Locator::Css(css)).await.expect("the element to drag");
        let nudge = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element, duration: None, x: 0.0, y: 0.0 })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(50)),
                x: 5.0,
                y: 0.0,
            });
        self.client.perform_actions(nudge).await.expect("press and nudge");
        let value = after_nudge(self).await;
        let drag = MouseActions::new("mouse".into())
            .then(PointerAction::MoveBy {
                duration: Some(Duration::from_millis(200)),
                x: dx,
                y: dy,
            })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client.perform_actions(drag).await.expect("drag and drop");
        self.client.release_actions().await.expect("release");
        value
    }

    /// Runs a script in the page and returns its value.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.expect("script runs")
    }

    /// Saves a PNG screenshot of the window and returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG image");
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Ends the session (closing the app) and stops the driver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            // SIGTERM, not Child::kill's SIGKILL: on SIGTERM tauri-driver stops WebKitWebDriver
            // before it exits; on SIGKILL WebKitWebDriver would outlive it.
            let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
            let _ = child.wait();
        }
    }
}

/// A WebDriver session with the app, asked for until the driver answers (30 s), each request
/// given 60 s (a cold start of the app under load takes several seconds).
async fn session(
    url: &str,
    capabilities: &serde_json::Map<String, Value>,
) -> Result<Client, String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let mut builder = ClientBuilder::native();
        let request = builder.capabilities(capabilities.clone()).connect(url);
        match tokio::time::timeout(Duration::from_secs(60), request).await {
            Ok(Ok(client)) => return Ok(client),
            Ok(Err(err)) if Instant::now() > deadline => return Err(err.to_string()),
            Ok(Err(_)) => tokio::time::sleep(Duration::from_millis(250)).await,
            Err(_) => return Err("the app did not answer in 60 s".into()),
        }
    }
}

/// Polls `probe` until `done` holds, for up to 10 s; panics naming `what` and the last value.
pub async fn until<T: std::fmt::Debug>(
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

/// Presses Ctrl with `key`.
pub async fn ctrl(app: &App, key: char) {
    use fantoccini::actions::{InputSource, KeyAction, KeyActions};
    use fantoccini::key::Key;
    let chord = KeyActions::new("keys".into())
        .then(KeyAction::Down { value: Key::Control.into() })
        .then(KeyAction::Down { value: key })
        .then(KeyAction::Up { value: key })
        .then(KeyAction::Up { value: Key::Control.into() });
    app.client.perform_actions(chord).await.expect("key chord");
    app.client.release_actions().await.expect("release keys");
}

/// Clicks the element at `locator`, retrying for a few seconds while it is not there or not
/// clickable yet (the canvas fits its view once the nodes are measured).
pub async fn click_at(app: &App, locator: Locator<'_>, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let error = match app.client.find(locator).await {
            // Scrolled into view first: WebKit's driver does not scroll nested scroll areas.
            Ok(element) => match scroll_into_view(app, &element).await.and(element.click().await) {
                Ok(()) => return,
                Err(err) => err.to_string(),
            },
            Err(err) => err.to_string(),
        };
        assert!(Instant::now() < deadline, "cannot click {what}: {error}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Scrolls an element into the middle of its scroll areas when its centre cannot be clicked
/// (outside the window, under a scroll bar).
async fn scroll_into_view(
    app: &App,
    element: &fantoccini::elements::Element,
) -> Result<(), fantoccini::error::CmdError> {
    let element = serde_json::to_value(element).map_err(fantoccini::error::CmdError::Json)?;
    let script = "const e = arguments[0], r = e.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        if (!hit || !(hit === e || e.contains(hit))) e.scrollIntoView({ block: 'center', inline: 'nearest' });";
    app.client.execute(script, vec![element]).await.map(|_| ())
}

/// Clicks the element matching `css` (see [`click_at`]).
pub async fn click(app: &App, css: &str) {
    click_at(app, Locator::Css(css), css).await;
}

/// Waits up to 10 s until the element matching `css` shows `want` in its text.
pub async fn wait_for_text(app: &App, css: &str, want: &str) {
    wait_for_text_within(app, css, want, Duration::from_secs(10)).await;
}

/// Waits up to `limit` until the element matching `css` shows `want` in its text.
pub async fn wait_for_text_within(app: &App, css: &str, want: &str, limit: Duration) {
    let deadline = Instant::now() + limit;
    loop {
        let text = match app.client.find(Locator::Css(css)).await {
            Ok(element) => element.text().await.unwrap_or_default(),
            Err(_) => String::new(),
        };
        if text.contains(want) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {want:?} in {css}, saw {text:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Writes a workflow of a 10,000-item inline Map — each item through a Pass, a Choice and one
/// of Big (items over 5,000) or Small — as `<dir>/<stem>.asl.json`, with its sample input of
/// 10,000 numbers beside it (`<stem>.input.json`); returns the workflow's path.
pub fn ten_thousand_item_map(dir: &std::path::Path, stem: &str) -> PathBuf {
    let definition = json!({
        "Comment": "10,000 items through a Pass, a Choice and a Pass each",
        "StartAt": "Each item",
        "States": {
            "Each item": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemSelector": {"v.$": "$$.Map.Item.Value"},
                "ItemProcessor": {
                    "StartAt": "Mark",
                    "States": {
                        "Mark": {"Type": "Pass", "Result": 1, "ResultPath": "$.seen", "Next": "Size?"},
                        "Size?": {
                            "Type": "Choice",
                            "Choices": [{"Variable": "$.v", "NumericGreaterThan": 5000, "Next": "Big"}],
                            "Default": "Small"
                        },
                        "Big": {"Type": "Pass", "Result": "big", "End": true},
                        "Small": {"Type": "Pass", "Result": "small", "End": true}
                    }
                },
                "ResultPath": "$.sizes",
                "OutputPath": "$.sizes",
                "End": true
            }
        }
    });
    let path = dir.join(format!("{stem}.asl.json"));
    let items: Vec<u32> = (0..10_000).collect();
    let input = json!({ "items": items });
    std::fs::write(&path, definition.to_string()).expect("write the workflow");
    std::fs::write(dir.join(format!("{stem}.input.json")), input.to_string())
        .expect("write its input");
    path
}

/// Opens template `template` from the gallery (waiting for its state `state`) and starts it from
/// the run panel with no mocks, so its callback tasks wait for an answer from the panel.
pub async fn run_template_without_mocks(app: &App, template: &str, state: &str) {
    app.wait_for_all(".react-flow__node [data-state-name]", 1).await;
    click(app, "button[title='New from template']").await;
    app.wait_for_all(".gallery-item", 8).await;
    click(app, &format!("[data-template-id={template}]")).await;
    app.wait_for_all(&format!(r#"[data-state-name="{state}"]"#), 1).await;
    click(app, "button.run-toggle").await;
    app.wait_for_all("select[aria-label='Mock test case'] option", 2).await;
    let select =
        app.client.find(Locator::Css("select[aria-label='Mock test case']")).await.expect("select");
    select.select_by_value("").await.expect("choose no mocks");
    click(app, "button.run-start").await;
}
