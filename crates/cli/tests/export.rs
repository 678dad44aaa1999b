//! `stepwise export` draws the graph the app draws, as SVG or PNG.

use std::process::Command;

#[test]
fn export_writes_svg_and_png_and_refuses_other_formats() {
    let dir = std::env::temp_dir().join(format!("stepwise-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let definition =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../assets/examples/hello-world.asl.json");
    let run = |out: &str| {
        Command::new(env!("CARGO_BIN_EXE_stepwise"))
            .args(["export", definition, "-o", &dir.join(out).display().to_string()])
            .output()
            .expect("runs")
    };
    assert!(run("flow.svg").status.success());
    let svg = std::fs::read_to_string(dir.join("flow.svg")).expect("svg written");
    assert!(svg.starts_with("<svg") && svg.contains(">Wait 3 sec<"));
    assert!(run("flow.png").status.success());
    assert_eq!(&std::fs::read(dir.join("flow.png")).expect("png written")[..4], b"\x89PNG");
    let refused = run("flow.gif");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains(".svg or .png"));
    std::fs::remove_dir_all(&dir).ok();
}
