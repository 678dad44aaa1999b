//! The last fresh layout, kept with what it was computed from, so an edit that changed no
//! transition (a field, a state's type, a comment) skips layout-rs.
//!
//! [`layout`](crate::layout) reads of a graph only its nodes' ids, scopes and roles (start
//! marker, end marker or state: never a state's type or name), its scopes and its transitions
//! by kind. That is the [`Shape`]: two graphs of one shape get the same layout. On a
//! 1,000-state machine the fresh layout is most of an edit's cost (tens of milliseconds); the
//! comparison is a walk over the nodes and edges.

use petgraph::stable_graph::NodeIndex;
use stepwise_graph::{EdgeKind, NodeKind, StateGraph};

use crate::{Layout, NodeBox, layout, layout_keeping_from};

/// [`layout`] and [`layout_keeping`](crate::layout_keeping), computing the fresh layout again
/// only when the graph's shape changed.
#[derive(Debug, Default)]
pub struct LayoutMemo {
    shape: Shape,
    fresh: Layout,
}

impl LayoutMemo {
    /// The same as `layout(graph)`.
    pub fn layout(&mut self, graph: &StateGraph) -> &Layout {
        if !self.shape.matches(graph) {
            self.fresh = layout(graph);
            self.shape = Shape::of(graph);
        }
        &self.fresh
    }

    /// The same as `layout_keeping(graph, previous)`.
    pub fn layout_keeping(
        &mut self,
        graph: &StateGraph,
        previous: &std::collections::BTreeMap<String, NodeBox>,
    ) -> Layout {
        let fresh = self.layout(graph);
        layout_keeping_from(graph, fresh, previous)
    }
}

/// What the layout of a graph depends on. Graphs come from `StateGraph::project` and are never
/// edited, so equal node and edge lists (in index order) mean equal adjacency lists too.
#[derive(Debug, Default, PartialEq)]
struct Shape {
    nodes: Vec<(NodeIndex, String, Role, usize)>,
    scopes: Vec<(Option<NodeIndex>, NodeIndex, NodeIndex)>,
    edges: Vec<(NodeIndex, NodeIndex, EdgeKind)>,
}

/// A node's kind as the layout sees it: the size of its box follows from it.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Start,
    End,
    State,
}

impl Role {
    fn of(kind: NodeKind) -> Role {
        match kind {
            NodeKind::Start => Role::Start,
            NodeKind::End => Role::End,
            NodeKind::State(_) => Role::State,
        }
    }
}

impl Shape {
    fn of(graph: &StateGraph) -> Shape {
        let g = &graph.graph;
        Shape {
            nodes: g
                .node_indices()
                .map(|n| (n, g[n].id.clone(), Role::of(g[n].kind), g[n].scope))
                .collect(),
            scopes: graph.scopes.iter().map(|s| (s.container, s.start, s.end)).collect(),
            edges: g.edge_indices().filter_map(|e| edge(graph, e)).collect(),
        }
    }

    /// `*self == Shape::of(graph)`, without building the shape.
    fn matches(&self, graph: &StateGraph) -> bool {
        let g = &graph.graph;
        self.nodes.len() == g.node_count()
            && self.scopes.len() == graph.scopes.len()
            && self.edges.len() == g.edge_count()
            && self.nodes.iter().zip(g.node_indices()).all(|((index, id, role, scope), n)| {
                *index == n
                    && *id == g[n].id
                    && *role == Role::of(g[n].kind)
                    && *scope == g[n].scope
            })
            && self
                .scopes
                .iter()
                .zip(&graph.scopes)
                .all(|(mine, s)| *mine == (s.container, s.start, s.end))
            && self
                .edges
                .iter()
                .zip(g.edge_indices())
                .all(|(mine, e)| Some(*mine) == edge(graph, e))
    }
}

fn edge(
    graph: &StateGraph,
    edge: petgraph::stable_graph::EdgeIndex,
) -> Option<(NodeIndex, NodeIndex, EdgeKind)> {
    let (source, target) = graph.graph.edge_endpoints(edge)?;
    Some((source, target, graph.graph[edge].kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout_keeping;

    fn graph(text: &str) -> StateGraph {
        StateGraph::project(&stepwise_asl::parse(text).definition.expect("valid definition"))
    }

    #[test]
    fn a_changed_type_reuses_the_layout_and_a_changed_transition_does_not() {
        let before = graph(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
        );
        let mut memo = LayoutMemo::default();
        let drawn = memo.layout(&before).nodes.clone();
        let retyped = graph(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Wait","Seconds":1,"Next":"C"},"C":{"Type":"Succeed"}}}"#,
        );
        assert!(memo.shape.matches(&retyped), "a type is not part of the shape");
        assert_eq!(memo.layout_keeping(&retyped, &drawn), layout_keeping(&retyped, &drawn));
        let rewired = graph(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"C"},
                "B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
        );
        assert!(!memo.shape.matches(&rewired), "a transition is");
        assert_eq!(memo.layout_keeping(&rewired, &drawn), layout_keeping(&rewired, &drawn));
        assert_eq!(memo.layout(&rewired), &layout(&rewired), "laid out again");
    }
}
