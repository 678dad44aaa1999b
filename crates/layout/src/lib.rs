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
//! The output depends only on the graph, never on hash order. [`LayoutMemo`] keeps the last
//! fresh layout, so an edit that changed no transition is not laid out again.

use std::collections::{BTreeMap, BTreeSet};

use layout::core::base::Orientation;
use layout::core::format::{ClipHandle, RenderBackend};
use layout::core::geometry::{Point, Position};
use layout::core::style::StyleAttr;
use layout::std_shapes::shapes::{Arrow, Element, ShapeKind};
use layout::topo::layout::VisualGraph;
use petgraph::stable_graph::NodeIndex;
use stepwise_graph::{EdgeKind, NodeKind, StateGraph};

mod memo;
pub use memo::LayoutMemo;

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

/// Space kept between a newly placed state and its neighbours.
const PLACE_GAP_X: f64 = 40.0;
const PLACE_GAP_Y: f64 = 48.0;

/// Lays out the graph after an edit while keeping the canvas still: every node found in
/// `previous` (where it was drawn before the edit, keyed by its id after the edit, relative to
/// its container) stays exactly there, and only the new nodes are placed — under their first
/// predecessor when there is room, else on the nearest free spot of a grid around it, never
/// overlapping a node of the same container. A new node with no predecessor goes to the right
/// of its scope. The content of a new container keeps its automatic layout (it is new as a
/// whole). A container that holds a new child grows to hold it; it never shrinks, so removing
/// a state leaves its neighbours where they are. `previous` empty, or an edit that made most
/// of the graph new, means a fresh layout. When a container grows over what lies under it (or
/// right of it), that moves by as much as the container grew: the one case where a node that
/// was there moves, rather than being covered.
pub fn layout_keeping(graph: &StateGraph, previous: &BTreeMap<String, NodeBox>) -> Layout {
    layout_keeping_from(graph, &layout(graph), previous)
}

/// [`layout_keeping`] given the graph's fresh layout.
fn layout_keeping_from(
    graph: &StateGraph,
    fresh: &Layout,
    previous: &BTreeMap<String, NodeBox>,
) -> Layout {
    if previous.is_empty() {
        return fresh.clone();
    }
    // Every node starts at its fresh box: a kept one then takes its place from `previous`, a
    // pending one is taken out until it is placed. (Copying the map whole is cheaper than
    // inserting its nodes one by one.)
    let mut out = fresh.clone();
    let id = |n: NodeIndex| graph.graph[n].id.clone();
    let container_of = |n: NodeIndex| graph.scopes[graph.graph[n].scope].container;
    // Parents before children: scopes are numbered that way.
    let mut order: Vec<NodeIndex> = Vec::new();
    for scope in 0..graph.scopes.len() {
        order.extend(graph.nodes_in(scope));
    }
    let mut kept: BTreeSet<NodeIndex> = BTreeSet::new();
    let mut pending: Vec<NodeIndex> = Vec::new();
    for &node in &order {
        let node_id = &graph.graph[node].id;
        let Some(node_box) = out.nodes.get_mut(node_id) else { continue };
        let container_is_new = container_of(node).is_some_and(|c| !kept.contains(&c));
        if let Some(before) = previous.get(node_id) {
            (node_box.x, node_box.y) = (before.x, before.y);
            if is_container(graph, node) {
                node_box.width = before.width;
                node_box.height = before.height;
            }
            kept.insert(node);
        } else if !container_is_new {
            out.nodes.remove(node_id);
            pending.push(node);
        }
    }
    // Mostly new (a text replaced as a whole, another machine pasted in the code view): nothing
    // worth keeping still, and placing hundreds of states one by one would be slow and poor.
    if kept.is_empty() || pending.len() > kept.len().max(8) {
        return fresh.clone();
    }
    // Place the new nodes whose predecessor is placed first, so a pasted chain stays a chain.
    while !pending.is_empty() {
        let ready = pending.iter().position(|&n| predecessor(graph, n, &out).is_some());
        let node = pending.remove(ready.unwrap_or(0));
        let size = fresh
            .nodes
            .get(&id(node))
            .map_or(STATE_SIZE, |b| Size { width: b.width, height: b.height });
        let (x, y) = free_spot(graph, node, size, &out);
        let placed = NodeBox { id: id(node), x, y, width: size.width, height: size.height };
        // A new container's content came along at its fresh place, relative to it: nothing
        // to move.
        out.nodes.insert(id(node), placed);
    }
    grow_containers(graph, &kept, &mut out);
    out
}

fn is_container(graph: &StateGraph, node: NodeIndex) -> bool {
    graph.scopes_of(node).next().is_some()
}

/// The placed predecessor a new node goes under: a flow transition before a Catch, the first
/// in document order.
fn predecessor<'a>(graph: &StateGraph, node: NodeIndex, out: &'a Layout) -> Option<&'a NodeBox> {
    let scope = graph.graph[node].scope;
    let mut incoming: Vec<_> = graph
        .predecessors(node)
        .into_iter()
        .filter(|(source, _)| graph.graph[*source].scope == scope && *source != node)
        .collect();
    incoming
        .sort_by_key(|(source, edge)| (matches!(edge.kind, EdgeKind::Catch(_)), source.index()));
    incoming.iter().find_map(|(source, _)| out.nodes.get(&graph.graph[*source].id))
}

/// The placed state a new node leads to first (flow transitions before Catch ones).
fn successor(graph: &StateGraph, node: NodeIndex, out: &Layout) -> Option<NodeIndex> {
    let scope = graph.graph[node].scope;
    let mut outgoing: Vec<_> = graph
        .successors(node)
        .into_iter()
        .filter(|(target, _)| graph.graph[*target].scope == scope && *target != node)
        .filter(|(target, _)| matches!(graph.graph[*target].kind, NodeKind::State(_)))
        .collect();
    outgoing.sort_by_key(|(_, edge)| matches!(edge.kind, EdgeKind::Catch(_)));
    outgoing.iter().map(|(target, _)| *target).find(|t| out.nodes.contains_key(&graph.graph[*t].id))
}

/// The first free spot for a new node, on a grid around where it would naturally go.
fn free_spot(graph: &StateGraph, node: NodeIndex, size: Size, out: &Layout) -> (f64, f64) {
    let container = graph.scopes[graph.graph[node].scope].container;
    let siblings: Vec<&NodeBox> = graph
        .graph
        .node_indices()
        .filter(|&n| n != node && graph.scopes[graph.graph[n].scope].container == container)
        .filter_map(|n| out.nodes.get(&graph.graph[n].id))
        .collect();
    let (min_x, min_y) = if container.is_some() {
        (CONTAINER_PADDING, CONTAINER_HEADER)
    } else {
        (f64::MIN, f64::MIN)
    };
    let (anchor_x, anchor_y) = match (predecessor(graph, node, out), successor(graph, node, out)) {
        (Some(p), _) => (p.x + p.width / 2.0 - size.width / 2.0, p.y + p.height + PLACE_GAP_Y),
        // Nothing leads to it but it leads somewhere (a duplicate): on the row of the states
        // leading there, which puts it beside the state it was copied from.
        (None, Some(target)) => {
            let s = &out.nodes[&graph.graph[target].id];
            let row = predecessor(graph, target, out)
                .filter(|p| p.y < s.y)
                .map_or(s.y - size.height - PLACE_GAP_Y, |p| p.y);
            ((s.x + s.width / 2.0 - size.width / 2.0).max(min_x), row.max(min_y))
        }
        (None, None) => {
            let right = siblings.iter().map(|b| b.x + b.width).fold(f64::MIN, f64::max);
            let top = siblings
                .iter()
                .filter(|b| b.height > MARKER_SIZE.height)
                .map(|b| b.y)
                .fold(f64::MAX, f64::min);
            let x = if right == f64::MIN { 0.0 } else { right + PLACE_GAP_X };
            let y = if top == f64::MAX { 0.0 } else { top };
            (x.max(min_x), y.max(min_y))
        }
    };
    let free = |x: f64, y: f64| {
        x >= min_x
            && y >= min_y
            && siblings.iter().all(|b| {
                x + size.width + PLACE_GAP_X / 2.0 <= b.x
                    || b.x + b.width + PLACE_GAP_X / 2.0 <= x
                    || y + size.height + HALO <= b.y
                    || b.y + b.height + HALO <= y
            })
    };
    let step_x = size.width + PLACE_GAP_X;
    let step_y = STATE_SIZE.height + PLACE_GAP_Y / 2.0;
    for row in 0..200 {
        for col in [0, 1, -1, 2, -2, 3, -3, 4] {
            let (x, y) = (anchor_x + f64::from(col) * step_x, anchor_y + f64::from(row) * step_y);
            if free(x, y) {
                return (x.round(), y.round());
            }
        }
    }
    // Under everything: always free.
    let bottom = siblings.iter().map(|b| b.y + b.height).fold(anchor_y, f64::max);
    (anchor_x.max(min_x).round(), (bottom + PLACE_GAP_Y).round())
}

/// Grows every kept container to hold its content, innermost first; never shrinks one.
fn grow_containers(graph: &StateGraph, kept: &BTreeSet<NodeIndex>, out: &mut Layout) {
    for scope in (0..graph.scopes.len()).rev() {
        let Some(container) = graph.scopes[scope].container else { continue };
        if !kept.contains(&container) {
            continue;
        }
        let (mut right, mut bottom) = (0.0_f64, 0.0_f64);
        for node in graph.nodes_in(scope) {
            if let Some(b) = out.nodes.get(&graph.graph[node].id) {
                right = right.max(b.x + b.width);
                bottom = bottom.max(b.y + b.height);
            }
        }
        let id = &graph.graph[container].id;
        let Some(before) = out.nodes.get(id).cloned() else { continue };
        let mut grown = before.clone();
        grown.width = grown.width.max(right + CONTAINER_PADDING);
        grown.height = grown.height.max(bottom + CONTAINER_PADDING);
        if grown != before {
            out.nodes.insert(id.clone(), grown.clone());
            make_room(graph, container, &before, &grown, out);
        }
    }
}

/// Moves what lies under (or right of) a container that grew by as much as it grew, when the
/// grown container would cover some of it; nothing else moves.
fn make_room(
    graph: &StateGraph,
    container: NodeIndex,
    before: &NodeBox,
    grown: &NodeBox,
    out: &mut Layout,
) {
    let parent = graph.scopes[graph.graph[container].scope].container;
    let siblings: Vec<String> = graph
        .graph
        .node_indices()
        .filter(|&n| n != container && graph.scopes[graph.graph[n].scope].container == parent)
        .map(|n| graph.graph[n].id.clone())
        .collect();
    let covered = |b: &NodeBox| {
        b.x < grown.x + grown.width
            && grown.x < b.x + b.width
            && b.y < grown.y + grown.height
            && grown.y < b.y + b.height
    };
    let (down, right) = (grown.height - before.height, grown.width - before.width);
    let under = |b: &NodeBox| {
        b.y >= before.y + before.height && b.x < grown.x + grown.width && grown.x < b.x + b.width
    };
    let beside = |b: &NodeBox| {
        b.x >= before.x + before.width && b.y < grown.y + grown.height && grown.y < b.y + b.height
    };
    for (grew, shift, region) in [
        (down, (0.0, down), &under as &dyn Fn(&NodeBox) -> bool),
        (right, (right, 0.0), &beside as &dyn Fn(&NodeBox) -> bool),
    ] {
        let boxes = siblings.iter().filter_map(|id| out.nodes.get(id));
        if grew <= 0.0 || !boxes.filter(|b| region(b)).any(covered) {
            continue;
        }
        let moving: Vec<String> =
            siblings.iter().filter(|id| out.nodes.get(*id).is_some_and(region)).cloned().collect();
        for id in moving {
            if let Some(b) = out.nodes.get_mut(&id) {
                b.x += shift.0;
                b.y += shift.1;
            }
        }
    }
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

    fn overlaps(a: &NodeBox, b: &NodeBox) -> bool {
        a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    }

    /// Lays out `after` keeping the nodes of `before` where they were; checks that every old
    /// node kept its box position and that `new` overlaps no node of its container.
    fn kept_after_edit(before: &str, after: &str, new: &str) -> (Layout, Layout) {
        kept_but(before, after, new, &[])
    }

    /// [`kept_after_edit`], where the nodes `pushed` may have made room for a grown container.
    fn kept_but(before: &str, after: &str, new: &str, pushed: &[&str]) -> (Layout, Layout) {
        let (_, old) = laid_out(before);
        let definition = stepwise_asl::parse(after).definition.expect("valid definition");
        let graph = StateGraph::project(&definition);
        let kept = layout_keeping(&graph, &old.nodes);
        for (id, before) in old.nodes.iter().filter(|(id, _)| !pushed.contains(&id.as_str())) {
            if let Some(now) = kept.nodes.get(id) {
                assert_eq!((now.x, now.y), (before.x, before.y), "{id} did not move");
            }
        }
        let node = graph.node(new).expect("the new node");
        let container = graph.scopes[graph.graph[node].scope].container;
        let placed = &kept.nodes[new];
        for other in graph.graph.node_indices() {
            if other != node && graph.scopes[graph.graph[other].scope].container == container {
                let other_box = &kept.nodes[&graph.graph[other].id];
                assert!(!overlaps(placed, other_box), "{new} overlaps {}", other_box.id);
            }
        }
        (old, kept)
    }

    #[test]
    fn inserting_on_a_transition_places_the_new_state_and_moves_no_other() {
        let (old, kept) = kept_after_edit(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"N"},"N":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
            "/States/N",
        );
        assert_eq!(old.nodes.len() + 1, kept.nodes.len());
        let (a, n) = (&kept.nodes["/States/A"], &kept.nodes["/States/N"]);
        assert!(n.y > a.y, "under its predecessor");
    }

    #[test]
    fn a_state_added_with_no_transition_goes_beside_the_flow() {
        let (_, kept) = kept_after_edit(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#,
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"},
                "New":{"Type":"Pass","End":true}}}"#,
            "/States/New",
        );
        assert!(kept.nodes["/States/New"].x >= kept.nodes["/States/A"].x + STATE_SIZE.width);
    }

    #[test]
    fn a_container_grows_for_a_new_child_and_its_other_children_stay() {
        let (old, kept) = kept_but(
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Z","Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},"Z":{"Type":"Succeed"}}}"#,
            r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Z","Branches":[
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A2"},"A2":{"Type":"Pass","Next":"A3"},
                    "A3":{"Type":"Pass","End":true}}},
                {"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}]},"Z":{"Type":"Succeed"}}}"#,
            "/States/P/Branches/0/States/A3",
            &["/States/Z", "#end"],
        );
        let (p, a2) = (&kept.nodes["/States/P"], &kept.nodes["/States/P/Branches/0/States/A3"]);
        let z = &kept.nodes["/States/Z"];
        assert!(!overlaps(p, z), "what lies under the grown container made room");
        let grew = p.height - old.nodes["/States/P"].height;
        assert_eq!(z.y, old.nodes["/States/Z"].y + grew, "by as much as it grew");
        assert!(a2.y + a2.height <= p.height, "the container holds its new child");
        assert!(a2.x >= CONTAINER_PADDING && a2.y >= CONTAINER_HEADER);
        assert!(p.height >= old.nodes["/States/P"].height);
    }

    #[test]
    fn a_pasted_chain_stays_a_chain_and_a_new_container_keeps_its_own_layout() {
        let (_, kept) = kept_after_edit(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#,
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},
                "M":{"Type":"Map","Next":"M2","ItemProcessor":{"StartAt":"X","States":{"X":{"Type":"Pass","End":true}}}},
                "M2":{"Type":"Pass","End":true}}}"#,
            "/States/M",
        );
        let (m, m2) = (&kept.nodes["/States/M"], &kept.nodes["/States/M2"]);
        assert!(m2.y >= m.y + m.height, "the copy of the next state is under its predecessor");
        let x = &kept.nodes["/States/M/ItemProcessor/States/X"];
        assert!(
            x.y >= CONTAINER_HEADER && x.y + x.height <= m.height,
            "fresh inside its new container"
        );
    }

    #[test]
    fn a_graph_that_is_mostly_new_is_laid_out_afresh() {
        let text =
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Succeed"}}}"#;
        let (graph, fresh) = laid_out(text);
        let unrelated =
            NodeBox { id: "/States/Old".into(), x: 999.0, y: 999.0, width: 1.0, height: 1.0 };
        let previous = BTreeMap::from([(unrelated.id.clone(), unrelated)]);
        assert_eq!(layout_keeping(&graph, &previous), fresh);
    }

    #[test]
    fn a_duplicate_goes_beside_its_original() {
        let (_, kept) = kept_after_edit(
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
            r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},
                "B":{"Type":"Pass","Next":"C"},"B 2":{"Type":"Pass","Next":"C"},"C":{"Type":"Succeed"}}}"#,
            "/States/B 2",
        );
        let (b, copy) = (&kept.nodes["/States/B"], &kept.nodes["/States/B 2"]);
        assert_eq!(copy.y, b.y, "on the original's row");
        assert!(copy.x >= b.x + b.width, "right beside it");
    }
}
