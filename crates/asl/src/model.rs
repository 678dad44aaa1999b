//! The typed model of a state machine: every field of the current Amazon States Language, named
//! as the specification names them.
//!
//! The model is derived from the document text and never edited on its own. It is lenient: a
//! field of the wrong JSON type is left out (the validator reports it), payload templates and
//! JSONata-capable fields are kept as raw JSON values, and fields the model does not know are
//! listed in `unknown_fields`, never dropped from the text.

use indexmap::IndexMap;
use serde_json::{Map, Value};

/// The query language of a machine or a state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum QueryLanguage {
    /// The default: `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`, `OutputPath`.
    #[default]
    JsonPath,
    /// `{% … %}` expressions, `Arguments` and `Output`.
    Jsonata,
}

impl QueryLanguage {
    /// Parses the ASL spelling (`JSONPath`, `JSONata`).
    pub fn parse(name: &str) -> Option<QueryLanguage> {
        match name {
            "JSONPath" => Some(QueryLanguage::JsonPath),
            "JSONata" => Some(QueryLanguage::Jsonata),
            _ => None,
        }
    }

    /// The ASL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            QueryLanguage::JsonPath => "JSONPath",
            QueryLanguage::Jsonata => "JSONata",
        }
    }
}

/// The states of a machine by name, in document order. Hashed with foldhash (seeded per
/// process): the validator looks states up by name for every transition, where SipHash, the
/// standard hasher, costs several times more.
pub type StateMap = IndexMap<String, State, foldhash::fast::RandomState>;

/// A state machine, or one nested machine (a Parallel branch, a Map item processor).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Definition {
    /// JSON Pointer of this machine in the document: "" at the top, "/States/P/Branches/0" inside.
    pub pointer: String,
    /// `StartAt`.
    pub start_at: Option<String>,
    /// `Comment`.
    pub comment: Option<String>,
    /// `Version` (top level only).
    pub version: Option<String>,
    /// `TimeoutSeconds` (top level only).
    pub timeout_seconds: Option<Value>,
    /// `QueryLanguage` as written.
    pub query_language: Option<QueryLanguage>,
    /// The language states of this machine inherit: the top level's, JSONPath by default.
    pub effective_query_language: QueryLanguage,
    /// `ProcessorConfig` (Map `ItemProcessor` only).
    pub processor_config: Option<ProcessorConfig>,
    /// States in document order.
    pub states: StateMap,
    /// Names in `States` whose body is not a state the model can read (not an object, or no
    /// known `Type`): references to them are not dangling, the validator reports the body.
    pub invalid_states: Vec<String>,
    /// Fields this model does not know, in document order.
    pub unknown_fields: Vec<String>,
}

impl Definition {
    /// Whether `name` is a state of this machine (readable or not).
    pub fn has_state(&self, name: &str) -> bool {
        self.states.contains_key(name) || self.invalid_states.iter().any(|n| n == name)
    }

    /// Every state of this machine and of the machines nested in it, depth first.
    pub fn all_states(&self) -> Vec<&State> {
        let mut out = Vec::new();
        let mut stack: Vec<&Definition> = vec![self];
        while let Some(machine) = stack.pop() {
            for state in machine.states.values() {
                out.push(state);
            }
            for state in machine.states.values().rev() {
                for child in state.machines().into_iter().rev() {
                    stack.push(child);
                }
            }
        }
        out
    }

    /// The names of the workflow variables some `Assign` (of a state, a Choice rule or a
    /// catcher, in this machine or a nested one) sets, without the `.$` of JSONPath keys;
    /// sorted, each once. For completion in an editor.
    pub fn assigned_variables(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for state in self.all_states() {
            let assigns = std::iter::once(&state.assign)
                .chain(state.choices.iter().map(|r| &r.assign))
                .chain(state.catch.iter().map(|c| &c.assign));
            for assign in assigns.flatten() {
                names.extend(assign.keys().map(|k| k.strip_suffix(".$").unwrap_or(k).to_owned()));
            }
        }
        names.sort();
        names.dedup();
        names
    }

    /// This machine and every machine nested in it, depth first.
    pub fn all_machines(&self) -> Vec<&Definition> {
        let mut out = Vec::new();
        let mut stack: Vec<&Definition> = vec![self];
        while let Some(machine) = stack.pop() {
            out.push(machine);
            for state in machine.states.values().rev() {
                for child in state.machines().into_iter().rev() {
                    stack.push(child);
                }
            }
        }
        out
    }
}

/// `ItemProcessor.ProcessorConfig`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ProcessorConfig {
    /// `Mode`: `INLINE` (default) or `DISTRIBUTED`.
    pub mode: Option<String>,
    /// `ExecutionType`: `STANDARD` or `EXPRESS` (distributed only).
    pub execution_type: Option<String>,
}

/// The ASL state types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StateType {
    /// `Pass`.
    Pass,
    /// `Task`.
    Task,
    /// `Choice`.
    Choice,
    /// `Wait`.
    Wait,
    /// `Succeed`.
    Succeed,
    /// `Fail`.
    Fail,
    /// `Parallel`.
    Parallel,
    /// `Map`.
    Map,
}

impl StateType {
    /// Every state type, in the order the specification lists them.
    pub const ALL: [StateType; 8] = [
        StateType::Pass,
        StateType::Task,
        StateType::Choice,
        StateType::Wait,
        StateType::Succeed,
        StateType::Fail,
        StateType::Parallel,
        StateType::Map,
    ];

    /// Parses the ASL spelling.
    pub fn parse(name: &str) -> Option<StateType> {
        StateType::ALL.into_iter().find(|t| t.as_str() == name)
    }

    /// The ASL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            StateType::Pass => "Pass",
            StateType::Task => "Task",
            StateType::Choice => "Choice",
            StateType::Wait => "Wait",
            StateType::Succeed => "Succeed",
            StateType::Fail => "Fail",
            StateType::Parallel => "Parallel",
            StateType::Map => "Map",
        }
    }

    /// Succeed and Fail end an execution by their type; the others need `Next` or `End`.
    pub fn is_terminal(self) -> bool {
        matches!(self, StateType::Succeed | StateType::Fail)
    }

    /// Whether `Next`/`End` apply (every type but Choice, Succeed and Fail).
    pub fn has_transition(self) -> bool {
        !matches!(self, StateType::Choice | StateType::Succeed | StateType::Fail)
    }
}

/// One state. Fields common to several types are here; type-specific ones are in `detail`.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Its name (the key in `States`).
    pub name: String,
    /// JSON Pointer of the state object, e.g. "/States/Hello".
    pub pointer: String,
    /// `Type`.
    pub state_type: StateType,
    /// `Comment`.
    pub comment: Option<String>,
    /// `QueryLanguage` as written on the state.
    pub query_language: Option<QueryLanguage>,
    /// The language in force for this state: its own, or its machine's.
    pub effective_query_language: QueryLanguage,
    /// `Next`.
    pub next: Option<String>,
    /// `End`.
    pub end: bool,
    /// `InputPath`: `None` when absent, `Some(None)` when `null`.
    pub input_path: Option<Option<String>>,
    /// `OutputPath`: `None` when absent, `Some(None)` when `null`.
    pub output_path: Option<Option<String>>,
    /// `ResultPath`: `None` when absent, `Some(None)` when `null` (discard the result).
    pub result_path: Option<Option<String>>,
    /// `Parameters` (JSONPath payload template).
    pub parameters: Option<Value>,
    /// `ResultSelector` (JSONPath payload template).
    pub result_selector: Option<Value>,
    /// `Arguments` (JSONata).
    pub arguments: Option<Value>,
    /// `Output` (JSONata).
    pub output: Option<Value>,
    /// `Assign`: variable names to values or expressions.
    pub assign: Option<Map<String, Value>>,
    /// `Retry`.
    pub retry: Vec<Retrier>,
    /// `Catch`.
    pub catch: Vec<Catcher>,
    /// Choice `Choices`.
    pub choices: Vec<ChoiceRule>,
    /// Choice `Default`.
    pub default: Option<String>,
    /// Parallel `Branches`.
    pub branches: Vec<Definition>,
    /// Map `ItemProcessor`, or the legacy `Iterator`.
    pub item_processor: Option<Box<Definition>>,
    /// The fields only some types have.
    pub detail: StateDetail,
    /// Fields this model does not know, in document order.
    pub unknown_fields: Vec<String>,
}

impl State {
    /// The machines nested directly in this state: Parallel branches, then a Map processor.
    pub fn machines(&self) -> Vec<&Definition> {
        self.branches.iter().chain(self.item_processor.as_deref()).collect()
    }

    /// Every state name this state can transition to, with the JSON Pointer of the field.
    pub fn transitions(&self) -> Vec<(&str, String)> {
        let mut out = Vec::new();
        if let Some(next) = &self.next {
            out.push((next.as_str(), format!("{}/Next", self.pointer)));
        }
        for (i, rule) in self.choices.iter().enumerate() {
            if let Some(next) = &rule.next {
                out.push((next.as_str(), format!("{}/Choices/{i}/Next", self.pointer)));
            }
        }
        if let Some(default) = &self.default {
            out.push((default.as_str(), format!("{}/Default", self.pointer)));
        }
        for (i, catcher) in self.catch.iter().enumerate() {
            if let Some(next) = &catcher.next {
                out.push((next.as_str(), format!("{}/Catch/{i}/Next", self.pointer)));
            }
        }
        out
    }

    /// The names [`transitions`](Self::transitions) lead to, in the same order, without
    /// writing their pointers.
    pub fn targets(&self) -> impl Iterator<Item = &str> {
        self.next
            .iter()
            .chain(self.choices.iter().filter_map(|r| r.next.as_ref()))
            .chain(self.default.iter())
            .chain(self.catch.iter().filter_map(|c| c.next.as_ref()))
            .map(String::as_str)
    }
}

/// Fields of one state type.
#[derive(Debug, Clone, PartialEq)]
pub enum StateDetail {
    /// Pass: `Result`.
    Pass {
        /// `Result`.
        result: Option<Value>,
    },
    /// Task fields (boxed, as the other types' fields: a [`State`] stays small to move).
    Task(Box<Task>),
    /// Choice: its rules are in [`State::choices`].
    Choice,
    /// Wait fields.
    Wait(Box<Wait>),
    /// Succeed has no fields of its own.
    Succeed,
    /// Fail fields.
    Fail(Box<Fail>),
    /// Parallel: its branches are in [`State::branches`].
    Parallel,
    /// Map fields.
    Map(Box<MapFields>),
}

/// Task fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Task {
    /// `Resource`: an ARN (Lambda, activity, `arn:aws:states:::…` integration).
    pub resource: Option<String>,
    /// `TimeoutSeconds`: a number, or a JSONata expression.
    pub timeout_seconds: Option<Value>,
    /// `TimeoutSecondsPath`.
    pub timeout_seconds_path: Option<String>,
    /// `HeartbeatSeconds`: a number, or a JSONata expression.
    pub heartbeat_seconds: Option<Value>,
    /// `HeartbeatSecondsPath`.
    pub heartbeat_seconds_path: Option<String>,
    /// `Credentials` (cross-account role).
    pub credentials: Option<Value>,
}

/// Wait fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wait {
    /// `Seconds`: a number, or a JSONata expression.
    pub seconds: Option<Value>,
    /// `Timestamp`: an RFC 3339 string, or a JSONata expression.
    pub timestamp: Option<Value>,
    /// `SecondsPath`.
    pub seconds_path: Option<String>,
    /// `TimestampPath`.
    pub timestamp_path: Option<String>,
}

/// Fail fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Fail {
    /// `Error`.
    pub error: Option<Value>,
    /// `ErrorPath`.
    pub error_path: Option<String>,
    /// `Cause`.
    pub cause: Option<Value>,
    /// `CausePath`.
    pub cause_path: Option<String>,
}

/// Map fields (the processor itself is [`State::item_processor`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MapFields {
    /// Whether the processor was written as the legacy `Iterator`.
    pub legacy_iterator: bool,
    /// `ItemsPath` (JSONPath).
    pub items_path: Option<String>,
    /// `Items` (JSONata): an array or an expression.
    pub items: Option<Value>,
    /// `ItemSelector`.
    pub item_selector: Option<Value>,
    /// `ItemReader` (distributed).
    pub item_reader: Option<Value>,
    /// `ItemBatcher` (distributed).
    pub item_batcher: Option<Value>,
    /// `ResultWriter` (distributed).
    pub result_writer: Option<Value>,
    /// `MaxConcurrency`.
    pub max_concurrency: Option<Value>,
    /// `MaxConcurrencyPath`.
    pub max_concurrency_path: Option<String>,
    /// `ToleratedFailurePercentage`.
    pub tolerated_failure_percentage: Option<Value>,
    /// `ToleratedFailurePercentagePath`.
    pub tolerated_failure_percentage_path: Option<String>,
    /// `ToleratedFailureCount`.
    pub tolerated_failure_count: Option<Value>,
    /// `ToleratedFailureCountPath`.
    pub tolerated_failure_count_path: Option<String>,
    /// `Label`.
    pub label: Option<String>,
}

/// A Choice rule at the top of `Choices`: a condition and where it goes.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceRule {
    /// `Next`.
    pub next: Option<String>,
    /// A short, readable form of the condition, for edge labels.
    pub label: String,
    /// The condition.
    pub condition: Condition,
    /// `Assign` on the rule.
    pub assign: Option<Map<String, Value>>,
    /// `Output` on the rule (JSONata).
    pub output: Option<Value>,
    /// `Comment`.
    pub comment: Option<String>,
}

/// A Choice condition: a JSONPath comparison, a boolean combination, or a JSONata `Condition`.
#[derive(Debug, Clone, PartialEq)]
pub enum Condition {
    /// `And`: every rule holds.
    And(Vec<Condition>),
    /// `Or`: some rule holds.
    Or(Vec<Condition>),
    /// `Not`: the rule does not hold.
    Not(Box<Condition>),
    /// `Variable` compared by one operator (`StringEquals`, `NumericLessThanPath`, `IsNull`…).
    Comparison {
        /// `Variable`.
        variable: Option<String>,
        /// The operator's field name.
        operator: String,
        /// Its operand as written.
        operand: Value,
    },
    /// A JSONata `Condition` (`{% … %}` or a literal boolean).
    Jsonata(Value),
    /// No operator the model recognises (the validator reports why).
    Invalid,
}

/// A `Retry` entry.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Retrier {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `IntervalSeconds` (default 1).
    pub interval_seconds: Option<Value>,
    /// `MaxAttempts` (default 3; 0 never retries).
    pub max_attempts: Option<Value>,
    /// `BackoffRate` (default 2.0).
    pub backoff_rate: Option<Value>,
    /// `MaxDelaySeconds`.
    pub max_delay_seconds: Option<Value>,
    /// `JitterStrategy`: `FULL` or `NONE`.
    pub jitter_strategy: Option<String>,
    /// `Comment`.
    pub comment: Option<String>,
}

/// A `Catch` entry: the errors it catches and where it goes.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Catcher {
    /// `ErrorEquals`.
    pub error_equals: Vec<String>,
    /// `Next`.
    pub next: Option<String>,
    /// `ResultPath` (JSONPath): `Some(None)` when `null`.
    pub result_path: Option<Option<String>>,
    /// `Output` (JSONata).
    pub output: Option<Value>,
    /// `Assign`.
    pub assign: Option<Map<String, Value>>,
    /// `Comment`.
    pub comment: Option<String>,
}
