//! Tokens, the Pratt parser, and the pass that turns dotted expressions into path steps.
//!
//! Parsing happens in two passes, as the language reference describes the syntax: a Pratt
//! parser with JSONata's binding powers builds the syntax tree, then [`process`] flattens
//! `a.b[c]@$x#$i^(d){e}` into a [`Path`] of [`Step`]s with their filter stages, bindings, sort
//! and grouping, and marks the calls in tail position of each lambda so recursion runs in a loop.

use std::sync::Arc;

use stepwise_value::{Object as JsonObject, Payload};

use crate::error::{Error, Result};
use crate::regex::Pattern;
use crate::value::number_payload;

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `&`
    Concat,
    /// `and`
    And,
    /// `or`
    Or,
    /// `in`
    In,
    /// `..` (inside an array constructor)
    Range,
}

impl BinOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Concat => "&",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::In => "in",
            BinOp::Range => "..",
        }
    }
}

/// A node of the processed syntax tree.
#[derive(Debug, Clone)]
pub enum Node {
    /// A string literal.
    Str(Arc<str>),
    /// A number literal.
    Num(f64),
    /// `true` / `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A regular expression literal.
    Regex(Arc<Pattern>),
    /// A field name (a path step).
    Name(Arc<str>),
    /// A variable: `""` is `$` (the context), `"$"` is `$$` (the input).
    Var(Arc<str>),
    /// `*`
    Wildcard,
    /// `**`
    Descendants,
    /// `%` (the parent of the context).
    Parent(Arc<str>),
    /// A location path.
    Path(Box<Path>),
    /// A binary operator.
    Binary(BinOp, Box<Node>, Box<Node>),
    /// Unary minus.
    Neg(Box<Node>),
    /// `[a, b, c]` (`cons`: a path's first or last step, kept as one value).
    Array(Vec<Node>, bool),
    /// `{ key: value, ... }` at the start of an expression.
    Object(Vec<(Node, Node)>),
    /// An object constructor of literal keys and values, built once when parsed (see
    /// [`literal_object`]).
    Json(Payload),
    /// `( a; b; c )`
    Block(Vec<Node>),
    /// `c ? a : b`
    Condition(Box<Node>, Box<Node>, Option<Box<Node>>),
    /// `a ?: b`
    Elvis(Box<Node>, Box<Node>),
    /// `a ?? b`
    Coalesce(Box<Node>, Box<Node>),
    /// `$name := value`
    Bind(Arc<str>, Box<Node>),
    /// `a ~> b`
    Apply(Box<Node>, Box<Node>),
    /// `f(args)`: `partial` when an argument is `?`; `tail` when in a lambda's tail position.
    Call { func: Box<Node>, args: Vec<Node>, partial: bool, tail: bool },
    /// `?` in a partial application.
    Placeholder,
    /// `function($a) { ... }`
    Lambda(Arc<Lambda>),
    /// `| pattern | update, delete |`
    Transform(Box<Node>, Box<Node>, Option<Box<Node>>),
    /// A sort step `^(terms)` (only inside a path).
    Sort(Vec<SortTerm>),
    /// An expression (not a path step) with predicates.
    Filtered(Box<Node>, Vec<Stage>),
    /// An expression (not a path) followed by a grouping object.
    Grouped(Box<Node>, Vec<(Node, Node)>),
    /// Raw syntax, gone after [`process`]: `a.b`.
    Dot(Box<Node>, Box<Node>, usize),
    /// Raw syntax: `a[pred]`.
    Predicate(Box<Node>, Box<Node>, usize),
    /// Raw syntax: `a[]`.
    KeepArray(Box<Node>),
    /// Raw syntax: `a{...}`.
    GroupBy(Box<Node>, Vec<(Node, Node)>, usize),
    /// Raw syntax: `a@$v`.
    Focus(Box<Node>, Arc<str>, usize),
    /// Raw syntax: `a#$i`.
    IndexBind(Box<Node>, Arc<str>, usize),
    /// Raw syntax: `a^(...)`.
    SortBy(Box<Node>, Vec<SortTerm>),
}

/// A lambda's definition.
#[derive(Debug, Clone)]
pub struct Lambda {
    /// Parameter names (without `$`).
    pub params: Vec<Arc<str>>,
    /// The body.
    pub body: Node,
    /// The signature, when one is given (`<n-n:n>`).
    pub signature: Option<crate::signature::Signature>,
}

/// One term of a sort: the expression and whether it sorts descending.
#[derive(Debug, Clone)]
pub struct SortTerm {
    /// The sort key.
    pub expr: Node,
    /// `>`: descending.
    pub descending: bool,
}

/// A stage after a step: a filter (predicate) or an index binding (`#$i`).
#[derive(Debug, Clone)]
pub enum Stage {
    /// `[expr]`
    Filter(Node),
    /// `#$name`
    Index(Arc<str>),
}

/// One step of a path.
#[derive(Debug, Clone)]
pub struct Step {
    /// What the step evaluates against each item.
    pub node: Node,
    /// Predicates and index bindings, in order.
    pub stages: Vec<Stage>,
    /// `@$name`
    pub focus: Option<Arc<str>>,
    /// `#$name` without stages before it.
    pub index: Option<Arc<str>>,
    /// The step binds variables, so the path runs as a tuple stream.
    pub tuple: bool,
    /// `[]` after this step.
    pub keep_array: bool,
}

impl Step {
    fn new(node: Node) -> Step {
        Step { node, stages: Vec::new(), focus: None, index: None, tuple: false, keep_array: false }
    }

    /// A step that only evaluates its node against each item: no predicates, bindings,
    /// `[]` or sort.
    pub fn is_simple(&self) -> bool {
        self.stages.is_empty()
            && self.focus.is_none()
            && self.index.is_none()
            && !self.tuple
            && !self.keep_array
            && !matches!(self.node, Node::Sort(_))
    }
}

impl Path {
    /// A path without ancestry, grouping or `[]`, whose first step is not an array
    /// constructor: one value can flow through its simple steps without a sequence.
    pub fn is_simple(&self) -> bool {
        !self.ancestry
            && self.group.is_none()
            && !self.keep_singleton
            && !matches!(self.steps.first().map(|s| &s.node), Some(Node::Array(_, true)) | None)
    }
}

/// A location path.
#[derive(Debug, Clone)]
pub struct Path {
    /// The steps.
    pub steps: Vec<Step>,
    /// Some step had `[]`.
    pub keep_singleton: bool,
    /// A grouping object after the path.
    pub group: Option<Vec<(Node, Node)>>,
    /// Some step refers to a parent (`%`), so the path tracks each value's ancestors.
    pub ancestry: bool,
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone)]
enum Tok {
    Op(&'static str),
    Str(String),
    Num(f64),
    Name(String),
    Var(String),
    Regex(Arc<Pattern>),
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    pos: usize,
}

const OPERATORS: &[&str] = &[
    "..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??", ".", "[", "]", "{", "}", "(", ")", ",",
    "@", "#", ";", ":", "?", "+", "-", "*", "/", "%", "|", "=", "<", ">", "^", "&", "!", "~",
];

fn is_operator_char(c: char) -> bool {
    ".[]{}(),@#;:?+-*/%|=<>^&!~".contains(c)
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
}

impl<'a> Lexer<'a> {
    fn peek_char(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn next(&mut self, prefix: bool) -> Result<Token> {
        // Whitespace and comments.
        loop {
            let rest = &self.src[self.pos..];
            let trimmed = rest.trim_start();
            self.pos += rest.len() - trimmed.len();
            if let Some(body) = trimmed.strip_prefix("/*") {
                match body.find("*/") {
                    Some(end) => self.pos += end + 4,
                    None => {
                        return Err(Error::new("S0106", "Comment has no closing tag").at(self.pos));
                    }
                }
            } else {
                break;
            }
        }
        let start = self.pos;
        let Some(c) = self.peek_char() else {
            return Ok(Token { tok: Tok::End, pos: start });
        };
        if c == '/' && prefix {
            return self.regex(start);
        }
        if c == '"' || c == '\'' {
            return self.string(c, start);
        }
        if c.is_ascii_digit() {
            return self.number(start);
        }
        if c == '`' {
            let rest = &self.src[start + 1..];
            return match rest.find('`') {
                Some(end) => {
                    self.pos = start + 1 + end + 1;
                    Ok(Token { tok: Tok::Name(rest[..end].to_owned()), pos: start })
                }
                None => Err(Error::new(
                    "S0105",
                    "Quoted property name must be terminated with a backquote (`)",
                )
                .at(start)),
            };
        }
        let rest = &self.src[start..];
        if (rest.starts_with('!') && !rest.starts_with("!="))
            || (rest.starts_with('~') && !rest.starts_with("~>"))
        {
            return Err(Error::new("S0204", format!("Unknown operator: \"{c}\""))
                .at(start)
                .token(c.to_string()));
        }
        for op in OPERATORS {
            if rest.starts_with(op) {
                // `?:` and `??` only when not the start of a longer sequence we mis-read.
                self.pos += op.len();
                return Ok(Token { tok: Tok::Op(op), pos: start });
            }
        }
        // A name or a variable.
        let var = c == '$';
        let body_start = if var { start + 1 } else { start };
        let len = self.src[body_start..]
            .find(|ch: char| ch.is_whitespace() || is_operator_char(ch))
            .unwrap_or(self.src.len() - body_start);
        let word = &self.src[body_start..body_start + len];
        self.pos = body_start + len;
        if var {
            return Ok(Token { tok: Tok::Var(word.to_owned()), pos: start });
        }
        if word.is_empty() {
            return Err(Error::new("S0204", format!("Unknown operator: \"{c}\""))
                .at(start)
                .token(c.to_string()));
        }
        Ok(Token { tok: Tok::Name(word.to_owned()), pos: start })
    }

    fn string(&mut self, quote: char, start: usize) -> Result<Token> {
        let mut out = String::new();
        let mut chars = self.src[start + 1..].char_indices();
        while let Some((i, ch)) = chars.next() {
            if ch == quote {
                self.pos = start + 1 + i + 1;
                return Ok(Token { tok: Tok::Str(out), pos: start });
            }
            if ch != '\\' {
                out.push(ch);
                continue;
            }
            let Some((_, esc)) = chars.next() else { break };
            match esc {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                '/' => out.push('/'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'u' => {
                    let code = read_hex4(&mut chars).ok_or_else(|| {
                        Error::new(
                            "S0104",
                            "The escape sequence \\u must be followed by 4 hex digits",
                        )
                        .at(start + 1 + i)
                    })?;
                    if (0xD800..0xDC00).contains(&code) {
                        // A surrogate pair: the low half must follow as another \u escape.
                        let mut look = chars.clone();
                        let low = match (look.next(), look.next()) {
                            (Some((_, '\\')), Some((_, 'u'))) => read_hex4(&mut look),
                            _ => None,
                        };
                        match low {
                            Some(l) if (0xDC00..0xE000).contains(&l) => {
                                chars = look;
                                let c = 0x10000 + ((code - 0xD800) << 10) + (l - 0xDC00);
                                out.push(char::from_u32(c).unwrap_or('\u{FFFD}'));
                            }
                            _ => out.push('\u{FFFD}'),
                        }
                    } else {
                        out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
                    }
                }
                other => {
                    return Err(Error::new(
                        "S0103",
                        format!("Unsupported escape sequence: \\{other}"),
                    )
                    .at(start + 1 + i)
                    .token(other.to_string()));
                }
            }
        }
        Err(Error::new("S0101", "String literal must be terminated by a matching quote").at(start))
    }

    fn number(&mut self, start: usize) -> Result<Token> {
        let b = self.src.as_bytes();
        let mut i = start;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
            i += 1;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
        }
        if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
            let mut j = i + 1;
            if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
                j += 1;
            }
            if j < b.len() && b[j].is_ascii_digit() {
                while j < b.len() && b[j].is_ascii_digit() {
                    j += 1;
                }
                i = j;
            }
        }
        let text = &self.src[start..i];
        self.pos = i;
        let n: f64 = text.parse().unwrap_or(f64::NAN);
        if !n.is_finite() {
            return Err(Error::new("S0102", format!("Number out of range: {text}"))
                .at(start)
                .token(text));
        }
        Ok(Token { tok: Tok::Num(n), pos: start })
    }

    fn regex(&mut self, start: usize) -> Result<Token> {
        let bytes = self.src.as_bytes();
        let mut i = start + 1;
        let mut in_class = false;
        while i < bytes.len() {
            match bytes[i] {
                b'\\' => i += 1,
                b'[' => in_class = true,
                b']' => in_class = false,
                b'/' if !in_class => break,
                _ => {}
            }
            i += 1;
        }
        if i >= bytes.len() {
            return Err(Error::new("S0302", "No terminating / in regular expression").at(start));
        }
        let pattern = &self.src[start + 1..i];
        if pattern.is_empty() {
            return Err(Error::new("S0301", "Empty regular expressions are not allowed").at(start));
        }
        let mut j = i + 1;
        while j < bytes.len() && (bytes[j] == b'i' || bytes[j] == b'm') {
            j += 1;
        }
        let flags = &self.src[i + 1..j];
        self.pos = j;
        let compiled = Pattern::new(pattern, flags).map_err(|e| e.at(start))?;
        Ok(Token { tok: Tok::Regex(Arc::new(compiled)), pos: start })
    }
}

fn read_hex4(chars: &mut std::str::CharIndices<'_>) -> Option<u32> {
    let mut code = 0;
    for _ in 0..4 {
        let (_, h) = chars.next()?;
        code = code * 16 + h.to_digit(16)?;
    }
    Some(code)
}

// ---------------------------------------------------------------------------------------------
// The Pratt parser

struct Parser<'a> {
    lexer: Lexer<'a>,
    current: Token,
    depth: usize,
}

/// How deeply expressions may nest before parsing stops (a guard for the Rust stack).
const MAX_NESTING: usize = 400;

fn lbp(tok: &Tok) -> u8 {
    match tok {
        Tok::Op(op) => match *op {
            "." => 75,
            "[" | "(" | "@" | "#" => 80,
            "{" => 70,
            "?" => 20,
            "+" | "-" | "&" => 50,
            "*" | "/" | "%" => 60,
            "=" | "<" | ">" | "^" | "!=" | "<=" | ">=" | "~>" | "?:" | "??" => 40,
            ":=" => 10,
            // `;` and `:` separate; `**` is only a prefix.
            _ => 0,
        },
        Tok::Name(n) => match n.as_str() {
            "and" => 30,
            "or" => 25,
            "in" => 40,
            _ => 0,
        },
        _ => 0,
    }
}

fn describe(tok: &Tok) -> String {
    match tok {
        Tok::Op(o) => (*o).to_owned(),
        Tok::Str(s) => s.clone(),
        Tok::Num(n) => n.to_string(),
        Tok::Name(n) => n.clone(),
        Tok::Var(v) => format!("${v}"),
        Tok::Regex(_) => "regex".to_owned(),
        Tok::End => "(end)".to_owned(),
    }
}

/// Whether the token just read leaves the next one in prefix position (where `/` starts a
/// regular expression rather than dividing).
fn prefix_after(tok: &Tok) -> bool {
    match tok {
        Tok::Op(op) => !matches!(*op, ")" | "]" | "}" | "*" | "**" | "%"),
        Tok::Name(n) => matches!(n.as_str(), "and" | "or" | "in"),
        Tok::End => true,
        _ => false,
    }
}

impl<'a> Parser<'a> {
    fn advance(&mut self) -> Result<Token> {
        let prefix = prefix_after(&self.current.tok);
        let next = self.lexer.next(prefix)?;
        Ok(std::mem::replace(&mut self.current, next))
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(&self.current.tok, Tok::Op(o) if *o == op)
    }

    fn expect(&mut self, op: &'static str) -> Result<()> {
        if self.is_op(op) {
            self.advance()?;
            return Ok(());
        }
        let got = describe(&self.current.tok);
        if matches!(self.current.tok, Tok::End) {
            Err(Error::new("S0203", format!("Expected \"{op}\" before end of expression"))
                .at(self.current.pos)
                .token(op))
        } else {
            Err(Error::new("S0202", format!("Expected \"{op}\", got \"{got}\""))
                .at(self.current.pos)
                .token(got))
        }
    }

    fn expression(&mut self, rbp: u8) -> Result<Node> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(
                Error::new("S0201", "The expression is nested too deeply").at(self.current.pos)
            );
        }
        let t = self.advance()?;
        let mut left = self.nud(t)?;
        while rbp < lbp(&self.current.tok) {
            let t = self.advance()?;
            left = self.led(t, left)?;
        }
        self.depth -= 1;
        Ok(left)
    }

    fn nud(&mut self, t: Token) -> Result<Node> {
        let pos = t.pos;
        match t.tok {
            Tok::Str(s) => Ok(Node::Str(s.into())),
            Tok::Num(n) => Ok(Node::Num(n)),
            Tok::Regex(r) => Ok(Node::Regex(r)),
            Tok::Var(v) => Ok(Node::Var(v.into())),
            Tok::Name(n) => Ok(match n.as_str() {
                "true" => Node::Bool(true),
                "false" => Node::Bool(false),
                "null" => Node::Null,
                _ => Node::Name(n.into()),
            }),
            Tok::End => Err(Error::new("S0207", "Unexpected end of expression").at(pos)),
            Tok::Op(op) => match op {
                "-" => {
                    let operand = self.expression(70)?;
                    Ok(match operand {
                        Node::Num(n) => Node::Num(-n),
                        other => Node::Neg(Box::new(other)),
                    })
                }
                "*" => Ok(Node::Wildcard),
                "**" => Ok(Node::Descendants),
                "%" => Ok(Node::Parent(Arc::from(""))),
                "(" => {
                    let mut items = Vec::new();
                    while !self.is_op(")") {
                        items.push(self.expression(0)?);
                        if !self.is_op(";") {
                            break;
                        }
                        self.advance()?;
                    }
                    self.expect(")")?;
                    Ok(Node::Block(items))
                }
                "[" => {
                    let mut items = Vec::new();
                    if !self.is_op("]") {
                        loop {
                            let mut item = self.expression(0)?;
                            if self.is_op("..") {
                                self.advance()?;
                                let rhs = self.expression(0)?;
                                item = Node::Binary(BinOp::Range, Box::new(item), Box::new(rhs));
                            }
                            items.push(item);
                            if !self.is_op(",") {
                                break;
                            }
                            self.advance()?;
                        }
                    }
                    self.expect("]")?;
                    Ok(Node::Array(items, false))
                }
                "{" => Ok(Node::Object(self.object_pairs()?)),
                "|" => {
                    let pattern = self.expression(0)?;
                    self.expect("|")?;
                    let update = self.expression(0)?;
                    let delete = if self.is_op(",") {
                        self.advance()?;
                        Some(Box::new(self.expression(0)?))
                    } else {
                        None
                    };
                    self.expect("|")?;
                    Ok(Node::Transform(Box::new(pattern), Box::new(update), delete))
                }
                _ => Err(Error::new(
                    "S0211",
                    format!("The symbol {op} cannot be used as a unary operator"),
                )
                .at(pos)
                .token(op)),
            },
        }
    }

    fn object_pairs(&mut self) -> Result<Vec<(Node, Node)>> {
        let mut pairs = Vec::new();
        if !self.is_op("}") {
            loop {
                let key = self.expression(0)?;
                self.expect(":")?;
                let value = self.expression(0)?;
                pairs.push((key, value));
                if !self.is_op(",") {
                    break;
                }
                self.advance()?;
            }
        }
        self.expect("}")?;
        Ok(pairs)
    }

    fn led(&mut self, t: Token, left: Node) -> Result<Node> {
        let pos = t.pos;
        let bin = |op: BinOp, p: &mut Parser<'a>, bp: u8, left: Node| -> Result<Node> {
            let rhs = p.expression(bp)?;
            Ok(Node::Binary(op, Box::new(left), Box::new(rhs)))
        };
        match t.tok {
            Tok::Name(n) => match n.as_str() {
                "and" => bin(BinOp::And, self, 30, left),
                "or" => bin(BinOp::Or, self, 25, left),
                "in" => bin(BinOp::In, self, 40, left),
                _ => Err(syntax_error(pos, &n)),
            },
            Tok::Op(op) => match op {
                "+" => bin(BinOp::Add, self, 50, left),
                "-" => bin(BinOp::Sub, self, 50, left),
                "*" => bin(BinOp::Mul, self, 60, left),
                "/" => bin(BinOp::Div, self, 60, left),
                "%" => bin(BinOp::Mod, self, 60, left),
                "=" => bin(BinOp::Eq, self, 40, left),
                "!=" => bin(BinOp::Ne, self, 40, left),
                "<" => bin(BinOp::Lt, self, 40, left),
                "<=" => bin(BinOp::Le, self, 40, left),
                ">" => bin(BinOp::Gt, self, 40, left),
                ">=" => bin(BinOp::Ge, self, 40, left),
                "&" => bin(BinOp::Concat, self, 50, left),
                "." => {
                    let rhs = self.expression(75)?;
                    Ok(Node::Dot(Box::new(left), Box::new(rhs), pos))
                }
                "[" => {
                    if self.is_op("]") {
                        self.advance()?;
                        return Ok(Node::KeepArray(Box::new(left)));
                    }
                    let pred = self.expression(0)?;
                    self.expect("]")?;
                    Ok(Node::Predicate(Box::new(left), Box::new(pred), pos))
                }
                "{" => {
                    let pairs = self.object_pairs()?;
                    Ok(Node::GroupBy(Box::new(left), pairs, pos))
                }
                "(" => self.call(left, pos),
                "?" => {
                    let then = self.expression(0)?;
                    let otherwise = if self.is_op(":") {
                        self.advance()?;
                        Some(Box::new(self.expression(0)?))
                    } else {
                        None
                    };
                    Ok(Node::Condition(Box::new(left), Box::new(then), otherwise))
                }
                "?:" => {
                    let rhs = self.expression(40)?;
                    Ok(Node::Elvis(Box::new(left), Box::new(rhs)))
                }
                "??" => {
                    let rhs = self.expression(40)?;
                    Ok(Node::Coalesce(Box::new(left), Box::new(rhs)))
                }
                ":=" => {
                    let Node::Var(name) = left else {
                        return Err(Error::new(
                            "S0212",
                            "The left side of := must be a variable name (start with $)",
                        )
                        .at(pos));
                    };
                    let rhs = self.expression(9)?;
                    Ok(Node::Bind(name, Box::new(rhs)))
                }
                "~>" => {
                    let rhs = self.expression(40)?;
                    Ok(Node::Apply(Box::new(left), Box::new(rhs)))
                }
                "@" | "#" => {
                    let rhs = self.expression(80)?;
                    let Node::Var(name) = rhs else {
                        return Err(Error::new(
                            "S0214",
                            format!(
                                "The right side of {op} must be a variable name (start with $)"
                            ),
                        )
                        .at(pos)
                        .token(op));
                    };
                    Ok(if op == "@" {
                        Node::Focus(Box::new(left), name, pos)
                    } else {
                        Node::IndexBind(Box::new(left), name, pos)
                    })
                }
                "^" => {
                    self.expect("(")?;
                    let mut terms = Vec::new();
                    loop {
                        let mut descending = false;
                        if self.is_op("<") {
                            self.advance()?;
                        } else if self.is_op(">") {
                            descending = true;
                            self.advance()?;
                        }
                        terms.push(SortTerm { expr: self.expression(0)?, descending });
                        if !self.is_op(",") {
                            break;
                        }
                        self.advance()?;
                    }
                    self.expect(")")?;
                    Ok(Node::SortBy(Box::new(left), terms))
                }
                _ => Err(syntax_error(pos, op)),
            },
            other => Err(syntax_error(pos, &describe(&other))),
        }
    }

    fn call(&mut self, left: Node, pos: usize) -> Result<Node> {
        let mut args = Vec::new();
        let mut partial = false;
        if !self.is_op(")") {
            loop {
                if self.is_op("?") {
                    self.advance()?;
                    partial = true;
                    args.push(Node::Placeholder);
                } else {
                    args.push(self.expression(0)?);
                }
                if !self.is_op(",") {
                    break;
                }
                self.advance()?;
            }
        }
        self.expect(")")?;
        let is_lambda = matches!(&left, Node::Name(n) if &**n == "function" || &**n == "λ");
        if !is_lambda {
            return Ok(Node::Call { func: Box::new(left), args, partial, tail: false });
        }
        let mut params = Vec::new();
        for a in args {
            match a {
                Node::Var(v) => params.push(v),
                _ => {
                    return Err(Error::new(
                        "S0208",
                        "Parameter of function definition must be a variable name (start with $)",
                    )
                    .at(pos));
                }
            }
        }
        let signature = if self.is_op("<") { Some(self.signature()?) } else { None };
        self.expect("{")?;
        let body = self.expression(0)?;
        self.expect("}")?;
        Ok(Node::Lambda(Arc::new(Lambda { params, body, signature })))
    }

    /// Reads `<...>` straight from the text (a signature is not made of expression tokens).
    fn signature(&mut self) -> Result<crate::signature::Signature> {
        let start = self.current.pos;
        let bytes = self.lexer.src.as_bytes();
        let mut depth = 0;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'<' => depth += 1,
                b'>' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        if i >= bytes.len() {
            return Err(Error::new("S0203", "Expected \">\" before end of expression").at(start));
        }
        let text = &self.lexer.src[start + 1..i];
        let sig = crate::signature::Signature::parse(text).map_err(|e| e.at(start))?;
        self.lexer.pos = i + 1;
        self.current = self.lexer.next(true)?;
        Ok(sig)
    }
}

fn syntax_error(pos: usize, token: &str) -> Error {
    Error::new("S0201", format!("Syntax error: \"{token}\"")).at(pos).token(token)
}

/// Parses an expression into its processed syntax tree.
pub fn parse(text: &str) -> Result<Node> {
    let mut lexer = Lexer { src: text, pos: 0 };
    let first = lexer.next(true)?;
    let mut p = Parser { lexer, current: first, depth: 0 };
    let raw = p.expression(0)?;
    if !matches!(p.current.tok, Tok::End) {
        return Err(Error::new("S0201", format!("Syntax error: \"{}\"", describe(&p.current.tok)))
            .at(p.current.pos)
            .token(describe(&p.current.tok)));
    }
    process(raw)
}

// ---------------------------------------------------------------------------------------------
// Processing into paths

fn into_path(node: Node) -> Path {
    match node {
        Node::Path(p) => *p,
        Node::Filtered(inner, stages) => {
            let mut step = Step::new(*inner);
            step.stages = stages;
            Path { steps: vec![step], keep_singleton: false, group: None, ancestry: false }
        }
        other => Path {
            steps: vec![Step::new(other)],
            keep_singleton: false,
            group: None,
            ancestry: false,
        },
    }
}

fn process_pairs(pairs: Vec<(Node, Node)>) -> Result<Vec<(Node, Node)>> {
    pairs.into_iter().map(|(k, v)| Ok((process(k)?, process(v)?))).collect()
}

/// `{'key': literal, …}` with distinct string keys and literal values: its value is the same
/// object whatever the context (grouping one item or none gives the one object), so it is
/// built here once instead of grouped at every evaluation. Anything else stays a constructor,
/// including a repeated key, whose D1009 error belongs to the evaluation.
fn literal_object(pairs: Vec<(Node, Node)>) -> Node {
    let mut object = JsonObject::with_capacity(pairs.len());
    for (key, value) in &pairs {
        let (Node::Str(key), Some(value)) = (key, literal_json(value)) else {
            return Node::Object(pairs);
        };
        if object.get(key).is_some() {
            return Node::Object(pairs);
        }
        object.insert(key.clone(), value);
    }
    Node::Json(Payload::object(object))
}

/// A literal as the JSON an evaluation would give for it.
fn literal_json(node: &Node) -> Option<Payload> {
    match node {
        Node::Str(s) => Some(Payload::String(s.clone())),
        Node::Num(n) if n.is_finite() => Some(number_payload(*n)),
        Node::Bool(b) => Some(Payload::Bool(*b)),
        Node::Null => Some(Payload::Null),
        Node::Json(p) => Some(p.clone()),
        _ => None,
    }
}

fn boxed(n: Node) -> Result<Box<Node>> {
    Ok(Box::new(process(n)?))
}

/// Turns the parser's raw tree into paths and steps.
pub fn process(node: Node) -> Result<Node> {
    let processed = match node {
        Node::Name(n) => Node::Path(Box::new(Path {
            steps: vec![Step::new(Node::Name(n))],
            keep_singleton: false,
            group: None,
            ancestry: false,
        })),
        Node::Dot(lhs, rhs, pos) => {
            let mut path = into_path(process(*lhs)?);
            if path.group.is_some() {
                // `a{...}.b`: the grouping applies to `a`, then the path goes on from it.
                let inner = Node::Path(Box::new(path));
                path = Path {
                    steps: vec![Step::new(inner)],
                    keep_singleton: false,
                    group: None,
                    ancestry: false,
                };
            }
            let rest = process(*rhs)?;
            match rest {
                Node::Path(p) if p.group.is_none() => {
                    path.keep_singleton |= p.keep_singleton;
                    path.steps.extend(p.steps);
                }
                Node::Filtered(inner, stages) => {
                    let mut step = Step::new(*inner);
                    step.stages = stages;
                    path.steps.push(step);
                }
                other => path.steps.push(Step::new(other)),
            }
            for step in &mut path.steps {
                match &step.node {
                    Node::Num(_) | Node::Bool(_) | Node::Null => {
                        return Err(Error::new(
                            "S0213",
                            "The literal value cannot be used as a step within a path expression",
                        )
                        .at(pos));
                    }
                    Node::Str(s) => step.node = Node::Name(s.clone()),
                    _ => {}
                }
                if step.keep_array {
                    path.keep_singleton = true;
                }
            }
            let n = path.steps.len();
            if let Node::Array(_, cons) = &mut path.steps[0].node {
                *cons = true;
            }
            if let Node::Array(_, cons) = &mut path.steps[n - 1].node {
                *cons = true;
            }
            Node::Path(Box::new(path))
        }
        Node::Predicate(lhs, pred, pos) => {
            let target = process(*lhs)?;
            let pred = process(*pred)?;
            match target {
                Node::Path(mut p) => {
                    if p.group.is_some() {
                        return Err(Error::new(
                            "S0209",
                            "A predicate cannot follow a grouping expression in a step",
                        )
                        .at(pos));
                    }
                    let last = p.steps.last_mut().expect("a path has a step");
                    last.stages.push(Stage::Filter(pred));
                    Node::Path(p)
                }
                Node::Filtered(inner, mut stages) => {
                    stages.push(Stage::Filter(pred));
                    Node::Filtered(inner, stages)
                }
                Node::Grouped(..) => {
                    return Err(Error::new(
                        "S0209",
                        "A predicate cannot follow a grouping expression in a step",
                    )
                    .at(pos));
                }
                other => Node::Filtered(Box::new(other), vec![Stage::Filter(pred)]),
            }
        }
        Node::KeepArray(inner) => {
            let mut p = into_path(process(*inner)?);
            p.keep_singleton = true;
            if let Some(last) = p.steps.last_mut() {
                last.keep_array = true;
            }
            Node::Path(Box::new(p))
        }
        Node::GroupBy(lhs, pairs, pos) => {
            let target = process(*lhs)?;
            let pairs = process_pairs(pairs)?;
            match target {
                Node::Path(mut p) => {
                    if p.group.is_some() {
                        return Err(Error::new(
                            "S0210",
                            "Each step can only have one grouping expression",
                        )
                        .at(pos));
                    }
                    p.group = Some(pairs);
                    Node::Path(p)
                }
                Node::Grouped(..) => {
                    return Err(Error::new(
                        "S0210",
                        "Each step can only have one grouping expression",
                    )
                    .at(pos));
                }
                other => Node::Grouped(Box::new(other), pairs),
            }
        }
        Node::Focus(lhs, name, pos) => {
            let mut p = into_path(process(*lhs)?);
            let last = p.steps.last_mut().expect("a path has a step");
            if !last.stages.is_empty() {
                return Err(Error::new(
                    "S0215",
                    "A context variable binding must precede any predicates on a step",
                )
                .at(pos));
            }
            if matches!(last.node, Node::Sort(_)) {
                return Err(Error::new(
                    "S0216",
                    "A context variable binding must precede the 'order-by' clause on a step",
                )
                .at(pos));
            }
            last.focus = Some(name);
            last.tuple = true;
            Node::Path(Box::new(p))
        }
        Node::IndexBind(lhs, name, _) => {
            let mut p = into_path(process(*lhs)?);
            let last = p.steps.last_mut().expect("a path has a step");
            if last.stages.is_empty() {
                last.index = Some(name);
            } else {
                last.stages.push(Stage::Index(name));
            }
            last.tuple = true;
            Node::Path(Box::new(p))
        }
        Node::SortBy(lhs, terms) => {
            let mut p = into_path(process(*lhs)?);
            let terms = terms
                .into_iter()
                .map(|t| Ok(SortTerm { expr: process(t.expr)?, descending: t.descending }))
                .collect::<Result<Vec<_>>>()?;
            p.steps.push(Step::new(Node::Sort(terms)));
            Node::Path(Box::new(p))
        }
        Node::Binary(op, l, r) => Node::Binary(op, boxed(*l)?, boxed(*r)?),
        Node::Neg(n) => Node::Neg(boxed(*n)?),
        Node::Array(items, cons) => {
            Node::Array(items.into_iter().map(process).collect::<Result<_>>()?, cons)
        }
        Node::Object(pairs) => literal_object(process_pairs(pairs)?),
        Node::Block(items) => Node::Block(items.into_iter().map(process).collect::<Result<_>>()?),
        Node::Condition(c, t, e) => Node::Condition(
            boxed(*c)?,
            boxed(*t)?,
            match e {
                Some(e) => Some(boxed(*e)?),
                None => None,
            },
        ),
        Node::Elvis(l, r) => Node::Elvis(boxed(*l)?, boxed(*r)?),
        Node::Coalesce(l, r) => Node::Coalesce(boxed(*l)?, boxed(*r)?),
        Node::Bind(name, v) => Node::Bind(name, boxed(*v)?),
        Node::Apply(l, r) => Node::Apply(boxed(*l)?, boxed(*r)?),
        Node::Call { func, args, partial, tail } => Node::Call {
            func: boxed(*func)?,
            args: args.into_iter().map(process).collect::<Result<_>>()?,
            partial,
            tail,
        },
        Node::Lambda(l) => {
            let l = Arc::try_unwrap(l).unwrap_or_else(|rc| (*rc).clone());
            let body = mark_tail(process(l.body)?);
            Node::Lambda(Arc::new(Lambda { params: l.params, body, signature: l.signature }))
        }
        Node::Transform(p, u, d) => Node::Transform(
            boxed(*p)?,
            boxed(*u)?,
            match d {
                Some(d) => Some(boxed(*d)?),
                None => None,
            },
        ),
        other => other,
    };
    Ok(mark_ancestry(processed))
}

/// Marks each path whose steps refer to a parent (`%`), directly or in a nested expression.
fn mark_ancestry(node: Node) -> Node {
    match node {
        Node::Path(mut p) => {
            p.ancestry = p.steps.iter().any(|s| {
                contains_parent(&s.node)
                    || s.stages
                        .iter()
                        .any(|st| matches!(st, Stage::Filter(f) if contains_parent(f)))
            }) || p
                .group
                .as_ref()
                .is_some_and(|g| g.iter().any(|(k, v)| contains_parent(k) || contains_parent(v)));
            Node::Path(p)
        }
        other => other,
    }
}

/// Whether an expression refers to a parent outside any lambda.
pub fn contains_parent(node: &Node) -> bool {
    match node {
        Node::Parent(_) => true,
        Node::Path(p) => p.ancestry || p.steps.iter().any(|s| contains_parent(&s.node)),
        Node::Binary(_, a, b) | Node::Elvis(a, b) | Node::Coalesce(a, b) | Node::Apply(a, b) => {
            contains_parent(a) || contains_parent(b)
        }
        Node::Neg(a) | Node::Bind(_, a) => contains_parent(a),
        Node::Array(items, _) | Node::Block(items) => items.iter().any(contains_parent),
        Node::Object(pairs) => pairs.iter().any(|(k, v)| contains_parent(k) || contains_parent(v)),
        Node::Condition(c, t, e) => {
            contains_parent(c) || contains_parent(t) || e.as_deref().is_some_and(contains_parent)
        }
        Node::Call { func, args, .. } => contains_parent(func) || args.iter().any(contains_parent),
        Node::Sort(terms) => terms.iter().any(|t| contains_parent(&t.expr)),
        Node::Filtered(inner, stages) => {
            contains_parent(inner)
                || stages.iter().any(|s| matches!(s, Stage::Filter(f) if contains_parent(f)))
        }
        Node::Grouped(inner, pairs) => {
            contains_parent(inner)
                || pairs.iter().any(|(k, v)| contains_parent(k) || contains_parent(v))
        }
        _ => false,
    }
}

/// Marks the calls a lambda's body returns directly, so they run as a loop, not a recursion.
fn mark_tail(node: Node) -> Node {
    match node {
        Node::Call { func, args, partial: false, .. } => {
            Node::Call { func, args, partial: false, tail: true }
        }
        Node::Condition(c, t, e) => {
            Node::Condition(c, Box::new(mark_tail(*t)), e.map(|e| Box::new(mark_tail(*e))))
        }
        Node::Block(mut items) => {
            if let Some(last) = items.pop() {
                items.push(mark_tail(last));
            }
            Node::Block(items)
        }
        other => other,
    }
}
