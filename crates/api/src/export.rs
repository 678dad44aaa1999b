//! Export of the graph as an image: SVG drawn here from the same layout the canvas uses (states
//! by type, transitions by kind with their labels, containers with their branches), and PNG
//! rasterised from that SVG with resvg.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use resvg::{tiny_skia, usvg};

use crate::wire::{EdgeViewKind, GraphView, NodeViewKind};

const MARGIN: f64 = 24.0;
/// PNGs are drawn at twice the canvas size, so they stay sharp on high-density screens.
const PNG_SCALE: f32 = 2.0;

/// A node's box in absolute coordinates.
#[derive(Clone, Copy)]
struct Placed {
    x: f64,
    y: f64,
    w: f64,
    h: f64,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn accent(state_type: &str) -> &'static str {
    match state_type {
        "Task" => "#2563eb",
        "Choice" => "#0891b2",
        "Wait" => "#7c3aed",
        "Succeed" => "#059669",
        "Fail" => "#dc2626",
        _ => "#4f46e5",
    }
}

/// The graph as a standalone SVG document.
pub fn svg(graph: &GraphView) -> String {
    // Children are placed relative to their container, and containers come first.
    let mut placed: BTreeMap<&str, Placed> = BTreeMap::new();
    for node in &graph.nodes {
        let (ox, oy) = node
            .parent
            .as_deref()
            .and_then(|parent| placed.get(parent))
            .map_or((0.0, 0.0), |p| (p.x, p.y));
        let at = Placed { x: ox + node.x, y: oy + node.y, w: node.width, h: node.height };
        placed.insert(&node.id, at);
    }
    let width = placed.values().map(|p| p.x + p.w).fold(0.0, f64::max) + 2.0 * MARGIN + 80.0;
    let height = placed.values().map(|p| p.y + p.h).fold(0.0, f64::max) + 2.0 * MARGIN;
    let mut out = String::new();
    let _ = write!(
        out,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">
<rect width="100%" height="100%" fill="#f7f7fb"/>
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#9ca3af"/></marker></defs>
<g transform="translate({MARGIN} {MARGIN})">
"##
    );
    for node in graph.nodes.iter().filter(|n| {
        n.kind == NodeViewKind::State && matches!(n.state_type.as_deref(), Some("Parallel" | "Map"))
    }) {
        let p = placed[node.id.as_str()];
        let _ = writeln!(
            out,
            r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="10" fill="#eef0fd" stroke="#4f46e5" stroke-dasharray="5 4"/><text x="{:.1}" y="{:.1}" font-size="13" font-weight="bold" fill="#1f2330">{}</text><text x="{:.1}" y="{:.1}" font-size="11" fill="#6b7280">{}</text>"##,
            p.x,
            p.y,
            p.w,
            p.h,
            p.x + 12.0,
            p.y + 24.0,
            escape(&node.name),
            p.x + 12.0,
            p.y + 38.0,
            node.state_type.as_deref().unwrap_or_default()
        );
    }
    for edge in &graph.edges {
        let (Some(s), Some(t)) =
            (placed.get(edge.source.as_str()), placed.get(edge.target.as_str()))
        else {
            continue;
        };
        let path = if edge.back {
            let x = (s.x + s.w).max(t.x + t.w) + 30.0;
            let (sy, ty) = (s.y + s.h * 0.65, t.y + t.h * 0.35);
            format!("M{:.1} {sy:.1}H{x:.1}V{ty:.1}H{:.1}", s.x + s.w, t.x + t.w)
        } else {
            let (sx, sy, tx, ty) = (s.x + s.w / 2.0, s.y + s.h, t.x + t.w / 2.0, t.y);
            let mid = (sy + ty) / 2.0;
            format!("M{sx:.1} {sy:.1}V{mid:.1}H{tx:.1}V{ty:.1}")
        };
        let (colour, dash) = match edge.kind {
            EdgeViewKind::Catch => ("#ea580c", r#" stroke-dasharray="6 4""#),
            _ => ("#9ca3af", ""),
        };
        let _ = writeln!(
            out,
            r#"<path d="{path}" fill="none" stroke="{colour}" stroke-width="1.5"{dash} marker-end="url(#arrow)"/>"#
        );
        let label = match edge.kind {
            EdgeViewKind::Default => Some("Default".to_owned()),
            EdgeViewKind::Catch => Some(format!("Catch: {}", edge.label.as_deref().unwrap_or(""))),
            _ => edge.label.clone(),
        };
        if let Some(label) = label {
            let (lx, ly) = if edge.back {
                ((s.x + s.w).max(t.x + t.w) + 34.0, (s.y + t.y + t.h) / 2.0)
            } else {
                (t.x + t.w / 2.0, t.y - 8.0)
            };
            let anchor = if edge.back { "start" } else { "middle" };
            let _ = writeln!(
                out,
                r##"<text x="{lx:.1}" y="{ly:.1}" font-size="11" text-anchor="{anchor}" fill="{colour}" stroke="#f7f7fb" stroke-width="3" paint-order="stroke">{}</text>"##,
                escape(&label)
            );
        }
    }
    for node in &graph.nodes {
        let p = placed[node.id.as_str()];
        match node.kind {
            NodeViewKind::Start | NodeViewKind::End => {
                let (cx, cy, r) = (p.x + p.w / 2.0, p.y + p.h / 2.0, p.w / 2.0);
                let fill = if node.kind == NodeViewKind::Start { "#6b7280" } else { "#ffffff" };
                let _ = writeln!(
                    out,
                    r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="{r:.1}" fill="{fill}" stroke="#6b7280" stroke-width="2"/>"##
                );
            }
            NodeViewKind::State => {
                let state_type = node.state_type.as_deref().unwrap_or_default();
                if matches!(state_type, "Parallel" | "Map") {
                    continue;
                }
                let _ = writeln!(
                    out,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="8" fill="#ffffff" stroke="#d9dbe5"/><rect x="{:.1}" y="{:.1}" width="4" height="{:.1}" fill="{}"/><text x="{:.1}" y="{:.1}" font-size="13" font-weight="bold" fill="#1f2330">{}</text><text x="{:.1}" y="{:.1}" font-size="11" fill="#6b7280">{}</text>"##,
                    p.x,
                    p.y,
                    p.w,
                    p.h,
                    p.x,
                    p.y + 2.0,
                    p.h - 4.0,
                    accent(state_type),
                    p.x + 14.0,
                    p.y + p.h / 2.0 - 2.0,
                    escape(&node.name),
                    p.x + 14.0,
                    p.y + p.h / 2.0 + 14.0,
                    state_type
                );
            }
        }
    }
    out.push_str("</g>\n</svg>\n");
    out
}

/// The SVG rasterised to PNG bytes, with its pixel size.
pub fn png(svg: &str) -> Result<(Vec<u8>, u32, u32), String> {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_system_fonts();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|err| err.to_string())?;
    let size = tree.size().to_int_size().scale_by(PNG_SCALE).ok_or("the image is empty")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("the image is too large")?;
    let scale = tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE);
    resvg::render(&tree, scale, &mut pixmap.as_mut());
    let bytes = pixmap.encode_png().map_err(|err| err.to_string())?;
    Ok((bytes, size.width(), size.height()))
}
