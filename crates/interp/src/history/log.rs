//! [`History`]: the events of a run as the interpreter records them, compactly.
//!
//! Most events of a run are a state's entry or exit or a Map iteration's, so those are records
//! of a few words: the state by its id in the plan ([`crate::states::State::id`]), not by a copy
//! of its name, and the payload by a shared pointer. Recording one allocates nothing and counts
//! at most the payload's reference; the AWS shape ([`HistoryEvent`], with the state's name) is
//! built when an event is read. The rarer events keep their [`Details`] aside.
//!
//! The records are columns (one vector per field, each element a word or two), not a vector of
//! records, and an object payload (the usual one) is held as its `Arc` alone, one word: a record
//! or a `Payload` (three words) built whole was assembled on the stack in pieces and copied
//! into the vector with wide loads the store buffer could not forward, a stall at every event
//! of a Parallel or Map run. A column's element is written straight from registers.

use std::sync::Arc;

use serde_json::Value;

use super::{Details, HistoryEvent};
use crate::Data;
use crate::states::StateNames;
use crate::trace::StateTrace;
use crate::value::{Object, Payload, before_last_fields};

/// An execution's history, in order; event `i` (from 0) has id `i + 1`.
#[derive(Debug, Clone)]
pub struct History {
    /// Every state's name by id, shared with the plan.
    names: StateNames,
    /// Per event: its previousEventId and timestamp.
    times: Vec<Time>,
    /// Per event: its type.
    event_types: Vec<&'static str>,
    /// Per event: what kind of record it is, and its state.
    heads: Vec<Head>,
    /// Per event: the payload it holds when that is an object.
    objects: Vec<Option<Arc<Object>>>,
    /// The payloads held that are not objects, in order ([`Head::aux`] indexes them).
    values: Vec<Data>,
    /// The details of the [`Kind::Other`] events, in order ([`Head::aux`] indexes them).
    others: Vec<Details>,
    /// Whether the timestamps ascend so far (no reordering to do at the end).
    in_time_order: bool,
    /// The timestamp of the last event recorded.
    last_ms: i64,
}

#[derive(Debug, Clone, Copy)]
struct Time {
    previous_event_id: u64,
    timestamp_ms: i64,
}

/// A record's kind, its state (for the kinds about a state) and a word more: the index of a
/// Map iteration, where a [`Kind::Other`] event's details are, or where a payload that is not
/// an object is.
#[derive(Debug, Clone, Copy)]
struct Head {
    kind: Kind,
    state: u32,
    aux: u64,
}

/// The kinds of [`Body`], stored without their payloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    None,
    /// A state's entry whose input is the previous event's output (see
    /// [`History::push_entered`]): it holds no payload.
    EnteredAfterExit,
    /// Any other state's entry; it holds its input.
    Entered,
    Exited,
    /// A state's exit that shares its entry's payload (see
    /// [`History::push_exited`]): it holds none.
    ExitedAsEntered,
    /// A state's exit whose output is the next exit's (two records on) without its last field,
    /// or without its last two when that exit is of this kind too, and so on: see
    /// [`History::push_exited_under_next`].
    ExitedUnderNext,
    MapIteration,
    Other,
}

/// A payload a record holds, borrowed, or made when read ([`Kind::ExitedUnderNext`]).
#[derive(Debug, Clone)]
enum Held<'a> {
    Object(&'a Arc<Object>),
    Value(&'a Data),
    Made(Arc<Object>),
}

impl Held<'_> {
    /// Whether `payload` is this very payload (the same shared node; see [`Payload::ptr_eq`]).
    #[inline]
    fn is(&self, payload: &Data) -> bool {
        match (self, payload) {
            (Held::Object(o), Payload::Object(p)) => Arc::ptr_eq(o, p),
            (Held::Made(o), Payload::Object(p)) => Arc::ptr_eq(o, p),
            (Held::Object(_) | Held::Made(_), _) => false,
            (Held::Value(v), p) => v.ptr_eq(p),
        }
    }

    fn into_data(self) -> Data {
        match self {
            Held::Object(o) => Payload::Object(Arc::clone(o)),
            Held::Made(o) => Payload::Object(o),
            Held::Value(v) => v.clone(),
        }
    }
}

/// What an event says beyond its type and time.
#[derive(Debug, Clone)]
pub(crate) enum Body {
    /// No details (`ParallelStateStarted`, `MapStateSucceeded`, …).
    None,
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
            times: Vec::with_capacity(capacity),
            event_types: Vec::with_capacity(capacity),
            heads: Vec::with_capacity(capacity),
            objects: Vec::with_capacity(capacity),
            values: Vec::new(),
            others: Vec::new(),
            in_time_order: true,
            last_ms: i64::MIN,
        }
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.heads.len()
    }

    /// No events?
    pub fn is_empty(&self) -> bool {
        self.heads.is_empty()
    }

    /// The event at `index` (from 0; its id is `index + 1`).
    pub fn get(&self, index: usize) -> Option<HistoryEvent> {
        (index < self.len()).then(|| self.render(index))
    }

    /// The last event.
    pub fn last(&self) -> Option<HistoryEvent> {
        self.len().checked_sub(1).and_then(|i| self.get(i))
    }

    /// The events in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = HistoryEvent> + ExactSizeIterator + '_ {
        (0..self.len()).map(|i| self.render(i))
    }

    /// The names of the states entered, in order.
    pub fn entered_states(&self) -> impl Iterator<Item = &Arc<str>> + '_ {
        self.heads.iter().filter_map(|h| match h.kind {
            Kind::Entered | Kind::EnteredAfterExit => Some(self.name(h.state)),
            _ => None,
        })
    }

    /// The events in the AWS JSON shape.
    pub fn to_json(&self) -> Value {
        Value::Array(self.iter().map(|e| e.to_json()).collect())
    }

    /// Records a Map iteration's event (`MapIteration...`: the Map state and the iteration's
    /// index); returns its id.
    #[inline(always)]
    pub(crate) fn push_map_iteration(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
        index: usize,
    ) -> u64 {
        let head = Head { kind: Kind::MapIteration, state, aux: index as u64 };
        self.push_record(previous_event_id, timestamp_ms, event_type, head, None)
    }

    /// Records an event; returns its id.
    pub(crate) fn push(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        body: Body,
    ) -> u64 {
        let (head, object) = match body {
            Body::None => (Head { kind: Kind::None, state: 0, aux: 0 }, None),
            Body::Other(details) => {
                self.others.push(*details);
                let aux = self.others.len() as u64 - 1;
                (Head { kind: Kind::Other, state: 0, aux }, None)
            }
        };
        self.push_record(previous_event_id, timestamp_ms, event_type, head, object)
    }

    /// The head of a `kind` record of `state` holding `payload`, and its object column: an
    /// object is held there, any other payload in `values`.
    #[inline]
    fn hold(&mut self, kind: Kind, state: u32, payload: Data) -> (Head, Option<Arc<Object>>) {
        match payload {
            Payload::Object(o) => (Head { kind, state, aux: 0 }, Some(o)),
            other => {
                self.values.push(other);
                (Head { kind, state, aux: self.values.len() as u64 - 1 }, None)
            }
        }
    }

    /// Writes one record's columns; returns its id.
    #[inline(always)]
    fn push_record(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        head: Head,
        object: Option<Arc<Object>>,
    ) -> u64 {
        self.in_time_order &= self.last_ms <= timestamp_ms;
        self.last_ms = timestamp_ms;
        self.objects.push(object);
        self.times.push(Time { previous_event_id, timestamp_ms });
        self.event_types.push(event_type);
        self.heads.push(head);
        self.heads.len() as u64
    }

    /// Records a state's entry after event `previous_event_id`; returns its id. An input that
    /// is the output of that event (the previous state's exit, the usual case) is shared
    /// without counting a reference. Inlined into each state visit: called, its arguments and
    /// the record went through the stack.
    #[inline(always)]
    pub(crate) fn push_entered(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
        input: &Data,
    ) -> u64 {
        let (head, object) = if self.output_of(previous_event_id).is_some_and(|o| o.is(input)) {
            (Head { kind: Kind::EnteredAfterExit, state, aux: 0 }, None)
        } else {
            self.hold(Kind::Entered, state, input.clone())
        };
        self.push_record(previous_event_id, timestamp_ms, event_type, head, object)
    }

    /// [`History::push_entered`] for an input that is an object, held without its `Payload`
    /// (a chain of Pass states adding fields, see `execution/plain_pass.rs`).
    #[inline(always)]
    pub(crate) fn push_entered_object(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
        input: &Arc<Object>,
    ) -> u64 {
        let after_exit = matches!(
            self.output_of(previous_event_id),
            Some(Held::Object(o)) if Arc::ptr_eq(o, input)
        );
        let (kind, object) =
            if after_exit { (Kind::EnteredAfterExit, None) } else { (Kind::Entered, Some(input)) };
        let head = Head { kind, state, aux: 0 };
        self.push_record(previous_event_id, timestamp_ms, event_type, head, object.cloned())
    }

    /// Records the exit, after event `previous_event_id`, of a state that assigned no
    /// variables; returns its id. Inlined like [`History::push_entered`].
    ///
    /// The exit of a state that `passed_on` its input (a Choice, a Wait), recorded right after
    /// its entry, shares the entry's payload ([`Kind::ExitedAsEntered`]) when the entry's record
    /// holds it or shares it with a plain exit just before; any other exit holds its output.
    #[inline(always)]
    pub(crate) fn push_exited(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
        output: &Data,
        passed_on: bool,
    ) -> u64 {
        if passed_on && self.held_input_of(previous_event_id).is_some_and(|i| i.is(output)) {
            let head = Head { kind: Kind::ExitedAsEntered, state, aux: 0 };
            return self.push_record(previous_event_id, timestamp_ms, event_type, head, None);
        }
        if let Payload::Object(o) = output {
            return self.push_exited_object(previous_event_id, timestamp_ms, event_type, state, o);
        }
        let (head, object) = self.hold(Kind::Exited, state, output.clone());
        self.push_record(previous_event_id, timestamp_ms, event_type, head, object)
    }

    /// [`History::push_exited`] for an output that is an object, held without its `Payload`.
    #[inline(always)]
    pub(crate) fn push_exited_object(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
        output: &Arc<Object>,
    ) -> u64 {
        let head = Head { kind: Kind::Exited, state, aux: 0 };
        self.push_record(previous_event_id, timestamp_ms, event_type, head, Some(output.clone()))
    }

    /// Records the exit, after event `previous_event_id`, of a state whose output the next two
    /// records will hold: the next state's entry ([`History::push_entered_after_exit`]) and an
    /// exit whose output is a layer ending with the fields of the states since, this one's
    /// last ([`crate::value::NewFields`]), or an exit recorded this way too. The record holds
    /// nothing: a run of Pass states adding fields makes no object per state and counts no
    /// reference per exit; the output is made when read ([`crate::value::before_last_fields`]).
    /// Until that exit is recorded, the record must not be read, and it is settled
    /// ([`History::settle`]) if that exit will not come.
    #[inline(always)]
    pub(crate) fn push_exited_under_next(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
    ) -> u64 {
        let head = Head { kind: Kind::ExitedUnderNext, state, aux: 0 };
        self.push_record(previous_event_id, timestamp_ms, event_type, head, None)
    }

    /// Records a state's entry right after the exit, event `previous_event_id`, whose output
    /// is its input (the caller knows: [`History::push_exited_under_next`]).
    #[inline(always)]
    pub(crate) fn push_entered_after_exit(
        &mut self,
        previous_event_id: u64,
        timestamp_ms: i64,
        event_type: &'static str,
        state: u32,
    ) -> u64 {
        let head = Head { kind: Kind::EnteredAfterExit, state, aux: 0 };
        self.push_record(previous_event_id, timestamp_ms, event_type, head, None)
    }

    /// Makes exit `id` recorded by [`History::push_exited_under_next`] hold its `output`
    /// itself.
    pub(crate) fn settle(&mut self, id: u64, output: &Arc<Object>) {
        if let Some(i) = self.index(id).filter(|&i| self.heads[i].kind == Kind::ExitedUnderNext) {
            self.heads[i].kind = Kind::Exited;
            self.objects[i] = Some(Arc::clone(output));
        }
    }

    /// Settles record `i` when it is a [`Kind::ExitedUnderNext`] (its output made first).
    fn settle_index(&mut self, i: usize) {
        if let Some(output) = self.under_next(i) {
            self.settle(i as u64 + 1, &output);
        }
    }

    /// The output of [`Kind::ExitedUnderNext`] record `i`: the output of the first exit of
    /// another kind two, four, … records on, without one field per step. Out of line: the
    /// entry's check of the exit before it ([`History::output_of`]) is inlined into every
    /// visit, and this is rarely its case.
    #[inline(never)]
    fn under_next(&self, i: usize) -> Option<Arc<Object>> {
        if self.heads[i].kind != Kind::ExitedUnderNext {
            return None;
        }
        let mut end = i;
        let mut steps = 0;
        loop {
            end += 2;
            steps += 1;
            match self.heads.get(end)?.kind {
                Kind::ExitedUnderNext => {}
                Kind::Exited => break,
                _ => return None,
            }
        }
        before_last_fields(self.objects[end].as_ref()?, steps)
    }

    /// The index of event `id`, when recorded.
    #[inline]
    fn index(&self, id: u64) -> Option<usize> {
        usize::try_from(id.checked_sub(1)?).ok().filter(|&i| i < self.len())
    }

    /// The payload record `i` holds (a record of a kind that holds one).
    #[inline]
    fn held(&self, i: usize) -> Option<Held<'_>> {
        match &self.objects[i] {
            Some(o) => Some(Held::Object(o)),
            None => self.values.get(self.heads[i].aux as usize).map(Held::Value),
        }
    }

    /// The output of event `id` when it is a state's exit.
    #[inline(always)]
    fn output_of(&self, id: u64) -> Option<Held<'_>> {
        let i = self.index(id)?;
        match self.heads[i].kind {
            Kind::Exited => self.held(i),
            Kind::ExitedAsEntered => self.held_input_of(self.times[i].previous_event_id),
            Kind::ExitedUnderNext => self.under_next(i).map(Held::Made),
            _ => None,
        }
    }

    /// The input of event `id` when it is a state's entry whose record holds it, or shares it
    /// with the plain exit ([`Kind::Exited`]) before it.
    fn held_input_of(&self, id: u64) -> Option<Held<'_>> {
        let i = self.index(id)?;
        match self.heads[i].kind {
            Kind::Entered => self.held(i),
            Kind::EnteredAfterExit => {
                let before = self.index(self.times[i].previous_event_id)?;
                (self.heads[before].kind == Kind::Exited).then(|| self.held(before)).flatten()
            }
            _ => None,
        }
    }

    /// Makes room for `additional` more events (a Map about to run its iterations), so the
    /// records are not copied at each doubling.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.times.reserve(additional);
        self.event_types.reserve(additional);
        self.heads.reserve(additional);
        self.objects.reserve(additional);
    }

    /// Drops the events after the first `len` (a Distributed Map's child executions).
    pub(crate) fn truncate(&mut self, len: usize) {
        // Exits held under a dropped one hold their own outputs first. Such exits are two
        // records apart, so the last of any that is cut off is one of the last two kept.
        for last in [len.wrapping_sub(1), len.wrapping_sub(2)] {
            let mut i = last;
            let mut cut_off = Vec::new();
            while i < len && self.heads.get(i).is_some_and(|h| h.kind == Kind::ExitedUnderNext) {
                cut_off.push(i);
                i = i.wrapping_sub(2);
            }
            // First to last: each still reads its output from the exit after the cut.
            for &i in cut_off.iter().rev() {
                self.settle_index(i);
            }
        }
        let removed = self.heads.get(len..).unwrap_or_default();
        // The side vectors are in record order: cut each at the first removed record's entry.
        if let Some(h) = removed.iter().find(|h| h.kind == Kind::Other) {
            self.others.truncate(h.aux as usize);
        }
        let holds_value = |(h, o): (&Head, &Option<Arc<Object>>)| {
            matches!(h.kind, Kind::Entered | Kind::Exited) && o.is_none()
        };
        if let Some((h, _)) =
            removed.iter().zip(&self.objects[len.min(self.len())..]).find(|r| holds_value(*r))
        {
            self.values.truncate(h.aux as usize);
        }
        self.times.truncate(len);
        self.event_types.truncate(len);
        self.heads.truncate(len);
        self.objects.truncate(len);
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
        // Moved apart, exits held under the next one would lose it: each holds its own.
        for i in 0..self.len() {
            self.settle_index(i);
        }
        // order[new index] = old index.
        let mut order: Vec<usize> = (0..self.len()).collect();
        order.sort_by_key(|&i| self.times[i].timestamp_ms);
        // new_id[old id] = new id (ids count from 1; 0 stays 0, "no previous event").
        let mut new_id = vec![0u64; order.len() + 1];
        for (new, &old) in order.iter().enumerate() {
            new_id[old + 1] = new as u64 + 1;
        }
        let renumber = |id: u64| new_id.get(id as usize).copied().unwrap_or(0);
        self.times = order
            .iter()
            .map(|&i| Time {
                previous_event_id: renumber(self.times[i].previous_event_id),
                timestamp_ms: self.times[i].timestamp_ms,
            })
            .collect();
        self.event_types = order.iter().map(|&i| self.event_types[i]).collect();
        self.heads = order.iter().map(|&i| self.heads[i]).collect();
        let mut objects = std::mem::take(&mut self.objects);
        self.objects = order.iter().map(|&i| objects[i].take()).collect();
        for t in traces {
            t.entered_event_id = renumber(t.entered_event_id);
        }
    }

    fn render(&self, index: usize) -> HistoryEvent {
        let Head { kind, state, aux } = self.heads[index];
        let Time { previous_event_id, timestamp_ms } = self.times[index];
        let name = || self.name(state).clone();
        let payload = |held: Option<Held<'_>>| held.map(Held::into_data).unwrap_or_default();
        let details = match kind {
            Kind::None => Details::None,
            Kind::Entered => {
                Details::StateEntered { name: name(), input: payload(self.held(index)) }
            }
            Kind::EnteredAfterExit => Details::StateEntered {
                name: name(),
                input: payload(self.output_of(previous_event_id)),
            },
            Kind::Exited => Details::StateExited {
                name: name(),
                output: payload(self.held(index)),
                assigned: None,
            },
            Kind::ExitedAsEntered | Kind::ExitedUnderNext => Details::StateExited {
                name: name(),
                output: payload(self.output_of(index as u64 + 1)),
                assigned: None,
            },
            Kind::MapIteration => Details::MapIteration { name: name(), index: aux as usize },
            Kind::Other => self.others.get(aux as usize).cloned().unwrap_or(Details::None),
        };
        HistoryEvent {
            id: index as u64 + 1,
            previous_event_id,
            timestamp_ms,
            event_type: self.event_types[index],
            details,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::Failure;
    use crate::value::NewFields;
    use serde_json::json;

    #[test]
    fn an_entry_after_an_exit_shares_its_output_and_still_renders_it_after_reordering() {
        let names: StateNames = vec![Arc::from("A"), Arc::from("B"), Arc::from("C")].into();
        let mut h = History::new(names, 4);
        let out = Data::from(json!({"x": 1}));
        let fork = h.push(0, 10, "ParallelStateStarted", Body::None);
        let a_exit = h.push_exited(fork, 30, "PassStateExited", 0, &out, false);
        h.push_entered(a_exit, 30, "PassStateEntered", 1, &out);
        assert!(
            h.heads[2].kind == Kind::EnteredAfterExit,
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
        let set = h.push_exited(0, 0, "PassStateExited", 0, &out, false);
        // Two Choice states in a row, each passing its input on.
        let c1_in = h.push_entered(set, 0, "ChoiceStateEntered", 1, &out);
        let c1_out = h.push_exited(c1_in, 0, "ChoiceStateExited", 1, &out, true);
        let c2_in = h.push_entered(c1_out, 0, "ChoiceStateEntered", 2, &out);
        let c2_out = h.push_exited(c2_in, 0, "ChoiceStateExited", 2, &out, true);
        let kind = |id: u64| h.index(id).map(|i| h.heads[i].kind);
        let shared = Kind::ExitedAsEntered;
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

    #[test]
    fn every_kind_of_record_reads_back_as_recorded_after_truncating_and_reordering() {
        let names: StateNames = vec![Arc::from("Obj"), Arc::from("Num"), Arc::from("Map")].into();
        let mut h = History::new(names, 2);
        let object = Data::from(json!({"a": [1]}));
        let number = Data::from(json!(7));
        let failed = || Details::ExecutionFailed(Failure::new("E", "cause"));
        // Past the initial capacity, with payloads that are objects and payloads that are not.
        let start = h.push(0, 50, "ParallelStateStarted", Body::None);
        let obj_in = h.push_entered(start, 50, "PassStateEntered", 0, &object);
        h.push_exited(obj_in, 50, "PassStateExited", 0, &object, false);
        let num_in = h.push_entered(start, 40, "PassStateEntered", 1, &number);
        h.push_exited(num_in, 40, "PassStateExited", 1, &number, false);
        h.push_map_iteration(start, 30, "MapIterationStarted", 2, 4);
        let kept = h.len();
        // What a Distributed Map's child execution adds and drops again.
        h.push(start, 60, "ExecutionFailed", Body::from(failed()));
        h.push_entered(start, 60, "PassStateEntered", 1, &Data::from(json!("s")));
        h.truncate(kept);
        assert_eq!((h.values.len(), h.others.len()), (2, 0), "the dropped events' payloads go");
        h.push(start, 20, "ExecutionFailed", Body::from(failed()));
        h.push_entered(start, 20, "PassStateEntered", 1, &Data::from(json!("t")));
        h.put_in_time_order(&mut []);
        let times: Vec<i64> = h.iter().map(|e| e.timestamp_ms).collect();
        assert_eq!(times, [20, 20, 30, 40, 40, 50, 50, 50], "in time order");
        let rendered: Vec<Value> = h.iter().map(|e| e.to_json()).collect();
        let find = |ty: &str, name: &str| {
            rendered.iter().find(|e| {
                e["type"] == ty && e.to_string().contains(&format!("\"name\":\"{name}\""))
            })
        };
        let text = |e: Option<&Value>, f: &str, d: &str| {
            e.and_then(|e| e[f][d].as_str().map(str::to_owned))
        };
        assert_eq!(
            text(find("PassStateEntered", "Obj"), "stateEnteredEventDetails", "input"),
            Some(r#"{"a":[1]}"#.to_owned())
        );
        assert_eq!(
            text(find("PassStateExited", "Num"), "stateExitedEventDetails", "output"),
            Some("7".to_owned())
        );
        let iteration = rendered.iter().find(|e| e["type"] == "MapIterationStarted");
        assert_eq!(
            iteration.map(|e| e["mapIterationStartedEventDetails"]["index"].clone()),
            Some(json!(4))
        );
        let failure = rendered.iter().find(|e| e["type"] == "ExecutionFailed");
        assert_eq!(
            failure.map(|e| e["executionFailedEventDetails"]["error"].clone()),
            Some(json!("E"))
        );
        let strings: Vec<String> = rendered
            .iter()
            .filter(|e| e["type"] == "PassStateEntered")
            .filter_map(|e| e["stateEnteredEventDetails"]["input"].as_str().map(str::to_owned))
            .collect();
        assert_eq!(strings, ["\"t\"", "7", r#"{"a":[1]}"#], "entries in time order");
    }

    #[test]
    fn exits_held_under_the_next_read_their_own_outputs_and_hold_them_when_cut_off() {
        let names: StateNames = (0..6).map(|i| Arc::from(format!("S{i}"))).collect();
        let mut h = History::new(names, 4);
        // S0..S4 each add a field to the last one's output, collected until S4 layers them.
        let base: Arc<Object> = Arc::new(Object::new());
        let mut fields = NewFields::new();
        let mut cursor = h.push_entered_object(0, 0, "PassStateEntered", 0, &base);
        for state in 0..5u32 {
            if state > 0 {
                cursor = h.push_entered_after_exit(cursor, 0, "PassStateEntered", state);
            }
            fields.push(&Arc::from(format!("k{state}")), Payload::from(1u64), None);
            cursor = match state {
                4 => {
                    let object = fields.layer_over(Arc::clone(&base));
                    h.push_exited_object(cursor, 0, "PassStateExited", state, &object)
                }
                _ => h.push_exited_under_next(cursor, 0, "PassStateExited", state),
            };
        }
        let outputs = |h: &History| -> Vec<usize> {
            h.iter()
                .filter_map(|e| match e.details {
                    Details::StateExited { output, .. } => output.as_object().map(Object::len),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(outputs(&h), [1, 2, 3, 4, 5], "each exit shows the fields it had");
        let inputs: Vec<usize> = h
            .iter()
            .filter_map(|e| match e.details {
                Details::StateEntered { input, .. } => input.as_object().map(Object::len),
                _ => None,
            })
            .collect();
        assert_eq!(inputs, [0, 1, 2, 3, 4], "each entry shows the exit before it");
        // Cut after S2's exit (a Distributed Map's child dropped): S0..S2 hold their own.
        h.truncate(6);
        assert_eq!(outputs(&h), [1, 2, 3]);
        assert!(h.heads.iter().all(|h| h.kind != Kind::ExitedUnderNext));
    }
}
