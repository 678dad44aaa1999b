//! A definition from the first bytes, then a sequence of semantic edits driven by the rest:
//! never a panic; undo of everything restores the text byte for byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stepwise_asl::{Document, Edit, Format, Options, StateType, Transition};

const TYPES: [StateType; 8] = [
    StateType::Pass,
    StateType::Task,
    StateType::Choice,
    StateType::Wait,
    StateType::Succeed,
    StateType::Fail,
    StateType::Parallel,
    StateType::Map,
];

const SEEDS: [&str; 3] = [
    "{\n  \"StartAt\": \"A\",\n  \"States\": {\n    \"A\": {\n      \"Type\": \"Pass\",\n      \"Next\": \"B\"\n    },\n    \"B\": {\n      \"Type\": \"Succeed\"\n    }\n  }\n}\n",
    "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"B\"},\"B\":{\"Type\":\"Succeed\"}}}",
    "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: B\n  B:\n    Type: Succeed\n",
];

fn pick<T: Clone>(items: &[T], i: u8) -> Option<T> {
    (!items.is_empty()).then(|| items[i as usize % items.len()].clone())
}

fn transition(t: u8) -> Transition {
    match t % 4 {
        0 => Transition::Next,
        1 => Transition::Default,
        2 => Transition::Choice((t / 4 % 3) as usize),
        _ => Transition::Catch((t / 4 % 3) as usize),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&seed, ops)) = data.split_first() else { return };
    let text = SEEDS[seed as usize % SEEDS.len()];
    let format = if seed as usize % SEEDS.len() == 2 { Format::Yaml } else { Format::Json };
    let mut doc = Document::new(text, format, Options::default());
    for chunk in ops.chunks(4).take(24) {
        let [op, a, b, t] = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0), *chunk.get(3).unwrap_or(&0)];
        let definition = doc.definition();
        let mut states = Vec::new();
        let mut machines = vec![String::new()];
        let mut names = Vec::new();
        if let Some(d) = definition {
            for m in d.all_machines() {
                machines.push(m.pointer.clone());
                for s in m.states.values() {
                    states.push(s.pointer.clone());
                    names.push(s.name.clone());
                }
            }
        }
        let ty = TYPES[t as usize % TYPES.len()];
        let edit = match op % 13 {
            0 => pick(&machines, a).map(|machine| Edit::AddState { machine, state_type: ty, name: None }),
            1 => pick(&states, a).map(|from| Edit::InsertState { from, transition: transition(t), state_type: ty, name: None }),
            2 => pick(&states, a).map(|state| Edit::RemoveState { state }),
            3 => pick(&states, a).map(|state| Edit::RenameState { state, to: format!("R{b}: \"x\"") }),
            4 => pick(&states, a).zip(pick(&names, b)).map(|(from, to)| Edit::Connect { from, transition: transition(t), to }),
            5 => pick(&states, a).map(|from| Edit::Disconnect { from, transition: transition(t) }),
            6 => pick(&machines, a).zip(pick(&names, b)).map(|(machine, name)| Edit::SetStartAt { machine, name }),
            7 => pick(&states, a).map(|s| Edit::SetField { pointer: format!("{s}/Comment"), value: (b % 2 == 0).then(|| serde_json::Value::from(format!("c{t}"))) }),
            8 => pick(&states, a).zip(pick(&machines, b)).map(|(state, machine)| Edit::MoveState { state, machine }),
            9 => pick(&states, a).map(|state| Edit::ChangeType { state, state_type: ty }),
            10 => pick(&states, a).map(|state| Edit::DuplicateState { state }),
            11 => Some(Edit::ReplaceText { text: String::from_utf8_lossy(&ops[..ops.len().min(b as usize)]).into_owned() }),
            _ => None,
        };
        if let Some(edit) = edit {
            let _ = doc.apply(edit);
        }
    }
    while doc.can_undo() {
        doc.undo().expect("undo");
    }
    assert_eq!(doc.text(), text);
});
