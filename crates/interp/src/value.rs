//! [`Payload`]: the JSON value states pass around, with shared subtrees.
//!
//! Objects, arrays and strings sit behind `Arc`s, so cloning a payload, selecting a subtree with a
//! path, building a Parameters object around parts of the input, or keeping a payload in a history
//! event copies pointers, not trees. Writing (ResultPath) copies only the spine it changes
//! (`Arc::make_mut`). Objects keep key order, like the workspace's `serde_json` (`preserve_order`).
//! Conversions to and from `serde_json::Value` happen at the edges (definition, mocks, the API).

use std::sync::Arc;

use indexmap::IndexMap;
use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::{Number, Value};

/// An object's fields, in insertion order. Hashed with a fixed-seed fast hasher: keys come from
/// the user's own definitions and inputs, and output order is insertion order either way.
pub type Object = IndexMap<Arc<str>, Payload, foldhash::fast::FixedState>;

/// A JSON value with shared subtrees.
#[derive(Debug, Clone, Default)]
pub enum Payload {
    /// `null`.
    #[default]
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A number (as `serde_json` keeps it).
    Number(Number),
    /// A string.
    String(Arc<str>),
    /// An array.
    Array(Arc<Vec<Payload>>),
    /// An object.
    Object(Arc<Object>),
}

impl Payload {
    /// The JSON `null`.
    pub const NULL: Payload = Payload::Null;

    /// A string payload.
    pub fn string(s: impl Into<Arc<str>>) -> Payload {
        Payload::String(s.into())
    }

    /// An array payload.
    pub fn array(items: Vec<Payload>) -> Payload {
        Payload::Array(Arc::new(items))
    }

    /// An object payload.
    pub fn object(fields: Object) -> Payload {
        Payload::Object(Arc::new(fields))
    }

    /// An empty object.
    pub fn empty_object() -> Payload {
        Payload::Object(Arc::new(Object::default()))
    }

    /// Whether both are the same shared node (cheap identity, not equality).
    pub fn ptr_eq(&self, other: &Payload) -> bool {
        match (self, other) {
            (Payload::Object(a), Payload::Object(b)) => Arc::ptr_eq(a, b),
            (Payload::Array(a), Payload::Array(b)) => Arc::ptr_eq(a, b),
            (Payload::String(a), Payload::String(b)) => Arc::ptr_eq(a, b),
            (Payload::Null, Payload::Null) => true,
            _ => false,
        }
    }

    /// The string, when it is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Payload::String(s) => Some(s),
            _ => None,
        }
    }

    /// The number as f64, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Payload::Number(n) => n.as_f64(),
            _ => None,
        }
    }

    /// The number as u64, when it is a non-negative integer.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Payload::Number(n) => n.as_u64(),
            _ => None,
        }
    }

    /// The boolean, when it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Payload::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The elements, when it is an array.
    pub fn as_array(&self) -> Option<&[Payload]> {
        match self {
            Payload::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The fields, when it is an object.
    pub fn as_object(&self) -> Option<&Object> {
        match self {
            Payload::Object(o) => Some(o),
            _ => None,
        }
    }

    /// A field of an object.
    pub fn get(&self, key: &str) -> Option<&Payload> {
        self.as_object().and_then(|o| o.get(key))
    }

    /// `null`?
    pub fn is_null(&self) -> bool {
        matches!(self, Payload::Null)
    }

    /// A number?
    pub fn is_number(&self) -> bool {
        matches!(self, Payload::Number(_))
    }

    /// A string?
    pub fn is_string(&self) -> bool {
        matches!(self, Payload::String(_))
    }

    /// A boolean?
    pub fn is_boolean(&self) -> bool {
        matches!(self, Payload::Bool(_))
    }

    /// The `serde_json::Value` (a deep copy: for the API edge).
    pub fn to_value(&self) -> Value {
        match self {
            Payload::Null => Value::Null,
            Payload::Bool(b) => Value::Bool(*b),
            Payload::Number(n) => Value::Number(n.clone()),
            Payload::String(s) => Value::String(s.to_string()),
            Payload::Array(a) => Value::Array(a.iter().map(Payload::to_value).collect()),
            Payload::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.to_string(), v.to_value())).collect())
            }
        }
    }

    /// Parses JSON text.
    pub fn parse(text: &str) -> Result<Payload, serde_json::Error> {
        serde_json::from_str::<Value>(text).map(|v| Payload::from(&v))
    }
}

impl From<&Value> for Payload {
    fn from(v: &Value) -> Payload {
        match v {
            Value::Null => Payload::Null,
            Value::Bool(b) => Payload::Bool(*b),
            Value::Number(n) => Payload::Number(n.clone()),
            Value::String(s) => Payload::String(Arc::from(s.as_str())),
            Value::Array(a) => Payload::array(a.iter().map(Payload::from).collect()),
            Value::Object(o) => Payload::object(
                o.iter().map(|(k, v)| (Arc::from(k.as_str()), Payload::from(v))).collect(),
            ),
        }
    }
}

impl From<Value> for Payload {
    fn from(v: Value) -> Payload {
        Payload::from(&v)
    }
}

impl From<bool> for Payload {
    fn from(b: bool) -> Payload {
        Payload::Bool(b)
    }
}

impl From<i64> for Payload {
    fn from(n: i64) -> Payload {
        Payload::Number(n.into())
    }
}

impl From<u64> for Payload {
    fn from(n: u64) -> Payload {
        Payload::Number(n.into())
    }
}

impl From<usize> for Payload {
    fn from(n: usize) -> Payload {
        Payload::Number((n as u64).into())
    }
}

impl From<&str> for Payload {
    fn from(s: &str) -> Payload {
        Payload::String(Arc::from(s))
    }
}

impl From<String> for Payload {
    fn from(s: String) -> Payload {
        Payload::String(Arc::from(s))
    }
}

/// Structural equality (numbers as `serde_json` compares them; see [`json_eq`] for by-value).
impl PartialEq for Payload {
    fn eq(&self, other: &Payload) -> bool {
        match (self, other) {
            (Payload::Null, Payload::Null) => true,
            (Payload::Bool(a), Payload::Bool(b)) => a == b,
            (Payload::Number(a), Payload::Number(b)) => a == b,
            (Payload::String(a), Payload::String(b)) => a == b,
            (Payload::Array(a), Payload::Array(b)) => Arc::ptr_eq(a, b) || a == b,
            (Payload::Object(a), Payload::Object(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => false,
        }
    }
}

impl PartialEq<Value> for Payload {
    fn eq(&self, other: &Value) -> bool {
        match (self, other) {
            (Payload::Null, Value::Null) => true,
            (Payload::Bool(a), Value::Bool(b)) => a == b,
            (Payload::Number(a), Value::Number(b)) => a == b,
            (Payload::String(a), Value::String(b)) => &**a == b.as_str(),
            (Payload::Array(a), Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Payload::Object(a), Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(&**k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

/// JSON equality with numbers compared by value (1 == 1.0).
pub fn json_eq(a: &Payload, b: &Payload) -> bool {
    match (a, b) {
        (Payload::Number(x), Payload::Number(y)) => {
            x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y)
        }
        (Payload::Array(x), Payload::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(a, b)| json_eq(a, b))
        }
        (Payload::Object(x), Payload::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

impl serde::Serialize for Payload {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Payload::Null => s.serialize_unit(),
            Payload::Bool(b) => s.serialize_bool(*b),
            Payload::Number(n) => n.serialize(s),
            Payload::String(v) => s.serialize_str(v),
            Payload::Array(a) => {
                let mut seq = s.serialize_seq(Some(a.len()))?;
                for v in a.iter() {
                    seq.serialize_element(v)?;
                }
                seq.end()
            }
            Payload::Object(o) => {
                let mut map = s.serialize_map(Some(o.len()))?;
                for (k, v) in o.iter() {
                    map.serialize_entry(&**k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Compact JSON text, like `serde_json::Value`'s `Display`.
impl std::fmt::Display for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| std::fmt::Error)?;
        f.write_str(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn payload_round_trips_through_serde_json_keeping_key_order() {
        let v = json!({"z": 1, "a": [true, null, "s", 2.5], "m": {"k": {}}});
        let p = Payload::from(&v);
        assert_eq!(p.to_value(), v);
        assert_eq!(p.to_string(), v.to_string());
        assert!(p == v);
    }

    #[test]
    fn clones_share_subtrees() {
        let p = Payload::from(json!({"big": [1, 2, 3]}));
        let q = p.clone();
        assert!(p.ptr_eq(&q), "a clone is the same node");
        let (Some(a), Some(b)) = (p.get("big"), q.get("big")) else { panic!("fields") };
        assert!(a.ptr_eq(b));
    }
}
