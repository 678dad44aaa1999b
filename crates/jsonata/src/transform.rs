//! `| pattern | update, delete |`: a function that returns a changed copy of its argument.
//!
//! Values are immutable and share subtrees, so instead of cloning the argument and changing
//! the matched objects in place, the transform finds the matched objects by identity, works out
//! each one's new fields, and rebuilds only the spine above them.

use std::collections::HashMap;
use std::rc::Rc;

use crate::error::{Error, Result};
use crate::eval::{Evaluator, Frame};
use crate::parser::Node;
use crate::value::{Map, Value};

/// The three parts of a transform.
#[derive(Debug, Clone)]
pub struct Transform {
    /// Which objects to change (evaluated against the argument).
    pub pattern: Node,
    /// An object whose fields are merged into each match.
    pub update: Node,
    /// The names of fields to remove from each match.
    pub delete: Option<Node>,
}

/// Applies a transform to `target`.
pub fn run(ev: &mut Evaluator, t: &Transform, env: &Frame, target: Value) -> Result<Value> {
    if target.is_undefined() {
        return Ok(Value::Undefined);
    }
    if !target.is_object() && !target.is_array() {
        return Err(Error::new(
            "T0410",
            "Argument 1 of function transform does not match function signature",
        ));
    }
    let matches = ev.eval(&t.pattern, &target, env)?;
    let matches = match matches.items() {
        Some(items) => items.into_owned(),
        None if matches.is_undefined() => Vec::new(),
        None => vec![matches],
    };
    let mut changed: HashMap<usize, Map> = HashMap::new();
    for m in matches {
        if !m.is_object() {
            continue;
        }
        let Some(id) = m.node_id() else { continue };
        let mut fields: Map = match changed.remove(&id) {
            Some(f) => f,
            None => m.entries().into_iter().collect(),
        };
        let current = Value::Object(Rc::new(fields.clone()));
        let update = ev.eval(&t.update, &current, env)?;
        if !update.is_undefined() {
            if !update.is_object() {
                return Err(Error::new(
                    "T2011",
                    "The insert/update clause of the transform expression must evaluate to an object",
                ));
            }
            for (k, v) in update.entries() {
                fields.insert(k, v);
            }
        }
        if let Some(d) = &t.delete {
            let current = Value::Object(Rc::new(fields.clone()));
            let deletions = ev.eval(d, &current, env)?;
            if !deletions.is_undefined() {
                let names = match deletions.items() {
                    Some(items) => items.into_owned(),
                    None => vec![deletions],
                };
                for n in names {
                    let Value::String(name) = n else {
                        return Err(Error::new(
                            "T2012",
                            "The delete clause of the transform expression must evaluate to a string or array of strings",
                        ));
                    };
                    fields.shift_remove(&*name);
                }
            }
        }
        changed.insert(id, fields);
    }
    if changed.is_empty() {
        return Ok(target);
    }
    Ok(rebuild(&target, &changed, 0))
}

fn rebuild(v: &Value, changed: &HashMap<usize, Map>, depth: usize) -> Value {
    if depth > 2_000 {
        return v.clone();
    }
    if let Some(id) = v.node_id()
        && let Some(fields) = changed.get(&id)
    {
        let mut out = Map::default();
        for (k, child) in fields {
            out.insert(k.clone(), rebuild(child, changed, depth + 1));
        }
        return Value::Object(Rc::new(out));
    }
    if v.is_object() {
        let entries = v.entries();
        let mut out = Map::default();
        for (k, child) in entries {
            out.insert(k, rebuild(&child, changed, depth + 1));
        }
        return Value::Object(Rc::new(out));
    }
    if let Some(items) = v.items() {
        return Value::array(items.iter().map(|i| rebuild(i, changed, depth + 1)).collect());
    }
    v.clone()
}
