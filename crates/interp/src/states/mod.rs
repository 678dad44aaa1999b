//! The executable plan: a definition compiled once into states addressed by index, with every
//! path, template, intrinsic and choice rule pre-parsed. The engine never walks the definition's
//! JSON while running.
//!
//! Each state keeps its [`QueryLanguage`]. A JSONata state compiles in two parts: what it shares
//! with JSONPath states (type, transitions, Retry, Catch targets, branches, literal numbers) the
//! usual way, and its `{% … %}` fields (`Arguments`, `Output`, `Assign`, `Condition`, `Items`, …)
//! into [`JsonataFields`], which the engine evaluates instead of the JSONPath stages.

pub mod choice;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::dataflow::jsonata::{Jsonata, is_expression};
use crate::dataflow::{Path, PathField, Template};
use crate::intrinsics::{Intrinsic, looks_like_intrinsic};
use choice::Rule;

/// Why a definition cannot be executed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompileError {
    /// JSON Pointer into the definition.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for CompileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", if self.pointer.is_empty() { "/" } else { &self.pointer }, self.message)
    }
}

impl std::error::Error for CompileError {}

/// The query language of a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryLanguage {
    /// `$`-paths, `.$` fields, intrinsic functions (the default).
    JsonPath,
    /// `{% ... %}` expressions (not executable yet).
    Jsonata,
}

/// A compiled state machine (top level, Parallel branch or Map item processor).
#[derive(Debug, Clone)]
pub struct Machine {
    /// States by index; `start` is the StartAt state.
    pub states: Vec<State>,
    /// Index of StartAt.
    pub start: usize,
    /// Top-level `TimeoutSeconds`.
    pub timeout_seconds: Option<u64>,
    /// Every state's name by [`State::id`], nested machines' included (filled in the top-level
    /// machine; empty in a Parallel branch or Map processor).
    pub names: StateNames,
}

/// State names by [`State::id`], shared by a plan and the histories of its runs.
pub type StateNames = Arc<[Arc<str>]>;

/// One compiled state.
#[derive(Debug, Clone)]
pub struct State {
    /// The state name.
    pub name: Arc<str>,
    /// The state's number in the whole plan, nested states included: history records name a
    /// state by it (see [`Machine::names`]).
    pub id: u32,
    /// Its query language.
    pub query_language: QueryLanguage,
    /// InputPath.
    pub input_path: PathField,
    /// OutputPath.
    pub output_path: PathField,
    /// Where to go next (`None` for End, Choice, Succeed, Fail).
    pub next: Option<usize>,
    /// The state's `Assign` (for a Choice, the one used when it takes `Default`), a template
    /// whose fields are the variable names; applied when the state exits successfully.
    pub assign: Option<Template>,
    /// The `{% … %}` fields of a JSONata state (`None` for JSONPath states).
    pub jsonata: Option<Box<JsonataFields>>,
    /// The type-specific part.
    pub kind: Kind,
}

impl State {
    /// For a plain Pass writing a `Result` into one field of its input (`ResultPath:
    /// "$.name"`), that field's name.
    fn field_name(&self) -> Option<&Arc<str>> {
        match self.plain_pass()? {
            (Some(_), _, PathField::Path(p)) => p.single_name(),
            _ => None,
        }
    }

    /// For a plain Pass writing into one field, the names the states from it on write
    /// (`Kind::Pass::field_run`).
    #[inline]
    pub fn field_run(&self) -> Option<&StateNames> {
        match &self.kind {
            Kind::Pass { field_run, .. } => field_run.as_ref(),
            _ => None,
        }
    }

    /// For a plain Pass — JSONPath, with no InputPath, Parameters, OutputPath or Assign — its
    /// `Result` (with its JSON size) and ResultPath, the only stages its visit has; `None` for
    /// any other state.
    #[inline]
    pub fn plain_pass(&self) -> Option<(Option<&crate::Data>, usize, &PathField)> {
        match &self.kind {
            Kind::Pass { parameters: None, result, result_size, result_path, .. }
                if self.jsonata.is_none() && self.assign.is_none() && self.paths_are_root() =>
            {
                Some((result.as_ref(), *result_size, result_path))
            }
            _ => None,
        }
    }

    /// For a JSONPath Pass with Parameters and no `Result`, InputPath, OutputPath or Assign:
    /// its Parameters and ResultPath, the only stages its visit has; `None` for any other
    /// state.
    #[inline]
    pub fn parameters_pass(&self) -> Option<(&Template, &PathField)> {
        match &self.kind {
            Kind::Pass { parameters: Some(parameters), result: None, result_path, .. }
                if self.jsonata.is_none() && self.assign.is_none() && self.paths_are_root() =>
            {
                Some((parameters, result_path))
            }
            _ => None,
        }
    }

    /// For a JSONPath Choice with no InputPath, OutputPath or Assign (its own or a rule's)
    /// whose rules do not read the context object: its rules and its `Default`; `None` for any
    /// other state.
    #[inline]
    pub fn plain_choice(&self) -> Option<(&[ChoiceRule], Option<usize>)> {
        match &self.kind {
            Kind::Choice { choices, default, uses_context: false }
                if self.jsonata.is_none()
                    && self.assign.is_none()
                    && self.paths_are_root()
                    && choices.iter().all(|c| c.assign.is_none()) =>
            {
                Some((choices, *default))
            }
            _ => None,
        }
    }

    /// Whether InputPath and OutputPath are both `$` (missing or written so).
    #[inline]
    fn paths_are_root(&self) -> bool {
        matches!(self.input_path, PathField::Root) && matches!(self.output_path, PathField::Root)
    }
}

/// The JSONata-mode fields of a state (developer guide, Transforming data with JSONata): each
/// evaluated against `$states` and the variables in place of the JSONPath stages.
#[derive(Debug, Clone, Default)]
pub struct JsonataFields {
    /// `Arguments` (Task, Parallel): what the task or the branches receive.
    pub arguments: Option<Jsonata>,
    /// `Output`: the state's output (default: the result, or the input where there is none).
    pub output: Option<Jsonata>,
    /// `Assign`: an object of variable names and values.
    pub assign: Option<Jsonata>,
    /// Map `Items` (default: the input, which must be an array).
    pub items: Option<Jsonata>,
    /// Map `ItemSelector` (with `$states.context.Map.Item`).
    pub item_selector: Option<Jsonata>,
    /// Map `MaxConcurrency` as an expression.
    pub max_concurrency: Option<Jsonata>,
    /// Map `ToleratedFailureCount` as an expression.
    pub tolerated_count: Option<Jsonata>,
    /// Map `ToleratedFailurePercentage` as an expression.
    pub tolerated_percentage: Option<Jsonata>,
    /// Task `TimeoutSeconds` as an expression.
    pub timeout: Option<Jsonata>,
    /// Task `HeartbeatSeconds` as an expression.
    pub heartbeat: Option<Jsonata>,
    /// Wait `Seconds` as an expression.
    pub seconds: Option<Jsonata>,
    /// Wait `Timestamp` as an expression.
    pub timestamp: Option<Jsonata>,
    /// Fail `Error`.
    pub error: Option<Jsonata>,
    /// Fail `Cause`.
    pub cause: Option<Jsonata>,
    /// Choice rules: `Condition`, where it leads, and the rule's `Output` and `Assign`.
    pub rules: Vec<JsonataRule>,
    /// Catchers' `Output` and `Assign`, in the order of the state's `Catch`.
    pub catchers: Vec<JsonataCatcher>,
}

/// A JSONata Choice rule.
#[derive(Debug, Clone)]
pub struct JsonataRule {
    /// `Condition`: must evaluate to a boolean.
    pub condition: Jsonata,
    /// The state it leads to.
    pub next: usize,
    /// The rule's `Output`.
    pub output: Option<Jsonata>,
    /// The rule's `Assign`.
    pub assign: Option<Jsonata>,
}

/// A JSONata Catcher's fields.
#[derive(Debug, Clone, Default)]
pub struct JsonataCatcher {
    /// `Output` (default: `$states.errorOutput`).
    pub output: Option<Jsonata>,
    /// `Assign`.
    pub assign: Option<Jsonata>,
}

/// One rule of a Choice state with where it leads and what it assigns when it matches.
#[derive(Debug, Clone)]
pub struct ChoiceRule {
    /// The condition.
    pub rule: Rule,
    /// The state index it leads to.
    pub next: usize,
    /// The rule's `Assign`, evaluated when the rule matches (instead of the state's).
    pub assign: Option<Template>,
}

/// The type-specific part of a state.
#[derive(Debug, Clone)]
#[allow(missing_docs)]
pub enum Kind {
    Pass {
        parameters: Option<Template>,
        result: Option<crate::Data>,
        /// The JSON size of `result`, measured once.
        result_size: usize,
        result_path: PathField,
        /// For a plain Pass writing its `Result` into one field (`ResultPath: "$.name"`): the
        /// names of the fields it and the states after it write, while they are such Pass
        /// states too (at most 32). A chain of them collects its fields against this list
        /// (`value::NewFields::push`), counting no name per state.
        field_run: Option<StateNames>,
    },
    Task(Box<Task>),
    Choice {
        choices: Vec<ChoiceRule>,
        default: Option<usize>,
        uses_context: bool,
    },
    Wait(Wait),
    Succeed,
    Fail {
        error: Option<Text>,
        cause: Option<Text>,
    },
    Parallel(Box<Parallel>),
    Map(Box<MapState>),
}

impl Kind {
    /// The AWS event-name prefix of the state type (`Pass`, `Task`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Kind::Pass { .. } => "Pass",
            Kind::Task(_) => "Task",
            Kind::Choice { .. } => "Choice",
            Kind::Wait(_) => "Wait",
            Kind::Succeed => "Succeed",
            Kind::Fail { .. } => "Fail",
            Kind::Parallel(_) => "Parallel",
            Kind::Map(_) => "Map",
        }
    }

    /// The `...StateEntered` event type of the state type (matched on the kind, not its name:
    /// every visit asks).
    pub fn entered_event(&self) -> &'static str {
        match self {
            Kind::Pass { .. } => "PassStateEntered",
            Kind::Task(_) => "TaskStateEntered",
            Kind::Choice { .. } => "ChoiceStateEntered",
            Kind::Wait(_) => "WaitStateEntered",
            Kind::Succeed => "SucceedStateEntered",
            Kind::Fail { .. } => "FailStateEntered",
            Kind::Parallel(_) => "ParallelStateEntered",
            Kind::Map(_) => "MapStateEntered",
        }
    }

    /// The `...StateExited` event type of the state type (`None` for Fail, which has none).
    pub fn exited_event(&self) -> Option<&'static str> {
        Some(match self {
            Kind::Pass { .. } => "PassStateExited",
            Kind::Task(_) => "TaskStateExited",
            Kind::Choice { .. } => "ChoiceStateExited",
            Kind::Wait(_) => "WaitStateExited",
            Kind::Succeed => "SucceedStateExited",
            Kind::Fail { .. } => return None,
            Kind::Parallel(_) => "ParallelStateExited",
            Kind::Map(_) => "MapStateExited",
        })
    }
}

/// A string field that is a literal or comes from a path / intrinsic (Fail's Error and Cause).
#[derive(Debug, Clone)]
pub enum Text {
    /// `Error` / `Cause`.
    Literal(String),
    /// `ErrorPath` / `CausePath` as a path.
    Path(Path, bool),
    /// `ErrorPath` / `CausePath` as an intrinsic function.
    Intrinsic(Box<Intrinsic>),
}

/// A number of seconds: literal or from a path.
#[derive(Debug, Clone)]
pub enum Seconds {
    /// `TimeoutSeconds` etc.
    Fixed(u64),
    /// `TimeoutSecondsPath` etc.
    Path(Path),
}

/// The Wait state's four forms.
#[derive(Debug, Clone)]
pub enum Wait {
    /// `Seconds`.
    Seconds(u64),
    /// `SecondsPath`.
    SecondsPath(Path),
    /// `Timestamp`, as epoch milliseconds.
    Timestamp(i64, String),
    /// `TimestampPath`.
    TimestampPath(Path),
}

/// A Retrier.
#[derive(Debug, Clone)]
pub struct Retrier {
    /// ErrorEquals.
    pub error_equals: Vec<String>,
    /// IntervalSeconds (default 1).
    pub interval_seconds: f64,
    /// MaxAttempts (default 3; 0 = never retry).
    pub max_attempts: u64,
    /// BackoffRate (default 2.0).
    pub backoff_rate: f64,
    /// MaxDelaySeconds.
    pub max_delay_seconds: Option<f64>,
    /// JitterStrategy FULL.
    pub jitter_full: bool,
}

/// A Catcher.
#[derive(Debug, Clone)]
pub struct Catcher {
    /// ErrorEquals.
    pub error_equals: Vec<String>,
    /// Next state index.
    pub next: usize,
    /// ResultPath (default `$`).
    pub result_path: PathField,
    /// The catcher's `Assign`, evaluated on the error output when it catches (instead of the
    /// state's own `Assign`).
    pub assign: Option<Template>,
}

/// The error handling and result stages shared by Task, Parallel and Map.
#[derive(Debug, Clone, Default)]
pub struct Handling {
    /// Parameters (ItemSelector for Map lives on the Map).
    pub parameters: Option<Template>,
    /// ResultSelector.
    pub result_selector: Option<Template>,
    /// ResultPath.
    pub result_path: PathField,
    /// Retry.
    pub retry: Vec<Retrier>,
    /// Catch.
    pub catch: Vec<Catcher>,
}

/// A Task state.
#[derive(Debug, Clone)]
pub struct Task {
    /// Resource ARN.
    pub resource: String,
    /// Stages and error handling.
    pub handling: Handling,
    /// TimeoutSeconds(Path).
    pub timeout: Option<Seconds>,
    /// HeartbeatSeconds(Path).
    pub heartbeat: Option<Seconds>,
    /// Credentials (template).
    pub credentials: Option<Template>,
}

/// A Parallel state.
#[derive(Debug, Clone)]
pub struct Parallel {
    /// Branches.
    pub branches: Vec<Machine>,
    /// Stages and error handling.
    pub handling: Handling,
}

/// A Map state (inline; distributed mode runs the same way locally).
#[derive(Debug, Clone)]
pub struct MapState {
    /// ItemProcessor / Iterator.
    pub processor: Machine,
    /// ItemsPath.
    pub items_path: PathField,
    /// ItemSelector (or legacy Parameters).
    pub item_selector: Option<Template>,
    /// MaxConcurrency (0 = unlimited).
    pub max_concurrency: Option<Seconds>,
    /// ToleratedFailureCount(Path).
    pub tolerated_count: Option<Seconds>,
    /// ToleratedFailurePercentage(Path).
    pub tolerated_percentage: Option<PercentOrPath>,
    /// Stages and error handling (its `parameters` stays `None`).
    pub handling: Handling,
    /// `ProcessorConfig.Mode: DISTRIBUTED`: a Map Run of child executions.
    pub distributed: Option<Box<Distributed>>,
}

/// The parts of a Distributed Map that an inline Map does not have.
#[derive(Debug, Clone)]
pub struct Distributed {
    /// `Label` (the Map Run ARN's label; the state name when absent).
    pub label: Option<String>,
    /// `ItemReader`: items from a file instead of the input.
    pub reader: Option<ItemReader>,
    /// `ItemBatcher`: children get batches of items.
    pub batcher: Option<ItemBatcher>,
    /// `ResultWriter`: the children's results shaped (and written to the S3 stand-in).
    pub writer: Option<ResultWriter>,
}

/// `ResultWriter` (developer guide, ResultWriter (Map)).
#[derive(Debug, Clone)]
pub struct ResultWriter {
    /// `Parameters` (`Bucket`, `Prefix`) with `Resource: arn:aws:states:::s3:putObject`: write
    /// the results to the local S3 stand-in. `None`: `WriterConfig` alone, the results are only
    /// shaped into the state's output.
    pub parameters: Option<Template>,
    /// `WriterConfig.Transformation`.
    pub transformation: Transformation,
    /// `WriterConfig.OutputType`: JSON Lines instead of a JSON array in the written files.
    pub jsonl: bool,
}

/// `WriterConfig.Transformation`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transformation {
    /// Each child's output with its execution metadata (the default when writing to S3).
    None,
    /// The children's outputs (the default without ResultWriter).
    Compact,
    /// The outputs, arrays flattened into the result.
    Flatten,
}

/// `ItemReader` with `arn:aws:states:::s3:getObject` (read from a local directory standing in
/// for S3; see docs/distributed-map.md).
#[derive(Debug, Clone)]
pub struct ItemReader {
    /// `Parameters` (`Bucket`, `Key`, with `.$` paths).
    pub parameters: Template,
    /// `ReaderConfig.InputType`.
    pub input_type: InputType,
    /// `ReaderConfig.CSVHeaders` when `CSVHeaderLocation` is `GIVEN`.
    pub csv_headers: Option<Vec<String>>,
    /// `ReaderConfig.CSVDelimiter` as a character.
    pub csv_delimiter: char,
    /// `ReaderConfig.MaxItems` / `MaxItemsPath`.
    pub max_items: Option<Seconds>,
    /// `arn:aws:states:::s3:listObjectsV2`: the items are the objects under `Prefix`, not the
    /// contents of one object.
    pub list_objects: bool,
}

/// `ReaderConfig.InputType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputType {
    /// A JSON array.
    Json,
    /// One JSON value per line.
    Jsonl,
    /// Comma-separated values with a header row (or given headers).
    Csv,
    /// An Amazon S3 inventory `manifest.json` (`InputType: MANIFEST` or `ManifestType:
    /// S3_INVENTORY`): the items are the rows of the CSV data files it lists.
    Manifest,
}

/// `ItemBatcher`.
#[derive(Debug, Clone)]
pub struct ItemBatcher {
    /// `MaxItemsPerBatch(Path)`.
    pub max_items: Option<Seconds>,
    /// `MaxInputBytesPerBatch(Path)`.
    pub max_bytes: Option<Seconds>,
    /// `BatchInput`, a template evaluated on the state's input.
    pub batch_input: Option<Template>,
}

/// ToleratedFailurePercentage or its Path.
#[derive(Debug, Clone)]
pub enum PercentOrPath {
    /// A literal percentage.
    Fixed(f64),
    /// From a path.
    Path(Path),
}

fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn err(pointer: &str, message: impl Into<String>) -> CompileError {
    CompileError { pointer: pointer.to_owned(), message: message.into() }
}

/// Compiles a whole definition.
pub fn compile(definition: &Value) -> Result<Machine, CompileError> {
    let obj = definition.as_object().ok_or_else(|| err("", "a state machine must be an object"))?;
    let ql = match obj.get("QueryLanguage").and_then(Value::as_str) {
        Some("JSONata") => QueryLanguage::Jsonata,
        _ => QueryLanguage::JsonPath,
    };
    let mut m = machine(obj, "", ql)?;
    m.timeout_seconds = obj.get("TimeoutSeconds").and_then(Value::as_u64);
    let mut names = Vec::new();
    number_states(&mut m, &mut names);
    m.names = names.into();
    Ok(m)
}

/// Gives every state of `m` and of its nested machines its [`State::id`], depth first, and
/// collects their names in that order.
fn number_states(m: &mut Machine, names: &mut Vec<Arc<str>>) {
    for s in &mut m.states {
        s.id = u32::try_from(names.len()).unwrap_or(u32::MAX);
        names.push(s.name.clone());
        match &mut s.kind {
            Kind::Parallel(p) => p.branches.iter_mut().for_each(|b| number_states(b, names)),
            Kind::Map(map) => number_states(&mut map.processor, names),
            _ => {}
        }
    }
}

fn machine(
    obj: &Map<String, Value>,
    pointer: &str,
    ql: QueryLanguage,
) -> Result<Machine, CompileError> {
    let start_at = obj
        .get("StartAt")
        .and_then(Value::as_str)
        .ok_or_else(|| err(pointer, "missing \"StartAt\""))?;
    let states = obj
        .get("States")
        .and_then(Value::as_object)
        .ok_or_else(|| err(pointer, "missing \"States\" object"))?;
    let index: HashMap<&str, usize> =
        states.keys().enumerate().map(|(i, k)| (k.as_str(), i)).collect();
    let start = *index.get(start_at).ok_or_else(|| {
        err(&format!("{pointer}/StartAt"), format!("no state named {start_at:?}"))
    })?;
    let mut out = Vec::with_capacity(states.len());
    for (name, body) in states {
        let p = format!("{pointer}/States/{}", escape(name));
        let body = body.as_object().ok_or_else(|| err(&p, "a state must be an object"))?;
        out.push(state(name, body, &p, &index, ql)?);
    }
    let runs: Vec<Option<StateNames>> = (0..out.len()).map(|i| field_run(&out, i)).collect();
    for (state, run) in out.iter_mut().zip(runs) {
        if let Kind::Pass { field_run, .. } = &mut state.kind {
            *field_run = run;
        }
    }
    Ok(Machine { states: out, start, timeout_seconds: None, names: Arc::new([]) })
}

/// The names of the fields plain Pass states write from state `i` on, one after the other,
/// each into one field of its input (see `Kind::Pass::field_run`).
fn field_run(states: &[State], i: usize) -> Option<StateNames> {
    let mut names = Vec::new();
    let mut next = Some(i);
    while let Some(name) = next.and_then(|j| states.get(j)).and_then(State::field_name) {
        if names.len() == 32 {
            break;
        }
        names.push(Arc::clone(name));
        next = next.and_then(|j| states[j].next);
    }
    (!names.is_empty()).then(|| names.into())
}

fn target(
    index: &HashMap<&str, usize>,
    v: Option<&Value>,
    pointer: &str,
) -> Result<usize, CompileError> {
    let name = v.and_then(Value::as_str).ok_or_else(|| err(pointer, "expected a state name"))?;
    index.get(name).copied().ok_or_else(|| err(pointer, format!("no state named {name:?}")))
}

fn path_field(
    body: &Map<String, Value>,
    key: &str,
    pointer: &str,
    reference: bool,
) -> Result<PathField, CompileError> {
    let f = PathField::compile(body.get(key), reference)
        .map_err(|m| err(&format!("{pointer}/{key}"), m))?;
    if key == "ResultPath"
        && let PathField::Path(p) = &f
        && p.variable().is_some()
    {
        return Err(err(
            &format!("{pointer}/{key}"),
            "ResultPath says where the result goes in the state's input; it cannot name a variable (use Assign)",
        ));
    }
    Ok(f)
}

/// Compiles an `Assign` object: a template whose top-level fields are variable names (`"x"`
/// takes the literal value, `"x.$"` a path or an intrinsic function).
fn assign(body: &Map<String, Value>, pointer: &str) -> Result<Option<Template>, CompileError> {
    match body.get("Assign") {
        None => Ok(None),
        Some(Value::Object(_)) => template(body, "Assign", pointer),
        Some(_) => Err(err(&format!("{pointer}/Assign"), "Assign must be an object")),
    }
}

/// `ReaderConfig.ManifestType`: `S3_INVENTORY` reads an inventory manifest and, as the
/// developer guide (ItemReader, "Amazon S3 inventory") says, "If you specify ManifestType is
/// S3_INVENTORY then InputType cannot be specified"; `ATHENA_DATA` is not supported locally.
fn manifest_type(
    cfg: &Map<String, Value>,
    cp: &str,
    input_type: InputType,
) -> Result<InputType, CompileError> {
    match cfg.get("ManifestType").and_then(Value::as_str) {
        None => Ok(input_type),
        Some("S3_INVENTORY") if cfg.contains_key("InputType") => Err(err(
            &format!("{cp}/InputType"),
            "with ManifestType S3_INVENTORY, InputType cannot be specified (the data files are CSV)",
        )),
        Some("S3_INVENTORY") => Ok(InputType::Manifest),
        Some(other) => Err(err(
            &format!("{cp}/ManifestType"),
            format!("ManifestType {other:?} is not supported locally (S3_INVENTORY)"),
        )),
    }
}

/// The Distributed Map fields, when `ItemProcessor.ProcessorConfig.Mode` is `DISTRIBUTED`.
fn distributed(
    body: &Map<String, Value>,
    pointer: &str,
) -> Result<Option<Box<Distributed>>, CompileError> {
    let mode = body
        .get("ItemProcessor")
        .and_then(|p| p.get("ProcessorConfig"))
        .and_then(|c| c.get("Mode"))
        .and_then(Value::as_str);
    if mode != Some("DISTRIBUTED") {
        for key in ["ItemReader", "ItemBatcher"] {
            if body.contains_key(key) {
                return Err(err(
                    &format!("{pointer}/{key}"),
                    format!("{key} needs ItemProcessor.ProcessorConfig.Mode DISTRIBUTED"),
                ));
            }
        }
        return Ok(None);
    }
    let reader = match body.get("ItemReader") {
        None => None,
        Some(r) => {
            let rp = format!("{pointer}/ItemReader");
            let r = r.as_object().ok_or_else(|| err(&rp, "expected an object"))?;
            let resource = r.get("Resource").and_then(Value::as_str).unwrap_or_default();
            let list_objects = resource == "arn:aws:states:::s3:listObjectsV2";
            if resource != "arn:aws:states:::s3:getObject" && !list_objects {
                return Err(err(
                    &format!("{rp}/Resource"),
                    format!(
                        "only arn:aws:states:::s3:getObject (one JSON, JSONL or CSV file, or an S3 inventory manifest) and arn:aws:states:::s3:listObjectsV2 are supported locally, not {resource:?}"
                    ),
                ));
            }
            let parameters = match (template(r, "Parameters", &rp)?, template(r, "Arguments", &rp)?)
            {
                (Some(t), _) | (None, Some(t)) => t,
                (None, None) => {
                    return Err(err(
                        &rp,
                        "an ItemReader needs \"Parameters\" with Bucket (and Key or Prefix)",
                    ));
                }
            };
            let empty = Map::new();
            let cfg = match r.get("ReaderConfig") {
                Some(Value::Object(c)) => c,
                Some(_) => return Err(err(&format!("{rp}/ReaderConfig"), "expected an object")),
                None => &empty,
            };
            let cp = format!("{rp}/ReaderConfig");
            let input_type = match cfg.get("InputType").and_then(Value::as_str) {
                None | Some("JSON") => InputType::Json,
                Some("JSONL") => InputType::Jsonl,
                Some("CSV") => InputType::Csv,
                Some("MANIFEST") => InputType::Manifest,
                Some(other) => {
                    return Err(err(
                        &format!("{cp}/InputType"),
                        format!(
                            "InputType {other:?} is not supported locally (JSON, JSONL, CSV, MANIFEST)"
                        ),
                    ));
                }
            };
            let input_type = manifest_type(cfg, &cp, input_type)?;
            let csv_headers = match cfg.get("CSVHeaderLocation").and_then(Value::as_str) {
                Some("GIVEN") => Some(
                    cfg.get("CSVHeaders")
                        .and_then(Value::as_array)
                        .and_then(|a| {
                            a.iter().map(|h| h.as_str().map(str::to_owned)).collect::<Option<_>>()
                        })
                        .ok_or_else(|| {
                            err(
                                &format!("{cp}/CSVHeaders"),
                                "GIVEN headers need an array of strings",
                            )
                        })?,
                ),
                None | Some("FIRST_ROW") => None,
                Some(other) => {
                    return Err(err(
                        &format!("{cp}/CSVHeaderLocation"),
                        format!("expected FIRST_ROW or GIVEN, not {other:?}"),
                    ));
                }
            };
            let csv_delimiter = match cfg.get("CSVDelimiter").and_then(Value::as_str) {
                None | Some("COMMA") => ',',
                Some("PIPE") => '|',
                Some("SEMICOLON") => ';',
                Some("SPACE") => ' ',
                Some("TAB") => '\t',
                Some(other) => {
                    return Err(err(
                        &format!("{cp}/CSVDelimiter"),
                        format!("expected COMMA, PIPE, SEMICOLON, SPACE or TAB, not {other:?}"),
                    ));
                }
            };
            Some(ItemReader {
                parameters,
                input_type,
                csv_headers,
                csv_delimiter,
                max_items: seconds(cfg, "MaxItems", &cp)?,
                list_objects,
            })
        }
    };
    let batcher = match body.get("ItemBatcher") {
        None => None,
        Some(b) => {
            let bp = format!("{pointer}/ItemBatcher");
            let b = b.as_object().ok_or_else(|| err(&bp, "expected an object"))?;
            let max_items = seconds(b, "MaxItemsPerBatch", &bp)?;
            let max_bytes = seconds(b, "MaxInputBytesPerBatch", &bp)?;
            if max_items.is_none() && max_bytes.is_none() {
                return Err(err(
                    &bp,
                    "an ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch (or their Path)",
                ));
            }
            Some(ItemBatcher { max_items, max_bytes, batch_input: template(b, "BatchInput", &bp)? })
        }
    };
    let writer = match body.get("ResultWriter") {
        None => None,
        Some(w) => Some(result_writer(w, &format!("{pointer}/ResultWriter"))?),
    };
    let label = body.get("Label").and_then(Value::as_str).map(str::to_owned);
    Ok(Some(Box::new(Distributed { label, reader, batcher, writer })))
}

/// `ResultWriter`: `WriterConfig`, or `Resource` with `Parameters`, or all three.
fn result_writer(w: &Value, pointer: &str) -> Result<ResultWriter, CompileError> {
    let w = w.as_object().ok_or_else(|| err(pointer, "expected an object"))?;
    let parameters = match (w.get("Resource"), template(w, "Parameters", pointer)?) {
        (Some(r), Some(p)) => {
            if r.as_str() != Some("arn:aws:states:::s3:putObject") {
                return Err(err(
                    &format!("{pointer}/Resource"),
                    "a ResultWriter writes with arn:aws:states:::s3:putObject",
                ));
            }
            Some(p)
        }
        (None, None) => None,
        _ => {
            return Err(err(pointer, "a ResultWriter needs both \"Resource\" and \"Parameters\""));
        }
    };
    let config = w.get("WriterConfig").and_then(Value::as_object);
    if parameters.is_none() && config.is_none() {
        return Err(err(
            pointer,
            "a ResultWriter needs WriterConfig, or Resource and Parameters, or all three",
        ));
    }
    let cp = format!("{pointer}/WriterConfig");
    let transformation = match config.and_then(|c| c.get("Transformation")).and_then(Value::as_str)
    {
        None if parameters.is_some() => Transformation::None,
        None => Transformation::Compact,
        Some("NONE") => Transformation::None,
        Some("COMPACT") => Transformation::Compact,
        Some("FLATTEN") => Transformation::Flatten,
        Some(other) => {
            return Err(err(
                &format!("{cp}/Transformation"),
                format!("expected NONE, COMPACT or FLATTEN, not {other:?}"),
            ));
        }
    };
    let jsonl = match config.and_then(|c| c.get("OutputType")).and_then(Value::as_str) {
        None | Some("JSON") => false,
        Some("JSONL") => true,
        Some(other) => {
            return Err(err(
                &format!("{cp}/OutputType"),
                format!("expected JSON or JSONL, not {other:?}"),
            ));
        }
    };
    Ok(ResultWriter { parameters, transformation, jsonl })
}

fn template(
    body: &Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<Template>, CompileError> {
    body.get(key)
        .map(|v| Template::compile(v).map_err(|m| err(&format!("{pointer}/{key}"), m)))
        .transpose()
}

fn seconds(
    body: &Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<Seconds>, CompileError> {
    if let Some(v) = body.get(key) {
        let n = v
            .as_u64()
            .ok_or_else(|| err(&format!("{pointer}/{key}"), "expected a non-negative integer"))?;
        return Ok(Some(Seconds::Fixed(n)));
    }
    let pkey = format!("{key}Path");
    if let Some(v) = body.get(&pkey) {
        let p = v
            .as_str()
            .ok_or_else(|| err(&format!("{pointer}/{pkey}"), "expected a path"))
            .and_then(|s| {
                Path::parse_reference(s).map_err(|e| err(&format!("{pointer}/{pkey}"), e.0))
            })?;
        return Ok(Some(Seconds::Path(p)));
    }
    Ok(None)
}

fn handling(
    body: &Map<String, Value>,
    pointer: &str,
    index: &HashMap<&str, usize>,
    parameters_key: Option<&str>,
) -> Result<Handling, CompileError> {
    let mut retry = Vec::new();
    if let Some(list) = body.get("Retry") {
        let list =
            list.as_array().ok_or_else(|| err(&format!("{pointer}/Retry"), "expected an array"))?;
        for (i, r) in list.iter().enumerate() {
            let p = format!("{pointer}/Retry/{i}");
            let r = r.as_object().ok_or_else(|| err(&p, "a Retrier must be an object"))?;
            retry.push(Retrier {
                error_equals: error_equals(r, &p)?,
                interval_seconds: r.get("IntervalSeconds").and_then(Value::as_f64).unwrap_or(1.0),
                max_attempts: r.get("MaxAttempts").and_then(Value::as_u64).unwrap_or(3),
                backoff_rate: r.get("BackoffRate").and_then(Value::as_f64).unwrap_or(2.0),
                max_delay_seconds: r.get("MaxDelaySeconds").and_then(Value::as_f64),
                jitter_full: r.get("JitterStrategy").and_then(Value::as_str) == Some("FULL"),
            });
        }
    }
    let mut catch = Vec::new();
    if let Some(list) = body.get("Catch") {
        let list =
            list.as_array().ok_or_else(|| err(&format!("{pointer}/Catch"), "expected an array"))?;
        for (i, c) in list.iter().enumerate() {
            let p = format!("{pointer}/Catch/{i}");
            let c = c.as_object().ok_or_else(|| err(&p, "a Catcher must be an object"))?;
            catch.push(Catcher {
                error_equals: error_equals(c, &p)?,
                next: target(index, c.get("Next"), &format!("{p}/Next"))?,
                result_path: path_field(c, "ResultPath", &p, true)?,
                assign: assign(c, &p)?,
            });
        }
    }
    Ok(Handling {
        parameters: match parameters_key {
            Some(k) => template(body, k, pointer)?,
            None => None,
        },
        result_selector: template(body, "ResultSelector", pointer)?,
        result_path: path_field(body, "ResultPath", pointer, true)?,
        retry,
        catch,
    })
}

fn error_equals(obj: &Map<String, Value>, pointer: &str) -> Result<Vec<String>, CompileError> {
    let list = obj
        .get("ErrorEquals")
        .and_then(Value::as_array)
        .ok_or_else(|| err(pointer, "missing \"ErrorEquals\""))?;
    list.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| err(&format!("{pointer}/ErrorEquals"), "error names are strings"))
        })
        .collect()
}

fn text(body: &Map<String, Value>, key: &str, pointer: &str) -> Result<Option<Text>, CompileError> {
    if let Some(v) = body.get(key) {
        let s = v.as_str().ok_or_else(|| err(&format!("{pointer}/{key}"), "expected a string"))?;
        return Ok(Some(Text::Literal(s.to_owned())));
    }
    let pkey = format!("{key}Path");
    let Some(v) = body.get(&pkey) else { return Ok(None) };
    let p = format!("{pointer}/{pkey}");
    let s = v.as_str().ok_or_else(|| err(&p, "expected a path or an intrinsic function"))?;
    if looks_like_intrinsic(s) {
        return Ok(Some(Text::Intrinsic(Box::new(Intrinsic::parse(s).map_err(|m| err(&p, m))?))));
    }
    let (path, ctx) = match s.strip_prefix("$$") {
        Some(rest) => (format!("${rest}"), true),
        None => (s.to_owned(), false),
    };
    Ok(Some(Text::Path(Path::parse_reference(&path).map_err(|e| err(&p, e.0))?, ctx)))
}

/// JSONata-only fields, and fields that hold an expression instead of a literal.
const JSONATA_EXPRESSION_FIELDS: &[&str] = &[
    "Seconds",
    "Timestamp",
    "TimeoutSeconds",
    "HeartbeatSeconds",
    "MaxConcurrency",
    "ToleratedFailureCount",
    "ToleratedFailurePercentage",
    "Error",
    "Cause",
];

fn jsonata_field(
    body: &Map<String, Value>,
    key: &str,
    pointer: &str,
) -> Result<Option<Jsonata>, CompileError> {
    body.get(key)
        .map(|v| Jsonata::compile(v).map_err(|m| err(&format!("{pointer}/{key}"), m)))
        .transpose()
}

fn jsonata_assign(
    body: &Map<String, Value>,
    pointer: &str,
) -> Result<Option<Jsonata>, CompileError> {
    match body.get("Assign") {
        None => Ok(None),
        Some(Value::Object(_)) => jsonata_field(body, "Assign", pointer),
        Some(_) => Err(err(&format!("{pointer}/Assign"), "Assign must be an object")),
    }
}

/// Splits a JSONata state: its `{% … %}` and JSONata-only fields compiled as [`JsonataFields`],
/// and a copy of the state without them (JSONPath-only fields dropped too) for the shared parts.
fn jsonata_fields(
    body: &Map<String, Value>,
    pointer: &str,
    index: &HashMap<&str, usize>,
) -> Result<(Map<String, Value>, JsonataFields), CompileError> {
    let mut neutral = body.clone();
    for key in [
        "Arguments",
        "Output",
        "Assign",
        "Items",
        "ItemSelector",
        "InputPath",
        "OutputPath",
        "Parameters",
        "ResultSelector",
        "ResultPath",
        "ItemsPath",
    ] {
        neutral.remove(key);
    }
    let mut j = JsonataFields {
        arguments: jsonata_field(body, "Arguments", pointer)?,
        output: jsonata_field(body, "Output", pointer)?,
        assign: jsonata_assign(body, pointer)?,
        items: jsonata_field(body, "Items", pointer)?,
        item_selector: jsonata_field(body, "ItemSelector", pointer)?,
        ..JsonataFields::default()
    };
    for key in JSONATA_EXPRESSION_FIELDS {
        let is_expr = body.get(*key).and_then(Value::as_str).is_some_and(is_expression);
        if !is_expr {
            continue;
        }
        neutral.remove(*key);
        let compiled = jsonata_field(body, key, pointer)?;
        match *key {
            "Seconds" => j.seconds = compiled,
            "Timestamp" => j.timestamp = compiled,
            "TimeoutSeconds" => j.timeout = compiled,
            "HeartbeatSeconds" => j.heartbeat = compiled,
            "MaxConcurrency" => j.max_concurrency = compiled,
            "ToleratedFailureCount" => j.tolerated_count = compiled,
            "ToleratedFailurePercentage" => j.tolerated_percentage = compiled,
            "Error" => j.error = compiled,
            _ => j.cause = compiled,
        }
    }
    if j.seconds.is_some() || j.timestamp.is_some() {
        // The Wait compiles with a placeholder; the expression decides at run time.
        neutral.insert("Seconds".into(), Value::from(0));
    }
    if let Some(Value::Array(rules)) = body.get("Choices") {
        for (i, r) in rules.iter().enumerate() {
            let p = format!("{pointer}/Choices/{i}");
            let r = r.as_object().ok_or_else(|| err(&p, "a Choice rule must be an object"))?;
            let condition = jsonata_field(r, "Condition", &p)?
                .ok_or_else(|| err(&p, "a JSONata Choice rule needs \"Condition\""))?;
            j.rules.push(JsonataRule {
                condition,
                next: target(index, r.get("Next"), &format!("{p}/Next"))?,
                output: jsonata_field(r, "Output", &p)?,
                assign: jsonata_assign(r, &p)?,
            });
        }
        neutral.insert("Choices".into(), Value::Array(Vec::new()));
    }
    if let Some(Value::Array(catchers)) = body.get("Catch") {
        let mut stripped = Vec::with_capacity(catchers.len());
        for (i, c) in catchers.iter().enumerate() {
            let p = format!("{pointer}/Catch/{i}");
            let c = c.as_object().ok_or_else(|| err(&p, "a Catcher must be an object"))?;
            j.catchers.push(JsonataCatcher {
                output: jsonata_field(c, "Output", &p)?,
                assign: jsonata_assign(c, &p)?,
            });
            let mut c = c.clone();
            for key in ["Output", "Assign", "ResultPath"] {
                c.remove(key);
            }
            stripped.push(Value::Object(c));
        }
        neutral.insert("Catch".into(), Value::Array(stripped));
    }
    Ok((neutral, j))
}

fn state(
    name: &str,
    body: &Map<String, Value>,
    pointer: &str,
    index: &HashMap<&str, usize>,
    inherited: QueryLanguage,
) -> Result<State, CompileError> {
    let query_language = match body.get("QueryLanguage").and_then(Value::as_str) {
        Some("JSONata") => QueryLanguage::Jsonata,
        Some("JSONPath") => QueryLanguage::JsonPath,
        _ => inherited,
    };
    let (neutral, jsonata) = if query_language == QueryLanguage::Jsonata {
        let (n, j) = jsonata_fields(body, pointer, index)?;
        (Some(n), Some(Box::new(j)))
    } else {
        (None, None)
    };
    let body = neutral.as_ref().unwrap_or(body);
    let type_name =
        body.get("Type").and_then(Value::as_str).ok_or_else(|| err(pointer, "missing \"Type\""))?;
    let end = body.get("End").and_then(Value::as_bool).unwrap_or(false);
    let next = match body.get("Next") {
        Some(v) => Some(target(index, Some(v), &format!("{pointer}/Next"))?),
        None => None,
    };
    let needs_transition = matches!(type_name, "Pass" | "Task" | "Wait" | "Parallel" | "Map");
    if needs_transition && next.is_none() && !end {
        return Err(err(pointer, "a state needs \"Next\" or \"End\": true"));
    }
    let kind = match type_name {
        "Pass" => {
            let result = body.get("Result").map(crate::value::Payload::from);
            Kind::Pass {
                parameters: template(body, "Parameters", pointer)?,
                result_size: result.as_ref().map_or(0, crate::dataflow::json_size),
                result,
                result_path: path_field(body, "ResultPath", pointer, true)?,
                field_run: None,
            }
        }
        "Task" => {
            let resource = body
                .get("Resource")
                .and_then(Value::as_str)
                .ok_or_else(|| err(pointer, "a Task needs \"Resource\""))?;
            Kind::Task(Box::new(Task {
                resource: resource.to_owned(),
                handling: handling(body, pointer, index, Some("Parameters"))?,
                timeout: seconds(body, "TimeoutSeconds", pointer)?,
                heartbeat: seconds(body, "HeartbeatSeconds", pointer)?,
                credentials: template(body, "Credentials", pointer)?,
            }))
        }
        "Choice" => {
            let list = body
                .get("Choices")
                .and_then(Value::as_array)
                .ok_or_else(|| err(pointer, "a Choice needs \"Choices\""))?;
            let mut choices = Vec::with_capacity(list.len());
            for (i, r) in list.iter().enumerate() {
                let p = format!("{pointer}/Choices/{i}");
                let rule = Rule::compile(r).map_err(|m| err(&p, m))?;
                let next = target(index, r.get("Next"), &format!("{p}/Next"))?;
                let assign = match r.as_object() {
                    Some(o) => assign(o, &p)?,
                    None => None,
                };
                choices.push(ChoiceRule { rule, next, assign });
            }
            let default = match body.get("Default") {
                Some(v) => Some(target(index, Some(v), &format!("{pointer}/Default"))?),
                None => None,
            };
            let uses_context = choices.iter().any(|c| c.rule.uses_context());
            Kind::Choice { choices, default, uses_context }
        }
        "Wait" => {
            let p = |k: &str| format!("{pointer}/{k}");
            let w = if let Some(v) = body.get("Seconds") {
                Wait::Seconds(
                    v.as_u64()
                        .ok_or_else(|| err(&p("Seconds"), "expected a non-negative integer"))?,
                )
            } else if let Some(v) = body.get("Timestamp") {
                let s = v.as_str().unwrap_or_default();
                let ns = choice::parse_timestamp(s)
                    .ok_or_else(|| err(&p("Timestamp"), "expected an RFC 3339 timestamp"))?;
                Wait::Timestamp((ns / 1_000_000) as i64, s.to_owned())
            } else if let Some(v) = body.get("SecondsPath") {
                Wait::SecondsPath(
                    Path::parse_reference(v.as_str().unwrap_or_default())
                        .map_err(|e| err(&p("SecondsPath"), e.0))?,
                )
            } else if let Some(v) = body.get("TimestampPath") {
                Wait::TimestampPath(
                    Path::parse_reference(v.as_str().unwrap_or_default())
                        .map_err(|e| err(&p("TimestampPath"), e.0))?,
                )
            } else {
                return Err(err(
                    pointer,
                    "a Wait needs Seconds, Timestamp, SecondsPath or TimestampPath",
                ));
            };
            Kind::Wait(w)
        }
        "Succeed" => Kind::Succeed,
        "Fail" => Kind::Fail {
            error: text(body, "Error", pointer)?,
            cause: text(body, "Cause", pointer)?,
        },
        "Parallel" => {
            let list = body
                .get("Branches")
                .and_then(Value::as_array)
                .ok_or_else(|| err(pointer, "a Parallel needs \"Branches\""))?;
            let mut branches = Vec::with_capacity(list.len());
            for (i, b) in list.iter().enumerate() {
                let p = format!("{pointer}/Branches/{i}");
                let b = b.as_object().ok_or_else(|| err(&p, "a branch must be an object"))?;
                branches.push(machine(b, &p, query_language)?);
            }
            Kind::Parallel(Box::new(Parallel {
                branches,
                handling: handling(body, pointer, index, Some("Parameters"))?,
            }))
        }
        "Map" => {
            let (key, proc_body) = match (body.get("ItemProcessor"), body.get("Iterator")) {
                (Some(v), _) => ("ItemProcessor", v),
                (None, Some(v)) => ("Iterator", v),
                _ => return Err(err(pointer, "a Map needs \"ItemProcessor\" (or \"Iterator\")")),
            };
            let p = format!("{pointer}/{key}");
            let proc_body = proc_body.as_object().ok_or_else(|| err(&p, "expected an object"))?;
            let processor = machine(proc_body, &p, query_language)?;
            let item_selector = match template(body, "ItemSelector", pointer)? {
                Some(t) => Some(t),
                None => template(body, "Parameters", pointer)?,
            };
            let tolerated_percentage = if let Some(v) = body.get("ToleratedFailurePercentage") {
                Some(PercentOrPath::Fixed(v.as_f64().ok_or_else(|| {
                    err(&format!("{pointer}/ToleratedFailurePercentage"), "expected a number")
                })?))
            } else if let Some(v) = body.get("ToleratedFailurePercentagePath") {
                let pp = format!("{pointer}/ToleratedFailurePercentagePath");
                Some(PercentOrPath::Path(
                    Path::parse_reference(v.as_str().unwrap_or_default())
                        .map_err(|e| err(&pp, e.0))?,
                ))
            } else {
                None
            };
            Kind::Map(Box::new(MapState {
                processor,
                items_path: path_field(body, "ItemsPath", pointer, true)?,
                item_selector,
                max_concurrency: seconds(body, "MaxConcurrency", pointer)?,
                tolerated_count: seconds(body, "ToleratedFailureCount", pointer)?,
                tolerated_percentage,
                handling: handling(body, pointer, index, None)?,
                distributed: distributed(body, pointer)?,
            }))
        }
        other => {
            return Err(err(&format!("{pointer}/Type"), format!("unknown state type {other:?}")));
        }
    };
    if matches!(kind, Kind::Succeed | Kind::Fail { .. }) && body.contains_key("Assign") {
        return Err(err(
            &format!("{pointer}/Assign"),
            "Succeed and Fail states cannot assign variables",
        ));
    }
    Ok(State {
        assign: assign(body, pointer)?,
        jsonata,
        name: Arc::from(name),
        id: 0,
        query_language,
        input_path: path_field(body, "InputPath", pointer, false)?,
        output_path: path_field(body, "OutputPath", pointer, false)?,
        next: if end { None } else { next },
        kind,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn runs(definition: &Value) -> Vec<(String, Vec<String>)> {
        let m = compile(definition).expect("compiles");
        m.states
            .iter()
            .map(|s| {
                let run = s.field_run().map(|r| r.iter().map(|k| k.to_string()).collect());
                (s.name.to_string(), run.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn a_pass_writing_one_field_knows_the_fields_the_passes_after_it_write() {
        let definition = json!({"StartAt": "A", "States": {
            "A": {"Type": "Pass", "Result": 1, "ResultPath": "$.a", "Next": "B"},
            "B": {"Type": "Pass", "Result": 2, "ResultPath": "$.b", "Next": "Nested"},
            "Nested": {"Type": "Pass", "Result": 3, "ResultPath": "$.x.y", "Next": "C"},
            "C": {"Type": "Pass", "Result": 4, "ResultPath": "$.c", "Next": "Loop"},
            "Loop": {"Type": "Pass", "Result": 5, "ResultPath": "$.l", "Next": "C"}
        }});
        let names = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let got = runs(&definition);
        assert_eq!(got[0], ("A".to_owned(), names(&["a", "b"])), "up to a nested write");
        assert_eq!(got[1], ("B".to_owned(), names(&["b"])));
        assert_eq!(got[2], ("Nested".to_owned(), vec![]), "not a one-field write");
        // A loop of such states: the list stops at 32 names.
        assert_eq!(got[3].1.len(), 32);
        assert_eq!(got[3].1[..4], names(&["c", "l", "c", "l"]));
    }
}
