use std::path::{Path, PathBuf};

use stepwise_asl::{Edit, EditError, Format, Options, StateType, Transition};
use stepwise_graph::{EdgeKind, NodeKind, StateGraph};

use crate::wire::{
    ApiError, ApplyEdit, ApplyText, DiagnosticView, DocumentRef, DocumentSnapshot, EdgeView,
    EdgeViewKind, EditRequest, ErrorCode, GraphView, LaunchDocument, NodeView, NodeViewKind,
    OpenDocument, PositionView, RangeView, SeverityView, TransitionRef,
};

/// The example shown when the app is started without a file.
const EXAMPLE_NAME: &str = "hello-world.asl.json";
const EXAMPLE_TEXT: &str = include_str!("../../../assets/examples/hello-world.asl.json");

/// The documents open in one app window, and the answers to every command.
#[derive(Debug)]
pub struct Session {
    launch: Option<PathBuf>,
    documents: Vec<OpenFile>,
}

/// An open document: the ASL document with its undo history, and what the UI last got.
#[derive(Debug)]
struct OpenFile {
    path: Option<PathBuf>,
    name: String,
    document: stepwise_asl::Document,
    /// The last graph derived from a text that parsed; kept while the text is broken.
    graph: GraphView,
    revision: u32,
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

    /// Replaces a document's text (the code view). Text that does not parse is kept as it is,
    /// with its diagnostics; the graph stays as it was until the text parses again.
    pub fn apply_text(&mut self, request: ApplyText) -> Result<DocumentSnapshot, ApiError> {
        let file = self.file(request.document_id)?;
        if file.document.text() == request.text {
            return Ok(self.snapshot(request.document_id, None));
        }
        self.change(request.document_id, |document| {
            document.apply(Edit::ReplaceText { text: request.text })
        })
    }

    /// Applies a semantic edit (the canvas, the inspector).
    pub fn apply_edit(&mut self, request: ApplyEdit) -> Result<DocumentSnapshot, ApiError> {
        let edit = to_edit(request.edit)?;
        self.change(request.document_id, |document| document.apply(edit))
    }

    /// Undoes the last change, whichever view made it.
    pub fn undo(&mut self, request: DocumentRef) -> Result<DocumentSnapshot, ApiError> {
        self.change(request.document_id, stepwise_asl::Document::undo)
    }

    /// Redoes the last undone change.
    pub fn redo(&mut self, request: DocumentRef) -> Result<DocumentSnapshot, ApiError> {
        self.change(request.document_id, stepwise_asl::Document::redo)
    }

    fn change(
        &mut self,
        document_id: u32,
        apply: impl FnOnce(&mut stepwise_asl::Document) -> Result<stepwise_asl::Snapshot, EditError>,
    ) -> Result<DocumentSnapshot, ApiError> {
        let file = self.file_mut(document_id)?;
        let applied = apply(&mut file.document)
            .map_err(|err| ApiError { code: ErrorCode::EditRejected, message: err.to_string() })?;
        file.revision += 1;
        Ok(self.snapshot(document_id, applied.focus))
    }

    fn file(&self, document_id: u32) -> Result<&OpenFile, ApiError> {
        self.documents.get(document_id as usize).ok_or_else(|| unknown(document_id))
    }

    fn file_mut(&mut self, document_id: u32) -> Result<&mut OpenFile, ApiError> {
        self.documents.get_mut(document_id as usize).ok_or_else(|| unknown(document_id))
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
        let format = Format::from_path(&name);
        let document = stepwise_asl::Document::new(text, format, Options::default());
        self.documents.push(OpenFile {
            path,
            name,
            document,
            graph: GraphView::default(),
            revision: 0,
        });
        self.snapshot(document_id, None)
    }

    /// Derives the graph (when the text parses) and builds the snapshot.
    fn snapshot(&mut self, document_id: u32, focus: Option<String>) -> DocumentSnapshot {
        let file = &mut self.documents[document_id as usize];
        if let Some(definition) = &file.document.parsed().definition {
            file.graph = graph_view(&StateGraph::project(definition));
        }
        let document = &file.document;
        DocumentSnapshot {
            document_id,
            path: file.path.as_ref().map(|p| p.display().to_string()),
            name: file.name.clone(),
            text: document.text().to_owned(),
            diagnostics: document.diagnostics().iter().map(diagnostic_view).collect(),
            graph: file.graph.clone(),
            revision: file.revision,
            can_undo: document.can_undo(),
            can_redo: document.can_redo(),
            focus,
            format: match Format::from_path(&file.name) {
                Format::Json => "json".to_owned(),
                Format::Yaml => "yaml".to_owned(),
            },
        }
    }
}

fn unknown(document_id: u32) -> ApiError {
    ApiError {
        code: ErrorCode::UnknownDocument,
        message: format!("no open document {document_id}"),
    }
}

fn state_type(name: &str) -> Result<StateType, ApiError> {
    StateType::parse(name).ok_or_else(|| ApiError {
        code: ErrorCode::EditRejected,
        message: format!("\"{name}\" is not a state type"),
    })
}

fn transition(reference: TransitionRef) -> Transition {
    match reference {
        TransitionRef::Next => Transition::Next,
        TransitionRef::Default => Transition::Default,
        TransitionRef::Choice { index } => Transition::Choice(index as usize),
        TransitionRef::Catch { index } => Transition::Catch(index as usize),
    }
}

/// The wire form of an edit to the document's own.
fn to_edit(request: EditRequest) -> Result<Edit, ApiError> {
    Ok(match request {
        EditRequest::AddState { machine, state_type: t, name } => {
            Edit::AddState { machine, state_type: state_type(&t)?, name }
        }
        EditRequest::InsertState { from, transition: via, state_type: t, name } => {
            Edit::InsertState {
                from,
                transition: transition(via),
                state_type: state_type(&t)?,
                name,
            }
        }
        EditRequest::RemoveState { state } => Edit::RemoveState { state },
        EditRequest::RenameState { state, to } => Edit::RenameState { state, to },
        EditRequest::Connect { from, transition: via, to } => {
            Edit::Connect { from, transition: transition(via), to }
        }
        EditRequest::Disconnect { from, transition: via } => {
            Edit::Disconnect { from, transition: transition(via) }
        }
        EditRequest::SetStartAt { machine, name } => Edit::SetStartAt { machine, name },
        EditRequest::SetField { pointer, value } => Edit::SetField { pointer, value },
        EditRequest::MoveState { state, machine } => Edit::MoveState { state, machine },
        EditRequest::ChangeType { state, state_type: t } => {
            Edit::ChangeType { state, state_type: state_type(&t)? }
        }
        EditRequest::DuplicateState { state } => Edit::DuplicateState { state },
    })
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
        let (kind, suffix, index) = match weight.kind {
            EdgeKind::Start => (EdgeViewKind::Start, "start".to_owned(), None),
            EdgeKind::Next => (EdgeViewKind::Next, "next".to_owned(), None),
            EdgeKind::Choice(i) => (EdgeViewKind::Choice, format!("choice/{i}"), Some(i as u32)),
            EdgeKind::Default => (EdgeViewKind::Default, "default".to_owned(), None),
            EdgeKind::Catch(i) => (EdgeViewKind::Catch, format!("catch/{i}"), Some(i as u32)),
            EdgeKind::End => (EdgeViewKind::End, "end".to_owned(), None),
        };
        let source = graph.graph[source].id.clone();
        let target = graph.graph[target].id.clone();
        let back = layout.back_edges.contains(&(source.clone(), target.clone()));
        edges.push(EdgeView {
            id: format!("{source}->{suffix}"),
            source,
            target,
            kind,
            index,
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

    fn example() -> (Session, DocumentSnapshot) {
        let mut session = Session::new(None);
        let snapshot = session.launch_document(LaunchDocument {}).expect("the example opens");
        (session, snapshot)
    }

    fn state_names(snapshot: &DocumentSnapshot) -> Vec<String> {
        let states = snapshot.graph.nodes.iter().filter(|n| n.kind == NodeViewKind::State);
        states.map(|n| n.name.clone()).collect()
    }

    #[test]
    fn a_rename_from_the_canvas_rewrites_every_reference_and_undoes_byte_for_byte() {
        let (mut session, before) = example();
        let edit = EditRequest::RenameState { state: "/States/Yes".into(), to: "Greet".into() };
        let after = session.apply_edit(ApplyEdit { document_id: 0, edit }).expect("renames");
        assert!(after.text.contains("\"Greet\": {"), "the state is renamed");
        assert_eq!(after.text.matches("\"Next\": \"Greet\"").count(), 1, "the rule follows it");
        assert!(after.text.contains("\"Default\": \"Greet\""), "so does the Default");
        assert!(state_names(&after).contains(&"Greet".to_owned()));
        assert_eq!((after.revision, after.can_undo, after.can_redo), (1, true, false));

        let undone = session.undo(DocumentRef { document_id: 0 }).expect("undoes");
        assert_eq!(undone.text, before.text, "undo restores the text byte for byte");
        assert!(undone.can_redo);
        let redone = session.redo(DocumentRef { document_id: 0 }).expect("redoes");
        assert_eq!(redone.text, after.text);
    }

    #[test]
    fn text_from_the_code_view_and_edits_from_the_canvas_share_one_history() {
        let (mut session, before) = example();
        let typed = before.text.replace("\"Wait 3 sec\"", "\"Pause\"");
        let after_typing =
            session.apply_text(ApplyText { document_id: 0, text: typed.clone() }).expect("text");
        assert!(state_names(&after_typing).contains(&"Pause".to_owned()), "the canvas follows");
        let added = EditRequest::AddState {
            machine: String::new(),
            state_type: "Pass".into(),
            name: Some("Extra".into()),
        };
        let after_edit =
            session.apply_edit(ApplyEdit { document_id: 0, edit: added }).expect("adds");
        assert_eq!(after_edit.focus.as_deref(), Some("/States/Extra"));
        let first_undo = session.undo(DocumentRef { document_id: 0 }).expect("undo the edit");
        assert_eq!(first_undo.text, typed, "first the canvas edit");
        let second_undo = session.undo(DocumentRef { document_id: 0 }).expect("undo the typing");
        assert_eq!(second_undo.text, before.text, "then the typing");
        let err = session.undo(DocumentRef { document_id: 0 }).expect_err("nothing left");
        assert_eq!(err.code, ErrorCode::EditRejected);
    }

    #[test]
    fn broken_text_from_the_code_view_keeps_the_graph_and_edits_wait_for_a_fix() {
        let (mut session, before) = example();
        let broken = before.text.replacen("\"Type\": \"Pass\",", "\"Type\": \"Pass\",,", 1);
        let snapshot =
            session.apply_text(ApplyText { document_id: 0, text: broken.clone() }).expect("kept");
        assert_eq!(snapshot.text, broken, "the user's text is kept as typed");
        assert_eq!(snapshot.graph, before.graph, "the graph keeps its last valid shape");
        let error = snapshot.diagnostics.iter().find(|d| d.severity == SeverityView::Error);
        let error = error.expect("the break is reported");
        assert_eq!(
            error.range.start.line, 6,
            "zero-based: the 7th line has the extra comma: {error:?}"
        );
        let edit = EditRequest::RemoveState { state: "/States/Yes".into() };
        let refused = session.apply_edit(ApplyEdit { document_id: 0, edit }).expect_err("refused");
        assert_eq!(refused.code, ErrorCode::EditRejected);
        assert_eq!(session.file(0).expect("open").document.text(), broken, "nothing changed");
    }

    #[test]
    fn an_unknown_document_or_state_type_is_a_clear_error() {
        let (mut session, _) = example();
        let err = session.undo(DocumentRef { document_id: 7 }).expect_err("no such document");
        assert_eq!(err.code, ErrorCode::UnknownDocument);
        let edit = EditRequest::AddState {
            machine: String::new(),
            state_type: "Lambda".into(),
            name: None,
        };
        let err = session.apply_edit(ApplyEdit { document_id: 0, edit }).expect_err("bad type");
        assert!(err.message.contains("Lambda"), "{}", err.message);
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
