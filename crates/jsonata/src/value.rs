//! The values an expression works with.
//!
//! JSON that comes from outside (the input, bindings) stays a [`Payload`] until an expression
//! takes it apart: [`Value::Json`] wraps an array or object without copying it, and a path step
//! reads one field or one level of items at a time. Values an expression builds (arrays,
//! objects, sequences, functions) are [`Value::Array`], [`Value::Object`] and
//! [`Value::Function`]. A result that is still plain JSON converts back without a copy.
//!
//! Arrays carry JSONata's flags: a *sequence* is what a path yields (a singleton sequence is
//! its one value, an empty one is nothing), `keep_singleton` comes from `[]` in a path, `cons`
//! marks an array constructor's result (never flattened by a path step) and `tuples` a stream
//! of tuples (focus, index and parent bindings).

use std::borrow::Cow;
use std::rc::Rc;
use std::sync::Arc;

use indexmap::IndexMap;
use serde_json::Number;
use stepwise_value::{Object as JsonObject, Payload};

use crate::functions::Builtin;
use crate::parser::Lambda;

/// An object an expression builds: keys in insertion order.
pub type Map = IndexMap<Arc<str>, Value, foldhash::fast::FixedState>;

/// An array with JSONata's flags.
#[derive(Debug, Clone, Default)]
pub struct Array {
    /// The items.
    pub items: Vec<Value>,
    /// A path result: collapses to its single item, or to nothing when empty.
    pub sequence: bool,
    /// `[]` in a path: a singleton stays an array.
    pub keep_singleton: bool,
    /// Built by an array constructor: a path step does not flatten it.
    pub cons: bool,
    /// A stream of tuples (each item an object of bindings, `@` the context).
    pub tuples: bool,
    /// The evaluation's input array, wrapped as a sequence of one item.
    pub outer_wrapper: bool,
}

impl Array {
    /// A sequence (a path's result) of these items.
    pub fn sequence(items: Vec<Value>) -> Array {
        Array { items, sequence: true, ..Array::default() }
    }

    /// A plain array of these items.
    pub fn plain(items: Vec<Value>) -> Array {
        Array { items, ..Array::default() }
    }
}

/// A function value: a lambda, a built-in, a partial application, a regex or a composition.
pub enum Function {
    /// `function($a, $b) { ... }`, closed over its frame.
    Lambda { def: Arc<Lambda>, env: crate::eval::Frame, input: Value },
    /// A built-in (`$sum`, `$map`, …).
    Builtin(&'static Builtin),
    /// A host function (`$states` helpers, Step Functions' additions).
    Native(Rc<dyn crate::NativeFunction>),
    /// `f(?, 2)`: the function and the arguments given (`None` for each `?`).
    Partial { func: Value, args: Vec<Option<Value>> },
    /// A regular expression literal (usable as a matcher function).
    Regex(Arc<crate::regex::Pattern>),
    /// `f ~> g` where both are functions: `g(f(x))`.
    Chain(Value, Value),
    /// `| pattern | update, delete |`, closed over its frame.
    Transform(Rc<crate::transform::Transform>, crate::eval::Frame),
    /// A tail call waiting to be made (never escapes [`crate::eval`]).
    Thunk(Value, Vec<Value>),
}

impl std::fmt::Debug for Function {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Function::Lambda { .. } => f.write_str("<lambda>"),
            Function::Builtin(b) => write!(f, "<builtin ${}>", b.name),
            Function::Native(n) => write!(f, "<native ${}>", n.name()),
            Function::Partial { .. } => f.write_str("<partial>"),
            Function::Regex(_) => f.write_str("<regex>"),
            Function::Chain(..) => f.write_str("<chain>"),
            Function::Transform(..) => f.write_str("<transform>"),
            Function::Thunk(..) => f.write_str("<thunk>"),
        }
    }
}

/// A value.
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// No value (JavaScript's `undefined`): a missing field, an empty sequence.
    #[default]
    Undefined,
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (always a double, as in JavaScript).
    Number(f64),
    /// A string.
    String(Arc<str>),
    /// An array the expression built.
    Array(Rc<Array>),
    /// An object the expression built.
    Object(Rc<Map>),
    /// JSON from outside, an array or an object, not taken apart yet.
    Json(Payload),
    /// A function.
    Function(Rc<Function>),
}

impl Value {
    /// A string value.
    pub fn string(s: impl Into<Arc<str>>) -> Value {
        Value::String(s.into())
    }

    /// A plain array.
    pub fn array(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array::plain(items)))
    }

    /// A sequence.
    pub fn sequence(items: Vec<Value>) -> Value {
        Value::Array(Rc::new(Array::sequence(items)))
    }

    /// A function value.
    pub fn function(f: Function) -> Value {
        Value::Function(Rc::new(f))
    }

    /// Wraps JSON: scalars become values, arrays and objects stay shared.
    pub fn from_payload(p: &Payload) -> Value {
        match p {
            Payload::Null => Value::Null,
            Payload::Bool(b) => Value::Bool(*b),
            Payload::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
            Payload::String(s) => Value::String(s.clone()),
            Payload::Array(_) | Payload::Object(_) => Value::Json(p.clone()),
        }
    }

    /// Converts to JSON: `None` for undefined; functions become `""` as in JSON.stringify of
    /// JSONata (they are dropped from objects and arrays hold `null`).
    pub fn to_payload(&self) -> Option<Payload> {
        Some(match self {
            Value::Undefined => return None,
            Value::Null => Payload::Null,
            Value::Bool(b) => Payload::Bool(*b),
            Value::Number(n) => number_payload(*n),
            Value::String(s) => Payload::String(s.clone()),
            Value::Json(p) => p.clone(),
            Value::Array(a) => {
                Payload::array(a.items.iter().filter_map(|v| v.to_payload()).collect())
            }
            Value::Object(m) => {
                let mut o = JsonObject::with_capacity(m.len());
                for (k, v) in m.iter() {
                    if v.is_function() {
                        continue;
                    }
                    if let Some(p) = v.to_payload() {
                        o.insert(k.clone(), p);
                    }
                }
                Payload::object(o)
            }
            Value::Function(_) => Payload::string(""),
        })
    }

    /// Whether this is undefined.
    pub fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }

    /// Whether this is an array (built, or JSON).
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_) | Value::Json(Payload::Array(_)))
    }

    /// Whether this is an object (built, or JSON).
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_) | Value::Json(Payload::Object(_)))
    }

    /// Whether this is a function.
    pub fn is_function(&self) -> bool {
        matches!(self, Value::Function(_))
    }

    /// Whether this is a sequence.
    pub fn is_sequence(&self) -> bool {
        matches!(self, Value::Array(a) if a.sequence)
    }

    /// The number, when this is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The string, when this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// The array's items (JSON arrays are wrapped one level deep).
    pub fn items(&self) -> Option<Cow<'_, [Value]>> {
        match self {
            Value::Array(a) => Some(Cow::Borrowed(&a.items)),
            Value::Json(Payload::Array(items)) => {
                Some(Cow::Owned(items.iter().map(Value::from_payload).collect()))
            }
            _ => None,
        }
    }

    /// The array's flags, when this is an array the expression built.
    pub fn array_flags(&self) -> Option<&Array> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The number of items of an array.
    pub fn len(&self) -> usize {
        match self {
            Value::Array(a) => a.items.len(),
            Value::Json(Payload::Array(items)) => items.len(),
            _ => 0,
        }
    }

    /// Whether an array is empty (true for non-arrays).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An object's field.
    pub fn field(&self, key: &str) -> Value {
        match self {
            Value::Object(m) => m.get(key).cloned().unwrap_or_default(),
            Value::Json(Payload::Object(o)) => {
                o.get(key).map(Value::from_payload).unwrap_or_default()
            }
            _ => Value::Undefined,
        }
    }

    /// An object's fields, in order.
    pub fn entries(&self) -> Vec<(Arc<str>, Value)> {
        match self {
            Value::Object(m) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Value::Json(Payload::Object(o)) => {
                o.iter().map(|(k, v)| (k.clone(), Value::from_payload(v))).collect()
            }
            _ => Vec::new(),
        }
    }

    /// An object's keys, in order.
    pub fn keys(&self) -> Vec<Arc<str>> {
        match self {
            Value::Object(m) => m.keys().cloned().collect(),
            Value::Json(Payload::Object(o)) => o.keys().cloned().collect(),
            _ => Vec::new(),
        }
    }

    /// Identity of an array or object node (for transforms), if it has one.
    pub fn node_id(&self) -> Option<usize> {
        match self {
            Value::Object(m) => Some(Rc::as_ptr(m) as *const u8 as usize),
            Value::Array(a) => Some(Rc::as_ptr(a) as *const u8 as usize),
            Value::Json(Payload::Object(o)) => Some(Arc::as_ptr(o) as *const u8 as usize),
            Value::Json(Payload::Array(a)) => Some(Arc::as_ptr(a) as *const u8 as usize),
            _ => None,
        }
    }

    /// JSONata's type name (`$type`).
    pub fn type_name(&self) -> Option<&'static str> {
        Some(match self {
            Value::Undefined => return None,
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) | Value::Json(Payload::Array(_)) => "array",
            Value::Object(_) | Value::Json(_) => "object",
            Value::Function(_) => "function",
        })
    }
}

/// An object from its fields (keys distinct, in order): plain JSON when no value is a
/// function, so a result that leaves the engine needs no conversion.
pub fn object_of(fields: Vec<(Arc<str>, Value)>) -> Value {
    if fields.iter().any(|(_, v)| !plain_json(v)) {
        return Value::Object(Rc::new(fields.into_iter().collect()));
    }
    let mut o = JsonObject::with_capacity(fields.len());
    for (k, v) in fields {
        if let Some(p) = v.to_payload() {
            o.insert(k, p);
        }
    }
    Value::Json(Payload::object(o))
}

/// Whether a value converts to JSON as it is: no function and no infinite number inside (those
/// stay values, for `$string` and the like to treat as JSONata does).
pub fn plain_json(v: &Value) -> bool {
    match v {
        Value::Function(_) => false,
        Value::Number(n) => n.is_finite(),
        Value::Array(a) => a.items.iter().all(plain_json),
        Value::Object(m) => m.values().all(plain_json),
        _ => true,
    }
}

/// A double as JSON: integers without a fraction, like JavaScript prints them.
pub fn number_payload(n: f64) -> Payload {
    if n.fract() == 0.0 && n.abs() < 9.007_199_254_740_992e15 {
        Payload::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n).map(Payload::Number).unwrap_or(Payload::Null)
    }
}

/// Deep equality of two values (JSON semantics; functions are never equal).
pub fn deep_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Json(x), Value::Json(y)) if x.ptr_eq(y) => true,
        _ if a.is_array() && b.is_array() => {
            let (x, y) = (a.items().unwrap_or_default(), b.items().unwrap_or_default());
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| deep_equal(p, q))
        }
        _ if a.is_object() && b.is_object() => {
            let (x, y) = (a.entries(), b.entries());
            x.len() == y.len()
                && x.iter().all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && deep_equal(v, v2)))
        }
        _ => false,
    }
}
