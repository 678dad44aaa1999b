//! The 18 intrinsic functions of JSONPath states (`States.Format`, `States.Array`, ...).
//!
//! An invocation is parsed once, when the definition is compiled, into a small tree; evaluating it
//! never fails with a panic: bad arguments become `States.IntrinsicFailure`. Numeric arguments that
//! AWS documents as integers are rounded to the nearest integer, as the developer guide says
//! ("Intrinsic functions for JSONPath states").

use base64::Engine as _;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::sync::Arc;

use serde_json::Value;

use crate::dataflow::path::Path;
use crate::dataflow::{Env, EvalError};
use crate::errors::{Failure, INTRINSIC_FAILURE};
use crate::value::Payload;

/// A compiled intrinsic invocation.
#[derive(Debug, Clone, PartialEq)]
pub struct Intrinsic {
    func: Func,
    args: Vec<Arg>,
}

#[derive(Debug, Clone, PartialEq)]
enum Arg {
    /// A string literal, with the `{}` placeholders it had before unescaping (for Format).
    Str(String, Vec<Piece>),
    Literal(Payload),
    Path(Path),
    Context(Path),
    Call(Box<Intrinsic>),
}

#[derive(Debug, Clone, PartialEq)]
enum Piece {
    Text(String),
    Hole,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Func {
    Format,
    StringToJson,
    JsonToString,
    Array,
    ArrayPartition,
    ArrayContains,
    ArrayRange,
    ArrayGetItem,
    ArrayLength,
    ArrayUnique,
    Base64Encode,
    Base64Decode,
    Hash,
    JsonMerge,
    MathRandom,
    MathAdd,
    StringSplit,
    Uuid,
}

/// The evaluated arguments of a call: most calls have few, kept inline (no allocation per call,
/// as in a loop counting with `States.MathAdd`).
type Args = smallvec::SmallVec<[Payload; 3]>;

/// Most bytes of JSON text a number takes (`-9223372036854775808` is 20, the longest `f64`
/// such as `-2.2250738585072014e-308` is 24).
const NUMBER_BOUND: usize = 32;

impl Intrinsic {
    /// An upper bound of the JSON size of the result, for the functions whose result is small
    /// whatever their arguments (a number, a boolean, a UUID); `None` for the others. Lets a
    /// state whose Parameters count with `States.MathAdd` skip measuring its output.
    pub fn result_bound(&self) -> Option<usize> {
        match self.func {
            Func::MathAdd | Func::MathRandom | Func::ArrayLength => Some(NUMBER_BOUND),
            Func::ArrayContains => Some("false".len()),
            Func::Uuid => Some("\"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\"".len()),
            _ => None,
        }
    }
}

impl Func {
    fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "States.Format" => Func::Format,
            "States.StringToJson" => Func::StringToJson,
            "States.JsonToString" => Func::JsonToString,
            "States.Array" => Func::Array,
            "States.ArrayPartition" => Func::ArrayPartition,
            "States.ArrayContains" => Func::ArrayContains,
            "States.ArrayRange" => Func::ArrayRange,
            "States.ArrayGetItem" => Func::ArrayGetItem,
            "States.ArrayLength" => Func::ArrayLength,
            "States.ArrayUnique" => Func::ArrayUnique,
            "States.Base64Encode" => Func::Base64Encode,
            "States.Base64Decode" => Func::Base64Decode,
            "States.Hash" => Func::Hash,
            "States.JsonMerge" => Func::JsonMerge,
            "States.MathRandom" => Func::MathRandom,
            "States.MathAdd" => Func::MathAdd,
            "States.StringSplit" => Func::StringSplit,
            "States.UUID" => Func::Uuid,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Func::Format => "States.Format",
            Func::StringToJson => "States.StringToJson",
            Func::JsonToString => "States.JsonToString",
            Func::Array => "States.Array",
            Func::ArrayPartition => "States.ArrayPartition",
            Func::ArrayContains => "States.ArrayContains",
            Func::ArrayRange => "States.ArrayRange",
            Func::ArrayGetItem => "States.ArrayGetItem",
            Func::ArrayLength => "States.ArrayLength",
            Func::ArrayUnique => "States.ArrayUnique",
            Func::Base64Encode => "States.Base64Encode",
            Func::Base64Decode => "States.Base64Decode",
            Func::Hash => "States.Hash",
            Func::JsonMerge => "States.JsonMerge",
            Func::MathRandom => "States.MathRandom",
            Func::MathAdd => "States.MathAdd",
            Func::StringSplit => "States.StringSplit",
            Func::Uuid => "States.UUID",
        }
    }

    /// Allowed argument counts (min, max).
    fn arity(self) -> (usize, usize) {
        match self {
            Func::Format => (1, usize::MAX),
            Func::Array => (0, usize::MAX),
            Func::StringToJson
            | Func::JsonToString
            | Func::ArrayLength
            | Func::ArrayUnique
            | Func::Base64Encode
            | Func::Base64Decode => (1, 1),
            Func::ArrayPartition
            | Func::ArrayContains
            | Func::ArrayGetItem
            | Func::Hash
            | Func::MathAdd
            | Func::StringSplit => (2, 2),
            Func::ArrayRange | Func::JsonMerge => (3, 3),
            Func::MathRandom => (2, 3),
            Func::Uuid => (0, 0),
        }
    }
}

/// Whether a `.$` value is an intrinsic invocation rather than a path.
pub fn looks_like_intrinsic(text: &str) -> bool {
    text.starts_with("States.")
}

impl Intrinsic {
    /// Parses `States.Name(arg, ...)`.
    pub fn parse(text: &str) -> Result<Intrinsic, String> {
        let mut p = P { s: text, i: 0 };
        let call = p.call(0)?;
        p.ws();
        if p.i != text.len() {
            return Err(format!("unexpected text after the intrinsic function in {text:?}"));
        }
        Ok(call)
    }

    /// Evaluates the invocation.
    pub fn eval(&self, env: &Env<'_>) -> Result<Payload, EvalError> {
        // `States.MathAdd` reads its two numbers where they are (a counting loop's
        // `States.MathAdd($.n, 1)`): no argument vector, no copies.
        if let (Func::MathAdd, [a, b]) = (self.func, self.args.as_slice())
            && let (Some(a), Some(b)) = (in_place(a, env.input), in_place(b, env.input))
        {
            return math_add(a, b).map_err(EvalError::Failure);
        }
        let mut args = Args::with_capacity(self.args.len());
        for arg in &self.args {
            args.push(match arg {
                Arg::Str(s, _) => Payload::from(s.as_str()),
                Arg::Literal(v) => v.clone(),
                Arg::Path(p) => env.select(p, false)?,
                Arg::Context(p) => env.select(p, true)?,
                Arg::Call(c) => c.eval(env)?,
            });
        }
        self.apply(args, env).map_err(EvalError::Failure)
    }

    fn apply(&self, mut args: Args, env: &Env<'_>) -> Result<Payload, Failure> {
        let name = self.func.name();
        let fail = |why: String| {
            Failure::new(INTRINSIC_FAILURE, format!("Invalid arguments in {name}: {why}"))
        };
        let string = |v: &Payload, what: &str| -> Result<String, Failure> {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| fail(format!("the {what} must be a string")))
        };
        let int = |v: &Payload, what: &str| -> Result<i64, Failure> {
            v.as_f64()
                .map(|f| f.round() as i64)
                .ok_or_else(|| fail(format!("the {what} must be a number")))
        };
        Ok(match self.func {
            Func::Array => Payload::array(args.into_vec()),
            Func::Format => {
                let pieces = match &self.args[0] {
                    Arg::Str(_, pieces) => pieces.clone(),
                    _ => template_pieces(&string(&args[0], "template")?),
                };
                let holes = pieces.iter().filter(|p| matches!(p, Piece::Hole)).count();
                if holes != args.len() - 1 {
                    return Err(fail(format!(
                        "the template has {holes} placeholder(s) but {} value(s) were given",
                        args.len() - 1
                    )));
                }
                let mut out = String::new();
                let mut values = args.iter().skip(1);
                for piece in &pieces {
                    match piece {
                        Piece::Text(t) => out.push_str(t),
                        Piece::Hole => match values.next() {
                            Some(Payload::String(s)) => out.push_str(s),
                            Some(other) => out.push_str(&other.to_string()),
                            None => {}
                        },
                    }
                }
                Payload::from(out)
            }
            Func::StringToJson => {
                let s = string(&args[0], "argument")?;
                Payload::parse(&s)
                    .map_err(|e| fail(format!("the string is not valid JSON ({e})")))?
            }
            Func::JsonToString => Payload::from(args[0].to_string()),
            Func::ArrayPartition => {
                let items = array(&args[0])
                    .ok_or_else(|| fail("the first argument must be an array".into()))?;
                let size = int(&args[1], "chunk size")?;
                if size <= 0 {
                    return Err(fail("the chunk size must be a positive integer".into()));
                }
                Payload::array(
                    items.chunks(size as usize).map(|c| Payload::array(c.to_vec())).collect(),
                )
            }
            Func::ArrayContains => {
                let items = array(&args[0])
                    .ok_or_else(|| fail("the first argument must be an array".into()))?;
                Payload::Bool(items.iter().any(|v| crate::value::json_eq(v, &args[1])))
            }
            Func::ArrayRange => {
                let (start, end, step) =
                    (int(&args[0], "start")?, int(&args[1], "end")?, int(&args[2], "step")?);
                if step == 0 {
                    return Err(fail("the step must not be 0".into()));
                }
                let count = if (step > 0 && start > end) || (step < 0 && start < end) {
                    0
                } else {
                    (end - start) / step + 1
                };
                if count > 1000 {
                    return Err(fail(format!(
                        "the range would have {count} elements; at most 1000 are allowed"
                    )));
                }
                Payload::array((0..count).map(|k| Payload::from(start + k * step)).collect())
            }
            Func::ArrayGetItem => {
                let items = array(&args[0])
                    .ok_or_else(|| fail("the first argument must be an array".into()))?;
                let i = int(&args[1], "index")?;
                if i < 0 || i as usize >= items.len() {
                    return Err(fail(format!(
                        "index {i} is out of bounds for an array of length {}",
                        items.len()
                    )));
                }
                items[i as usize].clone()
            }
            Func::ArrayLength => {
                let items =
                    array(&args[0]).ok_or_else(|| fail("the argument must be an array".into()))?;
                Payload::from(items.len())
            }
            Func::ArrayUnique => {
                let items =
                    array(&args[0]).ok_or_else(|| fail("the argument must be an array".into()))?;
                let mut out: Vec<Payload> = Vec::new();
                for v in items {
                    if !out.iter().any(|u| crate::value::json_eq(u, v)) {
                        out.push(v.clone());
                    }
                }
                Payload::array(out)
            }
            Func::Base64Encode => {
                let s = string(&args[0], "argument")?;
                if s.chars().count() > 10_000 {
                    return Err(fail("the input is longer than 10000 characters".into()));
                }
                Payload::from(base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
            }
            Func::Base64Decode => {
                let s = string(&args[0], "argument")?;
                if s.chars().count() > 10_000 {
                    return Err(fail("the input is longer than 10000 characters".into()));
                }
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(s.as_bytes())
                    .map_err(|e| fail(format!("the input is not valid Base64 ({e})")))?;
                Payload::from(
                    String::from_utf8(bytes)
                        .map_err(|_| fail("the decoded data is not UTF-8 text".into()))?,
                )
            }
            Func::Hash => {
                let data = match &args[0] {
                    Payload::String(s) => s.to_string(),
                    other => other.to_string(),
                };
                if data.chars().count() > 10_000 {
                    return Err(fail("the input is longer than 10000 characters".into()));
                }
                let algorithm = string(&args[1], "algorithm")?;
                Payload::from(hash(&algorithm, data.as_bytes()).ok_or_else(|| {
                    fail(format!(
                        "unsupported algorithm {algorithm:?}; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
                    ))
                })?)
            }
            Func::JsonMerge => {
                if args[2].as_bool() != Some(false) {
                    return Err(fail(
                        "only shallow merging is supported: the third argument must be false"
                            .into(),
                    ));
                }
                let b = args.pop().and(args.pop());
                let a = args.pop();
                match (a, b) {
                    (Some(Payload::Object(mut a)), Some(Payload::Object(b))) => {
                        let merged = Arc::make_mut(&mut a);
                        for (k, v) in b.iter() {
                            merged.insert(k.clone(), v.clone());
                        }
                        Payload::Object(a)
                    }
                    _ => return Err(fail("both values to merge must be JSON objects".into())),
                }
            }
            Func::MathRandom => {
                let (start, end) = (int(&args[0], "start")?, int(&args[1], "end")?);
                if start >= end {
                    return Err(fail("the start must be less than the end".into()));
                }
                let n = match args.get(2) {
                    Some(seed) => {
                        let seed = int(seed, "seed")?;
                        ChaCha8Rng::seed_from_u64(seed as u64).random_range(start..end)
                    }
                    None => env.rng.borrow_mut().random_range(start..end),
                };
                Payload::from(n)
            }
            Func::MathAdd => math_add(&args[0], &args[1])?,
            Func::StringSplit => {
                let s = string(&args[0], "first argument")?;
                let delims = string(&args[1], "delimiter")?;
                Payload::array(
                    s.split(|c: char| delims.contains(c))
                        .filter(|part| !part.is_empty())
                        .map(Payload::from)
                        .collect(),
                )
            }
            Func::Uuid => {
                let mut bytes = [0u8; 16];
                env.rng.borrow_mut().fill(&mut bytes);
                Payload::from(uuid::Builder::from_random_bytes(bytes).into_uuid().to_string())
            }
        })
    }
}

/// An argument's value where it is: a literal, or a definite path into the input that finds
/// something; `None` for any other argument (evaluated as [`Intrinsic::eval`] does).
#[inline]
fn in_place<'v>(arg: &'v Arg, input: &'v Payload) -> Option<&'v Payload> {
    match arg {
        Arg::Literal(v) => Some(v),
        Arg::Path(p) if p.variable().is_none() => p.select_ref(input),
        _ => None,
    }
}

/// `States.MathAdd(a, b)`: both rounded to the nearest integer, each between -2^31 and
/// 2^31 - 1 (developer guide, "Intrinsic functions for JSONPath states").
fn math_add(a: &Payload, b: &Payload) -> Result<Payload, Failure> {
    const RANGE: std::ops::RangeInclusive<i64> = -2_147_483_648..=2_147_483_647;
    // An integer in range is its own rounding: no round trip through `f64` (an integer out of
    // range is out of range either way).
    fn int(v: &Payload) -> Option<i64> {
        if let Payload::Number(n) = v
            && let Some(i) = n.as_i64().filter(|i| RANGE.contains(i))
        {
            return Some(i);
        }
        v.as_f64().map(|f| f.round() as i64)
    }
    let why = match (int(a), int(b)) {
        (Some(a), Some(b)) if RANGE.contains(&a) && RANGE.contains(&b) => {
            return Ok(Payload::from(a + b));
        }
        (None, _) => "the first value must be a number",
        (_, None) => "the second value must be a number",
        _ => "values must be integers between -2147483648 and 2147483647",
    };
    Err(Failure::new(INTRINSIC_FAILURE, format!("Invalid arguments in States.MathAdd: {why}")))
}

fn array(v: &Payload) -> Option<&[Payload]> {
    v.as_array()
}

/// JSON equality with numbers compared by value (1 == 1.0).
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || x.as_f64().zip(y.as_f64()).is_some_and(|(x, y)| x == y)
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

/// The hex digest of `data` with one of `States.Hash`'s algorithms (shared with JSONata's `$hash`).
pub(crate) fn hash_hex(data: &str, algorithm: &str) -> Option<String> {
    hash(algorithm, data.as_bytes())
}

fn hash(algorithm: &str, data: &[u8]) -> Option<String> {
    use sha2::Digest;
    let bytes: Vec<u8> = match algorithm {
        "MD5" => md5::Md5::digest(data).to_vec(),
        "SHA-1" => sha1::Sha1::digest(data).to_vec(),
        "SHA-256" => sha2::Sha256::digest(data).to_vec(),
        "SHA-384" => sha2::Sha384::digest(data).to_vec(),
        "SHA-512" => sha2::Sha512::digest(data).to_vec(),
        _ => return None,
    };
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Splits a template that came from a path (no escapes apply) into text and `{}` holes.
fn template_pieces(s: &str) -> Vec<Piece> {
    let mut pieces = Vec::new();
    let mut rest = s;
    while let Some(at) = rest.find("{}") {
        pieces.push(Piece::Text(rest[..at].to_owned()));
        pieces.push(Piece::Hole);
        rest = &rest[at + 2..];
    }
    pieces.push(Piece::Text(rest.to_owned()));
    pieces
}

struct P<'a> {
    s: &'a str,
    i: usize,
}

impl P<'_> {
    fn ws(&mut self) {
        while self.s[self.i..].starts_with([' ', '\t', '\n']) {
            self.i += 1;
        }
    }

    fn call(&mut self, depth: usize) -> Result<Intrinsic, String> {
        if depth >= 10 {
            return Err("intrinsic functions can be nested at most 10 deep".into());
        }
        self.ws();
        let start = self.i;
        while self.s[self.i..].starts_with(|c: char| c.is_ascii_alphanumeric() || c == '.') {
            self.i += 1;
        }
        let name = &self.s[start..self.i];
        let func = Func::from_name(name)
            .ok_or_else(|| format!("{name:?} is not an intrinsic function"))?;
        self.ws();
        if !self.s[self.i..].starts_with('(') {
            return Err(format!("expected '(' after {name}"));
        }
        self.i += 1;
        let mut args = Vec::new();
        self.ws();
        if self.s[self.i..].starts_with(')') {
            self.i += 1;
        } else {
            loop {
                args.push(self.arg(depth)?);
                self.ws();
                if self.s[self.i..].starts_with(',') {
                    self.i += 1;
                } else if self.s[self.i..].starts_with(')') {
                    self.i += 1;
                    break;
                } else {
                    return Err(format!("expected ',' or ')' in the arguments of {name}"));
                }
            }
        }
        let (min, max) = func.arity();
        if args.len() < min || args.len() > max {
            return Err(format!(
                "{name} takes {} argument(s), not {}",
                arity_text(min, max),
                args.len()
            ));
        }
        Ok(Intrinsic { func, args })
    }

    fn arg(&mut self, depth: usize) -> Result<Arg, String> {
        self.ws();
        let rest = &self.s[self.i..];
        if rest.starts_with('\'') {
            return self.string();
        }
        if rest.starts_with("States.") {
            return Ok(Arg::Call(Box::new(self.call(depth + 1)?)));
        }
        if rest.starts_with('$') {
            // A path runs to the next ',' or ')' outside brackets and quotes.
            let start = self.i;
            let (mut depth_b, mut quote) = (0i32, None::<char>);
            for (off, c) in rest.char_indices() {
                match (quote, c) {
                    (Some(q), c) if c == q => quote = None,
                    (Some(_), _) => {}
                    (None, '\'' | '"') => quote = Some(c),
                    (None, '[' | '(') => depth_b += 1,
                    (None, ']') => depth_b -= 1,
                    (None, ')') if depth_b > 0 => depth_b -= 1,
                    (None, ',' | ')') if depth_b == 0 => {
                        self.i = start + off;
                        return path_arg(rest[..off].trim_end());
                    }
                    _ => {}
                }
            }
            self.i = self.s.len();
            return path_arg(rest.trim_end());
        }
        let end = rest.find([',', ')']).unwrap_or(rest.len());
        let word = rest[..end].trim();
        self.i += end;
        let v: Value = serde_json::from_str(word)
            .map_err(|_| format!("{word:?} is not a valid intrinsic function argument"))?;
        match v {
            Value::Number(_) | Value::Bool(_) | Value::Null => Ok(Arg::Literal(Payload::from(v))),
            _ => Err(format!("{word:?} is not a valid intrinsic function argument")),
        }
    }

    fn string(&mut self) -> Result<Arg, String> {
        self.i += 1;
        let mut value = String::new();
        let mut pieces = Vec::new();
        let mut text = String::new();
        let mut chars = self.s[self.i..].char_indices();
        while let Some((off, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e @ ('\'' | '{' | '}' | '\\'))) => {
                        value.push(e);
                        text.push(e);
                    }
                    _ => return Err("an open escape '\\' in an intrinsic function string".into()),
                },
                '\'' => {
                    self.i += off + 1;
                    pieces.push(Piece::Text(text));
                    return Ok(Arg::Str(value, pieces));
                }
                '{' if self.s[self.i + off..].starts_with("{}") => {
                    chars.next();
                    value.push_str("{}");
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                    pieces.push(Piece::Hole);
                }
                c => {
                    value.push(c);
                    text.push(c);
                }
            }
        }
        Err("unterminated string in an intrinsic function".into())
    }
}

fn path_arg(text: &str) -> Result<Arg, String> {
    if let Some(rest) = text.strip_prefix("$$") {
        let p = Path::parse(&format!("${rest}")).map_err(|e| e.to_string())?;
        Ok(Arg::Context(p))
    } else {
        Ok(Arg::Path(Path::parse(text).map_err(|e| e.to_string())?))
    }
}

fn arity_text(min: usize, max: usize) -> String {
    if min == max {
        min.to_string()
    } else if max == usize::MAX {
        format!("at least {min}")
    } else {
        format!("{min} to {max}")
    }
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;
    use serde_json::{Value, json};

    use super::Intrinsic;
    use crate::dataflow::{Env, EvalError, Lazy};
    use crate::value::Payload;

    fn eval(expr: &str, input: Value) -> Result<Value, EvalError> {
        let i = Intrinsic::parse(expr).expect("parses");
        let build = |_: Option<&str>| Payload::empty_object();
        let lazy = Lazy::new(&build);
        let rng = RefCell::new(ChaCha8Rng::seed_from_u64(1));
        let input = Payload::from(input);
        i.eval(&Env { input: &input, context: &lazy, rng: &rng, variables: None })
            .map(|p| p.to_value())
    }

    #[test]
    fn unknown_functions_and_wrong_arity_are_refused_when_compiling() {
        assert!(Intrinsic::parse("States.Nope(1)").is_err());
        assert!(Intrinsic::parse("States.ArrayLength(1, 2)").is_err());
        assert!(Intrinsic::parse("States.UUID(1)").is_err());
        assert!(Intrinsic::parse("States.Format('open \\ escape')").is_err(), "open escape");
    }

    #[test]
    fn nesting_deeper_than_ten_is_refused() {
        let mut expr = "States.Array()".to_owned();
        for _ in 0..10 {
            expr = format!("States.Array({expr})");
        }
        assert!(Intrinsic::parse(&expr).is_err(), "11 levels");
    }

    #[test]
    fn paths_inside_arguments_may_contain_commas_and_parentheses_in_brackets() {
        let out = eval("States.Format('{}', $['a,b'])", json!({"a,b": "ok"}));
        assert_eq!(out, Ok(json!("ok")));
    }

    /// Developer guide, "Intrinsic functions for JSONPath states", States.MathAdd: the values
    /// are rounded to integers between -2147483648 and 2147483647 (the sum may leave that
    /// range). Arguments read in place (literals, definite paths) and evaluated ones (a nested
    /// call, a string) give the same answers.
    #[test]
    fn math_add_rounds_its_arguments_and_checks_their_range() {
        let input = json!({"n": 41, "max": 2147483647, "over": 2147483648_i64,
            "huge": 9007199254740993_i64, "half": 1.5, "neg": -2.5, "s": "1"});
        for (expr, want) in [
            ("States.MathAdd($.n, 1)", json!(42)),
            ("States.MathAdd(1, $.n)", json!(42)),
            ("States.MathAdd($.max, 1)", json!(2147483648_i64)),
            ("States.MathAdd($.half, 0)", json!(2)),
            ("States.MathAdd($.neg, -1)", json!(-4)),
            ("States.MathAdd(States.MathAdd($.n, 1), 1)", json!(43)),
            (
                "States.MathAdd(States.ArrayLength(States.Array($.n)), -2147483648)",
                json!(-2147483647),
            ),
        ] {
            assert_eq!(eval(expr, input.clone()), Ok(want), "{expr}");
        }
        let failure = |expr| match eval(expr, input.clone()) {
            Err(EvalError::Failure(f)) => {
                (f.error.unwrap_or_default(), f.cause.unwrap_or_default())
            }
            other => panic!("{expr} gave {other:?}"),
        };
        let range = "Invalid arguments in States.MathAdd: values must be integers between -2147483648 and 2147483647";
        for expr in ["States.MathAdd($.over, 0)", "States.MathAdd(0, $.huge)"] {
            assert_eq!(failure(expr), ("States.IntrinsicFailure".to_owned(), range.to_owned()));
        }
        let (error, cause) = failure("States.MathAdd($.s, 1)");
        assert_eq!(error, "States.IntrinsicFailure");
        assert!(cause.ends_with("the first value must be a number"), "{cause}");
        let (_, cause) = failure("States.MathAdd(1, 'one')");
        assert!(cause.ends_with("the second value must be a number"), "{cause}");
        assert!(matches!(
            eval("States.MathAdd($.missing, 1)", input.clone()),
            Err(EvalError::MissingPath { .. })
        ));
    }

    #[test]
    fn failures_are_intrinsic_failures_not_panics() {
        for expr in [
            "States.ArrayGetItem($.a, 99)",
            "States.MathAdd($.s, 1)",
            "States.Base64Decode($.s)",
            "States.StringToJson($.s)",
            "States.ArrayPartition($.a, -1)",
            "States.JsonMerge($.a, $.a, true)",
        ] {
            match eval(expr, json!({"a": [1], "s": "%%"})) {
                Err(EvalError::Failure(f)) => {
                    assert_eq!(f.error.as_deref(), Some("States.IntrinsicFailure"), "{expr}")
                }
                other => panic!("{expr} gave {other:?}"),
            }
        }
    }
}
