//! JSONata-mode fields: JSON values whose strings may be `{% … %}` expressions.
//!
//! "Any string value, including those inside objects or arrays, will be evaluated as JSONata if
//! surrounded by `{% %}` characters" (developer guide, Transforming data with JSONata). Fields
//! compile once per definition into a [`Jsonata`] template (parsed expressions, literal parts
//! kept as they are) and evaluate against the reserved `$states` variable and the workflow
//! variables in scope. Failures are `States.QueryEvaluationError` with AWS's message shapes:
//! an expression that throws, or one that returns nothing (undefined).

use std::sync::Arc;

use serde_json::Value;
use stepwise_jsonata::parser::BinOp;
use stepwise_jsonata::{
    Bindings, Expression, Host, Limits, MergePart, NativeFunction, SharedBindings, Value as JValue,
    VariablePath,
};

use super::vars::Variables;
use crate::errors::{Failure, QUERY_EVALUATION_ERROR};
use crate::value::{Object, Payload, set_field};

/// A compiled JSONata-mode field value.
#[derive(Debug, Clone)]
pub enum Jsonata {
    /// No expression inside: the value as written.
    Literal(Payload),
    /// `"{% expression %}"`.
    Expr {
        /// The parsed expression.
        expr: Arc<Expression>,
        /// The expression as written (between the delimiters), for messages.
        text: Arc<str>,
        /// Whether it mentions `context` (so `$states.context` must be built).
        needs_context: bool,
        /// For `$states.input.a.b`, `$states.input.n > 5` and the like: found without an
        /// evaluation where the fields meet objects.
        shortcut: Option<Shortcut>,
    },
    /// An object with at least one expression inside.
    Object(Vec<(Arc<str>, Jsonata)>),
    /// An array with at least one expression inside.
    Array(Vec<Jsonata>),
}

/// Most JSONata fields only pick a value out of the input or result, compare one with a
/// number (a Choice `Condition`), count with it (`$states.input.n + 1`) or add fields to the
/// input (`$merge([$states.input, {'seen': 1}])`, the developer guide's way to keep the input
/// beside a result); following the fields costs far less than setting up `$states`, the
/// variables and an evaluation for each state visit.
#[derive(Debug, Clone)]
pub enum Shortcut {
    /// `$states.<part>.<field>…`
    Path(StatesPath),
    /// `$states.<part>.<field>… <op> <number>`, `op` a comparison or arithmetic.
    Operation(StatesPath, BinOp, f64),
    /// `$merge([…])` of `$states` paths and literal objects, at least one part.
    Merge(Box<[Merged]>),
}

/// A part of [`Shortcut::Merge`].
#[derive(Debug, Clone)]
pub enum Merged {
    /// `$states.<part>.<field>…`
    Path(StatesPath),
    /// A literal object.
    Object(Arc<Object>),
}

impl Shortcut {
    fn of(expr: &Expression) -> Option<Shortcut> {
        if let Some(path) = expr.variable_path() {
            return StatesPath::of(path).map(Shortcut::Path);
        }
        if let Some((path, op, number)) = expr.path_and_number() {
            return Some(Shortcut::Operation(StatesPath::of(path)?, op, number));
        }
        let parts = expr.merged_parts()?;
        let parts = parts
            .into_iter()
            .map(|part| match part {
                MergePart::Path(path) => StatesPath::of(path).map(Merged::Path),
                MergePart::Object(Payload::Object(object)) => Some(Merged::Object(object.clone())),
                MergePart::Object(_) => None,
            })
            .collect::<Option<Box<[Merged]>>>()?;
        (!parts.is_empty()).then_some(Shortcut::Merge(parts))
    }

    /// The value, or `None` where the evaluation must decide: a path that meets anything but
    /// objects, an operation whose path gives anything but a number, arithmetic whose result is
    /// not finite (an error), a merge of anything but objects or with `$merge` hidden by a
    /// variable.
    fn value(&self, states: &States<'_>) -> Option<Payload> {
        match self {
            // A number is read as a double and written back, as by the evaluation.
            Shortcut::Path(path) => JValue::from_payload(path.follow(states)?).to_payload(),
            Shortcut::Operation(path, op, number) => {
                let Payload::Number(n) = path.follow(states)? else { return None };
                let (a, b) = (n.as_f64()?, *number);
                let number = |r: f64| r.is_finite().then(|| JValue::Number(r).to_payload())?;
                match op {
                    BinOp::Eq => Some(Payload::Bool(a == b)),
                    BinOp::Ne => Some(Payload::Bool(a != b)),
                    BinOp::Lt => Some(Payload::Bool(a < b)),
                    BinOp::Le => Some(Payload::Bool(a <= b)),
                    BinOp::Gt => Some(Payload::Bool(a > b)),
                    BinOp::Ge => Some(Payload::Bool(a >= b)),
                    BinOp::Add => number(a + b),
                    BinOp::Sub => number(a - b),
                    BinOp::Mul => number(a * b),
                    BinOp::Div => number(a / b),
                    BinOp::Mod => number(a % b),
                    _ => None,
                }
            }
            Shortcut::Merge(parts) => {
                if states.variables.is_some_and(|v| v.get("merge").is_some()) {
                    return None;
                }
                let object = |part: &Merged| match part {
                    Merged::Path(path) => match path.follow(states)? {
                        Payload::Object(object) => Some(object.clone()),
                        _ => None,
                    },
                    Merged::Object(object) => Some(object.clone()),
                };
                let (first, rest) = parts.split_first()?;
                let mut merged = object(first)?;
                for part in rest {
                    // Fields set over the first object in order, as the built-in does.
                    for (key, value) in object(part)?.iter() {
                        merged = set_field(merged, key, value.clone());
                    }
                }
                Some(Payload::Object(merged))
            }
        }
    }
}

/// `$states.<input|result|errorOutput>.<field>…` in plain steps.
#[derive(Debug, Clone)]
pub struct StatesPath {
    part: StatesPart,
    fields: Box<[Arc<str>]>,
}

#[derive(Debug, Clone, Copy)]
enum StatesPart {
    Input,
    Result,
    ErrorOutput,
}

impl StatesPath {
    fn of((variable, fields): VariablePath<'_>) -> Option<StatesPath> {
        if variable != "states" {
            return None;
        }
        let (part, fields) = fields.split_first()?;
        let part = match *part {
            "input" => StatesPart::Input,
            "result" => StatesPart::Result,
            "errorOutput" => StatesPart::ErrorOutput,
            _ => return None,
        };
        Some(StatesPath { part, fields: fields.iter().map(|f| Arc::from(*f)).collect() })
    }

    /// The value, where the part is there and each field is a member of an object (what the
    /// evaluation gives then: the member as it is); `None` where the evaluation must decide
    /// (an array maps the rest of the path over its items, a missing value is an error).
    fn follow<'a>(&self, states: &States<'a>) -> Option<&'a Payload> {
        let mut at = match self.part {
            StatesPart::Input => states.input,
            StatesPart::Result => states.result,
            StatesPart::ErrorOutput => states.error_output,
        }?;
        for field in &self.fields {
            let Payload::Object(object) = at else { return None };
            at = object.get(field)?;
        }
        Some(at)
    }
}

/// Whether a string is a JSONata expression (`{%` … `%}`).
pub fn is_expression(s: &str) -> bool {
    s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}")
}

/// Whether an expression may read `$states.context`: it names `context`, or it uses `$states`
/// other than through `.input`, `.result` or `.errorOutput` (e.g. `$states` as a whole, or a
/// computed field). Over-approximates; the context is only built when this says so.
fn mentions_context(body: &str) -> bool {
    if body.contains("context") {
        return true;
    }
    let mut rest = body;
    while let Some(at) = rest.find("$states") {
        rest = &rest[at + "$states".len()..];
        if rest.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // another variable, e.g. `$statesSeen`
        }
        let Some(after_dot) = rest.trim_start().strip_prefix('.') else { return true };
        let field = after_dot.trim_start();
        let name_len =
            field.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(field.len());
        if !matches!(&field[..name_len], "input" | "result" | "errorOutput") {
            return true;
        }
    }
    false
}

impl Jsonata {
    /// Compiles a field value; a malformed expression is an error naming JSONata's code.
    pub fn compile(v: &Value) -> Result<Jsonata, String> {
        Ok(match v {
            Value::String(s) if is_expression(s) => {
                let body = &s[2..s.len() - 2];
                let expr = Expression::parse(body).map_err(|e| {
                    format!("the JSONata expression '{}' does not parse: {e}", body.trim())
                })?;
                Jsonata::Expr {
                    shortcut: Shortcut::of(&expr),
                    expr: Arc::new(expr),
                    text: Arc::from(body.trim()),
                    needs_context: mentions_context(body),
                }
            }
            Value::Object(o) => {
                let fields = o
                    .iter()
                    .map(|(k, v)| Ok((Arc::from(k.as_str()), Jsonata::compile(v)?)))
                    .collect::<Result<Vec<_>, String>>()?;
                if fields.iter().all(|(_, f)| matches!(f, Jsonata::Literal(_))) {
                    Jsonata::Literal(Payload::from(v))
                } else {
                    Jsonata::Object(fields)
                }
            }
            Value::Array(a) => {
                let items = a.iter().map(Jsonata::compile).collect::<Result<Vec<_>, String>>()?;
                if items.iter().all(|i| matches!(i, Jsonata::Literal(_))) {
                    Jsonata::Literal(Payload::from(v))
                } else {
                    Jsonata::Array(items)
                }
            }
            other => Jsonata::Literal(Payload::from(other)),
        })
    }

    /// Whether any part is an expression.
    pub fn is_literal(&self) -> bool {
        matches!(self, Jsonata::Literal(_))
    }

    /// Whether an expression inside mentions `context`.
    pub fn needs_context(&self) -> bool {
        match self {
            Jsonata::Literal(_) => false,
            Jsonata::Expr { needs_context, .. } => *needs_context,
            Jsonata::Object(f) => f.iter().any(|(_, v)| v.needs_context()),
            Jsonata::Array(i) => i.iter().any(Jsonata::needs_context),
        }
    }

    /// An upper bound of the serialized size of whatever this field evaluates to, where one is
    /// known without evaluating: literals, and an operation on a path and a number (a number,
    /// a boolean or `null`, whether the shortcut or the evaluation gives it; anything else is an
    /// error), in objects and arrays of them. So the payload limit need not serialize a
    /// counter's output at every visit. A key costs at most six bytes per byte once escaped.
    pub fn size_bound(&self) -> Option<usize> {
        match self {
            Jsonata::Literal(p) => Some(super::json_size(p)),
            Jsonata::Expr { shortcut: Some(Shortcut::Operation(..)), .. } => Some(NUMBER_BOUND),
            Jsonata::Expr { .. } => None,
            Jsonata::Object(fields) => fields.iter().try_fold(2usize, |n, (k, v)| {
                n.checked_add(k.len() * 6 + 4)?.checked_add(v.size_bound()?)
            }),
            Jsonata::Array(items) => {
                items.iter().try_fold(2usize, |n, v| n.checked_add(v.size_bound()?.checked_add(1)?))
            }
        }
    }

    /// The value without an evaluation, when every expression inside has a [`Shortcut`] that
    /// gives a value; `None` leaves it to [`Jsonata::eval`].
    pub fn follow_paths(&self, states: &States<'_>) -> Option<Payload> {
        if !self.only_paths() {
            return None;
        }
        self.follow(states)
    }

    fn only_paths(&self) -> bool {
        match self {
            Jsonata::Literal(_) => true,
            Jsonata::Expr { shortcut, .. } => shortcut.is_some(),
            Jsonata::Object(fields) => fields.iter().all(|(_, v)| v.only_paths()),
            Jsonata::Array(items) => items.iter().all(Jsonata::only_paths),
        }
    }

    fn follow(&self, states: &States<'_>) -> Option<Payload> {
        match self {
            Jsonata::Literal(p) => Some(p.clone()),
            Jsonata::Expr { shortcut, .. } => shortcut.as_ref()?.value(states),
            Jsonata::Object(fields) => {
                let mut o = Object::with_capacity(fields.len());
                for (k, v) in fields {
                    o.insert(k.clone(), v.follow(states)?);
                }
                Some(Payload::object(o))
            }
            Jsonata::Array(items) => {
                let items = items.iter().map(|i| i.follow(states)).collect::<Option<Vec<_>>>()?;
                Some(Payload::array(items))
            }
        }
    }

    /// Evaluates the value for the field `field` (named in errors, e.g. `Output`).
    pub fn eval(&self, scope: &Scope, field: &str) -> Result<Payload, Failure> {
        self.eval_at(scope, &FieldPath::Field(field))
    }

    fn eval_at(&self, scope: &Scope, field: &FieldPath<'_>) -> Result<Payload, Failure> {
        match self {
            Jsonata::Literal(p) => Ok(p.clone()),
            Jsonata::Expr { expr, text, .. } => {
                let v = expr
                    .evaluate_with(JValue::Undefined, &scope.bindings, scope.limits, scope.host.clone())
                    .map_err(|e| {
                        Failure::new(
                            QUERY_EVALUATION_ERROR,
                            format!(
                                "The JSONata expression '{text}' specified for the field '{field}' threw an error during evaluation. {}: {}",
                                e.code, e.message
                            ),
                        )
                    })?;
                if v.is_function() {
                    return Err(Failure::new(
                        QUERY_EVALUATION_ERROR,
                        format!(
                            "The JSONata expression '{text}' specified for the field '{field}' returned a function, which is not a JSON value"
                        ),
                    ));
                }
                v.to_payload().ok_or_else(|| {
                    Failure::new(
                        QUERY_EVALUATION_ERROR,
                        format!(
                            "The JSONata expression '{text}' specified for the field '{field}' returned nothing (undefined)."
                        ),
                    )
                })
            }
            Jsonata::Object(fields) => {
                let mut o = Object::with_capacity(fields.len());
                for (k, v) in fields {
                    o.insert(k.clone(), v.eval_at(scope, &FieldPath::Key(field, k))?);
                }
                Ok(Payload::object(o))
            }
            Jsonata::Array(items) => {
                let mut out = Vec::with_capacity(items.len());
                for (i, v) in items.iter().enumerate() {
                    out.push(v.eval_at(scope, &FieldPath::Index(field, i))?);
                }
                Ok(Payload::array(out))
            }
        }
    }
}

/// Where a value is in a field (`Output/a/0`), written out only for an error message.
enum FieldPath<'a> {
    Field(&'a str),
    Key(&'a FieldPath<'a>, &'a str),
    Index(&'a FieldPath<'a>, usize),
}

impl std::fmt::Display for FieldPath<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FieldPath::Field(name) => f.write_str(name),
            FieldPath::Key(parent, key) => write!(f, "{parent}/{key}"),
            FieldPath::Index(parent, i) => write!(f, "{parent}/{i}"),
        }
    }
}

/// What a JSONata state's expressions see: `$states` and the workflow variables.
pub struct Scope {
    bindings: Bindings,
    limits: Limits,
    host: Host,
}

/// The parts of `$states` a stage makes available.
#[derive(Default)]
pub struct States<'a> {
    /// `$states.input`: the state's input.
    pub input: Option<&'a Payload>,
    /// `$states.result`: the task's, branches' or iterations' result.
    pub result: Option<&'a Payload>,
    /// `$states.errorOutput`: in a Catch, the error output.
    pub error_output: Option<&'a Payload>,
    /// `$states.context`: the context object (built only when an expression mentions it).
    pub context: Option<Payload>,
    /// The workflow variables, where there may be some (one may hide a function).
    pub variables: Option<&'a Variables>,
}

impl Scope {
    /// A scope with `$states` and the variables visible to the state (innermost last wins).
    pub fn new(
        states: &States<'_>,
        variables: &[(&Arc<str>, &Payload)],
        now_millis: i64,
        seed: u64,
    ) -> Scope {
        // `$states` is JSON: read in place, with its keys allocated once.
        let mut m = Object::with_capacity(4);
        let parts = [states.input, states.result, states.error_output, states.context.as_ref()];
        for (key, part) in STATES_KEYS.iter().zip(parts) {
            if let Some(p) = part {
                m.insert(key.clone(), p.clone());
            }
        }
        // Step Functions' functions are shared (built once per thread); the state's own
        // bindings are looked up first, so a variable named like one of them (which would
        // otherwise hide it) gets bindings of its own with the functions bound last.
        let shadows = variables.iter().any(|(name, _)| HOST_NAMES.contains(&&***name));
        let mut bindings = if shadows {
            Bindings::with_capacity(variables.len() + 1 + HOST_NAMES.len())
        } else {
            HOST_BINDINGS.with(|host| Bindings::on(host, variables.len() + 1))
        };
        for (name, value) in variables {
            bindings.json_named(Arc::clone(name), value);
        }
        bindings.json_named(STATES.clone(), &Payload::object(m));
        if shadows {
            host_bindings(&mut bindings);
        }
        Scope {
            bindings,
            limits: Limits { max_depth: 2_000, time_limit_ms: Some(5_000) },
            host: Host::new(now_millis, seed),
        }
    }
}

/// The longest JSON text of a number or boolean: a double takes at most 24 bytes
/// (`-2.2250738585072014e-308`).
const NUMBER_BOUND: usize = 32;

static STATES: std::sync::LazyLock<Arc<str>> = std::sync::LazyLock::new(|| Arc::from("states"));

/// `$states`' keys: input, result, errorOutput, context.
static STATES_KEYS: std::sync::LazyLock<[Arc<str>; 4]> =
    std::sync::LazyLock::new(|| ["input", "result", "errorOutput", "context"].map(Arc::from));

/// The names [`host_bindings`] binds.
const HOST_NAMES: [&str; 4] = ["parse", "hash", "range", "eval"];

/// Binds Step Functions' functions, and withholds `$eval` ("use `$parse` instead").
fn host_bindings(b: &mut Bindings) {
    for f in step_functions_functions() {
        b.function(f);
    }
    b.value("eval", JValue::Undefined);
}

thread_local! {
    /// [`host_bindings`], built once per thread, not per evaluation.
    static HOST_BINDINGS: SharedBindings = {
        let mut b = Bindings::default();
        host_bindings(&mut b);
        b.share()
    };
}

/// The functions Step Functions adds to JSONata (developer guide, JSONata functions provided by
/// Step Functions) that the engine does not have itself.
fn step_functions_functions() -> Vec<std::rc::Rc<dyn NativeFunction>> {
    vec![std::rc::Rc::new(Parse), std::rc::Rc::new(Hash), std::rc::Rc::new(RangeFn)]
}

fn arg_error(name: &str, message: &str) -> stepwise_jsonata::Error {
    stepwise_jsonata::Error::new("T0410", format!("${name}: {message}"))
}

/// `$parse(jsonString)`: JSON text to a value.
struct Parse;

impl NativeFunction for Parse {
    fn name(&self) -> &str {
        "parse"
    }

    fn call(&self, args: &[JValue]) -> stepwise_jsonata::Result<Option<Payload>> {
        match args.first() {
            Some(JValue::String(s)) => Payload::parse(s).map(Some).map_err(|e| {
                stepwise_jsonata::Error::new(
                    "D3140",
                    format!("$parse: the string is not JSON: {e}"),
                )
            }),
            Some(JValue::Undefined) | None => Ok(None),
            _ => Err(arg_error("parse", "the argument must be a string")),
        }
    }
}

/// `$hash(value, algorithm)`: MD5, SHA-1, SHA-256, SHA-384 or SHA-512 of a string, in hex.
struct Hash;

impl NativeFunction for Hash {
    fn name(&self) -> &str {
        "hash"
    }

    fn call(&self, args: &[JValue]) -> stepwise_jsonata::Result<Option<Payload>> {
        let (Some(JValue::String(data)), Some(JValue::String(algorithm))) =
            (args.first(), args.get(1))
        else {
            return Err(arg_error("hash", "takes a string and an algorithm name"));
        };
        crate::intrinsics::hash_hex(data, algorithm).map(|h| Some(Payload::string(h))).ok_or_else(
            || arg_error("hash", "the algorithm must be MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
        )
    }
}

/// `$range(start, end, step)`: numbers from start up to end (inclusive) by step.
struct RangeFn;

impl NativeFunction for RangeFn {
    fn name(&self) -> &str {
        "range"
    }

    fn call(&self, args: &[JValue]) -> stepwise_jsonata::Result<Option<Payload>> {
        let num = |i: usize| args.get(i).and_then(JValue::as_f64);
        let (Some(start), Some(end), Some(step)) = (num(0), num(1), num(2)) else {
            return Err(arg_error("range", "takes three numbers: start, end and step"));
        };
        if step == 0.0 || !step.is_finite() {
            return Err(arg_error("range", "the step must not be 0"));
        }
        let count = ((end - start) / step).floor() + 1.0;
        if count > 1000.0 {
            return Err(arg_error("range", "the range may hold at most 1,000 numbers"));
        }
        let mut out = Vec::new();
        let mut n = start;
        while (step > 0.0 && n <= end) || (step < 0.0 && n >= end) {
            out.push(stepwise_jsonata::value::number_payload(n));
            n += step;
        }
        Ok(Some(Payload::array(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(field: Value, input: Value) -> Result<Value, Failure> {
        let input = Payload::from(input);
        let states = States { input: Some(&input), ..States::default() };
        let x: Arc<str> = Arc::from("x");
        let x_value = Payload::from(json!({"n": 5}));
        let scope = Scope::new(&states, &[(&x, &x_value)], 0, 1);
        Jsonata::compile(&field).expect("compiles").eval(&scope, "Output").map(|p| p.to_value())
    }

    // Developer guide, Transforming data with JSONata: strings inside objects and arrays are
    // evaluated when surrounded by {% %}; everything else is kept as written.
    #[test]
    fn strings_in_delimiters_are_expressions_anywhere_in_the_value() {
        let out = eval(
            json!({"a": "{% $states.input.a + 1 %}", "b": ["{% $x.n %}", "$x", 3], "c": "not {% this %}"}),
            json!({"a": 1}),
        );
        assert_eq!(out, Ok(json!({"a": 2, "b": [5, "$x", 3], "c": "not {% this %}"})));
        assert!(Jsonata::compile(&json!({"a": [1, "two"]})).expect("compiles").is_literal());
    }

    // Developer guide, Transforming data with JSONata: `$states.input` is the state's input;
    // a path of fields through objects (its comparison or arithmetic with a number, a
    // `$merge` of such paths and literal objects) is found without an evaluation and gives
    // what the evaluation gives; anything else is left to the evaluation.
    #[test]
    fn states_paths_and_their_comparisons_give_what_the_evaluation_gives() {
        let input =
            Payload::from(json!({"a": {"b": [1, 2], "n": 1.0}, "list": [{"c": 1}, {"c": 2}]}));
        let states = States { input: Some(&input), ..States::default() };
        let follow = |field: Value| {
            Jsonata::compile(&field).expect("compiles").follow_paths(&states).map(|p| p.to_value())
        };
        for (field, expected) in [
            (json!("{% $states.input.a.b %}"), json!([1, 2])),
            (json!("{% $states.input.a.n %}"), json!(1)),
            (json!("{% $states.input.a.n > 0.5 %}"), json!(true)),
            (json!("{% $states.input.a.n = 1 %}"), json!(true)),
            (json!("{% $states.input.a.n != 1 %}"), json!(false)),
            (json!("{% $states.input.a.n <= 0 %}"), json!(false)),
            (
                json!({"x": "{% $states.input.a %}", "k": 3}),
                json!({"x": {"b": [1, 2], "n": 1.0}, "k": 3}),
            ),
            // Arithmetic on two doubles, an integral result written as an integer.
            (json!({"n": "{% $states.input.a.n + 1 %}"}), json!({"n": 2})),
            (json!("{% $states.input.a.n - 0.25 %}"), json!(0.75)),
            (json!("{% $states.input.a.n * 3 %}"), json!(3)),
            (json!("{% $states.input.a.n / 4 %}"), json!(0.25)),
            (json!("{% $states.input.a.n % 1 %}"), json!(0)),
            // `$merge`: the first object with the later ones' fields set over it in order.
            (
                json!("{% $merge([$states.input.a, {'seen': 1, 'n': 'x'}]) %}"),
                json!({"b": [1, 2], "n": "x", "seen": 1}),
            ),
            (
                json!("{% $merge([{'n': 0, 'z': true}, $states.input.a, {'c': null}]) %}"),
                json!({"n": 1.0, "z": true, "b": [1, 2], "c": null}),
            ),
            // The merged objects' numbers are kept as written (1.0), as by the evaluation.
            (json!("{% $merge([$states.input.a]) %}"), json!({"b": [1, 2], "n": 1.0})),
        ] {
            assert_eq!(follow(field.clone()), Some(expected.clone()), "{field} followed");
            assert_eq!(eval(field.clone(), input.to_value()), Ok(expected), "{field} evaluated");
        }
        for evaluated in [
            json!("{% $states.input.list.c %}"),
            json!("{% $states.input.missing %}"),
            json!("{% $states.result %}"),
            json!("{% $states.input.a.b > 1 %}"),
            json!("{% $states.input.missing > 1 %}"),
            json!({"x": "{% $states.input.a %}", "y": "{% $x.n %}"}),
            json!("{% $states.input.a.b + 1 %}"),
            json!("{% $states.input.a.n / 0 %}"),
            json!("{% $merge([$states.input.a, $states.input.list]) %}"),
            json!("{% $merge([$states.input.a, $states.input.missing]) %}"),
            json!("{% $merge([$states.input.a.n, {'a': 1}]) %}"),
        ] {
            assert_eq!(follow(evaluated.clone()), None, "{evaluated} is left to the evaluation");
        }
        // A workflow variable named `merge` hides the built-in: evaluated.
        let mut variables = Variables::new();
        let merge = crate::dataflow::vars::Assignments::new([(Arc::from("merge"), Payload::Null)])
            .expect("assignable");
        variables.apply(&merge);
        let with_variable =
            States { input: Some(&input), variables: Some(&variables), ..States::default() };
        let merged = Jsonata::compile(&json!("{% $merge([$states.input.a]) %}")).expect("compiles");
        assert!(merged.follow_paths(&with_variable).is_none());
    }

    // The payload limit (256 KiB, developer guide, "Step Functions service quotas") is checked
    // without serializing an output whose size is bounded before the evaluation: the bound is
    // never below the size of what the shortcut or the evaluation gives.
    #[test]
    fn size_bounds_hold_the_values_of_literals_and_operations() {
        for (field, input) in [
            (json!({"n": "{% $states.input.n + 1 %}", "k": [1, "two"]}), json!({"n": 1})),
            (json!({"n": "{% $states.input.n * 1e300 %}"}), json!({"n": -2.5e7})),
            (
                json!(["{% $states.input.n / 3 %}", "{% $states.input.n < 3 %}"]),
                json!({"n": -1e-300}),
            ),
            (json!({"é\"": "{% $states.input.n = 2 %}"}), json!({"n": "a"})),
            (json!("{% $states.input.n - 1 %}"), json!({"n": "not a number"})),
        ] {
            let bound = Jsonata::compile(&field).expect("compiles").size_bound();
            let bound = bound.expect("bounded");
            if let Ok(value) = eval(field.clone(), input) {
                assert!(super::super::json_size(&value) <= bound, "{field}: {value} > {bound}");
            }
        }
        for unbounded in
            [json!("{% $states.input.a %}"), json!({"m": "{% $merge([$states.input]) %}"})]
        {
            assert_eq!(Jsonata::compile(&unbounded).expect("compiles").size_bound(), None);
        }
    }

    #[test]
    fn an_expression_that_returns_nothing_is_a_query_evaluation_error() {
        let err = eval(json!("{% $states.input.missing %}"), json!({})).expect_err("undefined");
        assert_eq!(err.error_name(), "States.QueryEvaluationError");
        assert!(err.cause.as_deref().unwrap_or("").contains("returned nothing (undefined)"));
        let err = eval(json!({"a": {"b": "{% $nothing %}"}}), json!({})).expect_err("nested");
        assert!(err.cause.as_deref().unwrap_or("").contains("'Output/a/b'"), "{err:?}");
    }

    #[test]
    fn an_expression_that_throws_names_jsonata_s_error() {
        let err = eval(json!("{% 'a' + 1 %}"), json!({})).expect_err("type error");
        assert_eq!(err.error_name(), "States.QueryEvaluationError");
        assert!(err.cause.as_deref().unwrap_or("").contains("T2001"), "{err:?}");
    }

    // Developer guide, JSONata functions provided by Step Functions; $eval is not available.
    #[test]
    fn step_functions_functions_are_there_and_eval_is_not() {
        assert_eq!(eval(json!("{% $parse('{\"a\": [1]}') %}"), json!({})), Ok(json!({"a": [1]})));
        assert_eq!(
            eval(json!("{% $hash('abc', 'SHA-256') %}"), json!({})),
            Ok(json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"))
        );
        assert_eq!(eval(json!("{% $range(0, 10, 5) %}"), json!({})), Ok(json!([0, 5, 10])));
        assert_eq!(
            eval(json!("{% $partition([1,2,3], 2) %}"), json!({})),
            Ok(json!([[1, 2], [3]]))
        );
        assert!(eval(json!("{% $eval('1') %}"), json!({})).is_err());
        let uuid = eval(json!("{% $uuid() %}"), json!({})).expect("uuid");
        assert_eq!(uuid.as_str().map(str::len), Some(36));
    }

    #[test]
    fn the_context_is_built_when_states_is_used_other_than_by_a_plain_field() {
        assert!(!mentions_context("$states.input.a + $states . result"));
        assert!(!mentions_context("$statesSeen + $states.errorOutput.Error"));
        assert!(mentions_context("$states.context.State.Name"));
        assert!(mentions_context("$keys($states)"));
        assert!(mentions_context("$states.input.a & $lookup($states, 'con' & 'text')"));
        assert!(mentions_context("$states.('in' & 'put')"));
        let compiled = Jsonata::compile(&json!("{% $states %}")).expect("compiles");
        assert!(compiled.needs_context());
    }

    #[test]
    fn a_malformed_expression_does_not_compile() {
        let err = Jsonata::compile(&json!({"a": "{% $states.input.( %}"})).expect_err("bad");
        assert!(err.contains("does not parse"), "{err}");
    }
}
