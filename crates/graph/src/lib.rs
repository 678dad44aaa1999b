//! The graph of a state machine, derived from its [`Definition`].
//!
//! States are nodes; transitions are edges by kind (Next, each Choice rule, Default, each Catch).
//! Every machine — the top level, each Parallel branch, each Map item processor — is a [`Scope`]
//! with its own start and end markers, so the UI can draw containers and the layout can lay each
//! scope out on its own. The graph is never edited: edits go to the document and the graph is
//! derived again.
//!
//! Queries for the UI: [`StateGraph::reachable`], [`StateGraph::unreachable`],
//! [`StateGraph::successors`], [`StateGraph::predecessors`], [`StateGraph::cycles`],
//! [`StateGraph::path_to`] (from the top-level start, through containers) and
//! [`StateGraph::terminal_states`]. Choice edges carry a readable label of their condition,
//! And/Or/Not included (`($.a == 1 && !($.b is null))`); Catch edges carry their error names.
//!
//! Invariants: node and scope order follow the document, so [`render_text`] is deterministic;
//! a transition to a missing state is left out (the validator reports it).

use std::fmt::Write as _;

use petgraph::Direction;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use petgraph::visit::EdgeRef;
use stepwise_asl::{Definition, StateType};

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// The start marker of a scope.
    Start,
    /// The end marker of a scope: every `End: true`, Succeed and Fail leads here.
    End,
    State(StateType),
}

/// A node. `id` is unique in the graph: the state's JSON Pointer, or the scope's pointer with
/// `#start` / `#end` for the markers.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: String,
    pub name: String,
    pub kind: NodeKind,
    /// Index into [`StateGraph::scopes`].
    pub scope: usize,
}

/// Why one node leads to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// From a scope's start marker to its `StartAt` state.
    Start,
    Next,
    /// The n-th rule of a Choice state.
    Choice(usize),
    Default,
    /// The n-th catcher of a state.
    Catch(usize),
    /// Into a scope's end marker.
    End,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    pub kind: EdgeKind,
    /// A Choice rule's condition, or a catcher's error names.
    pub label: Option<String>,
}

/// One machine: the top level, a Parallel branch or a Map item processor.
#[derive(Debug, Clone, PartialEq)]
pub struct Scope {
    /// JSON Pointer of the machine ("" for the top level).
    pub pointer: String,
    /// The Parallel or Map state that holds this scope; `None` for the top level.
    pub container: Option<NodeIndex>,
    pub start: NodeIndex,
    pub end: NodeIndex,
}

/// The projection of a definition.
#[derive(Debug, Clone, Default)]
pub struct StateGraph {
    pub graph: StableDiGraph<Node, Edge>,
    /// Scopes in document order; the top level is scope 0.
    pub scopes: Vec<Scope>,
}

impl StateGraph {
    /// Projects a definition. References to states that do not exist are left out: the
    /// validator reports them, the graph shows what is real.
    pub fn project(definition: &Definition) -> StateGraph {
        let mut graph = StateGraph::default();
        graph.add_scope(definition, None);
        graph
    }

    fn add_scope(&mut self, machine: &Definition, container: Option<NodeIndex>) -> usize {
        let scope = self.scopes.len();
        let marker = |id: &str, name: &str, kind| Node {
            id: format!("{}#{id}", machine.pointer),
            name: name.to_owned(),
            kind,
            scope,
        };
        let start = self.graph.add_node(marker("start", "Start", NodeKind::Start));
        let end = self.graph.add_node(marker("end", "End", NodeKind::End));
        self.scopes.push(Scope { pointer: machine.pointer.clone(), container, start, end });

        let ids: Vec<NodeIndex> = machine
            .states
            .values()
            .map(|state| {
                self.graph.add_node(Node {
                    id: state.pointer.clone(),
                    name: state.name.clone(),
                    kind: NodeKind::State(state.state_type),
                    scope,
                })
            })
            .collect();
        let find = |name: &Option<String>| -> Option<NodeIndex> {
            name.as_ref().and_then(|name| machine.states.get_index_of(name)).map(|i| ids[i])
        };
        if let Some(first) = find(&machine.start_at) {
            self.graph.add_edge(start, first, Edge { kind: EdgeKind::Start, label: None });
        }
        for (state, &node) in machine.states.values().zip(&ids) {
            let mut connect = |to: Option<NodeIndex>, kind, label: Option<String>| {
                if let Some(to) = to {
                    self.graph.add_edge(node, to, Edge { kind, label });
                }
            };
            connect(find(&state.next), EdgeKind::Next, None);
            for (i, rule) in state.choices.iter().enumerate() {
                connect(find(&rule.next), EdgeKind::Choice(i), Some(rule.label.clone()));
            }
            connect(find(&state.default), EdgeKind::Default, None);
            for (i, catcher) in state.catch.iter().enumerate() {
                let label = catcher.error_equals.join(", ");
                connect(find(&catcher.next), EdgeKind::Catch(i), Some(label));
            }
            if state.end || state.state_type.is_terminal() {
                connect(Some(end), EdgeKind::End, None);
            }
            for branch in &state.branches {
                self.add_scope(branch, Some(node));
            }
            if let Some(processor) = &state.item_processor {
                self.add_scope(processor, Some(node));
            }
        }
        scope
    }

    /// The nodes of one scope, in document order (markers first).
    pub fn nodes_in(&self, scope: usize) -> impl Iterator<Item = NodeIndex> + '_ {
        self.graph.node_indices().filter(move |&n| self.graph[n].scope == scope)
    }

    /// The scopes held directly by a container state.
    pub fn scopes_of(&self, container: NodeIndex) -> impl Iterator<Item = usize> + '_ {
        (0..self.scopes.len()).filter(move |&s| self.scopes[s].container == Some(container))
    }

    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<NodeIndex> {
        self.graph.node_indices().find(|&n| self.graph[n].id == id)
    }

    /// Nodes reachable from the scope's start marker, following every kind of edge.
    pub fn reachable(&self, scope: usize) -> Vec<NodeIndex> {
        let mut seen = Vec::new();
        let mut dfs = petgraph::visit::Dfs::new(&self.graph, self.scopes[scope].start);
        while let Some(node) = dfs.next(&self.graph) {
            seen.push(node);
        }
        seen
    }

    /// The direct successors of a node with the edge that leads there.
    pub fn successors(&self, node: NodeIndex) -> Vec<(NodeIndex, &Edge)> {
        let mut out: Vec<_> = self
            .graph
            .edges_directed(node, Direction::Outgoing)
            .map(|edge| (edge.target(), edge.weight()))
            .collect();
        out.reverse(); // petgraph lists the newest edge first; keep document order
        out
    }
}

impl StateGraph {
    /// The direct predecessors of a node with the edge that leads from each, in document order.
    pub fn predecessors(&self, node: NodeIndex) -> Vec<(NodeIndex, &Edge)> {
        let mut out: Vec<_> = self
            .graph
            .edges_directed(node, Direction::Incoming)
            .map(|edge| (edge.source(), edge.weight()))
            .collect();
        out.sort_by_key(|(source, _)| source.index());
        out
    }

    /// The states of a scope that end it: those with an edge into its end marker.
    pub fn terminal_states(&self, scope: usize) -> Vec<NodeIndex> {
        let Some(end) = self.scopes.get(scope).map(|s| s.end) else { return Vec::new() };
        let mut out: Vec<NodeIndex> =
            self.graph.neighbors_directed(end, Direction::Incoming).collect();
        out.sort_by_key(|n| n.index());
        out.dedup();
        out
    }

    /// The states of a scope that its start marker does not reach.
    pub fn unreachable(&self, scope: usize) -> Vec<NodeIndex> {
        let reached = self.reachable(scope);
        self.nodes_in(scope)
            .filter(|n| matches!(self.graph[*n].kind, NodeKind::State(_)) && !reached.contains(n))
            .collect()
    }

    /// The cycles: every strongly connected set of states (a loop through Next, Choice, Default
    /// or Catch edges), and every state that transitions to itself. Each cycle is sorted by
    /// node index; cycles are sorted by their first node.
    pub fn cycles(&self) -> Vec<Vec<NodeIndex>> {
        let mut out: Vec<Vec<NodeIndex>> = petgraph::algo::tarjan_scc(&self.graph)
            .into_iter()
            .filter(|component| {
                component.len() > 1
                    || component.first().is_some_and(|&n| self.graph.contains_edge(n, n))
            })
            .map(|mut component| {
                component.sort_by_key(|n| n.index());
                component
            })
            .collect();
        out.sort_by_key(|c| c.first().map(|n| n.index()));
        out
    }

    /// A shortest path from the top-level start marker to `target`, through the containers of
    /// nested scopes: e.g. Start → P (the Parallel) → branch Start → A. `None` when the target
    /// is not reachable.
    pub fn path_to(&self, target: NodeIndex) -> Option<Vec<NodeIndex>> {
        let scope = self.graph.node_weight(target)?.scope;
        let info = self.scopes.get(scope)?;
        let inner = self.path_in_scope(info.start, target)?;
        match info.container {
            None => Some(inner),
            Some(container) => {
                let mut outer = self.path_to(container)?;
                outer.extend(inner);
                Some(outer)
            }
        }
    }

    /// A shortest path between two nodes of the same scope (breadth first).
    fn path_in_scope(&self, from: NodeIndex, to: NodeIndex) -> Option<Vec<NodeIndex>> {
        let mut previous: std::collections::HashMap<NodeIndex, NodeIndex> =
            std::collections::HashMap::new();
        let mut queue = std::collections::VecDeque::from([from]);
        let mut seen = std::collections::HashSet::from([from]);
        while let Some(node) = queue.pop_front() {
            if node == to {
                let mut path = vec![to];
                let mut at = to;
                while let Some(&before) = previous.get(&at) {
                    path.push(before);
                    at = before;
                }
                path.reverse();
                return Some(path);
            }
            for (next, _) in self.successors(node) {
                if seen.insert(next) {
                    previous.insert(next, node);
                    queue.push_back(next);
                }
            }
        }
        None
    }
}

/// A stable text rendering for snapshot tests: one line per edge, scope by scope.
pub fn render_text(graph: &StateGraph) -> String {
    let mut out = String::new();
    for (index, scope) in graph.scopes.iter().enumerate() {
        let title = if scope.pointer.is_empty() { "/" } else { &scope.pointer };
        let _ = writeln!(out, "scope {title}");
        for node in graph.nodes_in(index) {
            for (target, edge) in graph.successors(node) {
                let kind = match edge.kind {
                    EdgeKind::Start => "start".to_owned(),
                    EdgeKind::Next => "next".to_owned(),
                    EdgeKind::Choice(i) => format!("choice[{i}]"),
                    EdgeKind::Default => "default".to_owned(),
                    EdgeKind::Catch(i) => format!("catch[{i}]"),
                    EdgeKind::End => "end".to_owned(),
                };
                let label = edge.label.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
                let from = &graph.graph[node].name;
                let to = &graph.graph[target].name;
                let _ = writeln!(out, "  {from} -{kind}-> {to}{label}");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projects_every_kind_of_transition_and_nested_scopes() {
        let text = r#"{"StartAt":"Check","States":{
            "Check":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":true,"Next":"Work"}],"Default":"Nope"},
            "Work":{"Type":"Parallel","Next":"Done","Catch":[{"ErrorEquals":["States.ALL"],"Next":"Nope"}],
                "Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]},
            "Nope":{"Type":"Fail"},
            "Done":{"Type":"Succeed"}}}"#;
        let definition = stepwise_asl::parse(text).definition.expect("valid");
        let graph = StateGraph::project(&definition);
        assert_eq!(
            render_text(&graph),
            "scope /\n  Start -start-> Check\n  Check -choice[0]-> Work ($.ok == true)\n  \
             Check -default-> Nope\n  Work -next-> Done\n  Work -catch[0]-> Nope (States.ALL)\n  \
             Nope -end-> End\n  Done -end-> End\nscope /States/Work/Branches/0\n  \
             Start -start-> A\n  A -end-> End\n"
        );
        let work = graph.node("/States/Work").expect("Work is a node");
        assert_eq!(graph.scopes_of(work).collect::<Vec<_>>(), vec![1]);
    }

    fn names(graph: &StateGraph, nodes: &[NodeIndex]) -> Vec<String> {
        nodes.iter().map(|&n| graph.graph[n].name.clone()).collect()
    }

    #[test]
    fn queries_for_the_ui() {
        let text = r#"{"StartAt":"Poll","States":{
            "Poll":{"Type":"Pass","Next":"Ready?"},
            "Ready?":{"Type":"Choice","Choices":[
                {"And":[{"Variable":"$.ready","BooleanEquals":true},{"Not":{"Variable":"$.error","IsPresent":true}}],"Next":"Work"}],
                "Default":"Wait"},
            "Wait":{"Type":"Wait","Seconds":5,"Next":"Poll"},
            "Work":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"Item","States":{"Item":{"Type":"Succeed"}}}},
            "Orphan":{"Type":"Pass","End":true}}}"#;
        let definition = stepwise_asl::parse(text).definition.expect("valid");
        let graph = StateGraph::project(&definition);
        let id = |pointer: &str| graph.node(pointer).expect("a node");

        let cycles: Vec<Vec<String>> = graph.cycles().iter().map(|c| names(&graph, c)).collect();
        assert_eq!(cycles, vec![vec!["Poll", "Ready?", "Wait"]]);

        let before: Vec<String> = graph
            .predecessors(id("/States/Poll"))
            .iter()
            .map(|(n, _)| graph.graph[*n].name.clone())
            .collect();
        assert_eq!(before, vec!["Start", "Wait"]);

        let path = graph.path_to(id("/States/Work/ItemProcessor/States/Item")).expect("reachable");
        assert_eq!(names(&graph, &path), vec!["Start", "Poll", "Ready?", "Work", "Start", "Item"]);
        assert!(graph.path_to(id("/States/Orphan")).is_none());

        assert_eq!(names(&graph, &graph.terminal_states(0)), vec!["Work", "Orphan"]);
        assert_eq!(names(&graph, &graph.unreachable(0)), vec!["Orphan"]);

        let label = graph
            .successors(id("/States/Ready?"))
            .into_iter()
            .find_map(|(_, e)| e.label.clone())
            .expect("a labelled choice");
        assert_eq!(label, "($.ready == true && !($.error is present))");
    }
}
