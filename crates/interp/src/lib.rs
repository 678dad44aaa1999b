//! The Stepwise interpreter: runs Amazon States Language state machines locally, faithfully to
//! AWS Step Functions, and records what happened in AWS's own shapes.
//!
//! # Lifecycle
//! 1. [`compile`] turns the definition's JSON value into an executable plan ([`states::Machine`]):
//!    states by index, every path, payload template, intrinsic function and Choice rule parsed
//!    once. A definition that cannot be executed is a [`CompileError`] (an `Err`, with a JSON
//!    Pointer); everything that goes wrong *while running* is an ASL failure value instead.
//! 2. [`run_plan`] (or [`run`], which compiles first) executes the plan with [`Options`] and
//!    [`Ports`]: a [`ports::TaskInvoker`] answers Task states (backends are chained in order: the
//!    AWS Step Functions Local mock format [`mock::MockConfig`], then local command handlers
//!    [`handlers::CommandHandlers`] and localhost HTTP endpoints [`handlers::HttpHandlers`], then manual answers and callbacks [`manual::ManualTasks`]), a [`ports::Clock`] decides whether wall
//!    time passes, and an [`ports::Observer`] sees events as they happen and may stop the run; the
//!    step-by-step [`debugger`] is an observer driven over channels.
//! 3. The result is an [`Execution`]: terminal [`Status`], output or [`Failure`], the history
//!    ([`history::HistoryEvent`], shaped like `GetExecutionHistory`) and the data-flow trace
//!    ([`trace::StateTrace`], named like TestState's inspection data).
//! 4. An unsuccessful execution can be continued from where it stopped with
//!    [`redrive::redrive`] (AWS's `RedriveExecution`), from its record ([`redrive::PreviousRun`]).
//!
//! # Invariants
//! - **Determinism.** The interpreter never reads the wall clock or an unseeded random source:
//!   time is logical (it starts at [`Options::start_time_ms`] and moves with Wait states, retry
//!   intervals and task durations), and randomness comes from [`Options::seed`]. Same definition,
//!   input, mocks and seed → identical history.
//! - **No panics on user data.** Bad paths, types and payloads become AWS-shaped failures
//!   (`States.Runtime`, `States.IntrinsicFailure`, ...). A runaway loop stops at
//!   [`Limits::max_history_events`].
//! - **No deep copies in the hot path.** Payloads share their subtrees ([`value::Payload`]):
//!   selecting, building Parameters around parts of the input, merging with ResultPath and keeping
//!   payloads in history events copy pointers; events serialize only when asked.
//! - **Query languages.** Every compiled state keeps its `QueryLanguage`; the evaluation
//!   environment ([`dataflow::Env`]) carries the workflow variables ([`dataflow::Variables`]) and
//!   is where JSONata's `$states` will live. An `Assign` of either language hands its evaluated
//!   values over as [`dataflow::Assignments`], applied when the state exits.

#![warn(missing_docs)]

pub mod dataflow;
pub mod debugger;
pub mod errors;
pub mod execution;
pub mod handlers;
pub mod history;
pub mod intrinsics;
pub mod manual;
pub mod map_run;
pub mod mock;
pub mod ports;
pub mod redrive;
pub mod states;
pub mod trace;
pub use stepwise_value as value;

/// A JSON payload whose subtrees are shared (cloning is cheap); see [`value::Payload`].
pub type Data = value::Payload;

pub use errors::Failure;
pub use execution::{Execution, Limits, Options, Ports, Status, run, run_plan};
pub use states::{CompileError, compile};
