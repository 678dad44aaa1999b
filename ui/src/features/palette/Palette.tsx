// The palette: flow states and service actions, searchable. Click an item to add it to the
// machine; drag it onto the canvas (placed where it is dropped), onto a transition (inserted
// between its ends) or into a Parallel branch or Map processor. Dragging follows the pointer
// (not HTML5 drag and drop), so it behaves the same with a mouse, a pen or a test driver.
import { useEffect, useMemo, useRef, useState } from "react";
import { useReactFlow } from "@xyflow/react";
import { errorMessage, rpc, type PaletteItem, type TransitionRef } from "../../ipc/rpc";
import { StateIcon } from "../canvas/icons";

/** Where a drop lands. */
export type DropTarget =
  | { kind: "transition"; from: string; transition: TransitionRef }
  | { kind: "machine"; machine: string; position: { x: number; y: number } | null };

type Props = {
  /** Which transition an edge element stands for, by edge id (null for start/end edges). */
  transitionOf: (edgeId: string) => { from: string; transition: TransitionRef } | null;
  /**
   * The machine a drop on a node goes into (a container's, or the node's own), given the
   * pointer's screen x (a Parallel's branch is the column under it).
   */
  machineOf: (nodeId: string, x: number) => string | null;
  onInsert: (itemId: string, target: DropTarget) => void;
};

/** What is under the pointer: a transition, a node (its machine), or the bare canvas. */
function targetAt(
  x: number,
  y: number,
  props: Props,
  toFlow: (p: { x: number; y: number }) => { x: number; y: number },
): DropTarget | null {
  const elements = document.elementsFromPoint(x, y);
  if (!elements.some((e) => e.closest(".react-flow"))) return null;
  for (const element of elements) {
    const edge = element.closest<HTMLElement>(".react-flow__edge");
    const edgeId = edge?.dataset.id ?? edge?.getAttribute("data-testid")?.replace(/^rf__edge-/, "");
    if (edgeId) {
      const transition = props.transitionOf(edgeId);
      if (transition) return { kind: "transition", ...transition };
    }
    const node = element.closest<HTMLElement>(".react-flow__node");
    if (node?.dataset.id) {
      const machine = props.machineOf(node.dataset.id, x);
      if (machine !== null) return { kind: "machine", machine, position: null };
    }
  }
  return { kind: "machine", machine: "", position: toFlow({ x, y }) };
}

export function Palette(props: Props) {
  const [items, setItems] = useState<PaletteItem[]>([]);
  const [query, setQuery] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [ghost, setGhost] = useState<{ item: PaletteItem; x: number; y: number } | null>(null);
  const drag = useRef<{ item: PaletteItem; startX: number; startY: number; moved: boolean } | null>(null);
  const flow = useReactFlow();
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  }, [props]);

  useEffect(() => {
    rpc("list_palette", {}).then(setItems, (e: unknown) => setError(errorMessage(e)));
  }, []);

  const shown = useMemo(() => {
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return items.filter((item) => {
      const text = `${item.label} ${item.stateType} ${item.description} ${item.keywords}`.toLowerCase();
      return words.every((word) => text.includes(word));
    });
  }, [items, query]);

  useEffect(() => {
    const move = (event: PointerEvent | MouseEvent) => {
      const current = drag.current;
      if (!current) return;
      if (Math.hypot(event.clientX - current.startX, event.clientY - current.startY) > 4) {
        current.moved = true;
      }
      if (current.moved) setGhost({ item: current.item, x: event.clientX, y: event.clientY });
    };
    const up = (event: PointerEvent | MouseEvent) => {
      const current = drag.current;
      drag.current = null;
      setGhost(null);
      if (!current) return;
      if (!current.moved) {
        latest.current.onInsert(current.item.id, { kind: "machine", machine: "", position: null });
        return;
      }
      const target = targetAt(event.clientX, event.clientY, latest.current, flow.screenToFlowPosition);
      if (target) latest.current.onInsert(current.item.id, target);
    };
    // Mouse events too: some environments (WebKit under automation) deliver the moves of a
    // mouse only as mouse events. A second "up" for one release finds no drag and does nothing.
    const events = [
      ["pointermove", move],
      ["mousemove", move],
      ["pointerup", up],
      ["mouseup", up],
    ] as const;
    for (const [name, handler] of events) window.addEventListener(name, handler);
    return () => {
      for (const [name, handler] of events) window.removeEventListener(name, handler);
    };
  }, [flow]);

  const groups = ["Flow", "Actions"].map((group) => ({
    group,
    items: shown.filter((item) => item.group === group),
  }));

  return (
    <aside className="palette" aria-label="Palette">
      <input
        className="palette-search"
        type="search"
        placeholder="Search states and actions"
        aria-label="Search the palette"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {error !== null && <p role="alert">{error}</p>}
      {groups.map(({ group, items: groupItems }) =>
        groupItems.length === 0 ? null : (
          <section key={group} className="palette-group">
            <h3>{group}</h3>
            <ul>
              {groupItems.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    className="palette-item"
                    data-palette-id={item.id}
                    title={item.description}
                    onPointerDown={(event) => {
                      event.preventDefault();
                      drag.current = { item, startX: event.clientX, startY: event.clientY, moved: false };
                    }}
                    onKeyDown={(event) => {
                      if (event.key === "Enter" || event.key === " ") {
                        event.preventDefault();
                        props.onInsert(item.id, { kind: "machine", machine: "", position: null });
                      }
                    }}
                  >
                    <StateIcon type={item.stateType} />
                    <span>{item.label}</span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        ),
      )}
      {ghost && (
        <div className="palette-ghost" style={{ left: ghost.x + 8, top: ghost.y + 8 }}>
          <StateIcon type={ghost.item.stateType} /> {ghost.item.label}
        </div>
      )}
    </aside>
  );
}
