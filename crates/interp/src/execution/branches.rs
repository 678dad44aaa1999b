//! Parallel branches and Map iterations, concurrent in logical time.

use super::*;

impl Runner {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parallel_attempt(
        &mut self,
        state: &State,
        p: &Parallel,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
        depth: usize,
    ) -> Result<Data, Stop> {
        let raw_input = trace.raw_input.clone();
        let branch_input = match &p.handling.parameters {
            Some(t) => {
                let v = self.eval_template(t, effective, visit, None, false)?;
                trace.put(|t| t.after_parameters = Some(v.clone()));
                v
            }
            None => effective.clone(),
        };
        // Size bound of what every branch receives, so branch states can skip exact measuring.
        let effective_bound = self.effective_bound(state, visit);
        let branch_bound = match &p.handling.parameters {
            Some(t) => effective_bound.and_then(|b| t.size_bound(b)),
            None => effective_bound,
        };
        let fork = self.emit(*now, "ParallelStateStarted", Details::None);
        let start = *now;
        let mut end = start;
        let mut outputs = Vec::with_capacity(p.branches.len());
        // Upper bound of the joined result: brackets, commas and the branches' output bounds.
        let mut result_bound = Some(2usize);
        for branch in &p.branches {
            // Every branch continues from ParallelStateStarted, as concurrent branches do.
            self.cursor = fork;
            let mut t = start;
            match self.run_machine(branch, branch_input.clone(), &mut t, depth + 1, branch_bound) {
                Ok(out) => {
                    end = end.max(t);
                    outputs.push(out);
                    result_bound = joined_bound(result_bound, self.last_bound);
                }
                Err(Stop::Failed(f)) => {
                    *now = end.max(t);
                    self.emit(*now, "ParallelStateFailed", Details::None);
                    return Err(Stop::Failed(f));
                }
                Err(other) => {
                    *now = end.max(t);
                    if matches!(other, Stop::Aborted) {
                        self.emit(*now, "ParallelStateAborted", Details::None);
                    }
                    return Err(other);
                }
            }
        }
        *now = end;
        self.cursor = self.events.len() as u64;
        self.emit(*now, "ParallelStateSucceeded", Details::None);
        self.finish(&p.handling, &raw_input, Payload::array(outputs), result_bound, visit, trace)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn map_attempt(
        &mut self,
        state: &State,
        m: &MapState,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
        depth: usize,
    ) -> Result<Data, Stop> {
        let raw_input = trace.raw_input.clone();
        let items_value = match &m.items_path {
            PathField::Path(p) => match p.select_ref(effective) {
                Some(v) => std::borrow::Cow::Borrowed(v),
                None => {
                    return Err(Stop::Failed(runtime(
                        visit,
                        &format!(
                            "Invalid path '{}' : No results for path: {}",
                            p.as_str(),
                            p.normalized()
                        ),
                    )));
                }
            },
            _ => std::borrow::Cow::Borrowed(effective),
        };
        let Payload::Array(items) = &*items_value else {
            return Err(Stop::Failed(runtime(
                visit,
                &format!("Map state input must be a JSON array (ItemsPath); got: {}", items_value),
            )));
        };
        let items = items.clone();
        let max_concurrency = self
            .resolve_seconds(m.max_concurrency.as_ref(), effective, visit)
            .map_err(Stop::Failed)?
            .unwrap_or(0);
        let tolerated_count = self
            .resolve_seconds(m.tolerated_count.as_ref(), effective, visit)
            .map_err(Stop::Failed)?;
        let tolerated_pct = match &m.tolerated_percentage {
            None => None,
            Some(PercentOrPath::Fixed(f)) => Some(*f),
            Some(PercentOrPath::Path(p)) => {
                Some(p.select_ref(effective).and_then(Payload::as_f64).ok_or_else(|| {
                    Stop::Failed(runtime(
                        visit,
                        &format!(
                            "ToleratedFailurePercentagePath '{}' must point to a number",
                            p.as_str()
                        ),
                    ))
                })?)
            }
        };
        let tolerant = tolerated_count.is_some() || tolerated_pct.is_some();
        let fork =
            self.emit(*now, "MapStateStarted", Details::MapStateStarted { length: items.len() });
        let start = *now;
        // Logical-time slots: with no limit every iteration starts at the state's start.
        let bounded = max_concurrency > 0 && (max_concurrency as usize) < items.len();
        let slots = if bounded { max_concurrency as usize } else { 0 };
        let mut slot_free =
            std::collections::BinaryHeap::from(vec![std::cmp::Reverse(start); slots]);
        let mut end = start;
        let mut outputs = Vec::with_capacity(items.len());
        let mut result_bound = Some(2usize);
        let mut failed = 0usize;
        let mut first_failure = None;
        let effective_bound = self.effective_bound(state, visit);
        let item_bound = match &m.item_selector {
            Some(t) => effective_bound.and_then(|b| t.size_bound(b)),
            None => effective_bound,
        };
        for (i, item) in items.iter().enumerate() {
            let item_input = match &m.item_selector {
                Some(t) => self.eval_template(t, effective, visit, Some((i, item)), false)?,
                None => item.clone(),
            };
            self.cursor = fork;
            let mut t = match slot_free.pop() {
                Some(std::cmp::Reverse(free)) => free,
                None => start,
            };
            self.emit(
                t,
                "MapIterationStarted",
                Details::MapIteration { name: state.name.clone(), index: i },
            );
            match self.run_machine(&m.processor, item_input, &mut t, depth + 1, item_bound) {
                Ok(out) => {
                    self.emit(
                        t,
                        "MapIterationSucceeded",
                        Details::MapIteration { name: state.name.clone(), index: i },
                    );
                    outputs.push(out);
                    result_bound = joined_bound(result_bound, self.last_bound);
                }
                Err(Stop::Failed(f)) => {
                    self.emit(
                        t,
                        "MapIterationFailed",
                        Details::MapIteration { name: state.name.clone(), index: i },
                    );
                    failed += 1;
                    if !tolerant {
                        *now = end.max(t);
                        self.emit(*now, "MapStateFailed", Details::None);
                        return Err(Stop::Failed(f));
                    }
                    let error_output = f.to_error_payload();
                    result_bound = joined_bound(result_bound, Some(json_size(&error_output)));
                    outputs.push(error_output);
                    first_failure.get_or_insert(f);
                }
                Err(other) => {
                    self.emit(
                        t,
                        "MapIterationAborted",
                        Details::MapIteration { name: state.name.clone(), index: i },
                    );
                    *now = end.max(t);
                    self.emit(*now, "MapStateAborted", Details::None);
                    return Err(other);
                }
            }
            if bounded {
                slot_free.push(std::cmp::Reverse(t));
            }
            end = end.max(t);
        }
        *now = end;
        if tolerant && failed > 0 {
            let over_count = tolerated_count.is_some_and(|c| failed as u64 > c);
            let over_pct =
                tolerated_pct.is_some_and(|p| (failed as f64) * 100.0 / (items.len() as f64) > p);
            if over_count || over_pct {
                self.emit(*now, "MapStateFailed", Details::None);
                return Err(Stop::Failed(Failure::new(
                    errors::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                    format!(
                        "The number of failed items ({failed} of {}) exceeded the tolerated failure threshold.",
                        items.len()
                    ),
                )));
            }
        }
        self.cursor = self.events.len() as u64;
        self.emit(*now, "MapStateSucceeded", Details::None);
        self.finish(&m.handling, &raw_input, Payload::array(outputs), result_bound, visit, trace)
    }
}

/// Adds one element's bound (and its comma) to an array's bound; `None` when either is unknown.
fn joined_bound(array: Option<usize>, element: Option<usize>) -> Option<usize> {
    array?.checked_add(element?)?.checked_add(1)
}
