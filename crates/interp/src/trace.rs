//! The data-flow trace: one [`StateTrace`] per state visit with the value after each stage,
//! named as the TestState API's inspection data names them (`afterInputPath`,
//! `afterParameters`, in JSONata `afterArguments`, `result`, `afterResultSelector`, `afterResultPath`) plus `input` and
//! `output`. Values are shared, never copied. A state that assigns workflow variables also
//! records what it assigned and the variables visible before and after (`assignedVariables`,
//! `variablesBefore`, `variablesAfter`).

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::Data;
use crate::errors::Failure;
use crate::value::Object;

/// What happened to the data in one visit of one state.
#[derive(Debug, Clone)]
pub struct StateTrace {
    /// The state name.
    pub state: Arc<str>,
    /// The StateEntered event id of this visit.
    pub entered_event_id: u64,
    /// Raw state input.
    pub input: Option<Data>,
    /// After InputPath.
    pub after_input_path: Option<Data>,
    /// After Parameters (the task's input).
    pub after_parameters: Option<Data>,
    /// JSONata: after Arguments (the task's or the branches' input).
    pub after_arguments: Option<Data>,
    /// The task / branch / iteration result (or Pass Result).
    pub result: Option<Data>,
    /// After ResultSelector.
    pub after_result_selector: Option<Data>,
    /// After ResultPath.
    pub after_result_path: Option<Data>,
    /// After OutputPath: the state output.
    pub output: Option<Data>,
    /// The failure that ended the visit, if any.
    pub error: Option<Failure>,
    /// The next state, when there is one.
    pub next_state: Option<Arc<str>>,
    /// The variables the state assigned when it exited (name → value), when it assigned any.
    pub assigned: Option<Object>,
    /// The variables visible to the state before its assignments, when it assigned any.
    pub variables_before: Option<Object>,
    /// The variables visible after its assignments, when it assigned any.
    pub variables_after: Option<Object>,
}

impl StateTrace {
    /// A visit that has just started (no stage applied yet).
    pub fn new(state: Arc<str>, entered_event_id: u64, input: Data) -> StateTrace {
        StateTrace {
            state,
            entered_event_id,
            input: Some(input),
            after_input_path: None,
            after_parameters: None,
            after_arguments: None,
            result: None,
            after_result_selector: None,
            after_result_path: None,
            output: None,
            error: None,
            next_state: None,
            assigned: None,
            variables_before: None,
            variables_after: None,
        }
    }

    /// The inspection-data JSON (values as JSON, not strings).
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("state".into(), Value::from(&*self.state));
        m.insert("enteredEventId".into(), Value::from(self.entered_event_id));
        let mut put = |k: &str, v: &Option<Data>| {
            if let Some(v) = v {
                m.insert(k.into(), v.to_value());
            }
        };
        put("input", &self.input);
        put("afterInputPath", &self.after_input_path);
        put("afterParameters", &self.after_parameters);
        put("afterArguments", &self.after_arguments);
        put("result", &self.result);
        put("afterResultSelector", &self.after_result_selector);
        put("afterResultPath", &self.after_result_path);
        put("output", &self.output);
        if let Some(f) = &self.error {
            m.insert("error".into(), f.to_error_output());
        }
        if let Some(n) = &self.next_state {
            m.insert("nextState".into(), Value::from(&**n));
        }
        let mut vars = |k: &str, v: &Option<Object>| {
            if let Some(o) = v {
                m.insert(k.into(), Data::object(o.clone()).to_value());
            }
        };
        vars("assignedVariables", &self.assigned);
        vars("variablesBefore", &self.variables_before);
        vars("variablesAfter", &self.variables_after);
        Value::Object(m)
    }
}
