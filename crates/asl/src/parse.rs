//! Text → syntax tree → source map, order-preserving value and typed model.
//!
//! Never fails and never panics: a syntax error becomes a located diagnostic and `value` and
//! `definition` are `None`; a well-formed text of the wrong shape still yields whatever model
//! can be read from it.

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::Diagnostic;
use crate::fields;
use crate::model::{
    Catcher, ChoiceRule, Condition, Definition, Fail, MapFields, ProcessorConfig, QueryLanguage,
    Retrier, State, StateDetail, StateMap, StateType, Task, Wait,
};
use crate::object::Members;
use crate::source_map::SourceMap;
use crate::syntax::{self, Node, NodeKind, Read};
use crate::validate::{self, Options};

/// The text formats ASL is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// `.asl.json`, `.json`.
    #[default]
    Json,
    /// `.asl.yaml`, `.asl.yml`, `.yaml`, `.yml`.
    Yaml,
}

impl Format {
    /// The format a file name implies: YAML for `.yaml`/`.yml`, JSON otherwise.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            Format::Yaml
        } else {
            Format::Json
        }
    }

    /// The format a text looks like: JSON when it starts with `{` or `[` (after white space and a
    /// byte-order mark) or is empty, YAML otherwise.
    pub fn sniff(text: &str) -> Format {
        match text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).chars().next() {
            None | Some('{') | Some('[') => Format::Json,
            Some(_) => Format::Yaml,
        }
    }
}

/// The result of parsing: the order-preserving value, the model recovered from it, the source
/// map and what is wrong. `definition` is `None` only when the text does not parse or is not an
/// object.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The document as a JSON value (keys in document order; for duplicate keys the last wins).
    pub value: Option<Value>,
    /// The typed model.
    pub definition: Option<Definition>,
    /// Diagnostics, located: syntax errors, and — from [`parse`] and [`check`] — validation.
    pub diagnostics: Vec<Diagnostic>,
    /// JSON Pointer ⇄ text range ⇄ line and column.
    pub source_map: SourceMap,
    /// The format the text was read as.
    pub format: Format,
    /// Whether the text is broken in a way even the lenient parse refuses and `value` and
    /// `definition` hold only what comes before the break (an unclosed brace, a truncated
    /// file): the rest of the document is missing from them, not removed.
    pub partial: bool,
    /// When `partial`: the pointers of the arrays and objects the break cut through (part of
    /// their text lies after it), outermost first. Everything else was read in full.
    pub truncated: Vec<String>,
}

impl Parsed {
    /// Whether the text has a syntax error (the model, if any, was recovered leniently).
    pub fn has_syntax_error(&self) -> bool {
        self.diagnostics.iter().any(|d| matches!(d.code.as_str(), "SW001" | "SW002" | "SW005"))
    }
}

/// Parses and validates ASL text (JSON or YAML, sniffed) for a STANDARD workflow.
pub fn parse(text: &str) -> Parsed {
    check(text, Format::sniff(text), &Options::default())
}

/// Parses text in a given format and validates it with `options`.
///
/// A partial model (see [`Parsed::partial`]) is validated too, but only what the break cannot
/// have caused is reported: the states read in full before it, and the machines read in full
/// (see [`validate()`]).
pub fn check(text: &str, format: Format, options: &Options) -> Parsed {
    let mut parsed = parse_syntax(text, format);
    let found = validate::validate(text, &parsed, options);
    parsed.diagnostics.extend(found);
    parsed
}

/// Parses and validates raw bytes, as read from a file. Text that is not UTF-8 (binary
/// garbage) gives one located SW005 diagnostic instead of a parse. Returns the text (lossily
/// decoded, for rendering) with the result.
pub fn check_bytes(bytes: &[u8], format: Format, options: &Options) -> (String, Parsed) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), check(text, format, options)),
        Err(err) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let valid = &bytes[..err.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or("");
            let lines = crate::LineIndex::new(valid);
            let at = lines.position(valid, valid.len());
            let mut d = Diagnostic::error(
                "SW005",
                format!(
                    "the file is not UTF-8 text (invalid byte at offset {})",
                    err.valid_up_to()
                ),
                "",
            );
            d.range = crate::Range { start: at, end: at };
            let parsed = Parsed {
                value: None,
                definition: None,
                diagnostics: vec![d],
                source_map: SourceMap::lines_only(&text),
                format,
                partial: false,
                truncated: Vec::new(),
            };
            (text, parsed)
        }
    }
}

/// The length of a leading UTF-8 byte-order mark (some Windows editors write one): it is
/// skipped, and ranges stay exact.
fn bom_len(text: &str) -> usize {
    if text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 }
}

/// The strict read of a text, ranges relative to the whole text.
fn strict_read(text: &str, format: Format) -> Result<Read, syntax::SyntaxError> {
    let bom = bom_len(text);
    let body = &text[bom..];
    match format {
        Format::Json => syntax::json::parse(body),
        Format::Yaml => syntax::yaml::parse(body).map(Read::of),
    }
    .map(|mut read| {
        if bom > 0 {
            read.shift(bom);
        }
        read
    })
    .map_err(|mut error| {
        error.range = crate::TextRange::new(error.range.start + bom, error.range.end + bom);
        error
    })
}

/// The value and source map of a text that parses strictly, without the model or any
/// diagnostic: what the document's edit primitives need between two splices.
pub(crate) fn value_and_map(text: &str, format: Format) -> Option<(Value, SourceMap)> {
    let read = strict_read(text, format).ok()?;
    let map = SourceMap::build(text, read.skeleton, read.repeated_keys, read.line_starts);
    Some((read.value, map))
}

/// Parses text without validating it: the only diagnostics are syntax errors.
pub fn parse_syntax(text: &str, format: Format) -> Parsed {
    let bom = bom_len(text);
    let body = &text[bom..];
    match strict_read(text, format) {
        Ok(read) => from_read(text, read, format),
        Err(error) => {
            let source_map = SourceMap::lines_only(text);
            let range = source_map.lines().range(text, error.range);
            let code = match format {
                Format::Json => "SW001",
                Format::Yaml => "SW002",
            };
            let mut diagnostic = Diagnostic::error(code, error.message, "");
            diagnostic.range = range;
            // Recover what a lenient parse can read (comments, trailing commas…): the model
            // and the other diagnostics stay available while the text is being fixed.
            let recovered = match format {
                Format::Json => syntax::json::parse_lenient(body).map(|mut root| {
                    syntax::shift(&mut root, bom);
                    root
                }),
                Format::Yaml => None,
            };
            if let Some(root) = recovered {
                let mut parsed = from_read(text, Read::of(root), format);
                if let Some(path) = parsed.source_map.pointer_at(error.range.start) {
                    diagnostic.path = path.to_owned();
                }
                parsed.diagnostics.insert(0, diagnostic);
                return parsed;
            }
            // Even the lenient parse refuses the text: recover what comes before the break.
            let cut_at = error.range.start.saturating_sub(bom);
            // How many containers the cut left open, down the chain of last children: known
            // exactly for JSON; any of them, for YAML, whose blocks end where the text does.
            let prefix = match format {
                Format::Json => syntax::json::parse_prefix(body, cut_at)
                    .map(|(root, _, open)| (root, Some(open))),
                Format::Yaml => {
                    syntax::yaml::parse_prefix(body, cut_at).map(|(root, _)| (root, None))
                }
            };
            if let Some((mut root, open)) = prefix {
                syntax::shift(&mut root, bom);
                let truncated = last_children(&root, open);
                let mut parsed = from_read(text, Read::of(root), format);
                parsed.partial = true;
                parsed.truncated = truncated;
                parsed.diagnostics.insert(0, diagnostic);
                return parsed;
            }
            Parsed {
                value: None,
                definition: None,
                diagnostics: vec![diagnostic],
                source_map,
                format,
                partial: false,
                truncated: Vec::new(),
            }
        }
    }
}

/// The pointers of the root and of its last children down the tree, `count` of them at most:
/// the containers a cut at the end of the text leaves open.
fn last_children(root: &Node, count: Option<usize>) -> Vec<String> {
    let mut out = Vec::new();
    let mut node = root;
    let mut pointer = String::new();
    while count.is_none_or(|count| out.len() < count) {
        let next = match &node.kind {
            NodeKind::Object(members) => {
                members.last().map(|m| (&m.value, crate::object::join(&pointer, &m.key)))
            }
            NodeKind::Array(items) => {
                items.last().map(|v| (v, crate::object::join_index(&pointer, items.len() - 1)))
            }
            _ => break,
        };
        out.push(pointer);
        let Some((child, at)) = next else { break };
        node = child;
        pointer = at;
    }
    out
}

fn from_read(text: &str, read: Read, format: Format) -> Parsed {
    let source_map = SourceMap::build(text, read.skeleton, read.repeated_keys, read.line_starts);
    let mut diagnostics = duplicate_diagnostics(text, &source_map);
    numbers_out_of_range(text, &read.bad_numbers, &source_map, &mut diagnostics);
    let value = read.value;
    let definition = value.as_object().map(|object| {
        let language =
            str_of(object, "QueryLanguage").and_then(QueryLanguage::parse).unwrap_or_default();
        machine(object, String::new(), language, Some("top"))
    });
    Parsed {
        value: Some(value),
        definition,
        diagnostics,
        source_map,
        format,
        partial: false,
        truncated: Vec::new(),
    }
}

/// The model of a top-level object whose states inherit `language` (for a partial text whose
/// `QueryLanguage` may lie after the break).
pub(crate) fn definition_in(object: &Map<String, Value>, language: QueryLanguage) -> Definition {
    machine(object, String::new(), language, Some("top"))
}

/// SW003 for every duplicate key of the source map.
fn duplicate_diagnostics(text: &str, source_map: &SourceMap) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for duplicate in source_map.duplicate_keys() {
        let mut d = Diagnostic::error(
            "SW003",
            "duplicate key: AWS refuses a definition whose object repeats a key".to_owned(),
            duplicate.pointer.clone(),
        );
        d.range = source_map.lines().range(text, duplicate.key);
        out.push(d);
    }
    out
}

/// SW004 for every number that does not fit an `f64` (the value reads them as `null`; `bad`
/// is in document order).
fn numbers_out_of_range(
    text: &str,
    bad: &[(crate::TextRange, String)],
    source_map: &SourceMap,
    out: &mut Vec<Diagnostic>,
) {
    if bad.is_empty() {
        return;
    }
    // One pass over the source map, not one search per number: a file of many huge numbers
    // must not take quadratic time.
    let pointers: std::collections::HashMap<usize, &str> =
        source_map.entries().iter().map(|e| (e.value.start, e.pointer.as_str())).collect();
    for (range, raw) in bad {
        let pointer = pointers.get(&range.start).copied().unwrap_or_default();
        let mut d = Diagnostic::error(
            "SW004",
            format!("the number {} is out of range for a JSON number", shorten(raw)),
            pointer,
        );
        d.range = source_map.lines().range(text, *range);
        out.push(d);
    }
}

fn shorten(raw: &str) -> String {
    if raw.chars().count() > 40 {
        format!("{}…", raw.chars().take(40).collect::<String>())
    } else {
        raw.to_owned()
    }
}

fn get<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.member(key)
}

fn str_of<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    get(object, key).and_then(Value::as_str)
}

fn string(object: &Map<String, Value>, key: &str) -> Option<String> {
    str_of(object, key).map(str::to_owned)
}

/// A nullable path: absent → `None`, `null` → `Some(None)`, a string → `Some(Some(_))`.
fn nullable(object: &Map<String, Value>, key: &str) -> Option<Option<String>> {
    match get(object, key)? {
        Value::Null => Some(None),
        Value::String(s) => Some(Some(s.clone())),
        _ => None,
    }
}

fn raw(object: &Map<String, Value>, key: &str) -> Option<Value> {
    get(object, key).cloned()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

/// Reads a machine. `kind` is "top", "branch", "processor" or "iterator" for unknown fields.
fn machine(
    object: &Map<String, Value>,
    pointer: String,
    language: QueryLanguage,
    kind: Option<&str>,
) -> Definition {
    let known: &[&str] = match kind {
        Some("top") => fields::TOP_FIELDS,
        Some("processor") => fields::PROCESSOR_FIELDS,
        _ => fields::BRANCH_FIELDS,
    };
    let mut states = StateMap::default();
    let mut invalid_states = Vec::new();
    if let Some(map) = get(object, "States").and_then(Value::as_object) {
        states.reserve(map.len());
        let states_at = crate::object::join(&pointer, "States");
        for (name, body) in map {
            let state_pointer = crate::object::join(&states_at, name);
            match body.as_object().and_then(|body| state(name, body, state_pointer, language)) {
                Some(state) => {
                    states.insert(name.clone(), state);
                }
                None => invalid_states.push(name.clone()),
            }
        }
    }
    let processor_config = get(object, "ProcessorConfig").and_then(Value::as_object).map(|c| {
        ProcessorConfig { mode: string(c, "Mode"), execution_type: string(c, "ExecutionType") }
    });
    Definition {
        start_at: string(object, "StartAt"),
        comment: string(object, "Comment"),
        version: string(object, "Version"),
        timeout_seconds: raw(object, "TimeoutSeconds"),
        query_language: str_of(object, "QueryLanguage").and_then(QueryLanguage::parse),
        effective_query_language: language,
        processor_config,
        states,
        invalid_states,
        unknown_fields: object.keys().filter(|k| !known.contains(&k.as_str())).cloned().collect(),
        pointer,
    }
}

/// The position of a state field in [`fields::STATE_FIELDS`], computed at compile time.
macro_rules! field {
    ($name:literal) => {
        const { fields::state_field_index($name) }
    };
}

/// The members of a state object by field ([`fields::STATE_FIELDS`] order): read in one pass
/// over the object instead of one search per field the model reads (a state has a few members
/// and the model asks for some 25 fields), the members the language does not have listed on
/// the way.
struct StateMembers<'v> {
    by_field: [Option<&'v Value>; fields::STATE_FIELDS.len()],
    unknown: Vec<String>,
}

impl<'v> StateMembers<'v> {
    fn of(object: &'v Map<String, Value>) -> StateMembers<'v> {
        let mut members =
            StateMembers { by_field: [None; fields::STATE_FIELDS.len()], unknown: Vec::new() };
        for (key, value) in object {
            match fields::state_field_position(key) {
                Some(i) => members.by_field[i] = Some(value),
                None => members.unknown.push(key.clone()),
            }
        }
        members
    }

    fn get(&self, field: usize) -> Option<&'v Value> {
        self.by_field[field]
    }

    fn str_of(&self, field: usize) -> Option<&'v str> {
        self.get(field).and_then(Value::as_str)
    }

    fn string(&self, field: usize) -> Option<String> {
        self.str_of(field).map(str::to_owned)
    }

    fn raw(&self, field: usize) -> Option<Value> {
        self.get(field).cloned()
    }

    /// A nullable path: absent → `None`, `null` → `Some(None)`, a string → `Some(Some(_))`.
    fn nullable(&self, field: usize) -> Option<Option<String>> {
        match self.get(field)? {
            Value::Null => Some(None),
            Value::String(s) => Some(Some(s.clone())),
            _ => None,
        }
    }
}

fn state(
    name: &str,
    body: &Map<String, Value>,
    pointer: String,
    inherited: QueryLanguage,
) -> Option<State> {
    let body = StateMembers::of(body);
    let state_type = StateType::parse(body.str_of(field!("Type"))?)?;
    let query_language = body.str_of(field!("QueryLanguage")).and_then(QueryLanguage::parse);
    let language = query_language.unwrap_or(inherited);
    let choices = body
        .get(field!("Choices"))
        .and_then(Value::as_array)
        .map(|rules| rules.iter().map(choice_rule).collect())
        .unwrap_or_default();
    let retry = body
        .get(field!("Retry"))
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_object).map(retrier).collect())
        .unwrap_or_default();
    let catch = body
        .get(field!("Catch"))
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(Value::as_object).map(catcher).collect())
        .unwrap_or_default();
    // Nested machines inherit the top-level language, not the container's: AWS reads a
    // container's own QueryLanguage for the container only.
    let branches = body
        .get(field!("Branches"))
        .and_then(Value::as_array)
        .map(|branches| {
            branches
                .iter()
                .enumerate()
                .filter_map(|(i, branch)| {
                    Some(machine(
                        branch.as_object()?,
                        format!("{pointer}/Branches/{i}"),
                        inherited,
                        Some("branch"),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let (item_processor, legacy_iterator) = match (
        body.get(field!("ItemProcessor")).and_then(Value::as_object),
        body.get(field!("Iterator")).and_then(Value::as_object),
    ) {
        (Some(inner), _) => (
            Some(Box::new(machine(
                inner,
                format!("{pointer}/ItemProcessor"),
                inherited,
                Some("processor"),
            ))),
            false,
        ),
        (None, Some(inner)) => {
            let iterator =
                machine(inner, format!("{pointer}/Iterator"), inherited, Some("iterator"));
            (Some(Box::new(iterator)), true)
        }
        (None, None) => (None, false),
    };
    let detail = match state_type {
        StateType::Pass => StateDetail::Pass { result: body.raw(field!("Result")) },
        StateType::Task => StateDetail::Task(Box::new(Task {
            resource: body.string(field!("Resource")),
            timeout_seconds: body.raw(field!("TimeoutSeconds")),
            timeout_seconds_path: body.string(field!("TimeoutSecondsPath")),
            heartbeat_seconds: body.raw(field!("HeartbeatSeconds")),
            heartbeat_seconds_path: body.string(field!("HeartbeatSecondsPath")),
            credentials: body.raw(field!("Credentials")),
        })),
        StateType::Choice => StateDetail::Choice,
        StateType::Wait => StateDetail::Wait(Box::new(Wait {
            seconds: body.raw(field!("Seconds")),
            timestamp: body.raw(field!("Timestamp")),
            seconds_path: body.string(field!("SecondsPath")),
            timestamp_path: body.string(field!("TimestampPath")),
        })),
        StateType::Succeed => StateDetail::Succeed,
        StateType::Fail => StateDetail::Fail(Box::new(Fail {
            error: body.raw(field!("Error")),
            error_path: body.string(field!("ErrorPath")),
            cause: body.raw(field!("Cause")),
            cause_path: body.string(field!("CausePath")),
        })),
        StateType::Parallel => StateDetail::Parallel,
        StateType::Map => StateDetail::Map(Box::new(MapFields {
            legacy_iterator,
            items_path: body.string(field!("ItemsPath")),
            items: body.raw(field!("Items")),
            item_selector: body.raw(field!("ItemSelector")),
            item_reader: body.raw(field!("ItemReader")),
            item_batcher: body.raw(field!("ItemBatcher")),
            result_writer: body.raw(field!("ResultWriter")),
            max_concurrency: body.raw(field!("MaxConcurrency")),
            max_concurrency_path: body.string(field!("MaxConcurrencyPath")),
            tolerated_failure_percentage: body.raw(field!("ToleratedFailurePercentage")),
            tolerated_failure_percentage_path: body
                .string(field!("ToleratedFailurePercentagePath")),
            tolerated_failure_count: body.raw(field!("ToleratedFailureCount")),
            tolerated_failure_count_path: body.string(field!("ToleratedFailureCountPath")),
            label: body.string(field!("Label")),
        })),
    };
    Some(State {
        name: name.to_owned(),
        state_type,
        comment: body.string(field!("Comment")),
        query_language,
        effective_query_language: language,
        next: body.string(field!("Next")),
        end: body.get(field!("End")).and_then(Value::as_bool).unwrap_or(false),
        input_path: body.nullable(field!("InputPath")),
        output_path: body.nullable(field!("OutputPath")),
        result_path: body.nullable(field!("ResultPath")),
        parameters: body.raw(field!("Parameters")),
        result_selector: body.raw(field!("ResultSelector")),
        arguments: body.raw(field!("Arguments")),
        output: body.raw(field!("Output")),
        assign: body.get(field!("Assign")).and_then(Value::as_object).cloned(),
        retry,
        catch,
        choices,
        default: body.string(field!("Default")),
        branches,
        item_processor,
        detail,
        unknown_fields: body.unknown,
        pointer,
    })
}

fn retrier(object: &Map<String, Value>) -> Retrier {
    Retrier {
        error_equals: strings(get(object, "ErrorEquals")),
        interval_seconds: raw(object, "IntervalSeconds"),
        max_attempts: raw(object, "MaxAttempts"),
        backoff_rate: raw(object, "BackoffRate"),
        max_delay_seconds: raw(object, "MaxDelaySeconds"),
        jitter_strategy: string(object, "JitterStrategy"),
        comment: string(object, "Comment"),
    }
}

fn catcher(object: &Map<String, Value>) -> Catcher {
    Catcher {
        error_equals: strings(get(object, "ErrorEquals")),
        next: string(object, "Next"),
        result_path: nullable(object, "ResultPath"),
        output: raw(object, "Output"),
        assign: get(object, "Assign").and_then(Value::as_object).cloned(),
        comment: string(object, "Comment"),
    }
}

fn choice_rule(rule: &Value) -> ChoiceRule {
    let object = rule.as_object();
    let get = |key: &str| object.and_then(|o| get(o, key));
    let condition = condition(rule);
    ChoiceRule {
        next: get("Next").and_then(Value::as_str).map(str::to_owned),
        label: label_of(&condition),
        condition,
        assign: get("Assign").and_then(Value::as_object).cloned(),
        output: get("Output").cloned(),
        comment: get("Comment").and_then(Value::as_str).map(str::to_owned),
    }
}

/// Reads a condition. Recursion is bounded by the syntax tree's maximum depth.
pub(crate) fn condition(rule: &Value) -> Condition {
    let Some(object) = rule.as_object() else { return Condition::Invalid };
    if let Some(condition) = get(object, "Condition") {
        return Condition::Jsonata(condition.clone());
    }
    for (key, value) in object {
        match key.as_str() {
            "And" | "Or" => {
                let rules: Vec<Condition> =
                    value.as_array().map(|r| r.iter().map(condition).collect()).unwrap_or_default();
                return if key == "And" { Condition::And(rules) } else { Condition::Or(rules) };
            }
            "Not" => return Condition::Not(Box::new(condition(value))),
            operator if fields::is_choice_operator(operator) => {
                return Condition::Comparison {
                    variable: get(object, "Variable").and_then(Value::as_str).map(str::to_owned),
                    operator: operator.to_owned(),
                    operand: value.clone(),
                };
            }
            _ => {}
        }
    }
    Condition::Invalid
}

/// A short, readable form of a Choice rule's condition, for edge labels: `$.n > 3`,
/// `($.a == "x" && !($.b is null))`, or the JSONata expression without its braces.
pub fn choice_label(rule: &Value) -> String {
    label_of(&condition(rule))
}

/// The label of a condition (see [`choice_label`]).
pub fn label_of(condition: &Condition) -> String {
    // Room for a combination of two comparisons, so that most labels do not grow.
    let mut label = String::with_capacity(64);
    write_label(condition, &mut label);
    label
}

/// Writes the label of `condition` at the end of `out`, piece by piece: a large Choice state
/// has thousands of these labels.
fn write_label(condition: &Condition, out: &mut String) {
    const SYMBOLS: &[(&str, &str)] = &[
        ("LessThanEquals", "<="),
        ("GreaterThanEquals", ">="),
        ("LessThan", "<"),
        ("GreaterThan", ">"),
        ("Equals", "=="),
        ("Matches", "matches"),
    ];
    match condition {
        Condition::And(rules) | Condition::Or(rules) => {
            let joiner = if matches!(condition, Condition::And(_)) { " && " } else { " || " };
            out.push('(');
            for (i, rule) in rules.iter().enumerate() {
                if i > 0 {
                    out.push_str(joiner);
                }
                write_label(rule, out);
            }
            out.push(')');
        }
        Condition::Not(inner) => {
            out.push_str("!(");
            // The inner label without its outer parentheses (all of them, as `trim_matches`).
            let start = out.len();
            write_label(inner, out);
            let written = &out[start..];
            let kept = written.trim_matches(['(', ')']);
            let leading = written.len() - written.trim_start_matches(['(', ')']).len();
            let end = start + leading + kept.len();
            out.truncate(end);
            out.drain(start..start + leading);
            out.push(')');
        }
        Condition::Comparison { variable, operator, operand } => {
            let variable = variable.as_deref().unwrap_or("?");
            out.push_str(variable);
            if let Some(test) = operator.strip_prefix("Is") {
                out.push_str(" is ");
                if operand == &Value::Bool(false) {
                    out.push_str("not ");
                }
                // The language's operators are ASCII: lowered in place, no string of their own.
                if test.is_ascii() {
                    out.extend(test.chars().map(|c| c.to_ascii_lowercase()));
                } else {
                    out.push_str(&test.to_lowercase());
                }
                return;
            }
            let (base, is_path) = match operator.strip_suffix("Path") {
                Some(base) => (base, true),
                None => (operator.as_str(), false),
            };
            let symbol = SYMBOLS
                .iter()
                .find(|(suffix, _)| base.ends_with(suffix))
                .map(|(_, s)| *s)
                .unwrap_or("?");
            out.push(' ');
            out.push_str(symbol);
            out.push(' ');
            match (is_path, operand.as_str()) {
                (true, Some(path)) => out.push_str(path),
                (false, Some(plain))
                    if !plain.contains(|c: char| c == '"' || c == '\\' || c < ' ') =>
                {
                    out.push('"');
                    out.push_str(plain);
                    out.push('"');
                }
                // A number as JSON writes it, without a serializer and a string of its own.
                (_, None) if operand.is_number() => {
                    let _ = write!(out, "{operand}");
                }
                _ => out.push_str(&operand.to_string()),
            }
        }
        Condition::Jsonata(Value::String(s)) => {
            out.push_str(s.trim().trim_start_matches("{%").trim_end_matches("%}").trim());
        }
        Condition::Jsonata(other) => out.push_str(&other.to_string()),
        Condition::Invalid => out.push('?'),
    }
}

/// Parses and validates `text` — `old_text` after an edit — reading again only the top-level
/// states the edit touched, when every changed byte lies inside the top-level `States` braces:
/// the members from the first touched state to the last are read again (added, removed and
/// renamed states included); the rest of the tree, the source map and the model are carried
/// over (ranges after the edit moved by its length difference). `false` when that does not
/// apply (a change outside `States`, YAML, a member that no longer reads as a state, duplicate
/// names, an old parse with a syntax problem…): then parse in full.
///
/// The result is exactly what [`check`] gives for `text` (the edit property tests compare).
pub(crate) fn check_incremental(
    old_text: &str,
    old: &mut Parsed,
    text: &str,
    options: &Options,
) -> bool {
    let Some(reread) = reread_states(old_text, old, text) else { return false };
    let (first, last) = reread.replaced;
    let (start, end, delta) = reread.span;
    if old.source_map.replace_members(text, start, end, delta, reread.entries).is_none()
        || old.source_map.duplicate_keys().iter().any(|d| is_top_state(&d.pointer))
    {
        // Duplicate state names now: the full parse says which member wins.
        return false;
    }
    let (Some(value), Some(definition)) = (old.value.as_mut(), old.definition.as_mut()) else {
        return false;
    };
    let Some(members) = value.get_mut("States").and_then(Value::as_object_mut) else {
        return false;
    };
    let kept: Vec<(String, Value)> = std::mem::take(members).into_iter().collect();
    let mut rebuilt = Map::with_capacity(kept.len() - (last - first) + reread.values.len());
    let mut kept = kept.into_iter();
    rebuilt.extend(kept.by_ref().take(first));
    rebuilt.extend(reread.values);
    rebuilt.extend(kept.skip(last - first));
    *members = rebuilt;
    let states = std::mem::take(&mut definition.states);
    let mut states = states.into_iter();
    definition.states.extend(states.by_ref().take(first));
    definition.states.extend(reread.states);
    definition.states.extend(states.skip(last - first));
    old.diagnostics = duplicate_diagnostics(text, &old.source_map);
    let found = validate::validate(text, old, options);
    old.diagnostics.extend(found);
    true
}

/// What [`check_incremental`] read again: members `replaced` (a range of indices of the old
/// `States`) become `values` with their models `states`; their text was `span` (old start, old
/// end, length difference) and `entries` is their part of the new source map.
struct Reread {
    replaced: (usize, usize),
    values: Vec<(String, Value)>,
    states: Vec<(String, State)>,
    span: (usize, usize, isize),
    entries: Vec<crate::source_map::Entry>,
}

fn reread_states(old_text: &str, old: &Parsed, text: &str) -> Option<Reread> {
    let definition = old.definition.as_ref()?;
    let members = old.value.as_ref()?.get("States")?.as_object()?;
    if old.format != Format::Json
        || !definition.invalid_states.is_empty()
        || members.len() != definition.states.len()
        || old
            .diagnostics
            .iter()
            .any(|d| matches!(d.code.as_str(), "SW001" | "SW002" | "SW004" | "SW005"))
        || old.source_map.duplicate_keys().iter().any(|d| is_top_state(&d.pointer))
    {
        return None;
    }
    // The changed bytes: [prefix, changed_end) became [prefix, text.len() - suffix).
    let (a, b) = (old_text.as_bytes(), text.as_bytes());
    let prefix = crate::text::common_prefix(a, b);
    let room = a.len().min(b.len()) - prefix;
    let suffix = crate::text::common_suffix(&a[a.len() - room..], &b[b.len() - room..]);
    let changed_end = a.len() - suffix;
    let states = old.source_map.get("/States")?;
    if !(states.container && states.value.start < prefix && changed_end < states.value.end) {
        return None;
    }
    // The members are in document order: binary searches find the first one to read again (it
    // starts at or before the change) and the last (it ends at or after it); without one, the
    // slice runs from the opening brace or to the closing one.
    let range_of = |i: usize| -> Option<(usize, usize)> {
        let (_, s) = definition.states.get_index(i)?;
        let e = old.source_map.get(&s.pointer)?;
        Some((e.key?.start, e.value.end))
    };
    let n = definition.states.len();
    for i in [0, n.saturating_sub(1)] {
        if n > 0 {
            range_of(i)?;
        }
    }
    let starts_before = partition(n, |i| range_of(i).is_some_and(|(start, _)| start <= prefix));
    let first = starts_before.saturating_sub(1);
    let slice_start = match range_of(first) {
        Some((start, _)) if starts_before > 0 && start <= prefix => start,
        _ => states.value.start + 1,
    };
    let ends_before = partition(n, |i| range_of(i).is_some_and(|(_, end)| end < changed_end));
    let (last, slice_end) = match range_of(ends_before) {
        Some((_, end)) if ends_before >= first => (ends_before + 1, end),
        _ => (n, states.value.end - 1),
    };
    let delta = b.len() as isize - a.len() as isize;
    let new_end = slice_end.checked_add_signed(delta)?;
    let slice = text.get(slice_start..new_end)?;
    let mut wrapped = String::with_capacity(slice.len() + 2);
    wrapped.push('{');
    wrapped.push_str(slice);
    wrapped.push('}');
    // Numbers out of range (refused by this reader) and repeated keys need their own
    // diagnostics: rare, leave them to the full parse.
    let mut read = syntax::fast_json::read_nested(&wrapped, 1)?;
    if read.repeated_keys {
        return None;
    }
    read.shift(slice_start - 1);
    // The wrapping object's own entry comes first: it is not one of the members'.
    let entries =
        read.skeleton.entries_under("/States".to_owned(), None).into_iter().skip(1).collect();
    let Value::Object(new_members) = read.value else { return None };
    let language = definition.effective_query_language;
    let mut values = Vec::with_capacity(new_members.len());
    let mut models = Vec::with_capacity(new_members.len());
    for (key, body) in new_members {
        let pointer = crate::object::join("/States", &key);
        let model = state(&key, body.as_object()?, pointer, language)?;
        models.push((key.clone(), model));
        values.push((key, body));
    }
    Some(Reread {
        replaced: (first, last),
        values,
        states: models,
        span: (slice_start, slice_end, delta),
        entries,
    })
}

/// The first index in `0..n` for which `pred` is false (`pred` true then false, like
/// `slice::partition_point`).
fn partition(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, n);
    while low < high {
        let mid = low + (high - low) / 2;
        if pred(mid) {
            low = mid + 1;
        } else {
            high = mid;
        }
    }
    low
}

/// Whether a pointer names a top-level state (`/States/<name>`).
fn is_top_state(pointer: &str) -> bool {
    pointer.strip_prefix("/States/").is_some_and(|name| !name.contains('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_json_is_located_not_fatal() {
        let parsed = parse("{\n  \"StartAt\": \"A\",\n  \"States\": {,}\n}");
        // What comes before the break is recovered, marked partial.
        assert!(parsed.partial);
        assert_eq!(parsed.definition.expect("partial").start_at.as_deref(), Some("A"));
        let diagnostic = &parsed.diagnostics[0];
        assert_eq!(diagnostic.code, "SW001");
        assert_eq!(diagnostic.range.start.line, 2, "the comma on the third line is the problem");
    }

    #[test]
    fn a_trailing_comma_is_an_error_but_the_model_is_recovered() {
        let parsed = parse("{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"},}}");
        assert_eq!(parsed.diagnostics[0].code, "SW001");
        assert!(parsed.has_syntax_error());
        let definition = parsed.definition.expect("recovered");
        assert!(definition.states.contains_key("A"));
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_ranges_stay_exact() {
        let text = "\u{feff}{\"StartAt\": \"B\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}";
        let parsed = parse(text);
        let d = &parsed.diagnostics[0];
        assert_eq!(d.code, "SW200");
        let entry = parsed.source_map.get("/StartAt").expect("mapped");
        assert_eq!(&text[entry.value.start..entry.value.end], "\"B\"");
        let yaml = parse_syntax("\u{feff}StartAt: A\nStates: {}\n", Format::Yaml);
        assert!(yaml.diagnostics.is_empty(), "{:?}", yaml.diagnostics);
    }

    #[test]
    fn nested_machines_keep_their_pointers() {
        let parsed = parse(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
               "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}}}"#,
        );
        let definition = parsed.definition.expect("valid JSON gives a definition");
        let branch = &definition.states["P"].branches[0];
        assert_eq!(branch.pointer, "/States/P/Branches/0");
        assert_eq!(branch.states["A"].pointer, "/States/P/Branches/0/States/A");
    }

    #[test]
    fn choice_rules_get_readable_labels() {
        let rule = serde_json::json!({"Variable": "$.kind", "StringEquals": "book", "Next": "B"});
        assert_eq!(choice_label(&rule), "$.kind == \"book\"");
        let rule =
            serde_json::json!({"Not": {"Variable": "$.n", "NumericGreaterThanPath": "$.max"}});
        assert_eq!(choice_label(&rule), "!($.n > $.max)");
        let rule = serde_json::json!({"And": [
            {"Variable": "$.a", "NumericLessThanEquals": 3},
            {"Or": [{"Variable": "$.b", "IsNull": true}, {"Variable": "$.c", "StringMatches": "x*"}]}
        ]});
        assert_eq!(choice_label(&rule), "($.a <= 3 && ($.b is null || $.c matches \"x*\"))");
        let rule = serde_json::json!({"Condition": "{% $states.input.n > 1 %}"});
        assert_eq!(choice_label(&rule), "$states.input.n > 1");
        // A negated combination loses its parentheses, every one of them at either end.
        let rule = serde_json::json!({"Not": {"Or": [
            {"Variable": "$.a", "IsPresent": false},
            {"Not": {"And": []}},
            {"Variable": "$.q", "StringEquals": "say \"hi\""}
        ]}});
        assert_eq!(
            choice_label(&rule),
            "!($.a is not present || !() || $.q == \"say \\\"hi\\\"\")"
        );
        let rule = serde_json::json!({"Not": {"And": [{"Not": {"Variable": "$.x", "BooleanEquals": true}}]}});
        assert_eq!(choice_label(&rule), "!(!($.x == true)");
    }

    #[test]
    fn yaml_and_json_give_the_same_model() {
        let json = r#"{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"End":true}}}"#;
        let yaml = "StartAt: A\nStates:\n  A:\n    Type: Wait\n    Seconds: 5\n    End: true\n";
        let a = parse(json);
        let b = parse(yaml);
        assert_eq!(b.format, Format::Yaml);
        assert_eq!(a.value, b.value);
        assert_eq!(a.definition, b.definition);
    }

    #[test]
    fn unknown_fields_are_kept_in_the_value_and_listed() {
        let parsed = parse_syntax(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true,"Colour":"red"}}}"#,
            Format::Json,
        );
        let definition = parsed.definition.expect("parses");
        assert_eq!(definition.states["A"].unknown_fields, vec!["Colour".to_owned()]);
        assert_eq!(parsed.value.expect("value")["States"]["A"]["Colour"], "red");
    }

    #[test]
    fn the_query_language_is_inherited_from_the_top() {
        let parsed = parse_syntax(
            r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
            Format::Json,
        );
        let definition = parsed.definition.expect("parses");
        assert_eq!(definition.states["A"].effective_query_language, QueryLanguage::Jsonata);
    }
}

#[cfg(test)]
mod incremental_tests {
    use super::*;

    #[test]
    fn broken_yaml_keeps_the_lines_before_the_break() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n  B:\n    Type: [Pass\n  C:\n    Type: Succeed\n";
        let parsed = check(text, Format::Yaml, &Options::default());
        assert_eq!(parsed.diagnostics[0].code, "SW002");
        assert!(parsed.partial);
        let definition = parsed.definition.expect("recovered");
        assert!(definition.states.contains_key("A"), "{:?}", definition.states.keys());
    }

    #[test]
    fn a_truncated_file_keeps_the_states_before_the_break() {
        let text = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Pass\", \"Next\": \"B\"},\n    \"B\": {\"Type\": \"Pass\", \"Next\": \"C\"},\n    \"C\": {\"Type\": \"Wa";
        let parsed = check(text, Format::Json, &Options::default());
        assert_eq!(parsed.diagnostics[0].code, "SW001");
        assert!(parsed.partial);
        let definition = parsed.definition.expect("recovered");
        assert_eq!(definition.start_at.as_deref(), Some("A"));
        assert_eq!(definition.states.keys().collect::<Vec<_>>(), ["A", "B"]);
        for e in parsed.source_map.entries() {
            assert!(e.value.end <= text.len());
        }
        // An unclosed brace in the middle: what comes before it survives.
        let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}, \"B\": {\"Type\": }}}";
        let parsed = check(text, Format::Json, &Options::default());
        assert!(parsed.partial);
        assert_eq!(parsed.definition.expect("recovered").states.keys().collect::<Vec<_>>(), ["A"]);
        // Nothing to recover.
        let parsed = check("]", Format::Json, &Options::default());
        assert!(parsed.value.is_none() && !parsed.partial);
    }

    #[test]
    fn an_edit_inside_one_state_is_read_incrementally() {
        let old = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Result\": {\"x\": 1001},\n      \"End\": true\n    }\n  }\n}";
        let new = old.replace("1001", "10010");
        let mut parsed = check(old, Format::Json, &Options::default());
        assert!(reread_states(old, &parsed, &new).is_some());
        assert!(check_incremental(old, &mut parsed, &new, &Options::default()));
        let full = check(&new, Format::Json, &Options::default());
        assert_eq!(parsed.value, full.value);
        assert_eq!(parsed.source_map.entries(), full.source_map.entries());
    }
}
