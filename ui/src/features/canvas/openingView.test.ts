import { describe, expect, it } from "vitest";
import type { GraphView, NodeView } from "../../ipc/rpc";
import { READABLE_ZOOM, openingView } from "./openingView";

const node = (id: string, kind: NodeView["kind"], x: number, y: number, parent: string | null = null): NodeView => ({
  id, name: id, kind, stateType: kind === "state" ? "Pass" : null, parent, branch: null, x, y, width: 200, height: 40, placeholders: [],
});

/** A chain of `n` states under a start marker, 80 px apart. */
function chain(n: number): GraphView {
  const nodes = [node("#start", "start", 0, 0)];
  for (let i = 0; i < n; i++) nodes.push(node(`/States/S${i}`, "state", 0, 80 * (i + 1)));
  return { nodes, edges: [] };
}

describe("openingView", () => {
  it("fits a small machine whole, centred, never above 100%", () => {
    const view = openingView(chain(3), 1000, 800);
    expect(view?.zoom).toBe(1);
    // The bounds (0..200 × 0..280) centred in the pane.
    expect(view).toMatchObject({ x: 500 - 100, y: 400 - 140 });
  });

  it("shrinks a machine that is a little too tall to fit it whole", () => {
    const view = openingView(chain(12), 1000, 800);
    expect(view!.zoom).toBeLessThan(1);
    expect(view!.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    // 1,000 px tall scaled into 640 px of room.
    expect(view!.zoom).toBeCloseTo(640 / 1000);
  });

  it("opens a large machine at a readable zoom, at its start", () => {
    const view = openingView(chain(1000), 1000, 800);
    expect(view?.zoom).toBe(READABLE_ZOOM);
    // The start marker's top is just under the padding; the chain is centred across.
    expect(view).toMatchObject({ y: 80, x: 500 - 100 * READABLE_ZOOM });
  });

  it("centres a too-wide machine on its start marker", () => {
    const graph: GraphView = {
      nodes: [node("#start", "start", 4000, 0), ...Array.from({ length: 60 }, (_, i) => node(`/States/W${i}`, "state", 150 * i, 80))],
      edges: [],
    };
    const view = openingView(graph, 1000, 800)!;
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(view.x + (4000 + 100) * view.zoom).toBeCloseTo(500);
  });

  it("measures only the top-level nodes (children are placed relative to their container)", () => {
    const graph = chain(2);
    graph.nodes.push(node("/States/S0/Branches/0/States/In", "state", 9000, 9000, "/States/S0"));
    expect(openingView(graph, 1000, 800)).toEqual(openingView(chain(2), 1000, 800));
  });

  it("waits for a measured pane and a graph with nodes", () => {
    expect(openingView(chain(2), 0, 0)).toBeNull();
    expect(openingView({ nodes: [], edges: [] }, 1000, 800)).toBeNull();
  });
});
