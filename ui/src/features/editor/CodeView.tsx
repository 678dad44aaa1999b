// The ASL text in CodeMirror 6, with the validator's diagnostics at their exact ranges.
// One EditorView lives in a ref for the component's lifetime; new text and diagnostics arrive
// as transactions, never by re-creating the view (that would lose scroll and selection).
import { useEffect, useRef } from "react";
import { EditorState } from "@codemirror/state";
import { EditorView, lineNumbers, highlightActiveLine } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { syntaxHighlighting, defaultHighlightStyle, foldGutter } from "@codemirror/language";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import type { DiagnosticView } from "../../ipc/rpc";

/** Converts the Rust side's zero-based line/column diagnostics to CodeMirror offsets. */
export function toCodeMirrorDiagnostics(
  state: EditorState,
  diagnostics: DiagnosticView[],
): Diagnostic[] {
  const offset = (line: number, column: number) => {
    const lineNumber = Math.min(Math.max(line + 1, 1), state.doc.lines);
    const info = state.doc.line(lineNumber);
    return Math.min(info.from + column, info.to);
  };
  return diagnostics.map((d) => {
    const from = offset(d.range.start.line, d.range.start.column);
    const to = Math.max(from, offset(d.range.end.line, d.range.end.column));
    return { from, to, severity: d.severity, message: `${d.code}: ${d.message}`, source: d.path };
  });
}

type Props = { text: string; diagnostics: DiagnosticView[] };

export function CodeView({ text, diagnostics }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);

  useEffect(() => {
    if (!host.current) return;
    view.current = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: "",
        extensions: [
          lineNumbers(),
          foldGutter(),
          highlightActiveLine(),
          json(),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          lintGutter(),
          // Editing through the code view arrives with the document edit API (issue #5); until
          // then the view is read-only so no keystroke can be silently dropped.
          EditorState.readOnly.of(true),
          EditorView.lineWrapping,
        ],
      }),
    });
    return () => {
      view.current?.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = view.current;
    if (!editor) return;
    if (editor.state.doc.toString() !== text) {
      editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
    }
    editor.dispatch(setDiagnostics(editor.state, toCodeMirrorDiagnostics(editor.state, diagnostics)));
  }, [text, diagnostics]);

  return <div className="code-view" ref={host} data-testid="code-view" />;
}
