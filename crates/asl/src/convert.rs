//! Converting one JSONPath state to the equivalent JSONata state, as AWS describes the mapping
//! ("Transforming data with JSONata in Step Functions"; the console offers the same conversion
//! per state).
//!
//! The five JSONPath fields become two: `InputPath` and `Parameters` become `Arguments`;
//! `ResultSelector`, `ResultPath` and `OutputPath` become `Output`. Inside expressions `$` (the
//! state input) becomes `$states.input`, the result `$states.result`, `$$.X` becomes
//! `$states.context.X`, variables stay `$name`, and `.$` keys lose their suffix and take a
//! `{% … %}` value. Intrinsic functions become the JSONata (or Step Functions JSONata) function
//! that does the same job. `ResultPath` merging becomes `$merge([$states.input, {…}])`.
//!
//! A Distributed Map's `ItemReader`/`ResultWriter` `Parameters` become `Arguments`, and its
//! `…Path` fields (`MaxItemsPath`, `MaxItemsPerBatchPath`, …) their expression form.
//!
//! What has no equivalent we are sure of (filters, deep scan, wildcards, slices, a `ResultPath`
//! into an array element, seeded `States.MathRandom`, `IsTimestamp`, an `Assign` that reads a
//! `ResultSelector`'s output, …) is refused with a reason naming the field: the conversion is
//! all or nothing.
//!
//! In a JSONPath `Assign`, `$` is taken to be the state's result (Task, Parallel, Map: the raw
//! result when there is no `ResultSelector`; Pass: what `Parameters`/`Result` produce) and, in
//! Choice and Wait states and Choice rules, the effective input; in a catcher's `Assign`, the
//! error output.
//!
//! The result is a [`Plan`]: for the state and for each Choice rule and catcher, the fields the
//! object should have, in order, and which old field each new one takes the place of, so the
//! document can write it as small splices (a renamed key keeps its place in the text).
//!
//! Known differences kept on purpose (the documented mapping): JSONata navigation maps over
//! arrays where a JSONPath reference path would fail, and an array constructor (from
//! `States.Array`) flattens array-valued arguments.

use serde_json::{Map, Value};

use crate::fields::{COMPARISONS, Only, TYPE_TESTS, state_field};

/// The edits of one object (the state, a Choice rule, a catcher): the wanted fields in order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ObjectPlan {
    /// Pointer relative to the state (`""` for the state itself, `/Choices/0`, `/Catch/1`).
    pub(crate) pointer: String,
    /// The fields the object should have, in order.
    pub(crate) fields: Vec<(String, Value)>,
    /// New field → the old field it replaces in place.
    pub(crate) sources: Vec<(String, String)>,
}

/// Every object to rewrite: the state first, then its Choice rules and catchers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub(crate) objects: Vec<ObjectPlan>,
}

type Fallible<T> = Result<T, String>;

/// A converted value: a JSONata expression, or a JSON template whose strings may be
/// `{% … %}` expressions.
#[derive(Debug, Clone, PartialEq)]
enum Out {
    Expr(String),
    Template(Value),
}

impl Out {
    fn expr(text: impl Into<String>) -> Out {
        Out::Expr(text.into())
    }

    /// The JSONata text of the value.
    fn text(&self) -> String {
        match self {
            Out::Expr(e) => e.clone(),
            Out::Template(v) => template_text(v),
        }
    }

    /// The value as a field of a JSONata state.
    fn field(&self) -> Value {
        match self {
            Out::Expr(e) => Value::String(format!("{{% {e} %}}")),
            Out::Template(v) => v.clone(),
        }
    }

    fn is(&self, expr: &str) -> bool {
        matches!(self, Out::Expr(e) if e == expr)
    }
}

/// JSONata text for a template: object and array constructors, literals, and `(expr)` for
/// `{% expr %}` strings.
fn template_text(value: &Value) -> String {
    match value {
        Value::String(s) => match jsonata_body(s) {
            Some(body) if is_simple(body) => body.to_owned(),
            Some(body) => format!("({body})"),
            None => json(value),
        },
        Value::Array(items) => {
            format!("[{}]", items.iter().map(template_text).collect::<Vec<_>>().join(", "))
        }
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", json(&Value::String(k.clone())), template_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => json(other),
    }
}

fn json(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".to_owned())
}

fn jsonata_body(s: &str) -> Option<&str> {
    s.strip_prefix("{%").and_then(|s| s.strip_suffix("%}")).map(str::trim)
}

/// Whether an expression is a plain path (`$states.input.a[0]`), which needs no parentheses
/// before more steps are added.
fn is_simple(expr: &str) -> bool {
    let mut chars = expr.chars().peekable();
    if chars.next() != Some('$') {
        return false;
    }
    let mut in_tick = false;
    for c in chars {
        match c {
            '`' => in_tick = !in_tick,
            _ if in_tick => {}
            c if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']') => {}
            _ => return false,
        }
    }
    !in_tick
}

/// `expr` followed by path steps.
fn then(expr: &str, steps: &str) -> String {
    if steps.is_empty() {
        expr.to_owned()
    } else if is_simple(expr) {
        format!("{expr}{steps}")
    } else {
        format!("({expr}){steps}")
    }
}

/// A step of a reference path.
#[derive(Debug, Clone, PartialEq)]
enum Step {
    Field(String),
    Index(u64),
}

/// Where a JSONPath path starts.
#[derive(Debug, Clone, PartialEq)]
enum Root {
    Input,
    Context,
    Variable(String),
}

/// Reads a path that selects one node: `$`, `$$` or `$name`, then `.name`, `['name']`, `[0]`.
fn reference_path(path: &str, field: &str) -> Fallible<(Root, Vec<Step>)> {
    let refuse = |why: &str| {
        format!("{field}: the path \"{path}\" {why}, which has no JSONata equivalent here")
    };
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'$') {
        return Err(format!("{field}: \"{path}\" is not a path"));
    }
    let (root, mut i) = if bytes.get(1) == Some(&b'$') {
        (Root::Context, 2)
    } else if let Some(name) = crate::validate::paths::path_variable(path) {
        (Root::Variable(name.to_owned()), 1 + name.len())
    } else {
        (Root::Input, 1)
    };
    let mut steps = Vec::new();
    while i < bytes.len() {
        match bytes[i] {
            b'.' => {
                if bytes.get(i + 1) == Some(&b'.') {
                    return Err(refuse("uses \"..\" (deep scan)"));
                }
                let start = i + 1;
                let mut end = start;
                while end < bytes.len() && !matches!(bytes[end], b'.' | b'[') {
                    end += 1;
                }
                let name = &path[start..end];
                if name.is_empty() {
                    return Err(format!("{field}: \"{path}\" is not a valid path"));
                }
                if name.contains(['*', '?', '@', ',', ':', '(', ')', ']', '`']) {
                    return Err(refuse("uses a wildcard, filter or function"));
                }
                steps.push(Step::Field(name.to_owned()));
                i = end;
            }
            b'[' => {
                let Some(close) = path[i..].find(']').map(|j| i + j) else {
                    return Err(format!("{field}: \"{path}\" is not a valid path"));
                };
                let inner = path[i + 1..close].trim();
                let quoted = |q: char| {
                    inner.len() >= 2
                        && inner.starts_with(q)
                        && inner.ends_with(q)
                        && !inner[1..inner.len() - 1].contains([q, '\\', '`'])
                };
                if !inner.is_empty() && inner.bytes().all(|b| b.is_ascii_digit()) {
                    let n = inner.parse().map_err(|_| refuse("uses an index out of range"))?;
                    steps.push(Step::Index(n));
                } else if quoted('\'') || quoted('"') {
                    steps.push(Step::Field(inner[1..inner.len() - 1].to_owned()));
                } else {
                    return Err(refuse("uses a filter, wildcard, slice, union or negative index"));
                }
                i = close + 1;
            }
            _ => return Err(format!("{field}: \"{path}\" is not a valid path")),
        }
    }
    Ok((root, steps))
}

/// JSONata words that cannot be a bare field name.
const RESERVED: &[&str] = &["and", "or", "in", "true", "false", "null", "function"];

fn steps_text(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Field(name) => {
                let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !RESERVED.contains(&name.as_str());
                if plain {
                    out.push('.');
                    out.push_str(name);
                } else {
                    out.push_str(&format!(".`{name}`"));
                }
            }
            Step::Index(n) => out.push_str(&format!("[{n}]")),
        }
    }
    out
}

/// What `$` means where a path is read.
#[derive(Debug, Clone)]
struct Scope {
    /// What `$` is.
    dollar: Option<Out>,
    /// Why `$` cannot be read here, when it cannot.
    no_dollar: Option<String>,
}

impl Scope {
    fn of(dollar: impl Into<String>) -> Scope {
        Scope { dollar: Some(Out::Expr(dollar.into())), no_dollar: None }
    }

    fn value(dollar: &Out) -> Scope {
        Scope { dollar: Some(dollar.clone()), no_dollar: None }
    }
}

/// `value` followed by path steps; a step into a template that has the field (or element) takes
/// it from the template, so `{"a": …}` then `.a` is just the `…`.
fn select(value: &Out, steps: &[Step]) -> Out {
    let Some((first, rest)) = steps.split_first() else { return value.clone() };
    let inner = match (value, first) {
        (Out::Template(Value::Object(map)), Step::Field(name)) => map.get(name),
        (Out::Template(Value::Array(items)), Step::Index(i)) => {
            usize::try_from(*i).ok().and_then(|i| items.get(i))
        }
        _ => None,
    };
    match inner {
        Some(Value::String(s)) if jsonata_body(s).is_some() => {
            select(&Out::Expr(jsonata_body(s).unwrap_or_default().to_owned()), rest)
        }
        Some(v) => select(&Out::Template(v.clone()), rest),
        None => Out::Expr(then(&value.text(), &steps_text(steps))),
    }
}

/// A path as a JSONata expression.
fn path_expr(path: &str, scope: &Scope, field: &str) -> Fallible<String> {
    let (root, parsed) = reference_path(path, field)?;
    let steps = steps_text(&parsed);
    Ok(match root {
        Root::Input => match (&scope.dollar, &scope.no_dollar) {
            (Some(dollar), _) => select(dollar, &parsed).text(),
            (None, why) => {
                return Err(format!(
                    "{field}: \"{path}\" reads {}",
                    why.as_deref().unwrap_or("a value JSONata has no name for")
                ));
            }
        },
        Root::Context => format!("$states.context{steps}"),
        Root::Variable(name) => format!("${name}{steps}"),
    })
}

/// A `.$` value: an intrinsic function call or a path.
fn dynamic(text: &str, scope: &Scope, field: &str) -> Fallible<String> {
    let trimmed = text.trim();
    if trimmed.starts_with("States.") {
        let mut parser = Intrinsic { text: trimmed, i: 0, scope, field };
        let out = parser.call()?;
        parser.ws();
        if parser.i < trimmed.len() {
            return Err(format!("{field}: unexpected text after \"{}\"", &trimmed[..parser.i]));
        }
        Ok(out)
    } else {
        path_expr(trimmed, scope, field)
    }
}

/// Reads an intrinsic function call and writes its JSONata equivalent.
struct Intrinsic<'a> {
    text: &'a str,
    i: usize,
    scope: &'a Scope,
    field: &'a str,
}

enum Arg {
    /// A string literal, and whether it escaped a brace (`\{`, which States.Format prints
    /// as a brace, not a placeholder).
    Str(String, bool),
    Other(String),
}

impl Arg {
    fn text(&self) -> String {
        match self {
            Arg::Str(s, _) => json(&Value::String(s.clone())),
            Arg::Other(t) => t.clone(),
        }
    }
}

impl Intrinsic<'_> {
    fn ws(&mut self) {
        while self.text[self.i..].starts_with(char::is_whitespace) {
            self.i += 1;
        }
    }

    fn invalid(&self) -> String {
        format!("{}: \"{}\" is not a valid intrinsic function call", self.field, self.text)
    }

    fn call(&mut self) -> Fallible<String> {
        let rest = &self.text[self.i..];
        let len =
            rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '.')).unwrap_or(rest.len());
        let name = rest[..len].to_owned();
        self.i += len;
        self.ws();
        if !self.text[self.i..].starts_with('(') {
            return Err(self.invalid());
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.text[self.i..].starts_with(')') {
            self.i += 1;
        } else {
            loop {
                self.ws();
                args.push(self.argument()?);
                self.ws();
                match self.text[self.i..].chars().next() {
                    Some(',') => self.i += 1,
                    Some(')') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(self.invalid()),
                }
            }
        }
        self.translate(&name, &args)
    }

    fn argument(&mut self) -> Fallible<Arg> {
        let rest = &self.text[self.i..];
        match rest.chars().next() {
            Some('\'') => {
                let mut out = String::new();
                let mut escaped_brace = false;
                let mut chars = rest.char_indices().skip(1);
                while let Some((j, c)) = chars.next() {
                    match c {
                        '\\' => match chars.next() {
                            Some((_, e)) => {
                                escaped_brace |= matches!(e, '{' | '}');
                                out.push(e);
                            }
                            None => return Err(self.invalid()),
                        },
                        '\'' => {
                            self.i += j + 1;
                            return Ok(Arg::Str(out, escaped_brace));
                        }
                        c => out.push(c),
                    }
                }
                Err(self.invalid())
            }
            Some('$') => {
                let mut depth = 0usize;
                let mut quote: Option<char> = None;
                let mut end = rest.len();
                for (j, c) in rest.char_indices() {
                    match quote {
                        Some(q) if c == q => quote = None,
                        Some(_) => {}
                        None => match c {
                            '\'' | '"' if depth > 0 => quote = Some(c),
                            '[' | '(' => depth += 1,
                            ']' | ')' if depth > 0 => depth -= 1,
                            ',' | ')' => {
                                end = j;
                                break;
                            }
                            _ => {}
                        },
                    }
                }
                let path = rest[..end].trim_end();
                self.i += end;
                Ok(Arg::Other(path_expr(path, self.scope, self.field)?))
            }
            Some('S') => Ok(Arg::Other(self.call()?)),
            Some(c) if c.is_ascii_digit() || c == '-' => {
                let len = rest
                    .find(|c: char| {
                        !(c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'))
                    })
                    .unwrap_or(rest.len());
                let number = &rest[..len];
                serde_json::from_str::<serde_json::Number>(number).map_err(|_| self.invalid())?;
                self.i += len;
                Ok(Arg::Other(number.to_owned()))
            }
            _ => {
                for word in ["true", "false", "null"] {
                    if rest.starts_with(word) {
                        self.i += word.len();
                        return Ok(Arg::Other(word.to_owned()));
                    }
                }
                Err(self.invalid())
            }
        }
    }

    fn translate(&self, name: &str, args: &[Arg]) -> Fallible<String> {
        let a = |i: usize| args.get(i).map(Arg::text).unwrap_or_default();
        let arity = |min: usize, max: usize| {
            if args.len() < min || args.len() > max {
                Err(format!("{}: {name} takes {min} to {max} arguments", self.field))
            } else {
                Ok(())
            }
        };
        let no_equivalent = |why: &str| {
            Err(format!("{}: {name} {why}, which has no JSONata equivalent here", self.field))
        };
        Ok(match name {
            "States.Format" => {
                arity(1, usize::MAX)?;
                let template = match &args[0] {
                    Arg::Str(template, false) => template,
                    Arg::Str(_, true) => return no_equivalent("escapes a brace in its template"),
                    Arg::Other(_) => return no_equivalent("takes its template from a path"),
                };
                let pieces: Vec<&str> = template.split("{}").collect();
                if pieces.len() != args.len() {
                    return Err(format!(
                        "{}: States.Format has {} placeholder(s) for {} argument(s)",
                        self.field,
                        pieces.len() - 1,
                        args.len() - 1
                    ));
                }
                let mut parts = Vec::new();
                for (i, piece) in pieces.iter().enumerate() {
                    if !piece.is_empty() {
                        parts.push(json(&Value::String((*piece).to_owned())));
                    }
                    if let Some(arg) = args.get(i + 1) {
                        parts.push(match arg {
                            Arg::Str(..) => arg.text(),
                            Arg::Other(t) => format!("$string({t})"),
                        });
                    }
                }
                if parts.is_empty() { "\"\"".to_owned() } else { parts.join(" & ") }
            }
            "States.StringToJson" => {
                arity(1, 1)?;
                format!("$parse({})", a(0))
            }
            "States.JsonToString" => {
                arity(1, 1)?;
                format!("$string({})", a(0))
            }
            "States.Array" => {
                format!("[{}]", args.iter().map(Arg::text).collect::<Vec<_>>().join(", "))
            }
            "States.ArrayPartition" => {
                arity(2, 2)?;
                format!("$partition({}, {})", a(0), a(1))
            }
            "States.ArrayContains" => {
                arity(2, 2)?;
                format!("({} in {})", a(1), a(0))
            }
            "States.ArrayRange" => {
                arity(3, 3)?;
                format!("$range({}, {}, {})", a(0), a(1), a(2))
            }
            "States.ArrayGetItem" => {
                arity(2, 2)?;
                let array = a(0);
                if is_simple(&array) {
                    format!("{array}[{}]", a(1))
                } else {
                    format!("({array})[{}]", a(1))
                }
            }
            "States.ArrayLength" => {
                arity(1, 1)?;
                format!("$count({})", a(0))
            }
            "States.ArrayUnique" => {
                arity(1, 1)?;
                format!("$distinct({})", a(0))
            }
            "States.Base64Encode" => {
                arity(1, 1)?;
                format!("$base64encode({})", a(0))
            }
            "States.Base64Decode" => {
                arity(1, 1)?;
                format!("$base64decode({})", a(0))
            }
            "States.Hash" => {
                arity(2, 2)?;
                format!("$hash({}, {})", a(0), a(1))
            }
            "States.JsonMerge" => {
                arity(3, 3)?;
                if a(2) != "false" {
                    return no_equivalent("with a deep merge");
                }
                format!("$merge([{}, {}])", a(0), a(1))
            }
            "States.MathRandom" => {
                arity(2, 3)?;
                if args.len() == 3 {
                    return no_equivalent("with a seed");
                }
                format!("($floor($random() * ({} - {})) + {})", a(1), a(0), a(0))
            }
            "States.MathAdd" => {
                arity(2, 2)?;
                format!("({} + {})", a(0), a(1))
            }
            "States.StringSplit" => {
                arity(2, 2)?;
                match &args[1] {
                    Arg::Str(d, _) if d.chars().count() == 1 => {
                        format!("$split({}, {})", a(0), a(1))
                    }
                    _ => return no_equivalent("splits on a set of characters"),
                }
            }
            "States.UUID" => {
                arity(0, 0)?;
                "$uuid()".to_owned()
            }
            other => {
                return Err(format!("{}: unknown intrinsic function \"{other}\"", self.field));
            }
        })
    }
}

/// A JSONPath payload template (Parameters, ResultSelector, ItemSelector, Assign) as a JSONata
/// template: `.$` keys lose the suffix and take a `{% … %}` value.
fn template(value: &Value, scope: &Scope, field: &str) -> Fallible<Value> {
    match value {
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, v) in map {
                let at = format!("{field}.{key}");
                let (name, value) = match key.strip_suffix(".$") {
                    Some(name) => {
                        let Some(text) = v.as_str() else {
                            return Err(format!("{at}: a \".$\" field must be a string"));
                        };
                        (
                            name.to_owned(),
                            Value::String(format!("{{% {} %}}", dynamic(text, scope, &at)?)),
                        )
                    }
                    None => (key.clone(), template(v, scope, &at)?),
                };
                if out.contains_key(&name) {
                    return Err(format!("{at}: \"{name}\" would be written twice"));
                }
                out.insert(name, value);
            }
            Ok(Value::Object(out))
        }
        Value::Array(items) => Ok(Value::Array(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| template(v, scope, &format!("{field}[{i}]")))
                .collect::<Fallible<_>>()?,
        )),
        Value::String(s) if s.trim_start().starts_with("{%") => {
            Err(format!("{field}: the text \"{s}\" would be read as a JSONata expression"))
        }
        other => Ok(other.clone()),
    }
}

/// A static value (a Pass `Result`): kept as is, unless a string would become an expression.
fn literal(value: &Value, field: &str) -> Fallible<Value> {
    let scope = Scope { dollar: None, no_dollar: None };
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                literal(v, &format!("{field}.{k}"))?;
            }
            Ok(value.clone())
        }
        Value::Array(items) => {
            for v in items {
                literal(v, field)?;
            }
            Ok(value.clone())
        }
        _ => template(value, &scope, field),
    }
}

/// The value of `Path`-style fields: a string path, `null`, or absent.
fn path_field<'v>(state: &'v Map<String, Value>, name: &str) -> Fallible<Option<Option<&'v str>>> {
    match state.get(name) {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) => Ok(Some(Some(s.as_str()))),
        Some(_) => Err(format!("{name} must be a string or null")),
    }
}

/// `ResultPath`: where the result goes into the raw input (`base`).
fn result_path(rp: Option<Option<&str>>, value: Out, base: &str, field: &str) -> Fallible<Out> {
    let path = match rp {
        None => return Ok(value),
        Some(None) => return Ok(Out::expr(base)),
        Some(Some(p)) => p,
    };
    let (root, steps) = reference_path(path, field)?;
    if root != Root::Input {
        return Err(format!("{field}: \"{path}\" must start with \"$.\""));
    }
    let mut names = Vec::new();
    for step in &steps {
        match step {
            Step::Field(name) => names.push(name.clone()),
            Step::Index(_) => {
                return Err(format!(
                    "{field}: \"{path}\" writes into an array element, which has no JSONata equivalent here"
                ));
            }
        }
    }
    if names.is_empty() {
        return Ok(value);
    }
    fn merge(base: &str, names: &[String], value: &str) -> String {
        let Some((first, rest)) = names.split_first() else { return value.to_owned() };
        let key = json(&Value::String(first.clone()));
        let inner = if rest.is_empty() {
            value.to_owned()
        } else {
            let child = then(base, &steps_text(&[Step::Field(first.clone())]));
            merge(&child, rest, value)
        };
        format!("$merge([{base}, {{{key}: {inner}}}])")
    }
    Ok(Out::Expr(merge(base, &names, &value.text())))
}

/// `InputPath` / `OutputPath`: a path applied to a value; `null` gives `{}`.
fn apply_path(path: Option<Option<&str>>, value: Out, field: &str) -> Fallible<Out> {
    let path = match path {
        None => return Ok(value),
        Some(None) => return Ok(Out::Template(Value::Object(Map::new()))),
        Some(Some(p)) => p,
    };
    let (root, steps) = reference_path(path, field)?;
    if root != Root::Input {
        return Err(format!("{field}: \"{path}\" must start with \"$\""));
    }
    Ok(select(&value, &steps))
}

/// A Choice rule's condition.
fn condition(rule: &Map<String, Value>, scope: &Scope, field: &str) -> Fallible<String> {
    let nested = |v: &Value, at: String| -> Fallible<String> {
        let object = v.as_object().ok_or_else(|| format!("{at}: a rule must be an object"))?;
        condition(object, scope, &at)
    };
    for (op, joiner) in [("And", " and "), ("Or", " or ")] {
        if let Some(list) = rule.get(op) {
            let items = list.as_array().ok_or_else(|| format!("{field}.{op} must be an array"))?;
            let parts = items
                .iter()
                .enumerate()
                .map(|(i, r)| nested(r, format!("{field}.{op}[{i}]")).map(|c| format!("({c})")))
                .collect::<Fallible<Vec<_>>>()?;
            return Ok(parts.join(joiner));
        }
    }
    if let Some(inner) = rule.get("Not") {
        return Ok(format!("$not({})", nested(inner, format!("{field}.Not"))?));
    }
    let variable = rule
        .get("Variable")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("{field}: a rule needs \"Variable\" (or And, Or, Not)"))?;
    let v = path_expr(variable, scope, &format!("{field}.Variable"))?;
    let Some((op, operand)) = rule.iter().find(|(k, _)| crate::fields::is_choice_operator(k))
    else {
        return Err(format!("{field}: the rule has no comparison operator"));
    };
    let at = format!("{field}.{op}");
    if TYPE_TESTS.contains(&op.as_str()) {
        let Some(positive) = operand.as_bool() else {
            return Err(format!("{at} must be true or false"));
        };
        let test = match op.as_str() {
            "IsPresent" => format!("$exists({v})"),
            "IsNull" => format!("{v} = null"),
            "IsNumeric" => format!("$type({v}) = \"number\""),
            "IsString" => format!("$type({v}) = \"string\""),
            "IsBoolean" => format!("$type({v}) = \"boolean\""),
            _ => {
                return Err(format!(
                    "{at}: {op} has no JSONata equivalent here (write the timestamp check by hand)"
                ));
            }
        };
        return Ok(if positive { test } else { format!("$not({test})") });
    }
    let (base, is_path) = match op.strip_suffix("Path") {
        Some(base) if COMPARISONS.contains(&base) => (base, true),
        _ => (op.as_str(), false),
    };
    let right = if is_path {
        let p = operand.as_str().ok_or_else(|| format!("{at} must be a path"))?;
        path_expr(p, scope, &at)?
    } else {
        json(operand)
    };
    if base == "StringMatches" {
        let pattern = operand.as_str().ok_or_else(|| format!("{at} must be a string"))?;
        return Ok(format!("$contains({v}, /^{}$/)", wildcard_regex(pattern)));
    }
    let symbol = if base.ends_with("LessThanEquals") {
        "<="
    } else if base.ends_with("GreaterThanEquals") {
        ">="
    } else if base.ends_with("LessThan") {
        "<"
    } else if base.ends_with("GreaterThan") {
        ">"
    } else {
        "="
    };
    Ok(if base.starts_with("Timestamp") {
        format!("$toMillis({v}) {symbol} $toMillis({right})")
    } else {
        format!("{v} {symbol} {right}")
    })
}

/// A `StringMatches` pattern (`*` matches anything, `\*` a star) as a regular expression body.
fn wildcard_regex(pattern: &str) -> String {
    let mut out = String::new();
    let mut chars = pattern.chars();
    let literal = |c: char, out: &mut String| {
        if "\\^$.|?*+()[]{}/".contains(c) {
            out.push('\\');
        }
        out.push(c);
    };
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    literal(next, &mut out);
                }
            }
            '*' => out.push_str(".*"),
            c => literal(c, &mut out),
        }
    }
    out
}

/// Builds one object's plan: its fields in order, and the old field each new one replaces.
struct Builder {
    fields: Vec<(String, Value)>,
    sources: Vec<(String, String)>,
}

impl Builder {
    fn new() -> Builder {
        Builder { fields: Vec::new(), sources: Vec::new() }
    }

    fn put(&mut self, key: &str, value: Value, source: Option<&str>) {
        if let Some(source) = source.filter(|s| *s != key) {
            self.sources.push((key.to_owned(), source.to_owned()));
        }
        self.fields.retain(|(k, _)| k != key);
        self.fields.push((key.to_owned(), value));
    }

    fn finish(self, pointer: String) -> ObjectPlan {
        ObjectPlan { pointer, fields: self.fields, sources: self.sources }
    }
}

/// Converts the JSONPath state `state` to JSONata. `machine_jsonata`: the top level is already
/// JSONata (then the state needs no `QueryLanguage` of its own).
pub(crate) fn state_to_jsonata(
    state: &Map<String, Value>,
    machine_jsonata: bool,
) -> Fallible<Plan> {
    let ty = state.get("Type").and_then(Value::as_str).unwrap_or_default();
    let own = state.get("QueryLanguage").and_then(Value::as_str);
    let jsonpath_fields: Vec<&String> =
        state.keys().filter(|k| state_field(k).is_some_and(|f| f.only == Only::JsonPath)).collect();
    let already = own == Some("JSONata") || (machine_jsonata && own.is_none());
    if already && jsonpath_fields.is_empty() {
        return Err("the state already uses JSONata".to_owned());
    }
    if !matches!(ty, "Pass" | "Task" | "Choice" | "Wait" | "Succeed" | "Fail" | "Parallel" | "Map")
    {
        return Err(format!("the state's Type \"{ty}\" is not a state type"));
    }
    let input_path = path_field(state, "InputPath")?;
    let input = apply_path(input_path, Out::expr("$states.input"), "InputPath")?;
    let effective = Scope::value(&input);
    let raw = "$states.input";
    let result_path_field = path_field(state, "ResultPath")?;
    let output_path = path_field(state, "OutputPath")?;
    let mut objects = Vec::new();
    let mut extra: Vec<(&str, Value, &str)> = Vec::new();
    let mut assign_scope = Scope::value(&input);
    // The state's output, and the field it takes the place of.
    let mut output: Option<Out> = None;
    let mut arguments: Option<Out> = None;
    let has = |k: &str| state.contains_key(k);
    match ty {
        "Task" | "Parallel" | "Map" => {
            let result = match state.get("ResultSelector") {
                Some(rs) => {
                    assign_scope = Scope {
                        dollar: None,
                        no_dollar: Some(
                            "the ResultSelector's output, which JSONata has no name for (convert Assign by hand)"
                                .to_owned(),
                        ),
                    };
                    Out::Template(template(rs, &Scope::of("$states.result"), "ResultSelector")?)
                }
                None => {
                    assign_scope = Scope::of("$states.result");
                    Out::expr("$states.result")
                }
            };
            // `"ResultPath": "$.x", "OutputPath": "$.x"` keeps just the result.
            let same = matches!((result_path_field, output_path), (Some(Some(r)), Some(Some(o))) if r == o && r != "$");
            output = Some(if same {
                reference_path(result_path_field.flatten().unwrap_or("$"), "ResultPath")?;
                result
            } else {
                let merged = result_path(result_path_field, result, raw, "ResultPath")?;
                apply_path(output_path, merged, "OutputPath")?
            });
            if ty == "Map" {
                let items = match path_field(state, "ItemsPath")? {
                    Some(Some(p)) => Some(Out::Expr(path_expr(p, &effective, "ItemsPath")?)),
                    Some(None) => {
                        return Err("ItemsPath: null has no JSONata equivalent".to_owned());
                    }
                    None if input_path.is_some() => Some(input.clone()),
                    None => None,
                };
                if let Some(items) = items {
                    let at = if has("ItemsPath") { "ItemsPath" } else { "InputPath" };
                    extra.push(("Items", items.field(), at));
                }
                for legacy in ["Parameters", "ItemSelector"] {
                    if let Some(selector) = state.get(legacy) {
                        let converted = template(selector, &effective, legacy)?;
                        extra.push(("ItemSelector", converted, legacy));
                    }
                }
                for field in ["ItemReader", "ItemBatcher", "ResultWriter"] {
                    if let Some(v) = state.get(field) {
                        let converted = distributed(field, v, &effective)?;
                        if &converted != v {
                            extra.push((field, converted, field));
                        }
                    }
                }
                for (path, to) in [
                    ("MaxConcurrencyPath", "MaxConcurrency"),
                    ("ToleratedFailurePercentagePath", "ToleratedFailurePercentage"),
                    ("ToleratedFailureCountPath", "ToleratedFailureCount"),
                ] {
                    if let Some(p) = state.get(path).and_then(Value::as_str) {
                        extra.push((to, Out::Expr(path_expr(p, &effective, path)?).field(), path));
                    }
                }
            } else {
                arguments = match state.get("Parameters") {
                    Some(p) => Some(Out::Template(template(p, &effective, "Parameters")?)),
                    None if input_path.is_some() => Some(input.clone()),
                    None => None,
                };
            }
            if ty == "Task" {
                for (path, to) in [
                    ("TimeoutSecondsPath", "TimeoutSeconds"),
                    ("HeartbeatSecondsPath", "HeartbeatSeconds"),
                ] {
                    if let Some(p) = state.get(path).and_then(Value::as_str) {
                        extra.push((to, Out::Expr(path_expr(p, &effective, path)?).field(), path));
                    }
                }
            }
            if let Some(Value::Array(catchers)) = state.get("Catch") {
                for (i, catcher) in catchers.iter().enumerate() {
                    let Some(c) = catcher.as_object() else { continue };
                    let at = format!("Catch[{i}]");
                    let mut b = Builder::new();
                    for (k, v) in c {
                        match k.as_str() {
                            "ResultPath" => {
                                let rp =
                                    path_field(c, "ResultPath").map_err(|e| format!("{at}.{e}"))?;
                                let out = result_path(
                                    rp,
                                    Out::expr("$states.errorOutput"),
                                    raw,
                                    &format!("{at}.ResultPath"),
                                )?;
                                if !out.is("$states.errorOutput") {
                                    b.put("Output", out.field(), Some("ResultPath"));
                                }
                            }
                            "Assign" => {
                                let a = template(
                                    v,
                                    &Scope::of("$states.errorOutput"),
                                    &format!("{at}.Assign"),
                                )?;
                                b.put("Assign", a, None);
                            }
                            _ => b.put(k, v.clone(), None),
                        }
                    }
                    objects.push(b.finish(format!("/Catch/{i}")));
                }
            }
        }
        "Pass" => {
            let result = if let Some(p) = state.get("Parameters") {
                Out::Template(template(p, &effective, "Parameters")?)
            } else if let Some(r) = state.get("Result") {
                Out::Template(literal(r, "Result")?)
            } else {
                input.clone()
            };
            assign_scope = Scope::value(&result);
            let merged = result_path(result_path_field, result, raw, "ResultPath")?;
            output = Some(apply_path(output_path, merged, "OutputPath")?);
        }
        "Wait" => {
            for (path, to) in [("SecondsPath", "Seconds"), ("TimestampPath", "Timestamp")] {
                if let Some(p) = state.get(path).and_then(Value::as_str) {
                    extra.push((to, Out::Expr(path_expr(p, &effective, path)?).field(), path));
                }
            }
            output = Some(apply_path(output_path, input.clone(), "OutputPath")?);
        }
        "Choice" | "Succeed" => {
            output = Some(apply_path(output_path, input.clone(), "OutputPath")?);
            if let Some(Value::Array(rules)) = state.get("Choices") {
                for (i, rule) in rules.iter().enumerate() {
                    let Some(r) = rule.as_object() else { continue };
                    let at = format!("Choices[{i}]");
                    let c = condition(r, &effective, &at)?;
                    let mut b = Builder::new();
                    let mut placed = false;
                    for (k, v) in r {
                        let is_test = matches!(k.as_str(), "Variable" | "And" | "Or" | "Not")
                            || crate::fields::is_choice_operator(k);
                        if is_test {
                            if !placed {
                                b.put("Condition", Value::String(format!("{{% {c} %}}")), Some(k));
                                placed = true;
                            }
                        } else if k == "Assign" {
                            b.put(
                                "Assign",
                                template(v, &effective, &format!("{at}.Assign"))?,
                                None,
                            );
                        } else {
                            b.put(k, v.clone(), None);
                        }
                    }
                    objects.push(b.finish(format!("/Choices/{i}")));
                }
            }
        }
        "Fail" => {
            let scope = Scope::of(raw);
            for (path, to) in [("ErrorPath", "Error"), ("CausePath", "Cause")] {
                if let Some(p) = state.get(path).and_then(Value::as_str) {
                    extra.push((to, Out::Expr(dynamic(p, &scope, path)?).field(), path));
                }
            }
        }
        _ => {}
    }
    // The default output of a JSONata state: the result for states with one, else the input.
    let default_output =
        if matches!(ty, "Task" | "Parallel" | "Map") { "$states.result" } else { "$states.input" };
    let output = output.filter(|o| !o.is(default_output));

    let mut b = Builder::new();
    let io = ["InputPath", "Parameters", "Result", "ResultSelector", "ResultPath", "OutputPath"];
    let last_io = state.keys().rfind(|k| io.contains(&k.as_str())).cloned();
    let first_args = ["Parameters", "InputPath"].into_iter().find(|k| has(k));
    for (k, v) in state {
        let key = k.as_str();
        if key == "QueryLanguage" {
            if !machine_jsonata {
                b.put("QueryLanguage", Value::from("JSONata"), None);
            }
            continue;
        }
        if let Some((to, value, _)) = extra.iter().find(|(_, _, from)| *from == key) {
            b.put(to, value.clone(), Some(key));
            continue;
        }
        if io.contains(&key) {
            if ty != "Map" && Some(key) == first_args {
                if let Some(args) = &arguments {
                    b.put("Arguments", args.field(), Some(key));
                }
            }
            if Some(k) == last_io.as_ref() {
                if let Some(out) = &output {
                    let source =
                        if b.sources.iter().any(|(_, s)| s == key) { None } else { Some(key) };
                    b.put("Output", out.field(), source);
                }
            }
            continue;
        }
        match key {
            "Assign" => {
                let a = template(v, &assign_scope, "Assign")?;
                b.put("Assign", a, None);
            }
            "Type" => {
                b.put("Type", v.clone(), None);
                if !machine_jsonata && own.is_none() {
                    b.put("QueryLanguage", Value::from("JSONata"), None);
                }
            }
            _ => {
                if state_field(key).is_some_and(|f| f.only == Only::JsonPath) {
                    return Err(format!("{key}: this field is not converted; convert it by hand"));
                }
                b.put(key, v.clone(), None);
            }
        }
    }
    // Outputs with no JSONPath field to stand in for (never, but keep them).
    if let Some(out) = output.filter(|_| !b.fields.iter().any(|(k, _)| k == "Output")) {
        b.put("Output", out.field(), None);
    }
    // The state first: its rewrite leaves the rules and catchers as they are in the text.
    objects.insert(0, b.finish(String::new()));
    Ok(Plan { objects })
}

/// A Distributed Map's `ItemReader`, `ItemBatcher` or `ResultWriter` in JSONata: `Parameters`
/// become `Arguments`, `BatchInput` a JSONata template, and the `…Path` fields (`MaxItemsPath`,
/// `MaxItemsPerBatchPath`, `MaxInputBytesPerBatchPath`) their expression form.
fn distributed(field: &str, value: &Value, scope: &Scope) -> Fallible<Value> {
    let Some(object) = value.as_object() else { return Ok(value.clone()) };
    let mut out = Map::new();
    for (key, v) in object {
        let at = format!("{field}.{key}");
        let (name, converted) = match key.as_str() {
            "Parameters" if field != "ItemBatcher" => {
                ("Arguments".to_owned(), template(v, scope, &at)?)
            }
            "BatchInput" if field == "ItemBatcher" => (key.clone(), template(v, scope, &at)?),
            "ReaderConfig" if field == "ItemReader" => (key.clone(), distributed(&at, v, scope)?),
            "MaxItemsPath" | "MaxItemsPerBatchPath" | "MaxInputBytesPerBatchPath" => {
                let path = v.as_str().ok_or_else(|| format!("{at} must be a path"))?;
                let name = key.trim_end_matches("Path").to_owned();
                (name, Out::Expr(path_expr(path, scope, &at)?).field())
            }
            _ => (key.clone(), v.clone()),
        };
        if has_jsonpath(&converted) || out.contains_key(&name) {
            return Err(format!("{at}: this field is not converted; convert it by hand"));
        }
        out.insert(name, converted);
    }
    Ok(Value::Object(out))
}

/// Whether a value holds JSONPath constructs: `.$` keys, `Parameters`, `…Path` fields.
fn has_jsonpath(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            k.ends_with(".$") || k == "Parameters" || k.ends_with("Path") || has_jsonpath(v)
        }),
        Value::Array(items) => items.iter().any(has_jsonpath),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expr(text: &str) -> String {
        dynamic(text, &Scope::of("$states.input"), "F").expect("converts")
    }

    #[test]
    fn paths_become_states_input_context_and_variables() {
        assert_eq!(expr("$"), "$states.input");
        assert_eq!(expr("$.a.b[0]['c d']"), "$states.input.a.b[0].`c d`");
        assert_eq!(expr("$$.Execution.Id"), "$states.context.Execution.Id");
        assert_eq!(expr("$$"), "$states.context");
        assert_eq!(expr("$customer.name"), "$customer.name");
        assert_eq!(expr("$.and"), "$states.input.`and`");
    }

    #[test]
    fn intrinsics_become_jsonata_functions() {
        assert_eq!(
            expr("States.Format('Hi {}!', $.name)"),
            "\"Hi \" & $string($states.input.name) & \"!\""
        );
        assert_eq!(expr("States.StringToJson($.s)"), "$parse($states.input.s)");
        assert_eq!(expr("States.JsonToString($.o)"), "$string($states.input.o)");
        assert_eq!(expr("States.Array($.a, 'b', 3)"), "[$states.input.a, \"b\", 3]");
        assert_eq!(expr("States.ArrayLength($.a)"), "$count($states.input.a)");
        assert_eq!(expr("States.MathAdd($.n, -1)"), "($states.input.n + -1)");
        assert_eq!(expr("States.UUID()"), "$uuid()");
        assert_eq!(expr("States.Hash($.v, 'SHA-256')"), "$hash($states.input.v, \"SHA-256\")");
        assert_eq!(expr("States.ArrayGetItem($.a, 2)"), "$states.input.a[2]");
        assert_eq!(expr("States.ArrayPartition($.a, 2)"), "$partition($states.input.a, 2)");
        assert_eq!(expr("States.ArrayRange(1, 9, 2)"), "$range(1, 9, 2)");
        assert_eq!(expr("States.ArrayUnique($.a)"), "$distinct($states.input.a)");
        assert_eq!(expr("States.ArrayContains($.a, 3)"), "(3 in $states.input.a)");
        assert_eq!(expr("States.Base64Encode('x')"), "$base64encode(\"x\")");
        assert_eq!(
            expr("States.JsonMerge($.a, $.b, false)"),
            "$merge([$states.input.a, $states.input.b])"
        );
        assert_eq!(expr("States.StringSplit($.s, ',')"), "$split($states.input.s, \",\")");
        assert_eq!(expr("States.ArrayGetItem(States.Array(1, 2), 0)"), "([1, 2])[0]");
        assert_eq!(expr("States.Format('it\\'s {}', 'x')"), "\"it's \" & \"x\"");
    }

    #[test]
    fn what_has_no_equivalent_is_refused_naming_the_field() {
        let scope = Scope::of("$states.input");
        for (text, why) in [
            ("$..a", "deep scan"),
            ("$.items[?(@.x > 1)]", "filter"),
            ("$.items[*]", "wildcard"),
            ("$.a[0:2]", "slice"),
            ("States.MathRandom(1, 9, 7)", "with a seed"),
            ("States.StringSplit($.s, ', ')", "set of characters"),
            ("States.Format('\\{} {}', $.a)", "escapes a brace"),
        ] {
            let err = dynamic(text, &scope, "Parameters.x.$").expect_err(text);
            assert!(err.starts_with("Parameters.x.$"), "{err}");
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn result_path_merges_into_the_input() {
        let out =
            result_path(Some(Some("$.a.b")), Out::expr("$states.result"), "$states.input", "R")
                .expect("converts");
        assert_eq!(
            out.text(),
            "$merge([$states.input, {\"a\": $merge([$states.input.a, {\"b\": $states.result}])}])"
        );
        let err =
            result_path(Some(Some("$.a[0]")), Out::expr("$states.result"), "$states.input", "R");
        assert!(err.expect_err("array").contains("array element"));
    }

    #[test]
    fn string_matches_becomes_an_anchored_regex() {
        assert_eq!(wildcard_regex("log-*.txt"), "log-.*\\.txt");
        assert_eq!(wildcard_regex("a\\*b/c"), "a\\*b\\/c");
    }
}

/// The edit on whole documents: before/after texts, validation, undo.
#[cfg(test)]
mod document_tests {
    use crate::{Document, Edit, EditError, Format, Options, Severity};

    fn error_codes(d: &Document) -> Vec<String> {
        let mut codes: Vec<String> = d
            .diagnostics()
            .iter()
            .filter(|x| x.severity == Severity::Error)
            .map(|x| x.code.clone())
            .collect();
        codes.sort();
        codes
    }

    /// Converts `state` in `text`; on success checks that no error appeared and that one undo
    /// restores the text; on refusal checks that nothing changed.
    fn convert_in(text: &str, format: Format, state: &str) -> Result<String, String> {
        let mut d = Document::new(text, format, Options::default());
        let before = error_codes(&d);
        match d.apply(Edit::ConvertToJsonata { state: state.to_owned() }) {
            Ok(snap) => {
                let after = error_codes(&d);
                assert!(
                    after.iter().all(|c| before.contains(c)) && after.len() <= before.len(),
                    "new errors {after:?} (before {before:?}) in\n{}\n{:?}",
                    snap.text,
                    d.diagnostics()
                );
                d.undo().expect("one undo step");
                assert_eq!(d.text(), text, "one undo restores the text");
                assert!(!d.can_undo(), "the conversion is one undo step");
                d.redo().expect("redoes");
                assert_eq!(d.text(), snap.text);
                Ok(snap.text)
            }
            Err(EditError::NotApplicable(why)) => {
                assert_eq!(d.text(), text, "a refusal changes nothing");
                assert!(!d.can_undo());
                Err(why)
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    fn convert(text: &str, state: &str) -> Result<String, String> {
        convert_in(text, Format::Json, state)
    }

    /// A machine whose first state `A` has `body` (the inner lines), followed by `Done`.
    fn machine(body: &str) -> String {
        format!(
            "{{\n  \"StartAt\": \"A\",\n  \"States\": {{\n    \"A\": {{\n{body}\n    }},\n    \"Done\": {{\n      \"Type\": \"Succeed\"\n    }}\n  }}\n}}"
        )
    }

    #[test]
    fn task_with_every_jsonpath_field_becomes_arguments_and_output() {
        let before = machine(
            r##"      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "InputPath": "$.order",
      "Parameters": {
        "FunctionName": "process",
        "Payload": {
          "id.$": "$.id",
          "execution.$": "$$.Execution.Id",
          "greeting.$": "States.Format('Hello {}', $.name)"
        }
      },
      "ResultSelector": {
        "total.$": "$.Payload.total"
      },
      "ResultPath": "$.billing",
      "OutputPath": "$.billing",
      "TimeoutSecondsPath": "$.timeout",
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "ResultPath": "$.error",
          "Next": "Done"
        }
      ],
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Task",
      "QueryLanguage": "JSONata",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {
        "FunctionName": "process",
        "Payload": {
          "id": "{% $states.input.order.id %}",
          "execution": "{% $states.context.Execution.Id %}",
          "greeting": "{% \"Hello \" & $string($states.input.order.name) %}"
        }
      },
      "Output": {
        "total": "{% $states.result.Payload.total %}"
      },
      "TimeoutSeconds": "{% $states.input.order.timeout %}",
      "Catch": [
        {
          "ErrorEquals": ["States.ALL"],
          "Output": "{% $merge([$states.input, {\"error\": $states.errorOutput}]) %}",
          "Next": "Done"
        }
      ],
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn task_parameters_and_assign_read_input_and_result() {
        let before = machine(
            r##"      "Type": "Task",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Parameters": {
        "FunctionName": "f",
        "Payload.$": "$"
      },
      "Assign": {
        "count.$": "$.Payload.count",
        "fixed": 1
      },
      "End": true"##,
        );
        let after = machine(
            r##"      "Type": "Task",
      "QueryLanguage": "JSONata",
      "Resource": "arn:aws:states:::lambda:invoke",
      "Arguments": {
        "FunctionName": "f",
        "Payload": "{% $states.input %}"
      },
      "Assign": {
        "count": "{% $states.result.Payload.count %}",
        "fixed": 1
      },
      "End": true"##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn pass_result_merged_at_result_path() {
        let before = machine(
            r##"      "Type": "Pass",
      "Result": {"a": 1},
      "ResultPath": "$.fixed",
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Pass",
      "QueryLanguage": "JSONata",
      "Output": "{% $merge([$states.input, {\"fixed\": {\"a\": 1}}]) %}",
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn pass_with_result_path_null_keeps_its_input() {
        let before = machine(
            r##"      "Type": "Pass",
      "Parameters": {"x.$": "States.UUID()"},
      "ResultPath": null,
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Pass",
      "QueryLanguage": "JSONata",
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn choice_rules_become_conditions_over_the_effective_input() {
        let before = machine(
            r##"      "Type": "Choice",
      "InputPath": "$.order",
      "Choices": [
        {
          "Variable": "$.status",
          "StringEquals": "paid",
          "Next": "Done"
        },
        {
          "And": [
            {"Variable": "$.total", "NumericGreaterThanPath": "$.limit"},
            {"Not": {"Variable": "$.name", "StringMatches": "test-*"}}
          ],
          "Next": "Done"
        },
        {
          "Variable": "$.note",
          "IsPresent": false,
          "Next": "Done"
        }
      ],
      "Default": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Choice",
      "QueryLanguage": "JSONata",
      "Output": "{% $states.input.order %}",
      "Choices": [
        {
          "Condition": "{% $states.input.order.status = \"paid\" %}",
          "Next": "Done"
        },
        {
          "Condition": "{% ($states.input.order.total > $states.input.order.limit) and ($not($contains($states.input.order.name, /^test-.*$/))) %}",
          "Next": "Done"
        },
        {
          "Condition": "{% $not($exists($states.input.order.note)) %}",
          "Next": "Done"
        }
      ],
      "Default": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn wait_seconds_path_becomes_seconds() {
        let before = machine(
            r##"      "Type": "Wait",
      "SecondsPath": "$.delay",
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Wait",
      "QueryLanguage": "JSONata",
      "Seconds": "{% $states.input.delay %}",
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn wait_timestamp_path_and_output_path() {
        let before = machine(
            r##"      "Type": "Wait",
      "TimestampPath": "$$.Execution.Input.when",
      "OutputPath": "$.x",
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Wait",
      "QueryLanguage": "JSONata",
      "Timestamp": "{% $states.context.Execution.Input.when %}",
      "Output": "{% $states.input.x %}",
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn succeed_input_and_output_paths_become_output() {
        let before = machine(
            r##"      "Type": "Succeed",
      "InputPath": "$.a",
      "OutputPath": "$.b""##,
        );
        let after = machine(
            r##"      "Type": "Succeed",
      "QueryLanguage": "JSONata",
      "Output": "{% $states.input.a.b %}""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn fail_error_and_cause_paths_become_expressions() {
        let before = machine(
            r##"      "Type": "Fail",
      "ErrorPath": "$.error",
      "CausePath": "States.Format('Failed: {}', $.reason)""##,
        );
        let after = machine(
            r##"      "Type": "Fail",
      "QueryLanguage": "JSONata",
      "Error": "{% $states.input.error %}",
      "Cause": "{% \"Failed: \" & $string($states.input.reason) %}""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn parallel_parameters_and_result_path() {
        let before = machine(
            r##"      "Type": "Parallel",
      "Parameters": {"id.$": "$.id"},
      "ResultPath": "$.branches",
      "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
      ],
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Parallel",
      "QueryLanguage": "JSONata",
      "Arguments": {
        "id": "{% $states.input.id %}"
      },
      "Output": "{% $merge([$states.input, {\"branches\": $states.result}]) %}",
      "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": true}}}
      ],
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn map_items_path_item_selector_and_concurrency() {
        let before = machine(
            r##"      "Type": "Map",
      "ItemsPath": "$.items",
      "ItemSelector": {
        "item.$": "$$.Map.Item.Value",
        "index.$": "$$.Map.Item.Index",
        "customer.$": "$.customer"
      },
      "MaxConcurrencyPath": "$.parallelism",
      "ItemProcessor": {
        "StartAt": "Each",
        "States": {"Each": {"Type": "Pass", "End": true}}
      },
      "ResultPath": "$.results",
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Map",
      "QueryLanguage": "JSONata",
      "Items": "{% $states.input.items %}",
      "ItemSelector": {
        "item": "{% $states.context.Map.Item.Value %}",
        "index": "{% $states.context.Map.Item.Index %}",
        "customer": "{% $states.input.customer %}"
      },
      "MaxConcurrency": "{% $states.input.parallelism %}",
      "ItemProcessor": {
        "StartAt": "Each",
        "States": {"Each": {"Type": "Pass", "End": true}}
      },
      "Output": "{% $merge([$states.input, {\"results\": $states.result}]) %}",
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn what_has_no_faithful_translation_is_refused_with_the_field_and_nothing_changes() {
        let cases = [
            (r#""Type": "Pass", "InputPath": "$.items[?(@.ok)]", "Next": "Done""#, "InputPath"),
            (
                r#""Type": "Pass", "Parameters": {"all.$": "$..id"}, "Next": "Done""#,
                "Parameters.all.$",
            ),
            (r#""Type": "Pass", "ResultPath": "$.list[0]", "Next": "Done""#, "ResultPath"),
            (
                r#""Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "ResultSelector": {"a.$": "$.x"}, "Assign": {"v.$": "$.a"}, "Next": "Done""#,
                "Assign.v.$",
            ),
            (
                r#""Type": "Choice", "Choices": [{"Variable": "$.t", "IsTimestamp": true, "Next": "Done"}], "Default": "Done""#,
                "Choices[0].IsTimestamp",
            ),
            (
                r#""Type": "Map", "ItemReader": {"Resource": "arn:aws:states:::s3:getObject", "Parameters": {"Bucket.$": "$..bucket", "Key": "k"}}, "ItemProcessor": {"StartAt": "E", "States": {"E": {"Type": "Pass", "End": true}}}, "Next": "Done""#,
                "ItemReader.Parameters.Bucket.$",
            ),
            (
                r#""Type": "Pass", "Result": {"note": "{% not an expression %}"}, "Next": "Done""#,
                "Result.note",
            ),
            (
                r#""Type": "Pass", "QueryLanguage": "JSONata", "Output": 1, "Next": "Done""#,
                "already uses JSONata",
            ),
        ];
        for (body, field) in cases {
            let text = format!(
                r#"{{"StartAt":"A","States":{{"A":{{{body}}},"Done":{{"Type":"Succeed"}}}}}}"#
            );
            let why = convert(&text, "/States/A").expect_err(body);
            assert!(why.contains(field), "{body}: {why}");
        }
    }

    #[test]
    fn a_state_in_a_jsonata_machine_needs_no_query_language_of_its_own() {
        let text = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","QueryLanguage":"JSONPath","OutputPath":"$.x","Next":"Done"},"Done":{"Type":"Succeed"}}}"#;
        assert_eq!(
            convert(text, "/States/A").as_deref(),
            Ok(
                r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input.x %}","Next":"Done"},"Done":{"Type":"Succeed"}}}"#
            )
        );
    }

    #[test]
    fn pass_assign_reads_the_pass_result_and_choice_rule_assign_the_input() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Parameters":{"n.$":"$.count"},"Assign":{"n.$":"$.n","from.$":"$$.State.Name"},"Next":"C"},"C":{"Type":"Choice","Choices":[{"Variable":"$n","NumericEquals":1,"Assign":{"seen.$":"$.flag"},"Next":"Done"}],"Default":"Done"},"Done":{"Type":"Succeed"}}}"#;
        let once = convert(text, "/States/A").expect("converts A");
        assert!(
            once.contains(r#""Output":{"n":"{% $states.input.count %}"},"Assign":{"n":"{% $states.input.count %}","from":"{% $states.context.State.Name %}"}"#),
            "{once}"
        );
        let twice = convert(&once, "/States/C").expect("converts C");
        assert!(
            twice.contains(r#""Choices":[{"Condition":"{% $n = 1 %}","Assign":{"seen":"{% $states.input.flag %}"},"Next":"Done"}]"#),
            "{twice}"
        );
    }

    #[test]
    fn yaml_states_convert_in_place() {
        let text = "StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: arn:aws:states:::lambda:invoke\n    Parameters:\n      Payload.$: $.order\n    ResultPath: $.out\n    Next: Done\n  Done:\n    Type: Succeed\n";
        let after = convert_in(text, Format::Yaml, "/States/A").expect("converts");
        assert_eq!(
            after,
            "StartAt: A\nStates:\n  A:\n    Type: Task\n    QueryLanguage: JSONata\n    Resource: arn:aws:states:::lambda:invoke\n    Arguments:\n      Payload: \"{% $states.input.order %}\"\n    Output: \"{% $merge([$states.input, {\\\"out\\\": $states.result}]) %}\"\n    Next: Done\n  Done:\n    Type: Succeed\n"
        );
    }

    #[test]
    fn map_without_items_path_reads_its_filtered_input() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Map","InputPath":"$.list","ItemProcessor":{"StartAt":"E","States":{"E":{"Type":"Pass","End":true}}},"Next":"Done"},"Done":{"Type":"Succeed"}}}"#;
        let after = convert(text, "/States/A").expect("converts");
        assert!(after.contains(r#""Items":"{% $states.input.list %}""#), "{after}");
        assert!(!after.contains("InputPath"), "{after}");
    }

    #[test]
    fn every_state_of_the_corpus_and_templates_converts_cleanly_or_is_refused() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let mut files = Vec::new();
        for dir in ["tests/corpus", "assets/templates"] {
            let mut stack = vec![root.join(dir)];
            while let Some(dir) = stack.pop() {
                for entry in std::fs::read_dir(&dir).expect("a corpus folder").flatten() {
                    let path = entry.path();
                    let name = path.to_string_lossy().to_string();
                    if path.is_dir() {
                        stack.push(path);
                    } else if name.ends_with(".asl.json") || name.ends_with(".asl.yaml") {
                        files.push(path);
                    }
                }
            }
        }
        assert!(files.len() > 6, "{files:?}");
        let (mut converted, mut refused) = (0, 0);
        for file in files {
            let text = std::fs::read_to_string(&file).expect("readable");
            let format =
                if file.to_string_lossy().ends_with(".yaml") { Format::Yaml } else { Format::Json };
            let d = Document::new(text.as_str(), format, Options::default());
            let pointers: Vec<String> = d
                .definition()
                .map(|def| {
                    def.all_machines()
                        .into_iter()
                        .flat_map(|m| {
                            m.states.values().map(|s| s.pointer.clone()).collect::<Vec<_>>()
                        })
                        .collect()
                })
                .unwrap_or_default();
            for pointer in pointers {
                match convert_in(&text, format, &pointer) {
                    Ok(_) => converted += 1,
                    Err(_) => refused += 1,
                }
            }
        }
        assert!(converted > 20, "converted {converted}, refused {refused}");
    }

    #[test]
    fn an_explicit_jsonpath_query_language_becomes_jsonata() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Wait","QueryLanguage":"JSONPath","Seconds":5,"Assign":{"at.$":"$$.State.EnteredTime"},"Next":"Done"},"Done":{"Type":"Succeed"}}}"#;
        assert_eq!(
            convert(text, "/States/A").as_deref(),
            Ok(
                r#"{"StartAt":"A","States":{"A":{"Type":"Wait","QueryLanguage":"JSONata","Seconds":5,"Assign":{"at":"{% $states.context.State.EnteredTime %}"},"Next":"Done"},"Done":{"Type":"Succeed"}}}"#
            )
        );
    }

    #[test]
    fn distributed_map_reader_batcher_and_writer() {
        let before = machine(
            r##"      "Type": "Map",
      "ItemReader": {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {"InputType": "JSON", "MaxItemsPath": "$.limit"},
        "Parameters": {"Bucket.$": "$.bucket", "Key": "items.json"}
      },
      "ItemBatcher": {"MaxItemsPerBatchPath": "$.batch", "BatchInput": {"run.$": "$$.Execution.Name"}},
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Each",
        "States": {"Each": {"Type": "Pass", "End": true}}
      },
      "ResultWriter": {
        "Resource": "arn:aws:states:::s3:putObject",
        "Parameters": {"Bucket.$": "$.bucket", "Prefix": "out"}
      },
      "ResultPath": null,
      "Next": "Done""##,
        );
        let after = machine(
            r##"      "Type": "Map",
      "QueryLanguage": "JSONata",
      "ItemReader": {
        "Resource": "arn:aws:states:::s3:getObject",
        "ReaderConfig": {
          "InputType": "JSON",
          "MaxItems": "{% $states.input.limit %}"
        },
        "Arguments": {
          "Bucket": "{% $states.input.bucket %}",
          "Key": "items.json"
        }
      },
      "ItemBatcher": {
        "MaxItemsPerBatch": "{% $states.input.batch %}",
        "BatchInput": {
          "run": "{% $states.context.Execution.Name %}"
        }
      },
      "ItemProcessor": {
        "ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
        "StartAt": "Each",
        "States": {"Each": {"Type": "Pass", "End": true}}
      },
      "ResultWriter": {
        "Resource": "arn:aws:states:::s3:putObject",
        "Arguments": {
          "Bucket": "{% $states.input.bucket %}",
          "Prefix": "out"
        }
      },
      "Output": "{% $states.input %}",
      "Next": "Done""##,
        );
        assert_eq!(convert(&before, "/States/A"), Ok(after));
    }

    #[test]
    fn a_path_into_a_template_takes_the_field_from_it() {
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"a":{"b":[1,2]},"c":3},"OutputPath":"$.a.b[1]","Next":"Done"},"Done":{"Type":"Succeed"}}}"#;
        let after = convert(text, "/States/A").expect("converts");
        assert!(after.contains(r#""Output":2"#), "{after}");
        let text = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":null,"OutputPath":"$.x","Next":"Done"},"Done":{"Type":"Succeed"}}}"#;
        let after = convert(text, "/States/A").expect("converts");
        assert!(after.contains(r#""Output":"{% ({}).x %}""#), "{after}");
    }
}
