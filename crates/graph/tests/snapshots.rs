//! The graph of every machine of tests/corpus, rendered with `render_text`, against
//! tests/graph/<name>.graph.txt. `UPDATE_EXPECT=1 cargo test -p stepwise-graph` rewrites them.

use std::path::Path;

use stepwise_asl::{Format, parse_syntax};
use stepwise_graph::{StateGraph, render_text};

#[test]
fn corpus_graphs_match_their_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut files: Vec<_> = std::fs::read_dir(root.join("corpus"))
        .expect("tests/corpus")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".asl."))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut stale = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("readable");
        let name = file.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        let parsed = parse_syntax(&text, Format::from_path(&name));
        let definition = parsed.definition.expect("the corpus parses");
        let graph = StateGraph::project(&definition);
        let mut rendered = render_text(&graph);
        let cycles: Vec<Vec<String>> = graph
            .cycles()
            .iter()
            .map(|c| c.iter().map(|&n| graph.graph[n].name.clone()).collect())
            .collect();
        rendered += &format!("cycles {cycles:?}\n");
        let stem = name.split(".asl.").next().unwrap_or(&name);
        let snapshot = root.join("graph").join(format!("{stem}.graph.txt"));
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&snapshot, &rendered).expect("writes the snapshot");
        }
        if std::fs::read_to_string(&snapshot).unwrap_or_default() != rendered {
            stale.push(format!("{}:\n{rendered}", snapshot.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "stale graph snapshots (UPDATE_EXPECT=1 cargo test -p stepwise-graph):\n{}",
        stale.join("\n")
    );
}
