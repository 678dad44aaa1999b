//! The graph of a state machine, derived from its [`Definition`].
//!
//! States are nodes; transitions are edges by kind (Next, each Choice rule, Default, each Catch).
//! Every machine — the top level, each Parallel branch, each Map item processor — is a [`Scope`]
//! with its own start and end markers, so the UI can draw containers and the layout can lay each
//! scope out on its own. The graph is never edited: edits go to the document and the graph is
//! derived again.

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
}
