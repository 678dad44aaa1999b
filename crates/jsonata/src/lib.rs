//! A JSONata engine over Stepwise's shared JSON values.
//!
//! ```
//! use stepwise_jsonata::{Bindings, Expression};
//! use stepwise_value::Payload;
//!
//! let expr = Expression::parse("$sum(orders.(price * qty))").unwrap();
//! let input = Payload::parse(r#"{"orders": [{"price": 2, "qty": 3}, {"price": 5, "qty": 1}]}"#).unwrap();
//! let out = expr.evaluate(Some(&input), &Bindings::default()).unwrap();
//! assert_eq!(out.unwrap().to_string(), "11");
//! ```
//!
//! The crate is the whole language: [`parser`] (tokens, Pratt parser, path processing, with
//! JSONata's `S0xxx` errors and byte positions), [`eval`] (sequences, tuple streams, lambdas
//! with tail calls, limits), [`functions`] (the built-in library with signatures), [`format`]
//! (picture strings for numbers and dates) and [`transform`]. Input JSON is read in place
//! ([`value::Value::Json`]), so evaluating `$states.input.items` over a large payload copies
//! nothing. Hosts add variables and functions through [`Bindings`].

pub mod analysis;
pub mod error;
pub mod eval;
pub mod format;
pub mod functions;
pub mod parser;
pub mod regex;
pub mod signature;
pub mod transform;
pub mod value;

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

pub use error::{Error, Result};
pub use eval::Limits;
use stepwise_value::Payload;
pub use value::Value;

/// A function a host adds (Step Functions' `$hash`, `$uuid`, …).
pub trait NativeFunction {
    /// The name, without `$`.
    fn name(&self) -> &str;
    /// Calls it with evaluated arguments.
    fn call(&self, args: &[Value]) -> Result<Option<Payload>>;
}

/// What the host provides to an evaluation: the clock and the random source.
#[derive(Debug, Clone)]
pub struct Host {
    now_millis: i64,
    state: Cell<u64>,
}

impl Default for Host {
    fn default() -> Host {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        Host::new(now, now as u64 ^ 0x9E37_79B9_7F4A_7C15)
    }
}

impl Host {
    /// A host whose clock reads `now_millis` (fixed for the evaluation, as `$now()` is) and
    /// whose random numbers come from `seed`.
    pub fn new(now_millis: i64, seed: u64) -> Host {
        Host { now_millis, state: Cell::new(seed) }
    }

    /// Milliseconds since the epoch at the start of the evaluation.
    pub fn now_millis(&self) -> i64 {
        self.now_millis
    }

    /// A number in [0, 1): from the evaluation's source, or from `seed` when one is given.
    pub fn random(&self, seed: Option<f64>) -> f64 {
        let next = |s: u64| -> (u64, f64) {
            // SplitMix64.
            let s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            (s, (z >> 11) as f64 / (1u64 << 53) as f64)
        };
        match seed {
            Some(seed) => next(seed.to_bits()).1,
            None => {
                let (s, r) = next(self.state.get());
                self.state.set(s);
                r
            }
        }
    }
}

/// Variables and functions an evaluation starts with. Binding a name again replaces its
/// value (the last binding wins).
///
/// A host that evaluates many expressions with the same functions can [`share`](Bindings::share)
/// them once and put each evaluation's bindings [`on`](Bindings::on) them: the shared ones are
/// then looked up after the evaluation's own (which hide any of the same name).
pub struct Bindings {
    /// The bindings (unique names), on the shared ones if any: the frame an evaluation's own
    /// frame is a child of, so nothing is copied per evaluation.
    frame: eval::Frame,
}

impl Default for Bindings {
    fn default() -> Bindings {
        Bindings { frame: eval::Frame::root() }
    }
}

impl Clone for Bindings {
    fn clone(&self) -> Bindings {
        Bindings { frame: self.frame.copy() }
    }
}

/// Bindings made once and shared by many evaluations (see [`Bindings::on`]).
#[derive(Clone)]
pub struct SharedBindings(eval::Frame);

impl Bindings {
    /// Room for `n` bindings.
    pub fn with_capacity(n: usize) -> Bindings {
        Bindings { frame: eval::Frame::with_vars(eval::Vars::with_capacity(n), None) }
    }

    /// Room for `n` bindings, looked up before the shared ones.
    pub fn on(base: &SharedBindings, n: usize) -> Bindings {
        Bindings {
            frame: eval::Frame::with_vars(eval::Vars::with_capacity(n), Some(base.0.clone())),
        }
    }

    /// These bindings, to be shared by many evaluations.
    pub fn share(self) -> SharedBindings {
        SharedBindings(self.frame)
    }

    /// Binds `$name` to JSON.
    pub fn json(&mut self, name: &str, value: &Payload) -> &mut Bindings {
        self.frame.bind(name, Value::from_payload(value));
        self
    }

    /// Binds `$name` to JSON, sharing the name (no copy of it).
    pub fn json_named(&mut self, name: Arc<str>, value: &Payload) -> &mut Bindings {
        self.frame.bind(name, Value::from_payload(value));
        self
    }

    /// Binds `$name` to a value.
    pub fn value(&mut self, name: &str, value: Value) -> &mut Bindings {
        self.frame.bind(name, value);
        self
    }

    /// Binds `$name` to a host function.
    pub fn function(&mut self, f: Rc<dyn NativeFunction>) -> &mut Bindings {
        let name: Arc<str> = f.name().into();
        self.frame.bind(name, Value::function(value::Function::Native(f)));
        self
    }

    /// Whether `$name` is bound here or in the shared bindings.
    pub fn contains(&self, name: &str) -> bool {
        self.frame.lookup(name).is_some()
    }
}

thread_local! {
    /// The name of the input variable, allocated once.
    static DOLLAR: Arc<str> = Arc::from("$");
}

/// A parsed expression, ready to evaluate any number of times.
#[derive(Debug, Clone)]
pub struct Expression {
    root: parser::Node,
    /// The text has `:=`: a binding may be made at the top level, which must not reach the
    /// (shared) bindings' frame.
    may_bind: bool,
}

impl Expression {
    /// Parses an expression. Errors carry JSONata's code and the byte position.
    pub fn parse(text: &str) -> Result<Expression> {
        Ok(Expression { root: parser::parse(text)?, may_bind: text.contains(":=") })
    }

    /// Evaluates against `input` (`None`: no input) with default limits and the system clock.
    pub fn evaluate(
        &self,
        input: Option<&Payload>,
        bindings: &Bindings,
    ) -> Result<Option<Payload>> {
        let input = input.map(Value::from_payload).unwrap_or_default();
        let v = self.evaluate_with(input, bindings, Limits::default(), Host::default())?;
        Ok(v.to_payload())
    }

    /// Evaluates against a value, with explicit limits and host.
    pub fn evaluate_with(
        &self,
        input: Value,
        bindings: &Bindings,
        limits: Limits,
        host: Host,
    ) -> Result<Value> {
        // The evaluation's frame holds the input as `$`, on the bindings' frame (a binding
        // named `$` wins, as binding it after the input would).
        // An undefined input need not be bound: `$$` finds nothing either way; and an
        // expression that binds nothing can run in the bindings' frame itself.
        let root = bindings.frame.clone();
        let frame = if input.is_undefined() || bindings.contains("$") {
            if self.may_bind { root.child() } else { root }
        } else {
            let vars = smallvec::smallvec![(DOLLAR.with(Arc::clone), input.clone())];
            eval::Frame::with_vars(vars, Some(root))
        };
        let mut ev = eval::Evaluator::new(limits, host);
        let input = match input {
            Value::Json(Payload::Array(_)) => {
                // An array input is wrapped in a sequence of one, so paths see it as one value.
                Value::Array(Rc::new(value::Array {
                    items: vec![input],
                    sequence: true,
                    outer_wrapper: true,
                    ..value::Array::default()
                }))
            }
            other => other,
        };
        let v = ev.eval(&self.root, &input, &frame)?;
        Ok(resolve(v))
    }

    /// For `$name.field.field…` written with plain steps (no predicates, bindings, grouping or
    /// `[]`): the variable's name and the field names. Where each step meets an object, the
    /// value is the last field's value, as it stands (an array too: a path's last step keeps
    /// its one array whole), so a host can follow the fields itself and evaluate only when a
    /// step meets anything else.
    pub fn variable_path(&self) -> Option<VariablePath<'_>> {
        variable_path(&self.root)
    }

    /// For `$name.field… <op> number`, `op` a comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`) or
    /// arithmetic (`+`, `-`, `*`, `/`, `%`): the path (as [`Expression::variable_path`]), the
    /// operator and the number. Where the path gives a number, the value is that operation on
    /// two doubles (an arithmetic result that is not finite needs the evaluation, for its
    /// error); anything else needs the evaluation (a string against a number is an error,
    /// nothing compared is nothing).
    pub fn path_and_number(&self) -> Option<(VariablePath<'_>, parser::BinOp, f64)> {
        use parser::BinOp::{Add, Div, Eq, Ge, Gt, Le, Lt, Mod, Mul, Ne, Sub};
        let parser::Node::Binary(
            op @ (Eq | Ne | Lt | Le | Gt | Ge | Add | Sub | Mul | Div | Mod),
            path,
            number,
        ) = &self.root
        else {
            return None;
        };
        let parser::Node::Num(number) = **number else { return None };
        Some((variable_path(path)?, *op, number))
    }

    /// For `$merge([part, …])`, each part a plain variable path (as
    /// [`Expression::variable_path`]) or a literal object (`{'seen': 1}`): the parts. Where
    /// `$merge` is the built-in (no variable of that name) and each path gives an object, the
    /// value is the first object with each later object's fields set over it in order, as the
    /// built-in gives; anything else needs the evaluation (an array is flattened into the list,
    /// another value fails the signature, nothing is nothing).
    pub fn merged_parts(&self) -> Option<Vec<MergePart<'_>>> {
        let parser::Node::Call { func, args, partial: false, .. } = &self.root else {
            return None;
        };
        let (parser::Node::Var(name), [parser::Node::Array(items, _)]) = (&**func, &args[..])
        else {
            return None;
        };
        if &**name != "merge" {
            return None;
        }
        items
            .iter()
            .map(|item| match item {
                parser::Node::Json(object @ Payload::Object(_)) => Some(MergePart::Object(object)),
                node => variable_path(node).map(MergePart::Path),
            })
            .collect()
    }
}

/// A part of `$merge([…])` (see [`Expression::merged_parts`]).
#[derive(Debug)]
pub enum MergePart<'a> {
    /// `$name.field…`
    Path(VariablePath<'a>),
    /// A literal object.
    Object(&'a Payload),
}

/// `$name.field.field…`: the variable's name and the field names (see
/// [`Expression::variable_path`]).
pub type VariablePath<'a> = (&'a str, Vec<&'a str>);

/// See [`Expression::variable_path`].
fn variable_path(node: &parser::Node) -> Option<VariablePath<'_>> {
    let parser::Node::Path(path) = node else { return None };
    if !path.is_simple() || !path.steps.iter().all(parser::Step::is_simple) {
        return None;
    }
    let (first, rest) = path.steps.split_first()?;
    let parser::Node::Var(name) = &first.node else { return None };
    if name.is_empty() || &**name == "$" {
        return None;
    }
    let fields = rest
        .iter()
        .map(|step| match &step.node {
            parser::Node::Name(field) => Some(&**field),
            _ => None,
        })
        .collect::<Option<Vec<_>>>()?;
    Some((name, fields))
}

/// The final value: a sequence of one is its value, and nothing that escapes is a thunk.
fn resolve(v: Value) -> Value {
    eval::collapse(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn a_parsed_expression_can_be_shared_across_threads() {
        assert_send_sync::<Expression>();
    }

    #[test]
    fn variable_paths_are_plain_field_steps_from_a_variable() {
        let path = |text: &str| {
            let expr = Expression::parse(text).unwrap();
            expr.variable_path().map(|(var, fields)| format!("{var}: {}", fields.join("/")))
        };
        assert_eq!(path("$states.input.v").as_deref(), Some("states: input/v"));
        assert_eq!(path("$states.input.`a b`").as_deref(), Some("states: input/a b"));
        for not_plain in ["$states", "$states.input[0]", "$states.input.v > 1", "a.b", "$.a"] {
            assert_eq!(path(not_plain), None, "{not_plain} is not a plain variable path");
        }
        assert_eq!(path("$$.a"), None, "the input is not a variable");
        let compared = |text: &str| {
            let expr = Expression::parse(text).unwrap();
            expr.path_and_number().map(|((var, f), op, n)| format!("{var}.{f:?} {op:?} {n}"))
        };
        assert_eq!(
            compared("$states.input.v > 5000").as_deref(),
            Some("states.[\"input\", \"v\"] Gt 5000")
        );
        assert_eq!(
            compared("$states.input.n + 1").as_deref(),
            Some("states.[\"input\", \"n\"] Add 1")
        );
        for not_plain in ["$states.input.v & 1", "$states.input.v > '5'", "5 < $states.input.v"] {
            assert_eq!(compared(not_plain), None, "{not_plain} is not a path and a number");
        }
    }

    #[test]
    fn merged_parts_are_paths_and_literal_objects() {
        let parts = |text: &str| {
            let expr = Expression::parse(text).unwrap();
            let parts = expr.merged_parts()?;
            let part = |part: &MergePart<'_>| match part {
                MergePart::Path((var, fields)) => format!("${var}.{}", fields.join(".")),
                MergePart::Object(object) => object.to_string(),
            };
            Some(parts.iter().map(part).collect::<Vec<_>>().join(", "))
        };
        assert_eq!(
            parts("$merge([$states.input, {'seen': 1}])").as_deref(),
            Some(r#"$states.input, {"seen":1}"#)
        );
        for not_plain in [
            "$merge($states.input)",
            "$merge([$states.input, {'a': $states.input.b}])",
            "$merge([$states.input[0], {'a': 1}])",
            "$merge([$states.input], 1)",
            "$mergeAll([$states.input])",
        ] {
            assert_eq!(parts(not_plain), None, "{not_plain} is not plain parts");
        }
    }

    #[test]
    fn literal_object_constructors_give_what_grouping_gives() {
        // A folded constructor is the same object; a repeated key still fails when evaluated
        // ("Multiple key definitions evaluate to same key", D1009, as jsonata-js).
        let eval =
            |text: &str| Expression::parse(text).unwrap().evaluate(None, &Bindings::default());
        let folded = eval("{'a': 1, 'b': {'c': 'x', 'd': [1]}, 'e': null, 'f': 1.5}").unwrap();
        assert_eq!(
            folded.map(|p| p.to_string()).as_deref(),
            Some(r#"{"a":1,"b":{"c":"x","d":[1]},"e":null,"f":1.5}"#)
        );
        assert_eq!(eval("{'a': 1, 'a': 2}").unwrap_err().code, "D1009");
        assert_eq!(
            eval("[1, 2].{'n': 1}").unwrap().map(|p| p.to_string()).as_deref(),
            Some(r#"[{"n":1},{"n":1}]"#)
        );
    }

    #[test]
    fn runaway_expressions_end_with_u1001() {
        let forever = Expression::parse("($f := function($n) { $f($n + 1) + 1 }; $f(0))").unwrap();
        let err = forever.evaluate(None, &Bindings::default()).unwrap_err();
        assert_eq!(err.code, "U1001");
        let tail = Expression::parse("($f := function($n) { $f($n + 1) }; $f(0))").unwrap();
        let limits = Limits { max_depth: 10_000, time_limit_ms: Some(200) };
        let err = tail
            .evaluate_with(Value::Undefined, &Bindings::default(), limits, Host::default())
            .unwrap_err();
        assert_eq!(err.code, "U1001");
    }

    #[test]
    fn input_json_is_read_in_place() {
        let input = Payload::parse(r#"{"items": [1, 2, 3], "big": {"a": [4, 5]}}"#).unwrap();
        let expr = Expression::parse("big").unwrap();
        let out = expr.evaluate(Some(&input), &Bindings::default()).unwrap().unwrap();
        assert!(
            out.ptr_eq(input.get("big").unwrap()),
            "a selected subtree is the input's own node"
        );
    }
}
