//! The AWS Step Functions Local mock configuration, as a [`TaskInvoker`].
//!
//! ```json
//! {"StateMachines": {"NAME": {"TestCases": {"CASE": {"STATE": "MOCK"}}}},
//!  "MockedResponses": {"MOCK": {"0": {"Return": {...}}, "1-2": {"Throw": {"Error": "E", "Cause": "C"}}}}}
//! ```
//! The n-th invocation of a state in the execution (0-based; retries count) uses the response
//! whose key (`"n"`) or inclusive range (`"a-b"`) covers n. An invocation no entry covers, or a
//! state the test case does not name, is *unanswered*: the engine fails the execution with
//! `States.Runtime` and a cause that says exactly what is missing (Stepwise never calls AWS).
//!
//! Problems in the file are reported with a JSON Pointer ([`MockError`]).

use std::collections::HashMap;

use serde_json::Value;

use crate::errors::Failure;
use crate::ports::{TaskAnswer, TaskInvoker, TaskOutcome, TaskRequest, Unanswered};

/// A located problem in a mock configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockError {
    /// JSON Pointer into the mock file.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for MockError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "mock configuration {}: {}", self.pointer, self.message)
    }
}

impl std::error::Error for MockError {}

/// One mocked response.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// `Return`.
    Return(Value),
    /// `Throw`.
    Throw(Failure),
}

/// The responses of one mock, by invocation range.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MockedResponse {
    ranges: Vec<(u64, u64, Response)>,
}

impl MockedResponse {
    /// The response for the n-th invocation.
    pub fn at(&self, n: u64) -> Option<&Response> {
        self.ranges.iter().find(|(lo, hi, _)| *lo <= n && n <= *hi).map(|(_, _, r)| r)
    }
}

/// A parsed mock configuration.
#[derive(Debug, Clone, Default)]
pub struct MockConfig {
    /// State machine → test case → state → mock name.
    pub state_machines: HashMap<String, HashMap<String, HashMap<String, String>>>,
    /// Mock name → responses.
    pub responses: HashMap<String, MockedResponse>,
}

fn err(pointer: impl Into<String>, message: impl Into<String>) -> MockError {
    MockError { pointer: pointer.into(), message: message.into() }
}

fn esc(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

impl MockConfig {
    /// Parses the configuration's JSON value.
    pub fn parse(v: &Value) -> Result<MockConfig, MockError> {
        let root = v.as_object().ok_or_else(|| err("", "expected a JSON object"))?;
        let mut cfg = MockConfig::default();
        if let Some(sms) = root.get("StateMachines") {
            let sms = sms.as_object().ok_or_else(|| err("/StateMachines", "expected an object"))?;
            for (sm, body) in sms {
                let p = format!("/StateMachines/{}", esc(sm));
                let cases = body
                    .get("TestCases")
                    .and_then(Value::as_object)
                    .ok_or_else(|| err(&p, "expected an object with \"TestCases\""))?;
                let mut out = HashMap::new();
                for (case, states) in cases {
                    let p = format!("{p}/TestCases/{}", esc(case));
                    let states = states.as_object().ok_or_else(|| err(&p, "expected an object"))?;
                    let mut map = HashMap::new();
                    for (state, mock) in states {
                        let mock = mock.as_str().ok_or_else(|| {
                            err(
                                format!("{p}/{}", esc(state)),
                                "expected the name of a mocked response",
                            )
                        })?;
                        map.insert(state.clone(), mock.to_owned());
                    }
                    out.insert(case.clone(), map);
                }
                cfg.state_machines.insert(sm.clone(), out);
            }
        }
        if let Some(responses) = root.get("MockedResponses") {
            let responses = responses
                .as_object()
                .ok_or_else(|| err("/MockedResponses", "expected an object"))?;
            for (name, body) in responses {
                let p = format!("/MockedResponses/{}", esc(name));
                let body = body.as_object().ok_or_else(|| err(&p, "expected an object"))?;
                let mut ranges = Vec::new();
                for (key, resp) in body {
                    let rp = format!("{p}/{}", esc(key));
                    let (lo, hi) = parse_range(key).ok_or_else(|| {
                        err(&rp, "expected an invocation number (\"0\") or range (\"1-2\")")
                    })?;
                    let resp = resp.as_object().ok_or_else(|| err(&rp, "expected an object"))?;
                    let r = if let Some(v) = resp.get("Return") {
                        Response::Return(v.clone())
                    } else if let Some(t) = resp.get("Throw") {
                        let t = t
                            .as_object()
                            .ok_or_else(|| err(format!("{rp}/Throw"), "expected an object"))?;
                        let field = |k: &str| t.get(k).and_then(Value::as_str).map(str::to_owned);
                        Response::Throw(Failure { error: field("Error"), cause: field("Cause") })
                    } else {
                        return Err(err(&rp, "expected \"Return\" or \"Throw\""));
                    };
                    ranges.push((lo, hi, r));
                }
                cfg.responses.insert(name.clone(), MockedResponse { ranges });
            }
        }
        // Every test case must name mocks that exist.
        for (sm, cases) in &cfg.state_machines {
            for (case, states) in cases {
                for (state, mock) in states {
                    if !cfg.responses.contains_key(mock) {
                        return Err(err(
                            format!(
                                "/StateMachines/{}/TestCases/{}/{}",
                                esc(sm),
                                esc(case),
                                esc(state)
                            ),
                            format!("no mocked response named {mock:?} in \"MockedResponses\""),
                        ));
                    }
                }
            }
        }
        Ok(cfg)
    }

    /// The invoker for one test case of one state machine.
    pub fn invoker(&self, state_machine: &str, test_case: &str) -> Result<MockInvoker, String> {
        let cases = self.state_machines.get(state_machine).ok_or_else(|| {
            format!("the mock configuration has no state machine {state_machine:?}")
        })?;
        let states = cases.get(test_case).ok_or_else(|| {
            format!("state machine {state_machine:?} has no test case {test_case:?} in the mock configuration")
        })?;
        let mut by_state = HashMap::new();
        for (state, mock) in states {
            if let Some(r) = self.responses.get(mock) {
                by_state.insert(state.clone(), (mock.clone(), r.clone()));
            }
        }
        Ok(MockInvoker { test_case: test_case.to_owned(), by_state })
    }
}

fn parse_range(key: &str) -> Option<(u64, u64)> {
    match key.split_once('-') {
        Some((a, b)) => {
            let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
            (a <= b).then_some((a, b))
        }
        None => key.trim().parse().ok().map(|n| (n, n)),
    }
}

/// Answers tasks from one test case.
#[derive(Debug, Clone)]
pub struct MockInvoker {
    test_case: String,
    by_state: HashMap<String, (String, MockedResponse)>,
}

impl TaskInvoker for MockInvoker {
    fn invoke(&mut self, request: &TaskRequest<'_>) -> Result<TaskAnswer, Unanswered> {
        let Some((mock, responses)) = self.by_state.get(request.state_name) else {
            return Err(Unanswered(format!(
                "test case {:?} has no mock for state {:?}",
                self.test_case, request.state_name
            )));
        };
        let outcome = match responses.at(request.invocation) {
            Some(Response::Return(v)) => TaskOutcome::Succeeded(v.clone()),
            Some(Response::Throw(f)) => TaskOutcome::Failed(f.clone()),
            None => {
                return Err(Unanswered(format!(
                    "mocked response {mock:?} has no entry for invocation {} of state {:?}",
                    request.invocation, request.state_name
                )));
            }
        };
        Ok(TaskAnswer { outcome, duration_ms: 0, silence_ms: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ranges_pick_the_response_of_the_nth_invocation() {
        let cfg = MockConfig::parse(&json!({
            "StateMachines": {"sm": {"TestCases": {"t": {"A": "M"}}}},
            "MockedResponses": {"M": {"0": {"Throw": {"Error": "E", "Cause": "c"}}, "1-2": {"Return": 7}}}
        }))
        .expect("valid mock file");
        let mut inv = cfg.invoker("sm", "t").expect("test case exists");
        let req = |n| TaskRequest {
            state_name: "A",
            resource: "r",
            input: &crate::value::Payload::Null,
            invocation: n,
            task_token: None,
        };
        assert!(matches!(inv.invoke(&req(0)).map(|a| a.outcome), Ok(TaskOutcome::Failed(_))));
        assert_eq!(inv.invoke(&req(2)).map(|a| a.outcome), Ok(TaskOutcome::Succeeded(json!(7))));
        assert!(inv.invoke(&req(3)).is_err(), "invocation 3 is not covered");
    }

    #[test]
    fn a_test_case_naming_an_unknown_mock_is_located() {
        let e = MockConfig::parse(&json!({
            "StateMachines": {"sm": {"TestCases": {"t": {"A": "Nope"}}}}, "MockedResponses": {}
        }))
        .expect_err("unknown mock");
        assert_eq!(e.pointer, "/StateMachines/sm/TestCases/t/A");
    }
}
