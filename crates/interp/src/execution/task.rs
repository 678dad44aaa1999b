//! Task states: parameters, the task backend, task history events, timeouts.

use super::*;

fn task_resource(resource: &str) -> (TaskFlavour, TaskResource) {
    let parts: Vec<&str> = resource.splitn(6, ':').collect();
    let service = parts.get(2).copied().unwrap_or("");
    let rest = parts.get(5).copied().unwrap_or("");
    let flavour = if service == "lambda" && rest.starts_with("function:") {
        TaskFlavour::Lambda
    } else if service == "states" && rest.starts_with("activity:") {
        TaskFlavour::Activity
    } else {
        TaskFlavour::Service
    };
    let (ty, res) = match rest.rsplit_once(':') {
        Some((t, r)) if flavour == TaskFlavour::Service => (t, r),
        _ => (service, rest),
    };
    (flavour, TaskResource { resource_type: Arc::from(ty), resource: Arc::from(res) })
}
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TaskFlavour {
    Service,
    Lambda,
    Activity,
}

impl Runner {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn task_attempt(
        &mut self,
        state: &State,
        task: &Task,
        raw_input: &Data,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
    ) -> Result<Data, Stop> {
        if task.resource.ends_with(".waitForTaskToken") && visit.task_token.is_none() {
            let mut bytes = [0u8; 16];
            self.rng.borrow_mut().fill(&mut bytes);
            visit.task_token = Some(bytes.iter().map(|b| format!("{b:02x}")).collect());
        }
        let params = match (&state.jsonata, &task.handling.parameters) {
            (Some(j), _) => self.jsonata_arguments(j, effective, visit, trace)?,
            (None, Some(t)) => self.eval_template(t, effective, visit, None, true)?,
            (None, None) => effective.clone(),
        };
        if state.jsonata.is_none() {
            trace.put(|t| t.after_parameters = Some(params.clone()));
        }
        if let Some(c) = &task.credentials {
            self.eval_template(c, effective, visit, None, true)?;
        }
        self.check_size(&params, || {
            format!(
                "The input of state '{}' exceeds the maximum number of bytes service limit.",
                state.name
            )
        })
        .map_err(Stop::Failed)?;
        let mut timeout =
            self.resolve_seconds(task.timeout.as_ref(), effective, visit).map_err(Stop::Failed)?;
        let mut heartbeat = self
            .resolve_seconds(task.heartbeat.as_ref(), effective, visit)
            .map_err(Stop::Failed)?;
        if let Some(j) = &state.jsonata {
            if j.timeout.is_some() {
                timeout = self.jseconds(j.timeout.as_ref(), "TimeoutSeconds", visit, effective)?;
            }
            if j.heartbeat.is_some() {
                heartbeat =
                    self.jseconds(j.heartbeat.as_ref(), "HeartbeatSeconds", visit, effective)?;
            }
        }
        let (flavour, resource) = task_resource(&task.resource);
        let arn: Arc<str> = Arc::from(task.resource.as_str());
        match flavour {
            TaskFlavour::Service => {
                self.emit(
                    *now,
                    "TaskScheduled",
                    Details::TaskScheduled(Box::new(crate::history::TaskScheduled {
                        resource: resource.clone(),
                        region: self.region.clone(),
                        parameters: params.clone(),
                        timeout_seconds: timeout,
                        heartbeat_seconds: heartbeat,
                    })),
                );
                self.emit(*now, "TaskStarted", Details::TaskStarted { resource: resource.clone() });
            }
            TaskFlavour::Lambda => {
                self.emit(
                    *now,
                    "LambdaFunctionScheduled",
                    Details::LambdaFunctionScheduled {
                        resource: arn.clone(),
                        input: params.clone(),
                        timeout_seconds: timeout,
                    },
                );
                self.emit(*now, "LambdaFunctionStarted", Details::None);
            }
            TaskFlavour::Activity => {
                self.emit(
                    *now,
                    "ActivityScheduled",
                    Details::ActivityScheduled(Box::new(crate::history::ActivityScheduled {
                        resource: arn.clone(),
                        input: params.clone(),
                        timeout_seconds: timeout,
                        heartbeat_seconds: heartbeat,
                    })),
                );
                self.emit(
                    *now,
                    "ActivityStarted",
                    Details::ActivityStarted { worker_name: Arc::from("stepwise-local") },
                );
            }
        }
        let n = {
            let c = self.invocations.entry(state.name.clone()).or_insert(0);
            let n = *c;
            *c += 1;
            n
        };
        let answer = self.ports.tasks.invoke(&TaskRequest {
            state_name: &state.name,
            resource: &task.resource,
            input: &params,
            invocation: n,
            task_token: visit.task_token.as_deref(),
        });
        let TaskAnswer { outcome, duration_ms, silence_ms } = match answer {
            Ok(a) => a,
            Err(_) if self.ports.observer.stopped() => return Err(Stop::Aborted),
            Err(why) => {
                let f = Failure::new(
                    errors::RUNTIME,
                    format!(
                        "Stepwise has no answer for invocation {n} of Task state '{}' ({}): {}. Add a mocked response for it; Stepwise never calls AWS.",
                        state.name, task.resource, why.0
                    ),
                );
                self.task_failed_event(flavour, &resource, *now, &f, false);
                return Err(Stop::Failed(f));
            }
        };
        let limit_ms = timeout.unwrap_or(99_999_999).saturating_mul(1000);
        let hb_ms = heartbeat.map(|h| h.saturating_mul(1000));
        let silence_ms = silence_ms.unwrap_or(duration_ms).min(duration_ms);
        if duration_ms > limit_ms || hb_ms.is_some_and(|h| silence_ms > h) {
            let (error, took) = if duration_ms > limit_ms {
                (errors::TIMEOUT, limit_ms)
            } else {
                (errors::HEARTBEAT_TIMEOUT, hb_ms.unwrap_or(limit_ms))
            };
            let to = now.saturating_add(i64::try_from(took).unwrap_or(i64::MAX));
            self.advance(now, to);
            let f = Failure { error: Some(error.into()), cause: None };
            self.task_failed_event(flavour, &resource, *now, &f, true);
            return Err(Stop::Failed(f));
        }
        let to = now.saturating_add(i64::try_from(duration_ms).unwrap_or(i64::MAX));
        self.advance(now, to);
        match outcome {
            TaskOutcome::Succeeded(v) => {
                let out = Payload::from(v);
                // `.sync` integrations record TaskSubmitted once the job is started; a mock gives
                // only the final result, which stands in for the submit response here.
                let sync = task.resource.ends_with(".sync") || task.resource.ends_with(".sync:2");
                if flavour == TaskFlavour::Service && sync {
                    self.emit(
                        *now,
                        "TaskSubmitted",
                        Details::TaskSubmitted { resource: resource.clone(), output: out.clone() },
                    );
                }
                let ev = match flavour {
                    TaskFlavour::Service => (
                        "TaskSucceeded",
                        Details::TaskSucceeded { resource: resource.clone(), output: out.clone() },
                    ),
                    TaskFlavour::Lambda => (
                        "LambdaFunctionSucceeded",
                        Details::LambdaFunctionSucceeded { output: out.clone() },
                    ),
                    TaskFlavour::Activity => {
                        ("ActivitySucceeded", Details::ActivitySucceeded { output: out.clone() })
                    }
                };
                self.emit(*now, ev.0, ev.1);
                if let Err(f) = self.check_size(&out, || {
                    format!(
                        "The state/task '{}' returned a result with a size exceeding the maximum number of bytes service limit.",
                        task.resource
                    )
                }) {
                    return Err(Stop::Failed(f));
                }
                self.finish(state, &task.handling, raw_input, out, None, visit, trace)
            }
            TaskOutcome::Failed(f) => {
                let timed_out = f.error.as_deref() == Some(errors::TIMEOUT);
                self.task_failed_event(flavour, &resource, *now, &f, timed_out);
                Err(Stop::Failed(f))
            }
        }
    }

    fn task_failed_event(
        &mut self,
        flavour: TaskFlavour,
        resource: &TaskResource,
        now: i64,
        f: &Failure,
        timed_out: bool,
    ) {
        let (ty, d) = match (flavour, timed_out) {
            (TaskFlavour::Service, false) => (
                "TaskFailed",
                Details::TaskFailed { resource: resource.clone(), failure: Box::new(f.clone()) },
            ),
            (TaskFlavour::Service, true) => (
                "TaskTimedOut",
                Details::TaskTimedOut { resource: resource.clone(), failure: Box::new(f.clone()) },
            ),
            (TaskFlavour::Lambda, false) => {
                ("LambdaFunctionFailed", Details::LambdaFunctionFailed(f.clone()))
            }
            (TaskFlavour::Lambda, true) => {
                ("LambdaFunctionTimedOut", Details::LambdaFunctionTimedOut(f.clone()))
            }
            (TaskFlavour::Activity, false) => {
                ("ActivityFailed", Details::ActivityFailed(f.clone()))
            }
            (TaskFlavour::Activity, true) => {
                ("ActivityTimedOut", Details::ActivityTimedOut(f.clone()))
            }
        };
        self.emit(now, ty, d);
    }
}
