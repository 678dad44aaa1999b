//! Runs of a document: where the sample input and the mocks come from, and the interpreter's
//! result turned into what the run panel and the canvas show.
//!
//! The mocks and the sample input live beside the workflow, as the templates ship them:
//! `order.asl.json` → `order.mocks.json` (AWS Step Functions Local format) and
//! `order.input.json`. A document made from a template and not yet saved uses the template's.

use std::path::Path;

use serde_json::Value;
use stepwise_interp::map_run::MapRun;
use stepwise_interp::mock::{MockConfig, MockInvoker};
use stepwise_interp::trace::StateTrace;
use stepwise_interp::{Execution, Options, Ports};

use crate::wire::{
    ApiError, ErrorCode, ExecutionView, RunSetup, StageView, StateRunStatus, StateRunView,
    UsageView,
};

/// Where a run's sample input and mocks come from.
pub(crate) struct RunSources {
    /// The state machine's name in the mock configuration: the file name without extensions.
    pub(crate) state_machine_name: String,
    pub(crate) sample_input: Option<String>,
    /// The mock configuration's text and where it came from.
    pub(crate) mocks: Option<(String, String)>,
}

/// `order.asl.json` → `order`.
fn stem(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

impl RunSources {
    /// The files beside `path`, or else the template's.
    pub(crate) fn find(name: &str, path: Option<&Path>, template: Option<&str>) -> RunSources {
        let stem = stem(name).to_owned();
        let beside = |suffix: &str| {
            let file = path?.with_file_name(format!("{stem}.{suffix}"));
            let text = std::fs::read_to_string(&file).ok()?;
            Some((text, file.display().to_string()))
        };
        let embedded = |pick: fn(&str) -> Option<&'static str>| {
            let id = template?;
            Some((pick(id)?.to_owned(), format!("the {id} template")))
        };
        let sample_input =
            beside("input.json").or_else(|| embedded(crate::templates::input)).map(|(t, _)| t);
        let mocks = beside("mocks.json").or_else(|| embedded(crate::templates::mocks));
        RunSources { state_machine_name: stem, sample_input, mocks }
    }

    pub(crate) fn setup(&self) -> RunSetup {
        let test_cases = self
            .mocks
            .as_ref()
            .and_then(|(text, _)| serde_json::from_str::<Value>(text).ok())
            .and_then(|mocks| {
                let cases =
                    mocks["StateMachines"][&self.state_machine_name]["TestCases"].as_object()?;
                Some(cases.keys().cloned().collect())
            })
            .unwrap_or_default();
        RunSetup {
            sample_input: self.sample_input.clone().unwrap_or_else(|| "{}".to_owned()),
            test_cases,
            mocks_source: self.mocks.as_ref().map(|(_, source)| source.clone()),
        }
    }
}

pub(crate) fn refused(message: String) -> ApiError {
    ApiError { code: ErrorCode::RunRefused, message }
}

/// What a run starts from: the input, the mock backend of the chosen test case, the options.
pub(crate) struct Prepared {
    pub(crate) input: Value,
    pub(crate) mocks: Option<MockInvoker>,
    pub(crate) options: Options,
}

/// Checks the input and the mocks of a run before anything runs.
pub(crate) fn prepare(
    sources: &RunSources,
    input: &str,
    test_case: Option<&str>,
) -> Result<Prepared, ApiError> {
    let input: Value = serde_json::from_str(input)
        .map_err(|err| refused(format!("the input is not JSON: {err}")))?;
    let mut mocks = None;
    if let Some(case) = test_case {
        let (text, source) = sources
            .mocks
            .as_ref()
            .ok_or_else(|| refused("there is no mock configuration beside this workflow".into()))?;
        let value: Value = serde_json::from_str(text)
            .map_err(|err| refused(format!("{source} is not JSON: {err}")))?;
        let config =
            MockConfig::parse(&value).map_err(|err| refused(format!("{source}: {err}")))?;
        let invoker = config
            .invoker(&sources.state_machine_name, case)
            .map_err(|err| refused(format!("{source}: {err}")))?;
        mocks = Some(invoker);
    }
    let options = Options {
        state_machine_name: sources.state_machine_name.clone(),
        execution_name: "local".to_owned(),
        record_trace: true,
        ..Options::default()
    };
    Ok(Prepared { input, mocks, options })
}

/// Runs `definition` once with the virtual clock.
pub(crate) fn execute(
    definition: &Value,
    sources: &RunSources,
    input: &str,
    test_case: Option<&str>,
    name: &str,
) -> Result<ExecutionView, ApiError> {
    let Prepared { input, mocks, mut options } = prepare(sources, input, test_case)?;
    options.execution_name = name.to_owned();
    let mut ports = Ports::default();
    if let Some(invoker) = mocks {
        ports.tasks = Box::new(invoker);
    }
    let execution = stepwise_interp::run(definition, input, options, ports)
        .map_err(|err| refused(format!("the definition cannot run: {err}")))?;
    Ok(view(&execution))
}

/// What the run panel and the canvas show of an execution that ended.
pub(crate) fn view(execution: &Execution) -> ExecutionView {
    let pretty = |value: &Value| serde_json::to_string_pretty(value).unwrap_or_default();
    let failure = execution.failure.as_ref();
    let events = match execution.events_json() {
        Value::Array(events) => events,
        _ => Vec::new(),
    };
    let usage = usage(&events);
    ExecutionView {
        id: None,
        name: String::new(),
        status: execution.status.as_str().to_owned(),
        output: execution.output_value().as_ref().map(pretty),
        error: failure.and_then(|f| f.error.clone()),
        cause: failure.and_then(|f| f.cause.clone()),
        states: state_views(&execution.traces),
        events,
        usage,
        map_runs: (!execution.map_runs.is_empty())
            .then(|| execution.map_runs.iter().map(MapRun::to_json).collect()),
    }
}

/// Billing basis from the history: Standard counts a state transition each time a step runs
/// (retries included); Express bills the time from start to end.
pub(crate) fn usage(events: &[Value]) -> UsageView {
    let entered =
        events.iter().filter(|e| e["type"].as_str().is_some_and(|t| t.ends_with("StateEntered")));
    let retries = events.iter().filter(|e| {
        // A retried Task is scheduled again without entering the state again.
        e["type"] == "TaskScheduled" || e["type"] == "ActivityScheduled"
    });
    let entered_count = entered.count();
    let scheduled = retries.count();
    let task_states = events.iter().filter(|e| e["type"] == "TaskStateEntered").count();
    let transitions = entered_count + scheduled.saturating_sub(task_states);
    let seconds = |e: Option<&Value>| e.and_then(|e| e["timestamp"].as_f64()).unwrap_or(0.0);
    let duration = (seconds(events.last()) - seconds(events.first())).max(0.0) * 1000.0;
    UsageView { state_transitions: transitions as u32, duration_ms: duration }
}

/// One view per state, from its visits in order (the last visit's pipeline is shown).
fn state_views(traces: &[StateTrace]) -> Vec<StateRunView> {
    let mut views: Vec<StateRunView> = Vec::new();
    for trace in traces {
        merge_visit(&mut views, trace_view(trace));
    }
    views
}

/// Adds a visit to the views: the latest visit's pipeline and status, visits counted.
pub(crate) fn merge_visit(views: &mut Vec<StateRunView>, view: StateRunView) {
    match views.iter_mut().find(|v| v.name == view.name) {
        Some(existing) => {
            // A state marked running when it was entered is counted when its visit ends.
            let earlier = existing.visits - u32::from(existing.status == StateRunStatus::Running);
            *existing = StateRunView { visits: earlier + 1, ..view }
        }
        None => views.push(view),
    }
}

/// Marks a state as running (entered, its visit not ended yet).
pub(crate) fn mark_running(views: &mut Vec<StateRunView>, name: &str) {
    match views.iter_mut().find(|v| v.name == name) {
        Some(existing) => {
            existing.status = StateRunStatus::Running;
            existing.visits += 1;
        }
        None => views.push(StateRunView {
            name: name.to_owned(),
            status: StateRunStatus::Running,
            visits: 1,
            stages: Vec::new(),
            error: None,
            cause: None,
        }),
    }
}

/// The view of one visit: its pipeline stages and how it fared.
pub(crate) fn trace_view(trace: &StateTrace) -> StateRunView {
    const STAGES: [&str; 11] = [
        "input",
        "afterInputPath",
        "afterParameters",
        "afterArguments",
        "result",
        "afterResultSelector",
        "afterResultPath",
        "output",
        "variablesBefore",
        "assignedVariables",
        "variablesAfter",
    ];
    let json = trace.to_json();
    let stages = STAGES
        .iter()
        .filter_map(|stage| {
            let value = json.get(*stage)?;
            let text = serde_json::to_string_pretty(value).unwrap_or_default();
            Some(StageView { name: (*stage).to_owned(), value: text })
        })
        .collect();
    let status = match (&trace.error, &trace.next_state) {
        // A visit that neither failed nor produced an output was stopped (ABORTED) midway.
        (None, _) if trace.output.is_none() => StateRunStatus::Cancelled,
        (None, _) => StateRunStatus::Succeeded,
        (Some(_), Some(_)) => StateRunStatus::Caught,
        (Some(_), None) => StateRunStatus::Failed,
    };
    StateRunView {
        name: trace.state.to_string(),
        status,
        visits: 1,
        stages,
        error: trace.error.as_ref().and_then(|f| f.error.clone()),
        cause: trace.error.as_ref().and_then(|f| f.cause.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sources() -> RunSources {
        RunSources { state_machine_name: "flow".to_owned(), sample_input: None, mocks: None }
    }

    // The run panel shows JSONata stages and the variables a state assigned (issue: the trace
    // carries afterArguments, output and the variables before and after each state).
    #[test]
    fn a_jsonata_run_shows_its_stages_and_variables() {
        let definition = json!({
            "QueryLanguage": "JSONata",
            "StartAt": "Count",
            "States": {
                "Count": {
                    "Type": "Pass",
                    "Assign": {"n": "{% $count($states.input.items) %}"},
                    "Output": {"first": "{% $states.input.items[0] %}"},
                    "End": true
                }
            }
        });
        let view =
            execute(&definition, &sources(), r#"{"items": [4, 5]}"#, None, "local").expect("runs");
        assert_eq!(view.status, "SUCCEEDED");
        let names: Vec<&str> = view.states[0].stages.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["input", "output", "variablesBefore", "assignedVariables", "variablesAfter"]
        );
        let assigned = &view.states[0].stages[3].value;
        assert!(assigned.contains("\"n\": 2"), "{assigned}");
    }
}
