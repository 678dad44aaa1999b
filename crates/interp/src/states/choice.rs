//! Choice rules (JSONPath mode): comparison operators, their `...Path` variants, `And`, `Or`,
//! `Not`, and the type tests. Rules are compiled once; evaluation borrows the input.

use serde_json::Value;

use crate::value::Payload;

use crate::dataflow::path::PathSyntaxError;
use crate::dataflow::{EvalError, Path, Variables, path_root};

/// A compiled Choice rule (a top-level rule also carries `Next`, kept by the state).
#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// `And`: all must hold.
    And(Vec<Rule>),
    /// `Or`: one must hold.
    Or(Vec<Rule>),
    /// `Not`.
    Not(Box<Rule>),
    /// `Variable` + one comparison.
    Compare {
        /// The value under test (`$` or `$$` path).
        variable: Operand,
        /// The operator.
        op: Op,
        /// The literal or the `...Path` operand.
        against: Against,
    },
}

/// A path into the input (`$`) or into the context object (`$$`).
#[derive(Debug, Clone, PartialEq)]
pub struct Operand {
    path: Path,
    context: bool,
    text: String,
}

/// The second operand of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Against {
    /// A literal from the definition.
    Literal(Payload),
    /// A `...Path` operator's path.
    Path(Operand),
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Op {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

const OPS: &[(&str, Op)] = &[
    ("StringEquals", Op::StringEquals),
    ("StringLessThan", Op::StringLessThan),
    ("StringGreaterThan", Op::StringGreaterThan),
    ("StringLessThanEquals", Op::StringLessThanEquals),
    ("StringGreaterThanEquals", Op::StringGreaterThanEquals),
    ("StringMatches", Op::StringMatches),
    ("NumericEquals", Op::NumericEquals),
    ("NumericLessThan", Op::NumericLessThan),
    ("NumericGreaterThan", Op::NumericGreaterThan),
    ("NumericLessThanEquals", Op::NumericLessThanEquals),
    ("NumericGreaterThanEquals", Op::NumericGreaterThanEquals),
    ("BooleanEquals", Op::BooleanEquals),
    ("TimestampEquals", Op::TimestampEquals),
    ("TimestampLessThan", Op::TimestampLessThan),
    ("TimestampGreaterThan", Op::TimestampGreaterThan),
    ("TimestampLessThanEquals", Op::TimestampLessThanEquals),
    ("TimestampGreaterThanEquals", Op::TimestampGreaterThanEquals),
    ("IsNull", Op::IsNull),
    ("IsPresent", Op::IsPresent),
    ("IsNumeric", Op::IsNumeric),
    ("IsString", Op::IsString),
    ("IsBoolean", Op::IsBoolean),
    ("IsTimestamp", Op::IsTimestamp),
];

impl Operand {
    fn parse(text: &str) -> Result<Operand, String> {
        let (path, context) = match text.strip_prefix("$$") {
            Some(rest) => (Path::parse(&format!("${rest}")), true),
            None => (Path::parse(text), false),
        };
        let path = path.map_err(|e: PathSyntaxError| e.to_string())?;
        Ok(Operand { path, context, text: text.to_owned() })
    }

    /// The value the operand reads: `Ok(None)` for a miss, `Err(message)` for an undefined
    /// variable (which even `IsPresent` does not tolerate: the variable itself must exist).
    fn get<'v>(
        &self,
        input: &'v Payload,
        context: &'v Payload,
        vars: Option<&'v Variables>,
    ) -> Result<Option<std::borrow::Cow<'v, Payload>>, String> {
        let root = if self.context {
            context
        } else {
            match path_root(&self.path, input, vars) {
                Ok(r) => r,
                Err(EvalError::UndefinedVariable { name, path, .. }) => {
                    return Err(EvalError::undefined_variable_message(&name, &path, None));
                }
                Err(_) => return Ok(None),
            }
        };
        Ok(if self.path.is_definite() {
            self.path.select_ref(root).map(std::borrow::Cow::Borrowed)
        } else {
            self.path.select(root).map(std::borrow::Cow::Owned)
        })
    }

    /// The value a definite path into the input finds, borrowed; `None` for a miss and for
    /// the other operands (context, variables, indefinite paths).
    #[inline]
    fn in_input<'v>(&self, input: &'v Payload) -> Option<&'v Payload> {
        if self.context || self.path.variable().is_some() {
            return None;
        }
        self.path.select_ref(input)
    }

    /// The path as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether it reads `$$`.
    pub fn uses_context(&self) -> bool {
        self.context
    }
}

impl Rule {
    /// Compiles one rule object (a top-level rule's `Next` is ignored here).
    pub fn compile(v: &Value) -> Result<Rule, String> {
        let obj = v.as_object().ok_or("a choice rule must be an object")?;
        if let Some(list) = obj.get("And").or_else(|| obj.get("Or")) {
            let items = list.as_array().ok_or("And/Or take an array of rules")?;
            let rules = items.iter().map(Rule::compile).collect::<Result<Vec<_>, _>>()?;
            return Ok(if obj.contains_key("And") { Rule::And(rules) } else { Rule::Or(rules) });
        }
        if let Some(inner) = obj.get("Not") {
            return Ok(Rule::Not(Box::new(Rule::compile(inner)?)));
        }
        let variable = obj
            .get("Variable")
            .and_then(Value::as_str)
            .ok_or("a choice rule needs \"Variable\" (or And/Or/Not)")?;
        let variable = Operand::parse(variable)?;
        for (name, op) in OPS {
            if let Some(lit) = obj.get(*name) {
                return Ok(Rule::Compare {
                    variable,
                    op: *op,
                    against: Against::Literal(Payload::from(lit)),
                });
            }
            if let Some(p) = obj.get(&format!("{name}Path")) {
                let p = p.as_str().ok_or_else(|| format!("{name}Path must be a path string"))?;
                return Ok(Rule::Compare {
                    variable,
                    op: *op,
                    against: Against::Path(Operand::parse(p)?),
                });
            }
        }
        Err("a choice rule needs a comparison operator".into())
    }

    /// Whether the rule reads the context object anywhere.
    pub fn uses_context(&self) -> bool {
        match self {
            Rule::And(rs) | Rule::Or(rs) => rs.iter().any(Rule::uses_context),
            Rule::Not(r) => r.uses_context(),
            Rule::Compare { variable, against, .. } => {
                variable.uses_context() || matches!(against, Against::Path(p) if p.uses_context())
            }
        }
    }

    /// Evaluates the rule, reading `$name` paths from `vars`. `Err(message)` when a Variable
    /// (or `...Path`) that must exist does not: AWS fails the execution with `States.Runtime`
    /// then; only `IsPresent` tolerates a miss.
    pub fn eval(
        &self,
        input: &Payload,
        context: &Payload,
        vars: Option<&Variables>,
    ) -> Result<bool, String> {
        match self {
            Rule::And(rs) => {
                for r in rs {
                    if !r.eval(input, context, vars)? {
                        return Ok(false);
                    }
                }
                Ok(true)
            }
            Rule::Or(rs) => {
                for r in rs {
                    if r.eval(input, context, vars)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Rule::Not(r) => Ok(!r.eval(input, context, vars)?),
            // A literal compared with a value of the input found where it is (the usual
            // rule): no copy, no wrapping; a miss, `IsPresent` and the rest go the long way.
            Rule::Compare { variable, op, against: Against::Literal(literal) }
                if *op != Op::IsPresent
                    && let Some(value) = variable.in_input(input) =>
            {
                Ok(compare(*op, value, literal))
            }
            Rule::Compare { variable, op, against } => {
                let value = variable.get(input, context, vars)?;
                if *op == Op::IsPresent {
                    let want = against_literal_bool(against, input, context, vars)?;
                    return Ok(value.is_some() == want);
                }
                let Some(value) = value else { return Err(invalid_path(&variable.text)) };
                let other = match against {
                    Against::Literal(v) => std::borrow::Cow::Borrowed(v),
                    Against::Path(p) => match p.get(input, context, vars)? {
                        Some(v) => v,
                        None => return Err(invalid_path(&p.text)),
                    },
                };
                Ok(compare(*op, &value, &other))
            }
        }
    }
}

fn invalid_path(path: &str) -> String {
    format!("Invalid path '{path}': The choice state's condition path references an invalid value.")
}

fn against_literal_bool(
    a: &Against,
    input: &Payload,
    context: &Payload,
    vars: Option<&Variables>,
) -> Result<bool, String> {
    match a {
        Against::Literal(v) => Ok(v.as_bool().unwrap_or(false)),
        Against::Path(p) => match p.get(input, context, vars)? {
            Some(v) => Ok(v.as_bool().unwrap_or(false)),
            None => Err(invalid_path(&p.text)),
        },
    }
}

fn compare(op: Op, v: &Payload, other: &Payload) -> bool {
    use std::cmp::Ordering::*;
    let want = other.as_bool().unwrap_or(false);
    match op {
        Op::StringEquals
        | Op::StringLessThan
        | Op::StringGreaterThan
        | Op::StringLessThanEquals
        | Op::StringGreaterThanEquals => {
            let (Some(a), Some(b)) = (v.as_str(), other.as_str()) else { return false };
            let ord = a.cmp(b);
            match op {
                Op::StringEquals => ord == Equal,
                Op::StringLessThan => ord == Less,
                Op::StringGreaterThan => ord == Greater,
                Op::StringLessThanEquals => ord != Greater,
                _ => ord != Less,
            }
        }
        Op::StringMatches => {
            let (Some(a), Some(b)) = (v.as_str(), other.as_str()) else { return false };
            wildcard_match(b, a)
        }
        Op::NumericEquals
        | Op::NumericLessThan
        | Op::NumericGreaterThan
        | Op::NumericLessThanEquals
        | Op::NumericGreaterThanEquals => {
            let (Some(a), Some(b)) = (v.as_f64(), other.as_f64()) else { return false };
            let Some(ord) = a.partial_cmp(&b) else { return false };
            match op {
                Op::NumericEquals => ord == Equal,
                Op::NumericLessThan => ord == Less,
                Op::NumericGreaterThan => ord == Greater,
                Op::NumericLessThanEquals => ord != Greater,
                _ => ord != Less,
            }
        }
        Op::BooleanEquals => matches!((v, other), (Payload::Bool(a), Payload::Bool(b)) if a == b),
        Op::TimestampEquals
        | Op::TimestampLessThan
        | Op::TimestampGreaterThan
        | Op::TimestampLessThanEquals
        | Op::TimestampGreaterThanEquals => {
            let (Some(a), Some(b)) =
                (v.as_str().and_then(parse_timestamp), other.as_str().and_then(parse_timestamp))
            else {
                return false;
            };
            let ord = a.cmp(&b);
            match op {
                Op::TimestampEquals => ord == Equal,
                Op::TimestampLessThan => ord == Less,
                Op::TimestampGreaterThan => ord == Greater,
                Op::TimestampLessThanEquals => ord != Greater,
                _ => ord != Less,
            }
        }
        Op::IsNull => v.is_null() == want,
        Op::IsNumeric => v.is_number() == want,
        Op::IsString => v.is_string() == want,
        Op::IsBoolean => v.is_boolean() == want,
        Op::IsTimestamp => v.as_str().and_then(parse_timestamp).is_some() == want,
        Op::IsPresent => true,
    }
}

/// Parses an ASL timestamp (RFC 3339 with an uppercase `T`; `Z` or a numeric offset) into
/// nanoseconds since the epoch.
pub fn parse_timestamp(s: &str) -> Option<i128> {
    if !s.contains('T') {
        return None;
    }
    let t = chrono::DateTime::parse_from_rfc3339(s).ok()?;
    Some(t.timestamp() as i128 * 1_000_000_000 + t.timestamp_subsec_nanos() as i128)
}

/// `StringMatches`: `*` matches any run of characters; `\*` and `\\` are literal.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    #[derive(PartialEq)]
    enum T {
        Star,
        Ch(char),
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        match c {
            '\\' => match it.next() {
                Some(n) => toks.push(T::Ch(n)),
                None => toks.push(T::Ch('\\')),
            },
            '*' => toks.push(T::Star),
            c => toks.push(T::Ch(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic wildcard matching with backtracking to the last star.
    let (mut p, mut t) = (0usize, 0usize);
    let (mut star, mut mark) = (None::<usize>, 0usize);
    while t < text.len() {
        if p < toks.len() && toks[p] == T::Ch(text[t]) {
            p += 1;
            t += 1;
        } else if p < toks.len() && toks[p] == T::Star {
            star = Some(p);
            mark = t;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            t = mark;
        } else {
            return false;
        }
    }
    while p < toks.len() && toks[p] == T::Star {
        p += 1;
    }
    p == toks.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_matches_supports_stars_and_escapes() {
        assert!(wildcard_match("log-*.txt", "log-2024.txt"));
        assert!(wildcard_match("*.log", "a.log"));
        assert!(!wildcard_match("*.log", "a.logs"));
        assert!(wildcard_match("a\\*b", "a*b"));
        assert!(!wildcard_match("a\\*b", "axb"));
        assert!(wildcard_match("*", ""));
    }

    #[test]
    fn timestamps_need_a_t_and_a_zone() {
        assert!(parse_timestamp("2016-03-14T01:59:00Z").is_some());
        assert!(parse_timestamp("2016-03-14T01:59:00+01:00").is_some());
        assert!(parse_timestamp("2016-03-14 01:59:00Z").is_none());
        assert!(parse_timestamp("2016-03-14T01:59:00").is_none());
    }
}
