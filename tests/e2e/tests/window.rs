//! The real app window: the example is laid out by Rust and drawn by the canvas, a node can be
//! dragged, and a workflow file given on the command line opens.

use std::collections::BTreeSet;

use fantoccini::Locator;
use serde_json::Value;
use stepwise_e2e::App;

/// Node positions (flow coordinates, from each node's CSS transform) and the viewport zoom.
const READ_POSITIONS: &str = r#"
    const nodes = {};
    for (const n of document.querySelectorAll('.react-flow__node')) {
        const m = n.style.transform.match(/translate\(([-\d.]+)px, *([-\d.]+)px\)/);
        nodes[n.dataset.id] = m ? [Number(m[1]), Number(m[2])] : null;
    }
    const v = document.querySelector('.react-flow__viewport').style.transform;
    const zoom = Number((v.match(/scale\(([-\d.]+)\)/) || [0, 1])[1]);
    return { nodes, zoom };
"#;

fn position(positions: &Value, id: &str) -> (f64, f64) {
    let pair = &positions["nodes"][id];
    (pair[0].as_f64().expect("x"), pair[1].as_f64().expect("y"))
}

#[tokio::test(flavor = "current_thread")]
async fn example_is_drawn_where_rust_laid_it_out_and_a_node_drags() {
    let app = App::start(4444, &[]).await;

    // Every state of the example, and every transition, is on the canvas.
    let states = app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    let mut names = BTreeSet::new();
    for state in &states {
        names.insert(state.attr("data-state-name").await.expect("attr").expect("name"));
    }
    let expected = [
        "Pass",
        "Hello World example?",
        "Yes",
        "No",
        "Wait 3 sec",
        "Parallel State",
        "Hello",
        "World",
        "Hello World",
    ];
    assert_eq!(names, expected.iter().map(|s| s.to_string()).collect(), "state names on canvas");
    let edges = app.wait_for_all(".react-flow__edge", 14).await;
    assert_eq!(edges.len(), 14, "14 transitions, markers included");
    let labels = app
        .eval("return [...document.querySelectorAll('.edge-label')].map(t => t.textContent)")
        .await;
    let labels: Vec<&str> =
        labels.as_array().expect("array").iter().filter_map(Value::as_str).collect();
    assert!(labels.contains(&"$.IsHelloWorldExample == true"), "choice rule labelled: {labels:?}");
    assert!(labels.contains(&"Default"), "default marked: {labels:?}");

    // The layout is Rust's: Pass above the Choice above the Wait, branches inside the Parallel.
    let before = app.eval(READ_POSITIONS).await;
    let (_, pass_y) = position(&before, "/States/Pass");
    let (_, choice_y) = position(&before, "/States/Hello World example?");
    let (_, wait_y) = position(&before, "/States/Wait 3 sec");
    assert!(pass_y < choice_y && choice_y < wait_y, "top to bottom: {before}");
    let shot = app.screenshot("example").await;
    eprintln!("screenshot: {}", shot.display());

    // Drag "Pass" by (120, 60) screen pixels, measuring from where the drag really starts.
    let pass = r#".react-flow__node[data-id="/States/Pass"]"#;
    let nudged = app.drag(pass, (120.0, 60.0), async |app| app.eval(READ_POSITIONS).await).await;
    let after = app.eval(READ_POSITIONS).await;

    let zoom = after["zoom"].as_f64().expect("zoom");
    let (x0, y0) = position(&nudged, "/States/Pass");
    let (x1, y1) = position(&after, "/States/Pass");
    let (dx, dy) = (x1 - x0, y1 - y0);
    assert!(
        (dx - 120.0 / zoom).abs() < 1.5 && (dy - 60.0 / zoom).abs() < 1.5,
        "Pass moved by ({dx}, {dy}) flow units at zoom {zoom}, expected ({}, {})",
        120.0 / zoom,
        60.0 / zoom
    );
    assert_eq!(
        position(&after, "/States/Yes"),
        position(&before, "/States/Yes"),
        "other nodes stay where they were"
    );
    app.screenshot("example-after-drag").await;
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_workflow_file_named_on_the_command_line_opens() {
    let dir = std::env::temp_dir().join(format!("stepwise-e2e-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("poller.asl.json");
    std::fs::write(
        &file,
        r#"{"StartAt":"Poll","States":{
            "Poll":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Next":"Ready?",
                    "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Give up"}]},
            "Ready?":{"Type":"Choice","Choices":[{"Variable":"$.ready","BooleanEquals":false,"Next":"Poll"}],"Default":"Done"},
            "Done":{"Type":"Succeed"},
            "Give up":{"Type":"Fail","Error":"PollFailed"}}}"#,
    )
    .expect("write workflow");

    let app = App::start(4454, &[file.display().to_string()]).await;
    let states = app.wait_for_all(".react-flow__node [data-state-name]", 4).await;
    assert_eq!(states.len(), 4);
    let title = app.client.find(Locator::Css("[data-testid=document-name]")).await.expect("title");
    assert_eq!(title.text().await.expect("text"), "poller.asl.json");
    let catch_edges = app.wait_for_all(".react-flow__edge.edge-catch", 1).await;
    assert_eq!(catch_edges.len(), 1, "the Catch is drawn as its own kind of edge");
    app.screenshot("poller").await;
    app.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test(flavor = "current_thread")]
async fn a_yaml_workflow_opens_with_its_graph_and_its_text_as_yaml() {
    let dir = std::env::temp_dir().join(format!("stepwise-e2e-yaml-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("greet.asl.yaml");
    std::fs::write(
        &file,
        "Comment: A YAML workflow\nStartAt: Greet\nStates:\n  Greet:\n    Type: Pass\n    Next: Done\n  Done:\n    Type: Succeed\n",
    )
    .expect("write workflow");
    let app = App::start(4624, &[file.display().to_string()]).await;
    let states = app.wait_for_all(".react-flow__node [data-state-name]", 2).await;
    assert_eq!(states.len(), 2);
    let text = app
        .eval("return document.querySelector('[data-testid=code-view] .cm-content').innerText")
        .await;
    assert!(text.as_str().unwrap_or_default().contains("StartAt: Greet"), "{text}");
    let errors = app.client.find(Locator::Css("[data-testid=error-count]")).await.expect("status");
    assert_eq!(errors.text().await.expect("text"), "0 errors");
    app.screenshot("yaml-workflow").await;
    app.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

/// The window follows the system's dark theme: with GTK asked for its dark variant, WebKit
/// reports `prefers-color-scheme: dark`, the app switches to its dark colours and the canvas and
/// the code view draw dark too.
#[tokio::test(flavor = "current_thread")]
async fn the_window_follows_the_systems_dark_theme() {
    let data = std::env::temp_dir().join(format!("stepwise-e2e-dark-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let env = [("GTK_THEME", std::path::Path::new("Adwaita:dark"))];
    let app = App::start_with_env(4634, &[], &data, &env).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    let theme = app
        .eval(
            r#"const style = getComputedStyle(document.querySelector('.app'));
               const canvas = document.querySelector('.react-flow');
               const gutters = document.querySelector('[data-testid=code-view] .cm-gutters');
               return {
                 dark: matchMedia('(prefers-color-scheme: dark)').matches,
                 app: document.querySelector('.app').className,
                 background: style.backgroundColor,
                 canvas: canvas.className,
                 gutters: getComputedStyle(gutters).backgroundColor,
                 text: getComputedStyle(document.querySelector('.cm-content')).color,
               };"#,
        )
        .await;
    assert_eq!(theme["dark"], true, "{theme}");
    assert!(theme["app"].as_str().is_some_and(|c| c.contains("theme-dark")), "{theme}");
    // --bg of the dark theme, #14161f.
    assert_eq!(theme["background"], "rgb(20, 22, 31)", "{theme}");
    assert!(theme["canvas"].as_str().is_some_and(|c| c.contains("dark")), "{theme}");
    // The code view's gutters take the dark --panel, #1b1e2a, and its text the light --text.
    assert_eq!(theme["gutters"], "rgb(27, 30, 42)", "{theme}");
    assert_eq!(theme["text"], "rgb(229, 231, 239)", "{theme}");
    app.screenshot("dark-theme").await;
    app.close().await;
}

/// Whether the named state's node is drawn inside the canvas pane, and how many nodes are drawn.
const IN_VIEW: &str = r#"
    const [name] = arguments;
    const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
    const node = document.querySelector(`[data-state-name="${CSS.escape(name)}"]`);
    const r = node ? node.getBoundingClientRect() : null;
    const inside = r !== null && r.left >= pane.left && r.right <= pane.right && r.top >= pane.top && r.bottom <= pane.bottom;
    return { inside, drawn: document.querySelectorAll('.react-flow__node').length };
"#;

/// The minimap: how many rectangles it draws, its view box, and the flow point at the centre
/// of the canvas.
const MINIMAP: &str = r#"
    const rects = Number(document.querySelector('.react-flow__minimap canvas').dataset.states);
    const box = document.querySelector('.react-flow__minimap svg').getAttribute('viewBox').split(' ').map(Number);
    const pane = document.querySelector('.react-flow__pane').getBoundingClientRect();
    const m = document.querySelector('.react-flow__viewport').style.transform
        .match(/translate\(([-\d.e+]+)px(?:, *([-\d.e+]+)px)?\) scale\(([-\d.e+]+)\)/);
    // WebKit leaves out a translation's y when it is 0.
    const [x, y, zoom] = [Number(m[1]), Number(m[2] ?? 0), Number(m[3])];
    // Flow units per minimap pixel: the view box without its 5 px margins.
    const scale = Math.max(box[2] / 210, box[3] / 160);
    return { rects, box, scale, centre: [(pane.width / 2 - x) / zoom, (pane.height / 2 - y) / zoom] };
"#;

/// Starts counting the nodes drawn, keeping the largest count in `mostNodesDrawn`.
const MOST_NODES_DRAWN: &str = r#"
    globalThis.mostNodesDrawn = 0;
    const count = () => {
        const drawn = document.querySelectorAll('.react-flow__node').length;
        globalThis.mostNodesDrawn = Math.max(globalThis.mostNodesDrawn, drawn);
    };
    new MutationObserver(count).observe(document.querySelector('.react-flow__nodes'), { childList: true });
    count();
"#;

/// Each drawn handle's box, in flow units from its node's corner, against where the canvas told
/// React Flow it is (handles.ts): a 6 px box centred on its side, inside a state's or a
/// container's 1 px border, on a marker's own box; loops leave at 65 % and enter at 35 % of the
/// right side. Returns the handles compared and those that differ by more than a quarter pixel.
const HANDLES_DRAWN: &str = r#"
    const v = document.querySelector('.react-flow__viewport').style.transform;
    const zoom = Number((v.match(/scale\(([-\d.]+)\)/) || [0, 1])[1]);
    let compared = 0;
    const wrong = [];
    for (const node of document.querySelectorAll('.react-flow__node')) {
        const box = node.getBoundingClientRect();
        const [w, h] = [box.width / zoom, box.height / zoom];
        const b = node.querySelector('.state, .container') ? 1 : 0;
        const expected = {
            top: [w / 2 - 3, b - 3],
            bottom: [w / 2 - 3, h - b - 3],
            'loop-out': [w - b - 3, b + 0.65 * (h - 2 * b) - 3],
            'loop-in': [w - b - 3, b + 0.35 * (h - 2 * b) - 3],
        };
        for (const handle of node.querySelectorAll('.react-flow__handle')) {
            const r = handle.getBoundingClientRect();
            const at = [(r.left - box.left) / zoom, (r.top - box.top) / zoom, r.width / zoom, r.height / zoom];
            const side = handle.dataset.handleid || handle.dataset.handlepos;
            const [x, y] = expected[side];
            compared++;
            if (Math.abs(at[0] - x) > 0.25 || Math.abs(at[1] - y) > 0.25 || Math.abs(at[2] - 6) > 0.25 || Math.abs(at[3] - 6) > 0.25) {
                wrong.push({ node: node.dataset.id, side, at, expected: [x, y, 6, 6] });
            }
        }
    }
    return { compared, wrong };
"#;

#[tokio::test(flavor = "current_thread")]
async fn handles_given_to_react_flow_match_the_drawn_ones() {
    let app = App::start(4874, &[]).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    let handles = app.eval(HANDLES_DRAWN).await;
    // 9 states and a container with four handles each, and the start and end markers.
    assert!(handles["compared"].as_u64().expect("count") >= 38, "{handles}");
    assert_eq!(handles["wrong"], serde_json::json!([]), "{handles}");
    app.close().await;
}

#[tokio::test(flavor = "current_thread")]
async fn a_large_machine_opened_second_shows_its_start_in_its_own_view() {
    let dir = std::env::temp_dir().join(format!("stepwise-e2e-large-{}", std::process::id()));
    let (dialogs, data) = (dir.join("dialogs"), dir.join("data"));
    for folder in [&dialogs, &data] {
        std::fs::create_dir_all(folder).expect("temp dir");
    }
    let file = dir.join("large.asl.json");
    let machine = stepwise_bench::workloads::state_machine(400);
    std::fs::write(&file, serde_json::to_string_pretty(&machine).expect("json")).expect("write");
    std::fs::write(dialogs.join("open"), file.display().to_string()).expect("dialog answer");

    let env = [("STEPWISE_DIALOG_DIR", dialogs.as_path())];
    let app = App::start_with_env(4864, &[], &data, &env).await;
    app.wait_for_all(".react-flow__node [data-state-name]", 9).await;
    // The most nodes drawn at once while the machine opens.
    app.eval(MOST_NODES_DRAWN).await;
    stepwise_e2e::click(&app, "button[title^='Open']").await;
    stepwise_e2e::wait_for_text(&app, "[data-testid=status-bar]", "400 states").await;

    // The new document is not seen through the example's viewport: its start state is on
    // screen, readable, and only what is in view is drawn (decision 0012).
    let start = machine["StartAt"].as_str().expect("StartAt");
    let view = stepwise_e2e::until(
        "the start state in view",
        async || app.client.execute(IN_VIEW, vec![serde_json::json!(start)]).await.expect("script"),
        |view| view["inside"] == true,
    )
    .await;
    let drawn = view["drawn"].as_u64().expect("count");
    assert!(drawn > 0 && drawn < 400, "only the nodes in view are drawn: {drawn}");
    // Not even for a moment: React Flow draws every node whose handles it has not measured, and
    // the canvas gives it each node's handles (handles.ts).
    let most = app.eval("return globalThis.mostNodesDrawn").await;
    assert!(most.as_u64().expect("count") < 200, "at most {most} nodes drawn while opening");
    app.screenshot("large-machine-opened").await;

    // The minimap draws every state, not only those in view, and a click in it brings the spot
    // clicked to the centre of the canvas.
    let before = app.eval(MINIMAP).await;
    assert!(
        before["rects"].as_u64().expect("rects") >= 400,
        "every state in the minimap: {before}"
    );
    let (box_x, box_y) = (&before["box"][0], &before["box"][1]);
    let (box_w, box_h) =
        (before["box"][2].as_f64().expect("w"), before["box"][3].as_f64().expect("h"));
    // 30 px right of and 50 px below the minimap's centre (WebDriver offsets are from it).
    let (dx, dy) = (30.0, 50.0);
    let target = (
        box_x.as_f64().expect("x") + (0.5 + dx / 200.0) * box_w,
        box_y.as_f64().expect("y") + (0.5 + dy / 150.0) * box_h,
    );
    {
        use fantoccini::actions::{InputSource, MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let minimap =
            app.client.find(Locator::Css(".react-flow__minimap svg")).await.expect("minimap");
        let click = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: minimap, duration: None, x: dx, y: dy })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        app.client.perform_actions(click).await.expect("click the minimap");
        app.client.release_actions().await.expect("release");
    }
    let after = stepwise_e2e::until(
        "the view to move to the spot clicked",
        async || app.eval(MINIMAP).await,
        |now| now["centre"] != before["centre"],
    )
    .await;
    let centre = (after["centre"][0].as_f64().expect("x"), after["centre"][1].as_f64().expect("y"));
    assert!(
        (centre.0 - target.0).abs() < box_w / 100.0 && (centre.1 - target.1).abs() < box_h / 100.0,
        "the canvas is centred on {target:?}, the spot clicked: {after}"
    );

    // Dragging in the minimap moves the frame, and the canvas with it, by as much. (Towards the
    // middle: a frame dragged past the states widens the minimap's box, and with it the scale.)
    let scale = after["scale"].as_f64().expect("flow units per minimap pixel");
    app.drag(".react-flow__minimap svg", (-40.0, 0.0), async |_| ()).await;
    let dragged = app.eval(MINIMAP).await;
    let moved = dragged["centre"][0].as_f64().expect("x") - centre.0;
    // The drag nudges 5 px right before it moves 40 px left.
    let expected = -35.0 * scale;
    assert!(
        (moved - expected).abs() < expected.abs() * 0.2,
        "a 35 px drag in the minimap moves the canvas by {moved} flow units, expected about {expected}"
    );
    app.close().await;
    std::fs::remove_dir_all(&dir).ok();
}
