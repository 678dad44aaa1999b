//! JSONPath as Step Functions uses it (Jayway-like), compiled once per definition.
//!
//! Supported: `$`, `.name`, `['name']`, `["name"]`, `[n]` (negative counts from the end), `[*]`,
//! `.*`, `..name` / `..*` / `..[n]` (recursive descent), `[start:end:step]` slices,
//! `[a,b]` unions of names or indexes, and filters `[?(@.x <op> literal)]` with `&&`, `||`, `!`
//! and parentheses. A path without wildcards, slices, unions, filters or descent is *definite*:
//! it selects one value or fails. An indefinite path selects a list (possibly empty), which is
//! returned as a JSON array, as Jayway does. See docs/decisions/0005-jsonpath.md.

use std::sync::Arc;

use serde_json::Value;

use crate::value::Payload;

/// A compiled JSONPath.
#[derive(Debug, Clone, PartialEq)]
pub struct Path {
    text: String,
    segments: Vec<Segment>,
    definite: bool,
    /// `$name...`: the path selects inside the workflow variable `name`, not the input.
    var: Option<Arc<str>>,
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    /// A key, shared so that writing it into an object allocates nothing.
    Name(Arc<str>),
    Index(i64),
    Wildcard,
    Slice(Option<i64>, Option<i64>, i64),
    Union(Vec<Key>),
    Filter(Filter),
    /// Recursive descent followed by a selector.
    Descend(Box<Segment>),
}

#[derive(Debug, Clone, PartialEq)]
enum Key {
    Name(String),
    Index(i64),
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Or(Box<Filter>, Box<Filter>),
    And(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Exists(Operand),
    Compare(Operand, Cmp, Operand),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone, PartialEq)]
enum Operand {
    /// `@...` relative to the current item.
    Current(Vec<Segment>),
    /// `$...` relative to the root.
    Root(Vec<Segment>),
    Literal(Payload),
}

/// A reference path that cannot be written into the target (a node on the way is not an
/// object, or an index is out of bounds): `States.ResultPathMatchFailure`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotSettable;

/// Why a path text is not a JSONPath.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathSyntaxError(pub String);

impl std::fmt::Display for PathSyntaxError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Path {
    /// Compiles `text`, which must start with `$`. `$name...` (a letter or `_` after the `$`)
    /// reads the workflow variable `name` ("Passing data between states with variables"): the
    /// segments then apply to the variable's value; see [`Path::variable`].
    pub fn parse(text: &str) -> Result<Path, PathSyntaxError> {
        let mut p = Parser { s: text.as_bytes(), i: 0, text };
        if !p.eat(b'$') {
            return Err(PathSyntaxError(format!("a path must start with '$': {text:?}")));
        }
        let var = p.variable_name().map(Arc::from);
        let segments = p.segments(false)?;
        if p.i != p.s.len() {
            return Err(p.err("unexpected character"));
        }
        let definite = segments.iter().all(|s| matches!(s, Segment::Name(_) | Segment::Index(_)));
        Ok(Path { text: text.to_owned(), segments, definite, var })
    }

    /// The workflow variable the path reads (`$order.id` → `order`); `None` for the input.
    pub fn variable(&self) -> Option<&Arc<str>> {
        self.var.as_ref()
    }

    /// Compiles a reference path (ResultPath): definite only.
    pub fn parse_reference(text: &str) -> Result<Path, PathSyntaxError> {
        let path = Path::parse(text)?;
        if !path.definite {
            return Err(PathSyntaxError(format!(
                "a reference path must identify a single node (no wildcards, filters, slices, unions or '..'): {text:?}"
            )));
        }
        Ok(path)
    }

    /// The path as written.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Jayway's normalized form of a definite path, as AWS quotes it in causes: `$['a'][0]`.
    pub fn normalized(&self) -> String {
        let mut out = String::from("$");
        if let Some(v) = &self.var {
            out.push_str(v);
        }
        for seg in &self.segments {
            match seg {
                Segment::Name(n) => out.push_str(&format!("['{n}']")),
                Segment::Index(i) => out.push_str(&format!("[{i}]")),
                _ => return self.text.clone(),
            }
        }
        out
    }

    /// When the path starts with these names (`$.Execution.Input...`), the rest of it.
    pub fn strip_names(&self, names: &[&str]) -> Option<Path> {
        if self.segments.len() < names.len() {
            return None;
        }
        for (seg, name) in self.segments.iter().zip(names) {
            if !matches!(seg, Segment::Name(n) if &**n == *name) {
                return None;
            }
        }
        let segments = self.segments[names.len()..].to_vec();
        let definite = segments.iter().all(|s| matches!(s, Segment::Name(_) | Segment::Index(_)));
        Some(Path { text: self.text.clone(), segments, definite, var: self.var.clone() })
    }

    /// Whether the path could select something that contains `$.first.second` (it is `$`,
    /// `$.first`, or goes through a wildcard or descent at those levels).
    pub fn may_contain(&self, first: &str, second: &str) -> bool {
        let names = [first, second];
        for (i, seg) in self.segments.iter().enumerate() {
            match seg {
                Segment::Name(n) if i < 2 && &**n == names[i] => continue,
                Segment::Name(_) | Segment::Index(_) => return false,
                _ => return true,
            }
        }
        self.segments.len() < 2
    }

    /// The names of a path of two or three plain names (`$.State.Name` → `[State, Name]`).
    pub fn short_names(&self) -> Option<ShortNames<'_>> {
        if !(2..=3).contains(&self.segments.len()) {
            return None;
        }
        let mut names = ShortNames { names: [""; 3], len: 0 };
        for seg in &self.segments {
            let Segment::Name(n) = seg else { return None };
            names.names[names.len] = n;
            names.len += 1;
        }
        Some(names)
    }

    /// The first segment when it is a plain name (`$.State.Name` → `State`).
    pub fn first_name(&self) -> Option<&str> {
        match self.segments.first() {
            Some(Segment::Name(n)) => Some(&**n),
            _ => None,
        }
    }

    /// `$` alone (not `$name`, which is a variable).
    pub fn is_root(&self) -> bool {
        self.segments.is_empty() && self.var.is_none()
    }

    /// Whether the path selects exactly one node (or fails).
    pub fn is_definite(&self) -> bool {
        self.definite
    }

    /// Selects from `root`. `None` when a definite path finds nothing; an indefinite path always
    /// yields an array (Jayway's list), possibly empty.
    pub fn select(&self, root: &Payload) -> Option<Payload> {
        if self.definite {
            return self.select_ref(root).cloned();
        }
        let mut out = Vec::new();
        collect(&self.segments, root, root, &mut out);
        Some(Payload::array(out.into_iter().cloned().collect()))
    }

    /// Borrowing selection for definite paths (no copy); `None` for a miss or indefinite path.
    pub fn select_ref<'v>(&self, root: &'v Payload) -> Option<&'v Payload> {
        if !self.definite {
            return None;
        }
        let mut cur = root;
        for seg in &self.segments {
            cur = match seg {
                Segment::Name(n) => cur.as_object()?.get(n)?,
                Segment::Index(i) => index(cur.as_array()?, *i)?,
                _ => return None,
            };
        }
        Some(cur)
    }

    /// The key of a path that is one name below the root (`$.name`, the usual ResultPath).
    #[inline]
    pub fn single_name(&self) -> Option<&Arc<str>> {
        match self.segments.as_slice() {
            [Segment::Name(n)] if self.var.is_none() => Some(n),
            _ => None,
        }
    }

    /// Writes `value` at this (definite) path inside `target`, creating objects on the way.
    /// Fails when a node on the way is not an object (or not an array for an index), leaving
    /// `target` as it was.
    pub fn set(&self, target: &mut Payload, value: Payload) -> Result<(), NotSettable> {
        if !self.settable(target) {
            return Err(NotSettable);
        }
        // Only the spine from the root to the written node is copied (copy-on-write); a new
        // last field over a shared object is a layer, not a copy.
        let Some((last, spine)) = self.segments.split_last() else {
            *target = value;
            return Ok(());
        };
        let mut cur = target;
        for seg in spine {
            cur = match seg {
                Segment::Name(n) => {
                    let Payload::Object(map) = cur else { return Err(NotSettable) };
                    crate::value::make_mut_object(map, 1)
                        .get_or_insert_with(n, Payload::empty_object)
                }
                Segment::Index(i) => array_slot(cur, *i)?,
                _ => return Err(NotSettable),
            };
        }
        match last {
            // The last name is written directly: no placeholder object made and dropped.
            // The object moves into `set_field` (and into the layer it makes), so the write
            // counts no reference of its own.
            Segment::Name(n) => match std::mem::take(cur) {
                Payload::Object(map) => {
                    *cur = Payload::Object(crate::value::set_field(map, n, value))
                }
                other => {
                    *cur = other;
                    return Err(NotSettable);
                }
            },
            Segment::Index(i) => *array_slot(cur, *i)? = value,
            _ => return Err(NotSettable),
        }
        Ok(())
    }
}

impl Path {
    /// Whether [`Path::set`] can write inside `target`, found by reading only (so a failed write
    /// changes nothing): every node on the way is an object (a missing one will be created as
    /// one) or, for an index, an array holding that index.
    fn settable(&self, target: &Payload) -> bool {
        let Some((last, spine)) = self.segments.split_last() else { return true };
        // `None`: inside an object the write will create.
        let mut cur = Some(target);
        for seg in spine {
            cur = match (seg, cur) {
                (Segment::Name(n), Some(Payload::Object(o))) => o.get(n),
                (Segment::Name(_), None) => None,
                (Segment::Index(i), Some(Payload::Array(items))) => match index(items, *i) {
                    Some(item) => Some(item),
                    None => return false,
                },
                _ => return false,
            };
        }
        // The last node is written, not read: a name needs an object to write into (or one the
        // write creates), an index an array that holds it.
        match (last, cur) {
            (Segment::Name(_), Some(Payload::Object(_)) | None) => true,
            (Segment::Index(i), Some(Payload::Array(items))) => index(items, *i).is_some(),
            _ => false,
        }
    }
}

/// The element `i` of an array (negative counts from the end), copied on write.
fn array_slot(cur: &mut Payload, i: i64) -> Result<&mut Payload, NotSettable> {
    let Payload::Array(items) = cur else { return Err(NotSettable) };
    let items = Arc::make_mut(items);
    let len = items.len() as i64;
    let at = if i < 0 { len + i } else { i };
    if at < 0 || at >= len {
        return Err(NotSettable);
    }
    items.get_mut(at as usize).ok_or(NotSettable)
}

fn index(items: &[Payload], i: i64) -> Option<&Payload> {
    let at = if i < 0 { items.len() as i64 + i } else { i };
    if at < 0 {
        return None;
    }
    items.get(at as usize)
}

fn collect<'v>(segs: &[Segment], root: &'v Payload, cur: &'v Payload, out: &mut Vec<&'v Payload>) {
    let Some((first, rest)) = segs.split_first() else {
        out.push(cur);
        return;
    };
    match first {
        Segment::Descend(sel) => {
            let mut stack = vec![cur];
            let mut nodes = Vec::new();
            while let Some(node) = stack.pop() {
                nodes.push(node);
                match node {
                    Payload::Object(m) => stack.extend(m.values().rev()),
                    Payload::Array(a) => stack.extend(a.iter().rev()),
                    _ => {}
                }
            }
            for node in nodes {
                let mut picked = Vec::new();
                step(sel, root, node, &mut picked);
                for v in picked {
                    collect(rest, root, v, out);
                }
            }
        }
        other => {
            let mut picked = Vec::new();
            step(other, root, cur, &mut picked);
            for v in picked {
                collect(rest, root, v, out);
            }
        }
    }
}

fn step<'v>(seg: &Segment, root: &'v Payload, cur: &'v Payload, out: &mut Vec<&'v Payload>) {
    match seg {
        Segment::Name(n) => {
            if let Some(v) = cur.as_object().and_then(|m| m.get(n)) {
                out.push(v)
            }
        }
        Segment::Index(i) => {
            if let Some(v) = cur.as_array().and_then(|a| index(a, *i)) {
                out.push(v)
            }
        }
        Segment::Wildcard => match cur {
            Payload::Object(m) => out.extend(m.values()),
            Payload::Array(a) => out.extend(a.iter()),
            _ => {}
        },
        Segment::Slice(start, end, stride) => {
            if let Payload::Array(a) = cur {
                let len = a.len() as i64;
                let norm = |x: i64| if x < 0 { (len + x).max(0) } else { x.min(len) };
                if *stride > 0 {
                    let (s, e) = (norm(start.unwrap_or(0)), norm(end.unwrap_or(len)));
                    let mut i = s;
                    while i < e {
                        out.push(&a[i as usize]);
                        i += stride;
                    }
                } else if *stride < 0 {
                    let s = start.map(|x| norm(x).min(len - 1)).unwrap_or(len - 1);
                    let e = end.map(norm).unwrap_or(-1);
                    let mut i = s;
                    while i > e && i >= 0 {
                        out.push(&a[i as usize]);
                        i += stride;
                    }
                }
            }
        }
        Segment::Union(keys) => {
            for k in keys {
                match k {
                    Key::Name(n) => {
                        if let Some(v) = cur.as_object().and_then(|m| m.get(n)) {
                            out.push(v)
                        }
                    }
                    Key::Index(i) => {
                        if let Some(v) = cur.as_array().and_then(|a| index(a, *i)) {
                            out.push(v)
                        }
                    }
                }
            }
        }
        Segment::Filter(f) => match cur {
            Payload::Array(a) => out.extend(a.iter().filter(|item| test(f, root, item))),
            // Jayway applies a filter on an object to the object itself, not to its values.
            Payload::Object(_) if test(f, root, cur) => out.push(cur),
            _ => {}
        },
        Segment::Descend(_) => {}
    }
}

fn operand<'v>(op: &'v Operand, root: &'v Payload, cur: &'v Payload) -> Option<&'v Payload> {
    let (segs, start) = match op {
        Operand::Current(s) => (s, cur),
        Operand::Root(s) => (s, root),
        Operand::Literal(v) => return Some(v),
    };
    let mut node = start;
    for seg in segs {
        node = match seg {
            Segment::Name(n) => node.as_object()?.get(n)?,
            Segment::Index(i) => index(node.as_array()?, *i)?,
            _ => return None,
        };
    }
    Some(node)
}

fn test(f: &Filter, root: &Payload, cur: &Payload) -> bool {
    match f {
        Filter::Or(a, b) => test(a, root, cur) || test(b, root, cur),
        Filter::And(a, b) => test(a, root, cur) && test(b, root, cur),
        Filter::Not(a) => !test(a, root, cur),
        Filter::Exists(op) => operand(op, root, cur).is_some(),
        Filter::Compare(l, cmp, r) => {
            let (Some(l), Some(r)) = (operand(l, root, cur), operand(r, root, cur)) else {
                return false;
            };
            compare(l, *cmp, r)
        }
    }
}

fn compare(l: &Payload, cmp: Cmp, r: &Payload) -> bool {
    use std::cmp::Ordering;
    let ord = match (l, r) {
        (Payload::Number(a), Payload::Number(b)) => {
            a.as_f64().zip(b.as_f64()).and_then(|(a, b)| a.partial_cmp(&b))
        }
        (Payload::String(a), Payload::String(b)) => Some(a.cmp(b)),
        _ => {
            return match cmp {
                Cmp::Eq => l == r,
                Cmp::Ne => l != r,
                _ => false,
            };
        }
    };
    let Some(ord) = ord else { return false };
    match cmp {
        Cmp::Eq => ord == Ordering::Equal,
        Cmp::Ne => ord != Ordering::Equal,
        Cmp::Lt => ord == Ordering::Less,
        Cmp::Le => ord != Ordering::Greater,
        Cmp::Gt => ord == Ordering::Greater,
        Cmp::Ge => ord != Ordering::Less,
    }
}

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> PathSyntaxError {
        PathSyntaxError(format!("{what} at offset {} in path {:?}", self.i, self.text))
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn eat(&mut self, c: u8) -> bool {
        if self.peek() == Some(c) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    /// After the leading `$`: the name of a variable (`$name`), if one starts here. Names are
    /// Unicode identifiers (a letter or `_`, then letters, digits or `_`).
    fn variable_name(&mut self) -> Option<String> {
        let rest = &self.text[self.i..];
        let mut chars = rest.char_indices();
        let (_, first) = chars.next()?;
        if !(first.is_alphabetic() || first == '_') {
            return None;
        }
        let end = chars
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_'))
            .map_or(rest.len(), |(at, _)| at);
        self.i += end;
        Some(rest[..end].to_owned())
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.i += 1;
        }
    }

    /// Parses segments until the end (or, inside filters, until a non-segment character).
    fn segments(&mut self, in_filter: bool) -> Result<Vec<Segment>, PathSyntaxError> {
        let mut segs = Vec::new();
        loop {
            match self.peek() {
                Some(b'.') => {
                    self.i += 1;
                    if self.eat(b'.') {
                        let sel = if self.peek() == Some(b'[') {
                            self.i += 1;
                            self.bracket()?
                        } else if self.eat(b'*') {
                            Segment::Wildcard
                        } else {
                            Segment::Name(Arc::from(self.name()?))
                        };
                        segs.push(Segment::Descend(Box::new(sel)));
                    } else if self.eat(b'*') {
                        segs.push(Segment::Wildcard);
                    } else if self.eat(b'[') {
                        // `$.abc.['def ghi']`, as the AWS guide writes it.
                        segs.push(self.bracket()?);
                    } else {
                        segs.push(Segment::Name(Arc::from(self.name()?)));
                    }
                }
                Some(b'[') => {
                    self.i += 1;
                    segs.push(self.bracket()?);
                }
                None => return Ok(segs),
                Some(_) if in_filter => return Ok(segs),
                Some(_) => return Err(self.err("unexpected character")),
            }
        }
    }

    fn name(&mut self) -> Result<String, PathSyntaxError> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if matches!(
                c,
                b'.' | b'[' | b' ' | b')' | b'=' | b'<' | b'>' | b'!' | b'&' | b'|' | b','
            ) {
                break;
            }
            self.i += 1;
        }
        if start == self.i {
            return Err(self.err("expected a name"));
        }
        Ok(self.text[start..self.i].to_owned())
    }

    fn int(&mut self) -> Option<i64> {
        let start = self.i;
        if self.peek() == Some(b'-') {
            self.i += 1;
        }
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.i += 1;
        }
        let n = self.text[start..self.i].parse().ok();
        if n.is_none() {
            self.i = start;
        }
        n
    }

    fn quoted(&mut self) -> Result<String, PathSyntaxError> {
        let q = self.peek().ok_or_else(|| self.err("expected a quote"))?;
        self.i += 1;
        let mut out = String::new();
        let rest = &self.text[self.i..];
        let mut chars = rest.char_indices();
        while let Some((at, c)) = chars.next() {
            if c == '\\' {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            } else if c as u32 == q as u32 {
                self.i += at + 1;
                return Ok(out);
            } else {
                out.push(c);
            }
        }
        Err(self.err("unterminated string"))
    }

    /// After `[`.
    fn bracket(&mut self) -> Result<Segment, PathSyntaxError> {
        self.ws();
        let seg = if self.eat(b'*') {
            Segment::Wildcard
        } else if self.eat(b'?') {
            self.ws();
            if !self.eat(b'(') {
                return Err(self.err("expected '(' after '?'"));
            }
            let f = self.filter_or()?;
            self.ws();
            if !self.eat(b')') {
                return Err(self.err("expected ')' closing the filter"));
            }
            Segment::Filter(f)
        } else {
            let mut keys = Vec::new();
            let mut slice = None;
            loop {
                self.ws();
                match self.peek() {
                    Some(b'\'' | b'"') => keys.push(Key::Name(self.quoted()?)),
                    Some(b':') => {
                        slice = Some(self.slice(None)?);
                        break;
                    }
                    _ => {
                        let n = self.int().ok_or_else(|| self.err("expected an index"))?;
                        self.ws();
                        if self.peek() == Some(b':') {
                            slice = Some(self.slice(Some(n))?);
                            break;
                        }
                        keys.push(Key::Index(n));
                    }
                }
                self.ws();
                if !self.eat(b',') {
                    break;
                }
            }
            match (slice, keys.len()) {
                (Some(s), _) => s,
                (None, 1) => match keys.pop() {
                    Some(Key::Name(n)) => Segment::Name(Arc::from(n)),
                    Some(Key::Index(i)) => Segment::Index(i),
                    None => return Err(self.err("empty brackets")),
                },
                (None, 0) => return Err(self.err("empty brackets")),
                (None, _) => Segment::Union(keys),
            }
        };
        self.ws();
        if !self.eat(b']') {
            return Err(self.err("expected ']'"));
        }
        Ok(seg)
    }

    /// At the first ':' of a slice.
    fn slice(&mut self, start: Option<i64>) -> Result<Segment, PathSyntaxError> {
        self.eat(b':');
        self.ws();
        let end = self.int();
        self.ws();
        let step = if self.eat(b':') {
            self.ws();
            self.int().unwrap_or(1)
        } else {
            1
        };
        if step == 0 {
            return Err(self.err("slice step cannot be 0"));
        }
        Ok(Segment::Slice(start, end, step))
    }

    fn filter_or(&mut self) -> Result<Filter, PathSyntaxError> {
        let mut left = self.filter_and()?;
        loop {
            self.ws();
            if self.s[self.i..].starts_with(b"||") {
                self.i += 2;
                let right = self.filter_and()?;
                left = Filter::Or(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_and(&mut self) -> Result<Filter, PathSyntaxError> {
        let mut left = self.filter_unary()?;
        loop {
            self.ws();
            if self.s[self.i..].starts_with(b"&&") {
                self.i += 2;
                let right = self.filter_unary()?;
                left = Filter::And(Box::new(left), Box::new(right));
            } else {
                return Ok(left);
            }
        }
    }

    fn filter_unary(&mut self) -> Result<Filter, PathSyntaxError> {
        self.ws();
        if self.peek() == Some(b'!') && self.s.get(self.i + 1) != Some(&b'=') {
            self.i += 1;
            return Ok(Filter::Not(Box::new(self.filter_unary()?)));
        }
        if self.eat(b'(') {
            let f = self.filter_or()?;
            self.ws();
            if !self.eat(b')') {
                return Err(self.err("expected ')'"));
            }
            return Ok(f);
        }
        let left = self.operand()?;
        self.ws();
        let rest = &self.s[self.i..];
        let cmp = if rest.starts_with(b"==") {
            Some((Cmp::Eq, 2))
        } else if rest.starts_with(b"!=") {
            Some((Cmp::Ne, 2))
        } else if rest.starts_with(b"<=") {
            Some((Cmp::Le, 2))
        } else if rest.starts_with(b">=") {
            Some((Cmp::Ge, 2))
        } else if rest.starts_with(b"<") {
            Some((Cmp::Lt, 1))
        } else if rest.starts_with(b">") {
            Some((Cmp::Gt, 1))
        } else {
            None
        };
        match cmp {
            Some((cmp, n)) => {
                self.i += n;
                self.ws();
                let right = self.operand()?;
                Ok(Filter::Compare(left, cmp, right))
            }
            None => Ok(Filter::Exists(left)),
        }
    }

    fn operand(&mut self) -> Result<Operand, PathSyntaxError> {
        self.ws();
        match self.peek() {
            Some(b'@') => {
                self.i += 1;
                Ok(Operand::Current(self.segments(true)?))
            }
            Some(b'$') => {
                self.i += 1;
                Ok(Operand::Root(self.segments(true)?))
            }
            Some(b'\'' | b'"') => Ok(Operand::Literal(Payload::from(self.quoted()?))),
            _ => {
                let start = self.i;
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'+' | b'.') {
                        self.i += 1;
                    } else {
                        break;
                    }
                }
                let word = &self.text[start..self.i];
                let v: Value = serde_json::from_str(word)
                    .map_err(|_| self.err("expected a literal in the filter"))?;
                Ok(Operand::Literal(Payload::from(v)))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn variable_paths_name_the_variable_and_select_inside_it() {
        let p = Path::parse("$order.items[0].id").expect("parses");
        assert_eq!(p.variable().map(|v| &**v), Some("order"));
        assert!(p.is_definite() && !p.is_root());
        assert_eq!(p.normalized(), "$order['items'][0]['id']");
        let value = Payload::from(json!({"items": [{"id": 7}]}));
        assert_eq!(p.select(&value).map(|v| v.to_value()), Some(json!(7)));
        let bare = Path::parse("$x").expect("parses");
        assert_eq!(bare.variable().map(|v| &**v), Some("x"));
        assert!(!bare.is_root(), "$x is a variable, not the input");
        let unicode = Path::parse("$données_1['a b']").expect("parses");
        assert_eq!(unicode.variable().map(|v| &**v), Some("données_1"));
        assert!(Path::parse("$.a").expect("parses").variable().is_none());
        assert!(Path::parse("$[0]").expect("parses").variable().is_none());
        assert!(Path::parse("$1abc").is_err(), "a name cannot start with a digit");
        assert!(Path::parse("$x-y").is_err());
    }

    fn sel(path: &str, v: &Value) -> Option<Value> {
        Path::parse(path).expect("path parses").select(&Payload::from(v)).map(|p| p.to_value())
    }

    #[test]
    fn definite_paths_select_one_value_or_nothing() {
        let v = json!({"a": {"b": [1, 2, 3]}, "odd key": 5});
        assert_eq!(sel("$.a.b[1]", &v), Some(json!(2)));
        assert_eq!(sel("$.a.b[-1]", &v), Some(json!(3)));
        assert_eq!(sel("$['odd key']", &v), Some(json!(5)));
        assert_eq!(sel("$.a.c", &v), None);
        assert_eq!(sel("$", &v), Some(v.clone()));
    }

    #[test]
    fn indefinite_paths_yield_lists() {
        let v = json!({"items": [{"p": 1, "n": "a"}, {"p": 5, "n": "b"}, {"p": 9, "n": "c"}]});
        assert_eq!(sel("$.items[*].n", &v), Some(json!(["a", "b", "c"])));
        assert_eq!(sel("$.items[?(@.p > 2)].n", &v), Some(json!(["b", "c"])));
        assert_eq!(sel("$.items[?(@.p > 2 && @.n != 'c')].n", &v), Some(json!(["b"])));
        assert_eq!(sel("$.items[0:2].p", &v), Some(json!([1, 5])));
        assert_eq!(sel("$.items[-1:].p", &v), Some(json!([9])));
        assert_eq!(sel("$..n", &v), Some(json!(["a", "b", "c"])));
        assert_eq!(sel("$.items[0,2].n", &v), Some(json!(["a", "c"])));
        assert_eq!(sel("$.items[?(@.q)]", &v), Some(json!([])));
        let obj = json!({"o": {"k": 1}});
        assert_eq!(sel("$.o[?(@.k == 1)]", &obj), Some(json!([{"k": 1}])), "object filtered whole");
        assert_eq!(sel("$.o[?(@.k == 2)]", &obj), Some(json!([])));
    }

    #[test]
    fn reference_paths_refuse_wildcards_and_set_creates_objects() {
        assert!(Path::parse_reference("$.a[*]").is_err());
        assert!(Path::parse_reference("$..a").is_err());
        let p = Path::parse_reference("$.a.b").expect("reference path");
        let mut v = Payload::from(json!({"x": 1}));
        p.set(&mut v, Payload::from(2i64)).expect("settable");
        assert_eq!(v.to_value(), json!({"x": 1, "a": {"b": 2}}));
        let mut s = Payload::from("text");
        assert!(p.set(&mut s, Payload::from(1i64)).is_err());
    }

    #[test]
    fn a_write_that_cannot_be_made_changes_nothing() {
        // ResultPathMatchFailure's cause quotes the input as it was.
        let input = json!({"x": 1, "list": [0, {"k": "v"}], "s": "text"});
        for (path, ok) in [
            ("$.a[0]", false),
            ("$.a.b[1]", false),
            ("$.list[2]", false),
            ("$.list[-3]", false),
            ("$.s.t", false),
            ("$.list[1].k.deeper", false),
            ("$.list[-1].n", true),
            ("$.list[0]", true),
            ("$.new.deeper", true),
        ] {
            let p = Path::parse_reference(path).expect("reference path");
            let mut v = Payload::from(&input);
            assert_eq!(p.set(&mut v, Payload::from(2i64)).is_ok(), ok, "{path}");
            if !ok {
                assert_eq!(v.to_value(), input, "{path} left the target as it was");
            }
        }
    }
}

/// Up to three names of a path (see [`Path::short_names`]).
#[derive(Debug, Clone, Copy)]
pub struct ShortNames<'a> {
    names: [&'a str; 3],
    len: usize,
}

impl<'a> ShortNames<'a> {
    /// The names, in order.
    pub fn as_slice(&self) -> &[&'a str] {
        &self.names[..self.len]
    }
}
