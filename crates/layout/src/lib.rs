//! Layered layout of a [`StateGraph`] on layout-rs.
//!
//! Each scope (the top level, each Parallel branch, each Map item processor) is laid out on its
//! own, innermost first, so a container state is sized to hold its branches side by side. Only
//! the forward flow goes through layout-rs: Catch edges and back edges (loops) are left out of
//! the layered layout and drawn afterwards as routes between the placed nodes. That keeps
//! layout-rs on the acyclic, sparse graphs it is fast on (see issue #5 for its cost on dense
//! graphs with its DAG verification on, which is switched off here).
//!
//! Positions are relative to the node's container (its parent in the UI), top-left corner.
//! The output depends only on the graph, never on hash order.

use std::collections::{BTreeMap, BTreeSet};

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use petgraph::stable_graph::NodeIndex;
use stepwise_graph::{EdgeKind, NodeKind, StateGraph};

/// The size of a state box on the canvas.
pub const STATE_SIZE: Size = Size { width: 220.0, height: 56.0 };
/// The size of a start or end marker.
pub const MARKER_SIZE: Size = Size { width: 28.0, height: 28.0 };
/// Space around each node (layout-rs calls it the halo): between neighbours in a rank, and —
/// larger — between ranks, where transition labels go.
const HALO: f64 = 22.0;
const RANK_HALO: f64 = 64.0;
/// Room inside a container around its branches, and for its title on top.
const CONTAINER_PADDING: f64 = 20.0;
const CONTAINER_HEADER: f64 = 44.0;
/// Space between two branches of one container.
const BRANCH_GAP: f64 = 24.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Size {
    pub width: f64,
    pub height: f64,
}

/// Where one node goes: its top-left corner relative to its container, and its size.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeBox {
    pub id: String,
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

/// The laid-out graph: one box per node, keyed by node id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layout {
    pub nodes: BTreeMap<String, NodeBox>,
    /// Transitions (source id, target id) that close a loop. They are not part of the layering,
    /// so the canvas routes them around the side instead of straight up through the flow.
    pub back_edges: BTreeSet<(String, String)>,
}

/// Lays out every scope of the graph.
pub fn layout(graph: &StateGraph) -> Layout {
    let mut out = Layout::default();
    let mut sizes: BTreeMap<NodeIndex, Size> = BTreeMap::new();
    // Scopes are numbered parents before children, so going backwards lays out the innermost
    // scopes first and every container knows the size of what it holds.
    for scope in (0..graph.scopes.len()).rev() {
        let placed = layout_scope(graph, scope, &sizes, &mut out.back_edges);
        if let Some(container) = graph.scopes[scope].container {
            // Branches of one container sit side by side; scopes_of is in branch order.
            let siblings: Vec<usize> = graph.scopes_of(container).collect();
            if siblings.first() == Some(&scope) {
                sizes.insert(container, container_size(graph, &siblings, &out, &placed));
            }
        }
        for (id, node_box) in placed {
            out.nodes.insert(id, node_box);
        }
    }
    offset_branches(graph, &mut out);
    out
}

/// Lays out one scope; containers in it take their size from `sizes`.
fn layout_scope(
    graph: &StateGraph,
    scope: usize,
    sizes: &BTreeMap<NodeIndex, Size>,
    back_edges: &mut BTreeSet<(String, String)>,
) -> Vec<(String, NodeBox)> {
    // The end marker is placed after the layering, under everything: if it took part, every
    // Fail and Succeed would be pulled down to the last rank, far from the state leading to it.
    let end = graph.scopes[scope].end;
    let nodes: Vec<NodeIndex> = graph.nodes_in(scope).filter(|&n| n != end).collect();
    let mut visual = VisualGraph::new(Orientation::TopToBottom);
    visual.dag.set_validate(false);
    let mut handles = BTreeMap::new();
    for &node in &nodes {
        let size = match graph.graph[node].kind {
            NodeKind::Start | NodeKind::End => MARKER_SIZE,
            NodeKind::State(_) => sizes.get(&node).copied().unwrap_or(STATE_SIZE),
        };
        let mut element = Element::create(
            ShapeKind::new_box(""),
            StyleAttr::simple(),
            Orientation::TopToBottom,
            Point::new(size.width, size.height),
        );
        element.pos = Position::new(
            Point::zero(),
            element.pos.size(false),
            Point::zero(),
            Point::new(HALO, RANK_HALO),
        );
        handles.insert(node, visual.add_node(element));
    }
    let (forward, back) = split_edges(graph, scope);
    for (from, to) in forward {
        if to != end {
            visual.add_edge(Arrow::simple(""), handles[&from], handles[&to]);
        }
    }
    for (from, to) in back {
        back_edges.insert((graph.graph[from].id.clone(), graph.graph[to].id.clone()));
    }
    visual.do_it(false, false, false, &mut NoRender);

    let mut boxes: Vec<(String, NodeBox)> = nodes
        .iter()
        .map(|node| {
            let (top_left, bottom_right) = visual.pos(handles[node]).bbox(false);
            let node_box = NodeBox {
                id: graph.graph[*node].id.clone(),
                x: top_left.x,
                y: top_left.y,
                width: bottom_right.x - top_left.x,
                height: bottom_right.y - top_left.y,
            };
            (node_box.id.clone(), node_box)
        })
        .collect();
    boxes.push(end_marker(graph, scope, &boxes));
    // Move the scope so its top-left node touches (0, 0).
    let min_x = boxes.iter().map(|(_, b)| b.x).fold(f64::INFINITY, f64::min);
    let min_y = boxes.iter().map(|(_, b)| b.y).fold(f64::INFINITY, f64::min);
    for (_, node_box) in &mut boxes {
        node_box.x = (node_box.x - min_x).round();
        node_box.y = (node_box.y - min_y).round();
    }
    boxes
}

/// Transitions as (source, target) pairs.
type Transitions = Vec<(NodeIndex, NodeIndex)>;

/// Centres the end marker under the lowest state that ends the scope (or under everything).
fn end_marker(graph: &StateGraph, scope: usize, placed: &[(String, NodeBox)]) -> (String, NodeBox) {
    let end = graph.scopes[scope].end;
    let id = graph.graph[end].id.clone();
    let bottom = placed.iter().map(|(_, b)| b.y + b.height).fold(0.0, f64::max);
    let enders: Vec<&NodeBox> = graph
        .graph
        .neighbors_directed(end, petgraph::Direction::Incoming)
        .filter_map(|n| placed.iter().find(|(key, _)| *key == graph.graph[n].id).map(|(_, b)| b))
        .collect();
    let anchor = enders
        .iter()
        .copied()
        .max_by(|a, b| (a.y, a.x).partial_cmp(&(b.y, b.x)).unwrap_or(std::cmp::Ordering::Equal))
        .or_else(|| placed.first().map(|(_, b)| b));
    let centre = anchor.map(|b| b.x + b.width / 2.0).unwrap_or(0.0);
    let node_box = NodeBox {
        id: id.clone(),
        x: centre - MARKER_SIZE.width / 2.0,
        y: bottom + 2.0 * HALO,
        width: MARKER_SIZE.width,
        height: MARKER_SIZE.height,
    };
    (id, node_box)
}

/// Splits a scope's transitions, Catch edges aside, into the forward edges that shape the
/// layered layout and the back edges that close a loop (found by a depth-first walk from the
/// start marker in document order, so the choice is deterministic).
fn split_edges(graph: &StateGraph, scope: usize) -> (Transitions, Transitions) {
    // A Catch edge shapes the layering only when it is the only way into its target (a
    // recovery state reached from nowhere else): then the target sits below the state that
    // catches, not at the top. All other Catch edges are routed after layout, which keeps the
    // layered graph sparse, where layout-rs is fast.
    let mut reached_by_flow = BTreeSet::new();
    for node in graph.nodes_in(scope) {
        for (target, edge) in graph.successors(node) {
            if !matches!(edge.kind, EdgeKind::Catch(_)) {
                reached_by_flow.insert(target);
            }
        }
    }
    let mut catch_layered = BTreeSet::new();
    for node in graph.nodes_in(scope) {
        for (target, edge) in graph.successors(node) {
            if matches!(edge.kind, EdgeKind::Catch(_))
                && !reached_by_flow.contains(&target)
                && !catch_layered.iter().any(|&(_, t)| t == target)
            {
                catch_layered.insert((node, target));
            }
        }
    }
    let flow = |node: NodeIndex| -> Vec<NodeIndex> {
        graph
            .successors(node)
            .into_iter()
            .filter(|(target, edge)| {
                !matches!(edge.kind, EdgeKind::Catch(_)) || catch_layered.contains(&(node, *target))
            })
            .map(|(target, _)| target)
            .collect()
    };
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        OnStack,
        Done,
    }
    let mut marks: BTreeMap<NodeIndex, Mark> =
        graph.nodes_in(scope).map(|n| (n, Mark::New)).collect();
    let mut edges = Vec::new();
    let mut back = Vec::new();
    let roots: Vec<NodeIndex> =
        std::iter::once(graph.scopes[scope].start).chain(graph.nodes_in(scope)).collect();
    for root in roots {
        if marks[&root] != Mark::New {
            continue;
        }
        // An explicit stack keeps deep chains from overflowing the thread's stack.
        let mut stack: Vec<(NodeIndex, Vec<NodeIndex>)> = vec![(root, flow(root))];
        marks.insert(root, Mark::OnStack);
        while let Some((node, pending)) = stack.last_mut() {
            let node = *node;
            match pending.pop() {
                None => {
                    marks.insert(node, Mark::Done);
                    stack.pop();
                }
                Some(next) => match marks[&next] {
                    Mark::OnStack => back.push((node, next)),
                    Mark::Done => edges.push((node, next)),
                    Mark::New => {
                        edges.push((node, next));
                        marks.insert(next, Mark::OnStack);
                        let successors = flow(next);
                        stack.push((next, successors));
                    }
                },
            }
        }
    }
    edges.sort();
    edges.dedup();
    back.sort();
    back.dedup();
    (edges, back)
}

/// The size of a container: its branches side by side, under a header.
fn container_size(
    graph: &StateGraph,
    branches: &[usize],
    done: &Layout,
    current: &[(String, NodeBox)],
) -> Size {
    let extent = |scope: usize| -> Size {
        let mut size = Size { width: 0.0, height: 0.0 };
        for node in graph.nodes_in(scope) {
            let id = &graph.graph[node].id;
            let node_box = done
                .nodes
                .get(id)
                .or_else(|| current.iter().find(|(key, _)| key == id).map(|(_, b)| b));
            if let Some(b) = node_box {
                size.width = size.width.max(b.x + b.width);
                size.height = size.height.max(b.y + b.height);
            }
        }
        size
    };
    let extents: Vec<Size> = branches.iter().map(|&s| extent(s)).collect();
    let width = extents.iter().map(|s| s.width).sum::<f64>()
        + BRANCH_GAP * (extents.len().saturating_sub(1)) as f64
        + 2.0 * CONTAINER_PADDING;
    let height =
        extents.iter().map(|s| s.height).fold(0.0, f64::max) + CONTAINER_HEADER + CONTAINER_PADDING;
    Size { width: width.max(STATE_SIZE.width), height: height.max(STATE_SIZE.height) }
}

/// Shifts each branch to its place inside its container, left to right.
fn offset_branches(graph: &StateGraph, layout: &mut Layout) {
    for (index, scope) in graph.scopes.iter().enumerate() {
        let Some(container) = scope.container else { continue };
        let siblings: Vec<usize> = graph.scopes_of(container).collect();
        let mut x = CONTAINER_PADDING;
        for &sibling in &siblings {
            let ids: Vec<String> =
                graph.nodes_in(sibling).map(|n| graph.graph[n].id.clone()).collect();
            let width = ids
                .iter()
                .filter_map(|id| layout.nodes.get(id))
                .map(|b| b.x + b.width)
                .fold(0.0, f64::max);
            if sibling == index {
                for id in &ids {
                    if let Some(b) = layout.nodes.get_mut(id) {
                        b.x += x;
                        b.y += CONTAINER_HEADER;
                    }
                }
            }
            x += width + BRANCH_GAP;
        }
    }
}

/// layout-rs places nodes while it renders; Stepwise draws in the browser, so this backend draws
/// nothing and only lets the placement run.
struct NoRender;

impl RenderBackend for NoRender {
    fn draw_rect(
        &mut self,
        _: Point,
        _: Point,
        _: &StyleAttr,
        _: Option<String>,
        _: Option<ClipHandle>,
    ) {
    }
    fn draw_line(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_circle(&mut self, _: Point, _: Point, _: &StyleAttr, _: Option<String>) {}
    fn draw_text(&mut self, _: Point, _: &str, _: &StyleAttr) {}
    fn draw_arrow(
        &mut self,
        _: &[(Point, Point)],
        _: bool,
        _: (bool, bool),
        _: &StyleAttr,
        _: Option<String>,
        _: &str,
    ) {
    }
    fn create_clip(&mut self, _: Point, _: Point, _: usize) -> ClipHandle {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn laid_out(text: &str) -> (StateGraph, Layout) {
        let definition = stepwise_asl::parse(text).definition.expect("valid definition");
        let graph = StateGraph::project(&definition);
        let layout = layout(&graph);
        (graph, layout)
    }

    #[test]
    fn a_chain_flows_top_to_bottom_without_overlap() {
        let (_, layout) = laid_out(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
        );
        let y = |id: &str| layout.nodes[id].y;
        assert!(y("#start") < y("/States/A"), "start marker above the first state");
        assert!(y("/States/A") + STATE_SIZE.height <= y("/States/B"), "A above B, no overlap");
        assert!(y("/States/B") + STATE_SIZE.height <= y("/States/C"));
        assert!(y("/States/C") < y("#end"));
        assert_eq!(layout.nodes["/States/A"].width, STATE_SIZE.width);
    }

    #[test]
    fn a_fail_sits_next_to_its_choice_not_at_the_bottom() {
        let (_, layout) = laid_out(
            r#"{"StartAt":"Ok?","States":{
                "Ok?":{"Type":"Choice","Choices":[{"Variable":"$.ok","BooleanEquals":false,"Next":"No"}],"Default":"A"},
                "No":{"Type":"Fail"},
                "A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
        );
        let y = |id: &str| layout.nodes[id].y;
        assert_eq!(y("/States/No"), y("/States/A"), "both follow the Choice directly");
    }

    #[test]
    fn loops_and_catches_do_not_break_the_layering() {
        let (_, layout) = laid_out(
            r#"{"StartAt":"Poll","States":{
                "Poll":{"Type":"Task","Resource":"x","Next":"Done?",
                        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Failed"}]},
                "Done?":{"Type":"Choice","Choices":[{"Variable":"$.done","BooleanEquals":false,"Next":"Poll"}],"Default":"Ok"},
                "Ok":{"Type":"Succeed"},"Failed":{"Type":"Fail"}}}"#,
        );
        let y = |id: &str| layout.nodes[id].y;
        assert!(
            y("/States/Poll") < y("/States/Done?"),
            "the loop back to Poll is not a layer edge"
        );
        assert!(y("/States/Done?") < y("/States/Ok"));
    }

    #[test]
    fn containers_hold_their_branches_side_by_side() {
        let (_, layout) = laid_out(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]}}}"#,
        );
        let parallel = &layout.nodes["/States/P"];
        let a = &layout.nodes["/States/P/Branches/0/States/A"];
        let b = &layout.nodes["/States/P/Branches/1/States/B"];
        assert!(a.x + a.width <= b.x, "branch 0 left of branch 1");
        assert!(b.x + b.width <= parallel.width, "branch 1 inside the container");
        assert!(a.y >= CONTAINER_HEADER, "branches sit under the container's title");
        assert!(a.y + a.height <= parallel.height);
    }
}
