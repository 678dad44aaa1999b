import { useCallback, useEffect, useState } from "react";
import { ReactFlowProvider, type ColorMode } from "@xyflow/react";
import { Canvas } from "./features/canvas/Canvas";
import { CodeView } from "./features/editor/CodeView";
import { useDocument } from "./store/useDocument";

const STATE_TYPES = ["Pass", "Task", "Choice", "Wait", "Succeed", "Fail", "Parallel", "Map"];

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
  const { snapshot, origin, error, applyEdit, undo, redo } = doc;
  const [showCode, setShowCode] = useState(true);
  const colorMode = useSystemColorMode();

  // Undo and redo are the document's, whichever view has the focus (the code view binds its own
  // keys, because CodeMirror sees them first).
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || (event.target as HTMLElement).closest(".cm-editor")) {
        return;
      }
      const key = event.key.toLowerCase();
      if (key === "z" && !event.shiftKey) {
        event.preventDefault();
        void undo();
      } else if ((key === "z" && event.shiftKey) || key === "y") {
        event.preventDefault();
        void redo();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [undo, redo]);

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
        <span className="document-name" data-testid="document-name">
          {snapshot?.name ?? "…"}
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
        </span>
        <span className="spacer" />
        <button type="button" onClick={() => setShowCode((v) => !v)} aria-pressed={showCode}>
          {showCode ? "Hide code" : "Show code"}
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
      <main className="workspace">
        {snapshot && (
          <>
            <section className="canvas-pane" aria-label="Canvas">
              <ReactFlowProvider>
                <Canvas
                  graph={snapshot.graph}
                  diagnostics={snapshot.diagnostics}
                  colorMode={colorMode}
                  focus={snapshot.focus}
                  onEdit={(edit) => void applyEdit(edit)}
                />
              </ReactFlowProvider>
            </section>
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
                />
              </section>
            )}
          </>
        )}
      </main>
      <footer className="status-bar" data-testid="status-bar">
        <span className={errors > 0 ? "status-errors" : undefined} data-testid="error-count">
          {errors} errors
        </span>
        <span>{warnings} warnings</span>
        <span>{states} states</span>
        {snapshot?.path && <span className="status-path">{snapshot.path}</span>}
      </footer>
    </div>
  );
}
