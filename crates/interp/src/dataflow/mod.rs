//! The JSONPath-mode data pipeline: InputPath → Parameters → (task) → ResultSelector →
//! ResultPath → OutputPath. Each stage is a pure function of values; the states call them in
//! the order the developer guide gives ("Processing input and output in Step Functions").
//!
//! Paths and payload templates are compiled once per definition ([`Path`], [`Template`]).
//! The three cases of every path field are explicit in [`PathField`]: missing (the default
//! `$`), `null`, or a path.

pub mod jsonata;
pub mod path;
pub mod vars;

use std::cell::{OnceCell, RefCell};
use std::sync::Arc;

use rand_chacha::ChaCha8Rng;
use serde_json::Value;

use crate::errors::Failure;
use crate::intrinsics::{Intrinsic, looks_like_intrinsic};
use crate::value::{Object, Payload};
pub use path::Path;
pub use vars::{Assignments, Variables};

/// What an expression sees while it is evaluated: the state's (effective) input, the context
/// object (built only when `$$` is used), and the seeded random source.
///
/// JSONata adds a field here (`$states`); the evaluation functions take the environment by
/// reference so they need no new argument.
pub struct Env<'a> {
    /// `$`.
    pub input: &'a Payload,
    /// `$$`, built on first use.
    pub context: &'a Lazy<'a>,
    /// For `States.MathRandom` without a seed and `States.UUID`.
    pub rng: &'a RefCell<ChaCha8Rng>,
    /// Workflow variables (`Assign`, read as `$name` in JSONPath and JSONata) as this state
    /// sees them: the values from state entry. `None` reads as "no variable is defined".
    pub variables: Option<&'a Variables>,
}

/// The context object (`$$`), built on first use.
///
/// `Execution.Input` can be large, so it is not copied into the object: paths under
/// `$$.Execution.Input` read the execution input directly, and only a path that may contain it
/// (`$$`, `$$.Execution`, wildcards) gets a copy with it inserted.
pub struct Lazy<'a> {
    cell: OnceCell<Payload>,
    build: &'a dyn Fn(Option<&str>) -> Payload,
    execution_input: Option<&'a Payload>,
    leaf: Option<&'a LeafFn<'a>>,
}

/// Reads a leaf of the context object from the names of its path (see [`Lazy::with_leaf`]).
pub type LeafFn<'a> = dyn Fn(&[&str]) -> Option<Payload> + 'a;

impl<'a> Lazy<'a> {
    /// Wraps a builder: `build(None)` is the whole object, `build(Some(key))` may hold only
    /// that top-level section.
    pub fn new(build: &'a dyn Fn(Option<&str>) -> Payload) -> Lazy<'a> {
        Lazy { cell: OnceCell::new(), build, execution_input: None, leaf: None }
    }

    /// Like [`Lazy::new`], for objects without `Execution.Input`, which is read from `input`.
    pub fn without_input(
        build: &'a dyn Fn(Option<&str>) -> Payload,
        input: &'a Payload,
    ) -> Lazy<'a> {
        Lazy { cell: OnceCell::new(), build, execution_input: Some(input), leaf: None }
    }

    /// Adds a shortcut for paths made of two or three plain names (`$$.State.Name`,
    /// `$$.Map.Item.Index`): `leaf(names)` gives the value without building any object, or
    /// `None` to fall back on the builder.
    pub fn with_leaf(mut self, leaf: &'a LeafFn<'a>) -> Lazy<'a> {
        self.leaf = Some(leaf);
        self
    }

    /// The whole value, built now if needed (without `Execution.Input` when it is kept aside).
    pub fn get(&self) -> &Payload {
        self.cell.get_or_init(|| (self.build)(None))
    }

    fn select_in_section(&self, path: &Path) -> Option<Payload> {
        if let Some(leaf) = self.leaf
            && self.cell.get().is_none()
            && let Some(names) = path.short_names()
            && let Some(v) = leaf(names.as_slice())
        {
            return Some(v);
        }
        match path.first_name() {
            Some(section) if self.cell.get().is_none() => path.select(&(self.build)(Some(section))),
            _ => path.select(self.get()),
        }
    }

    /// Selects a path from the context object.
    pub fn select(&self, path: &Path) -> Option<Payload> {
        let Some(input) = self.execution_input else { return self.select_in_section(path) };
        if let Some(rest) = path.strip_names(&["Execution", "Input"]) {
            return rest.select(input);
        }
        if path.may_contain("Execution", "Input") {
            let mut full = self.get().clone();
            if let Payload::Object(root) = &mut full
                && let Some(Payload::Object(exec)) = Arc::make_mut(root).get_mut("Execution")
            {
                Arc::make_mut(exec).insert(Arc::from("Input"), input.clone());
            }
            return path.select(&full);
        }
        self.select_in_section(path)
    }
}

impl Env<'_> {
    /// Selects `path` from the input, a variable (`$name...`) or the context object; a definite
    /// miss is an error.
    pub fn select(&self, path: &Path, context: bool) -> Result<Payload, EvalError> {
        let found = if context {
            self.context.select(path)
        } else {
            path.select(path_root(path, self.input, self.variables)?)
        };
        found.ok_or_else(|| EvalError::MissingPath {
            path: if context { format!("${}", path.as_str()) } else { path.as_str().to_owned() },
            field: None,
        })
    }
}

/// The value `path` selects from: the variable it names (`$name...`), or else `input`.
/// An undefined variable is [`EvalError::UndefinedVariable`].
#[inline]
pub fn path_root<'v>(
    path: &Path,
    input: &'v Payload,
    variables: Option<&'v Variables>,
) -> Result<&'v Payload, EvalError> {
    match path.variable() {
        None => Ok(input),
        Some(name) => {
            variables.and_then(|v| v.get(name)).ok_or_else(|| EvalError::UndefinedVariable {
                name: name.to_string(),
                path: path.as_str().to_owned(),
                field: None,
            })
        }
    }
}

/// Selects a path read by a state field outside templates (InputPath, ItemsPath, SecondsPath,
/// ErrorPath...): `Ok(None)` when a definite path finds nothing in an existing root.
pub fn select_field(
    path: &Path,
    input: &Payload,
    variables: Option<&Variables>,
) -> Result<Option<Payload>, EvalError> {
    Ok(path.select(path_root(path, input, variables)?))
}

/// Why an expression could not be evaluated. The state turns it into its AWS error.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    /// A definite path found nothing.
    MissingPath {
        /// The path as written (with `$$` for the context object).
        path: String,
        /// The `.$` field it was written in, when in a template.
        field: Option<String>,
    },
    /// An intrinsic function failed (`States.IntrinsicFailure`).
    Failure(Failure),
    /// A path reads a variable that no state has assigned (in this scope).
    UndefinedVariable {
        /// The variable's name (without `$`).
        name: String,
        /// The path as written.
        path: String,
        /// The `.$` field it was written in, when in a template.
        field: Option<String>,
    },
}

impl EvalError {
    /// The cause text (after the state prefix) of a path reading an undefined variable.
    pub fn undefined_variable_message(name: &str, path: &str, field: Option<&str>) -> String {
        match field {
            Some(f) => format!(
                "The JSONPath '{path}' specified for the field '{f}' references the variable '{name}', which is not defined in this scope."
            ),
            None => format!(
                "The JSONPath '{path}' references the variable '{name}', which is not defined in this scope."
            ),
        }
    }
}

/// A path field (InputPath, OutputPath, ItemsPath...).
#[derive(Debug, Clone, PartialEq, Default)]
pub enum PathField {
    /// Missing: the default `$`.
    #[default]
    Root,
    /// `null`.
    Null,
    /// A path.
    Path(Path),
}

impl PathField {
    /// Compiles the field's JSON value.
    pub fn compile(v: Option<&Value>, reference: bool) -> Result<PathField, String> {
        match v {
            None => Ok(PathField::Root),
            Some(Value::Null) => Ok(PathField::Null),
            Some(Value::String(s)) => {
                let p = if reference { Path::parse_reference(s) } else { Path::parse(s) }
                    .map_err(|e| e.to_string())?;
                Ok(if p.is_root() { PathField::Root } else { PathField::Path(p) })
            }
            Some(other) => Err(format!("a path must be a string or null, not {other}")),
        }
    }
}

/// A compiled payload template (Parameters, ResultSelector, ItemSelector): static values, `.$`
/// fields holding paths, context paths or intrinsic functions.
#[derive(Debug, Clone, PartialEq)]
pub enum Template {
    /// A value copied as is (a shared payload: copying it is a pointer copy).
    Static(Payload),
    /// An object some of whose fields are dynamic.
    Object(ObjectTemplate),
    /// An array some of whose elements are dynamic.
    Array(Vec<Template>),
    /// `"key.$": "$.path"` (field name without `.$` kept for messages).
    Path(Path, String),
    /// `"key.$": "$$.path"`.
    Context(Path, String),
    /// `"key.$": "States.Fn(...)"`.
    Intrinsic(Box<Intrinsic>, String),
}

impl Template {
    /// Compiles a template value.
    pub fn compile(v: &Value) -> Result<Template, String> {
        match v {
            Value::Object(map) => {
                let mut fields = Vec::with_capacity(map.len());
                let mut dynamic = false;
                for (k, v) in map {
                    if let Some(name) = k.strip_suffix(".$") {
                        let Value::String(expr) = v else {
                            return Err(format!(
                                "the value of field {k:?} must be a string holding a path or an intrinsic function"
                            ));
                        };
                        dynamic = true;
                        let t = if looks_like_intrinsic(expr) {
                            Template::Intrinsic(Box::new(Intrinsic::parse(expr)?), k.clone())
                        } else if let Some(rest) = expr.strip_prefix("$$") {
                            Template::Context(
                                Path::parse(&format!("${rest}")).map_err(|e| e.to_string())?,
                                k.clone(),
                            )
                        } else {
                            Template::Path(Path::parse(expr).map_err(|e| e.to_string())?, k.clone())
                        };
                        fields.push((Arc::from(name), t));
                    } else {
                        let t = Template::compile(v)?;
                        dynamic |= !matches!(t, Template::Static(_));
                        fields.push((Arc::from(k.as_str()), t));
                    }
                }
                if dynamic {
                    Ok(Template::Object(ObjectTemplate::new(fields)))
                } else {
                    Ok(Template::Static(Payload::from(v)))
                }
            }
            Value::Array(items) => {
                let ts = items.iter().map(Template::compile).collect::<Result<Vec<_>, _>>()?;
                if ts.iter().all(|t| matches!(t, Template::Static(_))) {
                    Ok(Template::Static(Payload::from(v)))
                } else {
                    Ok(Template::Array(ts))
                }
            }
            other => Ok(Template::Static(Payload::from(other))),
        }
    }

    /// Builds the payload.
    pub fn eval(&self, env: &Env<'_>) -> Result<Payload, EvalError> {
        let with_field = |e: EvalError, field: &str| match e {
            EvalError::MissingPath { path, .. } => {
                EvalError::MissingPath { path, field: Some(field.to_owned()) }
            }
            EvalError::UndefinedVariable { name, path, .. } => {
                EvalError::UndefinedVariable { name, path, field: Some(field.to_owned()) }
            }
            other => other,
        };
        match self {
            Template::Static(v) => Ok(v.clone()),
            Template::Object(o) => {
                let mut out = Object::with_capacity(o.fields.len());
                for (k, t) in &o.fields {
                    let v = t.eval(env)?;
                    if o.distinct {
                        out.push_new(k.clone(), v);
                    } else {
                        out.insert(k.clone(), v);
                    }
                }
                Ok(Payload::object(out))
            }
            Template::Array(items) => {
                Ok(Payload::array(items.iter().map(|t| t.eval(env)).collect::<Result<_, _>>()?))
            }
            Template::Path(p, field) => env.select(p, false).map_err(|e| with_field(e, field)),
            Template::Context(p, field) => env.select(p, true).map_err(|e| with_field(e, field)),
            Template::Intrinsic(i, field) => i.eval(env).map_err(|e| with_field(e, field)),
        }
    }
}

impl Template {
    /// An upper bound of the serialized size of the payload `eval` builds, given an upper bound of
    /// the input's; `None` when it cannot be known without evaluating (context paths, most
    /// intrinsics, indefinite paths). A definite path selects a subtree whose JSON text is part of the input's,
    /// and a key costs at most six bytes per byte once escaped.
    pub fn size_bound(&self, input_bound: usize) -> Option<usize> {
        match self {
            Template::Static(v) => Some(json_size(v)),
            Template::Object(o) => o.fixed_bound.or_else(|| {
                o.fields.iter().try_fold(2usize, |n, (k, t)| {
                    n.checked_add(k.len() * 6 + 4)?.checked_add(t.size_bound(input_bound)?)
                })
            }),
            Template::Array(items) => items
                .iter()
                .try_fold(2usize, |n, t| n.checked_add(t.size_bound(input_bound)?.checked_add(1)?)),
            Template::Path(p, _) if p.is_definite() => Some(input_bound),
            // The per-visit sections of the context object are small (names, times, counts,
            // ARNs, a token); `Execution` may hold the whole execution input.
            Template::Context(p, _)
                if matches!(p.first_name(), Some("State" | "StateMachine" | "Task"))
                    || (p.first_name() == Some("Execution")
                        && !p.may_contain("Execution", "Input")
                        && p.strip_names(&["Execution", "Input"]).is_none()) =>
            {
                Some(CONTEXT_SECTION_BOUND)
            }
            Template::Intrinsic(i, _) => i.result_bound(),
            _ => None,
        }
    }
}

/// A template object's fields, with what can be known of them before evaluating, so that a
/// state building it at every visit (Parameters counting in a loop) does not find it out again.
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectTemplate {
    fields: Vec<(Arc<str>, Template)>,
    /// No two fields share a name (`"a"` and `"a.$"` would), so each is appended to the built
    /// object without looking for an earlier one.
    distinct: bool,
    /// The size bound when no field reads the input (`None` when one does, or it is unknown).
    fixed_bound: Option<usize>,
}

impl ObjectTemplate {
    fn new(fields: Vec<(Arc<str>, Template)>) -> ObjectTemplate {
        let distinct = fields
            .iter()
            .enumerate()
            .all(|(i, (k, _))| fields[..i].iter().all(|(earlier, _)| earlier != k));
        let fixed_bound = if fields.iter().all(|(_, t)| !t.reads_input()) {
            // Any input bound will do: no field's bound depends on it.
            fields.iter().try_fold(2usize, |n, (k, t)| {
                n.checked_add(k.len() * 6 + 4)?.checked_add(t.size_bound(0)?)
            })
        } else {
            None
        };
        ObjectTemplate { fields, distinct, fixed_bound }
    }
}

impl Template {
    /// Whether the value built selects from the input (or a variable), so that its size
    /// bound depends on the input's.
    fn reads_input(&self) -> bool {
        match self {
            Template::Static(_) | Template::Context(..) => false,
            Template::Object(o) => o.fixed_bound.is_none(),
            Template::Array(items) => items.iter().any(Template::reads_input),
            Template::Path(..) => true,
            Template::Intrinsic(i, _) => i.result_bound().is_none(),
        }
    }
}

/// An upper bound for one value read from the small sections of the context object (ARNs are at
/// most 2,048 characters, names 80, tokens a few hundred; escaping at most multiplies by six).
const CONTEXT_SECTION_BOUND: usize = 16 * 1024;

/// Upper bound of the size after InputPath/OutputPath, from a bound of the size before.
pub fn selection_bound(field: &PathField, bound: usize) -> Option<usize> {
    match field {
        PathField::Root => Some(bound),
        PathField::Null => Some(2),
        PathField::Path(p) if p.is_definite() => Some(bound),
        PathField::Path(_) => None,
    }
}

/// Upper bound of the size after ResultPath, from bounds of the raw input and of the result.
pub fn result_path_bound(
    field: &PathField,
    input_bound: Option<usize>,
    result_bound: Option<usize>,
) -> Option<usize> {
    match field {
        PathField::Root => result_bound,
        PathField::Null => input_bound,
        // Writing may create one object per segment: at most the escaped path text plus braces.
        PathField::Path(p) => input_bound?
            .checked_add(result_bound?)?
            .checked_add(p.as_str().len().checked_mul(12)?.checked_add(16)?),
    }
}

/// Applies `InputPath`/`OutputPath`: `$` keeps the value, `null` gives `{}`, a path selects
/// (from the value, or from a variable for `$name...`). `Err(message)` when a definite path
/// finds nothing or reads an undefined variable.
#[inline]
pub fn apply_selection_path(
    field: &PathField,
    value: &Payload,
    variables: Option<&Variables>,
) -> Result<Option<Payload>, String> {
    // `$`, the usual case, is decided here, inlined into each state visit.
    match field {
        PathField::Root => Ok(None),
        PathField::Null => Ok(Some(Payload::empty_object())),
        PathField::Path(p) => select_path(p, value, variables),
    }
}

/// [`apply_selection_path`] with a path.
fn select_path(
    p: &Path,
    value: &Payload,
    variables: Option<&Variables>,
) -> Result<Option<Payload>, String> {
    match select_field(p, value, variables) {
        Ok(Some(v)) => Ok(Some(v)),
        Ok(None) => Err(no_results(p)),
        Err(EvalError::UndefinedVariable { name, path, field }) => {
            Err(EvalError::undefined_variable_message(&name, &path, field.as_deref()))
        }
        Err(_) => Err(no_results(p)),
    }
}

/// The cause text of a definite path that found nothing.
pub fn no_results(p: &Path) -> String {
    format!("Invalid path '{}' : No results for path: {}", p.as_str(), p.normalized())
}

/// Applies `ResultPath` to merge a state's `result` into its `raw_input`.
///
/// * missing (`$`) → the result replaces the input;
/// * `null` → the result is discarded and the input passes through;
/// * a reference path → the result is written at that path inside a copy of the input.
///
/// `None` means the path cannot be applied (`States.ResultPathMatchFailure`).
pub fn apply_result_path(
    field: &PathField,
    raw_input: &Payload,
    result: Payload,
) -> Option<Payload> {
    match field {
        PathField::Root => Some(result),
        PathField::Null => Some(raw_input.clone()),
        PathField::Path(p) => {
            let mut out = raw_input.clone();
            p.set(&mut out, result).ok()?;
            Some(out)
        }
    }
}

/// The serialized size of a value in bytes, without building the string.
pub fn json_size<T: serde::Serialize + ?Sized>(v: &T) -> usize {
    struct Count(usize);
    impl std::io::Write for Count {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0 += buf.len();
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut c = Count(0);
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use serde_json::json;

    fn eval(template: Value, input: Value) -> Result<Value, EvalError> {
        let t = Template::compile(&template).expect("template compiles");
        let build = |_: Option<&str>| Payload::from(json!({"Execution": {"Name": "exec"}}));
        let lazy = Lazy::new(&build);
        let rng = RefCell::new(ChaCha8Rng::seed_from_u64(0));
        let input = Payload::from(input);
        t.eval(&Env { input: &input, context: &lazy, rng: &rng, variables: None })
            .map(|p| p.to_value())
    }

    #[test]
    fn template_fields_ending_in_dollar_are_resolved_and_renamed() {
        let out = eval(
            json!({"a.$": "$.x", "b": {"c.$": "$$.Execution.Name"}, "d": [1, {"e.$": "$.x"}]}),
            json!({"x": 5}),
        );
        assert_eq!(out, Ok(json!({"a": 5, "b": {"c": "exec"}, "d": [1, {"e": 5}]})));
    }

    #[test]
    fn templates_read_variables_and_name_undefined_ones() {
        let t = Template::compile(&json!({"a.$": "$v.x", "b.$": "States.Format('{}', $v.x)"}))
            .expect("compiles");
        let build = |_: Option<&str>| Payload::from(json!({}));
        let lazy = Lazy::new(&build);
        let rng = RefCell::new(ChaCha8Rng::seed_from_u64(0));
        let input = Payload::from(json!({}));
        let mut vars = Variables::new();
        let a =
            Assignments::new([(Arc::from("v"), Payload::from(json!({"x": 3})))]).expect("small");
        vars.apply(&a);
        let env = Env { input: &input, context: &lazy, rng: &rng, variables: Some(&vars) };
        assert_eq!(t.eval(&env).map(|p| p.to_value()), Ok(json!({"a": 3, "b": "3"})));
        let none = Env { input: &input, context: &lazy, rng: &rng, variables: None };
        assert_eq!(
            t.eval(&none),
            Err(EvalError::UndefinedVariable {
                name: "v".into(),
                path: "$v.x".into(),
                field: Some("a.$".into())
            })
        );
    }

    #[test]
    fn selection_paths_read_variables() {
        let mut vars = Variables::new();
        vars.apply(&Assignments::new([(Arc::from("s"), Payload::from(5i64))]).expect("small"));
        let f = PathField::compile(Some(&json!("$s")), false).expect("compiles");
        let input = Payload::from(json!({"s": 1}));
        let got = apply_selection_path(&f, &input, Some(&vars)).expect("selects");
        assert_eq!(got.map(|p| p.to_value()), Some(json!(5)));
        let err = apply_selection_path(&f, &input, None).expect_err("undefined");
        assert!(err.contains("'s'"), "{err}");
    }

    #[test]
    fn template_with_missing_path_names_the_field() {
        let out = eval(json!({"a.$": "$.nope"}), json!({}));
        assert_eq!(
            out,
            Err(EvalError::MissingPath { path: "$.nope".into(), field: Some("a.$".into()) })
        );
    }

    #[test]
    fn size_bounds_are_never_below_the_real_size() {
        let input = json!({"a": {"b": "x\"y\u{0001}", "c": [1, 2.5, null]}, "k": "v"});
        let exact_in = json_size(&input);
        for template in [
            json!({"x.$": "$.a", "lit": "é\n", "n": [1, {"m.$": "$.a.b"}]}),
            json!({"q\"uote.$": "$"}),
            json!([{"a.$": "$.k"}, 3]),
            json!({"len.$": "States.ArrayLength($.a.c)", "sum.$": "States.MathAdd(-5, 1)"}),
            json!({"id.$": "States.UUID()", "has.$": "States.ArrayContains($.a.c, 1)"}),
        ] {
            let t = Template::compile(&template).expect("compiles");
            let out = eval(template.clone(), input.clone()).expect("evaluates");
            let bound = t.size_bound(exact_in).expect("bounded");
            assert!(bound >= json_size(&out), "{template}: bound {bound} < {}", json_size(&out));
            let rp = PathField::compile(Some(&json!("$.new.deeper")), true).expect("path");
            let merged = apply_result_path(&rp, &Payload::from(&input), Payload::from(&out))
                .expect("merges");
            let mb =
                result_path_bound(&rp, Some(exact_in), Some(json_size(&out))).expect("bounded");
            assert!(mb >= json_size(&merged), "merge bound {mb} < {}", json_size(&merged));
        }
    }

    #[test]
    fn a_name_given_twice_is_one_field_and_a_bound_known_in_advance_holds_for_any_input() {
        // `"a"` and `"a.$"` name the same field: the later one replaces the earlier's value.
        let twice = eval(json!({"a": 1, "a.$": "$.k", "b": 2}), json!({"k": "v"}));
        assert_eq!(twice.expect("evaluates"), json!({"a": "v", "b": 2}));
        // Fields that read no input are bounded whatever the input's bound.
        let t =
            Template::compile(&json!({"n.$": "States.MathAdd(1, 2)", "s": "x"})).expect("compiles");
        assert_eq!(t.size_bound(0), t.size_bound(usize::MAX - 1));
        assert!(t.size_bound(0).is_some_and(|b| b >= r#"{"n":3,"s":"x"}"#.len()));
    }

    #[test]
    fn result_path_null_discards_and_path_merges() {
        let input = Payload::from(json!({"a": 1}));
        let two = Payload::from(2i64);
        let kept = apply_result_path(&PathField::Null, &input, two.clone());
        assert!(kept.is_some_and(|k| k.ptr_eq(&input)), "null keeps the very same input");
        let p = PathField::compile(Some(&json!("$.r")), true).expect("compiles");
        let merged = apply_result_path(&p, &input, two).map(|m| m.to_value());
        assert_eq!(merged, Some(json!({"a": 1, "r": 2})));
        assert_eq!(input.to_value(), json!({"a": 1}), "the input is not changed by the merge");
    }
}
