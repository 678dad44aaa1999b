//! Member lookups in the small JSON objects ASL is made of, and JSON Pointers built without the
//! formatting machinery.
//!
//! serde_json's map hashes every key looked up with SipHash; the objects of a definition mostly
//! have fewer than a dozen members, where comparing the keys in turn is several times cheaper.
//! Parsing and validating a large definition does hundreds of thousands of such lookups.

use serde_json::{Map, Value};

use crate::source_map::escape;

/// Above this many members a lookup hashes the key instead of comparing every key in turn.
const LINEAR_LOOKUP_MAX: usize = 16;

/// Member lookups by key, on an object or on a value that may be one.
pub(crate) trait Members {
    /// The value of the member `key`, if this is an object that has one.
    fn member(&self, key: &str) -> Option<&Value>;

    /// Whether this is an object with a member `key`.
    fn has(&self, key: &str) -> bool {
        self.member(key).is_some()
    }
}

impl Members for Map<String, Value> {
    fn member(&self, key: &str) -> Option<&Value> {
        if self.len() <= LINEAR_LOOKUP_MAX {
            self.iter().find(|(k, _)| k.as_str() == key).map(|(_, v)| v)
        } else {
            self.get(key)
        }
    }
}

impl Members for Value {
    fn member(&self, key: &str) -> Option<&Value> {
        self.as_object().and_then(|object| object.member(key))
    }
}

/// `base` followed by one reference token (escaped as RFC 6901 requires).
pub(crate) fn join(base: &str, token: &str) -> String {
    // Byte by byte: both are ASCII, and most names have neither.
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        return join_escaped(base, &escape(token));
    }
    join_escaped(base, token)
}

/// `base` followed by an array index.
pub(crate) fn join_index(base: &str, index: usize) -> String {
    // The decimal digits, last first, without going through `fmt`.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let digits = std::str::from_utf8(&digits[at..]).unwrap_or("0");
    join_escaped(base, digits)
}

/// `base`, a slash and a token already escaped.
fn join_escaped(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + token.len());
    out.push_str(base);
    out.push('/');
    out.push_str(token);
    out
}

/// The places of values nested under one pointer, their pointers written only when asked:
/// a rule that walks nested values (Choice rules in `And`, `Or`, `Not`) keeps one step per
/// value instead of a string, and writes a pointer only for what it reports.
#[derive(Default)]
pub(crate) struct Trail<'v> {
    /// Each place: the place it is in (`None` for the base pointer) and its token.
    steps: Vec<(Option<usize>, Step<'v>)>,
}

/// One reference token of a [`Trail`].
#[derive(Clone, Copy)]
pub(crate) enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

impl<'v> Trail<'v> {
    /// A trail with room for `places`.
    pub(crate) fn with_capacity(places: usize) -> Trail<'v> {
        Trail { steps: Vec::with_capacity(places) }
    }

    /// Forgets every place, keeping the room (for the next state's walk).
    pub(crate) fn clear(&mut self) {
        self.steps.clear();
    }

    /// The place of `step` in `parent` (`None`: in the base pointer).
    pub(crate) fn push(&mut self, parent: Option<usize>, step: Step<'v>) -> usize {
        self.steps.push((parent, step));
        self.steps.len() - 1
    }

    /// The pointer of the place `at`, under `base`.
    pub(crate) fn pointer(&self, base: &str, at: usize) -> String {
        let mut path = Vec::new();
        let mut next = Some(at);
        while let Some(i) = next {
            let Some(&(parent, step)) = self.steps.get(i) else { break };
            path.push(step);
            next = parent;
        }
        let mut out = base.to_owned();
        for step in path.into_iter().rev() {
            out = match step {
                Step::Key(key) => join(&out, key),
                Step::Index(i) => join_index(&out, i),
            };
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_joined_with_escapes() {
        assert_eq!(join("/States", "a/b~c"), "/States/a~1b~0c");
        assert_eq!(join("", "States"), "/States");
        assert_eq!(join_index("/Choices", 0), "/Choices/0");
        assert_eq!(join_index("/Choices", 1207), "/Choices/1207");
    }

    #[test]
    fn a_trail_writes_the_pointers_of_its_places() {
        let mut trail = Trail::default();
        let choices = trail.push(None, Step::Key("Choices"));
        let rule = trail.push(Some(choices), Step::Index(1));
        let and = trail.push(Some(rule), Step::Key("And"));
        let inner = trail.push(Some(and), Step::Index(0));
        assert_eq!(trail.pointer("/States/a~1b", inner), "/States/a~1b/Choices/1/And/0");
        assert_eq!(trail.pointer("", choices), "/Choices");
        let odd = trail.push(Some(rule), Step::Key("x/y"));
        assert_eq!(trail.pointer("", odd), "/Choices/1/x~1y");
    }

    #[test]
    fn lookups_agree_with_the_map_small_and_large() {
        let small = serde_json::json!({"a": 1, "b": 2});
        assert_eq!(small.member("b"), Some(&serde_json::json!(2)));
        assert!(!small.has("c"));
        let large: Map<String, Value> =
            (0..40).map(|i| (format!("k{i}"), Value::from(i))).collect();
        assert_eq!(large.member("k33"), Some(&Value::from(33)));
        assert!(Value::Null.member("a").is_none());
    }
}
