//! Workflow variables ("Passing data between states with variables", AWS Step Functions
//! developer guide): the scopes they live in, the values an `Assign` evaluated to, and the size
//! limits.
//!
//! The machinery is independent of the query language: a JSONPath state's `Assign` is a payload
//! template evaluated by [`crate::dataflow::Template::eval`], a JSONata state's `Assign` will be
//! evaluated by the JSONata engine; both hand the evaluated values over as [`Assignments`], which
//! [`Variables::apply`] makes visible when the state exits. Every expression of one state reads
//! the values from state entry, because nothing is applied before the state exits.
//!
//! Scopes: the top-level states share one scope. Each Parallel branch and each Map iteration runs
//! in a scope of its own ([`Variables::enter`]) that reads the outer scopes but whose assignments
//! are not visible outside it ([`Variables::leave`] drops them). A Distributed Map's iterations
//! cannot read outer variables at all.

use std::collections::HashMap;
use std::sync::Arc;

use crate::dataflow::json_size;
use crate::value::{Object, Payload};

/// Most bytes (JSON text) one state may assign in total ("up to 256 KiB per state"); a single
/// variable is bounded by it too.
pub const MAX_ASSIGN_BYTES: usize = 256 * 1024;

/// Most bytes (JSON text) of all variables stored at once in one execution (10 MiB).
pub const MAX_TOTAL_BYTES: usize = 10 * 1024 * 1024;

/// The variables visible to a running state: a stack of scopes, innermost last.
#[derive(Debug, Clone)]
pub struct Variables {
    frames: Vec<Frame>,
    /// Bytes held by every frame.
    total: usize,
}

/// Fixed-key SipHash: building an empty map costs nothing (no random keys fetched), which matters
/// because every Map iteration opens a scope.
type Hasher = std::hash::BuildHasherDefault<std::collections::hash_map::DefaultHasher>;

#[derive(Debug, Clone, Default)]
struct Frame {
    values: HashMap<Arc<str>, (Payload, usize), Hasher>,
    /// Whether lookups continue in the enclosing scope (false for Distributed Map iterations).
    reads_outer: bool,
}

impl Default for Variables {
    fn default() -> Self {
        Variables::new()
    }
}

impl Variables {
    /// The top-level scope of an execution, empty.
    pub fn new() -> Variables {
        Variables { frames: vec![Frame::default()], total: 0 }
    }

    /// Whether no variable is visible (and none is stored in any scope).
    pub fn is_empty(&self) -> bool {
        self.frames.iter().all(|f| f.values.is_empty())
    }

    /// The value of `name` as the current scope sees it.
    pub fn get(&self, name: &str) -> Option<&Payload> {
        for f in self.frames.iter().rev() {
            if let Some((v, _)) = f.values.get(name) {
                return Some(v);
            }
            if !f.reads_outer {
                break;
            }
        }
        None
    }

    /// Opens the scope of a Parallel branch or a Map iteration. `reads_outer` is false for a
    /// Distributed Map, whose iterations cannot reference outer variables.
    pub fn enter(&mut self, reads_outer: bool) {
        self.frames.push(Frame { values: HashMap::default(), reads_outer });
    }

    /// Closes the innermost scope: its variables are gone. The top-level scope is never closed.
    pub fn leave(&mut self) {
        if self.frames.len() > 1
            && let Some(f) = self.frames.pop()
            && !f.values.is_empty()
        {
            self.total -= f.values.values().map(|(_, n)| n).sum::<usize>();
        }
    }

    /// How many scopes are open (1 at the top level).
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    /// Checks that applying `a` keeps the execution within [`MAX_TOTAL_BYTES`].
    pub fn check_total(&self, a: &Assignments) -> Result<(), LimitError> {
        let Some(frame) = self.frames.last() else { return Ok(()) };
        let replaced: usize =
            a.values.iter().filter_map(|(k, _, _)| frame.values.get(k).map(|(_, n)| *n)).sum();
        let after = self.total.saturating_sub(replaced).saturating_add(a.size);
        if after > MAX_TOTAL_BYTES {
            return Err(LimitError::Execution { size: after });
        }
        Ok(())
    }

    /// Makes `a` visible in the innermost scope (the state is exiting).
    pub fn apply(&mut self, a: &Assignments) {
        let Some(frame) = self.frames.last_mut() else { return };
        for (k, v, n) in &a.values {
            if let Some((_, old)) = frame.values.insert(k.clone(), (v.clone(), *n)) {
                self.total -= old;
            }
            self.total += n;
        }
    }

    /// Every variable visible from the current scope, outer scopes first, so that a name
    /// bound again later (by an inner scope) is the one seen; neither sorted nor deduplicated
    /// (for JSONata bindings, which keep the last of a name).
    pub fn visible_pairs(&self) -> Vec<(&Arc<str>, &Payload)> {
        let start = self.frames.iter().rposition(|f| !f.reads_outer).unwrap_or(0);
        self.frames[start..]
            .iter()
            .flat_map(|f| f.values.iter().map(|(k, (v, _))| (k, v)))
            .collect()
    }

    /// Every variable visible from the current scope, by name (inner scopes hide outer ones),
    /// for the debugger and the trace.
    pub fn visible(&self) -> Object {
        let mut names: Vec<(&Arc<str>, &Payload)> = Vec::new();
        let start = self.frames.iter().rposition(|f| !f.reads_outer).unwrap_or(0);
        for f in &self.frames[start..] {
            for (k, (v, _)) in &f.values {
                match names.iter_mut().find(|(n, _)| *n == k) {
                    Some(slot) => slot.1 = v,
                    None => names.push((k, v)),
                }
            }
        }
        names.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = Object::with_capacity(names.len());
        for (k, v) in names {
            out.insert(k.clone(), v.clone());
        }
        out
    }
}

/// The values one `Assign` evaluated to, in the order written, with their JSON sizes; not
/// visible to anyone until [`Variables::apply`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assignments {
    /// Name, value, size of the value's JSON text.
    pub values: Vec<(Arc<str>, Payload, usize)>,
    /// The sum of the sizes.
    pub size: usize,
}

impl Assignments {
    /// Collects evaluated `(name, value)` pairs, measuring each value, and checks the per-state
    /// limit ([`MAX_ASSIGN_BYTES`]).
    pub fn new(pairs: impl IntoIterator<Item = (Arc<str>, Payload)>) -> Result<Self, LimitError> {
        let mut out = Assignments::default();
        for (k, v) in pairs {
            let n = json_size(&v);
            out.size = out.size.saturating_add(n);
            if n > MAX_ASSIGN_BYTES {
                return Err(LimitError::Variable { name: k.to_string(), size: n });
            }
            out.values.push((k, v, n));
        }
        if out.size > MAX_ASSIGN_BYTES {
            return Err(LimitError::State { size: out.size });
        }
        Ok(out)
    }

    /// From the object a JSONPath `Assign` template built (its keys are the variable names).
    pub fn from_payload(p: &Payload) -> Result<Self, LimitError> {
        match p.as_object() {
            Some(o) => Assignments::new(o.iter().map(|(k, v)| (k.clone(), v.clone()))),
            None => Ok(Assignments::default()),
        }
    }

    /// The assigned values as an object (name → value), for the trace.
    pub fn to_object(&self) -> Object {
        let mut o = Object::with_capacity(self.values.len());
        for (k, v, _) in &self.values {
            o.insert(k.clone(), v.clone());
        }
        o
    }
}

/// A variable size limit was exceeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitError {
    /// One variable is larger than [`MAX_ASSIGN_BYTES`].
    Variable {
        /// The variable.
        name: String,
        /// Its size in bytes.
        size: usize,
    },
    /// One state assigns more than [`MAX_ASSIGN_BYTES`] in total.
    State {
        /// The combined size.
        size: usize,
    },
    /// The execution would hold more than [`MAX_TOTAL_BYTES`] of variables.
    Execution {
        /// The total after the assignment.
        size: usize,
    },
}

impl std::fmt::Display for LimitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LimitError::Variable { name, size } => write!(
                f,
                "The variable '{name}' has a size of {size} bytes, exceeding the maximum of {MAX_ASSIGN_BYTES} bytes."
            ),
            LimitError::State { size } => write!(
                f,
                "The variables assigned by the state have a combined size of {size} bytes, exceeding the maximum of {MAX_ASSIGN_BYTES} bytes."
            ),
            LimitError::Execution { size } => write!(
                f,
                "The variables of the execution would have a combined size of {size} bytes, exceeding the maximum of {MAX_TOTAL_BYTES} bytes."
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assign(pairs: &[(&str, i64)]) -> Assignments {
        Assignments::new(pairs.iter().map(|(k, v)| (Arc::from(*k), Payload::from(*v))))
            .expect("small")
    }

    #[test]
    fn inner_scopes_read_outer_values_and_their_own_vanish() {
        let mut vars = Variables::new();
        vars.apply(&assign(&[("a", 1)]));
        vars.enter(true);
        assert_eq!(vars.get("a"), Some(&Payload::from(1i64)));
        vars.apply(&assign(&[("a", 2), ("b", 3)]));
        assert_eq!(vars.get("a"), Some(&Payload::from(2i64)), "the inner value hides the outer");
        vars.leave();
        assert_eq!(vars.get("a"), Some(&Payload::from(1i64)), "the outer value is untouched");
        assert_eq!(vars.get("b"), None);
        vars.leave();
        assert_eq!(vars.depth(), 1, "the top-level scope stays");
    }

    #[test]
    fn distributed_scopes_do_not_read_outer_values() {
        let mut vars = Variables::new();
        vars.apply(&assign(&[("a", 1)]));
        vars.enter(false);
        assert_eq!(vars.get("a"), None);
        assert!(vars.visible().is_empty());
    }

    #[test]
    fn sizes_are_tracked_and_limited() {
        let big = Payload::from("x".repeat(MAX_ASSIGN_BYTES));
        let e = Assignments::new([(Arc::from("v"), big)]).expect_err("too big");
        assert!(matches!(e, LimitError::Variable { .. }));
        let half = Payload::from("x".repeat(MAX_ASSIGN_BYTES / 2));
        let e = Assignments::new([(Arc::from("a"), half.clone()), (Arc::from("b"), half)])
            .expect_err("too big together");
        assert!(matches!(e, LimitError::State { .. }));
        let mut vars = Variables::new();
        vars.apply(&assign(&[("a", 10)]));
        vars.apply(&assign(&[("a", 1)]));
        assert_eq!(vars.total, 1, "a replaced value no longer counts");
        vars.enter(true);
        vars.apply(&assign(&[("b", 22)]));
        assert_eq!(vars.total, 3);
        vars.leave();
        assert_eq!(vars.total, 1);
    }

    #[test]
    fn visible_lists_names_in_order_with_inner_values() {
        let mut vars = Variables::new();
        vars.apply(&assign(&[("b", 1), ("a", 1)]));
        vars.enter(true);
        vars.apply(&assign(&[("b", 2)]));
        let v = vars.visible();
        let names: Vec<&str> = v.keys().map(|k| &**k).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(v.get("b"), Some(&Payload::from(2i64)));
    }
}
