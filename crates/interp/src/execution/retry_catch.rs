//! Retry and Catch around Task, Parallel and Map attempts (shared by the three).

use super::*;

pub(super) enum Handled {
    Done(Data),
    Caught(Data, usize),
}

impl Runner {
    /// Runs attempts with Retry, then Catch. `attempt` returns the value after ResultPath.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn with_retry(
        &mut self,
        state: &State,
        handling: &Handling,
        raw_input: &Data,
        _effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
        mut attempt: impl FnMut(&mut Runner, &mut i64, &mut Visit, &mut Tracer) -> Result<Data, Stop>,
    ) -> Result<Handled, Stop> {
        // Backoff grows with every use of a retrier; MaxAttempts is counted per error name
        // within the retrier (the ErrorA/ErrorB/ErrorC example of the States Language spec and
        // the developer guide's "Complex retry scenarios").
        let mut counts = vec![0u64; handling.retry.len()];
        let mut per_error: HashMap<(usize, String), u64> = HashMap::new();
        loop {
            let failure = match attempt(self, now, visit, trace) {
                Ok(v) => return Ok(Handled::Done(v)),
                Err(Stop::Failed(f)) => f,
                Err(other) => return Err(other),
            };
            if failure.is_terminal() {
                return Err(Stop::Failed(failure));
            }
            if let Some(i) =
                handling.retry.iter().position(|r| error_equals_matches(&r.error_equals, &failure))
            {
                let r = &handling.retry[i];
                let used = per_error.entry((i, failure.error_name().to_owned())).or_insert(0);
                if *used < r.max_attempts {
                    *used += 1;
                    let delay = self.retry_delay(r, counts[i]);
                    counts[i] += 1;
                    visit.retry_count += 1;
                    let to = now.saturating_add(delay);
                    self.advance(now, to);
                    if self.deadline.is_some_and(|d| *now >= d) {
                        return Err(Stop::TimedOut);
                    }
                    continue;
                }
            }
            return match self.catch(state, &handling.catch, raw_input, &failure, visit) {
                Some(Ok((v, n))) => {
                    trace.put(|t| t.error = Some(failure));
                    Ok(Handled::Caught(v, n))
                }
                Some(Err(f)) => Err(Stop::Failed(f)),
                None => Err(Stop::Failed(failure)),
            };
        }
    }

    fn retry_delay(&self, r: &Retrier, attempt: u64) -> i64 {
        let mut secs = r.interval_seconds * r.backoff_rate.powi(attempt.min(1000) as i32);
        if let Some(max) = r.max_delay_seconds {
            secs = secs.min(max);
        }
        if r.jitter_full {
            let f: f64 = self.rng.borrow_mut().random();
            secs *= f;
        }
        // `as` saturates for floats, so an absurd backoff cannot overflow logical time.
        (secs * 1000.0).round() as i64
    }

    /// The first Catcher matching `failure`: its `Assign` (evaluated on the error output)
    /// replaces whatever the state's own `Assign` evaluated to, then ResultPath merges the error
    /// output into the raw input.
    fn catch(
        &self,
        state: &State,
        catchers: &[Catcher],
        raw_input: &Data,
        failure: &Failure,
        visit: &mut Visit,
    ) -> Option<Result<(Data, usize), Failure>> {
        let index = catchers.iter().position(|c| error_equals_matches(&c.error_equals, failure))?;
        let c = &catchers[index];
        let error_output = failure.to_error_payload();
        if let Some(j) = &state.jsonata {
            return Some(match self.jsonata_catch(j, index, raw_input, &error_output, visit) {
                Ok(v) => Ok((v, c.next)),
                Err(Stop::Failed(f)) => Err(f),
                Err(_) => Err(failure.clone()),
            });
        }
        match self.evaluate_assign(c.assign.as_ref(), &error_output, visit) {
            Ok(()) => {}
            Err(Stop::Failed(f)) => return Some(Err(f)),
            Err(_) => return Some(Err(failure.clone())),
        }
        let out = self.result_path(&c.result_path, raw_input.clone(), error_output);
        Some(out.map(|v| (v, c.next)))
    }
}
