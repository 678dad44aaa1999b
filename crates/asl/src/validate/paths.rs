//! Syntax checks shared by rules: JSONPath paths and reference paths, intrinsic functions, the
//! basics of JSONata `{% … %}` expressions, and the variables each of them reads.
//!
//! Every function here is iterative or bounded by its input's length; none panics on any input.

/// A syntax problem: a message and a byte offset into the checked string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) message: String,
    pub(crate) offset: usize,
}

fn problem(message: impl Into<String>, offset: usize) -> Problem {
    Problem { message: message.into(), offset }
}

/// Checks a JSONPath path as Step Functions accepts it: `$` (input), `$$` (context object) or
/// `$name` (a variable), then `.name`, `['name']`, `[0]` segments. With `reference`, only what
/// selects a single node is accepted: no `..`, `*`, filters, slices, unions or scripts.
pub(crate) fn check_path(path: &str, reference: bool) -> Result<(), Problem> {
    let bytes = path.as_bytes();
    if bytes.first() != Some(&b'$') {
        return Err(problem("a path must start with \"$\"", 0));
    }
    let mut i = 1;
    if bytes.get(1) == Some(&b'$') {
        i = 2;
    } else if let Some(name) = path_variable(path) {
        i = 1 + name.len();
    }
    while i < bytes.len() {
        match bytes[i] {
            b'.' => {
                let mut start = i + 1;
                if bytes.get(i + 1) == Some(&b'.') {
                    if reference {
                        return Err(problem("a reference path cannot use \"..\" (deep scan)", i));
                    }
                    if bytes.get(i + 2) == Some(&b'[') {
                        i += 2;
                        continue;
                    }
                    start = i + 2;
                }
                let mut end = start;
                while end < bytes.len() && !matches!(bytes[end], b'.' | b'[' | b']') {
                    end += 1;
                }
                let name = &path[start..end];
                if name.is_empty() {
                    return Err(problem("expected a field name after \".\"", i));
                }
                if reference {
                    // ASCII bytes: a byte's offset is its character's.
                    let wild = |b: &u8| matches!(b, b'*' | b'?' | b'@' | b',' | b':' | b'(' | b')');
                    if let Some(at) = name.bytes().position(|b| wild(&b)) {
                        return Err(problem(
                            "a reference path cannot use wildcards, filters or functions",
                            start + at,
                        ));
                    }
                }
                i = end;
            }
            b'[' => {
                let end = closing_bracket(path, i)
                    .ok_or_else(|| problem("this \"[\" is never closed", i))?;
                let inner = path[i + 1..end].trim();
                if inner.is_empty() {
                    return Err(problem("empty brackets", i));
                }
                if reference && !single_selector(inner) {
                    return Err(problem(
                        "a reference path can only select one field (['name']) or one index ([0])",
                        i,
                    ));
                }
                i = end + 1;
            }
            _ => return Err(problem("expected \".\" or \"[\"", i)),
        }
    }
    Ok(())
}

/// `0`, `'name'` or `"name"`.
fn single_selector(inner: &str) -> bool {
    if inner.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    let quoted = |q: char| {
        inner.len() >= 2
            && inner.starts_with(q)
            && inner.ends_with(q)
            && !inner[1..inner.len() - 1].contains(q)
    };
    quoted('\'') || quoted('"')
}

/// The index of the `]` that closes the `[` at `open`, skipping quoted text and nested brackets.
fn closing_bracket(path: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<u8> = None;
    let bytes = path.as_bytes();
    let mut i = open;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) => {
                if b == b'\\' {
                    i += 1;
                } else if b == q {
                    quote = None;
                }
            }
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'[' | b'(' => depth += 1,
                b']' | b')' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 && b == b']' {
                        return Some(i);
                    }
                }
                _ => {}
            },
        }
        i += 1;
    }
    None
}

/// The intrinsic functions of JSONPath states, with their argument counts (min, max).
pub(crate) const INTRINSICS: &[(&str, usize, usize)] = &[
    ("States.Format", 1, usize::MAX),
    ("States.StringToJson", 1, 1),
    ("States.JsonToString", 1, 1),
    ("States.Array", 0, usize::MAX),
    ("States.ArrayPartition", 2, 2),
    ("States.ArrayContains", 2, 2),
    ("States.ArrayRange", 3, 3),
    ("States.ArrayGetItem", 2, 2),
    ("States.ArrayLength", 1, 1),
    ("States.ArrayUnique", 1, 1),
    ("States.Base64Encode", 1, 1),
    ("States.Base64Decode", 1, 1),
    ("States.Hash", 2, 2),
    ("States.JsonMerge", 3, 3),
    ("States.MathRandom", 2, 3),
    ("States.MathAdd", 2, 2),
    ("States.StringSplit", 2, 2),
    ("States.UUID", 0, 0),
];

/// How deep intrinsic calls may nest.
const MAX_INTRINSIC_DEPTH: usize = 10;

/// Whether a `.$` value is an intrinsic call rather than a path.
pub(crate) fn is_intrinsic(value: &str) -> bool {
    value.trim_start().starts_with("States.")
}

/// Checks an intrinsic function call: known names, string, number, boolean, null, path and
/// nested-call arguments, argument counts, and nesting of at most ten calls. Returns the
/// variables its path arguments read.
pub(crate) fn check_intrinsic(text: &str) -> Result<Vec<String>, Problem> {
    let mut parser = Intrinsic { text, bytes: text.as_bytes(), i: 0, variables: Vec::new() };
    parser.skip_ws();
    parser.call(0)?;
    parser.skip_ws();
    if parser.i < parser.bytes.len() {
        return Err(problem("unexpected text after the intrinsic function call", parser.i));
    }
    Ok(parser.variables)
}

struct Intrinsic<'t> {
    text: &'t str,
    bytes: &'t [u8],
    i: usize,
    variables: Vec<String>,
}

impl Intrinsic<'_> {
    fn skip_ws(&mut self) {
        while self.bytes.get(self.i).is_some_and(|b| b.is_ascii_whitespace()) {
            self.i += 1;
        }
    }

    fn call(&mut self, depth: usize) -> Result<(), Problem> {
        if depth >= MAX_INTRINSIC_DEPTH {
            return Err(problem("intrinsic functions nest at most 10 deep", self.i));
        }
        let start = self.i;
        while self.bytes.get(self.i).is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'.') {
            self.i += 1;
        }
        let name = &self.text[start..self.i];
        let Some(&(_, min, max)) = INTRINSICS.iter().find(|(n, _, _)| *n == name) else {
            let hint = super::suggest(name, INTRINSICS.iter().map(|(n, _, _)| *n));
            return Err(problem(format!("unknown intrinsic function \"{name}\"{hint}"), start));
        };
        self.skip_ws();
        if self.bytes.get(self.i) != Some(&b'(') {
            return Err(problem(format!("expected \"(\" after {name}"), self.i));
        }
        self.i += 1;
        let mut count = 0;
        let mut first_arg: Option<String> = None;
        let mut last_arg: Option<String> = None;
        self.skip_ws();
        if self.bytes.get(self.i) == Some(&b')') {
            self.i += 1;
        } else {
            loop {
                self.skip_ws();
                let arg_start = self.i;
                self.argument(depth)?;
                let arg = self.text[arg_start..self.i].trim().to_owned();
                if first_arg.is_none() {
                    first_arg = Some(arg.clone());
                }
                last_arg = Some(arg);
                count += 1;
                self.skip_ws();
                match self.bytes.get(self.i) {
                    Some(b',') => self.i += 1,
                    Some(b')') => {
                        self.i += 1;
                        break;
                    }
                    _ => return Err(problem("expected \",\" or \")\"", self.i)),
                }
            }
        }
        if count < min || count > max {
            let expected = match (min, max) {
                (a, b) if a == b => format!("{a}"),
                (a, usize::MAX) => format!("at least {a}"),
                (a, b) => format!("{a} to {b}"),
            };
            return Err(problem(
                format!("{name} takes {expected} argument(s), not {count}"),
                start,
            ));
        }
        if name == "States.Hash" {
            const ALGORITHMS: [&str; 5] =
                ["'MD5'", "'SHA-1'", "'SHA-256'", "'SHA-384'", "'SHA-512'"];
            if let Some(algorithm) = last_arg.as_deref().filter(|a| a.starts_with('\'')) {
                if !ALGORITHMS.contains(&algorithm) {
                    return Err(problem(
                        format!(
                            "States.Hash supports MD5, SHA-1, SHA-256, SHA-384 and SHA-512, not {algorithm}"
                        ),
                        start,
                    ));
                }
            }
        }
        let _ = first_arg;
        if name == "States.JsonMerge" && last_arg.as_deref() != Some("false") {
            return Err(problem(
                "the third argument of States.JsonMerge must be false (deep merge is not supported)",
                start,
            ));
        }
        Ok(())
    }

    fn argument(&mut self, depth: usize) -> Result<(), Problem> {
        match self.bytes.get(self.i) {
            Some(b'\'') => {
                self.i += 1;
                loop {
                    match self.bytes.get(self.i) {
                        None => return Err(problem("this string is never closed", self.i)),
                        Some(b'\\') => self.i += 2,
                        Some(b'\'') => {
                            self.i += 1;
                            return Ok(());
                        }
                        Some(_) => self.i += 1,
                    }
                }
            }
            Some(b'$') => {
                let start = self.i;
                let mut depth_brackets = 0usize;
                let mut quote: Option<u8> = None;
                while let Some(&b) = self.bytes.get(self.i) {
                    match quote {
                        Some(q) if b == q => quote = None,
                        Some(_) => {}
                        None => match b {
                            b'\'' | b'"' if depth_brackets > 0 => quote = Some(b),
                            b'[' | b'(' => depth_brackets += 1,
                            b']' | b')' if depth_brackets > 0 => depth_brackets -= 1,
                            b',' | b')' => break,
                            _ => {}
                        },
                    }
                    self.i += 1;
                }
                let path = self.text[start..self.i].trim_end();
                check_path(path, false).map_err(|p| problem(p.message, start + p.offset))?;
                if let Some(name) = path_variable(path) {
                    self.variables.push(name.to_owned());
                }
                Ok(())
            }
            Some(b'S') => self.call(depth + 1),
            Some(b) if b.is_ascii_digit() || *b == b'-' => {
                self.i += 1;
                while self.bytes.get(self.i).is_some_and(|b| {
                    b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')
                }) {
                    self.i += 1;
                }
                Ok(())
            }
            _ => {
                for word in ["true", "false", "null"] {
                    if self.text[self.i..].starts_with(word) {
                        self.i += word.len();
                        return Ok(());
                    }
                }
                Err(problem(
                    "expected an argument: a 'string', a number, a path or an intrinsic function",
                    self.i,
                ))
            }
        }
    }
}

/// The variable a JSONPath path reads (`$name.x` → `name`), if any.
pub(crate) fn path_variable(path: &str) -> Option<&str> {
    let rest = path.strip_prefix('$')?;
    // Most paths read the input or the context (`$.x`, `$[0]`, `$$.x`, `$`): no name follows.
    if matches!(rest.as_bytes().first(), None | Some(b'.' | b'[' | b'$')) {
        return None;
    }
    let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    let name = &rest[..end];
    name.starts_with(|c: char| c.is_alphabetic() || c == '_').then_some(name)
}

/// Whether a string is written as a JSONata expression.
pub(crate) fn is_jsonata(value: &str) -> bool {
    value.starts_with("{%")
}

/// Checks a JSONata `{% … %}` string: the delimiters, a non-empty body, and the expression
/// itself with the engine's parser (its error and position). Offsets are into the whole string.
/// Returns the workflow variables the expression reads (not those it binds with `:=`, as
/// function parameters or as path bindings, and not functions).
pub(crate) fn check_jsonata(value: &str) -> Result<Vec<String>, Problem> {
    if !value.ends_with("%}") || value.len() < 4 {
        return Err(problem("a JSONata expression must end with \"%}\"", value.len()));
    }
    let body = &value[2..value.len() - 2];
    if body.trim().is_empty() {
        return Err(problem("the JSONata expression is empty", 2));
    }
    let node = stepwise_jsonata::parser::parse(body).map_err(|e| {
        let at = e.position.unwrap_or(0).min(body.len());
        problem(format!("{} ({})", e.message, e.code), 2 + at)
    })?;
    let mut reads = stepwise_jsonata::analysis::free_variables(&node);
    reads.retain(|name| name != "states" && !is_jsonata_function(name));
    Ok(reads)
}

/// JSONata's built-in functions and those Step Functions adds: `$name` without a call may pass
/// one of them as a value, which is not a variable read.
pub(crate) fn is_jsonata_function(name: &str) -> bool {
    stepwise_jsonata::functions::builtin(name).is_some()
        || matches!(name, "partition" | "range" | "hash" | "random" | "uuid" | "parse")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_reference_paths() {
        for ok in [
            "$",
            "$.a",
            "$.a.b[0]",
            "$['a b'].c",
            "$$.Execution.Id",
            "$var.x",
            "$prénom.x",
            "$.a[*]",
        ] {
            let reference = !ok.contains('*');
            assert_eq!(check_path(ok, reference), Ok(()), "{ok}");
        }
        assert!(check_path("$..a", false).is_ok(), "deep scan is a path");
        for bad in ["$..a", "$.a[*]", "$.a[?(@.x)]", "$.a[0:2]", "$.a[0,1]", "$.*"] {
            assert!(check_path(bad, true).is_err(), "{bad} is not a reference path");
        }
        for bad in ["a.b", "", "$.", "$.a[", "$.a]"] {
            assert!(check_path(bad, false).is_err(), "{bad} is not a path");
        }
    }

    #[test]
    fn intrinsics_are_checked_by_name_and_arity() {
        assert_eq!(check_intrinsic("States.Format('Hi {}', $.name)"), Ok(vec![]));
        assert_eq!(
            check_intrinsic("States.Array(States.UUID(), $count, 'a\\'b', 1.5, true)"),
            Ok(vec!["count".to_owned()])
        );
        let err = check_intrinsic("States.Formatt('x')").expect_err("unknown");
        assert!(err.message.contains("did you mean \"States.Format\""), "{}", err.message);
        assert!(check_intrinsic("States.UUID(1)").is_err());
        assert!(check_intrinsic("States.MathAdd(1)").is_err());
        assert!(check_intrinsic("States.MathAdd(1, 2").is_err());
        assert!(check_intrinsic("States.JsonMerge($.a, $.b, true)").is_err());
        assert!(check_intrinsic("States.Hash($.a, 'SHA-256')").is_ok());
        assert!(check_intrinsic("States.Hash($.a, 'SHA256')").is_err());
        let deep = "States.Array(".repeat(11) + &")".repeat(11);
        assert!(check_intrinsic(&deep).is_err());
    }

    #[test]
    fn escapes_before_multibyte_characters_do_not_split_them() {
        for text in ["{% '\\é' %}", "{% \"\\€\" & $x %}", "{% `é` %}", "{% /* é */ 1 %}", "{% é %}"]
        {
            let _ = check_jsonata(text);
        }
        for text in
            ["States.Format('\\é')", "States.Format('é\\", "States.Array($.é, 'ü')", "States.é()"]
        {
            let _ = check_intrinsic(text);
        }
        for text in ["$.é", "$['é']", "$é", "$.a[é]", "$..é"] {
            let _ = check_path(text, true);
            let _ = check_path(text, false);
        }
    }

    #[test]
    fn jsonata_basics_and_variables() {
        assert_eq!(check_jsonata("{% $states.input.a + $x %}"), Ok(vec!["x".to_owned()]));
        assert_eq!(check_jsonata("{% ($y := 1; $y + $sum([1])) %}"), Ok(vec![]));
        assert_eq!(check_jsonata("{% $map([1], function($v) { $v * 2 }) %}"), Ok(vec![]));
        assert!(check_jsonata("{% $states.input %").is_err());
        assert!(check_jsonata("{%   %}").is_err());
        // The engine's parser reports where it gave up: the end of `($a + 1 `.
        let err = check_jsonata("{% ($a + 1 %}").expect_err("unclosed");
        assert_eq!(err.offset, 11);
        assert!(err.message.contains("S0203"), "{}", err.message);
        // A misplaced token is reported where it stands.
        let err = check_jsonata("{% $a + + %}").expect_err("dangling operator");
        assert_eq!(err.offset, 8);
        assert!(check_jsonata("{% $x := %}").is_err());
        assert!(check_jsonata("{% $count(]) %}").is_err());
        assert!(check_jsonata("{% 'abc %}").is_err());
        assert!(check_jsonata("{% [1, 2) %}").is_err());
    }
}
