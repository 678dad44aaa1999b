import { useEffect, useState } from "react";
import { ReactFlowProvider, type ColorMode } from "@xyflow/react";
import { errorMessage, rpc, type DocumentSnapshot } from "./ipc/rpc";
import { Canvas } from "./features/canvas/Canvas";
import { CodeView } from "./features/editor/CodeView";

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
  const [snapshot, setSnapshot] = useState<DocumentSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showCode, setShowCode] = useState(true);
  const colorMode = useSystemColorMode();

  useEffect(() => {
    rpc("launch_document", {}).then(setSnapshot, (e: unknown) => setError(errorMessage(e)));
  }, []);

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
        <span className="spacer" />
        <button type="button" onClick={() => setShowCode((v) => !v)} aria-pressed={showCode}>
          {showCode ? "Hide code" : "Show code"}
        </button>
      </header>
      <main className="workspace">
        {error !== null && (
          <div className="load-error" role="alert">
            {error}
          </div>
        )}
        {snapshot && (
          <>
            <section className="canvas-pane" aria-label="Canvas">
              <ReactFlowProvider>
                <Canvas graph={snapshot.graph} diagnostics={snapshot.diagnostics} colorMode={colorMode} />
              </ReactFlowProvider>
            </section>
            {showCode && (
              <section className="code-pane" aria-label="ASL code">
                <CodeView text={snapshot.text} diagnostics={snapshot.diagnostics} />
              </section>
            )}
          </>
        )}
      </main>
      <footer className="status-bar" data-testid="status-bar">
        <span className={errors > 0 ? "status-errors" : undefined}>{errors} errors</span>
        <span>{warnings} warnings</span>
        <span>{states} states</span>
        {snapshot?.path && <span className="status-path">{snapshot.path}</span>}
      </footer>
    </div>
  );
}
