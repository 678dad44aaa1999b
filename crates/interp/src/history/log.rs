//! [`History`]: the events of a run as the interpreter records them, compactly.
//!
//! Most events of a run are a state's entry or exit or a Map iteration's, so those are records
//! of a few words: the state by its id in the plan ([`crate::states::State::id`]), not by a copy
//! of its name, and the payload by a shared pointer. Recording one allocates nothing and counts
//! at most the payload's reference; the AWS shape ([`HistoryEvent`], with the state's name) is
//! built when an event is read. The rarer events keep their [`Details`] boxed.

use std::sync::Arc;

use serde_json::Value;

use super::{Details, HistoryEvent};
use crate::Data;
use crate::states::StateNames;
use crate::trace::StateTrace;

/// An execution's history, in order; event `i` (from 0) has id `i + 1`.
#[derive(Debug, Clone)]
pub struct History {
    /// Every state's name by id, shared with the plan.
    names: StateNames,
    records: Vec<Record>,
    /// Whether the timestamps ascend so far (no reordering to do at the end).
    in_time_order: bool,
    /// The timestamp of the last event recorded.
    last_ms: i64,
}

#[derive(Debug, Clone)]
struct Record {
    previous_event_id: u64,
    timestamp_ms: i64,
    event_type: &'static str,
    body: Body,
}

/// What an event says beyond its type and time.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// No details (`ParallelStateStarted`, `MapStateSucceeded`, …).
    None,
    /// `...StateEntered` whose input is the output of the event before it (the previous state's
    /// exit, the usual case): shared without counting a reference.
    EnteredAfterExit { state: u32 },
    /// Any other `...StateEntered`.
    Entered { state: u32, input: Data },
    /// `...StateExited` of a state that assigned no variables.
    Exited { state: u32, output: Data },
    /// `...StateExited` of a state that assigned no variables and passed its input on (a
    /// Choice, a Wait), recorded right after its entry, whose record holds that input or
    /// shares it with an [`Body::Exited`] just before: shared without counting a reference.
    /// (Never after an entry that shares this kind, so finding a payload takes at most three
    /// steps back.)
    ExitedAsEntered { state: u32 },
    /// `MapIteration...`: the Map state and the iteration's index.
    MapIteration { state: u32, index: usize },
    /// Any other event.
    Other(Box<Details>),
}

impl From<Details> for Body {
    fn from(details: Details) -> Body {
        match details {
            Details::None => Body::None,
            other => Body::Other(Box::new(other)),
        }
    }
}

impl History {
    /// An empty history naming states from `names`, with room for `capacity` events.
    pub(crate) fn new(names: StateNames, capacity: usize) -> History {
        History {
            names,
            records: Vec::with_capacity(capacity),
            in_time_order: true,
            last_ms: i64::MIN,
        }
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// No events?
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The event at `index` (from 0; its id is `index + 1`).
    pub fn get(&self, index: usize) -> Option<HistoryEvent> {
        self.records.get(index).map(|r| self.render(index, r))
    }

    /// The last event.
    pub fn last(&self) -> Option<HistoryEvent> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The events in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = HistoryEvent> + ExactSizeIterator + '_ {
        self.records.iter().enumerate().map(|(i, r)| self.render(i, r))
    }

    /// The names of the states entered, in order.
    pub fn entered_states(&self) -> impl Iterator<Item = &Arc<str>> + '_ {
        self.records.iter().filter_map(|r| match r.body {
            Body::Entered { state, .. } | Body::EnteredAfterExit { state } => {
                Some(self.name(state))
            }
            _ => None,
        })
    }

    /// The events in the AWS JSON shape.
    pub fn to_json(&self) -> Value {
        Value::Array(self.iter().map(|e| e.to_json()).collect())
    }

    /// Records an event; returns its id.
    pub(crate) fn push(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        body: Body,
    ) -> u64 {
        self.in_time_order &= self.last_ms <= timestamp_ms;
        self.last_ms = timestamp_ms;
        self.records.push(Record { previous_event_id, timestamp_ms, event_type, body });
        self.records.len() as u64
    }

    /// Records a state's entry after event `previous_event_id`; returns its id. Inlined into
    /// each state visit: called, its arguments and the record went through the stack.
    #[inline(always)]
    pub(crate) fn push_entered(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
        input: &Data,
    ) -> u64 {
        let body = if self.output_of(previous_event_id).is_some_and(|o| o.ptr_eq(input)) {
            Body::EnteredAfterExit { state }
        } else {
            Body::Entered { state, input: input.clone() }
        };
        self.push(previous_event_id, timestamp_ms, event_type, body)
    }

    /// The record of the exit, right after event `entered`, of a state that assigned no
    /// variables and passed its input on: [`Body::ExitedAsEntered`] when it may share the
    /// entry's payload, else a counted copy.
    pub(crate) fn passed_on_exit(&self, entered: u64, state: u32, output: &Data) -> Body {
        if self.held_input_of(entered).is_some_and(|i| i.ptr_eq(output)) {
            Body::ExitedAsEntered { state }
        } else {
            Body::Exited { state, output: output.clone() }
        }
    }

    /// The output of event `id` when it is a state's exit.
    fn output_of(&self, id: u64) -> Option<&Data> {
        match &self.record(id)?.body {
            Body::Exited { output, .. } => Some(output),
            Body::ExitedAsEntered { .. } => self.held_input_of(self.record(id)?.previous_event_id),
            _ => None,
        }
    }

    /// The input of event `id` when it is a state's entry whose record holds it, or shares it
    /// with the [`Body::Exited`] before it.
    fn held_input_of(&self, id: u64) -> Option<&Data> {
        let r = self.record(id)?;
        match &r.body {
            Body::Entered { input, .. } => Some(input),
            Body::EnteredAfterExit { .. } => match &self.record(r.previous_event_id)?.body {
                Body::Exited { output, .. } => Some(output),
                _ => None,
            },
            _ => None,
        }
    }

    /// The record of event `id`.
    #[inline]
    fn record(&self, id: u64) -> Option<&Record> {
        self.records.get(usize::try_from(id.checked_sub(1)?).ok()?)
    }

    /// Makes room for `additional` more events (a Map about to run its iterations), so the
    /// records are not copied at each doubling.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.records.reserve(additional);
    }

    /// Drops the events after the first `len` (a Distributed Map's child executions).
    pub(crate) fn truncate(&mut self, len: usize) {
        self.records.truncate(len);
    }

    /// The state name of `id`.
    pub(crate) fn name(&self, id: u32) -> &Arc<str> {
        &self.names[id as usize]
    }

    /// Orders events by timestamp (stable: recording order breaks ties) and renumbers them, so
    /// ids ascend with time as in GetExecutionHistory even though concurrent branches were run
    /// one after the other. previousEventId keeps pointing at the causal predecessor, and each
    /// trace at its state's entry.
    pub(crate) fn put_in_time_order(&mut self, traces: &mut [StateTrace]) {
        if self.in_time_order {
            return;
        }
        self.in_time_order = true;
        let records = &mut self.records;
        let mut indexed: Vec<(usize, Record)> =
            std::mem::take(records).into_iter().enumerate().collect();
        indexed.sort_by_key(|(_, r)| r.timestamp_ms);
        // new_id[old id] = new id (ids count from 1; 0 stays 0, "no previous event").
        let mut new_id = vec![0u64; indexed.len() + 1];
        for (new, (old, _)) in indexed.iter().enumerate() {
            new_id[old + 1] = new as u64 + 1;
        }
        let renumber = |id: u64| new_id.get(id as usize).copied().unwrap_or(0);
        records.extend(indexed.into_iter().map(|(_, mut r)| {
            r.previous_event_id = renumber(r.previous_event_id);
            r
        }));
        for t in traces {
            t.entered_event_id = renumber(t.entered_event_id);
        }
    }

    fn render(&self, index: usize, r: &Record) -> HistoryEvent {
        let details = match &r.body {
            Body::None => Details::None,
            Body::Entered { state, input } => {
                Details::StateEntered { name: self.name(*state).clone(), input: input.clone() }
            }
            Body::EnteredAfterExit { state } => Details::StateEntered {
                name: self.name(*state).clone(),
                input: self.output_of(r.previous_event_id).cloned().unwrap_or_default(),
            },
            Body::Exited { state, output } => Details::StateExited {
                name: self.name(*state).clone(),
                output: output.clone(),
                assigned: None,
            },
            Body::ExitedAsEntered { state } => Details::StateExited {
                name: self.name(*state).clone(),
                output: self.output_of(index as u64 + 1).cloned().unwrap_or_default(),
                assigned: None,
            },
            Body::MapIteration { state, index } => {
                Details::MapIteration { name: self.name(*state).clone(), index: *index }
            }
            Body::Other(d) => (**d).clone(),
        };
        HistoryEvent {
            id: index as u64 + 1,
            previous_event_id: r.previous_event_id,
            timestamp_ms: r.timestamp_ms,
            event_type: r.event_type,
            details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_after_an_exit_shares_its_output_and_still_renders_it_after_reordering() {
        let names: StateNames = vec![Arc::from("A"), Arc::from("B"), Arc::from("C")].into();
        let mut h = History::new(names, 4);
        let out = Data::from(json!({"x": 1}));
        let fork = h.push(0, 10, "ParallelStateStarted", Body::None);
        let a_exit =
            h.push(fork, 30, "PassStateExited", Body::Exited { state: 0, output: out.clone() });
        h.push_entered(a_exit, 30, "PassStateEntered", 1, &out);
        assert!(
            matches!(h.records[2].body, Body::EnteredAfterExit { .. }),
            "the input is the exit's output, not counted again"
        );
        // A concurrent branch, run later, entered a state earlier in logical time.
        h.push_entered(fork, 20, "PassStateEntered", 2, &Data::from(json!({"y": 2})));
        h.put_in_time_order(&mut []);
        let events: Vec<HistoryEvent> = h.iter().collect();
        let ids: Vec<(u64, u64)> = events.iter().map(|e| (e.id, e.previous_event_id)).collect();
        assert_eq!(ids, [(1, 0), (2, 1), (3, 1), (4, 3)], "ids follow time, causes follow ids");
        let Details::StateEntered { name, input } = &events[3].details else {
            panic!("B's entry is last: {:?}", events[3]);
        };
        assert_eq!((&**name, input.to_string()), ("B", r#"{"x":1}"#.to_owned()));
    }

    #[test]
    fn an_exit_passing_its_input_on_shares_it_at_most_once_in_a_row_and_renders_it() {
        let names: StateNames = vec![Arc::from("Set"), Arc::from("C1"), Arc::from("C2")].into();
        let mut h = History::new(names, 8);
        let out = Data::from(json!({"n": 1}));
        let set = h.push(0, 0, "PassStateExited", Body::Exited { state: 0, output: out.clone() });
        // Two Choice states in a row, each passing its input on.
        let c1_in = h.push_entered(set, 0, "ChoiceStateEntered", 1, &out);
        let c1_out = h.push(c1_in, 0, "ChoiceStateExited", h.passed_on_exit(c1_in, 1, &out));
        let c2_in = h.push_entered(c1_out, 0, "ChoiceStateEntered", 2, &out);
        let c2_out = h.push(c2_in, 0, "ChoiceStateExited", h.passed_on_exit(c2_in, 2, &out));
        let kind = |id: u64| h.record(id).map(|r| std::mem::discriminant(&r.body));
        let shared = std::mem::discriminant(&Body::ExitedAsEntered { state: 1 });
        assert_eq!(kind(c1_out), Some(shared), "the first shares the exit before its entry");
        assert_ne!(kind(c2_out), Some(shared), "the second holds its own, so no chain grows");
        for e in h.iter().skip(1) {
            let (Details::StateEntered { input: p, .. } | Details::StateExited { output: p, .. }) =
                &e.details
            else {
                panic!("a state's event: {e:?}");
            };
            assert_eq!(p.to_string(), r#"{"n":1}"#, "{}", e.event_type);
        }
    }
}
