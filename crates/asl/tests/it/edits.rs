//! Property tests of the document: random edit sequences keep the text parseable, and undo
//! restores it byte for byte.

use proptest::prelude::*;
use stepwise_asl::{Document, Edit, Format, Options, StateType, Transition, check, parse_syntax};

/// The document's parse (incremental after most edits) is exactly a full parse of its text.
fn assert_fresh(doc: &Document, format: Format) -> Result<(), TestCaseError> {
    let full = check(doc.text(), format, &Options::default());
    let parsed = doc.parsed();
    prop_assert_eq!(&parsed.value, &full.value, "value of\n{}", doc.text());
    prop_assert_eq!(&parsed.definition, &full.definition, "model of\n{}", doc.text());
    prop_assert_eq!(&parsed.diagnostics, &full.diagnostics, "diagnostics of\n{}", doc.text());
    prop_assert_eq!(
        parsed.source_map.entries(),
        full.source_map.entries(),
        "map of\n{}",
        doc.text()
    );
    prop_assert_eq!(
        parsed.source_map.duplicate_keys(),
        full.source_map.duplicate_keys(),
        "duplicates of\n{}",
        doc.text()
    );
    for entry in full.source_map.entries() {
        prop_assert_eq!(parsed.source_map.get(&entry.pointer), full.source_map.get(&entry.pointer));
    }
    Ok(())
}

const START: &str = r#"{
  "Comment": "property test machine",
  "StartAt": "A",
  "States": {
    "A": {"Type": "Pass", "Next": "C"},
    "C": {
      "Type": "Choice",
      "Choices": [{"Variable": "$.x", "IsPresent": true, "Next": "P"}],
      "Default": "F"
    },
    "P": {
      "Type": "Parallel",
      "Branches": [{"StartAt": "B1", "States": {"B1": {"Type": "Pass", "End": true}}}],
      "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F"}],
      "End": true
    },
    "F": {"Type": "Fail", "Error": "E"}
  }
}"#;

fn state_pointers(doc: &Document) -> Vec<String> {
    doc.definition()
        .map(|d| d.all_states().iter().map(|s| s.pointer.clone()).collect())
        .unwrap_or_default()
}

fn machine_pointers(doc: &Document) -> Vec<String> {
    doc.definition()
        .map(|d| d.all_machines().iter().map(|m| m.pointer.clone()).collect())
        .unwrap_or_default()
}

fn names(doc: &Document) -> Vec<String> {
    doc.definition()
        .map(|d| d.all_states().iter().map(|s| s.name.clone()).collect())
        .unwrap_or_default()
}

fn pick<T: Clone>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[i as usize % items.len()].clone())
}

fn edit(doc: &Document, op: u8, a: u8, b: u8, t: u8) -> Option<Edit> {
    let states = state_pointers(doc);
    let machines = machine_pointers(doc);
    let state_type = StateType::ALL[t as usize % StateType::ALL.len()];
    let transition = [
        Transition::Next,
        Transition::Default,
        Transition::Choice(0),
        Transition::Catch(0),
        Transition::Catch(1),
    ][b as usize % 5];
    Some(match op % 11 {
        0 => Edit::AddState { machine: pick(&machines, a)?, state_type, name: None },
        1 => Edit::InsertState { from: pick(&states, a)?, transition, state_type, name: None },
        2 => Edit::RemoveState { state: pick(&states, a)? },
        3 => Edit::RenameState { state: pick(&states, a)?, to: format!("R{a}{b}") },
        4 => Edit::Connect { from: pick(&states, a)?, transition, to: pick(&names(doc), b)? },
        5 => Edit::Disconnect { from: pick(&states, a)?, transition },
        6 => Edit::SetStartAt { machine: pick(&machines, a)?, name: pick(&names(doc), b)? },
        7 => Edit::SetField {
            pointer: format!("{}/Comment", pick(&states, a)?),
            value: (b % 3 != 0).then(|| serde_json::Value::from(format!("c{b}"))),
        },
        8 => Edit::MoveState { state: pick(&states, a)?, machine: pick(&machines, b)? },
        9 => Edit::ChangeType { state: pick(&states, a)?, state_type },
        _ => Edit::DuplicateState { state: pick(&states, a)? },
    })
}

/// The start machine in three layouts: as written, compact on one line, and tab-indented.
fn layouts() -> Vec<String> {
    let value: serde_json::Value = serde_json::from_str(START).expect("valid");
    let compact = serde_json::to_string(&value).expect("serialises");
    let mut tabbed = Vec::new();
    let formatter = serde_json::ser::PrettyFormatter::with_indent(b"\t");
    let mut serializer = serde_json::Serializer::with_formatter(&mut tabbed, formatter);
    serde::Serialize::serialize(&value, &mut serializer).expect("serialises");
    vec![START.to_owned(), compact, String::from_utf8(tabbed).expect("utf-8")]
}

const START_YAML: &str = "# property test machine, in YAML
Comment: property test machine
StartAt: A
States:
  A:
    Type: Pass
    Next: C   # to the choice
  C:
    Type: Choice
    Choices:
      - Variable: $.x
        IsPresent: true
        Next: P
    Default: F
  P:
    Type: Parallel
    Branches:
      - StartAt: B1
        States:
          B1: {Type: Pass, End: true}
    Catch: [{ErrorEquals: [States.ALL], Next: F}]
    End: true
  F:
    Type: Fail
    Error: E
";

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn random_edits_keep_the_text_parseable_and_undo_restores_it(
        layout in 0usize..4,
        steps in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()), 1..12)
    ) {
        let (start, format) = match layout {
            3 => (START_YAML.to_owned(), Format::Yaml),
            n => (layouts()[n].clone(), Format::Json),
        };
        let mut doc = Document::new(start.as_str(), format, Options::default());
        let mut texts = vec![doc.text().to_owned()];
        for (op, a, b, t) in steps {
            let Some(edit) = edit(&doc, op, a, b, t) else { continue };
            let before = doc.text().to_owned();
            match doc.apply(edit.clone()) {
                Ok(snapshot) => {
                    let reparsed = parse_syntax(&snapshot.text, format);
                    prop_assert!(reparsed.value.is_some() && !reparsed.has_syntax_error(),
                        "{edit:?} broke the text:\n{}\n{:?}", snapshot.text, reparsed.diagnostics.first());
                    // Undo then redo is the identity on both sides.
                    assert_fresh(&doc, format)?;
                    let undone = doc.undo().map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(&undone.text, &before, "undo of {:?}", edit);
                    assert_fresh(&doc, format)?;
                    let redone = doc.redo().map_err(|e| TestCaseError::fail(e.to_string()))?;
                    prop_assert_eq!(&redone.text, &snapshot.text);
                    assert_fresh(&doc, format)?;
                    texts.push(snapshot.text);
                }
                Err(_) => prop_assert_eq!(doc.text(), before.as_str(), "a refused edit changes nothing"),
            }
        }
        while doc.can_undo() {
            doc.undo().map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(doc.text(), start.as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    /// The same edits on the JSON and the YAML spelling of one machine give the same values.
    #[test]
    fn yaml_edits_agree_with_json_edits(
        steps in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>()), 1..10)
    ) {
        let mut json = Document::new(START, Format::Json, Options::default());
        let mut yaml = Document::new(START_YAML, Format::Yaml, Options::default());
        prop_assert_eq!(&json.parsed().value, &yaml.parsed().value, "the two spellings agree");
        for (op, a, b, t) in steps {
            let Some(edit) = edit(&json, op, a, b, t) else { continue };
            let from_json = json.apply(edit.clone()).is_ok();
            let from_yaml = yaml.apply(edit.clone()).is_ok();
            prop_assert_eq!(from_json, from_yaml, "{:?}", edit);
            prop_assert_eq!(&json.parsed().value, &yaml.parsed().value, "{:?}\n{}", edit, yaml.text());
        }
        while yaml.can_undo() {
            yaml.undo().map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(yaml.text(), START_YAML);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    /// Keystrokes anywhere (inside a state, across its braces, at the top level) give the parse
    /// a full parse gives: the incremental re-read of one state is exact, and broken text falls
    /// back to the full parse.
    #[test]
    fn keystrokes_parse_as_a_full_parse_does(
        layout in 0usize..3,
        strokes in proptest::collection::vec((any::<u16>(), 0usize..3, 0usize..8), 1..8)
    ) {
        let start = layouts()[layout].clone();
        let mut doc = Document::new(start.as_str(), Format::Json, Options::default());
        const INSERTS: [&str; 8] = ["1", "\"", "}", "{", ",", "x", "\"Next\": \"A\", ", "9e999"];
        for (at, kind, what) in strokes {
            let text = doc.text().to_owned();
            let mut at = at as usize % (text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let new = match kind {
                0 => format!("{}{}{}", &text[..at], INSERTS[what], &text[at..]),
                1 => {
                    let mut end = (at + 1).min(text.len());
                    while !text.is_char_boundary(end) {
                        end += 1;
                    }
                    format!("{}{}", &text[..at], &text[end..])
                }
                _ => text.replacen("\"Pass\"", "\"Wait\"", 1),
            };
            doc.apply(Edit::ReplaceText { text: new }).map_err(|e| TestCaseError::fail(e.to_string()))?;
            assert_fresh(&doc, Format::Json)?;
        }
        while doc.can_undo() {
            doc.undo().map_err(|e| TestCaseError::fail(e.to_string()))?;
            assert_fresh(&doc, Format::Json)?;
        }
        prop_assert_eq!(doc.text(), start.as_str());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, .. ProptestConfig::default() })]

    /// Moving a state into or out of a Parallel branch or a Map processor leaves no `Next` or
    /// `StartAt` pointing across a machine's boundary: predecessors go on to the successor, the
    /// moved state ends. Undo restores the text.
    #[test]
    fn moves_between_machines_rewrite_crossing_transitions(
        layout in 0usize..4,
        moves in proptest::collection::vec((any::<u8>(), any::<u8>()), 1..5)
    ) {
        let (start, format) = match layout {
            3 => (START_YAML.to_owned(), Format::Yaml),
            n => (layouts()[n].clone(), Format::Json),
        };
        let mut doc = Document::new(start.as_str(), format, Options::default());
        for (a, b) in moves {
            let states = state_pointers(&doc);
            let machines = machine_pointers(&doc);
            let (Some(state), Some(machine)) = (pick(&states, a), pick(&machines, b)) else { continue };
            if doc.apply(Edit::MoveState { state: state.clone(), machine: machine.clone() }).is_err() {
                continue;
            }
            let definition = doc.definition().expect("a model").clone();
            for m in definition.all_machines() {
                if let Some(start_at) = &m.start_at {
                    prop_assert!(m.states.contains_key(start_at) || m.states.is_empty(),
                        "StartAt {start_at} of {:?} after moving {state} to {machine:?}:\n{}", m.pointer, doc.text());
                }
                for s in m.states.values() {
                    if let Some(next) = &s.next {
                        prop_assert!(m.states.contains_key(next),
                            "{} → {next} crosses after moving {state} to {machine:?}:\n{}", s.pointer, doc.text());
                    }
                }
            }
        }
        while doc.can_undo() {
            doc.undo().map_err(|e| TestCaseError::fail(e.to_string()))?;
        }
        prop_assert_eq!(doc.text(), start.as_str());
    }
}
