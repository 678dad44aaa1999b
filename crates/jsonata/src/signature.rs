//! Function signatures (`<s-n?:s>`): which arguments a function takes, checked before a call.
//!
//! Types: `b` boolean, `n` number, `s` string, `l` null, `a` array, `o` object, `f` function,
//! `j` any JSON, `x` anything, `(…)` a choice; `a<n>` an array of numbers. Modifiers: `?`
//! optional, `+` one or more, `-` the context (the input) when the argument is left out.
//! An array parameter accepts a single value and wraps it; an undefined argument passes any
//! parameter (functions answer nothing for nothing).

use crate::error::{Error, Result};
use crate::value::Value;

/// A parsed signature.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    params: Vec<Param>,
    /// No parameter is optional, variadic or from the context: one argument per parameter is
    /// the only way to match.
    fixed: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct Param {
    /// The type letters this parameter accepts (`x` and `j` expanded).
    accepts: String,
    /// For `a<t>`: the item type.
    item: Option<char>,
    array: bool,
    optional: bool,
    variadic: bool,
    context: bool,
}

fn expand(types: &str) -> String {
    let mut out = String::new();
    for c in types.chars() {
        match c {
            'x' => out.push_str("bnsloaf"),
            'j' => out.push_str("bnsloa"),
            other => out.push(other),
        }
    }
    out
}

impl Signature {
    /// Parses the text between `<` and `>`.
    pub fn parse(text: &str) -> Result<Signature> {
        let chars: Vec<char> = text.chars().collect();
        let mut params: Vec<Param> = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                'b' | 'n' | 's' | 'l' | 'a' | 'o' | 'f' | 'j' | 'x' => {
                    let array = c == 'a';
                    params.push(Param {
                        accepts: if array { "bnsloaf".to_owned() } else { expand(&c.to_string()) },
                        item: None,
                        array,
                        optional: false,
                        variadic: false,
                        context: false,
                    });
                }
                '(' => {
                    let end = chars[i..].iter().position(|&c| c == ')').ok_or_else(|| {
                        Error::new(
                            "S0401",
                            format!(
                                "Type parameter can only be applied to functions and arrays: {text}"
                            ),
                        )
                    })?;
                    let group: String = chars[i + 1..i + end].iter().collect();
                    params.push(Param {
                        accepts: expand(&group),
                        item: None,
                        array: false,
                        optional: false,
                        variadic: false,
                        context: false,
                    });
                    i += end;
                }
                '<' => {
                    let Some(last) = params.last_mut() else {
                        return Err(Error::new("S0401", "Type parameter without a type"));
                    };
                    let prev = chars[i - 1];
                    if prev != 'a' && prev != 'f' {
                        return Err(Error::new(
                            "S0401",
                            format!(
                                "Type parameter can only be applied to functions and arrays: {text}"
                            ),
                        ));
                    }
                    let mut depth = 0;
                    let mut j = i;
                    while j < chars.len() {
                        if chars[j] == '<' {
                            depth += 1;
                        } else if chars[j] == '>' {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        j += 1;
                    }
                    if j >= chars.len() {
                        return Err(Error::new("S0401", "Unclosed type parameter"));
                    }
                    if prev == 'a' {
                        let inner: String = chars[i + 1..j].iter().collect();
                        last.item = inner.chars().next();
                    }
                    i = j;
                }
                '?' => set_last(&mut params, |p| p.optional = true, text)?,
                '+' => set_last(&mut params, |p| p.variadic = true, text)?,
                '-' => set_last(
                    &mut params,
                    |p| {
                        p.optional = true;
                        p.context = true;
                    },
                    text,
                )?,
                ':' => break,
                _ => {
                    return Err(Error::new(
                        "S0402",
                        format!(
                            "Choice groups containing parameterized types are not supported: {text}"
                        ),
                    ));
                }
            }
            i += 1;
        }
        let fixed = params.iter().all(|p| !(p.optional || p.variadic || p.context));
        Ok(Signature { params, fixed })
    }

    /// Checks the arguments of a call to `name` and returns them as the function receives them
    /// (the context filled in, single values wrapped for array parameters).
    pub fn validate(&self, args: Vec<Value>, context: &Value, name: &str) -> Result<Vec<Value>> {
        // Most calls pass one fitting argument per parameter and nothing to wrap: they go on
        // as they are; the rest (and every error) take the matching below.
        if self.fixed
            && args.len() == self.params.len()
            && self.params.iter().zip(&args).all(|(param, arg)| passes_as_is(param, arg))
        {
            return Ok(args);
        }
        // Calls have few arguments: the symbols and counts live on the stack.
        const SMALL: usize = 8;
        let (mut symbol_buf, mut count_buf) = (['\0'; SMALL], [0usize; SMALL]);
        let (symbol_vec, mut count_vec);
        let symbols: &[char] = if args.len() <= SMALL {
            for (slot, a) in symbol_buf.iter_mut().zip(&args) {
                *slot = symbol(a);
            }
            &symbol_buf[..args.len()]
        } else {
            symbol_vec = args.iter().map(symbol).collect::<Vec<char>>();
            &symbol_vec
        };
        let counts: &mut [usize] = if self.params.len() <= SMALL {
            &mut count_buf[..self.params.len()]
        } else {
            count_vec = vec![0usize; self.params.len()];
            &mut count_vec
        };
        if !self.assign(0, 0, symbols, counts) {
            let bad = self.first_bad(symbols);
            return Err(Error::new(
                "T0410",
                format!(
                    "Argument {} of function {name} does not match function signature",
                    bad + 1
                ),
            ));
        }
        let mut out = Vec::with_capacity(args.len().max(self.params.len()));
        let mut args = args.into_iter();
        let mut index = 0;
        for (param, &count) in self.params.iter().zip(counts.iter()) {
            if count == 0 {
                if param.context {
                    let context = match context {
                        Value::Array(a) if a.outer_wrapper && a.items.len() == 1 => &a.items[0],
                        other => other,
                    };
                    let s = symbol(context);
                    if s != 'm' && !param.accepts.contains(s) {
                        return Err(Error::new(
                            "T0411",
                            format!(
                                "Context value is not a compatible type with argument {} of function {name}",
                                index + 1
                            ),
                        ));
                    }
                    out.push(context.clone());
                } else {
                    out.push(Value::Undefined);
                }
                continue;
            }
            for _ in 0..count {
                index += 1;
                let arg = args.next().unwrap_or_default();
                if !param.array || arg.is_undefined() {
                    out.push(arg);
                    continue;
                }
                if let Some(item) = param.item {
                    let ok = match arg.items() {
                        Some(items) => items.iter().all(|v| symbol(v) == item),
                        None => symbol(&arg) == item,
                    };
                    if !ok {
                        return Err(Error::new(
                            "T0412",
                            format!(
                                "Argument {index} of function {name} must be an array of {}",
                                type_word(item)
                            ),
                        ));
                    }
                }
                if arg.is_array() {
                    out.push(arg);
                } else {
                    out.push(Value::array(vec![arg]));
                }
            }
        }
        Ok(out)
    }

    /// Greedy matching with backtracking, as a regular expression over the argument types would.
    fn assign(&self, p: usize, s: usize, symbols: &[char], counts: &mut [usize]) -> bool {
        if p == self.params.len() {
            return s == symbols.len();
        }
        let param = &self.params[p];
        let max = if param.variadic { symbols.len() - s } else { 1.min(symbols.len() - s) };
        let min = usize::from(!(param.optional || param.context));
        let mut n = 0;
        while n < max && accepts(param, symbols[s + n]) {
            n += 1;
        }
        loop {
            if n < min {
                return false;
            }
            counts[p] = n;
            if self.assign(p + 1, s + n, symbols, counts) {
                return true;
            }
            if n == 0 {
                return false;
            }
            n -= 1;
        }
    }

    fn first_bad(&self, symbols: &[char]) -> usize {
        let mut s = 0;
        for param in &self.params {
            let mut n = 0;
            let max = if param.variadic { usize::MAX } else { 1 };
            while n < max && s < symbols.len() && accepts(param, symbols[s]) {
                n += 1;
                s += 1;
            }
        }
        s
    }

    /// How many parameters the signature declares.
    pub fn arity(&self) -> usize {
        self.params.len()
    }

    /// How many parameters a caller must pass or that come from the context (optional ones
    /// left out): what a higher-order function hands a built-in.
    pub fn required(&self) -> usize {
        self.params.iter().filter(|p| !p.optional || p.context).count()
    }
}

fn set_last(params: &mut [Param], f: impl FnOnce(&mut Param), text: &str) -> Result<()> {
    match params.last_mut() {
        Some(p) => {
            f(p);
            Ok(())
        }
        None => Err(Error::new("S0401", format!("Modifier without a type in signature {text}"))),
    }
}

/// Whether `arg` is accepted by `param` and given to the function unchanged: not a single
/// value an array parameter would wrap, and an array of the item type it asks for.
fn passes_as_is(param: &Param, arg: &Value) -> bool {
    if !accepts(param, symbol(arg)) {
        return false;
    }
    if !param.array || arg.is_undefined() {
        return true;
    }
    arg.is_array()
        && param.item.is_none_or(|item| {
            arg.items().is_some_and(|items| items.iter().all(|v| symbol(v) == item))
        })
}

fn accepts(param: &Param, s: char) -> bool {
    s == 'm' || param.accepts.contains(s)
}

fn type_word(c: char) -> &'static str {
    match c {
        'n' => "numbers",
        's' => "strings",
        'b' => "booleans",
        'o' => "objects",
        'a' => "arrays",
        'f' => "functions",
        'l' => "nulls",
        _ => "values",
    }
}

/// The type letter of a value (`m` for undefined).
pub fn symbol(v: &Value) -> char {
    match v {
        Value::Undefined => 'm',
        Value::Null => 'l',
        Value::Bool(_) => 'b',
        Value::Number(_) => 'n',
        Value::String(_) => 's',
        Value::Function(_) => 'f',
        _ if v.is_array() => 'a',
        _ => 'o',
    }
}
