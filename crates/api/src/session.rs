use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use stepwise_asl::{Edit, EditError, Format, Options, Severity, StateType, Transition};
use stepwise_graph::{EdgeKind, NodeKind, StateGraph};
use stepwise_layout::NodeBox;

use crate::files::{self, Pinned};
use crate::wire::{
    AnswerTask, ControlRun, DebugAction, PollRun, RedriveRun, RunProgress, StartRun,
};
use crate::wire::{
    ApiError, ApplyEdit, ApplyText, ConvertToJsonata, DeleteInput, DiagnosticView, DocumentHead,
    DocumentRef, DocumentSnapshot, EdgeView, EdgeViewKind, EditRequest, ErrorCode,
    ExecutionSummary, ExecutionView, ExportExecution, ExportImage, ExportedImage, FieldsOfType,
    GraphView, ImportExecution, ImportedExecution, InsertPaletteItem, InspectState, LaunchDocument,
    ListPalette, ListTemplates, NamedInputView, NewFromTemplate, NodeView, NodeViewKind,
    OpenDocument, OpenExecution, PaletteItem, PositionView, RangeView, RecentFilesRequest,
    RunExecution, RunSetup, RunSetupRequest, SaveDocumentAs, SaveInput, SetNodePosition,
    SeverityView, StateInspection, StateRange, TemplateInfo, TestState, TestStateResult,
    TransitionRef, Vocabulary, VocabularyRequest,
};

/// The example shown when the app is started without a file.
const EXAMPLE_NAME: &str = "hello-world.asl.json";
const EXAMPLE_TEXT: &str = include_str!("../../../assets/examples/hello-world.asl.json");

/// The documents open in one app window, and the answers to every command.
#[derive(Debug)]
pub struct Session {
    launch: Option<PathBuf>,
    documents: Vec<OpenFile>,
    /// The execution history, when the app keeps one.
    store: Option<stepwise_store::Store>,
    /// Files recently opened or saved, newest first, and where the list is kept.
    recent: Vec<String>,
    recent_file: Option<PathBuf>,
    /// Live runs (and the last ended one of each document), by run id.
    runs: BTreeMap<u32, crate::live::LiveRun>,
    next_run_id: u32,
    /// What the UI holds of each document, for sending changes only.
    sent: crate::outgoing::SentSnapshots,
}

/// How many recent files are remembered.
const RECENT_FILES: usize = 10;

/// An open document: the ASL document with its undo history, and what the UI last got.
#[derive(Debug)]
struct OpenFile {
    path: Option<PathBuf>,
    name: String,
    document: stepwise_asl::Document,
    /// The last graph derived from a text that parsed; kept while the text is broken.
    graph: GraphView,
    revision: u32,
    /// The text as last saved or opened, to tell whether there are unsaved edits.
    saved_text: String,
    /// Positions the user dragged nodes to, by node id; kept in the sidecar file.
    positions: BTreeMap<String, Pinned>,
    saved_positions: BTreeMap<String, Pinned>,
    /// The template a new document was made from, for its sample input and mocks.
    template: Option<String>,
    /// The revision `graph` was derived at: a snapshot of an unchanged text (a dragged node, a
    /// save, an export) reuses the graph instead of projecting and laying it out again.
    graph_revision: Option<u32>,
    /// Where every node was last drawn (pins applied), by id, relative to its container; also
    /// nodes an edit removed, so an undo puts them back where they were. An edit keeps every
    /// node there and places only the new ones (`stepwise_layout::layout_keeping`).
    drawn: BTreeMap<String, NodeBox>,
    /// The last fresh layout: an edit that changed no transition reuses it.
    layouts: stepwise_layout::LayoutMemo,
    /// The next graph is laid out from scratch (a new document, "Auto-layout").
    full_layout: bool,
}

impl Session {
    /// A session whose launch document is `launch`, or the bundled example when `None`.
    pub fn new(launch: Option<PathBuf>) -> Session {
        Session {
            launch,
            documents: Vec::new(),
            runs: BTreeMap::new(),
            next_run_id: 1,
            store: None,
            recent: Vec::new(),
            recent_file: None,
            sent: crate::outgoing::SentSnapshots::default(),
        }
    }

    /// An answer in the form it crosses IPC (see [`crate::outgoing`]).
    pub fn outgoing<R: crate::outgoing::Outgoing>(&mut self, answer: R) -> R::Wire {
        answer.outgoing(&mut self.sent)
    }

    /// Remembers recent files in `path` (a JSON list), reading what it already holds.
    pub fn keep_recent_files(&mut self, path: &Path) {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        self.recent = serde_json::from_str(&text).unwrap_or_default();
        self.recent_file = Some(path.to_owned());
    }

    /// The files recently opened or saved that still exist, newest first.
    pub fn recent_files(&mut self, _: RecentFilesRequest) -> Result<Vec<String>, ApiError> {
        Ok(self.recent.iter().filter(|p| Path::new(p).is_file()).cloned().collect())
    }

    fn remember(&mut self, path: &Path) {
        let path = path.display().to_string();
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(RECENT_FILES);
        if let (Some(file), Ok(text)) =
            (&self.recent_file, serde_json::to_string_pretty(&self.recent))
        {
            // Losing the recent list is harmless; it never stops an open or a save.
            let _ = files::write_atomically(file, text.as_bytes());
        }
    }

    /// Keeps the execution history in the SQLite database at `path` (created when missing).
    pub fn open_history(&mut self, path: &Path) -> Result<(), ApiError> {
        let store = stepwise_store::Store::open(path)
            .map_err(|err| io(format!("{}: {err}", path.display())))?;
        self.store = Some(store);
        Ok(())
    }

    /// Keeps the execution history in `store` from now on.
    pub fn set_store(&mut self, store: stepwise_store::Store) {
        self.store = Some(store);
    }

    /// Opens the file the app was started with, or the bundled example.
    pub fn launch_document(&mut self, _: LaunchDocument) -> Result<DocumentSnapshot, ApiError> {
        match self.launch.clone() {
            Some(path) => self.open_path(&path),
            None => {
                let snapshot = self.add(
                    None,
                    EXAMPLE_NAME.to_owned(),
                    EXAMPLE_TEXT.to_owned(),
                    BTreeMap::new(),
                );
                // The bundled example runs with the Hello World template's sample input.
                self.documents[snapshot.head.document_id as usize].template =
                    Some("hello-world".to_owned());
                Ok(snapshot)
            }
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

    /// Rewrites one JSONPath state as the equivalent JSONata state, as one undoable change; the
    /// refusal (a field with no faithful equivalent) is an `EditRejected` error naming it.
    pub fn convert_to_jsonata(
        &mut self,
        request: ConvertToJsonata,
    ) -> Result<DocumentSnapshot, ApiError> {
        let edit = Edit::ConvertToJsonata { state: request.state };
        self.change(request.document_id, |document| document.apply(edit))
    }

    /// The workflow variables the document's `Assign` fields set (of the last text that
    /// parsed), sorted: for completion in the code view.
    pub fn variable_names(&mut self, request: DocumentRef) -> Result<Vec<String>, ApiError> {
        let file = self.file(request.document_id)?;
        Ok(file.document.definition().map(|d| d.assigned_variables()).unwrap_or_default())
    }

    /// What the inspector needs to edit one state (of the last text that parsed): its value, its
    /// type and query language, the fields allowed for both, the names its transitions may
    /// target, and the diagnostics inside it. `None` when there is no such state (a stale
    /// selection, a state whose `Type` is unknown).
    pub fn inspect_state(
        &mut self,
        request: InspectState,
    ) -> Result<Option<StateInspection>, ApiError> {
        let file = self.file(request.document_id)?;
        let parsed = file.document.parsed();
        let Some(definition) = &parsed.definition else { return Ok(None) };
        let pointer = request.state;
        let Some((machine, state, value)) = state_at(parsed, definition, &pointer) else {
            return Ok(None);
        };
        let language = state.effective_query_language;
        let inside = format!("{pointer}/");
        // A diagnostic of a state nested in this one (a Parallel branch, a Map processor) is
        // that state's, not this one's.
        let diagnostics = file
            .document
            .diagnostics()
            .iter()
            .filter(|d| {
                d.path == pointer
                    || d.path.strip_prefix(&inside).is_some_and(|rest| !rest.contains("/States/"))
            })
            .map(diagnostic_view)
            .collect();
        let mut targets: Vec<String> = machine.states.keys().cloned().collect();
        targets.extend(machine.invalid_states.iter().cloned());
        Ok(Some(StateInspection {
            pointer: pointer.clone(),
            name: state.name.clone(),
            state_type: state.state_type.as_str().to_owned(),
            query_language: language.as_str().to_owned(),
            query_language_inherited: state.query_language.is_none(),
            value: value.clone(),
            fields: stepwise_asl::fields_allowed(state.state_type, language)
                .into_iter()
                .map(String::from)
                .collect(),
            catcher_fields: stepwise_asl::catcher_fields_allowed(language)
                .into_iter()
                .map(String::from)
                .collect(),
            targets,
            diagnostics,
            editable: !parsed.has_syntax_error(),
            revision: file.revision,
        }))
    }

    /// Runs one state alone on a given input (the data-flow simulator): each stage's value,
    /// the status and the next state, as AWS's TestState API reports them.
    pub fn test_state(&mut self, request: TestState) -> Result<TestStateResult, ApiError> {
        let file = self.file(request.document_id)?;
        let parsed = file.document.parsed();
        let unknown = || crate::run::refused(format!("no state at {}", request.state));
        let definition = parsed.definition.as_ref().ok_or_else(unknown)?;
        let (_, state, value) = state_at(parsed, definition, &request.state).ok_or_else(unknown)?;
        crate::simulate::test_state(&crate::simulate::Simulation {
            name: &state.name,
            state: request.definition.as_ref().unwrap_or(value),
            query_language: state.effective_query_language.as_str(),
            input: &request.input,
            task: &request.task,
        })
    }

    /// Undoes the last change, whichever view made it.
    pub fn undo(&mut self, request: DocumentRef) -> Result<DocumentSnapshot, ApiError> {
        self.change(request.document_id, stepwise_asl::Document::undo)
    }

    /// Redoes the last undone change.
    pub fn redo(&mut self, request: DocumentRef) -> Result<DocumentSnapshot, ApiError> {
        self.change(request.document_id, stepwise_asl::Document::redo)
    }

    /// The document as it is, sent whole: for a UI that lost track of the updates (see
    /// [`crate::outgoing`]).
    pub fn document_snapshot(
        &mut self,
        request: DocumentRef,
    ) -> Result<DocumentSnapshot, ApiError> {
        self.file(request.document_id)?;
        self.sent.forget(request.document_id);
        Ok(self.snapshot(request.document_id, None))
    }

    /// Saves the document to its file (and its pinned positions to the sidecar), atomically.
    pub fn save_document(&mut self, request: DocumentRef) -> Result<DocumentSnapshot, ApiError> {
        let file = self.file(request.document_id)?;
        let path = file.path.clone().ok_or_else(|| ApiError {
            code: ErrorCode::NoPath,
            message: format!("{} has no file yet: choose where to save it", file.name),
        })?;
        self.save_to(request.document_id, path)
    }

    /// Saves the document under a new path, which it keeps from then on.
    pub fn save_document_as(
        &mut self,
        request: SaveDocumentAs,
    ) -> Result<DocumentSnapshot, ApiError> {
        self.file(request.document_id)?;
        self.save_to(request.document_id, PathBuf::from(request.path))
    }

    /// Reads the document's file again (after a change on disk). The reload is one undoable
    /// change, so edits it replaces can be brought back with undo.
    pub fn reload_document(&mut self, request: DocumentRef) -> Result<DocumentSnapshot, ApiError> {
        let file = self.file(request.document_id)?;
        let path = file.path.clone().ok_or_else(|| ApiError {
            code: ErrorCode::NoPath,
            message: format!("{} has no file to reload from", file.name),
        })?;
        let text = read(&path)?;
        let file = self.file_mut(request.document_id)?;
        file.saved_text = text.clone();
        if file.document.text() == text {
            return Ok(self.snapshot(request.document_id, None));
        }
        self.change(request.document_id, |document| document.apply(Edit::ReplaceText { text }))
    }

    /// The template gallery.
    pub fn list_templates(&mut self, _: ListTemplates) -> Result<Vec<TemplateInfo>, ApiError> {
        Ok(crate::templates::list())
    }

    /// Opens a new document from a template: unsaved, with no file until it is saved.
    pub fn new_from_template(
        &mut self,
        request: NewFromTemplate,
    ) -> Result<DocumentSnapshot, ApiError> {
        let text = crate::templates::text(&request.id).ok_or_else(|| ApiError {
            code: ErrorCode::UnknownTemplate,
            message: format!("there is no template \"{}\"", request.id),
        })?;
        let name = format!("{}.asl.json", request.id);
        let snapshot = self.add(None, name, text.to_owned(), BTreeMap::new());
        // New and never saved: it is dirty until it has a file.
        let file = &mut self.documents[snapshot.head.document_id as usize];
        file.saved_text.clear();
        file.template = Some(request.id);
        Ok(self.snapshot(snapshot.head.document_id, None))
    }

    /// The words the code view completes, from the validator's own tables.
    pub fn vocabulary(&mut self, _: VocabularyRequest) -> Result<Vocabulary, ApiError> {
        Ok(Vocabulary {
            state_types: StateType::ALL.iter().map(|t| t.as_str().to_owned()).collect(),
            state_fields: StateType::ALL
                .iter()
                .map(|t| FieldsOfType {
                    state_type: t.as_str().to_owned(),
                    fields: stepwise_asl::field_names_of(*t)
                        .into_iter()
                        .map(String::from)
                        .collect(),
                })
                .collect(),
            rule_fields: stepwise_asl::rule_field_names(),
            machine_fields: [
                "Comment",
                "StartAt",
                "States",
                "Version",
                "TimeoutSeconds",
                "QueryLanguage",
                "ProcessorConfig",
            ]
            .map(String::from)
            .to_vec(),
        })
    }

    /// Writes the graph as an SVG or PNG image (atomically).
    pub fn export_image(&mut self, request: ExportImage) -> Result<ExportedImage, ApiError> {
        let snapshot = self.snapshot(request.document_id, None);
        let svg = crate::export::svg(&snapshot.graph);
        let path = PathBuf::from(&request.path);
        let (bytes, width, height) = match request.format.as_str() {
            "svg" => {
                let size = |key: &str| -> u32 {
                    let at = svg.find(&format!("{key}=\"")).map(|i| i + key.len() + 2);
                    at.and_then(|i| svg[i..].split('"').next()?.parse().ok()).unwrap_or(0)
                };
                let (width, height) = (size("width"), size("height"));
                (svg.into_bytes(), width, height)
            }
            "png" => crate::export::png(&svg).map_err(io)?,
            other => return Err(io(format!("cannot export as \"{other}\": choose svg or png"))),
        };
        files::write_atomically(&path, &bytes)
            .map_err(|err| io(format!("cannot write {}: {err}", path.display())))?;
        Ok(ExportedImage { path: request.path, width, height })
    }

    /// The palette.
    pub fn list_palette(&mut self, _: ListPalette) -> Result<Vec<PaletteItem>, ApiError> {
        Ok(crate::palette::items())
    }

    /// Inserts a palette item as one undoable change: the state (added to a machine or on a
    /// transition) and its fields are built on a scratch copy of the document, then the result
    /// replaces the text once.
    pub fn insert_palette_item(
        &mut self,
        request: InsertPaletteItem,
    ) -> Result<DocumentSnapshot, ApiError> {
        let (state_type, label) =
            crate::palette::find(&request.item_id).ok_or_else(|| ApiError {
                code: ErrorCode::UnknownTemplate,
                message: format!("there is no palette item \"{}\"", request.item_id),
            })?;
        let rejected =
            |err: EditError| ApiError { code: ErrorCode::EditRejected, message: err.to_string() };
        let file = self.file(request.document_id)?;
        let mut scratch = file.document.clone();
        let state_type = self::state_type(state_type)?;
        let name = Some(label.to_owned());
        let first = match request.on {
            Some(on) => Edit::InsertState {
                from: on.from,
                transition: transition(on.transition),
                state_type,
                name,
            },
            None => Edit::AddState { machine: request.machine, state_type, name },
        };
        let added = scratch.apply(first).map_err(rejected)?;
        let state =
            added.focus.ok_or_else(|| rejected(EditError::NotFound("the new state".into())))?;
        for (field, value) in crate::palette::fields(&request.item_id) {
            let pointer = format!("{state}/{field}");
            scratch.apply(Edit::SetField { pointer, value: Some(value) }).map_err(rejected)?;
        }
        let text = scratch.text().to_owned();
        let file = self.file_mut(request.document_id)?;
        if let Some(at) = request.position {
            file.positions.insert(state.clone(), Pinned { x: at.x, y: at.y });
        }
        file.document.apply(Edit::ReplaceText { text }).map_err(rejected)?;
        file.revision += 1;
        Ok(self.snapshot(request.document_id, Some(state)))
    }

    /// What a run of the document can use: the sample input and mock test cases beside it.
    pub fn run_setup(&mut self, request: RunSetupRequest) -> Result<RunSetup, ApiError> {
        Ok(self.run_sources(request.document_id)?.setup())
    }

    /// Runs the document once, locally, with the virtual clock and the chosen mock test case.
    /// A definition with errors is refused with the first one, located.
    pub fn run_execution(&mut self, request: RunExecution) -> Result<ExecutionView, ApiError> {
        let sources = self.run_sources(request.document_id)?;
        let (definition, workflow) = self.runnable(request.document_id)?;
        let (name, stored) =
            self.begin_run(&workflow, &definition, request.name.as_deref(), &request.input)?;
        let mut view = crate::run::execute(
            &definition,
            &sources,
            &request.input,
            request.test_case.as_deref(),
            &name,
        )?;
        view.name = name;
        if let Some(id) = stored {
            self.record_end(id, &mut view)?;
        }
        Ok(view)
    }

    /// Starts a live run in the background (see `poll_run`). A live run of the same document is
    /// stopped first (ABORTED): one run per document at a time.
    pub fn start_run(&mut self, request: StartRun) -> Result<RunProgress, ApiError> {
        let sources = self.run_sources(request.document_id)?;
        let (definition, workflow) = self.runnable(request.document_id)?;
        if request.express {
            self.runnable_as_express(request.document_id)?;
        }
        let mut prepared =
            crate::run::prepare(&sources, &request.input, request.test_case.as_deref())?;
        prepared.options.express = request.express;
        if request.lift_limits {
            prepared.options.limits = stepwise_interp::Limits {
                max_payload_bytes: usize::MAX,
                max_history_events: usize::MAX,
            };
        }
        if let Some(name) = &request.name {
            crate::executions::check_name(name).map_err(crate::run::refused)?;
        }
        let plan = stepwise_interp::compile(&definition).map_err(|err| ApiError {
            code: ErrorCode::RunRefused,
            message: format!("the definition cannot run: {err}"),
        })?;
        self.stop_runs_of(request.document_id)?;
        let (name, stored) =
            self.begin_run(&workflow, &definition, request.name.as_deref(), &request.input)?;
        prepared.options.execution_name.clone_from(&name);
        self.launch(crate::live::Start {
            document_id: request.document_id,
            name,
            stored,
            plan,
            prepared,
            clock: request.clock,
            start_paused: request.start_paused,
            breakpoints: request.breakpoints.into_iter().collect(),
            redrive: None,
        })
    }

    /// Redrives a recorded run that failed, timed out or was stopped: it continues with the
    /// definition and input it ran, from where it stopped (developer guide, "Restarting state
    /// machine executions with redrive"), as the same execution in the history.
    pub fn redrive_run(&mut self, request: RedriveRun) -> Result<RunProgress, ApiError> {
        self.record_ended_runs()?;
        let unknown = || ApiError {
            code: ErrorCode::UnknownExecution,
            message: format!("no run {} in the execution history", request.id),
        };
        let store = self.store.as_ref().ok_or_else(unknown)?;
        let record = store.record(i64::from(request.id)).map_err(io)?.ok_or_else(unknown)?;
        let name = record.summary.name.clone();
        let refused =
            |why: String| crate::run::refused(format!("{name} cannot be redriven: {why}"));
        let definition: serde_json::Value = record
            .definition
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok())
            .ok_or_else(|| refused("it was recorded without its definition".into()))?;
        let earlier: ExecutionView = record
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .ok_or_else(|| refused("it has not ended".into()))?;
        let previous = stepwise_interp::redrive::PreviousRun::from_json(&serde_json::json!({
            "status": earlier.status,
            "error": earlier.error,
            "events": earlier.events,
            "mapRuns": earlier.map_runs,
        }))
        .map_err(|err| refused(err.to_string()))?;
        let plan = stepwise_interp::compile(&definition).map_err(|err| refused(err.to_string()))?;
        let sources = self.run_sources(request.document_id)?;
        let mut prepared =
            crate::run::prepare(&sources, &record.input, request.test_case.as_deref())?;
        prepared.options.execution_name.clone_from(&name);
        previous.check(&plan, &prepared.options).map_err(|err| refused(err.to_string()))?;
        self.stop_runs_of(request.document_id)?;
        if let Some(store) = &self.store {
            store.reopen(record.summary.id).map_err(io)?;
        }
        self.launch(crate::live::Start {
            document_id: request.document_id,
            name,
            stored: Some(record.summary.id),
            plan,
            prepared,
            clock: request.clock,
            start_paused: request.start_paused,
            breakpoints: request.breakpoints.into_iter().collect(),
            redrive: Some(crate::live::Redrive { previous, earlier }),
        })
    }

    /// Stops the live runs of a document (ABORTED) and records them: one run per document.
    fn stop_runs_of(&mut self, document_id: u32) -> Result<(), ApiError> {
        let earlier: Vec<u32> = self
            .runs
            .iter()
            .filter(|(_, run)| run.document_id == document_id)
            .map(|(id, _)| *id)
            .collect();
        for id in earlier {
            if let Some(run) = self.runs.get_mut(&id) {
                run.stop_and_wait();
            }
            self.record_ended_runs()?;
            self.runs.remove(&id);
        }
        Ok(())
    }

    /// Starts a live run and answers its first progress.
    fn launch(&mut self, start: crate::live::Start) -> Result<RunProgress, ApiError> {
        let run_id = self.next_run_id;
        self.next_run_id += 1;
        self.runs.insert(run_id, crate::live::LiveRun::start(start));
        self.poll_run(PollRun { run_id, since_event_id: 0 })
    }

    /// What a live run did since event `since_event_id`: new events, every state's status and
    /// pipeline, where it is paused, the tasks waiting for an answer, and the result once ended.
    pub fn poll_run(&mut self, request: PollRun) -> Result<RunProgress, ApiError> {
        self.record_ended_runs()?;
        Ok(self.live_run(request.run_id)?.progress(request.run_id, request.since_event_id))
    }

    /// Continue, Step, Pause, Stop (ABORTED), Run to a state, or new breakpoints.
    pub fn control_run(&mut self, request: ControlRun) -> Result<RunProgress, ApiError> {
        // What the run reported before this action belongs before it (a pause it ends).
        self.record_ended_runs()?;
        let run = self.live_run_mut(request.run_id)?;
        run.control(request.action.clone());
        if request.action == DebugAction::Stop {
            run.stop_and_wait();
        }
        self.poll_run(PollRun { run_id: request.run_id, since_event_id: request.since_event_id })
    }

    /// SendTaskSuccess, SendTaskFailure or SendTaskHeartbeat for a task waiting in a live run.
    pub fn answer_task(&mut self, request: AnswerTask) -> Result<RunProgress, ApiError> {
        self.record_ended_runs()?;
        self.live_run_mut(request.run_id)?.answer(&request.task_id, request.reply)?;
        self.poll_run(PollRun { run_id: request.run_id, since_event_id: request.since_event_id })
    }

    fn live_run(&self, run_id: u32) -> Result<&crate::live::LiveRun, ApiError> {
        self.runs.get(&run_id).ok_or_else(|| unknown_run(run_id))
    }

    fn live_run_mut(&mut self, run_id: u32) -> Result<&mut crate::live::LiveRun, ApiError> {
        self.runs.get_mut(&run_id).ok_or_else(|| unknown_run(run_id))
    }

    /// Takes in what every live run reported; the ones that ended are recorded in the history.
    fn record_ended_runs(&mut self) -> Result<(), ApiError> {
        let mut ended = Vec::new();
        for (id, run) in &mut self.runs {
            run.pump();
            // Ended and not recorded yet.
            if run.result.is_some() && run.stored.is_some() {
                ended.push((*id, run.stored.take(), run.name.clone(), run.result.take()));
            }
        }
        // Each result gets its name and history id, then goes back to its run.
        for (run_id, stored, name, result) in ended {
            let Some(mut view) = result else { continue };
            view.name.clone_from(&name);
            if let Some(id) = stored {
                self.record_end(id, &mut view)?;
            }
            if let Some(run) = self.runs.get_mut(&run_id) {
                run.result = Some(view);
            }
        }
        Ok(())
    }

    /// Names a run (the name asked for, checked as StartExecution checks it, or `run-<time>`)
    /// and records its start in the history with the definition it runs.
    fn begin_run(
        &self,
        workflow: &str,
        definition: &serde_json::Value,
        name: Option<&str>,
        input: &str,
    ) -> Result<(String, Option<i64>), ApiError> {
        let started_ms = wall_clock_ms();
        let name = match name {
            Some(name) => {
                crate::executions::check_name(name).map_err(crate::run::refused)?;
                name.to_owned()
            }
            None => format!("run-{started_ms}"),
        };
        let Some(store) = &self.store else { return Ok((name, None)) };
        let definition = definition.to_string();
        let run = stepwise_store::NewRun {
            workflow,
            name: &name,
            input,
            definition: &definition,
            started_ms,
        };
        let id = store.begin(run).map_err(io)?;
        Ok((name, Some(id)))
    }

    /// Records the end of run `id` in the history; the view gets its history id.
    fn record_end(&self, id: i64, view: &mut ExecutionView) -> Result<(), ApiError> {
        let Some(store) = &self.store else { return Ok(()) };
        view.id = u32::try_from(id).ok();
        let result = serde_json::to_string(&view).map_err(|e| io(e.to_string()))?;
        store.finish(id, &view.status, wall_clock_ms(), &result).map_err(io)
    }

    /// The definition of a document that may run, and its key in the history; a definition
    /// with errors is refused with the first one, located.
    fn runnable(&self, document_id: u32) -> Result<(serde_json::Value, String), ApiError> {
        let file = self.file(document_id)?;
        let parsed = file.document.parsed();
        refuse_errors(&parsed.diagnostics, "")?;
        let definition =
            parsed.value.clone().ok_or_else(|| crate::run::refused("nothing to run".into()))?;
        Ok((definition, workflow_key(file)))
    }

    /// Refuses a document an Express workflow may not run (developer guide, "Standard and
    /// Express workflow types": no .sync or .waitForTaskToken integrations, no activities).
    fn runnable_as_express(&self, document_id: u32) -> Result<(), ApiError> {
        let file = self.file(document_id)?;
        let parsed = file.document.parsed();
        let options = Options { workflow_type: stepwise_asl::WorkflowType::Express };
        let diagnostics = stepwise_asl::validate(file.document.text(), parsed, &options);
        refuse_errors(&diagnostics, " as an Express workflow")
    }

    /// The past runs of a document's workflow, newest first.
    pub fn list_executions(
        &mut self,
        request: DocumentRef,
    ) -> Result<Vec<ExecutionSummary>, ApiError> {
        self.record_ended_runs()?;
        let workflow = workflow_key(self.file(request.document_id)?);
        let Some(store) = &self.store else { return Ok(Vec::new()) };
        let runs = store.list(&workflow).map_err(io)?;
        Ok(runs
            .into_iter()
            .filter_map(|run| {
                Some(ExecutionSummary {
                    id: u32::try_from(run.id).ok()?,
                    name: run.name,
                    status: run.status,
                    started_ms: run.started_ms as f64,
                    ended_ms: run.ended_ms.map(|ms| ms as f64),
                })
            })
            .collect())
    }

    /// A past run, as it was shown when it ended.
    pub fn open_execution(&mut self, request: OpenExecution) -> Result<ExecutionView, ApiError> {
        let unknown = || ApiError {
            code: ErrorCode::UnknownExecution,
            message: format!("no finished run {} in the execution history", request.id),
        };
        let store = self.store.as_ref().ok_or_else(unknown)?;
        let text = store.result(i64::from(request.id)).map_err(io)?.ok_or_else(unknown)?;
        serde_json::from_str(&text)
            .map_err(|err| io(format!("run {} is unreadable: {err}", request.id)))
    }

    /// Writes a recorded run to a file (atomically): definition, input, history and views.
    pub fn export_execution(&mut self, request: ExportExecution) -> Result<String, ApiError> {
        self.record_ended_runs()?;
        let unknown = || ApiError {
            code: ErrorCode::UnknownExecution,
            message: format!("no run {} in the execution history", request.id),
        };
        let store = self.store.as_ref().ok_or_else(unknown)?;
        let record = store.record(i64::from(request.id)).map_err(io)?.ok_or_else(unknown)?;
        let bytes = crate::executions::export(&record)?;
        let path = PathBuf::from(&request.path);
        files::write_atomically(&path, &bytes)
            .map_err(|err| io(format!("cannot write {}: {err}", path.display())))?;
        Ok(request.path)
    }

    /// Reads a run from a file. One with its definition opens that definition as a new
    /// document to show the run on; an AWS history is shown on the document given.
    pub fn import_execution(
        &mut self,
        request: ImportExecution,
    ) -> Result<ImportedExecution, ApiError> {
        self.file(request.document_id)?;
        let path = PathBuf::from(&request.path);
        let text = std::fs::read_to_string(&path)
            .map_err(|err| io(format!("cannot read {}: {err}", path.display())))?;
        let file_name =
            path.file_name().map_or(request.path.clone(), |n| n.to_string_lossy().into());
        let imported = crate::executions::import(&text, &file_name)?;
        let document = imported.definition.map(|definition| {
            let name = format!("{}.asl.json", imported.view.name);
            let snapshot = self.add(None, name, definition, BTreeMap::new());
            // New and never saved, like a template: dirty until it has a file.
            self.documents[snapshot.head.document_id as usize].saved_text.clear();
            self.snapshot(snapshot.head.document_id, None)
        });
        Ok(ImportedExecution { document, execution: imported.view })
    }

    /// The inputs saved for a document's workflow, by name.
    pub fn list_inputs(&mut self, request: DocumentRef) -> Result<Vec<NamedInputView>, ApiError> {
        let workflow = workflow_key(self.file(request.document_id)?);
        let Some(store) = &self.store else { return Ok(Vec::new()) };
        let inputs = store.inputs(&workflow).map_err(io)?;
        Ok(inputs.into_iter().map(|i| NamedInputView { name: i.name, input: i.input }).collect())
    }

    /// Saves an input under a name for the document's workflow; the input must be JSON.
    pub fn save_input(&mut self, request: SaveInput) -> Result<Vec<NamedInputView>, ApiError> {
        let workflow = workflow_key(self.file(request.document_id)?);
        let name = request.name.trim();
        if name.is_empty() {
            return Err(crate::run::refused("a saved input needs a name".into()));
        }
        serde_json::from_str::<serde_json::Value>(&request.input)
            .map_err(|err| crate::run::refused(format!("the input is not JSON: {err}")))?;
        let store =
            self.store.as_ref().ok_or_else(|| io("there is no database to save inputs in"))?;
        store.save_input(&workflow, name, &request.input).map_err(io)?;
        self.list_inputs(DocumentRef { document_id: request.document_id })
    }

    /// Forgets a saved input.
    pub fn delete_input(&mut self, request: DeleteInput) -> Result<Vec<NamedInputView>, ApiError> {
        let workflow = workflow_key(self.file(request.document_id)?);
        if let Some(store) = &self.store {
            store.delete_input(&workflow, &request.name).map_err(io)?;
        }
        self.list_inputs(DocumentRef { document_id: request.document_id })
    }

    fn run_sources(&self, document_id: u32) -> Result<crate::run::RunSources, ApiError> {
        let file = self.file(document_id)?;
        Ok(crate::run::RunSources::find(&file.name, file.path.as_deref(), file.template.as_deref()))
    }

    /// Pins a node where the user dropped it; later layouts keep it there.
    pub fn set_node_position(
        &mut self,
        request: SetNodePosition,
    ) -> Result<DocumentSnapshot, ApiError> {
        let file = self.file_mut(request.document_id)?;
        file.positions.insert(request.node_id, Pinned { x: request.x, y: request.y });
        Ok(self.snapshot(request.document_id, None))
    }

    /// Forgets every pinned position: the whole graph is laid out automatically again.
    pub fn reset_layout(&mut self, request: DocumentRef) -> Result<DocumentSnapshot, ApiError> {
        let file = self.file_mut(request.document_id)?;
        file.positions.clear();
        file.drawn.clear();
        file.full_layout = true;
        file.graph_revision = None;
        Ok(self.snapshot(request.document_id, None))
    }

    /// The open documents that have a file, for the shell to watch.
    pub fn watched_files(&self) -> Vec<(u32, PathBuf)> {
        let with_paths = self.documents.iter().enumerate();
        with_paths.filter_map(|(id, f)| Some((id as u32, f.path.clone()?))).collect()
    }

    /// Whether the file on disk differs from what the document last saved or opened (another
    /// program changed it), and whether the document has unsaved edits of its own.
    pub fn disk_change(&self, document_id: u32) -> Option<DiskChange> {
        let file = self.documents.get(document_id as usize)?;
        let on_disk = std::fs::read_to_string(file.path.as_ref()?).ok()?;
        (on_disk != file.saved_text).then(|| DiskChange {
            document_id,
            unsaved_edits: file.document.text() != file.saved_text,
        })
    }

    /// Whether any open document has unsaved edits (asked before the window closes).
    pub fn has_unsaved_edits(&self) -> bool {
        (0..self.documents.len() as u32).any(|id| self.is_dirty(id))
    }

    fn is_dirty(&self, document_id: u32) -> bool {
        self.documents.get(document_id as usize).is_some_and(|file| {
            file.document.text() != file.saved_text || file.positions != file.saved_positions
        })
    }

    fn save_to(&mut self, document_id: u32, path: PathBuf) -> Result<DocumentSnapshot, ApiError> {
        let file = self.file_mut(document_id)?;
        let io = |err: std::io::Error| ApiError {
            code: ErrorCode::Io,
            message: format!("cannot save {}: {err}", path.display()),
        };
        let text = file.document.text().to_owned();
        files::write_atomically(&path, text.as_bytes()).map_err(io)?;
        files::write_positions(&path, &file.positions).map_err(io)?;
        file.name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        file.path = Some(path);
        file.saved_text = text;
        file.saved_positions = file.positions.clone();
        let saved = file.path.clone();
        if let Some(path) = saved {
            self.remember(&path);
        }
        Ok(self.snapshot(document_id, None))
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
        let text = read(path)?;
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let positions = files::read_positions(path);
        self.remember(path);
        Ok(self.add(Some(path.to_owned()), name, text, positions))
    }

    fn add(
        &mut self,
        path: Option<PathBuf>,
        name: String,
        text: String,
        positions: BTreeMap<String, Pinned>,
    ) -> DocumentSnapshot {
        let document_id = self.documents.len() as u32;
        let format = Format::from_path(&name);
        let document = stepwise_asl::Document::new(text.clone(), format, Options::default());
        self.documents.push(OpenFile {
            path,
            name,
            document,
            graph: GraphView::default(),
            revision: 0,
            saved_text: text,
            saved_positions: positions.clone(),
            positions,
            template: None,
            graph_revision: None,
            drawn: BTreeMap::new(),
            layouts: stepwise_layout::LayoutMemo::default(),
            full_layout: true,
        });
        self.snapshot(document_id, None)
    }

    /// Derives the graph (when the text parses) and builds the snapshot.
    fn snapshot(&mut self, document_id: u32, focus: Option<String>) -> DocumentSnapshot {
        let dirty = self.is_dirty(document_id);
        let file = &mut self.documents[document_id as usize];
        // A complete parse redraws the graph. A partial one (the part of broken text before the
        // break) is drawn only when nothing has parsed yet; otherwise the graph keeps its last
        // valid shape until the text parses again.
        let parsed = file.document.parsed();
        if let Some(definition) = &parsed.definition
            && file.graph_revision != Some(file.revision)
            && (!parsed.partial || file.graph.nodes.is_empty())
        {
            let graph = StateGraph::project(definition);
            let previous = if file.full_layout {
                BTreeMap::new()
            } else {
                previous_places(&file.graph, &file.drawn, &graph)
            };
            let layout = file.layouts.layout_keeping(&graph, &previous);
            file.graph = graph_view(&graph, &layout);
            if let Some(value) = &parsed.value {
                let mut found = placeholders(file.document.text(), value, definition);
                for node in &mut file.graph.nodes {
                    if found.is_empty() {
                        break;
                    }
                    if let Some(placeholders) = found.remove(node.id.as_str()) {
                        node.placeholders = placeholders;
                    }
                }
            }
            file.graph_revision = Some(file.revision);
            file.full_layout = false;
        }
        let mut graph = file.graph.clone();
        for node in &mut graph.nodes {
            if let Some(pinned) = file.positions.get(&node.id) {
                (node.x, node.y) = (pinned.x, pinned.y);
            }
            let (x, y, width, height) = (node.x, node.y, node.width, node.height);
            match file.drawn.get_mut(&node.id) {
                // Most nodes were drawn before: updated in place, their ids not copied again.
                Some(drawn) => {
                    (drawn.x, drawn.y, drawn.width, drawn.height) = (x, y, width, height)
                }
                None => {
                    let id = node.id.clone();
                    file.drawn.insert(id.clone(), NodeBox { id, x, y, width, height });
                }
            }
        }
        let document = &file.document;
        let parsed = document.parsed();
        let mut state_ranges: Vec<StateRange> = match &parsed.definition {
            Some(_) if !parsed.has_syntax_error() => graph
                .nodes
                .iter()
                .filter(|n| n.kind == NodeViewKind::State)
                .filter_map(|n| {
                    let entry = parsed.source_map.get(&n.id)?;
                    let start = entry.key.map_or(entry.value.start, |key| key.start);
                    let bytes = stepwise_asl::TextRange { start, end: entry.value.end };
                    let range = parsed.source_map.lines().range(document.text(), bytes);
                    Some(StateRange { id: n.id.clone(), range: range_view(range) })
                })
                .collect(),
            _ => Vec::new(),
        };
        // In text order (the graph lists nested states after all top-level ones): the ranges
        // below an edit are then the list's tail, which an update keeps (decision 0013).
        state_ranges.sort_by_key(|r| (r.range.start.line, r.range.start.column));
        DocumentSnapshot {
            head: DocumentHead {
                document_id,
                path: file.path.as_ref().map(|p| p.display().to_string()),
                name: file.name.clone(),
                revision: file.revision,
                can_undo: document.can_undo(),
                can_redo: document.can_redo(),
                focus,
                format: match Format::from_path(&file.name) {
                    Format::Json => "json".to_owned(),
                    Format::Yaml => "yaml".to_owned(),
                },
                dirty,
            },
            text: document.text().to_owned(),
            diagnostics: document.diagnostics().iter().map(diagnostic_view).collect(),
            graph,
            state_ranges,
        }
    }
}

/// Another program changed an open document's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiskChange {
    /// Which document.
    pub document_id: u32,
    /// Whether reloading would replace edits the user has not saved.
    pub unsaved_edits: bool,
}

/// Which workflow runs belong to: the file, or the name of a document that has none yet.
fn workflow_key(file: &OpenFile) -> String {
    match &file.path {
        Some(path) => path.display().to_string(),
        None => format!("untitled:{}", file.name),
    }
}

/// Wall-clock milliseconds, for the execution history (runs themselves use logical time).
fn wall_clock_ms() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    now.map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn io(err: impl std::fmt::Display) -> ApiError {
    ApiError { code: ErrorCode::Io, message: err.to_string() }
}

fn read(path: &Path) -> Result<String, ApiError> {
    std::fs::read_to_string(path).map_err(|err| ApiError {
        code: ErrorCode::Io,
        message: format!("cannot read {}: {err}", path.display()),
    })
}

fn unknown_run(run_id: u32) -> ApiError {
    ApiError { code: ErrorCode::UnknownExecution, message: format!("no run {run_id}") }
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
        EditRequest::PasteStates { machine, states } => {
            Edit::PasteStates { machine, states: states.into_iter().collect() }
        }
    })
}

fn range_view(range: stepwise_asl::Range) -> RangeView {
    let position = |p: stepwise_asl::Position| PositionView { line: p.line, column: p.column };
    RangeView { start: position(range.start), end: position(range.end) }
}

/// Refuses to run with the first error, located.
fn refuse_errors(diagnostics: &[stepwise_asl::Diagnostic], as_what: &str) -> Result<(), ApiError> {
    let Some(error) = diagnostics.iter().find(|d| d.severity == Severity::Error) else {
        return Ok(());
    };
    let at = error.range.start;
    Err(crate::run::refused(format!(
        "fix the definition first{as_what}: {} {} (line {}, column {})",
        error.code,
        error.message,
        at.line + 1,
        at.column + 1
    )))
}

/// The state at `pointer`: its machine, its model and its JSON value.
fn state_at<'p>(
    parsed: &'p stepwise_asl::Parsed,
    definition: &'p stepwise_asl::Definition,
    pointer: &str,
) -> Option<(&'p stepwise_asl::Definition, &'p stepwise_asl::State, &'p serde_json::Value)> {
    let machine = definition.all_machines().into_iter().find(|m| {
        pointer
            .strip_prefix(m.pointer.as_str())
            .and_then(|rest| rest.strip_prefix("/States/"))
            .is_some_and(|name| !name.contains('/'))
    })?;
    let state = machine.states.values().find(|s| s.pointer == pointer)?;
    let value = parsed.value.as_ref()?.pointer(pointer)?;
    Some((machine, state, value))
}

fn diagnostic_view(diagnostic: &stepwise_asl::Diagnostic) -> DiagnosticView {
    let position = |p: stepwise_asl::Position| PositionView { line: p.line, column: p.column };
    DiagnosticView {
        severity: match diagnostic.severity {
            Severity::Error => SeverityView::Error,
            Severity::Warning => SeverityView::Warning,
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

/// The placeholders (`${Name}`) of each state that holds some, by the state's pointer. A text
/// with neither `${` nor an escape (`\`, which could spell one) holds none: the walk through
/// every state is spared.
fn placeholders<'d>(
    text: &str,
    value: &serde_json::Value,
    definition: &'d stepwise_asl::Definition,
) -> BTreeMap<&'d str, Vec<String>> {
    let mut found = BTreeMap::new();
    if !text.contains("${") && !text.contains('\\') {
        return found;
    }
    for machine in definition.all_machines() {
        let states = value.pointer(&machine.pointer).and_then(|m| m.get("States"));
        for state in machine.states.values() {
            let Some(body) = states.and_then(|states| states.get(&state.name)) else { continue };
            let names = stepwise_asl::state_placeholders(body);
            if !names.is_empty() {
                found.insert(state.pointer.as_str(), names);
            }
        }
    }
    found
}

/// Where the nodes of `graph` were drawn before an edit, by their new ids: a node keeps its id
/// unless it (or its container) was renamed. A rename is recognised when, in one branch of one
/// container, exactly one state went and exactly one came: its place (and its content's,
/// whose ids follow its name) is the old one's.
fn previous_places(
    old: &GraphView,
    drawn: &BTreeMap<String, NodeBox>,
    graph: &StateGraph,
) -> BTreeMap<String, NodeBox> {
    type Branch<'a> = (Option<&'a str>, Option<u32>);
    let ids_before: std::collections::BTreeSet<&str> =
        old.nodes.iter().map(|n| n.id.as_str()).collect();
    let mut came: BTreeMap<Branch, Vec<&str>> = BTreeMap::new();
    for index in 0..graph.scopes.len() {
        let (parent, branch) = scope_place(graph, index);
        for node in graph.nodes_in(index) {
            let node = &graph.graph[node];
            if matches!(node.kind, NodeKind::State(_)) && !ids_before.contains(node.id.as_str()) {
                came.entry((parent, branch)).or_default().push(&node.id);
            }
        }
    }
    // Only a branch where a state came can hold a rename: most edits (a field, a type) bring
    // none, and the states that went need not be looked for.
    let renames: Vec<(&str, &str)> = if came.is_empty() {
        Vec::new()
    } else {
        let states_now =
            graph.graph.node_weights().filter(|n| matches!(n.kind, NodeKind::State(_)));
        let ids_now: std::collections::BTreeSet<&str> = states_now.map(|n| n.id.as_str()).collect();
        let mut gone: BTreeMap<Branch, Vec<&str>> = BTreeMap::new();
        for node in old.nodes.iter().filter(|n| n.kind == NodeViewKind::State) {
            if !ids_now.contains(node.id.as_str()) {
                gone.entry((node.parent.as_deref(), node.branch)).or_default().push(&node.id);
            }
        }
        came.iter()
            .filter_map(|(branch, new)| match (new.as_slice(), gone.get(branch)?.as_slice()) {
                ([new], [old]) => Some((*old, *new)),
                _ => None,
            })
            .collect()
    };
    let mut places = BTreeMap::new();
    for node in graph.graph.node_weights() {
        let id = &node.id;
        let before = drawn.get(id).or_else(|| {
            renames.iter().find_map(|(old, new)| {
                let rest = id.strip_prefix(new)?;
                (rest.is_empty() || rest.starts_with('/'))
                    .then(|| drawn.get(&format!("{old}{rest}")))
                    .flatten()
            })
        });
        if let Some(before) = before {
            places.insert(id.clone(), NodeBox { id: id.clone(), ..before.clone() });
        }
    }
    places
}

/// Where a scope's states are drawn: in which container (its id), as which of its branches.
fn scope_place(graph: &StateGraph, scope: usize) -> (Option<&str>, Option<u32>) {
    let container = graph.scopes[scope].container;
    let parent = container.map(|c| graph.graph[c].id.as_str());
    let branch = container.and_then(|c| graph.scopes_of(c).position(|s| s == scope));
    (parent, branch.map(|b| b as u32))
}

/// The graph with its layout, containers before their contents (React Flow needs parents first).
fn graph_view(graph: &StateGraph, layout: &stepwise_layout::Layout) -> GraphView {
    let mut nodes = Vec::new();
    for scope_index in 0..graph.scopes.len() {
        let (parent, branch) = scope_place(graph, scope_index);
        let parent = parent.map(str::to_owned);
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
                placeholders: Vec::new(),
            });
        }
    }
    let back_edges: std::collections::BTreeSet<(&str, &str)> = layout
        .back_edges
        .iter()
        .map(|(source, target)| (source.as_str(), target.as_str()))
        .collect();
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
        let back = back_edges.contains(&(source.as_str(), target.as_str()));
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
    use crate::wire::{StateRunStatus, TransitionOn};

    #[test]
    fn launching_without_a_file_opens_the_example_with_every_state_placed() {
        let mut session = Session::new(None);
        let snapshot = session.launch_document(LaunchDocument {}).expect("the example opens");
        assert_eq!(snapshot.head.name, "hello-world.asl.json");
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
        let yes = snapshot.state_ranges.iter().find(|r| r.id == "/States/Yes").expect("Yes range");
        let first_line = snapshot.text.lines().nth(yes.range.start.line as usize).expect("line");
        assert!(first_line.trim_start().starts_with("\"Yes\": {"), "the range starts at the key");
        assert!(yes.range.end.line > yes.range.start.line, "and spans the state's object");
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

    impl Session {
        fn open_text_for_test(&mut self, text: &str) -> DocumentSnapshot {
            self.add(None, "flow.asl.json".into(), text.to_owned(), BTreeMap::new())
        }
    }

    /// A nested state runs in the simulator in the query language it inherits (developer guide,
    /// "QueryLanguage": a state without its own takes the machine's), with the simulator's
    /// unsaved edit of its fields.
    #[test]
    fn the_simulator_runs_a_nested_state_in_its_inherited_language() {
        let mut session = Session::new(None);
        session.open_text_for_test(
            r#"{"QueryLanguage": "JSONata", "StartAt": "M", "States": {"M": {"Type": "Map",
              "ItemProcessor": {"StartAt": "Double", "States": {
                "Double": {"Type": "Pass", "Output": "{% $states.input * 2 %}", "End": true}}},
              "End": true}}}"#,
        );
        let pointer = "/States/M/ItemProcessor/States/Double".to_owned();
        let request = |definition: Option<serde_json::Value>| TestState {
            document_id: 0,
            state: pointer.clone(),
            definition,
            input: "21".into(),
            task: crate::wire::SimulatedTask::Result { json: "{}".into() },
        };
        let result = session.test_state(request(None)).expect("it runs");
        assert_eq!(result.output.as_deref(), Some("42"));
        let edited =
            serde_json::json!({"Type": "Pass", "Output": "{% $states.input + 1 %}", "End": true});
        let result = session.test_state(request(Some(edited))).expect("it runs");
        assert_eq!(result.output.as_deref(), Some("22"));
        let missing = TestState { state: "/States/Nope".into(), ..request(None) };
        assert_eq!(session.test_state(missing).unwrap_err().message, "no state at /States/Nope");
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
        assert_eq!(
            (after.head.revision, after.head.can_undo, after.head.can_redo),
            (1, true, false)
        );

        let undone = session.undo(DocumentRef { document_id: 0 }).expect("undoes");
        assert_eq!(undone.text, before.text, "undo restores the text byte for byte");
        assert!(undone.head.can_redo);
        let redone = session.redo(DocumentRef { document_id: 0 }).expect("redoes");
        assert_eq!(redone.text, after.text);
    }

    #[test]
    fn converting_a_state_to_jsonata_is_one_undoable_change_or_a_reason() {
        let (mut session, before) = example();
        let converted = session
            .convert_to_jsonata(ConvertToJsonata { document_id: 0, state: "/States/Pass".into() })
            .expect("converts");
        assert!(converted.text.contains("\"QueryLanguage\": \"JSONata\""), "{}", converted.text);
        assert_eq!(converted.head.focus.as_deref(), Some("/States/Pass"));
        let errors = |s: &DocumentSnapshot| {
            s.diagnostics.iter().filter(|d| d.severity == SeverityView::Error).count()
        };
        assert_eq!(errors(&converted), errors(&before), "no new errors");
        let undone = session.undo(DocumentRef { document_id: 0 }).expect("undoes");
        assert_eq!(undone.text, before.text, "one undo step");

        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$..x","Assign":{"n.$":"$.n"},"End":true}}}"#;
        session.apply_text(ApplyText { document_id: 0, text: text.into() }).expect("text");
        let err = session
            .convert_to_jsonata(ConvertToJsonata { document_id: 0, state: "/States/A".into() })
            .expect_err("a deep scan has no equivalent");
        assert_eq!(err.code, ErrorCode::EditRejected);
        assert!(err.message.contains("InputPath"), "the reason names the field: {}", err.message);
        assert_eq!(
            session.variable_names(DocumentRef { document_id: 0 }).expect("variables"),
            vec!["n".to_owned()]
        );
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
        assert_eq!(after_edit.head.focus.as_deref(), Some("/States/Extra"));
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

    fn temp_file(name: &str, text: &str) -> (PathBuf, PathBuf) {
        let dir =
            std::env::temp_dir().join(format!("stepwise-session-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(format!("{name}.asl.json"));
        std::fs::write(&path, text).expect("write");
        (dir, path)
    }

    #[test]
    fn saving_writes_the_text_and_pinned_positions_and_reopening_restores_both() {
        let (dir, path) = temp_file("save", EXAMPLE_TEXT);
        let mut session = Session::new(Some(path.clone()));
        let opened = session.launch_document(LaunchDocument {}).expect("opens");
        assert!(!opened.head.dirty, "nothing changed yet");
        let edit = EditRequest::RenameState { state: "/States/No".into(), to: "Nope".into() };
        let edited = session.apply_edit(ApplyEdit { document_id: 0, edit }).expect("edits");
        assert!(edited.head.dirty, "an edit makes the document dirty");
        let moved = session
            .set_node_position(SetNodePosition {
                document_id: 0,
                node_id: "/States/Pass".into(),
                x: 777.0,
                y: 5.0,
            })
            .expect("pins");
        let pass = moved.graph.nodes.iter().find(|n| n.id == "/States/Pass").expect("Pass");
        assert_eq!((pass.x, pass.y), (777.0, 5.0), "the pin wins over the automatic layout");
        let saved = session.save_document(DocumentRef { document_id: 0 }).expect("saves");
        assert!(!saved.head.dirty);
        assert_eq!(std::fs::read_to_string(&path).expect("read"), edited.text);
        assert!(!std::fs::read_to_string(&path).expect("read").contains("777"), "ASL stays clean");

        let mut reopened = Session::new(Some(path.clone()));
        let snapshot = reopened.launch_document(LaunchDocument {}).expect("reopens");
        let pass = snapshot.graph.nodes.iter().find(|n| n.id == "/States/Pass").expect("Pass");
        assert_eq!((pass.x, pass.y), (777.0, 5.0), "dragged positions survive save and reopen");
        let reset = reopened.reset_layout(DocumentRef { document_id: 0 }).expect("auto-layout");
        assert!(reset.head.dirty, "forgetting the pins is a change to save");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn undoing_back_to_the_saved_text_is_clean_again() {
        let (dir, path) = temp_file("clean", EXAMPLE_TEXT);
        let mut session = Session::new(Some(path));
        session.launch_document(LaunchDocument {}).expect("opens");
        let edit = EditRequest::DuplicateState { state: "/States/Yes".into() };
        assert!(session.apply_edit(ApplyEdit { document_id: 0, edit }).expect("edits").head.dirty);
        assert!(!session.undo(DocumentRef { document_id: 0 }).expect("undoes").head.dirty);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn the_example_has_no_file_so_saving_asks_where_then_keeps_the_new_path() {
        let (mut session, _) = example();
        let err = session.save_document(DocumentRef { document_id: 0 }).expect_err("no path");
        assert_eq!(err.code, ErrorCode::NoPath);
        let (dir, _) = temp_file("saveas", "");
        let target = dir.join("mine.asl.json");
        let request = SaveDocumentAs { document_id: 0, path: target.display().to_string() };
        let saved = session.save_document_as(request).expect("saves as");
        assert_eq!(saved.head.name, "mine.asl.json");
        assert_eq!(std::fs::read_to_string(&target).expect("read"), EXAMPLE_TEXT);
        session.save_document(DocumentRef { document_id: 0 }).expect("now it has a path");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_change_on_disk_is_noticed_and_a_reload_is_undoable() {
        let (dir, path) = temp_file("disk", EXAMPLE_TEXT);
        let mut session = Session::new(Some(path.clone()));
        session.launch_document(LaunchDocument {}).expect("opens");
        assert_eq!(session.disk_change(0), None, "nothing changed yet");
        let changed = EXAMPLE_TEXT.replace("Wait 3 sec", "Nap");
        std::fs::write(&path, &changed).expect("another program writes");
        let change = session.disk_change(0).expect("noticed");
        assert!(!change.unsaved_edits);
        let reloaded = session.reload_document(DocumentRef { document_id: 0 }).expect("reloads");
        assert_eq!(reloaded.text, changed);
        assert!(!reloaded.head.dirty);
        assert_eq!(session.disk_change(0), None, "in step with the disk again");
        let undone = session.undo(DocumentRef { document_id: 0 }).expect("undo the reload");
        assert_eq!(undone.text, EXAMPLE_TEXT);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn a_template_opens_as_a_new_unsaved_document_with_no_errors() {
        let mut session = Session::new(None);
        let gallery = session.list_templates(ListTemplates {}).expect("gallery");
        assert!(gallery.len() >= 8);
        for template in gallery {
            let snapshot = session
                .new_from_template(NewFromTemplate { id: template.id.clone() })
                .expect("opens");
            assert!(
                snapshot.head.dirty && snapshot.head.path.is_none(),
                "{}: new and unsaved",
                template.id
            );
            let errors = snapshot.diagnostics.iter().filter(|d| d.severity == SeverityView::Error);
            assert_eq!(errors.count(), 0, "{} validates with no errors", template.id);
            assert!(!snapshot.graph.nodes.is_empty());
        }
        let err = session.new_from_template(NewFromTemplate { id: "nope".into() }).expect_err("x");
        assert_eq!(err.code, ErrorCode::UnknownTemplate);
    }

    #[test]
    fn a_template_runs_out_of_the_box_with_its_mocks_and_colours_every_state() {
        let mut session = Session::new(None);
        let opened = session
            .new_from_template(NewFromTemplate { id: "order-fulfillment".into() })
            .expect("opens");
        let id = opened.head.document_id;
        let setup = session.run_setup(RunSetupRequest { document_id: id }).expect("setup");
        assert_eq!(setup.test_cases, ["HappyPath", "OutOfStock", "PaymentDeclined"]);
        assert!(setup.sample_input.contains("o-1001"));
        let run = |session: &mut Session, case: &str| {
            let request = RunExecution {
                document_id: id,
                name: None,
                input: setup.sample_input.clone(),
                test_case: Some(case.into()),
            };
            session.run_execution(request).expect("runs")
        };
        let happy = run(&mut session, "HappyPath");
        assert_eq!(happy.status, "SUCCEEDED");
        let status = |view: &ExecutionView, name: &str| {
            view.states.iter().find(|s| s.name == name).map(|s| s.status)
        };
        assert_eq!(status(&happy, "Ship"), Some(StateRunStatus::Succeeded), "branch states too");
        assert_eq!(status(&happy, "Cancel order"), None, "not run");
        let charge = happy.states.iter().find(|s| s.name == "Charge payment").expect("ran");
        let stages: Vec<&str> = charge.stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(stages.first(), Some(&"input"));
        assert!(stages.contains(&"afterResultSelector") && stages.contains(&"output"));
        assert_eq!(happy.events[0]["type"], "ExecutionStarted");

        let declined = run(&mut session, "PaymentDeclined");
        assert_eq!(declined.status, "FAILED");
        assert_eq!(declined.error.as_deref(), Some("PaymentDeclined"));
        assert_eq!(status(&declined, "Charge payment"), Some(StateRunStatus::Caught));
        assert_eq!(status(&declined, "Payment declined"), Some(StateRunStatus::Failed));
    }

    #[test]
    fn retries_count_as_state_transitions() {
        let mut session = Session::new(None);
        let opened = session
            .new_from_template(NewFromTemplate { id: "retry-backoff".into() })
            .expect("opens");
        let run = session
            .run_execution(RunExecution {
                document_id: opened.head.document_id,
                name: None,
                input: "{}".into(),
                test_case: Some("SucceedsOnThirdTry".into()),
            })
            .expect("runs");
        assert_eq!(run.status, "SUCCEEDED");
        // Call flaky service (3 attempts) and Done: AWS bills each retry as a transition.
        assert_eq!(run.usage.state_transitions, 4, "{:?}", run.usage);
        assert!(run.usage.duration_ms >= 2000.0, "the retry intervals pass in virtual time");
    }

    #[test]
    fn a_run_is_refused_with_a_located_reason_when_it_cannot_start() {
        let (mut session, before) = example();
        let bad_input =
            RunExecution { document_id: 0, name: None, input: "{not json".into(), test_case: None };
        let err = session.run_execution(bad_input).expect_err("refused");
        assert_eq!(err.code, ErrorCode::RunRefused);
        assert!(err.message.contains("not JSON"), "{}", err.message);
        let unknown_case = RunExecution {
            document_id: 0,
            name: None,
            input: "{}".into(),
            test_case: Some("NoSuchCase".into()),
        };
        let err = session.run_execution(unknown_case).expect_err("refused");
        assert!(err.message.contains("NoSuchCase"), "{}", err.message);
        let broken = before.text.replace("\"Next\": \"Wait 3 sec\"", "\"Next\": \"Nowhere\"");
        session.apply_text(ApplyText { document_id: 0, text: broken }).expect("typed");
        let run = RunExecution { document_id: 0, name: None, input: "{}".into(), test_case: None };
        let err = session.run_execution(run).expect_err("refused");
        assert!(err.message.contains("Nowhere") && err.message.contains("line"), "{}", err.message);
    }

    #[test]
    fn a_file_with_no_mocks_beside_it_runs_without_them_and_says_so_when_asked() {
        let (dir, path) = temp_file("nomocks", EXAMPLE_TEXT);
        let mut session = Session::new(Some(path));
        session.launch_document(LaunchDocument {}).expect("opens");
        let setup = session.run_setup(RunSetupRequest { document_id: 0 }).expect("setup");
        assert_eq!((setup.sample_input.as_str(), setup.test_cases.len()), ("{}", 0));
        let asked = RunExecution {
            document_id: 0,
            name: None,
            input: "{}".into(),
            test_case: Some("X".into()),
        };
        let err = session.run_execution(asked).expect_err("refused");
        assert!(err.message.contains("no mock configuration"), "{}", err.message);
        let input = r#"{"IsHelloWorldExample": false}"#.to_owned();
        let run = session.run_execution(RunExecution {
            document_id: 0,
            name: None,
            input,
            test_case: None,
        });
        let run = run.expect("runs without mocks: it has no Task");
        assert_eq!((run.status.as_str(), run.error.as_deref()), ("FAILED", Some("NotHelloWorld")));
        std::fs::remove_dir_all(&dir).ok();
    }

    fn places(snapshot: &DocumentSnapshot) -> BTreeMap<String, (f64, f64)> {
        snapshot.graph.nodes.iter().map(|n| (n.id.clone(), (n.x, n.y))).collect()
    }

    /// Every node of `before` is where it was in `after`; returns the nodes `after` added.
    fn assert_none_moved(before: &DocumentSnapshot, after: &DocumentSnapshot) -> Vec<NodeView> {
        let old = places(before);
        for node in &after.graph.nodes {
            if let Some(&place) = old.get(&node.id) {
                assert_eq!((node.x, node.y), place, "{} stays where it was drawn", node.id);
            }
        }
        let added: Vec<NodeView> =
            after.graph.nodes.iter().filter(|n| !old.contains_key(&n.id)).cloned().collect();
        for new in &added {
            for other in after.graph.nodes.iter().filter(|o| o.id != new.id) {
                let apart = new.x + new.width <= other.x
                    || other.x + other.width <= new.x
                    || new.y + new.height <= other.y
                    || other.y + other.height <= new.y;
                assert!(
                    apart || other.parent != new.parent,
                    "{} overlaps {} in its container",
                    new.id,
                    other.id
                );
            }
        }
        added
    }

    /// A change of type leaves every transition as it was: the graph is redrawn from the kept
    /// layout, identical but for that node's type (a pinned node stays pinned).
    #[test]
    fn a_type_change_redraws_only_that_states_type() {
        let (mut session, _) = example();
        let pin =
            SetNodePosition { document_id: 0, node_id: "/States/No".into(), x: 600.0, y: 90.0 };
        session.set_node_position(pin).expect("pins");
        let change = |state_type: &str| ApplyEdit {
            document_id: 0,
            edit: EditRequest::ChangeType {
                state: "/States/Yes".into(),
                state_type: state_type.into(),
            },
        };
        // The first edit after opening may grow a container by its padding (the kept layout's
        // rule); from then on, a type change moves and resizes nothing.
        let wait = session.apply_edit(change("Wait")).expect("changes the type");
        let pass = session.apply_edit(change("Pass")).expect("changes it back");
        let mut expected = wait.graph.clone();
        for node in expected.nodes.iter_mut().filter(|n| n.id == "/States/Yes") {
            node.state_type = Some("Pass".into());
        }
        assert_eq!(pass.graph, expected);
        let again = session.apply_edit(change("Wait")).expect("changes it again");
        assert_eq!(again.graph, wait.graph);
        assert_eq!(places(&again)["/States/No"], (600.0, 90.0), "still pinned");
    }

    #[test]
    fn adding_a_state_places_just_the_new_state_and_moves_no_other() {
        let (mut session, _) = example();
        // A dragged node is part of "where it was drawn" too.
        let before = session
            .set_node_position(SetNodePosition {
                document_id: 0,
                node_id: "/States/No".into(),
                x: 600.0,
                y: 90.0,
            })
            .expect("pins");
        let add = |machine: &str| ApplyEdit {
            document_id: 0,
            edit: EditRequest::AddState {
                machine: machine.into(),
                state_type: "Pass".into(),
                name: None,
            },
        };
        let after = session.apply_edit(add("")).expect("adds");
        assert_eq!(assert_none_moved(&before, &after).len(), 1);
        let before = after;
        let on = TransitionOn { from: "/States/Pass".into(), transition: TransitionRef::Next };
        let request = InsertPaletteItem {
            document_id: 0,
            item_id: "wait".into(),
            machine: String::new(),
            on: Some(on),
            position: None,
        };
        let after = session.insert_palette_item(request).expect("inserts on a transition");
        let added = assert_none_moved(&before, &after);
        assert_eq!(added.len(), 1, "{added:?}");
        let pass = after.graph.nodes.iter().find(|n| n.id == "/States/Pass").expect("Pass");
        assert!(added[0].y > pass.y, "the new state goes under its predecessor");
        // Inside a Parallel branch: the container may grow, its children stay.
        let before = after;
        let after = session.apply_edit(add("/States/Parallel State/Branches/0")).expect("adds");
        let added = assert_none_moved(&before, &after);
        assert_eq!(added[0].parent.as_deref(), Some("/States/Parallel State"));
        let container = |s: &DocumentSnapshot| {
            let p = s.graph.nodes.iter().find(|n| n.id == "/States/Parallel State").cloned();
            p.expect("the Parallel")
        };
        assert!(added[0].y + added[0].height <= container(&after).height, "it holds the child");
        assert!(container(&after).height >= container(&before).height);
        // Undo takes the state away and moves nothing; a rename keeps the state in place.
        let undone = session.undo(DocumentRef { document_id: 0 }).expect("undoes");
        assert_none_moved(&after, &undone);
        let renamed = session
            .apply_edit(ApplyEdit {
                document_id: 0,
                edit: EditRequest::RenameState { state: "/States/Yes".into(), to: "Sure".into() },
            })
            .expect("renames");
        let (yes, sure) = (places(&undone)["/States/Yes"], places(&renamed)["/States/Sure"]);
        assert_eq!(yes, sure, "a renamed state stays where it was");
        // Auto-layout lays everything out again.
        let reset = session.reset_layout(DocumentRef { document_id: 0 }).expect("auto-layout");
        let fresh = Session::new(None)
            .open_text_for_test(&reset.text)
            .graph
            .nodes
            .iter()
            .map(|n| (n.id.clone(), (n.x, n.y)))
            .collect::<BTreeMap<_, _>>();
        assert_eq!(places(&reset), fresh, "Auto-layout is the layout of a freshly opened file");
    }

    #[test]
    fn pasted_states_arrive_under_unique_names_in_one_undo_step_beside_the_flow() {
        let (mut session, before) = example();
        let copied = serde_json::json!({"Yes": {"Type": "Pass", "Next": "Wait 3 sec"}});
        let pasted = session
            .apply_edit(ApplyEdit {
                document_id: 0,
                edit: EditRequest::PasteStates {
                    machine: String::new(),
                    states: copied.as_object().cloned().expect("an object"),
                },
            })
            .expect("pastes");
        assert_eq!(pasted.head.focus.as_deref(), Some("/States/Yes 2"));
        let added = assert_none_moved(&before, &pasted);
        assert_eq!(added.iter().map(|n| n.name.as_str()).collect::<Vec<_>>(), vec!["Yes 2"]);
        let undone = session.undo(DocumentRef { document_id: 0 }).expect("undoes");
        assert_eq!(undone.text, before.text, "one undo step takes the paste back");
    }

    #[test]
    fn definition_substitutions_are_shown_as_placeholders_and_raise_no_diagnostic() {
        let mut session = Session::new(None);
        let text = r#"{"StartAt":"Process","States":{"Process":{"Type":"Task",
            "Resource":"${ProcessFunctionArn}","TimeoutSeconds":30,"Next":"Store"},
            "Store":{"Type":"Task","Resource":"arn:${AWS::Partition}:states:::dynamodb:putItem",
            "TimeoutSeconds":30,"Parameters":{"TableName":"${Table}","Item":{}},"End":true}}}"#;
        let snapshot = session.open_text_for_test(text);
        assert!(snapshot.diagnostics.is_empty(), "{:?}", snapshot.diagnostics);
        let placeholders = |name: &str| {
            let node = snapshot.graph.nodes.iter().find(|n| n.name == name).expect("the state");
            node.placeholders.clone()
        };
        assert_eq!(placeholders("Process"), vec!["ProcessFunctionArn"]);
        assert_eq!(placeholders("Store"), vec!["AWS::Partition", "Table"]);
    }

    #[test]
    fn every_palette_item_inserts_as_one_undoable_change_with_no_new_diagnostics() {
        let mut session = Session::new(None);
        for item in session.list_palette(ListPalette {}).expect("palette") {
            let opened = session
                .new_from_template(NewFromTemplate { id: "hello-world".into() })
                .expect("opens");
            let id = opened.head.document_id;
            let on = TransitionOn { from: "/States/Pass".into(), transition: TransitionRef::Next };
            let request = InsertPaletteItem {
                document_id: id,
                item_id: item.id.clone(),
                machine: String::new(),
                on: Some(on),
                position: None,
            };
            let inserted = session.insert_palette_item(request).expect("inserts");
            let focus = inserted.head.focus.clone().expect("the new state is focused");
            let node = inserted.graph.nodes.iter().find(|n| n.id == focus).expect("drawn");
            let pass_next = inserted
                .graph
                .edges
                .iter()
                .find(|e| e.source == "/States/Pass" && e.kind == EdgeViewKind::Next)
                .map(|e| e.target.clone());
            assert_eq!(pass_next.as_deref(), Some(focus.as_str()), "{}: Pass → new", item.id);
            assert_eq!(node.state_type.as_deref(), Some(item.state_type.as_str()), "{}", item.id);
            let mut codes: Vec<&str> =
                inserted.diagnostics.iter().map(|d| d.code.as_str()).collect();
            if matches!(item.id.as_str(), "succeed" | "fail") {
                // A terminal state on Pass → Choice leaves the Choice unreachable: that is right.
                codes.retain(|c| *c != "SW202");
            }
            assert!(codes.is_empty(), "{}: {codes:?}", item.id);
            let undone = session.undo(DocumentRef { document_id: id }).expect("one undo");
            assert_eq!(undone.text, opened.text, "{}: one step back restores the text", item.id);
        }
    }

    #[test]
    fn the_vocabulary_comes_from_the_validators_tables() {
        let vocabulary = Session::new(None).vocabulary(VocabularyRequest {}).expect("vocabulary");
        let fields = |t: &str| {
            let of = vocabulary.state_fields.iter().find(|f| f.state_type == t).expect("type");
            of.fields.clone()
        };
        assert!(fields("Task").contains(&"Resource".to_owned()));
        assert!(!fields("Pass").contains(&"Resource".to_owned()), "only where AWS allows it");
        assert!(fields("Choice").contains(&"Default".to_owned()));
        for word in ["NumericGreaterThanPath", "IsPresent", "ErrorEquals", "BackoffRate"] {
            assert!(vocabulary.rule_fields.contains(&word.to_owned()), "{word}");
        }
        assert!(!vocabulary.rule_fields.contains(&"StringMatchesPath".to_owned()));
    }

    #[test]
    fn runs_are_kept_in_the_execution_history_and_reopen_as_they_were() {
        let (dir, path) = temp_file("history", EXAMPLE_TEXT);
        let mut session = Session::new(Some(path));
        session.set_store(stepwise_store::Store::in_memory().expect("store"));
        session.launch_document(LaunchDocument {}).expect("opens");
        assert!(session.list_executions(DocumentRef { document_id: 0 }).expect("list").is_empty());
        let input = r#"{"IsHelloWorldExample": true}"#.to_owned();
        let ran = session
            .run_execution(RunExecution { document_id: 0, name: None, input, test_case: None })
            .expect("runs");
        let id = ran.id.expect("recorded");
        // Pass, the Choice, Yes, the Wait, the Parallel, Hello, World, Hello World: 8 steps, and
        // the Wait's 3 seconds of (virtual) time.
        assert_eq!(ran.usage.state_transitions, 8);
        assert!(ran.usage.duration_ms >= 3000.0, "{:?}", ran.usage);
        let listed = session.list_executions(DocumentRef { document_id: 0 }).expect("list");
        assert_eq!(listed.len(), 1);
        assert_eq!((listed[0].id, listed[0].status.as_str()), (id, "SUCCEEDED"));
        assert!(listed[0].ended_ms.is_some());
        let reopened = session.open_execution(OpenExecution { id }).expect("reopens");
        assert_eq!(reopened, ran, "exactly as it was shown");
        let err = session.open_execution(OpenExecution { id: 999 }).expect_err("unknown");
        assert_eq!(err.code, ErrorCode::UnknownExecution);
        std::fs::remove_dir_all(&dir).ok();
    }

    /// An exported run carries the definition it ran, its input and its history; importing it
    /// opens that definition as a new document and shows the run exactly as it was.
    #[test]
    fn a_run_exports_to_one_file_and_imports_as_it_was() {
        let (dir, path) = temp_file("exchange", EXAMPLE_TEXT);
        let mut session = Session::new(Some(path));
        session.set_store(stepwise_store::Store::in_memory().expect("store"));
        session.launch_document(LaunchDocument {}).expect("opens");
        let input = r#"{"IsHelloWorldExample": true}"#.to_owned();
        let run =
            RunExecution { document_id: 0, name: Some("nightly-1".into()), input, test_case: None };
        let ran = session.run_execution(run).expect("runs");
        assert_eq!(ran.name, "nightly-1");
        let exported = dir.join("nightly.json");
        let request =
            ExportExecution { id: ran.id.expect("recorded"), path: exported.display().to_string() };
        session.export_execution(request).expect("exports");
        let file: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&exported).expect("written"))
                .expect("JSON");
        assert_eq!(file["format"], "stepwise-execution");
        assert_eq!(file["input"]["IsHelloWorldExample"], true);
        assert_eq!(file["definition"]["StartAt"], "Pass");
        assert_eq!(
            file["events"][0]["type"], "ExecutionStarted",
            "readable as GetExecutionHistory"
        );
        // $$.Execution.Name is the name given.
        let started = file["events"].as_array().expect("events").len();
        assert!(started > 10);

        let imported = session
            .import_execution(ImportExecution {
                document_id: 0,
                path: exported.display().to_string(),
            })
            .expect("imports");
        let document = imported.document.expect("the definition opens as a document");
        assert_eq!(document.head.name, "nightly-1.asl.json");
        assert!(document.head.dirty, "never saved");
        assert_eq!(imported.execution, ExecutionView { id: None, ..ran });
        std::fs::remove_dir_all(&dir).ok();
    }

    /// API Reference, GetExecutionHistory: events with id, previousEventId, timestamp, type and
    /// their details; the AWS CLI prints timestamps as ISO 8601 text.
    #[test]
    fn an_aws_history_imports_onto_the_open_document() {
        let (dir, path) = temp_file("aws-history", EXAMPLE_TEXT);
        let mut session = Session::new(Some(path));
        session.launch_document(LaunchDocument {}).expect("opens");
        let history = serde_json::json!({ "events": [
            { "id": 1, "previousEventId": 0, "type": "ExecutionStarted",
              "timestamp": "2024-05-01T10:00:00.000000+00:00",
              "executionStartedEventDetails": { "input": "{\"a\":1}" } },
            { "id": 2, "previousEventId": 1, "type": "PassStateEntered",
              "timestamp": "2024-05-01T10:00:00.010000+00:00",
              "stateEnteredEventDetails": { "name": "Pass", "input": "{\"a\":1}" } },
            { "id": 3, "previousEventId": 2, "type": "PassStateExited",
              "timestamp": "2024-05-01T10:00:00.020000+00:00",
              "stateExitedEventDetails": { "name": "Pass", "output": "{\"a\":2}" } },
            { "id": 4, "previousEventId": 3, "type": "TaskStateEntered",
              "timestamp": "2024-05-01T10:00:00.030000+00:00",
              "stateEnteredEventDetails": { "name": "Call", "input": "{\"a\":2}" } },
            { "id": 5, "previousEventId": 4, "type": "TaskScheduled",
              "timestamp": "2024-05-01T10:00:00.040000+00:00", "taskScheduledEventDetails": {} },
            { "id": 6, "previousEventId": 5, "type": "TaskFailed",
              "timestamp": "2024-05-01T10:00:01.040000+00:00",
              "taskFailedEventDetails": { "error": "Boom", "cause": "it broke" } },
            { "id": 7, "previousEventId": 6, "type": "ExecutionFailed",
              "timestamp": "2024-05-01T10:00:01.050000+00:00",
              "executionFailedEventDetails": { "error": "Boom", "cause": "it broke" } }
        ]});
        let file = dir.join("from-aws.json");
        std::fs::write(&file, history.to_string()).expect("write");
        let imported = session
            .import_execution(ImportExecution { document_id: 0, path: file.display().to_string() })
            .expect("imports");
        assert_eq!(imported.document, None, "shown on the open document");
        let run = imported.execution;
        assert_eq!((run.name.as_str(), run.status.as_str()), ("from-aws", "FAILED"));
        assert_eq!((run.error.as_deref(), run.cause.as_deref()), (Some("Boom"), Some("it broke")));
        assert_eq!(run.events[0]["timestamp"], 1714557600.0);
        assert!((run.usage.duration_ms - 1050.0).abs() < 0.01, "{}", run.usage.duration_ms);
        let pass = &run.states[0];
        assert_eq!((pass.name.as_str(), pass.status), ("Pass", StateRunStatus::Succeeded));
        assert_eq!(pass.stages[1].value, "{\n  \"a\": 2\n}");
        let call = &run.states[1];
        assert_eq!((call.name.as_str(), call.status), ("Call", StateRunStatus::Failed));
        assert_eq!(call.error.as_deref(), Some("Boom"));

        std::fs::write(&file, r#"{"items": []}"#).expect("write");
        let request = ImportExecution { document_id: 0, path: file.display().to_string() };
        let err = session.import_execution(request).expect_err("not a history");
        assert!(err.message.contains("no \"events\" list"), "{}", err.message);
        std::fs::remove_dir_all(&dir).ok();
    }

    /// API Reference, StartExecution, `name`: 1–80 characters, no white space, brackets,
    /// wildcards, special characters or control characters.
    #[test]
    fn execution_names_are_checked_as_aws_checks_them() {
        let mut session = Session::new(None);
        session.launch_document(LaunchDocument {}).expect("opens");
        let run = |name: &str| RunExecution {
            document_id: 0,
            name: Some(name.into()),
            input: "{}".into(),
            test_case: None,
        };
        assert_eq!(session.run_execution(run("ok-name_1")).expect("runs").name, "ok-name_1");
        for bad in ["has space", "a/b", "x:y", "", &"n".repeat(81), "tab\t"] {
            let err = session.run_execution(run(bad)).expect_err(bad);
            assert_eq!(err.code, ErrorCode::RunRefused, "{bad}");
            assert!(err.message.starts_with("an execution name"), "{}", err.message);
        }
    }

    #[test]
    fn named_inputs_are_saved_per_workflow() {
        let mut session = Session::new(None);
        session.set_store(stepwise_store::Store::in_memory().expect("store"));
        session.launch_document(LaunchDocument {}).expect("opens");
        let save = |name: &str, input: &str| SaveInput {
            document_id: 0,
            name: name.into(),
            input: input.into(),
        };
        session.save_input(save("happy path", r#"{"ok": true}"#)).expect("saves");
        let listed = session.save_input(save("empty", "{}")).expect("saves");
        assert_eq!(
            listed.iter().map(|i| i.name.as_str()).collect::<Vec<_>>(),
            ["empty", "happy path"]
        );
        let err = session.save_input(save("broken", "{")).expect_err("not JSON");
        assert!(err.message.starts_with("the input is not JSON"), "{}", err.message);
        assert!(session.save_input(save("  ", "{}")).is_err(), "a name is needed");
        session.new_from_template(NewFromTemplate { id: "saga".into() }).expect("another workflow");
        assert!(session.list_inputs(DocumentRef { document_id: 1 }).expect("lists").is_empty());
        let left = session
            .delete_input(DeleteInput { document_id: 0, name: "empty".into() })
            .expect("deletes");
        assert_eq!(
            left,
            [NamedInputView { name: "happy path".into(), input: r#"{"ok": true}"#.into() }]
        );
    }

    #[test]
    fn the_graph_exports_as_svg_and_png_with_every_state() {
        let (dir, _) = temp_file("export", "");
        let mut session = Session::new(None);
        session.launch_document(LaunchDocument {}).expect("opens");
        let svg_path = dir.join("flow.svg");
        let request = |format: &str, path: &Path| ExportImage {
            document_id: 0,
            format: format.into(),
            path: path.display().to_string(),
        };
        let svg = session.export_image(request("svg", &svg_path)).expect("svg");
        let text = std::fs::read_to_string(&svg_path).expect("written");
        for name in
            ["Pass", "Hello World example?", "Wait 3 sec", "Parallel State", "Hello", "World"]
        {
            assert!(text.contains(&format!(">{name}<")), "{name} is drawn");
        }
        assert!(text.contains("$.IsHelloWorldExample == true"), "choice labels are drawn");
        assert!(svg.width > 300 && svg.height > 500, "{svg:?}");
        let png_path = dir.join("flow.png");
        let png = session.export_image(request("png", &png_path)).expect("png");
        let bytes = std::fs::read(&png_path).expect("written");
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        assert_eq!((png.width, png.height), (svg.width * 2, svg.height * 2), "twice the size");
        let err = session.export_image(request("gif", &dir.join("x.gif"))).expect_err("refused");
        assert!(err.message.contains("svg or png"), "{}", err.message);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn opened_and_saved_files_are_remembered_newest_first_across_sessions() {
        let (dir, first) = temp_file("recent-a", EXAMPLE_TEXT);
        let second = dir.join("second.asl.json");
        std::fs::write(&second, EXAMPLE_TEXT).expect("write");
        let list = dir.join("recent.json");
        let mut session = Session::new(None);
        session.keep_recent_files(&list);
        session.open_document(OpenDocument { path: first.display().to_string() }).expect("a");
        session.open_document(OpenDocument { path: second.display().to_string() }).expect("b");
        session.open_document(OpenDocument { path: first.display().to_string() }).expect("a again");
        let expected = [first.display().to_string(), second.display().to_string()];
        assert_eq!(session.recent_files(RecentFilesRequest {}).expect("list"), expected);

        let mut later = Session::new(None);
        later.keep_recent_files(&list);
        assert_eq!(later.recent_files(RecentFilesRequest {}).expect("list"), expected, "kept");
        std::fs::remove_file(&second).expect("remove");
        let left = later.recent_files(RecentFilesRequest {}).expect("list");
        assert_eq!(left, [first.display().to_string()], "files that are gone are not offered");
        std::fs::remove_dir_all(&dir).ok();
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
        let states = snapshot.graph.nodes.iter().filter(|n| n.kind == NodeViewKind::State);
        assert_eq!(states.count(), 0, "nothing before the break is a state");
        assert_eq!(snapshot.diagnostics[0].severity, SeverityView::Error);
        assert_eq!(snapshot.diagnostics[0].range.start.line, 1);
        std::fs::remove_dir_all(&dir).ok();
    }

    fn inspect(session: &mut Session, state: &str) -> Option<StateInspection> {
        session
            .inspect_state(InspectState { document_id: 0, state: state.into() })
            .expect("the document is open")
    }

    fn set_field(session: &mut Session, pointer: &str, value: Option<serde_json::Value>) {
        let edit = EditRequest::SetField { pointer: pointer.into(), value };
        session.apply_edit(ApplyEdit { document_id: 0, edit }).expect("sets the field");
    }

    const TASKS: &str = r#"{
  "StartAt": "Call",
  "States": {
    "Call": {
      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {"FunctionName": "f"},
      "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
      "Next": "Both"
    },
    "Both": {
      "Type": "Parallel",
      "QueryLanguage": "JSONata",
      "Branches": [
        {"StartAt": "Inner", "States": {"Inner": {"Type": "Pass", "Output": {}, "End": true}}}
      ],
      "Output": "{% $states.input %}",
      "End": true
    }
  }
}"#;

    #[test]
    fn the_inspector_gets_a_states_value_type_language_fields_and_targets() {
        let (mut session, _) = example();
        let wait = inspect(&mut session, "/States/Wait 3 sec").expect("the Wait state");
        assert_eq!((wait.name.as_str(), wait.state_type.as_str()), ("Wait 3 sec", "Wait"));
        assert_eq!(wait.query_language, "JSONPath");
        assert!(wait.query_language_inherited);
        assert_eq!(wait.value["Seconds"], 3);
        assert!(wait.fields.contains(&"SecondsPath".to_owned()), "{:?}", wait.fields);
        assert!(!wait.fields.contains(&"Output".to_owned()), "JSONata only: {:?}", wait.fields);
        assert_eq!(wait.targets.len(), 7, "the top-level states: {:?}", wait.targets);
        assert!(wait.diagnostics.is_empty() && wait.editable);

        let hello = inspect(&mut session, "/States/Parallel State/Branches/0/States/Hello")
            .expect("a state inside a branch");
        assert_eq!(hello.targets, vec!["Hello".to_owned()], "only its own machine's states");
        assert!(inspect(&mut session, "/States/Nope").is_none(), "no such state");
        assert!(inspect(&mut session, "/States/Parallel State/Branches").is_none());
    }

    #[test]
    fn the_inspector_follows_the_query_language_and_keeps_diagnostics_of_the_state_only() {
        let (mut session, _) = example();
        session.apply_text(ApplyText { document_id: 0, text: TASKS.into() }).expect("text");
        let call = inspect(&mut session, "/States/Call").expect("the Task");
        assert!(call.fields.contains(&"Parameters".to_owned()));
        assert!(call.catcher_fields.contains(&"ResultPath".to_owned()));
        assert_eq!(call.value["Retry"][0]["MaxAttempts"], 2);

        let both = inspect(&mut session, "/States/Both").expect("the Parallel");
        assert_eq!(
            (both.query_language.as_str(), both.query_language_inherited),
            ("JSONata", false)
        );
        assert!(both.fields.contains(&"Arguments".to_owned()));
        assert!(!both.fields.contains(&"Parameters".to_owned()));
        assert!(both.catcher_fields.contains(&"Output".to_owned()));
        // States inherit the top level's language, not their container's: the inner state is
        // JSONPath, so its Output is refused, and that diagnostic is the inner state's.
        assert!(both.diagnostics.is_empty(), "{:?}", both.diagnostics);
        let inner = inspect(&mut session, "/States/Both/Branches/0/States/Inner").expect("inner");
        let paths: Vec<&str> = inner.diagnostics.iter().map(|d| d.path.as_str()).collect();
        assert!(paths.contains(&"/States/Both/Branches/0/States/Inner/Output"), "{paths:?}");

        set_field(&mut session, "/States/Call/TimeoutSeconds", Some(serde_json::json!(-1)));
        let call = inspect(&mut session, "/States/Call").expect("the Task");
        let codes: Vec<(&str, &str)> =
            call.diagnostics.iter().map(|d| (d.code.as_str(), d.path.as_str())).collect();
        assert!(
            codes.iter().any(|(_, path)| *path == "/States/Call/TimeoutSeconds"),
            "the bad value is reported at its field: {codes:?}"
        );
        assert_eq!(call.revision, 2);
    }

    #[test]
    fn inspector_edits_are_one_undo_step_each_and_removing_a_field_takes_it_out() {
        let (mut session, _) = example();
        let start = session.apply_text(ApplyText { document_id: 0, text: TASKS.into() });
        let start = start.expect("text").text;
        set_field(&mut session, "/States/Call/TimeoutSeconds", Some(serde_json::json!(30)));
        let retry = serde_json::json!([
            {"ErrorEquals": ["States.Timeout"], "IntervalSeconds": 1},
            {"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}
        ]);
        set_field(&mut session, "/States/Call/Retry", Some(retry.clone()));
        set_field(&mut session, "/States/Call/Parameters", None);
        set_field(&mut session, "/States/Call/ResultPath", Some(serde_json::Value::Null));
        let call = inspect(&mut session, "/States/Call").expect("the Task");
        assert_eq!(call.value["TimeoutSeconds"], 30);
        assert_eq!(call.value["Retry"], retry);
        assert!(call.value.get("Parameters").is_none(), "removed");
        assert_eq!(call.value.get("ResultPath"), Some(&serde_json::Value::Null), "null is kept");
        let text = session.file(0).expect("open").document.text().to_owned();
        assert!(text.contains("\"TimeoutSeconds\": 30"), "{text}");

        for _ in 0..4 {
            session.undo(DocumentRef { document_id: 0 }).expect("one step per edit");
        }
        assert_eq!(session.file(0).expect("open").document.text(), start, "byte for byte");
    }

    #[test]
    fn the_inspector_reads_yaml_and_says_when_the_text_does_not_parse() {
        let dir = std::env::temp_dir().join(format!("stepwise-inspect-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("flow.asl.yaml");
        let yaml = "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    TimeoutSeconds: 5\n    End: true\n";
        std::fs::write(&path, yaml).expect("write");
        let mut session = Session::new(Some(path));
        session.launch_document(LaunchDocument {}).expect("opens");
        let a = inspect(&mut session, "/States/A").expect("the Task");
        assert_eq!(a.value["TimeoutSeconds"], 5);
        set_field(&mut session, "/States/A/TimeoutSeconds", Some(serde_json::json!(9)));
        let text = session.file(0).expect("open").document.text().to_owned();
        assert!(text.contains("TimeoutSeconds: 9"), "{text}");

        let broken = format!("{text}  B: [\n");
        session.apply_text(ApplyText { document_id: 0, text: broken }).expect("kept");
        if let Some(a) = inspect(&mut session, "/States/A") {
            assert!(!a.editable, "edits wait until the text parses");
        }
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

    /// The inspector's tests (ui/src/features/inspector) render this inspection of the example's
    /// Choice state.
    #[test]
    fn ui_fixture_of_an_inspected_choice_is_current() {
        let mut session = Session::new(None);
        session.launch_document(LaunchDocument {}).expect("example opens");
        let state = "/States/Hello World example?".to_owned();
        let inspection = session.inspect_state(InspectState { document_id: 0, state });
        let inspection = inspection.expect("open").expect("the Choice state");
        let rendered = serde_json::to_string_pretty(&inspection).expect("serializes") + "\n";
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/ui-fixtures/hello-world.inspect-choice.json");
        if std::env::var_os("UPDATE_EXPECT").is_some() {
            std::fs::write(&path, &rendered).expect("write fixture");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == rendered, "{} is stale: run `cargo xtask codegen`", path.display());
    }
}
