//! Validation: rules over the parsed document, each in its own file under `rules/`, each with a
//! stable code.
//!
//! Rules read the order-preserving value (for what the model cannot hold: wrong JSON types,
//! unknown fields) and the typed model (for the rest), and report diagnostics by JSON Pointer.
//! [`validate`] then locates every diagnostic in the text through the source map and sorts them
//! by position, so the output is deterministic.

pub(crate) mod paths;
pub(crate) mod rules;

use std::borrow::Cow;

use serde_json::{Map, Value};

use crate::fields::FieldSpec;
use crate::model::{Definition, QueryLanguage, State};
use crate::object::{Members, Step, Trail, join, join_index};
use crate::text::TextRange;
use crate::{Diagnostic, Parsed, Severity};

/// The workflow type a definition is validated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WorkflowType {
    /// Standard workflows (the default).
    #[default]
    Standard,
    /// Express workflows: no `.sync`, no `.waitForTaskToken`, no activities.
    Express,
}

impl WorkflowType {
    /// Parses `STANDARD` or `EXPRESS` (case-insensitive).
    pub fn parse(name: &str) -> Option<WorkflowType> {
        match name.to_ascii_uppercase().as_str() {
            "STANDARD" => Some(WorkflowType::Standard),
            "EXPRESS" => Some(WorkflowType::Express),
            _ => None,
        }
    }
}

/// What to validate for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The workflow type.
    pub workflow_type: WorkflowType,
}

/// A validation rule's documentation, for `docs/rules.md` and the CLI's help lines.
#[derive(Debug, Clone, Copy)]
pub struct RuleInfo {
    /// The stable code, e.g. `SW201`.
    pub code: &'static str,
    /// A kebab-case name.
    pub name: &'static str,
    /// How to fix what the rule reports, in one sentence.
    pub fix: &'static str,
}

/// One rule: its documentation and its check.
pub(crate) struct Rule {
    pub(crate) info: RuleInfo,
    pub(crate) check: fn(&Context<'_>, &mut Sink),
}

/// Every rule's documentation, in code order (syntax codes SW001–SW004 come from the parser).
pub fn rules() -> Vec<RuleInfo> {
    let mut out: Vec<RuleInfo> = rules::SYNTAX.to_vec();
    out.extend(rules::ALL.iter().map(|r| r.info));
    out.sort_by_key(|r| r.code);
    out
}

/// The fix for a diagnostic code, if the code is known.
pub fn help(code: &str) -> Option<&'static str> {
    rules().into_iter().find(|r| r.code == code).map(|r| r.fix)
}

/// Validates a parsed document. `text` must be the text `parsed` came from.
///
/// For a partial parse (text broken before its end, [`Parsed::partial`]) only what the break
/// cannot have caused is reported: per-state findings in the states read in full, and
/// findings about a whole machine (start, transitions, reachability, terminal states) in the
/// machines read in full; none about workflow variables; and when a top-level QueryLanguage
/// may lie after the break, only what holds in both query languages.
pub fn validate(text: &str, parsed: &Parsed, options: &Options) -> Vec<Diagnostic> {
    let Some(value) = &parsed.value else { return Vec::new() };
    SUGGESTIONS_LEFT.with(|left| left.set(SUGGESTION_BUDGET));
    let sink = run_rules(parsed.definition.as_ref(), value, options);
    let mut diagnostics = sink.diagnostics;
    if parsed.partial {
        let cut = Cut::of(parsed);
        // Indices into `diagnostics` must stay valid for `sink.inner`: mark, locate, then drop.
        for d in &mut diagnostics {
            if cut.may_cause(d) {
                d.code.clear();
            }
        }
        // The top-level QueryLanguage may follow the break (Workflow Studio writes it last):
        // then only what holds in either language is certain.
        let unseen_language = parsed.truncated.first().is_some_and(String::is_empty)
            && value.as_object().is_some_and(|root| !root.has("QueryLanguage"));
        if let (true, Some(root)) = (unseen_language, value.as_object()) {
            let jsonata = crate::parse::definition_in(root, QueryLanguage::Jsonata);
            let also = run_rules(Some(&jsonata), value, options).diagnostics;
            for d in &mut diagnostics {
                if !also.iter().any(|o| o.code == d.code && o.path == d.path) {
                    d.code.clear();
                }
            }
        }
    }
    for d in &mut diagnostics {
        if d.code.is_empty() {
            continue;
        }
        d.range = parsed.source_map.range(text, &d.path);
    }
    for (index, offset) in sink.inner {
        let Some(d) = diagnostics.get_mut(index) else { continue };
        let Some(entry) = parsed.source_map.get(&d.path) else { continue };
        let Some(string) = value.pointer(&d.path).and_then(Value::as_str) else { continue };
        if let Some(range) = inner_range(text, entry.value, string, offset) {
            d.range = parsed.source_map.lines().range(text, range);
        }
    }
    diagnostics.retain(|d| !d.code.is_empty());
    diagnostics.sort_by(|a, b| {
        (a.range.start.line, a.range.start.column, &a.code, &a.path).cmp(&(
            b.range.start.line,
            b.range.start.column,
            &b.code,
            &b.path,
        ))
    });
    diagnostics.dedup();
    diagnostics
}

/// Runs every rule over a definition and the value it was read from.
fn run_rules(definition: Option<&Definition>, value: &Value, options: &Options) -> Sink {
    let mut sink = Sink::default();
    match (definition, value.as_object()) {
        (Some(definition), Some(root)) => {
            let mut cx = Context {
                root,
                definition,
                options,
                machines: Vec::new(),
                views: Vec::new(),
                paths: PathWalk::default(),
                specs: Vec::new(),
                variables: std::cell::OnceCell::new(),
            };
            cx.machines = definition.all_machines();
            (cx.views, cx.paths, cx.specs) = cx.collect_states();
            for rule in rules::ALL {
                (rule.check)(&cx, &mut sink);
            }
        }
        _ => sink.error("SW100", "a state machine definition must be a JSON object", ""),
    }
    sink
}

/// Where a partial parse was cut: which states and machines were read in full.
struct Cut<'p> {
    /// The containers the break cut through.
    truncated: &'p [String],
    /// The pointer of every state (readable or not) and of every machine.
    states: Vec<String>,
    machines: Vec<&'p str>,
}

impl<'p> Cut<'p> {
    fn of(parsed: &'p Parsed) -> Cut<'p> {
        let mut states = Vec::new();
        let mut machines = Vec::new();
        if let Some(definition) = &parsed.definition {
            for machine in definition.all_machines() {
                machines.push(machine.pointer.as_str());
                states.extend(machine.states.values().map(|s| s.pointer.clone()));
                let states_at = join(&machine.pointer, "States");
                states.extend(machine.invalid_states.iter().map(|name| join(&states_at, name)));
            }
        }
        Cut { truncated: &parsed.truncated, states, machines }
    }

    /// Whether the break may be what `d` reports: something missing from, or referring to,
    /// a part of the document that was cut off. Rules over a whole machine (its start, its
    /// transitions, what is reachable, where it ends) count only for machines read in full;
    /// rules over the workflow's variables (assigned in one state, read in another) not at
    /// all; the other rules look at one state, and count for the states read in full (and
    /// outside any state, for values not cut through).
    fn may_cause(&self, d: &Diagnostic) -> bool {
        let cut = |pointer: &str| self.truncated.iter().any(|t| t == pointer);
        match d.code.as_str() {
            "SW802" | "SW803" => true,
            "SW200" | "SW201" | "SW202" | "SW203" => {
                enclosing(&d.path, self.machines.iter().copied()).is_none_or(cut)
            }
            _ => match enclosing(&d.path, self.states.iter().map(String::as_str)) {
                Some(state) => cut(state),
                None => cut(&d.path),
            },
        }
    }
}

/// The longest of `candidates` that is `pointer` or one of its ancestors.
fn enclosing<'c>(pointer: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    candidates
        .filter(|c| {
            pointer.strip_prefix(c).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        .max_by_key(|c| c.len())
}

/// Collects diagnostics; ranges are filled in by [`validate`].
#[derive(Default)]
pub(crate) struct Sink {
    pub(crate) diagnostics: Vec<Diagnostic>,
    /// For diagnostics about a character inside a string value: (index in `diagnostics`, byte
    /// offset in the decoded string).
    pub(crate) inner: Vec<(usize, usize)>,
}

impl Sink {
    pub(crate) fn error(
        &mut self,
        code: &str,
        message: impl Into<String>,
        path: impl Into<String>,
    ) {
        self.diagnostics.push(Diagnostic::error(code, message, path));
    }

    pub(crate) fn warning(
        &mut self,
        code: &str,
        message: impl Into<String>,
        path: impl Into<String>,
    ) {
        let mut d = Diagnostic::error(code, message, path);
        d.severity = Severity::Warning;
        self.diagnostics.push(d);
    }

    /// An error about the character at byte `offset` of the string value at `path`: located at
    /// that character when the string is written without escapes before it.
    pub(crate) fn error_at(
        &mut self,
        code: &str,
        message: impl Into<String>,
        path: impl Into<String>,
        offset: usize,
    ) {
        self.inner.push((self.diagnostics.len(), offset));
        self.error(code, message, path);
    }
}

/// The range of the character at `offset` of the decoded string `value` written at `range`,
/// when the text spells the string literally up to there.
fn inner_range(text: &str, range: TextRange, value: &str, offset: usize) -> Option<TextRange> {
    let open = text.get(range.start..range.start + 1)?;
    let quoted = open == "\"" || open == "'";
    let start = range.start + usize::from(quoted);
    let prefix = value.get(..offset)?;
    if text.get(start..start + offset)? != prefix {
        return None;
    }
    let at = start + offset;
    let width = text.get(at..)?.chars().next().map(char::len_utf8).unwrap_or(0);
    let end = (at + width).min(range.end.saturating_sub(usize::from(quoted)).max(at));
    Some(TextRange::new(at, end))
}

/// What rules see.
pub(crate) struct Context<'a> {
    pub(crate) root: &'a Map<String, Value>,
    pub(crate) definition: &'a Definition,
    pub(crate) options: &'a Options,
    /// Every machine, depth first (computed once).
    machines: Vec<&'a Definition>,
    /// Every state, readable or not (computed once).
    views: Vec<StateView<'a>>,
    /// The path fields of every state, and their places (computed once).
    paths: PathWalk<'a>,
    /// The specs of every state's members, by state (computed once).
    specs: Vec<Option<&'static FieldSpec>>,
    /// Variable assignments and reads, (name, pointer), computed on first use.
    pub(crate) variables: std::cell::OnceCell<Variables>,
}

/// Variable assignments and reads: (name, pointer) pairs.
#[derive(Default)]
pub(crate) struct Variables {
    pub(crate) assigned: Vec<(String, String)>,
    pub(crate) read: Vec<(String, String)>,
}

/// A state as rules see it: its raw object and, when the model could read it, its model.
pub(crate) struct StateView<'a> {
    pub(crate) name: &'a str,
    pub(crate) pointer: Cow<'a, str>,
    pub(crate) raw: &'a Value,
    pub(crate) state: Option<&'a State>,
    /// The language in force for the state (the machine's when the model could not read it).
    pub(crate) language: QueryLanguage,
    /// Its paths and intrinsic calls (JSONPath states), computed once: a range of the
    /// context's (see [`Context::path_fields`]).
    paths: std::ops::Range<usize>,
    /// The spec of each of its members, in document order (`None` for a field the language
    /// does not have), looked up once for the rules that ask: a range of the context's (see
    /// [`Context::fields`]).
    specs: std::ops::Range<usize>,
}

impl<'a> StateView<'a> {
    pub(crate) fn object(&self) -> Option<&'a Map<String, Value>> {
        self.raw.as_object()
    }

    pub(crate) fn field(&self, key: &str) -> Option<&'a Value> {
        self.raw.member(key)
    }

    pub(crate) fn at(&self, key: &str) -> String {
        join(&self.pointer, key)
    }
}

impl<'a> Context<'a> {
    /// The raw object at a JSON Pointer.
    pub(crate) fn raw(&self, pointer: &str) -> Option<&'a Value> {
        let mut tokens = pointer.strip_prefix('/')?.split('/');
        let mut current: &'a Value = self.root.member(token(tokens.next()?).as_ref())?;
        for t in tokens {
            let t = token(t);
            current = match current {
                Value::Object(map) => map.member(t.as_ref())?,
                Value::Array(items) => items.get(t.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(current)
    }

    /// The raw object of a machine.
    pub(crate) fn machine_object(&self, machine: &Definition) -> Option<&'a Map<String, Value>> {
        if machine.pointer.is_empty() {
            Some(self.root)
        } else {
            self.raw(&machine.pointer).and_then(Value::as_object)
        }
    }

    /// Every machine, depth first.
    pub(crate) fn machines(&self) -> &[&'a Definition] {
        &self.machines
    }

    /// Every state of every machine, readable or not, in document order per machine.
    pub(crate) fn states(&self) -> &[StateView<'a>] {
        &self.views
    }

    /// Every string of a JSONPath state that is a path or an intrinsic call. Empty for
    /// JSONata states and unreadable ones.
    pub(crate) fn path_fields(&self, view: &StateView<'a>) -> &[PathField<'a>] {
        self.paths.fields.get(view.paths.clone()).unwrap_or_default()
    }

    /// The members of a state in document order, each with its field's spec if the language
    /// has it.
    pub(crate) fn fields(
        &self,
        view: &StateView<'a>,
    ) -> impl Iterator<Item = (&'a String, &'a Value, Option<&'static FieldSpec>)> + '_ {
        let specs = self.specs.get(view.specs.clone()).unwrap_or_default();
        view.object().into_iter().flatten().zip(specs).map(|((k, v), spec)| (k, v, *spec))
    }

    /// The pointer of one of the [`path_fields`](Self::path_fields) of `view`.
    pub(crate) fn pointer_of(&self, view: &StateView<'a>, field: &PathField<'a>) -> String {
        self.paths.places.pointer(&view.pointer, field.place)
    }

    /// The views of every state, their path fields and their members' specs (kept in a few
    /// vectors for all the states, not a few per state).
    fn collect_states(
        &self,
    ) -> (Vec<StateView<'a>>, PathWalk<'a>, Vec<Option<&'static FieldSpec>>) {
        let count = self.machines.iter().map(|m| m.states.len() + m.invalid_states.len()).sum();
        let mut out = Vec::with_capacity(count);
        // Room for a few path fields per state (a Task has about five), so that the vectors
        // of every state's fields seldom grow.
        let mut walk = PathWalk {
            fields: Vec::with_capacity(count * 2),
            places: Trail::with_capacity(count * 4),
        };
        let mut specs = Vec::with_capacity(count * 6);
        for &machine in &self.machines {
            let Some(states) = self
                .machine_object(machine)
                .and_then(|m| m.member("States"))
                .and_then(Value::as_object)
            else {
                continue;
            };
            let states_at = join(&machine.pointer, "States");
            // The model lists the states it could read in the text's order: it is followed
            // alongside, and searched only when it is not in step (an edited document).
            let mut in_order = machine.states.iter().peekable();
            for (name, raw) in states {
                let state = match in_order.next_if(|(n, _)| *n == name) {
                    Some((_, state)) => Some(state),
                    None => machine.states.get(name),
                };
                let mut view = StateView {
                    name,
                    // The model's pointer when it read the state: the same, already written.
                    pointer: match state {
                        Some(state) => Cow::Borrowed(state.pointer.as_str()),
                        None => Cow::Owned(join(&states_at, name)),
                    },
                    raw,
                    state,
                    language: state
                        .map(|s| s.effective_query_language)
                        .unwrap_or(machine.effective_query_language),
                    paths: 0..0,
                    specs: 0..0,
                };
                let first = specs.len();
                if let Some(object) = raw.as_object() {
                    specs.extend(object.keys().map(|k| crate::fields::state_field(k)));
                }
                view.specs = first..specs.len();
                let first = walk.fields.len();
                walk.state(&view);
                view.paths = first..walk.fields.len();
                out.push(view);
            }
        }
        (out, walk, specs)
    }
}

thread_local! {
    /// How many more "did you mean" searches this validation may do.
    static SUGGESTIONS_LEFT: std::cell::Cell<usize> = const { std::cell::Cell::new(SUGGESTION_BUDGET) };
}

/// "Did you mean" searches per validation.
const SUGGESTION_BUDGET: usize = 1_000;

/// The closest candidate to `name`, for "did you mean" hints. Bounded work: candidates whose
/// length is far from the name's are skipped, and at most 2,000 are compared.
pub(crate) fn suggest<'c>(name: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    // A budget per validation (per thread), so that a file with a million typos stays linear.
    let exhausted = SUGGESTIONS_LEFT.with(|left| {
        let n = left.get();
        left.set(n.saturating_sub(1));
        n == 0
    });
    if exhausted {
        return String::new();
    }
    let length = name.chars().count();
    let slack = (length / 3).max(2);
    let best = candidates
        .into_iter()
        .filter(|c| {
            c.len().abs_diff(name.len()) <= slack * 4 && c.chars().count().abs_diff(length) <= slack
        })
        .take(2_000)
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, c)) => format!("; did you mean \"{c}\"?"),
        None => String::new(),
    }
}

/// A JSON type name for messages.
pub(crate) fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Test helpers shared by the rules' unit tests.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::{Format, check};

    /// (code, path) of every diagnostic `text` produces for STANDARD.
    pub(crate) fn diagnostics(text: &str) -> Vec<(String, String)> {
        diagnostics_for(text, WorkflowType::Standard)
    }

    /// (code, path) of every diagnostic `text` produces for a workflow type.
    pub(crate) fn diagnostics_for(
        text: &str,
        workflow_type: WorkflowType,
    ) -> Vec<(String, String)> {
        let parsed = check(text, Format::sniff(text), &Options { workflow_type });
        parsed.diagnostics.into_iter().map(|d| (d.code, d.path)).collect()
    }

    /// The paths at which `code` is reported.
    pub(crate) fn paths(text: &str, code: &str) -> Vec<String> {
        let mut out: Vec<String> =
            diagnostics(text).into_iter().filter(|(c, _)| c == code).map(|(_, p)| p).collect();
        out.sort();
        out
    }

    /// A machine with one state `A` of this JSON body, and a final Succeed state `Done`.
    pub(crate) fn one_state(body: &str) -> String {
        format!(r#"{{"StartAt":"A","States":{{"A":{body},"Done":{{"Type":"Succeed"}}}}}}"#)
    }
}

#[cfg(test)]
mod partial_tests {
    use crate::{Format, Options, check};

    /// (code, path) of every diagnostic of a text that does not parse to its end.
    fn partial(text: &str, format: Format) -> Vec<(String, String)> {
        let parsed = check(text, format, &Options::default());
        assert!(parsed.partial, "the text is broken past what the lenient parse accepts");
        parsed.diagnostics.into_iter().map(|d| (d.code, d.path)).collect()
    }

    fn codes(found: &[(String, String)]) -> Vec<&str> {
        found.iter().map(|(code, _)| code.as_str()).collect()
    }

    // "A" is read in full and breaks a rule (a Wait's Seconds is a positive integer: AWS, "Wait
    // workflow state"); "B" is cut in the middle, and its Next "C" lies after the break. Only
    // the syntax error and A's finding may be reported: not B's missing fields, not "Next
    // refers to an unknown state", nor "unreachable" or "no terminal state".
    const JSON: &str = "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\"Type\": \"Wait\", \"Seconds\": -5, \"Next\": \"B\"},\n    \"B\": {\"Type\": \"Task\", \"Next\": \"C\", \"Parameters\": {\"x\": ";

    #[test]
    fn a_state_read_before_the_break_is_validated() {
        let found = partial(JSON, Format::Json);
        assert_eq!(codes(&found), ["SW001", "SW600"], "{found:?}");
        assert!(found[1].1.starts_with("/States/A"), "{found:?}");
    }

    #[test]
    fn nothing_is_reported_for_what_the_break_cut_off() {
        // The same machine cut right after A: B and its targets are missing, not wrong.
        let text = "{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Pass\", \"Next\": \"B\"}, \"B\": {\"Type\": ";
        let found = partial(text, Format::Json);
        assert_eq!(codes(&found), ["SW001"], "{found:?}");
    }

    #[test]
    fn a_query_language_that_may_follow_the_break_is_not_guessed() {
        // Workflow Studio writes QueryLanguage last: cut before it, A's Output (a JSONata
        // field, AWS: "Transforming data with JSONata") must not be reported as a JSONPath
        // state's mistake; A's unknown field is one in either language.
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input %}", "Colour": "red", "Next": "B"}, "B": {"Type": "Pa"#;
        let found = partial(text, Format::Json);
        assert_eq!(codes(&found), ["SW001", "SW102"], "{found:?}");
        assert_eq!(found[1].1, "/States/A/Colour");
        // Written before the states, it is seen: then A is a JSONPath state for certain, and
        // Output is not one of its fields.
        let text = r#"{"QueryLanguage": "JSONPath", "StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% $states.input %}", "Next": "B"}, "B": {"Type": "Pa"#;
        let found = partial(text, Format::Json);
        assert_eq!(codes(&found), ["SW001", "SW104"], "{found:?}");
    }

    // What decides a state's language before a break (AWS, "Transforming data with JSONata":
    // QueryLanguage is set at the top level, JSONPath when absent, or on a state for that
    // state). JSON members come in any order, so a state without its own QueryLanguage takes
    // the top level's, which may follow the break even when the state was read in full: its
    // JSONPath findings stay hidden (above). They are certain when the state names its own
    // language, or when the top-level object was read to its end.
    #[test]
    fn a_state_that_names_its_language_is_checked_in_it() {
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "QueryLanguage": "JSONPath", "Output": "{% 1 %}", "Next": "B"}, "B": {"Type": "Pa"#;
        let found = partial(text, Format::Json);
        assert_eq!(found[1..], [("SW104".to_owned(), "/States/A/Output".to_owned())], "{found:?}");
        let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    QueryLanguage: JSONPath\n    Output: '{% 1 %}'\n    Next: B\n  B:\n    Type: [Pass\n";
        let found = partial(yaml, Format::Yaml);
        assert!(found.iter().any(|(c, p)| c == "SW104" && p == "/States/A/Output"), "{found:?}");
    }

    #[test]
    fn without_a_language_of_its_own_yaml_is_not_guessed_either() {
        let yaml = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Output: '{% 1 %}'\n    Next: B\n  B:\n    Type: [Pass\n";
        let found = partial(yaml, Format::Yaml);
        assert!(found.iter().all(|(c, _)| c != "SW104"), "{found:?}");
    }

    #[test]
    fn a_top_level_read_to_its_end_has_no_unseen_language() {
        // The break comes after the closing brace: every top-level field was read, none is
        // QueryLanguage, so the machine is JSONPath (the default) and Output is not its field.
        let text = r#"{"StartAt": "A", "States": {"A": {"Type": "Pass", "Output": "{% 1 %}", "End": true}}} ["#;
        let found = partial(text, Format::Json);
        assert_eq!(codes(&found), ["SW001", "SW104"], "{found:?}");
    }

    #[test]
    fn a_machine_read_in_full_before_the_break_is_checked_whole() {
        // The Parallel state closed before the break: its branch is complete, so a transition
        // to an unknown state there is a finding (States Language: "Next" names a state of the
        // same machine), while the top-level machine is not checked as a whole.
        let text = r#"{"StartAt": "P", "States": {"P": {"Type": "Parallel", "Next": "Z", "Branches": [{"StartAt": "X", "States": {"X": {"Type": "Pass", "Next": "Nowhere"}}}]}, "Z": {"Type": "#;
        let found = partial(text, Format::Json);
        // The branch has no terminal state either: also a finding about a whole machine.
        assert_eq!(codes(&found), ["SW001", "SW203", "SW201"], "{found:?}");
        assert_eq!(found[2].1, "/States/P/Branches/0/States/X/Next");
    }

    #[test]
    fn broken_yaml_validates_the_states_before_the_block_that_breaks() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Wait\n    Seconds: -5\n    Next: B\n  B:\n    Type: Pass\n    Next: C\n  C:\n    Type: [Pass\n";
        let found = partial(text, Format::Yaml);
        // Wait Seconds must be a positive integer (AWS: "Wait workflow state"); B is the last
        // state read and YAML cannot tell whether it was complete, so it is left alone.
        assert!(codes(&found).contains(&"SW002"), "{found:?}");
        assert!(found.iter().any(|(c, p)| c == "SW600" && p.starts_with("/States/A")), "{found:?}");
        assert!(
            found.iter().all(|(c, _)| !matches!(c.as_str(), "SW201" | "SW202" | "SW203" | "SW108")),
            "{found:?}"
        );
    }
}

/// How a string field of a JSONPath state is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A path (`InputPath`, `OutputPath`, a Choice `Variable`).
    Path,
    /// A reference path (`ResultPath`, `ItemsPath`, the `…Path` number fields).
    Reference,
    /// A `.$` value of a payload template: a path or an intrinsic function.
    PathOrIntrinsic,
    /// Fail `ErrorPath`/`CausePath`: a reference path or an intrinsic function.
    ReferenceOrIntrinsic,
    /// A `.$` value that is not a string (the text is empty): always an error.
    NotAString,
}

/// A string a JSONPath state evaluates, with where it is and how it is read.
pub(crate) struct PathField<'a> {
    /// Where it is: a place under its state (see [`Context::pointer_of`]).
    place: usize,
    /// The key of the member that holds it (`ResultPath`, `Payload.$`, `Variable`…).
    pub(crate) key: &'a str,
    pub(crate) text: &'a str,
    pub(crate) role: Role,
}

const REFERENCE_FIELDS: &[&str] = &[
    "ResultPath",
    "ItemsPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "MaxConcurrencyPath",
    "ToleratedFailurePercentagePath",
    "ToleratedFailureCountPath",
];
const TEMPLATE_FIELDS: &[&str] = &["Parameters", "ResultSelector", "ItemSelector", "Assign"];

/// The path fields of the states, as they are found, and the places they are in.
#[derive(Default)]
struct PathWalk<'a> {
    fields: Vec<PathField<'a>>,
    places: Trail<'a>,
}

impl<'a> PathWalk<'a> {
    /// Adds the path fields of a state and the places they are in (their pointers are
    /// written only for what a rule reports or a variable read records).
    fn state(&mut self, view: &StateView<'a>) {
        if view.language != QueryLanguage::JsonPath {
            return;
        }
        let Some(object) = view.object() else { return };
        for (field, value) in object {
            let field = field.as_str();
            match field {
                "InputPath" | "OutputPath" => self.field(None, field, value, Role::Path),
                "ErrorPath" | "CausePath" => {
                    self.field(None, field, value, Role::ReferenceOrIntrinsic)
                }
                f if REFERENCE_FIELDS.contains(&f) => {
                    self.field(None, field, value, Role::Reference)
                }
                f if TEMPLATE_FIELDS.contains(&f) => {
                    let at = self.place(None, Step::Key(field));
                    self.template(value, at);
                }
                "ItemReader" | "ResultWriter" | "ItemBatcher" => {
                    let Some(inner) = value.as_object() else { continue };
                    let at = self.place(None, Step::Key(field));
                    for (key, v) in inner {
                        let key = key.as_str();
                        match key {
                            "Parameters" | "BatchInput" => {
                                let inner_at = self.place(Some(at), Step::Key(key));
                                self.template(v, inner_at);
                            }
                            "MaxItemsPerBatchPath" | "MaxInputBytesPerBatchPath" => {
                                self.field(Some(at), key, v, Role::Reference)
                            }
                            "ReaderConfig" => {
                                if let Some(path) = v.member("MaxItemsPath") {
                                    let inner_at = self.place(Some(at), Step::Key(key));
                                    self.field(
                                        Some(inner_at),
                                        "MaxItemsPath",
                                        path,
                                        Role::Reference,
                                    );
                                }
                            }
                            _ => {}
                        }
                    }
                }
                "Choices" => {
                    let Some(rules) = value.as_array() else { continue };
                    let at = self.place(None, Step::Key(field));
                    for (i, rule) in rules.iter().enumerate() {
                        let rule_at = self.place(Some(at), Step::Index(i));
                        self.choice(rule, rule_at);
                        if let Some(assign) = rule.member("Assign") {
                            let assign_at = self.place(Some(rule_at), Step::Key("Assign"));
                            self.template(assign, assign_at);
                        }
                    }
                }
                "Catch" => {
                    let Some(catchers) = value.as_array() else { continue };
                    let at = self.place(None, Step::Key(field));
                    for (i, catcher) in catchers.iter().enumerate() {
                        let (path, assign) =
                            (catcher.member("ResultPath"), catcher.member("Assign"));
                        if path.is_none() && assign.is_none() {
                            continue;
                        }
                        let catcher_at = self.place(Some(at), Step::Index(i));
                        if let Some(path) = path {
                            self.field(Some(catcher_at), "ResultPath", path, Role::Reference);
                        }
                        if let Some(assign) = assign {
                            let assign_at = self.place(Some(catcher_at), Step::Key("Assign"));
                            self.template(assign, assign_at);
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A place in `parent` (`None`: in the state).
    fn place(&mut self, parent: Option<usize>, step: Step<'a>) -> usize {
        self.places.push(parent, step)
    }

    /// The member `key` of `parent`, a path field read as `role` if it is a string (a `.$`
    /// value that is not one is recorded too, as an error).
    fn field(&mut self, parent: Option<usize>, key: &'a str, value: &'a Value, role: Role) {
        let (text, role) = match value.as_str() {
            Some(text) => (text, role),
            None if role == Role::PathOrIntrinsic => ("", Role::NotAString),
            None => return,
        };
        let place = self.place(parent, Step::Key(key));
        self.fields.push(PathField { place, key, text, role });
    }

    /// The `.$` values of the payload template at `place`, iteratively.
    fn template(&mut self, value: &'a Value, place: usize) {
        let mut stack = vec![(value, place)];
        while let Some((value, place)) = stack.pop() {
            match value {
                Value::Object(map) => {
                    for (key, v) in map {
                        if key.ends_with(".$") {
                            self.field(Some(place), key, v, Role::PathOrIntrinsic);
                        } else if v.is_object() || v.is_array() {
                            // A scalar without `.$` holds no path: no place to record.
                            stack.push((v, self.place(Some(place), Step::Key(key))));
                        }
                    }
                }
                Value::Array(items) => {
                    for (i, v) in items.iter().enumerate() {
                        if v.is_object() || v.is_array() {
                            stack.push((v, self.place(Some(place), Step::Index(i))));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// The `Variable` and `…Path` operands of the Choice rule at `place` and of its nested
    /// rules, iteratively.
    fn choice(&mut self, rule: &'a Value, place: usize) {
        let mut rules = vec![(rule, place)];
        while let Some((rule, place)) = rules.pop() {
            let Some(object) = rule.as_object() else { continue };
            for (key, v) in object {
                let key = key.as_str();
                match key {
                    "Variable" => self.field(Some(place), key, v, Role::Path),
                    "And" | "Or" => {
                        if let Some(items) = v.as_array() {
                            let at = self.place(Some(place), Step::Key(key));
                            for (i, item) in items.iter().enumerate() {
                                rules.push((item, self.place(Some(at), Step::Index(i))));
                            }
                        }
                    }
                    "Not" => rules.push((v, self.place(Some(place), Step::Key(key)))),
                    k if k.ends_with("Path") && crate::fields::is_choice_operator(k) => {
                        self.field(Some(place), key, v, Role::Path)
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Every string in a JSONata state that is written as an expression (`{%`…), with its pointer.
pub(crate) fn jsonata_strings<'a>(view: &StateView<'a>) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    if view.language != QueryLanguage::Jsonata {
        return out;
    }
    let Some(object) = view.object() else { return out };
    let mut stack: Vec<(&'a Value, String)> = Vec::new();
    for (field, value) in object {
        // Nested machines are walked as states of their own.
        if matches!(field.as_str(), "Branches" | "ItemProcessor" | "Iterator") {
            continue;
        }
        stack.push((value, view.at(field)));
    }
    while let Some((value, pointer)) = stack.pop() {
        match value {
            Value::String(s) if paths::is_jsonata(s) => out.push((pointer, s.as_str())),
            Value::Object(map) => {
                for (k, v) in map {
                    stack.push((v, join(&pointer, k)));
                }
            }
            Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    stack.push((v, join_index(&pointer, i)));
                }
            }
            _ => {}
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A JSON Pointer token, unescaped (without copying when there is nothing to unescape).
fn token(t: &str) -> Cow<'_, str> {
    if t.contains('~') { Cow::Owned(crate::source_map::unescape(t)) } else { Cow::Borrowed(t) }
}
