import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render } from "@testing-library/react";
import { useStoreApi, type ReactFlowState } from "@xyflow/react";
import { useLayoutEffect } from "react";
import snapshot from "../../../../tests/ui-fixtures/hello-world.snapshot.json";
import type { DocumentSnapshot, GraphView } from "../../ipc/rpc";
import { CanvasUnderTest } from "./testing";

const graph = (snapshot as unknown as DocumentSnapshot).graph;

afterEach(cleanup);

/** Hands the React Flow store of its provider to the test. */
function StoreSpy({ onStore }: { onStore: (store: ReturnType<typeof useStoreApi>) => void }) {
  const store = useStoreApi();
  useLayoutEffect(() => onStore(store), [store, onStore]);
  return null;
}

/** The canvas as App renders it: new handler closures on every render. */
function canvas(shown: GraphView, onStore: (store: ReturnType<typeof useStoreApi>) => void) {
  return (
    <CanvasUnderTest graph={shown} onEdit={() => {}} onMove={() => {}} onSelect={() => {}}>
      <StoreSpy onStore={onStore} />
    </CanvasUnderTest>
  );
}

describe("the canvas and React Flow's store", () => {
  it("hands an edit over as one store update of the nodes, not of the handlers or options", () => {
    let store: ReturnType<typeof useStoreApi> | null = null;
    const keep = (s: ReturnType<typeof useStoreApi>) => {
      store = s;
    };
    const { rerender } = render(canvas(graph, keep));
    const updates: string[][] = [];
    const unsubscribe = store!.subscribe((state: ReactFlowState, previous: ReactFlowState) => {
      const changed = (Object.keys(state) as Array<keyof ReactFlowState>).filter(
        (key) => state[key] !== previous[key],
      );
      updates.push(changed.map(String));
    });

    // A type change: a new graph, one node changed, the edges kept (as a snapshot update does).
    const edited: GraphView = {
      ...graph,
      nodes: graph.nodes.map((n) => (n.name === "Pass" ? { ...n, stateType: "Wait" } : n)),
    };
    rerender(canvas(edited, keep));
    unsubscribe();

    // Every store update costs every subscriber a run; React Flow copies each prop that changed
    // identity into the store (the handlers and fitViewOptions used to, three more per edit).
    expect(updates.length).toBe(1);
    expect(updates[0]).toContain("nodes");
    for (const key of ["onNodeDragStop", "onConnect", "fitViewOptions", "onNodesChange"]) {
      expect(updates[0]).not.toContain(key);
    }
    const node = document.querySelector('[data-state-name="Pass"]');
    expect(node?.className).toContain("state-wait");
  });
});
