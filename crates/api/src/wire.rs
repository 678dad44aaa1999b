//! The types that cross the IPC boundary: camelCase JSON, generated to TypeScript.
//!
//! They are built from the engine crates' types at the edge and are never used inside the
//! engines, so the engines stay free of serialization concerns of the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An optional member whose `null` is a value: absent is `None`, `null` is `Some(Null)`
/// (serde's `Option` alone reads both as `None`).
mod present {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    pub(super) fn serialize<S: Serializer>(
        value: &Option<Value>,
        out: S,
    ) -> Result<S::Ok, S::Error> {
        value.serialize(out)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        input: D,
    ) -> Result<Option<Value>, D::Error> {
        Value::deserialize(input).map(Some)
    }
}

/// Asks for the document the app was started with: the file named on its command line, or the
/// bundled example.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LaunchDocument {}

/// Opens a workflow file from disk.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenDocument {
    /// Absolute path of an `.asl.json` file.
    pub path: String,
}

/// Replaces the whole text of a document (from the code view).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplyText {
    /// Which document.
    pub document_id: u32,
    /// The new text.
    pub text: String,
}

/// Applies one semantic edit (from the canvas or the inspector).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApplyEdit {
    /// Which document.
    pub document_id: u32,
    /// What to change.
    pub edit: EditRequest,
}

/// Rewrites one JSONPath state as the equivalent JSONata state (one undoable change). When
/// some field has no faithful JSONata equivalent the command fails with `EditRejected` and a
/// message naming the field, and nothing changes.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ConvertToJsonata {
    /// Which document.
    pub document_id: u32,
    /// The state's JSON Pointer (`/States/A`).
    pub state: String,
}

/// Names a document, for commands that need nothing else (undo, redo).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRef {
    /// Which document.
    pub document_id: u32,
}

/// Saves a document under a new path.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveDocumentAs {
    /// Which document.
    pub document_id: u32,
    /// Where, absolute.
    pub path: String,
}

/// Asks for the template gallery.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListTemplates {}

/// One template of the gallery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TemplateInfo {
    /// Stable id (the folder under assets/templates).
    pub id: String,
    /// Title.
    pub name: String,
    /// What it shows, in a sentence or two.
    pub description: String,
}

/// Opens a new, unsaved document from a template.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewFromTemplate {
    /// The template's id.
    pub id: String,
}

/// Pins a node where the user dropped it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SetNodePosition {
    /// Which document.
    pub document_id: u32,
    /// The node's id (a state's JSON Pointer).
    pub node_id: String,
    /// Left edge, relative to the node's container.
    pub x: f64,
    /// Top edge, relative to the node's container.
    pub y: f64,
}

/// Which transition of a state an edit addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum TransitionRef {
    /// `Next`.
    Next,
    /// A Choice state's `Default`.
    Default,
    /// The n-th Choice rule; n equal to the number of rules appends one.
    Choice {
        /// Rule index.
        index: u32,
    },
    /// The n-th catcher; n equal to the number of catchers appends one.
    Catch {
        /// Catcher index.
        index: u32,
    },
}

/// A semantic edit. States are named by JSON Pointer (`/States/A`), machines by pointer
/// (`""` for the top level, `/States/P/Branches/0` for a branch).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum EditRequest {
    /// Adds a state with sensible defaults and a unique name at the end of a machine.
    AddState {
        /// The machine.
        machine: String,
        /// The ASL type ("Pass", "Task", ...).
        state_type: String,
        /// The wished name; made unique.
        name: Option<String>,
    },
    /// Inserts a new state on a transition: from → new → the old target.
    InsertState {
        /// The state the transition leaves.
        from: String,
        /// Which transition.
        transition: TransitionRef,
        /// The ASL type.
        state_type: String,
        /// The wished name; made unique.
        name: Option<String>,
    },
    /// Removes a state, reconnecting its predecessors to its successor.
    RemoveState {
        /// The state.
        state: String,
    },
    /// Renames a state and every reference to it.
    RenameState {
        /// The state.
        state: String,
        /// The new name.
        to: String,
    },
    /// Points a transition of `from` at the state named `to`.
    Connect {
        /// The state the transition leaves.
        from: String,
        /// Which transition.
        transition: TransitionRef,
        /// The target's name.
        to: String,
    },
    /// Removes a transition.
    Disconnect {
        /// The state the transition leaves.
        from: String,
        /// Which transition.
        transition: TransitionRef,
    },
    /// Sets a machine's `StartAt`.
    SetStartAt {
        /// The machine.
        machine: String,
        /// The state's name.
        name: String,
    },
    /// Sets the value at a JSON Pointer, or removes the member when `value` is left out.
    SetField {
        /// Where.
        pointer: String,
        /// The new value; absent removes the member, and `null` is JSON null (a `ResultPath`
        /// of `null` discards the result, which is not the same as no `ResultPath`).
        #[serde(default, with = "present", skip_serializing_if = "Option::is_none")]
        #[ts(optional, type = "unknown")]
        value: Option<serde_json::Value>,
    },
    /// Moves a state into another machine.
    MoveState {
        /// The state.
        state: String,
        /// The target machine.
        machine: String,
    },
    /// Changes a state's type, keeping the fields that still apply.
    ChangeType {
        /// The state.
        state: String,
        /// The new ASL type.
        state_type: String,
    },
    /// Duplicates a state under a unique name.
    DuplicateState {
        /// The state.
        state: String,
    },
    /// Pastes copied states into a machine under unique names, as one undo step (see
    /// `stepwise_asl::Edit::PasteStates` for what happens to their transitions).
    PasteStates {
        /// The machine's pointer (`""` for the top level).
        machine: String,
        /// The states by their copied names, in order: each an ASL state object.
        #[ts(type = "Record<string, unknown>")]
        states: serde_json::Map<String, serde_json::Value>,
    },
}

/// Everything the UI shows of one document, derived from its text in one go.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentSnapshot {
    /// Which document, its file and its undo, save and selection state.
    #[serde(flatten)]
    pub head: DocumentHead,
    /// The ASL text: the ground truth every other field is derived from.
    pub text: String,
    /// What is wrong with the text, located.
    pub diagnostics: Vec<DiagnosticView>,
    /// The graph with its layout. When the text does not parse this is the last graph that did.
    pub graph: GraphView,
    /// Where each state is in the text (when the text parses), for the canvas and the code view
    /// to select together; in text order.
    pub state_ranges: Vec<StateRange>,
}

/// The small fields of a snapshot: sent whole in every [`SnapshotUpdate`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DocumentHead {
    /// Identifies the open document in later commands.
    pub document_id: u32,
    /// The file, when the document has one.
    pub path: Option<String>,
    /// The file name shown in the title bar.
    pub name: String,
    /// Increases with every change of the text; the UI ignores snapshots older than one it has.
    pub revision: u32,
    /// Whether undo and redo have something to do.
    pub can_undo: bool,
    /// See `can_undo`.
    pub can_redo: bool,
    /// The state an edit created or touched, for the canvas to select.
    pub focus: Option<String>,
    /// `json` or `yaml`: how the code view highlights the text.
    pub format: String,
    /// The text or the pinned positions differ from what was last saved (or opened).
    pub dirty: bool,
}

/// A [`DocumentSnapshot`] as it crosses IPC: whole, or as what changed since the last update sent
/// for the same document. A field edit in a 1,000-state machine changes a few bytes of a
/// snapshot of about 1 MB; sending and parsing the whole of it cost the window most of the edit's
/// time (decision 0013). The UI rebuilds the snapshot (`ui/src/ipc/snapshots.ts`), keeping the
/// objects of every unchanged node and edge, and asks for the whole (`document_snapshot`) when an
/// update does not follow the one it holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SnapshotUpdate {
    /// Numbers the updates sent for this document; a later update names it as its `base`.
    pub seq: u32,
    /// The update this one changes; `None` when this one carries everything.
    pub base: Option<u32>,
    /// The small fields, always whole.
    #[serde(flatten)]
    pub head: DocumentHead,
    /// The text: one replaced span of the base's text (or all of it).
    pub text: TextSplice,
    /// The diagnostics when they changed; `None` keeps the base's.
    pub diagnostics: Option<Vec<DiagnosticView>>,
    /// The graph's nodes.
    pub nodes: ListUpdate<NodeView>,
    /// The graph's edges.
    pub edges: ListUpdate<EdgeView>,
    /// The state ranges.
    pub state_ranges: ListUpdate<StateRange>,
}

/// The text after an update: the base's text with `from..to` replaced by `insert`. Offsets count
/// UTF-16 code units, as JavaScript strings do; a whole text is `0..0` of an empty base.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextSplice {
    /// Where the replaced span starts.
    pub from: u32,
    /// Where it ends in the base's text.
    pub to: u32,
    /// What replaces it.
    pub insert: String,
}

/// A list after an update: the base's first `keep_start` items, then `middle`, then the base's
/// last `keep_end` items, those with their text lines moved by `end_line_shift` (the lines the
/// edit added or removed above them; 0 for lists that hold no lines).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListUpdate<T> {
    /// Items kept from the start of the base's list.
    pub keep_start: u32,
    /// The new items between the kept ends.
    pub middle: Vec<T>,
    /// Items kept from the end of the base's list.
    pub keep_end: u32,
    /// Lines added (or, negative, removed) above the items kept at the end.
    pub end_line_shift: i32,
}

/// Where a state (key and value) is in the text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StateRange {
    /// The state's node id (its JSON Pointer).
    pub id: String,
    /// From its key to the end of its value.
    pub range: RangeView,
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SeverityView {
    /// AWS would reject the definition.
    Error,
    /// A likely mistake.
    Warning,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PositionView {
    /// Zero-based line.
    pub line: u32,
    /// Zero-based column, in characters.
    pub column: u32,
}

/// A text range, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct RangeView {
    /// First character.
    pub start: PositionView,
    /// Just past the last character.
    pub end: PositionView,
}

/// One located finding about the document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiagnosticView {
    /// Error or warning.
    pub severity: SeverityView,
    /// The rule's stable code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// JSON Pointer into the definition.
    pub path: String,
    /// Where in the text.
    pub range: RangeView,
}

/// The laid-out graph of a document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct GraphView {
    /// Containers come before the nodes they hold.
    pub nodes: Vec<NodeView>,
    /// Transitions.
    pub edges: Vec<EdgeView>,
}

/// What a node is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum NodeViewKind {
    /// The start marker of a machine or branch.
    Start,
    /// The end marker of a machine or branch.
    End,
    /// A state.
    State,
}

/// One node with its place on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NodeView {
    /// Unique in the graph: the state's JSON Pointer, or a scope pointer with `#start`/`#end`.
    pub id: String,
    /// The state name, or "Start"/"End".
    pub name: String,
    /// Marker or state.
    pub kind: NodeViewKind,
    /// The ASL `Type` of a state ("Pass", "Task", ...); `None` for markers.
    pub state_type: Option<String>,
    /// The Parallel or Map node this node is drawn inside.
    pub parent: Option<String>,
    /// Which branch of its parent the node is in (0 for a Map processor).
    pub branch: Option<u32>,
    /// Left edge, relative to the parent.
    pub x: f64,
    /// Top edge, relative to the parent.
    pub y: f64,
    /// Width.
    pub width: f64,
    /// Height.
    pub height: f64,
    /// The definition substitutions (`${Name}`, filled in by SAM or CloudFormation at deploy
    /// time) in the state's own fields, each once: the canvas shows them as placeholders.
    pub placeholders: Vec<String>,
}

/// Why one node leads to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EdgeViewKind {
    /// From a start marker.
    Start,
    /// `Next`.
    Next,
    /// A Choice rule.
    Choice,
    /// A Choice `Default`.
    Default,
    /// A `Catch` entry.
    Catch,
    /// Into an end marker.
    End,
}

/// One transition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EdgeView {
    /// Unique in the graph.
    pub id: String,
    /// The node it leaves.
    pub source: String,
    /// The node it enters.
    pub target: String,
    /// Why it is taken.
    pub kind: EdgeViewKind,
    /// The rule's or the catcher's index, for Choice and Catch edges.
    pub index: Option<u32>,
    /// The Choice rule's condition or the caught error names.
    pub label: Option<String>,
    /// Closes a loop: drawn around the side rather than up through the flow.
    pub back: bool,
}

/// Why a command failed; `code` is for the UI to branch on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[serde(rename_all = "camelCase")]
#[error("{message}")]
pub struct ApiError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// A sentence for people, naming the file or document.
    pub message: String,
}

/// The failures the UI tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub enum ErrorCode {
    /// A file could not be read.
    Io,
    /// No open document has this id.
    UnknownDocument,
    /// No template (or palette item) has this id.
    UnknownTemplate,
    /// No run has this id (or no task of the run waits under this id).
    UnknownExecution,
    /// The run could not start: input that is not JSON, a broken mock file, a definition with
    /// errors. The message says which and where.
    RunRefused,
    /// The document has no file yet: ask where to save it.
    NoPath,
    /// The edit does not apply (unknown state, taken name, text that does not parse, nothing to
    /// undo); nothing changed. The message says why.
    EditRejected,
}

/// Event `disk-changed`: another program changed an open document's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DiskChanged {
    /// Which document.
    pub document_id: u32,
    /// Reloading would replace edits the user has not saved: ask first.
    pub unsaved_edits: bool,
}

/// Event `close-requested`: the window is asked to close while edits are unsaved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CloseRequested {}

/// Asks what a run of a document can use: its sample input and its mock test cases.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSetupRequest {
    /// Which document.
    pub document_id: u32,
}

/// What a run of a document can use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunSetup {
    /// The sample input found beside the workflow (`NAME.input.json`), or `{}`.
    pub sample_input: String,
    /// The test cases of the mock configuration beside it (`NAME.mocks.json`), in file order.
    pub test_cases: Vec<String>,
    /// Where the mocks came from, for the run panel to say.
    pub mocks_source: Option<String>,
}

/// Runs the document once, locally, with the virtual clock.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunExecution {
    /// Which document.
    pub document_id: u32,
    /// The execution name (`$$.Execution.Name`); a fresh `run-<time>` when absent. Checked
    /// as StartExecution checks it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: Option<String>,
    /// The execution input, as JSON text.
    pub input: String,
    /// The mock test case that answers Task states, if any.
    pub test_case: Option<String>,
}

/// How a state fared in a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum StateRunStatus {
    /// Entered and left normally.
    Succeeded,
    /// Failed, and the failure ended its machine.
    Failed,
    /// Failed, and a Catch sent the execution on.
    Caught,
    /// Still running when the execution stopped.
    Cancelled,
    /// Running now (a live run): entered, its visit not ended yet.
    Running,
}

/// One state's part in a run (its last visit; `visits` counts them all).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StateRunView {
    /// The state's name.
    pub name: String,
    /// How it fared.
    pub status: StateRunStatus,
    /// How many times it ran.
    pub visits: u32,
    /// The stages of the data pipeline of the last visit, in order, with their values as JSON
    /// text: input, afterInputPath, afterParameters, result, afterResultSelector,
    /// afterResultPath, output (those the state has).
    pub stages: Vec<StageView>,
    /// The error of the last visit, if it failed.
    pub error: Option<String>,
    /// Its cause.
    pub cause: Option<String>,
}

/// One stage of the data pipeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StageView {
    /// The stage, named as TestState's inspection data names it.
    pub name: String,
    /// The value after it, as pretty JSON text.
    pub value: String,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionView {
    /// Its id in the execution history, when the history is kept.
    pub id: Option<u32>,
    /// Its name.
    pub name: String,
    /// SUCCEEDED, FAILED, TIMED_OUT or ABORTED.
    pub status: String,
    /// The output when SUCCEEDED, as pretty JSON text.
    pub output: Option<String>,
    /// The error when it did not succeed.
    pub error: Option<String>,
    /// Its cause.
    pub cause: Option<String>,
    /// Every state that ran.
    pub states: Vec<StateRunView>,
    /// The history, shaped like AWS GetExecutionHistory's events.
    #[ts(type = "Array<Record<string, unknown>>")]
    pub events: Vec<serde_json::Value>,
    /// What the run would be billed on.
    pub usage: UsageView,
    /// Its Distributed Maps' Map Runs with their child executions, when one ran
    /// (`stepwise_interp::map_run::MapRun::to_json`): what a redrive continues.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "Array<Record<string, unknown>>")]
    pub map_runs: Option<Vec<serde_json::Value>>,
}

/// What AWS bills a run on: state transitions (Standard) and duration (Express).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct UsageView {
    /// States entered, retries included (AWS counts a transition each time a step runs).
    pub state_transitions: u32,
    /// From the start to the end of the run, in the run's (virtual) time.
    pub duration_ms: f64,
}

/// How time passes in a live run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RunClock {
    /// Virtual time: Wait states and task durations take no wall time.
    Instant,
    /// Wall time passes as logical time does.
    RealTime,
    /// Wall time passes `speed` times faster than logical time (10 = ten times faster).
    Scaled {
        /// How many logical seconds pass per wall second.
        speed: f64,
    },
}

/// Starts a live run of a document in the background; follow it with `poll_run`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StartRun {
    /// Which document.
    pub document_id: u32,
    /// The execution name (`$$.Execution.Name`); a fresh `run-<time>` when absent. Checked
    /// as StartExecution checks it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub name: Option<String>,
    /// The execution input, as JSON text.
    pub input: String,
    /// The mock test case that answers Task states, if any. Callback tasks
    /// (`.waitForTaskToken`) and activities it does not answer wait for an answer.
    pub test_case: Option<String>,
    /// How time passes.
    pub clock: RunClock,
    /// Pause before the first state.
    pub start_paused: bool,
    /// Run as an Express workflow: validated as Express (no .sync, callbacks or activities)
    /// and ended after five minutes.
    #[serde(default)]
    pub express: bool,
    /// Lift AWS's limits (256 KiB payloads, 25,000 history events) for this run.
    #[serde(default)]
    pub lift_limits: bool,
    /// Pause before these states (by name, at any depth).
    pub breakpoints: Vec<String>,
}

/// Redrives a recorded run that did not succeed: it continues from where it stopped, with the
/// definition and input it ran (RedriveExecution), as a live run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RedriveRun {
    /// The document whose run panel follows it.
    pub document_id: u32,
    /// The run's id in the execution history.
    pub id: u32,
    /// The mock test case that answers Task states this time, if any.
    pub test_case: Option<String>,
    /// How time passes.
    pub clock: RunClock,
    /// Pause before the first state it runs.
    pub start_paused: bool,
    /// Pause before these states.
    pub breakpoints: Vec<String>,
}

/// Asks what happened in a live run since the event `since_event_id` (0: from the start).
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PollRun {
    /// Which run.
    pub run_id: u32,
    /// The id of the last event the caller has; newer ones are returned.
    pub since_event_id: u32,
}

/// Steers a live run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ControlRun {
    /// Which run.
    pub run_id: u32,
    /// What to do.
    pub action: DebugAction,
    /// As in `poll_run`: the progress returned starts after this event.
    pub since_event_id: u32,
}

/// A debugger action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum DebugAction {
    /// Run until a breakpoint or the end.
    Continue,
    /// Run the next state and pause (into Parallel branches and Map iterations).
    Step,
    /// Run the next state and pause at the same depth or shallower.
    StepOver,
    /// Pause before the next state.
    Pause,
    /// End the execution ABORTED, as StopExecution does.
    Stop,
    /// Continue until `state` (a breakpoint kept only until the next pause).
    RunTo {
        /// The state's name.
        state: String,
    },
    /// Replace the breakpoints (state names).
    SetBreakpoints {
        /// The states to pause before.
        states: Vec<String>,
    },
}

/// Answers a task waiting in a live run, as SendTaskSuccess / SendTaskFailure /
/// SendTaskHeartbeat would.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AnswerTask {
    /// Which run.
    pub run_id: u32,
    /// Which task: its `PendingTaskView::id` (the task token of a callback task).
    pub task_id: String,
    /// The answer.
    pub reply: TaskReply,
    /// As in `poll_run`: the progress returned starts after this event.
    pub since_event_id: u32,
}

/// What a waiting task is told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum TaskReply {
    /// SendTaskSuccess with this output (JSON text).
    Success {
        /// The task's result, as JSON text.
        output: String,
    },
    /// SendTaskFailure.
    Failure {
        /// The error name.
        error: String,
        /// The cause.
        cause: Option<String>,
    },
    /// SendTaskHeartbeat: the task keeps waiting; HeartbeatSeconds counts from now.
    Heartbeat,
}

/// A task waiting for an answer: a callback (`.waitForTaskToken`) or an activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PendingTaskView {
    /// How `answer_task` names it: the task token, or an id for an activity.
    pub id: String,
    /// The Task state.
    pub state_name: String,
    /// Its resource ARN.
    pub resource: String,
    /// The task token (`$$.Task.Token`) of a callback task.
    pub task_token: Option<String>,
    /// The task's input (the effective parameters), as pretty JSON text.
    pub input: String,
    /// Heartbeats sent so far.
    pub heartbeats: u32,
}

/// Where a paused run waits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PauseView {
    /// The state about to run.
    pub state: String,
    /// Its input, as pretty JSON text.
    pub input: String,
    /// The state that ran last (its pipeline is in `states`), if any.
    pub last_state: Option<String>,
}

/// What a live run has done so far.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RunProgress {
    /// Which run.
    pub run_id: u32,
    /// RUNNING, PAUSED, or how it ended: SUCCEEDED, FAILED, TIMED_OUT, ABORTED.
    pub status: String,
    /// History events after `since_event_id`, in the order they happened.
    #[ts(type = "Array<Record<string, unknown>>")]
    pub events: Vec<serde_json::Value>,
    /// The id of the last event so far (pass it as the next `since_event_id`).
    pub last_event_id: u32,
    /// Every state that ran or is running, with the pipeline of its last finished visit.
    pub states: Vec<StateRunView>,
    /// Where the run is paused.
    pub paused: Option<PauseView>,
    /// Tasks waiting for an answer.
    pub pending: Vec<PendingTaskView>,
    /// The whole result once the run has ended (its events replace the live ones). A caller
    /// following the run (`since_event_id` above 0) gets it once it has every event.
    pub result: Option<ExecutionView>,
    /// Events ready after these: the caller asks again at once.
    pub events_left: u32,
    /// The result's `events` were left out because they are exactly the events already
    /// reported (the final history of a long run is not sent twice).
    pub result_events_streamed: bool,
}

/// Asks for the palette.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ListPalette {}

/// One palette entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PaletteItem {
    /// Stable id.
    pub id: String,
    /// What the palette shows, and the new state's name (made unique).
    pub label: String,
    /// "Flow" or "Actions".
    pub group: String,
    /// The ASL type it creates.
    pub state_type: String,
    /// One sentence.
    pub description: String,
    /// Extra words the palette's search matches.
    pub keywords: String,
}

/// Inserts a palette item: as a new state of a machine, or on a transition (between its ends).
/// The whole insertion is one undoable change.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsertPaletteItem {
    /// Which document.
    pub document_id: u32,
    /// The palette item's id.
    pub item_id: String,
    /// The machine to add it to (`""` for the top level); ignored when `on` is given.
    pub machine: String,
    /// The transition to insert it on: the state it leaves and which transition.
    pub on: Option<TransitionOn>,
    /// Where it was dropped (pinned there), relative to its container.
    pub position: Option<PositionXY>,
}

/// A transition, named by the state it leaves.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransitionOn {
    /// The state the transition leaves.
    pub from: String,
    /// Which transition.
    pub transition: TransitionRef,
}

/// A point on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct PositionXY {
    /// Horizontal.
    pub x: f64,
    /// Vertical.
    pub y: f64,
}

/// Asks for the words the code view completes.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VocabularyRequest {}

/// The words the code view completes: field names per state type, and the fields of Choice rules,
/// retriers and catchers (the validator's own tables).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Vocabulary {
    /// The ASL state types.
    pub state_types: Vec<String>,
    /// For each state type, its fields.
    pub state_fields: Vec<FieldsOfType>,
    /// Fields of Choice rules, retriers and catchers.
    pub rule_fields: Vec<String>,
    /// Fields of a machine (top level, branch, processor).
    pub machine_fields: Vec<String>,
}

/// The fields of one state type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldsOfType {
    /// The ASL type.
    pub state_type: String,
    /// Its fields.
    pub fields: Vec<String>,
}

/// Runs one state alone in the data-flow simulator, as AWS's TestState API does.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TestState {
    /// Which document.
    pub document_id: u32,
    /// The state's JSON Pointer.
    pub state: String,
    /// The state's JSON as the simulator holds it (its edits not yet applied to the document);
    /// `None` runs the state as the document has it.
    #[ts(type = "Record<string, unknown> | null")]
    pub definition: Option<serde_json::Value>,
    /// The state input, as JSON text.
    pub input: String,
    /// What a Task (or every task inside a Map or Parallel) answers.
    pub task: SimulatedTask,
}

/// The answer the simulator gives a task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum SimulatedTask {
    /// The task returns this result (JSON text).
    Result {
        /// The result as JSON text.
        json: String,
    },
    /// The task fails with this error and cause.
    Error {
        /// The error name.
        error: String,
        /// The cause.
        cause: String,
    },
}

/// One state's run in the simulator, shaped like TestState's answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TestStateResult {
    /// SUCCEEDED, FAILED, RETRIABLE (a Retry would run it again) or CAUGHT_ERROR.
    pub status: String,
    /// The state output as pretty JSON (SUCCEEDED and CAUGHT_ERROR).
    pub output: Option<String>,
    /// Where the run would go next: the state itself when RETRIABLE.
    pub next_state: Option<String>,
    /// The error, when the state failed.
    pub error: Option<String>,
    /// Its cause.
    pub cause: Option<String>,
    /// The value after each stage of the data pipeline, in order.
    pub stages: Vec<StageView>,
    /// The index of the catcher that handled the error.
    pub catch_index: Option<u32>,
    /// The index of the retrier that would retry it.
    pub retry_index: Option<u32>,
    /// How long that retrier waits before its first retry.
    pub retry_backoff_interval_seconds: Option<u32>,
}

/// Writes a recorded run to a file: its definition, input, history and per-state views.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportExecution {
    /// The run's id in the execution history.
    pub id: u32,
    /// Where to write it.
    pub path: String,
}

/// Reads a run from a file: one Stepwise exported, or an AWS GetExecutionHistory answer.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportExecution {
    /// The document to show it on when the file has no definition of its own.
    pub document_id: u32,
    /// The file.
    pub path: String,
}

/// A run read from a file, and where to show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedExecution {
    /// The definition it ran, opened as a new document, when the file has one; otherwise the
    /// run is shown on the document it was imported into.
    pub document: Option<DocumentSnapshot>,
    /// The run.
    pub execution: ExecutionView,
}

/// An input saved under a name for a workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NamedInputView {
    /// Its name.
    pub name: String,
    /// The input, as JSON text.
    pub input: String,
}

/// Saves an input under a name for a document's workflow (replacing one of that name).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SaveInput {
    /// Which document.
    pub document_id: u32,
    /// The name.
    pub name: String,
    /// The input, as JSON text (it must parse).
    pub input: String,
}

/// Forgets a saved input.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DeleteInput {
    /// Which document.
    pub document_id: u32,
    /// The name.
    pub name: String,
}

/// Asks what the inspector needs to edit one state.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InspectState {
    /// Which document.
    pub document_id: u32,
    /// The state's JSON Pointer (`/States/A`, `/States/P/Branches/0/States/B`).
    pub state: String,
}

/// One state as the inspector edits it: its value as written, what it may hold, and what is
/// wrong inside it. Edits go back through `apply_edit` (`setField`, `connect`, `disconnect`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StateInspection {
    /// The state's JSON Pointer.
    pub pointer: String,
    /// Its name.
    pub name: String,
    /// Its `Type`.
    pub state_type: String,
    /// The query language in force: `JSONPath` or `JSONata`.
    pub query_language: String,
    /// Whether that language is the machine's (no `QueryLanguage` on the state itself).
    pub query_language_inherited: bool,
    /// The state's object as written (JSON or YAML source alike).
    #[ts(type = "Record<string, unknown>")]
    pub value: serde_json::Value,
    /// The fields a state of this type and query language may have (the validator's table).
    pub fields: Vec<String>,
    /// The fields its catchers may have in this query language.
    pub catcher_fields: Vec<String>,
    /// The names of the states of its machine: the targets a transition may name.
    pub targets: Vec<String>,
    /// The diagnostics located at the state or inside it.
    pub diagnostics: Vec<DiagnosticView>,
    /// False while the text does not parse: edits would be refused.
    pub editable: bool,
    /// The document revision this describes.
    pub revision: u32,
}

/// One past run of a workflow, for the executions list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionSummary {
    /// Its id.
    pub id: u32,
    /// Its name.
    pub name: String,
    /// RUNNING (never saw its end: the app closed or crashed), SUCCEEDED, FAILED, TIMED_OUT or
    /// ABORTED.
    pub status: String,
    /// When it started (wall clock, milliseconds since the epoch).
    pub started_ms: f64,
    /// When it ended.
    pub ended_ms: Option<f64>,
}

/// Opens a past run.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenExecution {
    /// Its id.
    pub id: u32,
}

/// Exports the graph as an image file.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportImage {
    /// Which document.
    pub document_id: u32,
    /// `svg` or `png`.
    pub format: String,
    /// Where to write it.
    pub path: String,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExportedImage {
    /// The file.
    pub path: String,
    /// Its width in pixels (SVG: user units).
    pub width: u32,
    /// Its height.
    pub height: u32,
}

/// Asks for the recently opened or saved files.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RecentFilesRequest {}

/// Event `file-dropped`: a file was dropped on the window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FileDropped {
    /// The first dropped file.
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_field_tells_a_null_value_from_a_missing_one() {
        let read = |json: &str| match serde_json::from_str::<EditRequest>(json).expect("reads") {
            EditRequest::SetField { value, .. } => value,
            other => panic!("not a setField: {other:?}"),
        };
        let null = read(r#"{"kind":"setField","pointer":"/States/A/ResultPath","value":null}"#);
        assert_eq!(null, Some(serde_json::Value::Null), "null is a value");
        assert_eq!(read(r#"{"kind":"setField","pointer":"/States/A/ResultPath"}"#), None);
        let one = read(r#"{"kind":"setField","pointer":"/States/A/TimeoutSeconds","value":1}"#);
        assert_eq!(one, Some(serde_json::json!(1)));
    }
}
