//! JSONata states: the same lifecycle and events as JSONPath states, with the data pipeline
//! the developer guide gives for JSONata ("Transforming data with JSONata in Step Functions"):
//! `Arguments` (what a Task or Parallel hands on), the result as `$states.result`, `Output`
//! (default: the result where there is one, otherwise the input) and `Assign`, both evaluated
//! against the variables as they were when the state was entered. In a Catch, `Output` and
//! `Assign` see `$states.errorOutput`; in a Map's `ItemSelector`, `$states.context.Map.Item`.

use super::*;
use crate::dataflow::jsonata::{Jsonata, Scope, States};
use crate::dataflow::vars::Assignments;
use crate::states::JsonataFields;

/// What an expression of the current stage can see under `$states`.
#[derive(Clone, Copy, Default)]
pub(super) struct Stage<'a> {
    pub input: Option<&'a Payload>,
    pub result: Option<&'a Payload>,
    pub error_output: Option<&'a Payload>,
    pub map_item: Option<(usize, &'a Payload)>,
}

impl<'a> Stage<'a> {
    pub fn input(input: &'a Payload) -> Stage<'a> {
        Stage { input: Some(input), ..Stage::default() }
    }
}

/// A JSONata evaluation failure waiting to be written as an `EvaluationFailed` event.
#[derive(Debug)]
pub(super) struct EvaluationFailure {
    state: Arc<str>,
    location: Arc<str>,
    failure: Failure,
    /// The event the failure follows (the state's last event when it happened).
    after: u64,
}

impl Runner {
    /// Records a `States.QueryEvaluationError` of a JSONata field; the `EvaluationFailed`
    /// event (API reference: EvaluationFailedEventDetails — state, error, cause, location) is
    /// written just before the next event, whatever handles the error.
    pub(super) fn evaluation_failed(
        &self,
        visit: &Visit,
        field: &str,
        failure: Failure,
    ) -> Failure {
        let location = field.split('/').next().unwrap_or(field);
        self.evaluation_failures.borrow_mut().push(EvaluationFailure {
            state: (*visit.name).clone(),
            location: Arc::from(location),
            failure: failure.clone(),
            after: self.cursor,
        });
        failure
    }

    /// A value of the wrong kind from a JSONata field (a Condition that is not a boolean, …).
    pub(super) fn query_failed(&self, visit: &Visit, field: &str, message: &str) -> Failure {
        self.evaluation_failed(visit, field, query_error(visit, message))
    }

    /// Writes the pending `EvaluationFailed` events at time `t`, each after the event it
    /// followed; the next event follows the last of them when it continues the same thread.
    pub(super) fn emit_evaluation_failures(&mut self, t: i64) {
        let pending = std::mem::take(self.evaluation_failures.get_mut());
        for e in pending {
            let caller = self.cursor;
            self.cursor = e.after;
            let id = self.emit(
                t,
                "EvaluationFailed",
                Details::EvaluationFailed {
                    state: e.state,
                    location: e.location,
                    failure: Box::new(e.failure),
                },
            );
            self.cursor = if caller == e.after { id } else { caller };
        }
    }

    /// Evaluates a JSONata field of the state being visited.
    pub(super) fn jeval(
        &self,
        j: &Jsonata,
        field: &str,
        visit: &Visit,
        stage: Stage<'_>,
    ) -> Result<Payload, Stop> {
        if let Jsonata::Literal(p) = j {
            return Ok(p.clone());
        }
        // Drawn for every evaluation, so `$random()` sees the same seeds however the fields
        // before it were evaluated.
        let seed: u64 = self.rng.borrow_mut().random();
        let parts = States {
            input: stage.input,
            result: stage.result,
            error_output: stage.error_output,
            context: None,
            variables: Some(&self.vars),
        };
        if let Some(v) = j.follow_paths(&parts) {
            return Ok(v);
        }
        let context = j.needs_context().then(|| {
            let mut c = build_context(&self.info, visit, stage.map_item, None);
            if let Payload::Object(root) = &mut c
                && let Some(Payload::Object(exec)) = Arc::make_mut(root).get_mut("Execution")
            {
                Arc::make_mut(exec).insert(Arc::from("Input"), self.info.input.clone());
            }
            c
        });
        let states = States { context, ..parts };
        let pairs = self.vars.visible_pairs();
        let scope = Scope::new(&states, &pairs, visit.entered_ms, seed);
        j.eval(&scope, field).map_err(|f| {
            let failure = Failure::new(
                errors::QUERY_EVALUATION_ERROR,
                format!(
                    "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
                    visit.name,
                    visit.entered_id,
                    f.cause.unwrap_or_default()
                ),
            );
            Stop::Failed(self.evaluation_failed(visit, field, failure))
        })
    }

    /// Evaluates a JSONata `Assign` and keeps the values for the state's exit.
    pub(super) fn jsonata_assign(
        &self,
        assign: Option<&Jsonata>,
        visit: &mut Visit,
        stage: Stage<'_>,
    ) -> Result<(), Stop> {
        visit.assigned = match assign {
            None => None,
            Some(a) => {
                let v = self.jeval(a, "Assign", visit, stage)?;
                Some(Assignments::from_payload(&v).map_err(|e| Stop::Failed(limit_failure(e)))?)
            }
        };
        Ok(())
    }

    /// A number field given as an expression (TimeoutSeconds, MaxConcurrency, …): a
    /// non-negative integer.
    pub(super) fn jseconds(
        &self,
        j: Option<&Jsonata>,
        field: &str,
        visit: &Visit,
        input: &Payload,
    ) -> Result<Option<u64>, Stop> {
        let Some(j) = j else { return Ok(None) };
        let v = self.jeval(j, field, visit, Stage::input(input))?;
        match v.as_f64() {
            Some(n) if n >= 0.0 && n.fract() == 0.0 => Ok(Some(n as u64)),
            _ => Err(Stop::Failed(self.query_failed(
                visit,
                field,
                &format!(
                    "The value of the field '{field}' must be a non-negative integer, not {v}"
                ),
            ))),
        }
    }

    /// Task, Parallel and Map after their result: `Assign` and `Output` (default: the result),
    /// both with `$states.result`.
    pub(super) fn jsonata_finish(
        &mut self,
        j: &JsonataFields,
        raw_input: &Data,
        result: Data,
        visit: &mut Visit,
        trace: &mut Tracer,
    ) -> Result<Data, Stop> {
        trace.put(|t| t.result = Some(result.clone()));
        let stage = Stage { input: Some(raw_input), result: Some(&result), ..Stage::default() };
        self.jsonata_assign(j.assign.as_ref(), visit, stage)?;
        let out = match &j.output {
            Some(o) => self.jeval(o, "Output", visit, stage)?,
            None => result.clone(),
        };
        visit.after_result_path_bound = None;
        Ok(out)
    }

    /// The input a Task or Parallel hands on: `Arguments`, or the state input.
    pub(super) fn jsonata_arguments(
        &self,
        j: &JsonataFields,
        input: &Data,
        visit: &Visit,
        trace: &mut Tracer,
    ) -> Result<Data, Stop> {
        match &j.arguments {
            Some(a) => {
                let v = self.jeval(a, "Arguments", visit, Stage::input(input))?;
                trace.put(|t| t.after_arguments = Some(v.clone()));
                Ok(v)
            }
            None => Ok(input.clone()),
        }
    }

    /// A Catcher of a JSONata state: its `Assign` and `Output` (default: the error output).
    pub(super) fn jsonata_catch(
        &self,
        j: &JsonataFields,
        index: usize,
        raw_input: &Data,
        error_output: &Payload,
        visit: &mut Visit,
    ) -> Result<Data, Stop> {
        let Some(c) = j.catchers.get(index) else { return Ok(error_output.clone()) };
        let stage =
            Stage { input: Some(raw_input), error_output: Some(error_output), ..Stage::default() };
        self.jsonata_assign(c.assign.as_ref(), visit, stage)?;
        match &c.output {
            Some(o) => self.jeval(o, "Output", visit, stage),
            None => Ok(error_output.clone()),
        }
    }

    /// Fail's `Error` or `Cause`: an expression (which must give a string) or a literal.
    fn fail_text(
        &self,
        expr: Option<&Jsonata>,
        literal: Option<&Text>,
        field: &str,
        visit: &Visit,
        stage: Stage<'_>,
    ) -> Result<Option<String>, Stop> {
        match (expr, literal) {
            (Some(e), _) => match self.jeval(e, field, visit, stage)? {
                Payload::String(s) => Ok(Some(s.to_string())),
                other => Err(Stop::Failed(self.query_failed(
                    visit,
                    field,
                    &format!("The value of the field '{field}' must be a string, not {other}"),
                ))),
            },
            (None, Some(Text::Literal(s))) => Ok(Some(s.clone())),
            (None, _) => Ok(None),
        }
    }

    /// Pass, Choice, Wait, Succeed and Fail in JSONata; Task, Parallel and Map go through the
    /// shared attempt code with JSONata hooks.
    pub(super) fn run_jsonata_simple(
        &mut self,
        state: &State,
        j: &JsonataFields,
        input: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
    ) -> Result<Option<(Data, Option<usize>)>, Stop> {
        let stage = Stage::input(input);
        // The output's size bound, where `Output` gives one, is left in the visit for the
        // payload check.
        let output = |r: &Runner, visit: &mut Visit, o: Option<&Jsonata>| match o {
            Some(o) => {
                visit.output_bound = o.size_bound();
                r.jeval(o, "Output", visit, stage)
            }
            None => Ok(input.clone()),
        };
        Ok(Some(match &state.kind {
            Kind::Fail { error, cause } => {
                let error =
                    self.fail_text(j.error.as_ref(), error.as_ref(), "Error", visit, stage)?;
                let cause =
                    self.fail_text(j.cause.as_ref(), cause.as_ref(), "Cause", visit, stage)?;
                return Err(Stop::Failed(Failure { error, cause }));
            }
            Kind::Pass { .. } => {
                self.jsonata_assign(j.assign.as_ref(), visit, stage)?;
                (output(self, visit, j.output.as_ref())?, state.next)
            }
            Kind::Succeed => (output(self, visit, j.output.as_ref())?, None),
            Kind::Wait(w) => {
                let until = if let Some(s) = &j.seconds {
                    let v = self.jeval(s, "Seconds", visit, stage)?;
                    match v.as_f64() {
                        Some(n) if n >= 0.0 && n.fract() == 0.0 => {
                            now.saturating_add((n as i64).saturating_mul(1000))
                        }
                        _ => {
                            return Err(Stop::Failed(self.query_failed(
                                visit,
                                "Seconds",
                                &format!(
                                    "The value of the field 'Seconds' must be a non-negative integer, not {v}"
                                ),
                            )));
                        }
                    }
                } else if let Some(t) = &j.timestamp {
                    let v = self.jeval(t, "Timestamp", visit, stage)?;
                    let ms = v
                        .as_str()
                        .and_then(crate::states::choice::parse_timestamp)
                        .map(|ns| (ns / 1_000_000) as i64);
                    match ms {
                        Some(ms) => ms,
                        None => {
                            return Err(Stop::Failed(self.query_failed(
                                visit,
                                "Timestamp",
                                &format!(
                                    "The value of the field 'Timestamp' must be an RFC 3339 timestamp, not {v}"
                                ),
                            )));
                        }
                    }
                } else {
                    self.wait_target(w, input, *now, visit).map_err(Stop::Failed)?
                };
                if let Some(d) = self.deadline.filter(|d| until > *d) {
                    self.advance(now, d);
                    return Err(Stop::TimedOut);
                }
                self.advance(now, until.max(*now));
                self.jsonata_assign(j.assign.as_ref(), visit, stage)?;
                (output(self, visit, j.output.as_ref())?, state.next)
            }
            Kind::Choice { default, .. } => {
                let mut chosen = None;
                for rule in &j.rules {
                    let v = self.jeval(&rule.condition, "Condition", visit, stage)?;
                    match v {
                        Payload::Bool(true) => {
                            chosen = Some(rule);
                            break;
                        }
                        Payload::Bool(false) => {}
                        other => {
                            return Err(Stop::Failed(self.query_failed(
                                visit,
                                "Condition",
                                &format!(
                                    "The Condition of a Choice rule must evaluate to a boolean, not {other}"
                                ),
                            )));
                        }
                    }
                }
                let (next, assign, out) = match chosen {
                    Some(r) => (Some(r.next), r.assign.as_ref(), r.output.as_ref()),
                    None => (*default, j.assign.as_ref(), j.output.as_ref()),
                };
                let Some(next) = next else {
                    return Err(Stop::Failed(Failure::new(
                        errors::NO_CHOICE_MATCHED,
                        "No Matches!",
                    )));
                };
                self.jsonata_assign(assign, visit, stage)?;
                (output(self, visit, out)?, Some(next))
            }
            Kind::Task(_) | Kind::Parallel(_) | Kind::Map(_) => {
                let _ = trace;
                return Ok(None);
            }
        }))
    }
}

/// A `States.QueryEvaluationError` of the state being visited.
fn query_error(visit: &Visit, message: &str) -> Failure {
    Failure::new(
        errors::QUERY_EVALUATION_ERROR,
        format!(
            "An error occurred while executing the state '{}' (entered at the event id #{}). {}",
            visit.name, visit.entered_id, message
        ),
    )
}
