//! The visit of a plain Pass state: a JSONPath Pass with no InputPath, Parameters, OutputPath
//! or Assign ([`State::plain_pass`]), run while nobody watches its stages (no trace recorded,
//! no observer asked before and after each state).
//!
//! Such a visit is its entry, its `Result` (or its input) written with ResultPath, the payload
//! limit check and its exit: none of the per-visit facts the general path builds (the context
//! object's, the trace's, Assign's) is read, so none is built. It records the same events, in
//! the same order, with the same errors as the general path, which chains of Pass states
//! annotating their input (Parallel branches, Map iterations) spend most of their time in.

use super::{Runner, Stop};
use crate::Data;
use crate::dataflow::{PathField, result_path_bound};
use crate::states::State;

impl Runner {
    /// Runs plain Pass `state` on `input` entered at `now` (its size bound `input_bound`);
    /// `Ok((output, its size bound))`.
    #[inline(always)]
    pub(super) fn run_plain_pass(
        &mut self,
        state: &State,
        (result, result_size, result_path): (Option<&Data>, usize, &PathField),
        input: Data,
        now: i64,
        input_bound: Option<usize>,
    ) -> Result<(Data, Option<usize>), Stop> {
        self.emit_entered(now, state, &input);
        let result_value = match result {
            Some(r) => r.clone(),
            None => input.clone(),
        };
        // ResultPath `null` passes the input on: the exit shares the entry's payload.
        let passed_on = matches!(result_path, PathField::Null);
        let output = self.result_path(result_path, input, result_value).map_err(Stop::Failed)?;
        let output_bound = if passed_on {
            input_bound
        } else {
            // The general path's bound with InputPath and OutputPath `$`, which keep it as it is.
            let result_bound = result.map_or(input_bound, |_| Some(result_size));
            let bound = self
                .bounds_enabled
                .then(|| result_path_bound(result_path, input_bound, result_bound))
                .flatten();
            self.checked_output_size(state, &output, bound)?
        };
        self.emit_exited(now, "PassStateExited", state, &output, passed_on);
        Ok((output, output_bound))
    }
}
