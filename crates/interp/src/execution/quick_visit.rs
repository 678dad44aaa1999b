//! The visits that need no [`Visit`] kept and no [`super::Tracer`]: while nobody watches a
//! state's stages (no trace recorded, no observer asked before and after each state), a plain
//! Pass (`plain_pass.rs`), a Pass whose only data step is Parameters
//! ([`State::parameters_pass`]) and a Choice without InputPath, OutputPath, Assign or context
//! reads ([`State::plain_choice`]) run here.
//!
//! Each records the same events, in the same order, with the same errors and size bounds as
//! the general visit (`Runner::run_state`), which builds every stage's facts whatever the
//! state: a loop of a counting Pass and a Choice spent a third of its time there. The
//! conformance harness runs every case with and without a trace and requires the same record,
//! which compares these visits with the general one.

use super::{Runner, Stop, Visit, runtime};
use crate::Data;
use crate::dataflow::{PathField, Template};
use crate::errors::{self, Failure};
use crate::states::{ChoiceRule, State};
use crate::value::Payload;

use super::plain_pass::PlainPass;

/// A visit with a path of its own, borrowed from its state.
pub(super) enum QuickVisit<'a> {
    /// See [`State::plain_pass`].
    PlainPass(PlainPass<'a>),
    /// See [`State::parameters_pass`]: Parameters and ResultPath.
    ParametersPass(&'a Template, &'a PathField),
    /// See [`State::plain_choice`]: the rules and `Default`.
    Choice(&'a [ChoiceRule], Option<usize>),
}

impl<'a> QuickVisit<'a> {
    /// The quick visit of `state`, if it has one.
    #[inline(always)]
    pub(super) fn of(state: &'a State) -> Option<Self> {
        if let Some(pass) = state.plain_pass() {
            Some(QuickVisit::PlainPass(pass))
        } else if let Some((parameters, result_path)) = state.parameters_pass() {
            Some(QuickVisit::ParametersPass(parameters, result_path))
        } else {
            state.plain_choice().map(|(rules, default)| QuickVisit::Choice(rules, default))
        }
    }
}

impl Runner {
    /// Runs Pass `state` ([`State::parameters_pass`]: its Parameters and ResultPath) on
    /// `input` entered at `now` (its size bound `input_bound`); `Ok((output, its size
    /// bound))`.
    #[inline(always)]
    pub(super) fn run_parameters_pass(
        &mut self,
        state: &State,
        (parameters, result_path): (&Template, &PathField),
        input: Data,
        now: i64,
        input_bound: Option<usize>,
    ) -> Result<(Data, Option<usize>), Stop> {
        let entered_id = self.emit_entered(now, state, &input);
        let visit = Visit::new(&state.name, input_bound, now, entered_id);
        let result = self.eval_template(parameters, &input, &visit, None, false)?;
        let result_bound = || input_bound.and_then(|b| parameters.size_bound(b));
        self.exit_pass(state, result_path, input, result, now, input_bound, result_bound)
    }

    /// Runs Choice `state` ([`State::plain_choice`]: its `rules` and `default`) on `input`
    /// entered at `now`; `Ok((input, the state chosen))`. The first rule that holds chooses,
    /// else `Default`, else `States.NoChoiceMatched` (developer guide, "Choice workflow
    /// state"); the input is passed on, so its size bound stays the caller's.
    #[inline(always)]
    pub(super) fn run_plain_choice(
        &mut self,
        state: &State,
        (rules, default): (&[ChoiceRule], Option<usize>),
        input: Data,
        now: i64,
        input_bound: Option<usize>,
    ) -> Result<(Data, usize), Stop> {
        let entered_id = self.emit_entered(now, state, &input);
        let mut next = default;
        for rule in rules {
            match rule.rule.eval(&input, &Payload::Null, Some(&self.vars)) {
                Ok(true) => {
                    next = Some(rule.next);
                    break;
                }
                Ok(false) => {}
                Err(message) => {
                    let visit = Visit::new(&state.name, input_bound, now, entered_id);
                    return Err(Stop::Failed(runtime(&visit, &message)));
                }
            }
        }
        let Some(next) = next else {
            return Err(Stop::Failed(Failure::new(errors::NO_CHOICE_MATCHED, "No Matches!")));
        };
        self.emit_exited(now, "ChoiceStateExited", state, &input, true);
        Ok((input, next))
    }
}
