//! The function library: JSONata's built-ins, each with its signature.
//!
//! Each built-in checks its arguments against its signature before it runs (so argument type
//! errors are `T0410`/`T0411`/`T0412` everywhere) and answers undefined for an undefined input.

use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use base64::Engine as _;

use crate::error::{Error, Result};
use crate::eval::Evaluator;
use crate::regex::{Found, char_index};
use crate::signature::Signature;
use crate::value::{Function, Map, Value, deep_equal};

/// A built-in function.
pub struct Builtin {
    /// The name, without `$`.
    pub name: &'static str,
    sig: &'static str,
    parsed: OnceLock<Signature>,
    /// The implementation: validated arguments and the caller's context.
    pub f: fn(&mut Evaluator, Vec<Value>, &Value) -> Result<Value>,
}

impl Builtin {
    const fn new(
        name: &'static str,
        sig: &'static str,
        f: fn(&mut Evaluator, Vec<Value>, &Value) -> Result<Value>,
    ) -> Builtin {
        Builtin { name, sig, parsed: OnceLock::new(), f }
    }

    /// The parsed signature.
    pub fn signature(&self) -> &Signature {
        self.parsed.get_or_init(|| {
            Signature::parse(self.sig)
                .unwrap_or_else(|e| panic!("built-in ${} has a bad signature: {e}", self.name))
        })
    }
}

/// The built-in called `name` (without `$`).
pub fn builtin(name: &str) -> Option<&'static Builtin> {
    builtin_index(name).map(|i| &BUILTINS[i])
}

/// The position of a built-in in [`BUILTINS`], by a hash lookup.
fn builtin_index(name: &str) -> Option<usize> {
    static INDEX: std::sync::LazyLock<
        std::collections::HashMap<&'static str, usize, foldhash::fast::FixedState>,
    > = std::sync::LazyLock::new(|| {
        BUILTINS.iter().enumerate().map(|(i, b)| (b.name, i)).collect()
    });
    INDEX.get(name).copied()
}

/// A built-in as a function value: made once per thread, then shared.
pub(crate) fn builtin_value(name: &str) -> Option<Value> {
    thread_local! {
        static VALUES: Vec<Value> =
            BUILTINS.iter().map(|b| Value::function(Function::Builtin(b))).collect();
    }
    let i = builtin_index(name)?;
    Some(VALUES.with(|v| v[i].clone()))
}

/// The names of every built-in (for completion and validation).
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|b| b.name)
}

static BUILTINS: [Builtin; 68] = [
    Builtin::new("sum", "a<n>:n", |_, a, _| aggregate(&a[0], |v| v.iter().sum())),
    Builtin::new("count", "a:n", |_, a, _| Ok(Value::Number(a[0].len() as f64))),
    Builtin::new("max", "a<n>:n", |_, a, _| {
        aggregate_nonempty(&a[0], |v| v.iter().copied().fold(f64::NEG_INFINITY, f64::max))
    }),
    Builtin::new("min", "a<n>:n", |_, a, _| {
        aggregate_nonempty(&a[0], |v| v.iter().copied().fold(f64::INFINITY, f64::min))
    }),
    Builtin::new("average", "a<n>:n", |_, a, _| {
        aggregate_nonempty(&a[0], |v| v.iter().sum::<f64>() / v.len() as f64)
    }),
    Builtin::new("string", "x-b?:s", fn_string),
    Builtin::new("substring", "s-nn?:s", fn_substring),
    Builtin::new("substringBefore", "s-s:s", |_, a, _| {
        str_fn2(&a, |s, t| Value::string(s.find(t).map_or(s, |i| &s[..i])))
    }),
    Builtin::new("substringAfter", "s-s:s", |_, a, _| {
        str_fn2(&a, |s, t| Value::string(s.find(t).map_or(s, |i| &s[i + t.len()..])))
    }),
    Builtin::new("lowercase", "s-:s", |_, a, _| str_fn(&a[0], |s| Value::string(s.to_lowercase()))),
    Builtin::new("uppercase", "s-:s", |_, a, _| str_fn(&a[0], |s| Value::string(s.to_uppercase()))),
    Builtin::new("length", "s-:n", |_, a, _| {
        str_fn(&a[0], |s| Value::Number(s.chars().count() as f64))
    }),
    Builtin::new("trim", "s-:s", |_, a, _| str_fn(&a[0], |s| Value::string(trim(s)))),
    Builtin::new("pad", "s-ns?:s", fn_pad),
    Builtin::new("match", "s-f<s:o>n?:a<o>", fn_match),
    Builtin::new("contains", "s-(sf):b", fn_contains),
    Builtin::new("replace", "s-(sf)(sf)n?:s", fn_replace),
    Builtin::new("split", "s-(sf)n?:a<s>", fn_split),
    Builtin::new("join", "a<s>s?:s", fn_join),
    Builtin::new("formatNumber", "n-so?:s", fn_format_number),
    Builtin::new("formatBase", "n-n?:s", |_, a, _| {
        let Value::Number(n) = a[0] else { return Ok(Value::Undefined) };
        Ok(Value::string(crate::format::number::format_base(n, a[1].as_f64())?))
    }),
    Builtin::new("formatInteger", "n-s:s", |_, a, _| {
        let Value::Number(n) = a[0] else { return Ok(Value::Undefined) };
        let picture = a[1].as_str().unwrap_or("");
        Ok(Value::string(crate::format::number::format_integer(n, picture)?))
    }),
    Builtin::new("parseInteger", "s-s:n", |_, a, _| {
        let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
        let picture = a[1].as_str().unwrap_or("");
        Ok(crate::format::number::parse_integer(s, picture)?.map(Value::Number).unwrap_or_default())
    }),
    Builtin::new("number", "(nsb)-:n", fn_number),
    Builtin::new("floor", "n-:n", |_, a, _| num_fn(&a[0], f64::floor)),
    Builtin::new("ceil", "n-:n", |_, a, _| num_fn(&a[0], f64::ceil)),
    Builtin::new("round", "n-n?:n", |_, a, _| {
        let Value::Number(n) = a[0] else { return Ok(Value::Undefined) };
        Ok(Value::Number(round(n, a[1].as_f64().unwrap_or(0.0) as i32)))
    }),
    Builtin::new("abs", "n-:n", |_, a, _| num_fn(&a[0], f64::abs)),
    Builtin::new("sqrt", "n-:n", |_, a, _| {
        let Value::Number(n) = a[0] else { return Ok(Value::Undefined) };
        if n < 0.0 {
            return Err(Error::new(
                "D3060",
                format!("The sqrt function cannot be applied to a negative number: {n}"),
            ));
        }
        Ok(Value::Number(n.sqrt()))
    }),
    Builtin::new("power", "n-n:n", |_, a, _| {
        let (Value::Number(x), Value::Number(y)) = (&a[0], &a[1]) else {
            return Ok(Value::Undefined);
        };
        let r = x.powf(*y);
        if !r.is_finite() {
            return Err(Error::new(
                "D3061",
                format!(
                    "The power function has resulted in a value that cannot be represented as a JSON number: base={x}, exponent={y}"
                ),
            ));
        }
        Ok(Value::Number(r))
    }),
    Builtin::new("random", "n?:n", |ev, a, _| Ok(Value::Number(ev.host.random(a[0].as_f64())))),
    Builtin::new("boolean", "x-:b", |_, a, _| {
        Ok(if a[0].is_undefined() { Value::Undefined } else { Value::Bool(boolean(&a[0])) })
    }),
    Builtin::new("not", "x-:b", |_, a, _| {
        Ok(if a[0].is_undefined() { Value::Undefined } else { Value::Bool(!boolean(&a[0])) })
    }),
    Builtin::new("exists", "x:b", |_, a, _| Ok(Value::Bool(!a[0].is_undefined()))),
    Builtin::new("map", "af", fn_map),
    Builtin::new("filter", "af", fn_filter),
    Builtin::new("single", "af?", fn_single),
    Builtin::new("reduce", "afj?:j", fn_reduce),
    Builtin::new("zip", "a+", |_, a, _| {
        let arrays: Vec<Vec<Value>> =
            a.iter().map(|v| v.items().map(|i| i.into_owned()).unwrap_or_default()).collect();
        let n = arrays.iter().map(Vec::len).min().unwrap_or(0);
        Ok(Value::array(
            (0..n)
                .map(|i| Value::array(arrays.iter().map(|arr| arr[i].clone()).collect()))
                .collect(),
        ))
    }),
    Builtin::new("sift", "o-f?:o", fn_sift),
    Builtin::new("each", "o-f:a", fn_each),
    Builtin::new("keys", "x-:a<s>", |_, a, _| {
        let mut keys: Vec<Arc<str>> = Vec::new();
        let objects = match a[0].items() {
            Some(items) => items.into_owned(),
            None => vec![a[0].clone()],
        };
        for o in objects {
            for k in o.keys() {
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
        }
        Ok(seq(keys.into_iter().map(Value::String).collect()))
    }),
    Builtin::new("lookup", "x-s:x", |_, a, _| {
        let key = a[1].as_str().unwrap_or("");
        Ok(crate::eval::lookup(&a[0], key))
    }),
    Builtin::new("append", "xx:a", |_, a, _| Ok(append(a[0].clone(), a[1].clone()))),
    Builtin::new("spread", "x-:a<o>", fn_spread),
    Builtin::new("merge", "a<o>:o", |_, a, _| {
        if a[0].is_undefined() {
            return Ok(Value::Undefined);
        }
        let objects = a[0].items().unwrap_or_default();
        let size = objects
            .iter()
            .map(|o| match o {
                Value::Object(m) => m.len(),
                Value::Json(stepwise_value::Payload::Object(m)) => m.len(),
                _ => 0,
            })
            .sum();
        // Plain JSON objects merge into plain JSON (no conversion when the result leaves).
        let all_json = objects.iter().all(|o| {
            matches!(o, Value::Json(stepwise_value::Payload::Object(_)))
                || matches!(o, Value::Object(m) if m.values().all(crate::value::plain_json))
        });
        if all_json {
            // Merging into a JSON object: fields are set over it (a new key is a layer over the
            // shared object, as ResultPath writes), so `$merge([$states.input, {...}])` copies
            // nothing.
            if let Some(Value::Json(stepwise_value::Payload::Object(first))) = objects.first() {
                let mut acc = first.clone();
                for o in objects.iter().skip(1) {
                    match o {
                        Value::Object(m) => {
                            for (k, v) in m.iter() {
                                if let Some(p) = v.to_payload() {
                                    acc = stepwise_value::set_field(acc, k, p);
                                }
                            }
                        }
                        Value::Json(stepwise_value::Payload::Object(m)) => {
                            for (k, v) in m.iter() {
                                acc = stepwise_value::set_field(acc, k, v.clone());
                            }
                        }
                        _ => {}
                    }
                }
                return Ok(Value::Json(stepwise_value::Payload::Object(acc)));
            }
            let mut out = stepwise_value::Object::with_capacity(size);
            for o in objects.iter() {
                match o {
                    Value::Object(m) => {
                        for (k, v) in m.iter() {
                            if let Some(p) = v.to_payload() {
                                out.insert(k.clone(), p);
                            }
                        }
                    }
                    Value::Json(stepwise_value::Payload::Object(m)) => {
                        for (k, v) in m.iter() {
                            out.insert(k.clone(), v.clone());
                        }
                    }
                    _ => {}
                }
            }
            return Ok(Value::Json(stepwise_value::Payload::object(out)));
        }
        let mut out = Map::with_capacity_and_hasher(size, Default::default());
        for o in objects.iter() {
            match o {
                Value::Object(m) => {
                    for (k, v) in m.iter() {
                        out.insert(k.clone(), v.clone());
                    }
                }
                Value::Json(stepwise_value::Payload::Object(m)) => {
                    for (k, v) in m.iter() {
                        out.insert(k.clone(), Value::from_payload(v));
                    }
                }
                _ => {}
            }
        }
        Ok(Value::Object(Rc::new(out)))
    }),
    Builtin::new("reverse", "a:a", |_, a, _| {
        let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
        Ok(Value::array(items.iter().rev().cloned().collect()))
    }),
    Builtin::new("error", "s?:x", |_, a, _| {
        Err(Error::new("D3137", a[0].as_str().unwrap_or("$error() function evaluated").to_owned()))
    }),
    Builtin::new("assert", "bs?:x", |_, a, _| {
        if matches!(a[0], Value::Bool(false)) {
            return Err(Error::new(
                "D3141",
                a[1].as_str().unwrap_or("$assert() statement failed").to_owned(),
            ));
        }
        Ok(Value::Undefined)
    }),
    Builtin::new("type", "x:s", |_, a, _| {
        Ok(a[0].type_name().map(Value::string).unwrap_or_default())
    }),
    Builtin::new("sort", "af?:a", fn_sort),
    Builtin::new("shuffle", "a:a", |ev, a, _| {
        let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
        let mut items = items.into_owned();
        for i in (1..items.len()).rev() {
            let j = (ev.host.random(None) * (i + 1) as f64) as usize;
            items.swap(i, j.min(i));
        }
        Ok(Value::array(items))
    }),
    Builtin::new("distinct", "x:x", |_, a, _| {
        let Some(items) = a[0].items() else { return Ok(a[0].clone()) };
        if items.len() <= 1 {
            return Ok(a[0].clone());
        }
        let mut out: Vec<Value> = Vec::new();
        for v in items.iter() {
            if !out.iter().any(|o| deep_equal(o, v)) {
                out.push(v.clone());
            }
        }
        Ok(if a[0].is_sequence() { seq(out) } else { Value::array(out) })
    }),
    Builtin::new("base64encode", "s-:s", |_, a, _| {
        str_fn(&a[0], |s| {
            Value::string(base64::engine::general_purpose::STANDARD.encode(s.as_bytes()))
        })
    }),
    Builtin::new("base64decode", "s-:s", |_, a, _| {
        let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(s.as_bytes())
            .map_err(|e| Error::new("D3137", format!("Invalid base64 string: {e}")))?;
        Ok(Value::string(String::from_utf8_lossy(&bytes).into_owned()))
    }),
    Builtin::new("encodeUrlComponent", "s-:s", |_, a, _| encode_url(&a[0], COMPONENT_SAFE)),
    Builtin::new("encodeUrl", "s-:s", |_, a, _| encode_url(&a[0], URL_SAFE)),
    Builtin::new("decodeUrlComponent", "s-:s", |_, a, _| decode_url(&a[0], "")),
    Builtin::new("decodeUrl", "s-:s", |_, a, _| decode_url(&a[0], ";/?:@&=+$,#")),
    Builtin::new("eval", "sx?:x", fn_eval),
    Builtin::new("toMillis", "s-s?:n", |ev, a, _| {
        let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
        let now = ev.host.now_millis() as f64;
        Ok(crate::format::datetime::to_millis_at(s, a[1].as_str(), now)?
            .map(Value::Number)
            .unwrap_or_default())
    }),
    Builtin::new("fromMillis", "n-s?s?:s", |_, a, _| {
        let Value::Number(n) = a[0] else { return Ok(Value::Undefined) };
        Ok(Value::string(crate::format::datetime::from_millis(n, a[1].as_str(), a[2].as_str())?))
    }),
    Builtin::new("clone", "(oa)-:o", |_, a, _| Ok(a[0].clone())),
    Builtin::new("now", "s?s?:s", |ev, a, _| {
        let ms = ev.host.now_millis() as f64;
        Ok(Value::string(crate::format::datetime::from_millis(ms, a[0].as_str(), a[1].as_str())?))
    }),
    Builtin::new("millis", ":n", |ev, _, _| Ok(Value::Number(ev.host.now_millis() as f64))),
    Builtin::new("values", "x-:a", |_, a, _| {
        Ok(seq(a[0].entries().into_iter().map(|(_, v)| v).collect()))
    }),
    Builtin::new("uuid", ":s", |ev, _, _| Ok(Value::string(uuid_v4(ev)))),
    Builtin::new("partition", "an:a", fn_partition),
];

fn seq(items: Vec<Value>) -> Value {
    Value::sequence(items)
}

fn numbers(v: &Value) -> Vec<f64> {
    v.items().map(|i| i.iter().filter_map(Value::as_f64).collect()).unwrap_or_default()
}

fn aggregate(v: &Value, f: impl Fn(&[f64]) -> f64) -> Result<Value> {
    if v.is_undefined() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(f(&numbers(v))))
}

fn aggregate_nonempty(v: &Value, f: impl Fn(&[f64]) -> f64) -> Result<Value> {
    let n = numbers(v);
    if v.is_undefined() || n.is_empty() {
        return Ok(Value::Undefined);
    }
    Ok(Value::Number(f(&n)))
}

fn str_fn(v: &Value, f: impl Fn(&str) -> Value) -> Result<Value> {
    Ok(match v {
        Value::String(s) => f(s),
        _ => Value::Undefined,
    })
}

fn str_fn2(a: &[Value], f: impl Fn(&str, &str) -> Value) -> Result<Value> {
    Ok(match (&a[0], &a[1]) {
        (Value::String(s), Value::String(t)) => f(s, t),
        (Value::String(s), _) => Value::String(s.clone()),
        _ => Value::Undefined,
    })
}

fn num_fn(v: &Value, f: impl Fn(f64) -> f64) -> Result<Value> {
    Ok(match v {
        Value::Number(n) => Value::Number(f(*n)),
        _ => Value::Undefined,
    })
}

/// JSONata's truthiness.
pub fn boolean(v: &Value) -> bool {
    match v {
        Value::Undefined | Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::String(s) => !s.is_empty(),
        Value::Function(_) => false,
        _ if v.is_array() => {
            let items = v.items().unwrap_or_default();
            match items.len() {
                0 => false,
                1 => boolean(&items[0]),
                _ => items.iter().any(boolean),
            }
        }
        _ => !v.keys().is_empty(),
    }
}

/// Appends two values into one array (undefined on either side is the other).
pub fn append(a: Value, b: Value) -> Value {
    if a.is_undefined() {
        return b;
    }
    if b.is_undefined() {
        return a;
    }
    let mut out = match a.items() {
        Some(items) => items.into_owned(),
        None => vec![a],
    };
    match b.items() {
        Some(items) => out.extend(items.iter().cloned()),
        None => out.push(b),
    }
    Value::array(out)
}

// ----- strings ---------------------------------------------------------------------------------

/// A number as JavaScript prints it (shortest round trip, exponent past 1e21 and below 1e-7).
pub fn js_number(n: f64) -> String {
    if n == 0.0 {
        return "0".to_owned();
    }
    if n.is_nan() {
        return "NaN".to_owned();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_owned();
    }
    let sci = format!("{:e}", n.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let sign = if n < 0.0 { "-" } else { "" };
    let k = digits.len() as i32;
    let out = if (-7 < exp) && exp < 21 {
        if exp >= k - 1 {
            format!("{digits}{}", "0".repeat((exp - (k - 1)) as usize))
        } else if exp >= 0 {
            let split = (exp + 1) as usize;
            format!("{}.{}", &digits[..split], &digits[split..])
        } else {
            format!("0.{}{digits}", "0".repeat((-exp - 1) as usize))
        }
    } else {
        let frac =
            if k > 1 { format!("{}.{}", &digits[..1], &digits[1..]) } else { digits.clone() };
        format!("{frac}e{}{}", if exp < 0 { "-" } else { "" }, exp.abs())
    };
    format!("{sign}{out}")
}

/// A number rounded to 15 significant digits, as `$string` shows it.
fn precise(n: f64) -> f64 {
    format!("{n:.14e}").parse().unwrap_or(n)
}

/// `$string` of a value: strings as they are, the rest as JSON.
pub fn to_string(v: &Value) -> Result<String> {
    stringify(v, false)
}

fn stringify(v: &Value, pretty: bool) -> Result<String> {
    match v {
        Value::String(s) => Ok(s.to_string()),
        Value::Undefined => Ok(String::new()),
        Value::Function(_) => Ok(String::new()),
        Value::Number(n) if !n.is_finite() => {
            Err(Error::new("D3001", "Attempting to invoke string function on Infinity or NaN"))
        }
        _ => {
            check_finite(v)?;
            let mut out = String::new();
            write_json(v, pretty, 0, &mut out);
            Ok(out)
        }
    }
}

fn check_finite(v: &Value) -> Result<()> {
    match v {
        Value::Number(n) if !n.is_finite() => {
            Err(Error::new("D1001", format!("Number out of range: {n}")))
        }
        Value::Array(a) => a.items.iter().try_for_each(check_finite),
        Value::Object(m) => m.values().try_for_each(check_finite),
        _ => Ok(()),
    }
}

fn write_json(v: &Value, pretty: bool, indent: usize, out: &mut String) {
    let nl = |out: &mut String, level: usize| {
        if pretty {
            out.push('\n');
            out.push_str(&"  ".repeat(level));
        }
    };
    match v {
        Value::Undefined | Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if n.is_finite() {
                out.push_str(&js_number(precise(*n)));
            } else {
                out.push_str("null");
            }
        }
        Value::String(s) => out.push_str(&serde_json::to_string(&**s).unwrap_or_default()),
        Value::Function(_) => out.push_str("\"\""),
        _ if v.is_array() => {
            let items = v.items().unwrap_or_default();
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                nl(out, indent + 1);
                write_json(item, pretty, indent + 1, out);
            }
            if !items.is_empty() {
                nl(out, indent);
            }
            out.push(']');
        }
        _ => {
            let entries = v.entries();
            out.push('{');
            let mut first = true;
            for (k, item) in entries.iter() {
                if item.is_undefined() {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                nl(out, indent + 1);
                out.push_str(&serde_json::to_string(&**k).unwrap_or_default());
                out.push(':');
                if pretty {
                    out.push(' ');
                }
                write_json(item, pretty, indent + 1, out);
            }
            if !first {
                nl(out, indent);
            }
            out.push('}');
        }
    }
}

fn fn_string(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    if a[0].is_undefined() {
        return Ok(Value::Undefined);
    }
    let pretty = matches!(a[1], Value::Bool(true));
    Ok(Value::string(stringify(&a[0], pretty)?))
}

fn trim(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

fn fn_substring(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
    let chars: Vec<char> = s.chars().collect();
    let len = chars.len() as f64;
    let mut start = a[1].as_f64().unwrap_or(0.0);
    if start < 0.0 {
        start = (len + start).max(0.0);
    }
    let start = start.min(len) as usize;
    let end = match a[2].as_f64() {
        Some(l) if l <= 0.0 => return Ok(Value::string("")),
        Some(l) => ((start as f64) + l).min(len) as usize,
        None => chars.len(),
    };
    Ok(Value::string(chars[start..end.max(start)].iter().collect::<String>()))
}

fn fn_pad(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
    let width = a[1].as_f64().unwrap_or(0.0);
    let pad: Vec<char> = match &a[2] {
        Value::String(p) if !p.is_empty() => p.chars().collect(),
        _ => vec![' '],
    };
    let len = s.chars().count();
    let target = width.abs() as usize;
    if target <= len {
        return Ok(Value::String(s.clone()));
    }
    let padding: String = pad.iter().cycle().take(target - len).collect();
    Ok(Value::string(if width > 0.0 { format!("{s}{padding}") } else { format!("{padding}{s}") }))
}

/// A `$match` result object (also what a regex applied as a function returns).
pub fn match_object(text: &str, m: &Found) -> Value {
    let mut o = Map::default();
    o.insert("match".into(), Value::string(&text[m.start..m.end]));
    o.insert("index".into(), Value::Number(char_index(text, m.start) as f64));
    o.insert(
        "groups".into(),
        Value::array(
            m.groups.iter().map(|g| Value::string(g.map_or("", |(s, e)| &text[s..e]))).collect(),
        ),
    );
    Value::Object(Rc::new(o))
}

fn pattern_of(v: &Value) -> Option<Arc<crate::regex::Pattern>> {
    match v {
        Value::Function(f) => match &**f {
            Function::Regex(p) => Some(p.clone()),
            _ => None,
        },
        _ => None,
    }
}

fn limit(v: &Value, code: &'static str, name: &str) -> Result<Option<usize>> {
    match v {
        Value::Number(n) if *n < 0.0 => Err(Error::new(
            code,
            format!("Fourth argument of {name} function must evaluate to a positive number"),
        )),
        Value::Number(n) => Ok(Some(*n as usize)),
        _ => Ok(None),
    }
}

fn fn_match(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
    let lim = limit(&a[2], "D3040", "match")?;
    let Some(p) = pattern_of(&a[1]) else {
        return Err(Error::new(
            "T1010",
            "The matcher function argument passed to function match does not return the correct object structure",
        ));
    };
    let found = p.find_all(s, lim)?;
    Ok(seq(found.iter().map(|m| match_object(s, m)).collect()))
}

fn fn_contains(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
    Ok(Value::Bool(match &a[1] {
        Value::String(t) => s.contains(&**t),
        other => match pattern_of(other) {
            Some(p) => p.find_at(s, 0).is_some(),
            None => false,
        },
    }))
}

fn substitute(template: &str, text: &str, m: &Found) -> String {
    let mut out = String::new();
    let chars: Vec<char> = template.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        // The longest group number that exists (digits beyond the group count are literal).
        let mut j = i + 1;
        while j < chars.len() && chars[j].is_ascii_digit() {
            j += 1;
        }
        if j == i + 1 {
            out.push('$');
            i += 1;
            continue;
        }
        let digits: String = chars[i + 1..j].iter().collect();
        let mut used = digits.len();
        let mut index: usize = 0;
        while used > 0 {
            index = digits[..used].parse().unwrap_or(0);
            if index <= m.groups.len() {
                break;
            }
            used -= 1;
        }
        if used == 0 {
            // Not a group: `$` and the first digit stand for nothing, the rest is literal.
            out.push_str(&digits[1..]);
            i = j;
            continue;
        }
        if index == 0 {
            out.push_str(&text[m.start..m.end]);
        } else if let Some(Some((s, e))) = m.groups.get(index - 1) {
            out.push_str(&text[*s..*e]);
        }
        out.push_str(&digits[used..]);
        i = j;
    }
    out
}

fn fn_replace(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
    let lim = limit(&a[3], "D3011", "replace")?;
    if let Value::String(pat) = &a[1] {
        if pat.is_empty() {
            return Err(Error::new(
                "D3010",
                "Second argument of replace function cannot be an empty string",
            ));
        }
        let mut out = String::new();
        let mut rest: &str = s;
        let mut n = 0;
        while lim.is_none_or(|l| n < l) {
            let Some(i) = rest.find(&**pat) else { break };
            out.push_str(&rest[..i]);
            match &a[2] {
                Value::String(r) => out.push_str(r),
                f if f.is_function() => {
                    let whole = &rest[i..i + pat.len()];
                    let m = Found { start: 0, end: whole.len(), groups: Vec::new() };
                    let r = ev.apply(f, vec![match_object(whole, &m)], input)?;
                    match r {
                        Value::String(r) => out.push_str(&r),
                        _ => {
                            return Err(Error::new(
                                "D3012",
                                "Attempted to replace a matched string with a non-string value",
                            ));
                        }
                    }
                }
                _ => {}
            }
            rest = &rest[i + pat.len()..];
            n += 1;
        }
        out.push_str(rest);
        return Ok(Value::string(out));
    }
    let Some(p) = pattern_of(&a[1]) else { return Ok(Value::String(s.clone())) };
    let found = p.find_all(s, lim)?;
    let mut out = String::new();
    let mut at = 0;
    for m in &found {
        out.push_str(&s[at..m.start]);
        match &a[2] {
            Value::String(r) => out.push_str(&substitute(r, s, m)),
            f if f.is_function() => {
                let r = ev.apply(f, vec![match_object(s, m)], input)?;
                match r {
                    Value::String(r) => out.push_str(&r),
                    _ => {
                        return Err(Error::new(
                            "D3012",
                            "Attempted to replace a matched string with a non-string value",
                        ));
                    }
                }
            }
            _ => {}
        }
        at = m.end;
    }
    out.push_str(&s[at..]);
    Ok(Value::string(out))
}

fn fn_split(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Value::String(s) = &a[0] else { return Ok(Value::Undefined) };
    let lim = match &a[2] {
        Value::Number(n) if *n < 0.0 => {
            return Err(Error::new(
                "D3020",
                "Third argument of split function must evaluate to a positive number",
            ));
        }
        Value::Number(n) => Some(*n as usize),
        _ => None,
    };
    let mut parts: Vec<Value> = match &a[1] {
        Value::String(sep) if sep.is_empty() => {
            s.chars().map(|c| Value::string(c.to_string())).collect()
        }
        Value::String(sep) => s.split(&**sep).map(Value::string).collect(),
        other => match pattern_of(other) {
            Some(p) => {
                let mut out = Vec::new();
                let mut at = 0;
                for m in p.find_all(s, None)? {
                    out.push(Value::string(&s[at..m.start]));
                    at = m.end;
                }
                out.push(Value::string(&s[at..]));
                out
            }
            None => vec![Value::String(s.clone())],
        },
    };
    if let Some(l) = lim {
        parts.truncate(l);
    }
    Ok(Value::array(parts))
}

fn fn_join(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
    let sep = a[1].as_str().unwrap_or("");
    let parts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    Ok(Value::string(parts.join(sep)))
}

fn fn_format_number(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Value::Number(n) = a[0] else { return Ok(Value::Undefined) };
    let picture = a[1].as_str().unwrap_or("");
    let mut format = crate::format::number::DecimalFormat::default();
    for (k, v) in a[2].entries() {
        if let Value::String(v) = v {
            format.with_option(&k, &v)?;
        }
    }
    Ok(Value::string(crate::format::number::format_number(n, picture, &format)?))
}

// ----- numbers -----------------------------------------------------------------------------

fn fn_number(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    Ok(match &a[0] {
        Value::Undefined => Value::Undefined,
        Value::Number(n) => Value::Number(*n),
        Value::Bool(b) => Value::Number(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => match parse_number(s) {
            Some(n) => Value::Number(n),
            None => {
                return Err(Error::new(
                    "D3030",
                    format!("Unable to cast value to a number: \"{s}\""),
                ));
            }
        },
        _ => return Err(Error::new("D3030", "Unable to cast value to a number")),
    })
}

fn parse_number(s: &str) -> Option<f64> {
    let radix = |p: &str, r: u32| u64::from_str_radix(p, r).ok().map(|n| n as f64);
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        return radix(h, 16);
    }
    if let Some(o) = s.strip_prefix("0o").or_else(|| s.strip_prefix("0O")) {
        return radix(o, 8);
    }
    if let Some(b) = s.strip_prefix("0b").or_else(|| s.strip_prefix("0B")) {
        return radix(b, 2);
    }
    // JSON number syntax only.
    let bytes = s.as_bytes();
    let mut i = 0;
    if bytes.first() == Some(&b'-') {
        i += 1;
    }
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    if i == int_start {
        return None;
    }
    if i < bytes.len() && bytes[i] == b'.' {
        i += 1;
        let f = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == f {
            return None;
        }
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        i += 1;
        if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
            i += 1;
        }
        let e = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == e {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    s.parse().ok().filter(|n: &f64| n.is_finite())
}

/// Rounds half to even at `precision` decimal places (negative: to tens, hundreds, …).
pub fn round(n: f64, precision: i32) -> f64 {
    let shift = |x: f64, by: i32| -> f64 {
        let s = js_number(x);
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let e: i32 = e.trim_start_matches('+').parse().unwrap_or(0);
        format!("{m}e{}", e + by).parse().unwrap_or(x)
    };
    let v = if precision != 0 { shift(n, precision) } else { n };
    let mut r = (v + 0.5).floor();
    if (r - v).abs() == 0.5 && (r % 2.0).abs() == 1.0 {
        r -= 1.0;
    }
    if precision != 0 {
        r = shift(r, -precision);
    }
    if r == 0.0 { 0.0 } else { r }
}

// ----- higher-order functions ------------------------------------------------------------------

fn hof_args(ev: &Evaluator, f: &Value, v: Value, i: usize, all: &Value) -> Vec<Value> {
    let arity = ev.arity(f);
    let mut args = vec![v];
    if arity >= 2 {
        args.push(Value::Number(i as f64));
    }
    if arity >= 3 {
        args.push(all.clone());
    }
    args
}

fn fn_map(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
    let mut out = Vec::new();
    for (i, v) in items.iter().enumerate() {
        let args = hof_args(ev, &a[1], v.clone(), i, &a[0]);
        let r = ev.apply(&a[1], args, input)?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(seq(out))
}

fn fn_filter(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
    let mut out = Vec::new();
    for (i, v) in items.iter().enumerate() {
        let args = hof_args(ev, &a[1], v.clone(), i, &a[0]);
        if boolean(&ev.apply(&a[1], args, input)?) {
            out.push(v.clone());
        }
    }
    Ok(seq(out))
}

fn fn_single(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
    let mut found: Option<Value> = None;
    for (i, v) in items.iter().enumerate() {
        let ok = if a[1].is_undefined() {
            true
        } else {
            let args = hof_args(ev, &a[1], v.clone(), i, &a[0]);
            boolean(&ev.apply(&a[1], args, input)?)
        };
        if ok {
            if found.is_some() {
                return Err(Error::new(
                    "D3138",
                    "The $single() function expected exactly 1 matching result.  Instead it matched more.",
                ));
            }
            found = Some(v.clone());
        }
    }
    found.ok_or_else(|| {
        Error::new(
            "D3139",
            "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
        )
    })
}

fn fn_reduce(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
    let arity = ev.arity(&a[1]);
    if arity < 2 {
        return Err(Error::new(
            "D3050",
            "The second argument of reduce function must be a function with at least two arguments",
        ));
    }
    let (mut acc, start) = if a[2].is_undefined() {
        match items.first() {
            Some(v) => (v.clone(), 1),
            None => return Ok(Value::Undefined),
        }
    } else {
        (a[2].clone(), 0)
    };
    for (i, v) in items.iter().enumerate().skip(start) {
        let mut args = vec![acc, v.clone()];
        if arity >= 3 {
            args.push(Value::Number(i as f64));
        }
        if arity >= 4 {
            args.push(a[0].clone());
        }
        acc = ev.apply(&a[1], args, input)?;
    }
    Ok(acc)
}

fn fn_sift(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    if a[0].is_undefined() {
        return Ok(Value::Undefined);
    }
    let arity = ev.arity(&a[1]);
    let mut out = Map::default();
    for (k, v) in a[0].entries() {
        let mut args = vec![v.clone()];
        if arity >= 2 {
            args.push(Value::String(k.clone()));
        }
        if arity >= 3 {
            args.push(a[0].clone());
        }
        if boolean(&ev.apply(&a[1], args, input)?) {
            out.insert(k, v);
        }
    }
    Ok(if out.is_empty() { Value::Undefined } else { Value::Object(Rc::new(out)) })
}

fn fn_each(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    if a[0].is_undefined() {
        return Ok(Value::Undefined);
    }
    let arity = ev.arity(&a[1]);
    let mut out = Vec::new();
    for (k, v) in a[0].entries() {
        let mut args = vec![v];
        if arity >= 2 {
            args.push(Value::String(k));
        }
        if arity >= 3 {
            args.push(a[0].clone());
        }
        let r = ev.apply(&a[1], args, input)?;
        if !r.is_undefined() {
            out.push(r);
        }
    }
    Ok(seq(out))
}

fn fn_spread(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let v = &a[0];
    if let Some(items) = v.items() {
        let mut out = Vec::new();
        for item in items.iter() {
            match spread_one(item).items() {
                Some(inner) => out.extend(inner.iter().cloned()),
                None => out.push(item.clone()),
            }
        }
        return Ok(seq(out));
    }
    Ok(spread_one(v))
}

fn spread_one(v: &Value) -> Value {
    if !v.is_object() {
        return v.clone();
    }
    seq(v
        .entries()
        .into_iter()
        .map(|(k, val)| {
            let mut m = Map::default();
            m.insert(k, val);
            Value::Object(Rc::new(m))
        })
        .collect())
}

fn fn_sort(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
    let items = items.into_owned();
    if items.len() <= 1 {
        return Ok(Value::array(items));
    }
    if a[1].is_undefined() {
        let all_num = items.iter().all(|v| matches!(v, Value::Number(_)));
        let all_str = items.iter().all(|v| matches!(v, Value::String(_)));
        if !all_num && !all_str {
            return Err(Error::new(
                "D3070",
                "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
            ));
        }
        let mut items = items;
        items.sort_by(|x, y| match (x, y) {
            (Value::Number(p), Value::Number(q)) => {
                p.partial_cmp(q).unwrap_or(std::cmp::Ordering::Equal)
            }
            (Value::String(p), Value::String(q)) => p.cmp(q),
            _ => std::cmp::Ordering::Equal,
        });
        return Ok(Value::array(items));
    }
    let f = a[1].clone();
    // The comparator answers whether its first argument comes after the second.
    let sorted = crate::eval::merge_sort(items, &mut |x: &Value, y: &Value| {
        let after = boolean(&ev.apply(&f, vec![x.clone(), y.clone()], input)?);
        Ok(if after { std::cmp::Ordering::Greater } else { std::cmp::Ordering::Less })
    })?;
    Ok(Value::array(sorted))
}

// ----- URLs ------------------------------------------------------------------------------------

const COMPONENT_SAFE: &str = "-_.!~*'()";
const URL_SAFE: &str = "-_.!~*'();/?:@&=+$,#";

fn encode_url(v: &Value, safe: &str) -> Result<Value> {
    let Value::String(s) = v else { return Ok(Value::Undefined) };
    // A lone surrogate cannot be in a Rust string; everything else encodes.
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || safe.contains(c) {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    Ok(Value::string(out))
}

fn decode_url(v: &Value, reserved: &str) -> Result<Value> {
    let Value::String(s) = v else { return Ok(Value::Undefined) };
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::new();
    let mut i = 0;
    let malformed =
        || Error::new("D3140", format!("Malformed URL passed to ${{decodeUrl}}(): \"{s}\""));
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3).ok_or_else(malformed)?;
            let b = u8::from_str_radix(hex, 16).map_err(|_| malformed())?;
            if b < 0x80 && reserved.contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map(Value::string).map_err(|_| malformed())
}

// ----- eval ------------------------------------------------------------------------------------

fn fn_eval(ev: &mut Evaluator, a: Vec<Value>, input: &Value) -> Result<Value> {
    let Value::String(text) = &a[0] else { return Ok(Value::Undefined) };
    let node = crate::parser::parse(text).map_err(|e| {
        Error::new(
            "D3120",
            format!("Syntax error in expression passed to function eval: {}", e.message),
        )
    })?;
    let context = if a[1].is_undefined() { input.clone() } else { a[1].clone() };
    let frame = crate::eval::Frame::root();
    ev.eval(&node, &context, &frame).map_err(|e| {
        Error::new(
            "D3121",
            format!(
                "Dynamic error evaluating the expression passed to function eval: {}",
                e.message
            ),
        )
    })
}

/// A random (version 4) UUID from the evaluation's random source.
fn uuid_v4(ev: &Evaluator) -> String {
    let mut bytes = [0u8; 16];
    for b in bytes.iter_mut() {
        *b = (ev.host.random(None) * 256.0) as u8;
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Step Functions' `$partition(array, size)`: the array in chunks of `size`.
fn fn_partition(_: &mut Evaluator, a: Vec<Value>, _: &Value) -> Result<Value> {
    let Some(items) = a[0].items() else { return Ok(Value::Undefined) };
    let size = a[1].as_f64().unwrap_or(0.0);
    if size < 1.0 || size.fract() != 0.0 {
        return Err(Error::new("D3020", "The size given to $partition must be a positive integer"));
    }
    Ok(Value::array(items.chunks(size as usize).map(|c| Value::array(c.to_vec())).collect()))
}
