//! The visit of a plain Pass state: a JSONPath Pass with no InputPath, Parameters, OutputPath
//! or Assign ([`State::plain_pass`]), run while nobody watches its stages (no trace recorded,
//! no observer asked before and after each state).
//!
//! Such a visit is its entry, its `Result` (or its input) written with ResultPath, the payload
//! limit check and its exit: none of the per-visit facts the general path builds (the context
//! object's, the trace's, Assign's) is read, so none is built. It records the same events, in
//! the same order, with the same errors as the general path, which chains of Pass states
//! annotating their input (Parallel branches, Map iterations) spend most of their time in.
//!
//! Those chains have a loop of their own ([`Runner::run_field_passes`]): from one Pass adding
//! its `Result` to an object as a field (`ResultPath: "$.name"`) to the next, the object is
//! carried as its `Arc` alone (a `Payload` is three words, carried through memory: each visit
//! read back the one the visit before had just written in pieces, a store-forwarding stall),
//! and the fields the chain adds are collected into one layer, made at its end.

use std::sync::Arc;

use super::{Runner, Stop};
use crate::Data;
use crate::dataflow::{PathField, result_path_bound};
use crate::states::{Machine, State, StateNames};
use crate::value::{NewFields, Object, Payload, set_field};

/// A plain Pass's stages ([`State::plain_pass`]): its `Result`, that result's JSON size, and
/// its ResultPath.
pub(super) type PlainPass<'a> = (Option<&'a Data>, usize, &'a PathField);

/// A plain Pass that writes its `Result` into one field of an object input
/// (`ResultPath: "$.name"`): the Result, its size, the ResultPath, the field's name and the
/// names written from it on ([`State::field_run`]).
pub(super) struct FieldPass<'a> {
    result: &'a Data,
    result_size: usize,
    result_path: &'a PathField,
    key: &'a Arc<str>,
    run: Option<&'a StateNames>,
}

impl<'a> FieldPass<'a> {
    /// The field write of plain Pass `state` (its stages `pass`), when it is one.
    #[inline]
    pub(super) fn of(
        state: &'a State,
        (result, result_size, result_path): PlainPass<'a>,
    ) -> Option<Self> {
        let PathField::Path(p) = result_path else { return None };
        let key = p.single_name()?;
        Some(FieldPass { result: result?, result_size, result_path, key, run: state.field_run() })
    }
}

impl Runner {
    /// Runs plain Pass `state` on `input` entered at `now` (its size bound `input_bound`);
    /// `Ok((output, its size bound))`.
    #[inline(always)]
    pub(super) fn run_plain_pass(
        &mut self,
        state: &State,
        (result, result_size, result_path): PlainPass<'_>,
        input: Data,
        now: i64,
        input_bound: Option<usize>,
    ) -> Result<(Data, Option<usize>), Stop> {
        self.emit_entered(now, state, &input);
        let result_value = match result {
            Some(r) => r.clone(),
            None => input.clone(),
        };
        let result_bound = || result.map_or(input_bound, |_| Some(result_size));
        self.exit_pass(state, result_path, input, result_value, now, input_bound, result_bound)
    }

    /// The end of a Pass visit whose InputPath and OutputPath are `$`: `result` written into
    /// `input` with ResultPath, the payload limit check and the exit; `Ok((output, its size
    /// bound))`. `result_bound` gives the result's size bound from the input's (`input_bound`).
    #[allow(clippy::too_many_arguments)]
    #[inline(always)]
    pub(super) fn exit_pass(
        &mut self,
        state: &State,
        result_path: &PathField,
        input: Data,
        result: Data,
        now: i64,
        input_bound: Option<usize>,
        result_bound: impl FnOnce() -> Option<usize>,
    ) -> Result<(Data, Option<usize>), Stop> {
        // ResultPath `null` passes the input on: the exit shares the entry's payload.
        let passed_on = matches!(result_path, PathField::Null);
        let output = self.result_path(result_path, input, result).map_err(Stop::Failed)?;
        let output_bound = if passed_on {
            input_bound
        } else {
            // The general path's bound with InputPath and OutputPath `$`, which keep it as it is.
            let bound = self
                .bounds_enabled
                .then(|| result_path_bound(result_path, input_bound, result_bound()))
                .flatten();
            self.checked_output_size(state, &output, bound)?
        };
        self.emit_exited(now, "PassStateExited", state, &output, passed_on);
        Ok((output, output_bound))
    }

    /// Runs field-writing Pass `state` ([`FieldPass`]) on `object` entered at `now` (its size
    /// bound `bound`), then each next state while it is one too: the same events, checks and
    /// errors as [`Runner::run_plain_pass`] visit by visit. `Ok((output, the index of the
    /// state to run next or None at the machine's end, the output's size bound))`.
    ///
    /// When the next visit's field may join a layer over this output and its output is
    /// proven small, this visit's field is collected, not written: the next exit's output
    /// will be one layer of all the fields collected (`value::NewFields`), and this exit's
    /// record holds nothing (`History::push_exited_under_next`). A chain of such states makes
    /// one object and counts no reference per exit.
    pub(super) fn run_field_passes<'m>(
        &mut self,
        m: &'m Machine,
        mut state: &'m State,
        mut pass: FieldPass<'m>,
        object: Arc<Object>,
        now: i64,
        mut bound: Option<usize>,
    ) -> Result<(Data, Option<usize>, Option<usize>), Stop> {
        // The output so far is `base` plus `fields`, collected since the last exit that holds
        // its output (`under_next` is false after one: then `fields` is empty).
        let mut base = object;
        let mut fields = NewFields::new();
        let mut under_next = false;
        let limit = self.opts.limits.max_payload_bytes;
        loop {
            let entered = state.kind.entered_event();
            let id = if under_next {
                self.events.push_entered_after_exit(self.cursor, now, entered, state.id)
            } else {
                if !self.evaluation_failures.get_mut().is_empty() {
                    self.emit_evaluation_failures(now);
                }
                self.events.push_entered_object(self.cursor, now, entered, state.id, &base)
            };
            self.observe(id);
            let result = pass.result.clone();
            if under_next {
                fields.push(pass.key, result, pass.run);
            } else {
                base = set_field(base, pass.key, result);
            }
            let output_bound = self
                .bounds_enabled
                .then(|| result_path_bound(pass.result_path, bound, Some(pass.result_size)))
                .flatten();
            bound = if output_bound.is_some_and(|b| b <= limit) {
                output_bound
            } else {
                // Not after an exit held under this one, which needs this bound proven: the
                // output is `base`.
                let output = Payload::Object(Arc::clone(&base));
                self.checked_output_size(state, &output, output_bound)?
            };
            let next = state.next.map(|n| &m.states[n]);
            let next = next.and_then(|s| Some((s, FieldPass::of(s, s.plain_pass()?)?)));
            under_next = next.as_ref().is_some_and(|(_, p)| {
                !self.watch_events
                    && self.evaluation_failures.get_mut().is_empty()
                    && fields.can_add(&base, p.key)
                    && self.bounds_enabled
                    && result_path_bound(p.result_path, bound, Some(p.result_size))
                        .is_some_and(|b| b <= limit)
            });
            let exited = "PassStateExited";
            let id = if under_next {
                self.events.push_exited_under_next(self.cursor, now, exited, state.id)
            } else {
                if !fields.is_empty() {
                    base = fields.layer_over(base);
                }
                self.events.push_exited_object(self.cursor, now, exited, state.id, &base)
            };
            self.observe(id);
            let Some((next_state, next_pass)) = next else {
                return Ok((Payload::Object(base), state.next, bound));
            };
            if let Err(stop) = self.check_visit(now) {
                if under_next {
                    base = fields.layer_over(base);
                    self.events.settle(id, &base);
                }
                return Err(stop);
            }
            (state, pass) = (next_state, next_pass);
        }
    }
}
