//! The evaluator: an expression's processed tree against an input, in an environment of frames.
//!
//! Semantics follow the JSONata language reference: a path yields a *sequence*, flattened step
//! by step, and a sequence of one value is that value; predicates filter per step (a number
//! selects by position); `@` and `#` bindings turn a path into a stream of tuples; calls in a
//! lambda's tail position are returned as thunks and run in a loop by [`Evaluator::apply`], so
//! tail recursion does not grow the stack. Deep recursion is bounded by [`Limits`] and the
//! stack grows on the heap while it lasts, so a runaway expression ends with `U1001`, never a
//! crash.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::functions::{self, boolean};
use crate::parser::{BinOp, Node, Path, SortTerm, Stage, Step};
use crate::value::{Array, Function, Map, Value, deep_equal};

/// A frame's variables.
pub(crate) type Vars = smallvec::SmallVec<[(Arc<str>, Value); 3]>;

/// A frame of variables, linked to the frame it was created in.
#[derive(Clone, Default)]
pub struct Frame(Rc<FrameData>);

#[derive(Default)]
struct FrameData {
    /// Most frames hold a few variables (a lambda's parameters, `$states` and a variable or
    /// two): those live inside the frame, not in a second allocation.
    vars: RefCell<Vars>,
    parent: Option<Frame>,
}

impl Frame {
    /// A frame with no parent.
    pub fn root() -> Frame {
        Frame::default()
    }

    /// A frame holding these variables (names unique), inside `parent` if given.
    pub(crate) fn with_vars(vars: Vars, parent: Option<Frame>) -> Frame {
        Frame(Rc::new(FrameData { vars: RefCell::new(vars), parent }))
    }

    /// A frame with a copy of this one's variables, in the same parent.
    pub(crate) fn copy(&self) -> Frame {
        Frame::with_vars(self.0.vars.borrow().clone(), self.0.parent.clone())
    }

    /// A new frame inside this one.
    pub fn child(&self) -> Frame {
        Frame(Rc::new(FrameData { vars: RefCell::new(Vars::new()), parent: Some(self.clone()) }))
    }

    /// Binds a variable in this frame.
    pub fn bind(&self, name: impl Into<Arc<str>>, value: Value) {
        let name = name.into();
        let mut vars = self.0.vars.borrow_mut();
        if let Some(slot) = vars.iter_mut().find(|(n, _)| *n == name) {
            slot.1 = value;
        } else {
            vars.push((name, value));
        }
    }

    /// Looks a variable up here and in the enclosing frames.
    pub fn lookup(&self, name: &str) -> Option<Value> {
        let mut frame = Some(self);
        while let Some(f) = frame {
            if let Some((_, v)) = f.0.vars.borrow().iter().find(|(n, _)| &**n == name) {
                return Some(v.clone());
            }
            frame = f.0.parent.as_ref();
        }
        None
    }
}

/// The hidden variable that holds the current value's ancestors (not a valid `$name`).
const PARENTS: &str = "%";

/// The ancestors of the current value, from the frame.
fn ancestors(env: &Frame) -> Rc<Vec<Value>> {
    Rc::new(env.lookup(PARENTS).and_then(|v| v.items().map(|i| i.into_owned())).unwrap_or_default())
}

/// Bounds on one evaluation.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How deeply evaluation may nest (a recursion without end stops here).
    pub max_depth: usize,
    /// How long an evaluation may run, in milliseconds.
    pub time_limit_ms: Option<u64>,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_depth: 10_000, time_limit_ms: Some(10_000) }
    }
}

/// One tuple of a tuple stream: the context (`@`) and the variables bound along the path.
#[derive(Clone, Debug)]
struct Tuple {
    focus: Value,
    bindings: Vec<(Arc<str>, Value)>,
    /// The ancestors of `focus` (nearest last), when the path tracks them for `%`.
    parents: Option<Rc<Vec<Value>>>,
    /// The last step bound a focus variable (`@$v`): contiguous focus steps share one parent.
    in_focus: bool,
}

impl Tuple {
    fn bind(&mut self, name: &Arc<str>, value: Value) {
        if let Some(slot) = self.bindings.iter_mut().find(|(n, _)| n == name) {
            slot.1 = value;
        } else {
            self.bindings.push((name.clone(), value));
        }
    }
}

/// The state of one evaluation.
pub struct Evaluator {
    depth: usize,
    limits: Limits,
    /// When the time limit started counting: at the first check (after 1,024 steps), so a
    /// short evaluation never reads the clock.
    started: Option<Instant>,
    ticks: u32,
    /// Step Functions' and the host's extras (`$random` seed, `$now`).
    pub(crate) host: crate::Host,
}

fn sequence_items(v: &Value) -> Vec<Value> {
    match v.items() {
        Some(items) => items.into_owned(),
        None => vec![v.clone()],
    }
}

impl Evaluator {
    /// A fresh evaluation.
    pub fn new(limits: Limits, host: crate::Host) -> Evaluator {
        Evaluator { depth: 0, limits, started: None, ticks: 0, host }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(Error::new(
                "U1001",
                "Stack overflow error: Check for non-terminating recursive function. Consider rewriting as tail-recursive.",
            ));
        }
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks % 1024 == 0
            && let Some(ms) = self.limits.time_limit_ms
            && self.started.get_or_insert_with(Instant::now).elapsed().as_millis() as u64 > ms
        {
            return Err(Error::new(
                "U1001",
                "Expression evaluation timeout: Check for infinite loop",
            ));
        }
        Ok(())
    }

    /// Evaluates `node` against `input`.
    pub fn eval(&mut self, node: &Node, input: &Value, env: &Frame) -> Result<Value> {
        // Leaves neither recurse nor loop: no depth, time or stack bookkeeping.
        match node {
            Node::Str(s) => return Ok(Value::String(s.clone())),
            Node::Num(n) => return Ok(Value::Number(*n)),
            Node::Bool(b) => return Ok(Value::Bool(*b)),
            Node::Null => return Ok(Value::Null),
            Node::Json(p) => return Ok(Value::Json(p.clone())),
            Node::Name(name) => return Ok(collapse(lookup(input, name))),
            Node::Var(name) => return Ok(collapse(self.var(name, input, env))),
            _ => {}
        }
        self.enter()?;
        let result =
            stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || self.eval_inner(node, input, env));
        self.depth -= 1;
        let result = result?;
        Ok(collapse(result))
    }

    /// `$name`: a variable, else a built-in; `$` alone is the context.
    fn var(&self, name: &str, input: &Value, env: &Frame) -> Value {
        if name.is_empty() {
            input.clone()
        } else {
            env.lookup(name).or_else(|| functions::builtin_value(name)).unwrap_or_default()
        }
    }

    fn eval_inner(&mut self, node: &Node, input: &Value, env: &Frame) -> Result<Value> {
        Ok(match node {
            Node::Str(s) => Value::String(s.clone()),
            Node::Num(n) => Value::Number(*n),
            Node::Bool(b) => Value::Bool(*b),
            Node::Null => Value::Null,
            Node::Json(p) => Value::Json(p.clone()),
            Node::Regex(p) => Value::function(Function::Regex(p.clone())),
            Node::Name(name) => lookup(input, name),
            Node::Var(name) => self.var(name, input, env),
            Node::Wildcard => wildcard(input),
            Node::Descendants => {
                let mut out = Vec::new();
                if !input.is_undefined() {
                    descendants(input, &mut out);
                }
                if out.len() == 1 { out.pop().unwrap_or_default() } else { Value::sequence(out) }
            }
            Node::Parent(_) => match env.lookup(PARENTS) {
                Some(v) => v.items().and_then(|i| i.last().cloned()).unwrap_or_default(),
                None => Value::Undefined,
            },
            Node::Path(p) => self.eval_path(p, input, env)?,
            Node::Binary(op, l, r) => self.binary(*op, l, r, input, env)?,
            Node::Neg(n) => match self.eval(n, input, env)? {
                Value::Undefined => Value::Undefined,
                Value::Number(x) => Value::Number(-x),
                _ => {
                    return Err(Error::new("D1002", "Cannot negate a non-numeric value"));
                }
            },
            Node::Array(items, cons) => {
                let mut out: Vec<Value> = Vec::new();
                for item in items {
                    let v = self.eval(item, input, env)?;
                    if v.is_undefined() {
                        continue;
                    }
                    if matches!(item, Node::Array(..)) {
                        out.push(v);
                    } else if let Some(inner) = v.items() {
                        out.extend(inner.iter().cloned());
                    } else {
                        out.push(v);
                    }
                }
                Value::Array(Rc::new(Array { items: out, cons: *cons, ..Array::default() }))
            }
            Node::Object(pairs) => {
                self.group(pairs, GroupInput::Values(sequence_items_or_undefined(input)), env)?
            }
            Node::Block(items) => {
                let frame = env.child();
                let mut last = Value::Undefined;
                for item in items {
                    last = self.eval(item, input, &frame)?;
                }
                last
            }
            Node::Condition(c, then, otherwise) => {
                let cond = self.eval(c, input, env)?;
                if boolean(&cond) {
                    self.eval(then, input, env)?
                } else if let Some(e) = otherwise {
                    self.eval(e, input, env)?
                } else {
                    Value::Undefined
                }
            }
            Node::Elvis(l, r) => {
                let v = self.eval(l, input, env)?;
                if boolean(&v) { v } else { self.eval(r, input, env)? }
            }
            Node::Coalesce(l, r) => {
                let v = self.eval(l, input, env)?;
                if v.is_undefined() { self.eval(r, input, env)? } else { v }
            }
            Node::Bind(name, value) => {
                let v = self.eval(value, input, env)?;
                env.bind(name.clone(), v.clone());
                v
            }
            Node::Apply(l, r) => {
                let lhs = self.eval(l, input, env)?;
                if let Node::Call { func, args, partial: false, .. } = &**r {
                    return self.call(func, args, false, false, input, env, Some(lhs));
                }
                let f = self.eval(r, input, env)?;
                if !f.is_function() {
                    return Err(Error::new(
                        "T2006",
                        "The right side of the function application operator ~> must be a function",
                    ));
                }
                if lhs.is_function() {
                    Value::function(Function::Chain(lhs, f))
                } else {
                    self.apply(&f, vec![lhs], input)?
                }
            }
            Node::Call { func, args, partial, tail } => {
                return self.call(func, args, *partial, *tail, input, env, None);
            }
            Node::Placeholder => Value::Undefined,
            Node::Lambda(def) => Value::function(Function::Lambda {
                def: def.clone(),
                env: env.clone(),
                input: input.clone(),
            }),
            Node::Transform(pattern, update, delete) => Value::function(Function::Transform(
                Rc::new(crate::transform::Transform {
                    pattern: (**pattern).clone(),
                    update: (**update).clone(),
                    delete: delete.as_deref().cloned(),
                }),
                env.clone(),
            )),
            Node::Sort(terms) => {
                let items = sequence_items(input);
                Value::sequence(self.sort_values(terms, items, env)?)
            }
            Node::Filtered(inner, stages) => {
                let mut v = self.eval(inner, input, env)?;
                for stage in stages {
                    if let Stage::Filter(pred) = stage {
                        v = self.filter(pred, &v, env)?;
                    }
                }
                v
            }
            Node::Grouped(inner, pairs) => {
                let v = self.eval(inner, input, env)?;
                self.group(pairs, GroupInput::Values(sequence_items_or_undefined(&v)), env)?
            }
            Node::Dot(..)
            | Node::Predicate(..)
            | Node::KeepArray(_)
            | Node::GroupBy(..)
            | Node::Focus(..)
            | Node::IndexBind(..)
            | Node::SortBy(..) => {
                return Err(Error::new("S0206", "Unknown expression type"));
            }
        })
    }

    // ----- paths ------------------------------------------------------------------------------

    fn eval_path(&mut self, p: &Path, input: &Value, env: &Frame) -> Result<Value> {
        let last = p.steps.len() - 1;
        let mut start = 0;
        let mut result = Value::Undefined;
        let mut input_seq: Vec<Value>;
        let first_var = matches!(p.steps[0].node, Node::Var(_));
        if p.is_simple() && (first_var || input.items().is_none()) {
            // The common case (`$states.input.n`, `a.b.c`): one value flows from step to step,
            // so no sequence is built until a step yields an array (or the path ends).
            let mut current = input.clone();
            loop {
                if start > last {
                    // Every step gave one value: the sequence of one the general loop would
                    // build collapses to it.
                    return Ok(current);
                }
                if !p.steps[start].is_simple() {
                    input_seq = vec![current];
                    break;
                }
                let res = self.eval(&p.steps[start].node, &current, env)?;
                if res.is_undefined() {
                    return Ok(Value::Undefined);
                }
                if !res.is_array() {
                    current = res;
                    start += 1;
                    continue;
                }
                // What [`Evaluator::step`] makes of one item's array result.
                result = if start == last && !res.is_sequence() {
                    res
                } else if matches!(&res, Value::Array(a) if a.cons) {
                    Value::sequence(vec![res])
                } else {
                    Value::sequence(sequence_items(&res))
                };
                start += 1;
                if result.is_empty() || start > last {
                    return Ok(result);
                }
                input_seq = sequence_items(&result);
                break;
            }
        } else {
            input_seq = if first_var { vec![input.clone()] } else { sequence_items(input) };
        }
        let mut tuple_stream = p.ancestry;
        let mut tuples: Option<Vec<Tuple>> = None;
        for (i, step) in p.steps.iter().enumerate().skip(start) {
            if step.tuple {
                tuple_stream = true;
            }
            if i == 0 && matches!(step.node, Node::Array(_, true)) {
                result = self.eval(&step.node, &Value::sequence(input_seq.clone()), env)?;
            } else if tuple_stream {
                tuples = Some(self.tuple_step_tracking(
                    step,
                    &input_seq,
                    tuples.take(),
                    env,
                    p.ancestry,
                )?);
            } else {
                result = self.step(step, &input_seq, env, i == last)?;
            }
            if !tuple_stream && (result.is_undefined() || (result.is_array() && result.is_empty()))
            {
                break;
            }
            if step.focus.is_none() && !tuple_stream {
                input_seq = sequence_items(&result);
            }
        }
        if tuple_stream {
            let tuples = tuples.unwrap_or_default();
            if let Some(group) = &p.group {
                return self.group(group, GroupInput::Tuples(tuples), env);
            }
            let mut seq = Array::sequence(tuples.into_iter().map(|t| t.focus).collect());
            seq.keep_singleton = p.keep_singleton;
            return Ok(Value::Array(Rc::new(seq)));
        }
        if p.keep_singleton {
            result = match result {
                Value::Array(a) if a.cons && !a.sequence => {
                    let mut seq = Array::sequence(vec![Value::Array(a)]);
                    seq.keep_singleton = true;
                    Value::Array(Rc::new(seq))
                }
                Value::Array(a) => {
                    let mut a = (*a).clone();
                    a.keep_singleton = true;
                    Value::Array(Rc::new(a))
                }
                Value::Undefined => Value::Undefined,
                other => {
                    let mut seq = Array::sequence(sequence_items(&other));
                    if !other.is_array() {
                        seq.items = vec![other];
                    }
                    seq.keep_singleton = true;
                    Value::Array(Rc::new(seq))
                }
            };
        }
        if let Some(group) = &p.group {
            return self.group(
                group,
                GroupInput::Values(sequence_items_or_undefined(&result)),
                env,
            );
        }
        Ok(result)
    }

    fn step(&mut self, step: &Step, input: &[Value], env: &Frame, last: bool) -> Result<Value> {
        if let Node::Sort(terms) = &step.node {
            let sorted = self.sort_values(terms, input.to_vec(), env)?;
            let mut v = Value::sequence(sorted);
            for stage in &step.stages {
                if let Stage::Filter(pred) = stage {
                    v = self.filter(pred, &v, env)?;
                }
            }
            return Ok(v);
        }
        let mut results = Vec::with_capacity(input.len());
        for item in input {
            let mut res = self.eval(&step.node, item, env)?;
            for stage in &step.stages {
                if let Stage::Filter(pred) = stage {
                    res = self.filter(pred, &res, env)?;
                }
            }
            if !res.is_undefined() {
                results.push(res);
            }
        }
        if last && results.len() == 1 && results[0].is_array() && !results[0].is_sequence() {
            return Ok(results.pop().unwrap_or_default());
        }
        let mut out = Vec::with_capacity(results.len());
        for res in results {
            let cons = matches!(&res, Value::Array(a) if a.cons);
            match res.items() {
                Some(items) if !cons => out.extend(items.iter().cloned()),
                _ => out.push(res),
            }
        }
        Ok(Value::sequence(out))
    }

    fn tuple_frame(&self, env: &Frame, t: &Tuple) -> Frame {
        let f = env.child();
        for (k, v) in &t.bindings {
            f.bind(k.clone(), v.clone());
        }
        if let Some(p) = &t.parents {
            f.bind(PARENTS, Value::array(p.to_vec()));
        }
        f
    }

    /// A path evaluated as a tuple stream (each value with its bindings and ancestors), for a
    /// step of an enclosing path that tracks ancestors.
    fn path_tuples(&mut self, p: &Path, input: &Value, env: &Frame) -> Result<Vec<Tuple>> {
        let parents = ancestors(env);
        let mut tuples: Option<Vec<Tuple>> = Some(vec![Tuple {
            focus: input.clone(),
            bindings: Vec::new(),
            parents: Some(parents),
            in_focus: false,
        }]);
        for step in &p.steps {
            tuples = Some(self.tuple_step(step, &[], tuples.take(), env)?);
        }
        Ok(tuples.unwrap_or_default())
    }

    /// The tuples a step's expression yields for one tuple, when that expression is a path
    /// (or a block ending in one) and ancestors are tracked through it.
    fn inner_tuples(
        &mut self,
        node: &Node,
        focus: &Value,
        frame: &Frame,
    ) -> Result<Option<Vec<Tuple>>> {
        match node {
            Node::Path(p) => self.path_tuples(p, focus, frame).map(Some),
            Node::Block(items) if matches!(items.last(), Some(Node::Path(_) | Node::Block(_))) => {
                let inner = frame.child();
                for item in &items[..items.len() - 1] {
                    self.eval(item, focus, &inner)?;
                }
                self.inner_tuples(&items[items.len() - 1], focus, &inner)
            }
            _ => Ok(None),
        }
    }

    fn tuple_step(
        &mut self,
        step: &Step,
        input: &[Value],
        tuples: Option<Vec<Tuple>>,
        env: &Frame,
    ) -> Result<Vec<Tuple>> {
        self.tuple_step_tracking(step, input, tuples, env, false)
    }

    fn tuple_step_tracking(
        &mut self,
        step: &Step,
        input: &[Value],
        tuples: Option<Vec<Tuple>>,
        env: &Frame,
        track: bool,
    ) -> Result<Vec<Tuple>> {
        let mut result = if let Node::Sort(terms) = &step.node {
            match tuples {
                Some(t) => self.sort_tuples(terms, t, env)?,
                None => {
                    let sorted = self.sort_values(terms, input.to_vec(), env)?;
                    sorted
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = Tuple {
                                focus: v,
                                bindings: Vec::new(),
                                parents: None,
                                in_focus: false,
                            };
                            if let Some(ix) = &step.index {
                                t.bind(ix, Value::Number(i as f64));
                            }
                            t
                        })
                        .collect()
                }
            }
        } else {
            let tuples = tuples.unwrap_or_else(|| {
                let parents = track.then(|| ancestors(env));
                input
                    .iter()
                    .map(|v| Tuple {
                        focus: v.clone(),
                        bindings: Vec::new(),
                        parents: parents.clone(),
                        in_focus: false,
                    })
                    .collect()
            });
            let mut out = Vec::new();
            for t in tuples {
                let frame = self.tuple_frame(env, &t);
                if let Node::Parent(_) = &step.node {
                    // `%` as a step: the focus moves up to the parent.
                    let Some(parents) = &t.parents else { continue };
                    let Some((last, rest)) = parents.split_last() else { continue };
                    let mut nt = t.clone();
                    nt.focus = last.clone();
                    nt.parents = Some(Rc::new(rest.to_vec()));
                    out.push(nt);
                    continue;
                }
                if t.parents.is_some()
                    && let Some(inner) = self.inner_tuples(&step.node, &t.focus, &frame)?
                {
                    for (i, it) in inner.into_iter().enumerate() {
                        let mut nt = t.clone();
                        for (k, v) in it.bindings {
                            nt.bind(&k, v);
                        }
                        match &step.focus {
                            Some(f) => nt.bind(f, it.focus),
                            None => {
                                nt.focus = it.focus;
                                nt.parents = it.parents;
                            }
                        }
                        if let Some(ix) = &step.index {
                            nt.bind(ix, Value::Number(i as f64));
                        }
                        out.push(nt);
                    }
                    continue;
                }
                let res = self.eval(&step.node, &t.focus, &frame)?;
                if res.is_undefined() {
                    continue;
                }
                let items = sequence_items(&res);
                let child_parents = t.parents.as_ref().map(|p| {
                    let mut v = p.to_vec();
                    v.push(t.focus.clone());
                    Rc::new(v)
                });
                for (i, item) in items.into_iter().enumerate() {
                    let mut nt = t.clone();
                    match &step.focus {
                        Some(f) => {
                            nt.bind(f, item);
                            if !t.in_focus {
                                nt.parents = child_parents.clone();
                            }
                            nt.in_focus = true;
                        }
                        None => {
                            nt.focus = item;
                            nt.parents = child_parents.clone();
                            nt.in_focus = false;
                        }
                    }
                    if let Some(ix) = &step.index {
                        nt.bind(ix, Value::Number(i as f64));
                    }
                    out.push(nt);
                }
            }
            out
        };
        for stage in &step.stages {
            match stage {
                Stage::Filter(pred) => result = self.filter_tuples(pred, result, env)?,
                Stage::Index(name) => {
                    for (i, t) in result.iter_mut().enumerate() {
                        t.bind(name, Value::Number(i as f64));
                    }
                }
            }
        }
        Ok(result)
    }

    /// `[predicate]` over a value: a number picks by position (negative from the end), an
    /// array of numbers picks each, anything else keeps the items it is true for.
    fn filter(&mut self, pred: &Node, input: &Value, env: &Frame) -> Result<Value> {
        let items = sequence_items(input);
        let len = items.len() as f64;
        let mut out = Vec::new();
        if let Node::Num(n) = pred {
            let mut index = n.floor();
            if index < 0.0 {
                index += len;
            }
            if index >= 0.0
                && let Some(item) = items.get(index as usize)
            {
                if item.is_array() {
                    return Ok(item.clone());
                }
                out.push(item.clone());
            }
            return Ok(Value::sequence(out));
        }
        for (index, item) in items.iter().enumerate() {
            let res = self.eval(pred, item, env)?;
            if keep(&res, index, len) {
                out.push(item.clone());
            }
        }
        Ok(Value::sequence(out))
    }

    fn filter_tuples(&mut self, pred: &Node, input: Vec<Tuple>, env: &Frame) -> Result<Vec<Tuple>> {
        let len = input.len() as f64;
        if let Node::Num(n) = pred {
            let mut index = n.floor();
            if index < 0.0 {
                index += len;
            }
            return Ok(if index >= 0.0 {
                input.into_iter().nth(index as usize).into_iter().collect()
            } else {
                Vec::new()
            });
        }
        let mut out = Vec::new();
        for (index, t) in input.into_iter().enumerate() {
            let frame = self.tuple_frame(env, &t);
            let res = self.eval(pred, &t.focus, &frame)?;
            if keep(&res, index, len) {
                out.push(t);
            }
        }
        Ok(out)
    }

    // ----- sorting and grouping ------------------------------------------------------------

    fn sort_key_compare(
        &mut self,
        terms: &[SortTerm],
        a: (&Value, &Frame),
        b: (&Value, &Frame),
    ) -> Result<std::cmp::Ordering> {
        use std::cmp::Ordering;
        for term in terms {
            let aa = self.eval(&term.expr, a.0, a.1)?;
            let bb = self.eval(&term.expr, b.0, b.1)?;
            let ord = match (&aa, &bb) {
                (Value::Undefined, Value::Undefined) => continue,
                (Value::Undefined, _) => return Ok(Ordering::Greater),
                (_, Value::Undefined) => return Ok(Ordering::Less),
                (Value::Number(x), Value::Number(y)) => x.partial_cmp(y).unwrap_or(Ordering::Equal),
                (Value::String(x), Value::String(y)) => x.cmp(y),
                (Value::Number(_) | Value::String(_), Value::Number(_) | Value::String(_)) => {
                    return Err(Error::new(
                        "T2007",
                        "Type mismatch when comparing values in order-by clause",
                    ));
                }
                _ => {
                    return Err(Error::new(
                        "T2008",
                        "The expressions within an order-by clause must evaluate to numeric or string values",
                    ));
                }
            };
            if ord != Ordering::Equal {
                return Ok(if term.descending { ord.reverse() } else { ord });
            }
        }
        Ok(Ordering::Equal)
    }

    fn sort_values(
        &mut self,
        terms: &[SortTerm],
        items: Vec<Value>,
        env: &Frame,
    ) -> Result<Vec<Value>> {
        merge_sort(items, &mut |a, b| self.sort_key_compare(terms, (a, env), (b, env)))
    }

    fn sort_tuples(
        &mut self,
        terms: &[SortTerm],
        items: Vec<Tuple>,
        env: &Frame,
    ) -> Result<Vec<Tuple>> {
        merge_sort(items, &mut |a, b| {
            let fa = self.tuple_frame(env, a);
            let fb = self.tuple_frame(env, b);
            self.sort_key_compare(terms, (&a.focus, &fa), (&b.focus, &fb))
        })
    }

    fn group(&mut self, pairs: &[(Node, Node)], input: GroupInput, env: &Frame) -> Result<Value> {
        // The common object constructor (`{"a": x, "b": y}` on one context): keys written as
        // distinct strings group nothing, so each value is evaluated once against the context.
        if let GroupInput::Values(items) = &input
            && items.len() == 1
            && pairs.iter().enumerate().all(|(i, (k, _))| {
                matches!(k, Node::Str(key)
                    if !pairs[..i].iter().any(|(p, _)| matches!(p, Node::Str(q) if q == key)))
            })
        {
            let item = &items[0];
            let mut out = Vec::with_capacity(pairs.len());
            for (k, v) in pairs {
                let Node::Str(key) = k else { unreachable!("checked above") };
                let v = self.eval(v, item, env)?;
                if !v.is_undefined() {
                    out.push((key.clone(), v));
                }
            }
            return Ok(crate::value::object_of(out));
        }
        // key -> (items, which pair)
        let mut groups: Vec<(Arc<str>, GroupData, usize)> = Vec::new();
        let mut index: HashMap<Arc<str>, usize> = HashMap::new();
        let entries: Vec<(Value, Option<Tuple>)> = match input {
            GroupInput::Values(v) => v.into_iter().map(|v| (v, None)).collect(),
            GroupInput::Tuples(t) => {
                if t.is_empty() {
                    vec![(Value::Undefined, None)]
                } else {
                    t.into_iter().map(|t| (t.focus.clone(), Some(t))).collect()
                }
            }
        };
        for (item, tuple) in &entries {
            let frame = match tuple {
                Some(t) => self.tuple_frame(env, t),
                None => env.clone(),
            };
            for (pi, (k, _)) in pairs.iter().enumerate() {
                let key = self.eval(k, item, &frame)?;
                let key: Arc<str> = match key {
                    Value::Undefined => continue,
                    Value::String(s) => s,
                    _ => {
                        return Err(Error::new(
                            "T1003",
                            "Key in object structure must evaluate to a string",
                        ));
                    }
                };
                match index.get(&key) {
                    Some(&gi) => {
                        if groups[gi].2 != pi {
                            return Err(Error::new(
                                "D1009",
                                format!("Multiple key definitions evaluate to same key: \"{key}\""),
                            ));
                        }
                        groups[gi].1.push(item.clone(), tuple.clone());
                    }
                    None => {
                        index.insert(key.clone(), groups.len());
                        let mut data = GroupData::default();
                        data.push(item.clone(), tuple.clone());
                        groups.push((key, data, pi));
                    }
                }
            }
        }
        let mut out = Map::default();
        for (key, data, pi) in groups {
            let (context, frame) = if data.tuples.iter().any(Option::is_some) {
                // Reduce the tuples: each binding becomes the sequence of its values.
                let mut merged: Vec<(Arc<str>, Vec<Value>)> = Vec::new();
                for t in data.tuples.iter().flatten() {
                    for (k, v) in &t.bindings {
                        match merged.iter_mut().find(|(n, _)| n == k) {
                            Some(slot) => slot.1.push(v.clone()),
                            None => merged.push((k.clone(), vec![v.clone()])),
                        }
                    }
                }
                let f = env.child();
                for (k, vs) in merged {
                    f.bind(k, append_all(vs));
                }
                (append_all(data.items), f)
            } else {
                (append_all(data.items), env.clone())
            };
            let v = self.eval(&pairs[pi].1, &context, &frame)?;
            if !v.is_undefined() {
                out.insert(key, v);
            }
        }
        Ok(Value::Object(Rc::new(out)))
    }

    // ----- operators ---------------------------------------------------------------------

    fn binary(
        &mut self,
        op: BinOp,
        l: &Node,
        r: &Node,
        input: &Value,
        env: &Frame,
    ) -> Result<Value> {
        match op {
            BinOp::And => {
                let a = self.eval(l, input, env)?;
                if !boolean(&a) {
                    return Ok(Value::Bool(false));
                }
                let b = self.eval(r, input, env)?;
                return Ok(Value::Bool(boolean(&b)));
            }
            BinOp::Or => {
                let a = self.eval(l, input, env)?;
                if boolean(&a) {
                    return Ok(Value::Bool(true));
                }
                let b = self.eval(r, input, env)?;
                return Ok(Value::Bool(boolean(&b)));
            }
            _ => {}
        }
        let a = self.eval(l, input, env)?;
        let b = self.eval(r, input, env)?;
        binary_values(op, &a, &b)
    }

    // ----- functions ---------------------------------------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn call(
        &mut self,
        func: &Node,
        args: &[Node],
        partial: bool,
        tail: bool,
        input: &Value,
        env: &Frame,
        first: Option<Value>,
    ) -> Result<Value> {
        let f = self.eval(func, input, env)?;
        if !f.is_function() {
            let name = callee_name(func)
                .filter(|n| env.lookup(n).is_some() || functions::builtin(n).is_some());
            if partial {
                return Err(match (f.is_undefined(), name) {
                    (true, Some(n)) => Error::new(
                        "T1007",
                        format!("Attempted to partially apply a non-function. Did you mean ${n}?"),
                    ),
                    _ => Error::new("T1008", "Attempted to partially apply a non-function"),
                });
            }
            return Err(match (f.is_undefined(), name) {
                (true, Some(n)) => Error::new(
                    "T1005",
                    format!("Attempted to invoke a non-function. Did you mean ${n}?"),
                ),
                _ => Error::new("T1006", "Attempted to invoke a non-function"),
            });
        }
        let mut values = Vec::with_capacity(args.len() + 1);
        if let Some(v) = first {
            values.push(v);
        }
        if partial {
            let mut slots = Vec::with_capacity(args.len() + 1);
            slots.extend(values.into_iter().map(Some));
            for a in args {
                if matches!(a, Node::Placeholder) {
                    slots.push(None);
                } else {
                    slots.push(Some(self.eval(a, input, env)?));
                }
            }
            return Ok(Value::function(Function::Partial { func: f, args: slots }));
        }
        for a in args {
            values.push(self.eval(a, input, env)?);
        }
        if tail && matches!(&f, Value::Function(func) if matches!(**func, Function::Lambda { .. }))
        {
            return Ok(Value::function(Function::Thunk(f, values)));
        }
        self.apply(&f, values, input)
    }

    /// Calls a function value with arguments; `input` is the caller's context (for `-`
    /// parameters of built-ins).
    pub fn apply(&mut self, f: &Value, args: Vec<Value>, input: &Value) -> Result<Value> {
        let mut result = self.apply_once(f, args, input)?;
        loop {
            let next = match &result {
                Value::Function(func) => match &**func {
                    Function::Thunk(f, args) => Some((f.clone(), args.clone())),
                    _ => None,
                },
                _ => None,
            };
            let Some((f, args)) = next else { break };
            self.enter()?;
            self.depth -= 1;
            result = self.apply_once(&f, args, input)?;
        }
        Ok(result)
    }

    fn apply_once(&mut self, f: &Value, args: Vec<Value>, input: &Value) -> Result<Value> {
        let Value::Function(func) = f else {
            return Err(Error::new("T1006", "Attempted to invoke a non-function"));
        };
        stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || self.apply_function(func, args, input))
    }

    fn apply_function(
        &mut self,
        func: &Rc<Function>,
        args: Vec<Value>,
        input: &Value,
    ) -> Result<Value> {
        match &**func {
            Function::Lambda { def, env, input: defined_in } => {
                let args = match &def.signature {
                    Some(sig) => sig.validate(args, input, "lambda")?,
                    None => args,
                };
                let frame = env.child();
                let mut args = args.into_iter();
                for p in &def.params {
                    frame.bind(p.clone(), args.next().unwrap_or_default());
                }
                let r = self.eval(&def.body, defined_in, &frame)?;
                Ok(r)
            }
            Function::Builtin(b) => {
                let args = b.signature().validate(args, input, b.name)?;
                (b.f)(self, args, input)
            }
            Function::Native(n) => {
                n.call(&args).map(|v| v.map(|p| Value::from_payload(&p)).unwrap_or_default())
            }
            Function::Partial { func, args: slots } => {
                let mut given = args.into_iter();
                let mut full = Vec::with_capacity(slots.len());
                for s in slots {
                    full.push(match s {
                        Some(v) => v.clone(),
                        None => given.next().unwrap_or_default(),
                    });
                }
                full.extend(given);
                self.apply(func, full, input)
            }
            Function::Regex(p) => {
                let text = match args.first() {
                    Some(Value::String(s)) => s.clone(),
                    _ => return Ok(Value::Undefined),
                };
                Ok(match p.find_at(&text, 0) {
                    Some(m) => functions::match_object(&text, &m),
                    None => Value::Undefined,
                })
            }
            Function::Chain(f, g) => {
                let mid = self.apply(f, args, input)?;
                self.apply(g, vec![mid], input)
            }
            Function::Transform(t, env) => {
                let target = args.into_iter().next().unwrap_or_default();
                crate::transform::run(self, t, env, target)
            }
            Function::Thunk(f, args) => self.apply(f, args.clone(), input),
        }
    }

    /// How many parameters a function value declares (for `$map` and friends).
    pub fn arity(&self, f: &Value) -> usize {
        match f {
            Value::Function(func) => match &**func {
                Function::Lambda { def, .. } => def.params.len(),
                Function::Builtin(b) => b.signature().required(),
                Function::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
                Function::Native(_) => 1,
                Function::Regex(_) | Function::Transform(..) => 1,
                Function::Chain(f, _) => self.arity(f),
                Function::Thunk(..) => 0,
            },
            _ => 0,
        }
    }
}

enum GroupInput {
    Values(Vec<Value>),
    Tuples(Vec<Tuple>),
}

#[derive(Default)]
struct GroupData {
    items: Vec<Value>,
    tuples: Vec<Option<Tuple>>,
}

impl GroupData {
    fn push(&mut self, v: Value, t: Option<Tuple>) {
        self.items.push(v);
        self.tuples.push(t);
    }
}

/// One value for a group: a single item as itself, several appended into one sequence.
fn append_all(items: Vec<Value>) -> Value {
    if items.len() == 1 {
        return items.into_iter().next().unwrap_or_default();
    }
    let mut out = Vec::new();
    for v in items {
        match v.items() {
            Some(inner) => out.extend(inner.iter().cloned()),
            None if v.is_undefined() => {}
            None => out.push(v),
        }
    }
    Value::sequence(out)
}

fn sequence_items_or_undefined(v: &Value) -> Vec<Value> {
    match v {
        Value::Undefined => vec![Value::Undefined],
        _ => match v.items() {
            Some(items) if items.is_empty() => vec![Value::Undefined],
            Some(items) => items.into_owned(),
            None => vec![v.clone()],
        },
    }
}

fn keep(res: &Value, index: usize, len: f64) -> bool {
    let picks = |n: f64| {
        let mut i = n.floor();
        if i < 0.0 {
            i += len;
        }
        i == index as f64
    };
    match res {
        Value::Number(n) => picks(*n),
        _ if res.is_array() => {
            let items = res.items().unwrap_or_default();
            if !items.is_empty() && items.iter().all(|v| matches!(v, Value::Number(_))) {
                items.iter().any(|v| picks(v.as_f64().unwrap_or(f64::NAN)))
            } else if items.is_empty() {
                false
            } else {
                boolean(res)
            }
        }
        _ => boolean(res),
    }
}

/// A sequence of one value is that value; an empty sequence is nothing.
pub(crate) fn collapse(v: Value) -> Value {
    if let Value::Array(a) = &v
        && a.sequence
        && !a.tuples
    {
        if a.items.is_empty() {
            return Value::Undefined;
        }
        if a.items.len() == 1 && !a.keep_singleton {
            return a.items[0].clone();
        }
    }
    v
}

fn callee_name(func: &Node) -> Option<&str> {
    match func {
        Node::Path(p) if p.steps.len() == 1 => match &p.steps[0].node {
            Node::Name(n) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

/// A field of an object, or of each object in an array (flattened).
pub(crate) fn lookup(input: &Value, key: &str) -> Value {
    match input {
        Value::Array(_) | Value::Json(stepwise_value::Payload::Array(_)) => {
            let mut out = Vec::new();
            for item in input.items().unwrap_or_default().iter() {
                let v = lookup(item, key);
                match v.items() {
                    Some(inner) => out.extend(inner.iter().cloned()),
                    None if v.is_undefined() => {}
                    None => out.push(v),
                }
            }
            Value::sequence(out)
        }
        _ => input.field(key),
    }
}

fn flatten_into(v: Value, out: &mut Vec<Value>) {
    match v.items() {
        Some(items) => {
            for i in items.iter() {
                flatten_into(i.clone(), out);
            }
        }
        None => out.push(v),
    }
}

fn wildcard(input: &Value) -> Value {
    let mut out = Vec::new();
    let input = match input {
        Value::Array(a) if !a.items.is_empty() && a.outer_wrapper => a.items[0].clone(),
        other => other.clone(),
    };
    if input.is_object() {
        for (_, v) in input.entries() {
            if v.is_array() {
                flatten_into(v, &mut out);
            } else {
                out.push(v);
            }
        }
    } else if let Some(items) = input.items() {
        for v in items.iter() {
            flatten_into(v.clone(), &mut out);
        }
    }
    Value::sequence(out)
}

fn descendants(input: &Value, out: &mut Vec<Value>) {
    if let Some(items) = input.items() {
        for v in items.iter() {
            descendants(v, out);
        }
        return;
    }
    out.push(input.clone());
    if input.is_object() {
        for (_, v) in input.entries() {
            descendants(&v, out);
        }
    }
}

/// A stable merge sort with a fallible comparator (sort keys and `$sort`'s function may
/// throw); `Greater` puts the right-hand item first.
pub(crate) fn merge_sort<T: Clone>(
    items: Vec<T>,
    cmp: &mut dyn FnMut(&T, &T) -> Result<std::cmp::Ordering>,
) -> Result<Vec<T>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mid = items.len() / 2;
    let right = items[mid..].to_vec();
    let mut left = items;
    left.truncate(mid);
    let left = merge_sort(left, cmp)?;
    let right = merge_sort(right, cmp)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if cmp(&left[i], &right[j])? == std::cmp::Ordering::Greater {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

/// The number of a value for arithmetic, with JSONata's errors for each side.
fn arith_operand(v: &Value, left: bool, op: BinOp) -> Result<Option<f64>> {
    match v {
        Value::Undefined => Ok(None),
        Value::Number(n) if !n.is_finite() => {
            Err(Error::new("D1001", format!("Number out of range: {n}")))
        }
        Value::Number(n) => Ok(Some(*n)),
        _ => Err(Error::new(
            if left { "T2001" } else { "T2002" },
            format!(
                "The {} side of the \"{}\" operator must evaluate to a number",
                if left { "left" } else { "right" },
                op.symbol()
            ),
        )),
    }
}

/// A binary operator on two evaluated operands.
pub(crate) fn binary_values(op: BinOp, a: &Value, b: &Value) -> Result<Value> {
    Ok(match op {
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Mod => {
            let x = arith_operand(a, true, op)?;
            let y = arith_operand(b, false, op)?;
            let (Some(x), Some(y)) = (x, y) else { return Ok(Value::Undefined) };
            let r = match op {
                BinOp::Add => x + y,
                BinOp::Sub => x - y,
                BinOp::Mul => x * y,
                BinOp::Div => x / y,
                _ => x % y,
            };
            Value::Number(r)
        }
        BinOp::Eq | BinOp::Ne => {
            if a.is_undefined() || b.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let eq = deep_equal(a, b);
            Value::Bool(if op == BinOp::Eq { eq } else { !eq })
        }
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let comparable =
                |v: &Value| matches!(v, Value::Undefined | Value::Number(_) | Value::String(_));
            if !comparable(a) || !comparable(b) {
                return Err(Error::new(
                    "T2010",
                    format!(
                        "The expressions either side of operator \"{}\" must evaluate to numeric or string values",
                        op.symbol()
                    ),
                ));
            }
            let ord = match (a, b) {
                (Value::Undefined, _) | (_, Value::Undefined) => return Ok(Value::Undefined),
                (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
                (Value::String(x), Value::String(y)) => Some(x.cmp(y)),
                _ => {
                    return Err(Error::new(
                        "T2009",
                        format!(
                            "The values either side of operator \"{}\" must be of the same data type",
                            op.symbol()
                        ),
                    ));
                }
            };
            let Some(ord) = ord else { return Ok(Value::Bool(false)) };
            use std::cmp::Ordering::*;
            Value::Bool(match op {
                BinOp::Lt => ord == Less,
                BinOp::Le => ord != Greater,
                BinOp::Gt => ord == Greater,
                _ => ord != Less,
            })
        }
        BinOp::Concat => {
            let s = |v: &Value| -> Result<String> {
                Ok(if v.is_undefined() { String::new() } else { functions::to_string(v)? })
            };
            Value::string(s(a)? + &s(b)?)
        }
        BinOp::In => {
            if a.is_undefined() || b.is_undefined() {
                return Ok(Value::Bool(false));
            }
            let items = sequence_items(b);
            Value::Bool(items.iter().any(|v| match (a, v) {
                (Value::Number(_) | Value::String(_) | Value::Bool(_) | Value::Null, _) => {
                    deep_equal(a, v)
                }
                _ => a.node_id().is_some() && a.node_id() == v.node_id(),
            }))
        }
        BinOp::Range => {
            let int = |v: &Value, code: &'static str, side: &str| -> Result<Option<f64>> {
                match v {
                    Value::Undefined => Ok(None),
                    Value::Number(n) if n.fract() == 0.0 => Ok(Some(*n)),
                    _ => Err(Error::new(
                        code,
                        format!(
                            "The {side} side of the range operator (..) must evaluate to an integer"
                        ),
                    )),
                }
            };
            let x = int(a, "T2003", "left")?;
            let y = int(b, "T2004", "right")?;
            let (Some(x), Some(y)) = (x, y) else { return Ok(Value::Undefined) };
            if x > y {
                return Ok(Value::Undefined);
            }
            let size = y - x + 1.0;
            if size > 1e7 {
                return Err(Error::new(
                    "D2014",
                    format!(
                        "The size of the sequence allocated by the range operator (..) must not exceed 1e7. Attempted to allocate {size}."
                    ),
                ));
            }
            let mut out = Vec::with_capacity(size as usize);
            let mut n = x;
            while n <= y {
                out.push(Value::Number(n));
                n += 1.0;
            }
            Value::array(out)
        }
        BinOp::And | BinOp::Or => Value::Bool(if op == BinOp::And {
            boolean(a) && boolean(b)
        } else {
            boolean(a) || boolean(b)
        }),
    })
}
