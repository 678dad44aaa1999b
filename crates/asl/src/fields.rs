//! Which fields exist where: per state type and per query language, for states, retriers,
//! catchers, Choice rules and machines. The model uses it to list unknown fields; the
//! validator uses it to report fields AWS refuses.

use crate::QueryLanguage;
use crate::StateType::{self, Choice, Fail, Map, Parallel, Pass, Succeed, Task, Wait};

/// The query language a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Only {
    /// Both languages.
    Any,
    /// JSONPath states only.
    JsonPath,
    /// JSONata states only.
    Jsonata,
}

impl Only {
    /// Whether a state of `language` may have a field of this kind.
    pub(crate) fn allows(self, language: QueryLanguage) -> bool {
        !matches!(
            (self, language),
            (Only::JsonPath, QueryLanguage::Jsonata) | (Only::Jsonata, QueryLanguage::JsonPath)
        )
    }
}

/// One state field: the types that have it and its language.
pub(crate) struct FieldSpec {
    pub(crate) name: &'static str,
    pub(crate) types: &'static [StateType],
    pub(crate) only: Only,
}

const ALL: &[StateType] = &StateType::ALL;
const FLOW: &[StateType] = &[Pass, Task, Wait, Parallel, Map];
const IO: &[StateType] = &[Pass, Task, Choice, Wait, Succeed, Parallel, Map];
const ASSIGN: &[StateType] = &[Pass, Task, Choice, Wait, Parallel, Map];
const ERRORS: &[StateType] = &[Task, Parallel, Map];

macro_rules! field {
    ($name:literal, $types:expr) => {
        FieldSpec { name: $name, types: $types, only: Only::Any }
    };
    ($name:literal, $types:expr, $only:ident) => {
        FieldSpec { name: $name, types: $types, only: Only::$only }
    };
}

/// Every state field of the current language.
pub(crate) const STATE_FIELDS: &[FieldSpec] = &[
    field!("Type", ALL),
    field!("Comment", ALL),
    field!("QueryLanguage", ALL),
    field!("Next", FLOW),
    field!("End", FLOW),
    field!("InputPath", IO, JsonPath),
    field!("OutputPath", IO, JsonPath),
    field!("Output", IO, Jsonata),
    field!("Assign", ASSIGN),
    field!("Parameters", &[Pass, Task, Parallel, Map], JsonPath),
    field!("Arguments", &[Task, Parallel], Jsonata),
    field!("ResultPath", &[Pass, Task, Parallel, Map], JsonPath),
    field!("ResultSelector", ERRORS, JsonPath),
    field!("Result", &[Pass], JsonPath),
    field!("Retry", ERRORS),
    field!("Catch", ERRORS),
    field!("Resource", &[Task]),
    field!("TimeoutSeconds", &[Task]),
    field!("TimeoutSecondsPath", &[Task], JsonPath),
    field!("HeartbeatSeconds", &[Task]),
    field!("HeartbeatSecondsPath", &[Task], JsonPath),
    field!("Credentials", &[Task]),
    field!("Choices", &[Choice]),
    field!("Default", &[Choice]),
    field!("Seconds", &[Wait]),
    field!("Timestamp", &[Wait]),
    field!("SecondsPath", &[Wait], JsonPath),
    field!("TimestampPath", &[Wait], JsonPath),
    field!("Error", &[Fail]),
    field!("Cause", &[Fail]),
    field!("ErrorPath", &[Fail], JsonPath),
    field!("CausePath", &[Fail], JsonPath),
    field!("Branches", &[Parallel]),
    field!("ItemProcessor", &[Map]),
    field!("Iterator", &[Map]),
    field!("ItemsPath", &[Map], JsonPath),
    field!("Items", &[Map], Jsonata),
    field!("ItemSelector", &[Map]),
    field!("ItemReader", &[Map]),
    field!("ItemBatcher", &[Map]),
    field!("ResultWriter", &[Map]),
    field!("MaxConcurrency", &[Map]),
    field!("MaxConcurrencyPath", &[Map], JsonPath),
    field!("ToleratedFailurePercentage", &[Map]),
    field!("ToleratedFailurePercentagePath", &[Map], JsonPath),
    field!("ToleratedFailureCount", &[Map]),
    field!("ToleratedFailureCountPath", &[Map], JsonPath),
    field!("Label", &[Map]),
];

/// The spec of a state field, if the language has it.
pub(crate) fn state_field(name: &str) -> Option<&'static FieldSpec> {
    state_field_position(name).map(|i| &STATE_FIELDS[i])
}

/// The position of a state field in [`STATE_FIELDS`], if the language has it.
pub(crate) fn state_field_position(name: &str) -> Option<usize> {
    // Asked for every member of every state by the parser and the rules: one slot of a
    // perfect hash table and one comparison, instead of comparing the names of that length.
    static SLOTS: std::sync::LazyLock<[u8; FIELD_SLOTS]> = std::sync::LazyLock::new(|| {
        let mut slots = [u8::MAX; FIELD_SLOTS];
        for (i, field) in STATE_FIELDS.iter().enumerate() {
            slots[field_slot(field.name)] = i as u8;
        }
        slots
    });
    let i = usize::from(SLOTS[field_slot(name)]);
    STATE_FIELDS.get(i).filter(|f| f.name == name).map(|_| i)
}

/// The slots of the state fields' hash table (a power of two).
const FIELD_SLOTS: usize = 128;

/// A state field's slot: a multiplicative hash of its length and of its first, middle and last
/// bytes. The multiplier was searched for so that no two state fields share a slot (a test
/// checks it: a new field may need a new multiplier).
fn field_slot(name: &str) -> usize {
    const MULTIPLIER: u64 = 0x93b4_4d3e_efe6_5935;
    let bytes = name.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else { return 0 };
    let middle = bytes[bytes.len() / 2];
    let key = (bytes.len() as u64 & 0xff)
        | u64::from(first) << 8
        | u64::from(middle) << 16
        | u64::from(last) << 24;
    (key.wrapping_mul(MULTIPLIER) >> (64 - FIELD_SLOTS.trailing_zeros())) as usize
}

/// The position of the state field `name` in [`STATE_FIELDS`], for use in constants (a name
/// that is not a state field does not compile).
pub(crate) const fn state_field_index(name: &str) -> usize {
    let mut i = 0;
    while i < STATE_FIELDS.len() {
        if same_bytes(STATE_FIELDS[i].name.as_bytes(), name.as_bytes()) {
            return i;
        }
        i += 1;
    }
    panic!("not a state field")
}

const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Fields of the top-level machine.
pub(crate) const TOP_FIELDS: &[&str] =
    &["Comment", "StartAt", "States", "Version", "TimeoutSeconds", "QueryLanguage"];
/// Fields of a Parallel branch.
pub(crate) const BRANCH_FIELDS: &[&str] = &["Comment", "StartAt", "States"];
/// Fields of a Map `ItemProcessor` (the legacy `Iterator` has no `ProcessorConfig`).
pub(crate) const PROCESSOR_FIELDS: &[&str] = &["Comment", "StartAt", "States", "ProcessorConfig"];
/// Fields of a `Retry` entry, with their language.
pub(crate) const RETRIER_FIELDS: &[(&str, Only)] = &[
    ("ErrorEquals", Only::Any),
    ("IntervalSeconds", Only::Any),
    ("MaxAttempts", Only::Any),
    ("BackoffRate", Only::Any),
    ("MaxDelaySeconds", Only::Any),
    ("JitterStrategy", Only::Any),
    ("Comment", Only::Any),
];
/// Fields of a `Catch` entry, with their language.
pub(crate) const CATCHER_FIELDS: &[(&str, Only)] = &[
    ("ErrorEquals", Only::Any),
    ("Next", Only::Any),
    ("ResultPath", Only::JsonPath),
    ("Output", Only::Jsonata),
    ("Assign", Only::Any),
    ("Comment", Only::Any),
];

/// The JSONPath Choice comparison operators (each also has a `…Path` form but the `Is…` ones).
pub(crate) const COMPARISONS: &[&str] = &[
    "StringEquals",
    "StringLessThan",
    "StringGreaterThan",
    "StringLessThanEquals",
    "StringGreaterThanEquals",
    "StringMatches",
    "NumericEquals",
    "NumericLessThan",
    "NumericGreaterThan",
    "NumericLessThanEquals",
    "NumericGreaterThanEquals",
    "BooleanEquals",
    "TimestampEquals",
    "TimestampLessThan",
    "TimestampGreaterThan",
    "TimestampLessThanEquals",
    "TimestampGreaterThanEquals",
];
/// The type tests of JSONPath Choice rules (boolean operand, no `…Path` form).
pub(crate) const TYPE_TESTS: &[&str] =
    &["IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp"];

/// Whether `name` is a JSONPath Choice operator (comparison, `…Path` comparison or type test).
/// `StringMatches` has no `…Path` form.
pub(crate) fn is_choice_operator(name: &str) -> bool {
    // Every operator starts with one of these letters and is longer than `Next` or `Not`:
    // most keys of a rule (`Variable`, `Next`, `And`…) are answered without a comparison.
    if name.len() < 6 || !matches!(name.as_bytes()[0], b'S' | b'N' | b'B' | b'T' | b'I') {
        return false;
    }
    COMPARISONS.contains(&name)
        || TYPE_TESTS.contains(&name)
        || name
            .strip_suffix("Path")
            .is_some_and(|base| base != "StringMatches" && COMPARISONS.contains(&base))
}

/// The field names a state of `state_type` may have (both query languages), for completion in
/// an editor; the same table the validator checks against.
pub fn field_names_of(state_type: StateType) -> Vec<&'static str> {
    STATE_FIELDS.iter().filter(|f| f.types.contains(&state_type)).map(|f| f.name).collect()
}

/// The field names a state of `state_type` may have in `language`, in the table's order: what
/// an inspector offers (the fields SW104 reports in the other language are left out).
pub fn fields_allowed(state_type: StateType, language: QueryLanguage) -> Vec<&'static str> {
    STATE_FIELDS
        .iter()
        .filter(|f| f.types.contains(&state_type) && f.only.allows(language))
        .map(|f| f.name)
        .collect()
}

/// The field names of a catcher in `language` (`ResultPath` for JSONPath, `Output` for JSONata).
pub fn catcher_fields_allowed(language: QueryLanguage) -> Vec<&'static str> {
    CATCHER_FIELDS.iter().filter(|(_, only)| only.allows(language)).map(|(n, _)| *n).collect()
}

/// The field names of a Choice rule (comparison operators and their `…Path` forms, type tests,
/// And/Or/Not, Next, ...), of a retrier and of a catcher, for completion in an editor.
pub fn rule_field_names() -> Vec<String> {
    let mut names: Vec<String> =
        COMPARISONS.iter().chain(TYPE_TESTS).map(|n| n.to_string()).collect();
    names.extend(COMPARISONS.iter().filter(|n| **n != "StringMatches").map(|n| format!("{n}Path")));
    names.extend(
        ["Variable", "And", "Or", "Not", "Next", "Condition", "Assign", "Output"].map(String::from),
    );
    names.extend(RETRIER_FIELDS.iter().chain(CATCHER_FIELDS).map(|(name, _)| name.to_string()));
    names.sort_unstable();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_field_has_a_slot_of_its_own() {
        let mut seen = std::collections::HashSet::new();
        for (i, field) in STATE_FIELDS.iter().enumerate() {
            assert!(seen.insert(field_slot(field.name)), "{} shares a slot", field.name);
            assert_eq!(state_field_position(field.name), Some(i));
        }
        for other in ["", "T", "type", "Types", "Nxt", "ResultPathX", "Catches"] {
            assert_eq!(state_field_position(other), None, "{other}");
        }
    }

    #[test]
    fn the_allowed_fields_follow_the_query_language() {
        let jsonpath = fields_allowed(Task, QueryLanguage::JsonPath);
        let jsonata = fields_allowed(Task, QueryLanguage::Jsonata);
        for field in ["Parameters", "ResultSelector", "ResultPath", "InputPath", "OutputPath"] {
            assert!(jsonpath.contains(&field) && !jsonata.contains(&field), "{field}");
        }
        for field in ["Arguments", "Output"] {
            assert!(jsonata.contains(&field) && !jsonpath.contains(&field), "{field}");
        }
        for field in ["Resource", "TimeoutSeconds", "Retry", "Catch", "Assign", "Next", "End"] {
            assert!(jsonata.contains(&field) && jsonpath.contains(&field), "{field}");
        }
        assert_eq!(
            fields_allowed(Succeed, QueryLanguage::Jsonata),
            ["Type", "Comment", "QueryLanguage", "Output"]
        );
        assert!(catcher_fields_allowed(QueryLanguage::Jsonata).contains(&"Output"));
        assert!(!catcher_fields_allowed(QueryLanguage::Jsonata).contains(&"ResultPath"));
        assert!(catcher_fields_allowed(QueryLanguage::JsonPath).contains(&"ResultPath"));
    }
}
