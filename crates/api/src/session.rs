use std::path::{Path, PathBuf};

use stepwise_graph::{EdgeKind, NodeKind, StateGraph};

use crate::wire::{
    ApiError, DiagnosticView, DocumentSnapshot, EdgeView, EdgeViewKind, ErrorCode, GraphView,
    LaunchDocument, NodeView, NodeViewKind, OpenDocument, PositionView, RangeView, SeverityView,
};

/// The example shown when the app is started without a file.
const EXAMPLE_NAME: &str = "hello-world.asl.json";
const EXAMPLE_TEXT: &str = include_str!("../../../assets/examples/hello-world.asl.json");

/// The documents open in one app window, and the answers to every command.
#[derive(Debug)]
pub struct Session {
    launch: Option<PathBuf>,
    documents: Vec<Document>,
}

#[derive(Debug)]
struct Document {
    path: Option<PathBuf>,
    name: String,
    text: String,
    /// The last graph derived from text that parsed, kept while the text is broken.
    graph: GraphView,
}

impl Session {
    /// A session whose launch document is `launch`, or the bundled example when `None`.
    pub fn new(launch: Option<PathBuf>) -> Session {
        Session { launch, documents: Vec::new() }
    }

    /// Opens the file the app was started with, or the bundled example.
    pub fn launch_document(&mut self, _: LaunchDocument) -> Result<DocumentSnapshot, ApiError> {
        match self.launch.clone() {
            Some(path) => self.open_path(&path),
            None => Ok(self.add(None, EXAMPLE_NAME.to_owned(), EXAMPLE_TEXT.to_owned())),
        }
    }

    /// Opens a workflow file.
    pub fn open_document(&mut self, request: OpenDocument) -> Result<DocumentSnapshot, ApiError> {
        self.open_path(Path::new(&request.path))
    }

    fn open_path(&mut self, path: &Path) -> Result<DocumentSnapshot, ApiError> {
        let text = std::fs::read_to_string(path).map_err(|err| ApiError {
            code: ErrorCode::Io,
            message: format!("cannot read {}: {err}", path.display()),
        })?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        Ok(self.add(Some(path.to_owned()), name, text))
    }

    fn add(&mut self, path: Option<PathBuf>, name: String, text: String) -> DocumentSnapshot {
        let document_id = self.documents.len() as u32;
        self.documents.push(Document { path, name, text, graph: GraphView::default() });
        self.snapshot(document_id)
    }

    /// Derives diagnostics and graph from the document's text.
    fn snapshot(&mut self, document_id: u32) -> DocumentSnapshot {
        let document = &mut self.documents[document_id as usize];
        let parsed = stepwise_asl::parse(&document.text);
        if let Some(definition) = &parsed.definition {
            document.graph = graph_view(&StateGraph::project(definition));
        }
        DocumentSnapshot {
            document_id,
            path: document.path.as_ref().map(|p| p.display().to_string()),
            name: document.name.clone(),
            text: document.text.clone(),
            diagnostics: parsed.diagnostics.iter().map(diagnostic_view).collect(),
            graph: document.graph.clone(),
        }
    }
}

fn diagnostic_view(diagnostic: &stepwise_asl::Diagnostic) -> DiagnosticView {
    let position = |p: stepwise_asl::Position| PositionView { line: p.line, column: p.column };
    DiagnosticView {
        severity: match diagnostic.severity {
            stepwise_asl::Severity::Error => SeverityView::Error,
            stepwise_asl::Severity::Warning => SeverityView::Warning,
        },
        code: diagnostic.code.clone(),
        message: diagnostic.message.clone(),
        path: diagnostic.path.clone(),
        range: RangeView {
            start: position(diagnostic.range.start),
            end: position(diagnostic.range.end),
        },
    }
}

/// The graph with its layout, containers before their contents (React Flow needs parents first).
fn graph_view(graph: &StateGraph) -> GraphView {
    let layout = stepwise_layout::layout(graph);
    let mut nodes = Vec::new();
    for (scope_index, scope) in graph.scopes.iter().enumerate() {
        let parent = scope.container.map(|c| graph.graph[c].id.clone());
        let branch = scope
            .container
            .and_then(|c| graph.scopes_of(c).position(|s| s == scope_index))
            .map(|b| b as u32);
        for node in graph.nodes_in(scope_index) {
            let data = &graph.graph[node];
            let Some(placed) = layout.nodes.get(&data.id) else { continue };
            nodes.push(NodeView {
                id: data.id.clone(),
                name: data.name.clone(),
                kind: match data.kind {
                    NodeKind::Start => NodeViewKind::Start,
                    NodeKind::End => NodeViewKind::End,
                    NodeKind::State(_) => NodeViewKind::State,
                },
                state_type: match data.kind {
                    NodeKind::State(state_type) => Some(state_type.as_str().to_owned()),
                    _ => None,
                },
                parent: parent.clone(),
                branch,
                x: placed.x,
                y: placed.y,
                width: placed.width,
                height: placed.height,
            });
        }
    }
    let mut edges = Vec::new();
    for edge in graph.graph.edge_indices() {
        let Some((source, target)) = graph.graph.edge_endpoints(edge) else { continue };
        let weight = &graph.graph[edge];
        let (kind, suffix) = match weight.kind {
            EdgeKind::Start => (EdgeViewKind::Start, "start".to_owned()),
            EdgeKind::Next => (EdgeViewKind::Next, "next".to_owned()),
            EdgeKind::Choice(i) => (EdgeViewKind::Choice, format!("choice/{i}")),
            EdgeKind::Default => (EdgeViewKind::Default, "default".to_owned()),
            EdgeKind::Catch(i) => (EdgeViewKind::Catch, format!("catch/{i}")),
            EdgeKind::End => (EdgeViewKind::End, "end".to_owned()),
        };
        let source = graph.graph[source].id.clone();
        let target = graph.graph[target].id.clone();
        let back = layout.back_edges.contains(&(source.clone(), target.clone()));
        edges.push(EdgeView {
            id: format!("{source}->{suffix}"),
            source,
            target,
            kind,
            label: weight.label.clone(),
            back,
        });
    }
    GraphView { nodes, edges }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn launching_without_a_file_opens_the_example_with_every_state_placed() {
        let mut session = Session::new(None);
        let snapshot = session.launch_document(LaunchDocument {}).expect("the example opens");
        assert_eq!(snapshot.name, "hello-world.asl.json");
        assert!(snapshot.diagnostics.is_empty(), "{:?}", snapshot.diagnostics);
        let names: Vec<&str> = snapshot
            .graph
            .nodes
            .iter()
            .filter(|n| n.kind == NodeViewKind::State)
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "Pass",
                "Hello World example?",
                "Yes",
                "No",
                "Wait 3 sec",
                "Parallel State",
                "Hello World",
                "Hello",
                "World"
            ]
        );
        let hello = snapshot.graph.nodes.iter().find(|n| n.name == "Hello").expect("Hello");
        assert_eq!(hello.parent.as_deref(), Some("/States/Parallel State"));
        assert_eq!(hello.branch, Some(0));
        let choice_edges = snapshot.graph.edges.iter().filter(|e| e.kind == EdgeViewKind::Choice);
        assert_eq!(choice_edges.count(), 2);
    }

    #[test]
    fn opening_a_missing_file_is_an_io_error_naming_the_file() {
        let mut session = Session::new(None);
        let err = session
            .open_document(OpenDocument { path: "/no/such/flow.asl.json".into() })
            .expect_err("a missing file cannot open");
        assert_eq!(err.code, ErrorCode::Io);
        assert!(err.message.contains("/no/such/flow.asl.json"), "{}", err.message);
    }

    #[test]
    fn broken_text_keeps_the_last_graph_and_locates_the_problem() {
        let dir = std::env::temp_dir().join(format!("stepwise-api-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("broken.asl.json");
        std::fs::write(&path, "{\"StartAt\": \"A\",\n \"States\": {\"A\": }}").expect("write");
        let mut session = Session::new(Some(path.clone()));
        let snapshot = session.launch_document(LaunchDocument {}).expect("opens");
        assert!(snapshot.graph.nodes.is_empty(), "nothing parsed yet, so no graph");
        assert_eq!(snapshot.diagnostics[0].severity, SeverityView::Error);
        assert_eq!(snapshot.diagnostics[0].range.start.line, 1);
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[cfg(test)]
mod fixtures {
    use super::*;

    /// The UI's tests render this snapshot (ui/src/App.test.tsx): a change to the wire types or
    /// to the layout that the UI has not caught up with fails on one side of the bridge.
    #[test]
    fn ui_fixture_of_the_example_is_current() {
        let mut session = Session::new(None);
        let snapshot = session.launch_document(LaunchDocument {}).expect("example opens");
        let rendered = serde_json::to_string_pretty(&snapshot).expect("serializes") + "\n";
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/ui-fixtures/hello-world.snapshot.json");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, &rendered).expect("write fixture");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == rendered, "{} is stale: run `cargo xtask codegen`", path.display());
    }
}
