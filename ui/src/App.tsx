import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ReactFlowProvider, type ColorMode } from "@xyflow/react";
import { Canvas } from "./features/canvas/Canvas";
import { CodeView } from "./features/editor/CodeView";
import { TemplateGallery } from "./features/templates/TemplateGallery";
import { RunPanel } from "./features/run/RunPanel";
import { MapProgressCounter, setMapProgress } from "./features/run/mapProgress";
import { deriveVisits, branchOfStates } from "./features/run/visits";
import { drilledStatuses, drillTargetsOf, setDrillTargets, useDrills } from "./features/run/drill";
import { Inspector } from "./features/inspector/Inspector";
import { Palette, type DropTarget } from "./features/palette/Palette";
import {
  errorMessage,
  rpc,
  shell,
  type ExecutionView,
  type GraphView,
  type StateRunStatus,
  type TransitionRef,
  type Vocabulary,
} from "./ipc/rpc";

/** The machine a node belongs to: its pointer without the last `/States/<name>`. */
function machineOfNode(id: string): string {
  const marker = id.indexOf("#");
  if (marker >= 0) return id.slice(0, marker);
  return id.slice(0, id.lastIndexOf("/States/"));
}

/**
 * Dropping on a container puts the state inside it — in a Parallel, into the branch whose column
 * is under the pointer (`x`, screen pixels) — and on any other node, beside it.
 */
function machineForDrop(graph: GraphView, nodeId: string, x: number): string | null {
  const node = graph.nodes.find((n) => n.id === nodeId);
  if (!node) return null;
  if (node.stateType === "Parallel") return `${nodeId}/Branches/${branchAt(graph, nodeId, x)}`;
  if (node.stateType === "Map") {
    const child = graph.nodes.find((n) => n.parent === nodeId);
    return child ? machineOfNode(child.id) : `${nodeId}/ItemProcessor`;
  }
  return machineOfNode(nodeId);
}

/** The branch of Parallel `parallel` whose states' column is nearest screen x `x` (0 when empty). */
function branchAt(graph: GraphView, parallel: string, x: number): number {
  let best = { branch: 0, distance: Infinity };
  for (const child of graph.nodes) {
    if (child.parent !== parallel || child.branch === null) continue;
    const element = document.querySelector(`.react-flow__node[data-id="${CSS.escape(child.id)}"]`);
    if (!element) continue;
    const box = element.getBoundingClientRect();
    const distance = x < box.left ? box.left - x : x > box.right ? x - box.right : 0;
    if (distance < best.distance) best = { branch: child.branch, distance };
  }
  return best.branch;
}

function transitionOfEdge(graph: GraphView, edgeId: string): { from: string; transition: TransitionRef } | null {
  const edge = graph.edges.find((e) => e.id === edgeId);
  if (!edge) return null;
  const index = edge.index ?? 0;
  const transition: TransitionRef | null =
    edge.kind === "next"
      ? { kind: "next" }
      : edge.kind === "default"
        ? { kind: "default" }
        : edge.kind === "choice"
          ? { kind: "choice", index }
          : edge.kind === "catch"
            ? { kind: "catch", index }
            : null;
  return transition ? { from: edge.source, transition } : null;
}
import { useDocument } from "./store/useDocument";

const STATE_TYPES = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

/** A state's input and task result in a run (its last visit), for the data-flow simulator. */
function visitOf(execution: ExecutionView | null, name: string): { input: string; result: string | null } | null {
  const stages = execution?.states.find((s) => s.name === name)?.stages;
  const input = stages?.find((s) => s.name === "input");
  if (!stages || !input) return null;
  return { input: input.value, result: stages.find((s) => s.name === "result")?.value ?? null };
}

function useSystemColorMode(): ColorMode {
  const query = "(prefers-color-scheme: dark)";
  const [dark, setDark] = useState(() => window.matchMedia?.(query).matches ?? false);
  useEffect(() => {
    const media = window.matchMedia?.(query);
    if (!media) return;
    const onChange = (event: MediaQueryListEvent) => setDark(event.matches);
    media.addEventListener("change", onChange);
    return () => media.removeEventListener("change", onChange);
  }, []);
  return dark ? "dark" : "light";
}

export function App() {
  const doc = useDocument();
  const { snapshot, origin, error, applyEdit, undo, redo, save, saveAs, open } = doc;
  const [showCode, setShowCode] = useState(true);
  const [showGallery, setShowGallery] = useState(false);
  const [showRun, setShowRun] = useState(false);
  // A run belongs to the document it ran: it is shown only while that document is.
  const [lastRun, setLastRun] = useState<{ documentId: number; view: ExecutionView } | null>(null);
  // What is selected, where it was picked, and at which revision: a later edit's focus wins.
  const [selection, setSelection] = useState<{
    id: string;
    from: "canvas" | "code";
    revision: number;
  } | null>(null);
  const revision = snapshot?.revision ?? 0;
  const focus = snapshot?.focus ?? null;
  const selectedId =
    focus !== null && (selection === null || revision > selection.revision) ? focus : (selection?.id ?? null);
  const selectedState = snapshot?.graph.nodes.find((n) => n.id === selectedId)?.name ?? null;
  const reveal = useMemo(() => {
    if (selection?.from !== "canvas") return null;
    return snapshot?.stateRanges.find((r) => r.id === selection.id)?.range ?? null;
    // Reveal once per pick on the canvas, not on every new snapshot.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selection]);
  const selectOnCanvas = useCallback(
    (id: string | null) =>
      setSelection((current) =>
        id === null ? null : current?.id === id ? current : { id, from: "canvas", revision },
      ),
    [revision],
  );
  // The run panel's Table and Timeline name states; the canvas selects by node id.
  const selectByName = useCallback(
    (name: string) => {
      const node = snapshot?.graph.nodes.find((n) => n.kind === "state" && n.name === name);
      if (node) selectOnCanvas(node.id);
    },
    [snapshot?.graph, selectOnCanvas],
  );
  const ranges = snapshot?.stateRanges;
  const selectFromCursor = useCallback(
    (line: number, column: number) => {
      const before = (a: { line: number; column: number }, b: { line: number; column: number }) =>
        a.line < b.line || (a.line === b.line && a.column <= b.column);
      const here = { line, column };
      // The innermost state around the cursor: the one that starts last.
      const around = (ranges ?? []).filter((r) => before(r.range.start, here) && before(here, r.range.end));
      const innermost = around.sort((a, b) => (before(a.range.start, b.range.start) ? 1 : -1))[0];
      if (innermost)
        setSelection((current) =>
          current?.id === innermost.id ? current : { id: innermost.id, from: "code", revision },
        );
    },
    [ranges, revision],
  );
  const execution =
    lastRun !== null && lastRun.documentId === snapshot?.documentId ? lastRun.view : null;
  const branchOfState = useMemo(() => branchOfStates(snapshot?.graph.nodes ?? []), [snapshot?.graph]);
  // Once a run has ended, a Map or Parallel state can be drilled into on the canvas: selected,
  // it offers its iterations or branches. The visits (a pass over the whole history) are
  // derived only then, not at the end of every run.
  const ended = execution !== null && execution.status !== "RUNNING" && execution.status !== "PAUSED";
  const drills = useDrills();
  const selectedType = snapshot?.graph.nodes.find((n) => n.id === selectedId)?.stateType;
  const drilling = ended && (selectedType === "Map" || selectedType === "Parallel" || drills.size > 0);
  const runVisits = useMemo(
    () => (drilling && execution ? deriveVisits(execution.events, branchOfState) : null),
    [drilling, execution, branchOfState],
  );
  useEffect(() => setDrillTargets(runVisits ? drillTargetsOf(runVisits) : new Map()), [runVisits]);
  const runStatus = useMemo(() => {
    if (!execution) return null;
    const statuses = new Map<string, StateRunStatus>(execution.states.map((s) => [s.name, s.status]));
    if (runVisits === null || drills.size === 0) return statuses;
    // Inside a drilled container, only what ran in the chosen iteration or branch is coloured.
    const nodes = snapshot?.graph.nodes ?? [];
    for (const name of drills.keys()) {
      const container = nodes.find((n) => n.name === name && n.kind === "state");
      for (const child of nodes) if (container && child.parent === container.id) statuses.delete(child.name);
    }
    for (const [name, status] of drilledStatuses(runVisits, drills)) statuses.set(name, status);
    return statuses;
  }, [execution, runVisits, drills, snapshot?.graph]);
  // Counted as the history grows: a live run's report costs only its new events.
  const mapCounter = useRef(new MapProgressCounter());
  useEffect(() => {
    setMapProgress(execution ? mapCounter.current.update(execution.events) : new Map());
  }, [execution]);

  const colorMode = useSystemColorMode();
  const [vocabulary, setVocabulary] = useState<Vocabulary | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [recent, setRecent] = useState<string[]>([]);
  const openedPath = snapshot?.path ?? null;
  useEffect(() => {
    rpc("recent_files", {}).then(setRecent, () => setRecent([]));
  }, [openedPath]);
  const exportImage = useCallback(
    async (format: "svg" | "png") => {
      if (!snapshot) return;
      const stem = snapshot.name.split(".")[0] || "workflow";
      try {
        const path = await shell("choose_save_path", { suggestedName: `${stem}.${format}` });
        if (path === null) return;
        const done = await rpc("export_image", { documentId: snapshot.documentId, format, path });
        setNotice(`Exported ${done.path} (${done.width} × ${done.height})`);
      } catch (error: unknown) {
        setNotice(`Export failed: ${errorMessage(error)}`);
      }
    },
    [snapshot],
  );
  useEffect(() => {
    rpc("vocabulary", {}).then(setVocabulary, () => setVocabulary(null));
  }, []);
  // The workflow's variables, for completion in JSONata expressions: asked again per revision,
  // kept when unchanged (most edits) so that the answer re-renders nothing.
  const [variables, setVariables] = useState<string[]>([]);
  const documentId = snapshot?.documentId;
  useEffect(() => {
    if (documentId === undefined) return;
    const keep = (names: string[]) =>
      setVariables((shown) =>
        shown.length === names.length && shown.every((name, i) => name === names[i]) ? shown : names,
      );
    rpc("variable_names", { documentId }).then(keep, () => keep([]));
  }, [documentId, revision]);
  const graph = snapshot?.graph;
  const completion = useMemo(
    () => ({
      vocabulary,
      stateNames: (graph?.nodes ?? []).filter((n) => n.kind === "state").map((n) => n.name),
      variables,
    }),
    [vocabulary, graph, variables],
  );

  // Undo and redo are the document's, whichever view has the focus (the code view binds its own
  // keys, because CodeMirror sees them first).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey)) return;
      // In the code view CodeMirror handles undo/redo itself (and hands them to Rust); a text
      // field (the inspector's, a rename) undoes its own typing.
      const inCode = (event.target as HTMLElement).closest(".cm-editor, input, textarea") !== null;
      if (inCode && ["z", "y"].includes(event.key.toLowerCase())) return;
      const key = event.key.toLowerCase();
      if (key === "s") {
        event.preventDefault();
        void (event.shiftKey ? saveAs() : save());
      } else if (key === "o") {
        event.preventDefault();
        void open();
      } else if (key === "z" && !event.shiftKey) {
        event.preventDefault();
        void undo();
      } else if ((key === "z" && event.shiftKey) || key === "y") {
        event.preventDefault();
        void redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo, save, saveAs, open]);

  const addState = useCallback(
    (stateType: string) => void applyEdit({ kind: "addState", machine: "", stateType, name: null }),
    [applyEdit],
  );

  const errors = snapshot?.diagnostics.filter((d) => d.severity === "error").length ?? 0;
  const warnings = (snapshot?.diagnostics.length ?? 0) - errors;
  const states = snapshot?.graph.nodes.filter((n) => n.kind === "state").length ?? 0;

  return (
    <div className={`app theme-${colorMode}`}>
      <header className="toolbar">
        <span className="brand">Stepwise</span>
        <span className="document-name" data-testid="document-name" title={snapshot?.path ?? undefined}>
          {snapshot?.name ?? "…"}
        </span>
        {snapshot?.dirty ? (
          <span className="dirty-marker" data-testid="dirty-marker" title="Unsaved changes">
            ●
          </span>
        ) : (
          // The same room when clean, so the toolbar does not reflow on the first edit.
          <span className="dirty-marker dirty-marker-clean" aria-hidden="true">
            ●
          </span>
        )}
        <span className="toolbar-group">
          <button type="button" onClick={() => setShowGallery(true)} title="New from template">
            New…
          </button>
          <button type="button" onClick={() => void open()} title="Open (Ctrl+O)">
            Open
          </button>
          <select
            aria-label="Open a recent file"
            value=""
            disabled={recent.length === 0}
            onChange={(event) => event.target.value && void doc.openPath(event.target.value)}
          >
            <option value="">Recent…</option>
            {recent.map((path) => (
              <option key={path} value={path} title={path}>
                {path.split("/").pop()}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => void save()} disabled={!snapshot} title="Save (Ctrl+S)">
            Save
          </button>
          <button type="button" onClick={() => void saveAs()} disabled={!snapshot} title="Save as (Ctrl+Shift+S)">
            Save as
          </button>
        </span>
        <span className="toolbar-group">
          <button type="button" onClick={() => void undo()} disabled={!snapshot?.canUndo} title="Undo (Ctrl+Z)">
            Undo
          </button>
          <button type="button" onClick={() => void redo()} disabled={!snapshot?.canRedo} title="Redo (Ctrl+Shift+Z)">
            Redo
          </button>
          <select
            aria-label="Add a state"
            value=""
            disabled={!snapshot}
            onChange={(event) => event.target.value && addState(event.target.value)}
          >
            <option value="">Add state…</option>
            {STATE_TYPES.map((type) => (
              <option key={type} value={type}>
                {type}
              </option>
            ))}
          </select>
          <button
            type="button"
            aria-label="Convert to JSONata"
            onClick={() => selectedId !== null && selectedState !== null && void doc.convertToJsonata(selectedId, selectedState)}
            disabled={selectedState === null}
            title={
              selectedState === null
                ? "Select a state to convert it to JSONata"
                : `Rewrite "${selectedState}" with JSONata (Arguments, Output, {% %} expressions)`
            }
          >
            To JSONata
          </button>
          <select
            aria-label="Export the graph"
            value=""
            disabled={!snapshot}
            onChange={(event) => {
              const format = event.target.value;
              if (format === "svg" || format === "png") void exportImage(format);
            }}
          >
            <option value="">Export…</option>
            <option value="svg">SVG image</option>
            <option value="png">PNG image</option>
          </select>
          <button
            type="button"
            onClick={() => void doc.resetLayout()}
            disabled={!snapshot}
            aria-label="Auto-layout"
            title="Auto-layout: forget dragged positions and lay the whole graph out again"
          >
            Layout
          </button>
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="run-toggle"
          onClick={() => setShowRun((v) => !v)}
          aria-pressed={showRun}
          disabled={!snapshot}
          title={showRun ? "Hide the run panel" : "Show the run panel (run and debug)"}
        >
          Run
        </button>
        <button
          type="button"
          className="code-toggle"
          onClick={() => setShowCode((v) => !v)}
          aria-pressed={showCode}
          title={showCode ? "Hide the code view" : "Show the code view"}
        >
          Code
        </button>
      </header>
      {error !== null && (
        <div className="message-bar" role="alert">
          <span>{error}</span>
          <button type="button" onClick={doc.dismissError} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      {doc.changedOnDisk && (
        <div className="message-bar message-warning" role="alert" data-testid="disk-changed">
          <span>The file changed on disk, and you have unsaved edits.</span>
          <button type="button" className="text-button" onClick={() => void doc.reload()}>
            Reload from disk
          </button>
          <button type="button" className="text-button" onClick={doc.keepMine}>
            Keep my edits
          </button>
        </div>
      )}
      {showGallery && (
        <TemplateGallery
          onCancel={() => setShowGallery(false)}
          onChoose={(id) => {
            setShowGallery(false);
            void doc.newFromTemplate(id);
          }}
        />
      )}
      {doc.closeRequested && (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-modal="true" aria-labelledby="close-title">
            <p id="close-title">Save the changes to {snapshot?.name} before closing?</p>
            <div className="modal-buttons">
              <button type="button" onClick={() => void doc.answerClose("save")} autoFocus>
                Save
              </button>
              <button type="button" onClick={() => void doc.answerClose("discard")}>
                Don&apos;t save
              </button>
              <button type="button" onClick={() => void doc.answerClose("cancel")}>
                Cancel
              </button>
            </div>
          </div>
        </div>
      )}
      <ReactFlowProvider>
      <main className="workspace">
        {snapshot && (
          <>
            <Palette
              transitionOf={(edgeId) => transitionOfEdge(snapshot.graph, edgeId)}
              machineOf={(nodeId, x) => machineForDrop(snapshot.graph, nodeId, x)}
              onInsert={(itemId, target: DropTarget) =>
                void doc.insertItem(
                  target.kind === "transition"
                    ? { itemId, machine: "", on: { from: target.from, transition: target.transition }, position: null }
                    : { itemId, machine: target.machine, on: null, position: target.position },
                )
              }
            />
            <section className="canvas-column">
            <section className="canvas-pane" aria-label="Canvas">
                <Canvas
                  documentId={snapshot.documentId}
                  graph={snapshot.graph}
                  diagnostics={snapshot.diagnostics}
                  colorMode={colorMode}
                  selectedId={selectedId}
                  onEdit={(edit) => void applyEdit(edit)}
                  onMove={(id, x, y) => void doc.moveNode(id, x, y)}
                  runStatus={runStatus}
                  onSelect={selectOnCanvas}
                />
            </section>
            {showRun && (
              <RunPanel
                documentId={snapshot.documentId}
                execution={execution}
                onExecution={(view) =>
                  setLastRun(view === null ? null : { documentId: snapshot.documentId, view })
                }
                selectedState={selectedState}
                onSelectState={selectByName}
                branchOfState={branchOfState}
                onImported={({ document, execution: view }) => {
                  if (document === null) {
                    setLastRun({ documentId: snapshot.documentId, view });
                    return;
                  }
                  void doc.adopt(document).then(() => setLastRun({ documentId: document.documentId, view }));
                }}
              />
            )}
            </section>
            <section className="side-pane">
            <Inspector
              documentId={snapshot.documentId}
              revision={revision}
              stateId={selectedId}
              ruleFields={vocabulary?.ruleFields ?? []}
              onEdit={(edit) => void applyEdit(edit)}
              runOf={(name) => visitOf(execution, name)}
            />
            {showCode && (
              <section className="code-pane" aria-label="ASL code">
                <CodeView
                  text={snapshot.text}
                  diagnostics={snapshot.diagnostics}
                  authoritative={origin !== "text"}
                  format={snapshot.format}
                  onChange={doc.changeText}
                  onUndo={() => void undo()}
                  onRedo={() => void redo()}
                  reveal={reveal}
                  onCursor={selectFromCursor}
                  completion={completion}
                />
              </section>
            )}
            </section>
          </>
        )}
      </main>
      </ReactFlowProvider>
      <footer className="status-bar" data-testid="status-bar">
        <span className={errors > 0 ? "status-errors" : undefined} data-testid="error-count">
          {errors} errors
        </span>
        <span>{warnings} warnings</span>
        <span>{states} states</span>
        {notice !== null && <span data-testid="notice">{notice}</span>}
        {snapshot?.path && <span className="status-path">{snapshot.path}</span>}
      </footer>
    </div>
  );
}
