//! Parallel branches and Map iterations, concurrent in logical time.

use super::s3_inventory;
use super::*;
use crate::map_run::{ChildExecution, ChildOutcome, MAX_MAP_RUN_REDRIVES, MapRun};
use crate::states::{Distributed, InputType, ItemBatcher, ItemReader};

impl Runner {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn parallel_attempt(
        &mut self,
        state: &State,
        p: &Parallel,
        raw_input: &Data,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
        depth: usize,
    ) -> Result<Data, Stop> {
        let branch_input = match &p.handling.parameters {
            _ if state.jsonata.is_some() => {
                let j = state.jsonata.as_deref().expect("checked");
                self.jsonata_arguments(j, effective, visit, trace)?
            }
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
        // Redriven: branches that succeeded keep their output, the others re-enter.
        let redo = self.resume_branches();
        for (b, branch) in p.branches.iter().enumerate() {
            // Every branch continues from ParallelStateStarted, as concurrent branches do.
            self.cursor = fork;
            let mut t = start;
            match redo.as_ref().and_then(|r| r.get(b)) {
                Some(Redo::Keep(out)) => {
                    outputs.push(out.clone());
                    result_bound = None;
                    continue;
                }
                Some(Redo::Resume(r)) => self.resume = Some(r.clone()),
                Some(Redo::Fresh) | None => {}
            }
            match self.run_scoped(
                branch,
                branch_input.clone(),
                &mut t,
                depth + 1,
                branch_bound,
                true,
            ) {
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
        self.finish(
            state,
            &p.handling,
            raw_input,
            Payload::array(outputs),
            result_bound,
            visit,
            trace,
        )
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn map_attempt(
        &mut self,
        state: &State,
        m: &MapState,
        raw_input: &Data,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
        depth: usize,
    ) -> Result<Data, Stop> {
        if let Some(d) = &m.distributed {
            return self.distributed_map_attempt(
                state, m, d, raw_input, effective, now, visit, trace, depth,
            );
        }
        let jsonata_items = match state.jsonata.as_deref().and_then(|j| j.items.as_ref()) {
            Some(items) => {
                Some(self.jeval(items, "Items", visit, jsonata::Stage::input(effective))?)
            }
            None => None,
        };
        let items_value = match &m.items_path {
            _ if jsonata_items.is_some() => {
                std::borrow::Cow::Owned(jsonata_items.clone().expect("checked"))
            }
            PathField::Path(p) => {
                match p.select_ref(self.path_root(p, effective, visit).map_err(Stop::Failed)?) {
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
                }
            }
            _ => std::borrow::Cow::Borrowed(effective),
        };
        let Payload::Array(items) = &*items_value else {
            return Err(Stop::Failed(runtime(
                visit,
                &format!("Map state input must be a JSON array (ItemsPath); got: {}", items_value),
            )));
        };
        let items = items.clone();
        let j = state.jsonata.as_deref();
        let (tolerated_count, tolerated_pct, max_concurrency) =
            self.map_limits(m, j, effective, visit)?;
        let tolerant = tolerated_count.is_some() || tolerated_pct.is_some();
        let fork =
            self.emit(*now, "MapStateStarted", Details::MapStateStarted { length: items.len() });
        // Room for every iteration visiting each state of the processor once (its start and end
        // events and two per state), within the history limit and a million records (64 MB; a
        // larger Map grows the vector as it goes).
        let per_iteration = 2 + 2 * m.processor.states.len();
        let room = self.opts.limits.max_history_events.saturating_sub(self.events.len());
        self.events.reserve(items.len().saturating_mul(per_iteration).min(room).min(1 << 20));
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
        // Redriven: iterations that succeeded keep their output, the others re-enter.
        let redo = self.resume_branches();
        for (i, item) in items.iter().enumerate() {
            if let Some(Redo::Keep(out)) = redo.as_ref().and_then(|r| r.get(i)) {
                outputs.push(out.clone());
                result_bound = None;
                continue;
            }
            let item_input = self.select_item(m, j, effective, visit, i, item)?;
            if let Some(Redo::Resume(r)) = redo.as_ref().and_then(|r| r.get(i)) {
                self.resume = Some(r.clone());
            }
            self.cursor = fork;
            let mut t = match slot_free.pop() {
                Some(std::cmp::Reverse(free)) => free,
                None => start,
            };
            self.emit_map_iteration(t, "MapIterationStarted", state.id, i);
            match self.run_scoped(&m.processor, item_input, &mut t, depth + 1, item_bound, true) {
                Ok(out) => {
                    self.emit_map_iteration(t, "MapIterationSucceeded", state.id, i);
                    outputs.push(out);
                    result_bound = joined_bound(result_bound, self.last_bound);
                }
                Err(Stop::Failed(f)) => {
                    self.emit_map_iteration(t, "MapIterationFailed", state.id, i);
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
                    self.emit_map_iteration(t, "MapIterationAborted", state.id, i);
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
        self.finish(
            state,
            &m.handling,
            raw_input,
            Payload::array(outputs),
            result_bound,
            visit,
            trace,
        )
    }
}

impl Runner {
    /// A Distributed Map: items from the input or an `ItemReader`, optionally batched, each child
    /// run as its own execution whose events stay out of this history (AWS keeps child workflow
    /// executions' histories apart); the parent records `MapRunStarted` and `MapRunSucceeded` /
    /// `MapRunFailed` between `MapStateStarted` and `MapStateSucceeded` / `MapStateFailed`.
    ///
    /// Redriven, the same Map Run continues (`MapRunRedriven` instead of `MapRunStarted`): its
    /// children that succeeded keep their output and the others run again with their input, so
    /// the `ItemReader` is not read again; the failure threshold is then evaluated on all its
    /// children (developer guide, "Redriving Map Runs").
    #[allow(clippy::too_many_arguments)]
    fn distributed_map_attempt(
        &mut self,
        state: &State,
        m: &MapState,
        d: &Distributed,
        raw_input: &Data,
        effective: &Data,
        now: &mut i64,
        visit: &mut Visit,
        trace: &mut Tracer,
        depth: usize,
    ) -> Result<Data, Stop> {
        let j = state.jsonata.as_deref();
        let redriven = match self.resume_inner.take() {
            Some(Inner::MapRun(run)) => Some(run),
            _ => None,
        };
        let mut children = match &redriven {
            Some(run) => run.children.clone(),
            None => self.fresh_children(state, m, d, effective, visit)?,
        };
        let (tolerated_count, tolerated_pct, max_concurrency) =
            self.map_limits(m, j, effective, visit)?;
        let total_items: usize = children.iter().map(|c| c.items).sum();
        self.emit(*now, "MapStateStarted", Details::MapStateStarted { length: total_items });
        let label = d.label.as_deref().unwrap_or(&state.name);
        let (map_run_arn, redrive_count) = match redriven {
            Some(run) if run.redrive_count >= MAX_MAP_RUN_REDRIVES => {
                self.emit(*now, "MapStateFailed", Details::None);
                return Err(Stop::Failed(runtime(
                    visit,
                    &format!(
                        "The Map Run {} has been redriven {MAX_MAP_RUN_REDRIVES} times, its hard limit.",
                        run.arn
                    ),
                )));
            }
            Some(run) => {
                let count = run.redrive_count + 1;
                let details = Details::MapRunRedriven {
                    map_run_arn: Arc::from(run.arn.as_str()),
                    redrive_count: count,
                };
                self.emit(*now, "MapRunRedriven", details);
                (run.arn, count)
            }
            None => {
                let mut bytes = [0u8; 16];
                self.rng.borrow_mut().fill(&mut bytes);
                let run_id = uuid::Builder::from_random_bytes(bytes).into_uuid();
                let arn = format!(
                    "arn:aws:states:{}:{}:mapRun:{}/{label}:{run_id}",
                    self.opts.region, self.opts.account, self.opts.state_machine_name,
                );
                let details = Details::MapRunStarted { map_run_arn: Arc::from(arn.as_str()) };
                self.emit(*now, "MapRunStarted", details);
                (arn, 0)
            }
        };
        let after_started = self.cursor;
        let start = *now;
        let to_run = children.iter().filter(|c| !succeeded(c)).count();
        let bounded = max_concurrency > 0 && (max_concurrency as usize) < to_run;
        let slots = if bounded { max_concurrency as usize } else { 0 };
        let mut slot_free =
            std::collections::BinaryHeap::from(vec![std::cmp::Reverse(start); slots]);
        let mut end = start;
        for child in children.iter_mut().filter(|c| !succeeded(c)) {
            // A child execution: its events are dropped from this history once it ends.
            let mark = self.events.len();
            let trace_mark = self.traces.len();
            self.cursor = after_started;
            let mut t = match slot_free.pop() {
                Some(std::cmp::Reverse(free)) => free,
                None => start,
            };
            child.start_ms = t;
            let outcome =
                self.run_scoped(&m.processor, child.input.clone(), &mut t, depth + 1, None, false);
            self.events.truncate(mark);
            self.traces.truncate(trace_mark);
            child.stop_ms = t;
            if child.outcome != ChildOutcome::Pending {
                child.redrive_count += 1;
            }
            match outcome {
                Ok(out) => child.outcome = ChildOutcome::Succeeded(out),
                Err(Stop::Failed(f)) => child.outcome = ChildOutcome::Failed(f),
                Err(other) => {
                    child.outcome = ChildOutcome::Aborted;
                    self.keep_map_run(MapRun { arn: map_run_arn, redrive_count, children });
                    self.cursor = after_started;
                    *now = end.max(t);
                    if matches!(other, Stop::Aborted) {
                        self.emit(*now, "MapStateAborted", Details::None);
                    }
                    return Err(other);
                }
            }
            if d.writer.is_some() && child.name.is_empty() {
                let mut bytes = [0u8; 16];
                self.rng.borrow_mut().fill(&mut bytes);
                child.name = uuid::Builder::from_random_bytes(bytes).into_uuid().to_string();
            }
            if bounded {
                slot_free.push(std::cmp::Reverse(t));
            }
            end = end.max(t);
        }
        *now = end;
        self.cursor = after_started;
        let failed_items: usize = children
            .iter()
            .filter(|c| matches!(c.outcome, ChildOutcome::Failed(_)))
            .map(|c| c.items)
            .sum();
        // With no tolerance configured, AWS tolerates no failure (a threshold of 0); with
        // either threshold set, exceeding either fails the Map Run.
        let failed_pct = if total_items == 0 {
            0.0
        } else {
            (failed_items as f64) * 100.0 / (total_items as f64)
        };
        let over = match (tolerated_count, tolerated_pct) {
            (None, None) => failed_items > 0,
            (c, p) => {
                c.is_some_and(|c| failed_items as u64 > c) || p.is_some_and(|p| failed_pct > p)
            }
        };
        let result = if over {
            Err(Failure::new(
                errors::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                format!(
                    "The number of failed items ({failed_items} of {total_items}) exceeded the tolerated failure threshold."
                ),
            ))
        } else {
            match &d.writer {
                None => Ok(Payload::array(children.iter().map(child_result).collect())),
                Some(w) => {
                    let run_id = map_run_arn.rsplit(':').next().unwrap_or_default().to_owned();
                    let run = MapRunInfo { arn: &map_run_arn, run_id, label };
                    self.write_results(w, &run, &children, effective, visit)
                }
            }
        };
        self.keep_map_run(MapRun { arn: map_run_arn, redrive_count, children });
        match result {
            Ok(result) => {
                self.emit(*now, "MapRunSucceeded", Details::None);
                self.emit(*now, "MapStateSucceeded", Details::None);
                self.finish(state, &m.handling, raw_input, result, None, visit, trace)
            }
            Err(f) => {
                self.emit(*now, "MapRunFailed", Details::MapRunFailed(f.clone()));
                self.emit(*now, "MapStateFailed", Details::None);
                Err(Stop::Failed(f))
            }
        }
    }

    /// A new Map Run's children: the items (from the input or the `ItemReader`), each through
    /// `ItemSelector`, then batched by the `ItemBatcher`; none started.
    fn fresh_children(
        &self,
        state: &State,
        m: &MapState,
        d: &Distributed,
        effective: &Data,
        visit: &Visit,
    ) -> Result<Vec<ChildExecution>, Stop> {
        let j = state.jsonata.as_deref();
        let jsonata_items = match j.and_then(|j| j.items.as_ref()) {
            Some(items) => {
                Some(self.jeval(items, "Items", visit, jsonata::Stage::input(effective))?)
            }
            None => None,
        };
        let items: Vec<Payload> = match &d.reader {
            Some(r) => self.read_items(r, effective, visit).map_err(Stop::Failed)?,
            None if jsonata_items.is_some() => {
                match jsonata_items.as_ref().and_then(Payload::as_array) {
                    Some(a) => a.to_vec(),
                    None => {
                        return Err(Stop::Failed(self.query_failed(
                            visit,
                            "Items",
                            &format!(
                                "The value of the field 'Items' must be a JSON array, not {}",
                                jsonata_items.unwrap_or_default()
                            ),
                        )));
                    }
                }
            }
            None => {
                let value = match &m.items_path {
                    PathField::Path(p) => p
                        .select(self.path_root(p, effective, visit).map_err(Stop::Failed)?)
                        .ok_or_else(|| {
                            Stop::Failed(runtime(
                                visit,
                                &format!(
                                    "Invalid path '{}' : No results for path: {}",
                                    p.as_str(),
                                    p.normalized()
                                ),
                            ))
                        })?,
                    _ => effective.clone(),
                };
                match value.as_array() {
                    Some(a) => a.to_vec(),
                    None => {
                        return Err(Stop::Failed(runtime(
                            visit,
                            &format!(
                                "Map state input must be a JSON array (ItemsPath); got: {value}"
                            ),
                        )));
                    }
                }
            }
        };
        // ItemSelector applies to each item, before batching.
        let mut selected = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            selected.push(self.select_item(m, j, effective, visit, i, item)?);
        }
        let batches: Vec<(Payload, usize)> = match &d.batcher {
            None => selected.into_iter().map(|v| (v, 1)).collect(),
            Some(b) => self.batch(b, selected, effective, visit)?,
        };
        let pending = |(input, items)| ChildExecution {
            name: String::new(),
            items,
            input,
            outcome: ChildOutcome::Pending,
            start_ms: 0,
            stop_ms: 0,
            redrive_count: 0,
        };
        Ok(batches.into_iter().map(pending).collect())
    }

    /// Records a Map Run as it now stands, in place of its earlier state.
    fn keep_map_run(&mut self, run: MapRun) {
        match self.map_runs.iter_mut().find(|r| r.arn == run.arn) {
            Some(kept) => *kept = run,
            None => self.map_runs.push(run),
        }
    }

    /// A redriven Parallel's branches or Inline Map's iterations.
    fn resume_branches(&mut self) -> Option<Vec<Redo>> {
        match self.resume_inner.take() {
            Some(Inner::Branches(redo)) => Some(redo),
            _ => None,
        }
    }

    /// `s3:listObjectsV2`: one item per object of the bucket whose key starts with `Prefix`, in
    /// key order, shaped as the developer guide's ItemReader example shows them (`Etag`, `Key`,
    /// `LastModified` in epoch seconds, `Size`, `StorageClass`).
    fn list_objects(
        &self,
        r: &ItemReader,
        params: &Payload,
        effective: &Data,
        visit: &Visit,
    ) -> Result<Vec<Payload>, Failure> {
        use md5::Digest as _;
        let reader_failed = |cause: String| Failure::new(errors::ITEM_READER_FAILED, cause);
        let Some(bucket) = params.get("Bucket").and_then(Payload::as_str) else {
            return Err(reader_failed(format!(
                "the ItemReader parameters need a string \"Bucket\", got {params}"
            )));
        };
        let prefix = params.get("Prefix").and_then(Payload::as_str).unwrap_or("");
        let Some(root) = &self.opts.s3_root else {
            return Err(reader_failed(format!(
                "s3://{bucket}/{prefix}: no local directory stands in for S3 (stepwise run --s3-root DIR)"
            )));
        };
        if bucket.is_empty() || bucket.contains(['/', '\\']) || bucket == ".." {
            return Err(reader_failed(format!("s3://{bucket}: not a local bucket name")));
        }
        let dir = root.join(bucket);
        let mut files: Vec<(String, std::path::PathBuf)> = Vec::new();
        let mut stack = vec![(dir.clone(), String::new())];
        while let Some((path, key_prefix)) = stack.pop() {
            let entries = std::fs::read_dir(&path).map_err(|e| {
                reader_failed(format!("s3://{bucket}/ (local {}): {e}", path.display()))
            })?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let key = format!("{key_prefix}{name}");
                let Ok(kind) = entry.file_type() else { continue };
                if kind.is_dir() {
                    stack.push((entry.path(), format!("{key}/")));
                } else if kind.is_file() && key.starts_with(prefix) {
                    files.push((key, entry.path()));
                }
            }
        }
        files.sort();
        let max = self
            .resolve_seconds(r.max_items.as_ref(), effective, visit)?
            .filter(|n| *n > 0)
            .map_or(usize::MAX, |n| n as usize);
        let mut items = Vec::new();
        for (key, path) in files.into_iter().take(max) {
            let bytes = std::fs::read(&path)
                .map_err(|e| reader_failed(format!("s3://{bucket}/{key}: {e}")))?;
            let modified = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_secs());
            let etag: String =
                md5::Md5::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
            let mut o = Object::with_capacity(5);
            o.insert(Arc::from("Etag"), Payload::string(format!("\"{etag}\"")));
            o.insert(Arc::from("Key"), Payload::string(key));
            o.insert(Arc::from("LastModified"), Payload::from(modified));
            o.insert(Arc::from("Size"), Payload::from(bytes.len() as u64));
            o.insert(Arc::from("StorageClass"), Payload::string("STANDARD"));
            items.push(Payload::object(o));
        }
        Ok(items)
    }

    /// One iteration's input: `ItemSelector` (JSONata with `$states.context.Map.Item`, or a
    /// JSONPath template with `$$.Map.Item`), or the item itself.
    fn select_item(
        &self,
        m: &MapState,
        j: Option<&crate::states::JsonataFields>,
        effective: &Data,
        visit: &Visit,
        index: usize,
        item: &Payload,
    ) -> Result<Payload, Stop> {
        match (j.and_then(|j| j.item_selector.as_ref()), &m.item_selector) {
            (Some(sel), _) => {
                let stage = jsonata::Stage {
                    input: Some(effective),
                    map_item: Some((index, item)),
                    ..jsonata::Stage::default()
                };
                self.jeval(sel, "ItemSelector", visit, stage)
            }
            (None, Some(t)) => self.eval_template(t, effective, visit, Some((index, item)), false),
            (None, None) => Ok(item.clone()),
        }
    }

    /// A Map's `MaxConcurrency` and tolerated failure thresholds, literal, from a path, or
    /// (JSONata) from an expression.
    fn map_limits(
        &self,
        m: &MapState,
        j: Option<&crate::states::JsonataFields>,
        effective: &Data,
        visit: &Visit,
    ) -> Result<(Option<u64>, Option<f64>, u64), Stop> {
        let max_concurrency = match j.and_then(|j| j.max_concurrency.as_ref()) {
            Some(e) => self.jseconds(Some(e), "MaxConcurrency", visit, effective)?,
            None => self
                .resolve_seconds(m.max_concurrency.as_ref(), effective, visit)
                .map_err(Stop::Failed)?,
        }
        .unwrap_or(0);
        let tolerated_count = match j.and_then(|j| j.tolerated_count.as_ref()) {
            Some(e) => self.jseconds(Some(e), "ToleratedFailureCount", visit, effective)?,
            None => self
                .resolve_seconds(m.tolerated_count.as_ref(), effective, visit)
                .map_err(Stop::Failed)?,
        };
        let jsonata_pct = match j.and_then(|j| j.tolerated_percentage.as_ref()) {
            Some(e) => {
                let v = self.jeval(
                    e,
                    "ToleratedFailurePercentage",
                    visit,
                    jsonata::Stage::input(effective),
                )?;
                Some(v.as_f64().filter(|p| (0.0..=100.0).contains(p)).ok_or_else(|| {
                    Stop::Failed(self.query_failed(
                        visit,
                        "ToleratedFailurePercentage",
                        &format!("The value of the field 'ToleratedFailurePercentage' must be a number from 0 to 100, not {v}"),
                    ))
                })?)
            }
            None => None,
        };
        let tolerated_pct = match &m.tolerated_percentage {
            _ if jsonata_pct.is_some() => jsonata_pct,
            None => None,
            Some(PercentOrPath::Fixed(f)) => Some(*f),
            Some(PercentOrPath::Path(p)) => {
                let root = self.path_root(p, effective, visit).map_err(Stop::Failed)?;
                Some(p.select_ref(root).and_then(Payload::as_f64).ok_or_else(|| {
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
        Ok((tolerated_count, tolerated_pct, max_concurrency))
    }

    /// Shapes the children's results as `WriterConfig` says and, with `Resource` and
    /// `Parameters`, writes them to the local S3 stand-in as AWS lays them out (developer guide,
    /// ResultWriter (Map), Exporting to Amazon S3): `PREFIX/RUN_ID/manifest.json` listing
    /// `SUCCEEDED_0.json` and `FAILED_0.json`; the state's result is then the Map Run ARN and the
    /// manifest's location. A write that fails is `States.ResultWriterFailed`.
    fn write_results(
        &self,
        w: &crate::states::ResultWriter,
        run: &MapRunInfo<'_>,
        children: &[ChildExecution],
        effective: &Data,
        visit: &Visit,
    ) -> Result<Payload, Failure> {
        use crate::states::Transformation;
        let sm_arn = format!(
            "arn:aws:states:{}:{}:stateMachine:{}",
            self.opts.region, self.opts.account, self.opts.state_machine_name
        );
        let metadata = |c: &ChildExecution| -> Payload {
            let mut o = Object::with_capacity(14);
            let mut put = |k: &str, v: Payload| {
                o.insert(Arc::from(k), v);
            };
            put(
                "ExecutionArn",
                Payload::string(format!(
                    "arn:aws:states:{}:{}:execution:{}/{}:{}",
                    self.opts.region,
                    self.opts.account,
                    self.opts.state_machine_name,
                    run.label,
                    c.name
                )),
            );
            put("Input", Payload::string(c.input.to_string()));
            put("InputDetails", included());
            put("Name", Payload::string(c.name.as_str()));
            match &c.outcome {
                ChildOutcome::Succeeded(out) => {
                    put("Output", Payload::string(out.to_string()));
                    put("OutputDetails", included());
                }
                ChildOutcome::Failed(f) => {
                    put("Error", Payload::string(f.error_name()));
                    put("Cause", Payload::string(f.cause.as_deref().unwrap_or("")));
                }
                ChildOutcome::Pending | ChildOutcome::Aborted => {}
            }
            put("RedriveCount", Payload::from(c.redrive_count));
            put("StartDate", Payload::string(iso_millis(c.start_ms)));
            put("StateMachineArn", Payload::string(sm_arn.as_str()));
            put("Status", Payload::string(if succeeded(c) { "SUCCEEDED" } else { "FAILED" }));
            put("StopDate", Payload::string(iso_millis(c.stop_ms)));
            Payload::object(o)
        };
        // A failed child is always given with its metadata ("the result is the same as NONE").
        let shaped =
            |c: &ChildExecution, out: &mut Vec<Payload>| match (&c.outcome, w.transformation) {
                (ChildOutcome::Succeeded(v), Transformation::Compact) => out.push(v.clone()),
                (ChildOutcome::Succeeded(v), Transformation::Flatten) => match v.as_array() {
                    Some(items) => out.extend(items.iter().cloned()),
                    None => out.push(v.clone()),
                },
                _ => out.push(metadata(c)),
            };
        let Some(params) = &w.parameters else {
            let mut out = Vec::with_capacity(children.len());
            for c in children {
                shaped(c, &mut out);
            }
            return Ok(Payload::array(out));
        };
        let failed = |cause: String| Failure::new(errors::RESULT_WRITER_FAILED, cause);
        let params =
            self.eval_template(params, effective, visit, None, false).map_err(|s| match s {
                Stop::Failed(f) => f,
                _ => failed("the ResultWriter parameters could not be evaluated".into()),
            })?;
        let Some(bucket) = params.get("Bucket").and_then(Payload::as_str) else {
            return Err(failed(format!(
                "the ResultWriter parameters need a string \"Bucket\", got {params}"
            )));
        };
        let prefix = params.get("Prefix").and_then(Payload::as_str).unwrap_or("");
        let Some(root) = &self.opts.s3_root else {
            return Err(failed(format!(
                "s3://{bucket}/{prefix}: no local directory stands in for S3 (stepwise run --s3-root DIR)"
            )));
        };
        let unsafe_part = |s: &str| {
            s.split(['/', '\\']).any(|c| c == "..") || s.starts_with('/') || s.contains('\0')
        };
        if unsafe_part(bucket) || bucket.contains('/') || bucket.is_empty() || unsafe_part(prefix) {
            return Err(failed(format!("s3://{bucket}/{prefix}: not a local object path")));
        }
        let folder = if prefix.is_empty() {
            run.run_id.clone()
        } else {
            format!("{}/{}", prefix.trim_end_matches('/'), run.run_id)
        };
        let dir = root.join(bucket).join(&folder);
        std::fs::create_dir_all(&dir).map_err(|e| {
            failed(format!("s3://{bucket}/{folder} (local {}): {e}", dir.display()))
        })?;
        let mut listing = Object::with_capacity(3);
        for (status, ok) in [("FAILED", false), ("PENDING", false), ("SUCCEEDED", true)] {
            let mut entries = Vec::new();
            let mut results = Vec::new();
            if status != "PENDING" {
                for c in children.iter().filter(|c| succeeded(c) == ok) {
                    shaped(c, &mut results);
                }
            }
            if !results.is_empty() {
                let name = format!("{status}_0.json");
                let text = if w.jsonl {
                    results.iter().map(|r| format!("{r}\n")).collect::<String>()
                } else {
                    Payload::array(results).to_string()
                };
                let path = dir.join(&name);
                write_atomically(&path, text.as_bytes()).map_err(|e| {
                    failed(format!("s3://{bucket}/{folder}/{name} (local {}): {e}", path.display()))
                })?;
                let mut entry = Object::with_capacity(2);
                entry.insert(Arc::from("Key"), Payload::string(format!("{folder}/{name}")));
                entry.insert(Arc::from("Size"), Payload::from(text.len() as u64));
                entries.push(Payload::object(entry));
            }
            listing.insert(Arc::from(status), Payload::array(entries));
        }
        let mut manifest = Object::with_capacity(3);
        manifest.insert(Arc::from("DestinationBucket"), Payload::string(bucket));
        manifest.insert(Arc::from("MapRunArn"), Payload::string(run.arn));
        manifest.insert(Arc::from("ResultFiles"), Payload::object(listing));
        let manifest_key = format!("{folder}/manifest.json");
        let path = dir.join("manifest.json");
        write_atomically(&path, Payload::object(manifest).to_string().as_bytes()).map_err(|e| {
            failed(format!("s3://{bucket}/{manifest_key} (local {}): {e}", path.display()))
        })?;
        let mut details = Object::with_capacity(2);
        details.insert(Arc::from("Bucket"), Payload::string(bucket));
        details.insert(Arc::from("Key"), Payload::string(manifest_key));
        let mut out = Object::with_capacity(2);
        out.insert(Arc::from("MapRunArn"), Payload::string(run.arn));
        out.insert(Arc::from("ResultWriterDetails"), Payload::object(details));
        Ok(Payload::object(out))
    }

    /// Groups items into `{"BatchInput": ..., "Items": [...]}` children; each with its item count.
    fn batch(
        &self,
        b: &ItemBatcher,
        items: Vec<Payload>,
        effective: &Data,
        visit: &Visit,
    ) -> Result<Vec<(Payload, usize)>, Stop> {
        let max_items = self
            .resolve_seconds(b.max_items.as_ref(), effective, visit)
            .map_err(Stop::Failed)?
            .filter(|n| *n > 0)
            .map_or(usize::MAX, |n| n as usize);
        let max_bytes = self
            .resolve_seconds(b.max_bytes.as_ref(), effective, visit)
            .map_err(Stop::Failed)?
            .filter(|n| *n > 0)
            .map_or(usize::MAX, |n| n as usize);
        let batch_input = match &b.batch_input {
            Some(t) => Some(self.eval_template(t, effective, visit, None, false)?),
            None => None,
        };
        let keys = (Arc::<str>::from("BatchInput"), Arc::<str>::from("Items"));
        let make = |group: Vec<Payload>| {
            let mut o = Object::with_capacity(2);
            if let Some(bi) = &batch_input {
                o.insert(keys.0.clone(), bi.clone());
            }
            let n = group.len();
            o.insert(keys.1.clone(), Payload::array(group));
            (Payload::object(o), n)
        };
        let mut out = Vec::new();
        let mut group = Vec::new();
        let mut bytes = 2usize;
        for item in items {
            let size = json_size(&item) + 1;
            if !group.is_empty() && (group.len() >= max_items || bytes + size > max_bytes) {
                out.push(make(std::mem::take(&mut group)));
                bytes = 2;
            }
            bytes += size;
            group.push(item);
        }
        if !group.is_empty() {
            out.push(make(group));
        }
        Ok(out)
    }

    /// Reads the items of an `ItemReader` from the local stand-in for S3.
    fn read_items(
        &self,
        r: &ItemReader,
        effective: &Data,
        visit: &Visit,
    ) -> Result<Vec<Payload>, Failure> {
        let reader_failed = |cause: String| Failure::new(errors::ITEM_READER_FAILED, cause);
        let params = self.eval_template(&r.parameters, effective, visit, None, false).map_err(
            |s| match s {
                Stop::Failed(f) => f,
                _ => reader_failed("the ItemReader parameters could not be evaluated".into()),
            },
        )?;
        if r.list_objects {
            return self.list_objects(r, &params, effective, visit);
        }
        let bucket = params.get("Bucket").and_then(Payload::as_str);
        let key = params.get("Key").and_then(Payload::as_str);
        let (Some(bucket), Some(key)) = (bucket, key) else {
            return Err(reader_failed(format!(
                "the ItemReader parameters need string \"Bucket\" and \"Key\", got {params}"
            )));
        };
        let Some(root) = &self.opts.s3_root else {
            return Err(reader_failed(format!(
                "s3://{bucket}/{key}: no local directory stands in for S3 (stepwise run --s3-root DIR)"
            )));
        };
        let text = read_object_text(root, bucket, key).map_err(reader_failed)?;
        let max = self
            .resolve_seconds(r.max_items.as_ref(), effective, visit)?
            .filter(|n| *n > 0)
            .map_or(usize::MAX, |n| n as usize);
        let mut items = match r.input_type {
            InputType::Json => match Payload::parse(&text) {
                Ok(Payload::Array(a)) => a.to_vec(),
                Ok(_) => {
                    return Err(reader_failed(format!(
                        "s3://{bucket}/{key}: a JSON item file must hold an array"
                    )));
                }
                Err(e) => return Err(reader_failed(format!("s3://{bucket}/{key}: {e}"))),
            },
            InputType::Jsonl => {
                let mut out = Vec::new();
                for (n, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    out.push(Payload::parse(line).map_err(|e| {
                        reader_failed(format!("s3://{bucket}/{key} line {}: {e}", n + 1))
                    })?);
                }
                out
            }
            InputType::Csv => {
                let rows = parse_csv(&text, r.csv_delimiter)
                    .map_err(|e| reader_failed(format!("s3://{bucket}/{key}: {e}")))?;
                let mut rows = rows.into_iter();
                let headers: Vec<Arc<str>> = match &r.csv_headers {
                    Some(h) => h.iter().map(|s| Arc::from(s.as_str())).collect(),
                    None => match rows.next() {
                        Some(h) => h.iter().map(|s| Arc::from(s.as_str())).collect(),
                        None => Vec::new(),
                    },
                };
                let mut out = Vec::new();
                csv_objects(&headers, rows, &format!("s3://{bucket}/{key}"), &mut out)
                    .map_err(reader_failed)?;
                out
            }
            InputType::Manifest => inventory_items(root, bucket, key, &text, r, max)
                .map_err(|e| reader_failed(format!("s3://{bucket}/{key}: {e}")))?,
        };
        items.truncate(max);
        Ok(items)
    }
}

/// The text of `s3://BUCKET/KEY` in the local stand-in, decompressed by its extension.
fn read_object_text(root: &std::path::Path, bucket: &str, key: &str) -> Result<String, String> {
    // Keys are paths inside the bucket directory: no escaping it with `..` or a root.
    let unsafe_part =
        |s: &str| s.split(['/', '\\']).any(|c| c == "..") || s.starts_with('/') || s.contains('\0');
    if unsafe_part(bucket) || bucket.contains('/') || unsafe_part(key) {
        return Err(format!("s3://{bucket}/{key}: not a local object path"));
    }
    let path = root.join(bucket).join(key);
    let local = |e: String| format!("s3://{bucket}/{key} (local file {}): {e}", path.display());
    let bytes = std::fs::read(&path).map_err(|e| local(e.to_string()))?;
    let bytes = s3_inventory::decompress(key, bytes).map_err(local)?;
    String::from_utf8(bytes).map_err(|e| local(format!("not UTF-8 text: {e}")))
}

/// The rows of the CSV data files an S3 inventory manifest lists, as objects keyed by its
/// `fileSchema` (or by `CSVHeaders` when `CSVHeaderLocation` is `GIVEN`), at most `max`.
fn inventory_items(
    root: &std::path::Path,
    bucket: &str,
    key: &str,
    manifest: &str,
    r: &ItemReader,
    max: usize,
) -> Result<Vec<Payload>, String> {
    let m = s3_inventory::parse_manifest(manifest)?;
    let columns: Vec<Arc<str>> = match &r.csv_headers {
        Some(h) => h.iter().map(|s| Arc::from(s.as_str())).collect(),
        None => m.columns,
    };
    let data_bucket = m.bucket.as_deref().unwrap_or(bucket);
    let mut items = Vec::new();
    for file in &m.files {
        if items.len() >= max {
            break;
        }
        let text = read_object_text(root, data_bucket, file)?;
        let rows = parse_csv(&text, r.csv_delimiter)
            .map_err(|e| format!("inventory file s3://{data_bucket}/{file}: {e}"))?;
        let what = format!("inventory file s3://{data_bucket}/{file} (fileSchema of {key})");
        csv_objects(&columns, rows, &what, &mut items)?;
    }
    Ok(items)
}

/// CSV rows as objects keyed by `headers`, every value a string (as AWS gives them); a row whose
/// field count differs from the headers' is an error naming `what`.
fn csv_objects(
    headers: &[Arc<str>],
    rows: impl IntoIterator<Item = Vec<String>>,
    what: &str,
    out: &mut Vec<Payload>,
) -> Result<(), String> {
    for (n, row) in rows.into_iter().enumerate() {
        if row.len() != headers.len() {
            return Err(format!(
                "{what}: row {} has {} fields, the header {}",
                n + 1,
                row.len(),
                headers.len()
            ));
        }
        let obj: Object = headers.iter().cloned().zip(row.into_iter().map(Payload::from)).collect();
        out.push(Payload::object(obj));
    }
    Ok(())
}

/// RFC 4180 CSV: quoted fields may hold the delimiter, line breaks and doubled quotes; blank
/// lines are skipped.
fn parse_csv(text: &str, delimiter: char) -> Result<Vec<Vec<String>>, String> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => {
                quoted = true;
                any = true;
            }
            c if c == delimiter => {
                row.push(std::mem::take(&mut field));
                any = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if any || !field.is_empty() {
                    row.push(std::mem::take(&mut field));
                    rows.push(std::mem::take(&mut row));
                }
                any = false;
            }
            c => {
                field.push(c);
                any = true;
            }
        }
    }
    if quoted {
        return Err("unterminated quoted field".into());
    }
    if any || !field.is_empty() {
        row.push(field);
        rows.push(row);
    }
    Ok(rows)
}

/// Adds one element's bound (and its comma) to an array's bound; `None` when either is unknown.
fn joined_bound(array: Option<usize>, element: Option<usize>) -> Option<usize> {
    array?.checked_add(element?)?.checked_add(1)
}

fn succeeded(c: &ChildExecution) -> bool {
    matches!(c.outcome, ChildOutcome::Succeeded(_))
}

/// A child's slot in the Map's result without a ResultWriter: its output, or within the failure
/// threshold `{"Error", "Cause"}`.
fn child_result(c: &ChildExecution) -> Payload {
    match &c.outcome {
        ChildOutcome::Succeeded(out) => out.clone(),
        ChildOutcome::Failed(f) => f.to_error_payload(),
        ChildOutcome::Pending | ChildOutcome::Aborted => Payload::Null,
    }
}

/// The Map Run a ResultWriter reports on.
struct MapRunInfo<'a> {
    arn: &'a str,
    run_id: String,
    label: &'a str,
}

fn included() -> Payload {
    let mut o = Object::with_capacity(1);
    o.insert(Arc::from("Included"), Payload::Bool(true));
    Payload::object(o)
}

/// Writes a file through a temporary sibling and a rename, so a reader never sees half of it.
fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("json.part");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}
