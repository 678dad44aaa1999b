//! A step-by-step debugger built on the [`Observer`] port.
//!
//! The execution runs on its own thread with a [`Debugger`] as its observer; the UI (or a test)
//! holds the [`DebugHandle`]: it sends [`Command`]s and receives [`Update`]s — every history event
//! as it is recorded, and a `Paused` update whenever the execution stops before a state.
//!
//! Pausing happens *before* a state runs: at start (when started paused), at a breakpoint (by state
//! name, at any depth), after a `Step` (the next state at any depth: into Parallel branches and Map
//! iterations), or after a `StepOver` (the next state at the same depth or shallower). `Stop` ends
//! the execution ABORTED at the next state boundary (or at once when a manual task is waiting and
//! its answers are dropped); dropping the handle lets it run to the end. Each state visit's
//! data-flow trace is reported as it ends, so a pause can show the pipeline of the state just run.

use std::collections::BTreeSet;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use serde_json::Value;

use crate::history::HistoryEvent;
use crate::ports::{Control, Observer};
use crate::trace::StateTrace;

/// What the debugger is told to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Run until a breakpoint (or the end).
    Continue,
    /// Run one state, stopping before the next one at any depth.
    Step,
    /// Run one state, stopping before the next one at this depth or shallower.
    StepOver,
    /// Stop before the next state.
    Pause,
    /// End the execution (ABORTED).
    Stop,
    /// Replace the breakpoints (state names).
    SetBreakpoints(BTreeSet<String>),
}

/// What the debugger reports.
#[derive(Debug, Clone)]
pub enum Update {
    /// A history event, as recorded.
    Event(HistoryEvent),
    /// A state visit ended: its data-flow trace (when the run records traces).
    Trace(Box<StateTrace>),
    /// The execution waits before `state` for a command.
    Paused {
        /// The state about to run.
        state: String,
        /// Its raw input.
        input: Value,
        /// 0 at the top level, deeper inside branches and iterations.
        depth: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Running,
    PauseNext,
    StepOver(usize),
}

/// The observer half; give it to the execution (its `Ports::observer`).
pub struct Debugger {
    commands: Receiver<Command>,
    updates: Sender<Update>,
    mode: Mode,
    breakpoints: BTreeSet<String>,
    stop: bool,
}

/// The controlling half.
pub struct DebugHandle {
    /// Send commands here.
    pub commands: Sender<Command>,
    /// Receive events and pauses here.
    pub updates: Receiver<Update>,
}

/// A debugger pair; `start_paused` stops before the first state.
pub fn debugger(start_paused: bool, breakpoints: BTreeSet<String>) -> (Debugger, DebugHandle) {
    let (ctx, crx) = channel();
    let (utx, urx) = channel();
    let mode = if start_paused { Mode::PauseNext } else { Mode::Running };
    (
        Debugger { commands: crx, updates: utx, mode, breakpoints, stop: false },
        DebugHandle { commands: ctx, updates: urx },
    )
}

impl Debugger {
    fn apply(&mut self, command: Command, depth: usize) -> bool {
        match command {
            Command::Continue => self.mode = Mode::Running,
            Command::Step => self.mode = Mode::PauseNext,
            Command::StepOver => self.mode = Mode::StepOver(depth),
            Command::Pause => {
                self.mode = Mode::PauseNext;
                return false;
            }
            Command::Stop => self.stop = true,
            Command::SetBreakpoints(b) => {
                self.breakpoints = b;
                return false;
            }
        }
        true
    }
}

impl Debugger {
    /// Applies the commands sent while running (Pause, Stop, breakpoints).
    fn drain(&mut self, depth: usize) {
        loop {
            match self.commands.try_recv() {
                Ok(c) => {
                    self.apply(c, depth);
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.mode = Mode::Running;
                    break;
                }
            }
        }
    }
}

impl Observer for Debugger {
    fn before_state(
        &mut self,
        state: &str,
        input: &crate::value::Payload,
        depth: usize,
    ) -> Control {
        // Commands sent while running (Pause, Stop, breakpoints) take effect here.
        self.drain(depth);
        if self.stop {
            return Control::Abort;
        }
        let pause = match self.mode {
            Mode::PauseNext => true,
            Mode::StepOver(d) => depth <= d,
            Mode::Running => false,
        } || self.breakpoints.contains(state);
        if !pause {
            return Control::Continue;
        }
        let paused = Update::Paused { state: state.to_owned(), input: input.to_value(), depth };
        if self.updates.send(paused).is_err() {
            self.mode = Mode::Running;
            return Control::Continue;
        }
        loop {
            match self.commands.recv() {
                Ok(c) => {
                    if self.apply(c, depth) {
                        break;
                    }
                }
                // Nobody is listening any more: run to the end.
                Err(_) => {
                    self.mode = Mode::Running;
                    break;
                }
            }
        }
        if self.stop { Control::Abort } else { Control::Continue }
    }

    fn on_event(&mut self, event: &HistoryEvent) {
        let _ = self.updates.send(Update::Event(event.clone()));
    }

    fn on_trace(&mut self, trace: &StateTrace) {
        let _ = self.updates.send(Update::Trace(Box::new(trace.clone())));
    }

    fn stopped(&mut self) -> bool {
        self.drain(usize::MAX);
        self.stop
    }
}
