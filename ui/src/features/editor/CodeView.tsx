// The ASL text in CodeMirror 6, editable, with the validator's diagnostics at their exact ranges.
// One EditorView lives in a ref for the component's lifetime. What the user types goes up through
// `onChange`; text that comes down from Rust (a canvas edit, undo) is applied as one transaction
// marked `fromRust`, so it is never echoed back. Undo and redo are Rust's (one history for every
// view), so CodeMirror's own history is not installed and Mod-z goes to `onUndo`.
import { useEffect, useRef } from "react";
import { Annotation, EditorState, type Text } from "@codemirror/state";
import { EditorView, highlightActiveLine, keymap, lineNumbers } from "@codemirror/view";
import { json } from "@codemirror/lang-json";
import { yaml } from "@codemirror/lang-yaml";
import { foldGutter } from "@codemirror/language";
import { editorTheme } from "./theme";
import { lintGutter, setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";
import type { DiagnosticView, RangeView } from "../../ipc/rpc";
import { aslCompletions, type CompletionData } from "./completion";

const fromRust = Annotation.define<boolean>();

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

type Props = {
  text: string;
  diagnostics: DiagnosticView[];
  /** False while the user's latest typing has not come back from Rust yet. */
  authoritative: boolean;
  format: string;
  onChange: (text: string) => void;
  onUndo: () => void;
  onRedo: () => void;
  /** A range to select and scroll into view (a state picked on the canvas). */
  reveal: RangeView | null;
  /** The user moved the cursor (zero-based line and column). */
  onCursor: (line: number, column: number) => void;
  /** What completion offers: the vocabulary and the document's state names. */
  completion: CompletionData;
};

/** Characters compared a block at a time (one string comparison) before one at a time. */
const BLOCK = 256;

/** The one change that turns `before` into `after`: what lies between their common prefix and suffix. */
export function differingSpan(before: string, after: string): { from: number; to: number; insert: string } {
  let start = 0;
  const shortest = Math.min(before.length, after.length);
  while (start + BLOCK <= shortest && before.slice(start, start + BLOCK) === after.slice(start, start + BLOCK))
    start += BLOCK;
  while (start < shortest && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  const ending = (text: string) => text.slice(text.length - end - BLOCK, text.length - end);
  while (end + BLOCK <= shortest - start && ending(before) === ending(after)) end += BLOCK;
  while (
    end < shortest - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  return { from: start, to: before.length - end, insert: after.slice(start, after.length - end) };
}

export function CodeView(props: Props) {
  const { text, diagnostics, authoritative, format, onChange, onUndo, onRedo, reveal, onCursor } = props;
  const completion = useRef(props.completion);
  useEffect(() => {
    completion.current = props.completion;
  }, [props.completion]);
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // Callbacks change identity between renders; the editor is built once and reads them here.
  const callbacks = useRef({ onChange, onUndo, onRedo, onCursor });
  useEffect(() => {
    callbacks.current = { onChange, onUndo, onRedo, onCursor };
  }, [onChange, onUndo, onRedo, onCursor]);

  useEffect(() => {
    if (!host.current) return;
    const run = (action: "onUndo" | "onRedo") => () => {
      callbacks.current[action]();
      return true;
    };
    view.current = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: "",
        extensions: [
          autocompletion({ override: [aslCompletions(() => completion.current)] }),
          keymap.of([
            ...completionKeymap,
            { key: "Mod-z", run: run("onUndo") },
            { key: "Mod-Shift-z", run: run("onRedo") },
            { key: "Mod-y", run: run("onRedo") },
          ]),
          lineNumbers(),
          foldGutter(),
          highlightActiveLine(),
          format === "yaml" ? yaml() : json(),
          editorTheme,
          lintGutter(),
          EditorView.lineWrapping,
          EditorView.updateListener.of((update) => {
            const byUser = update.transactions.filter((t) => !t.annotation(fromRust));
            if (byUser.some((t) => t.docChanged)) callbacks.current.onChange(update.state.doc.toString());
            if (byUser.some((t) => t.selection !== undefined)) {
              const head = update.state.selection.main.head;
              const line = update.state.doc.lineAt(head);
              callbacks.current.onCursor(line.number - 1, head - line.from);
            }
          }),
        ],
      }),
    });
    return () => {
      view.current?.destroy();
      view.current = null;
    };
  }, [format]);

  // Rust's text (and its diagnostics) is shown once the window has painted the frame that the
  // canvas and the inspector drew for the same change: replacing and measuring text in a large
  // document takes longer than a frame, and the user of a field edit is looking at the canvas.
  // Until then `show` is pending; a reveal shows it first.
  const pending = useRef<(() => void) | null>(null);
  // The editor's document as last set here, with its text: reading a large document back as a
  // string costs milliseconds, in the frame after the canvas's.
  const shown = useRef<{ doc: Text; text: string } | null>(null);
  useEffect(() => {
    // The document as it was when this text arrived: typing in the meantime is never replaced.
    const seen = view.current?.state.doc;
    const show = () => {
      pending.current = null;
      const editor = view.current;
      if (!editor) return;
      const doc = editor.state.doc;
      const current = shown.current?.doc === doc ? shown.current.text : doc.toString();
      if (current !== text) {
        // Rust's text wins unless the user has typed past it (then a newer snapshot follows).
        if (!authoritative || doc !== seen) return;
        // Only the span that differs is replaced: the parse, folds and scroll of the rest are
        // kept, and a one-field edit in a large file stays a small change.
        const change = differingSpan(current, text);
        const head = editor.state.selection.main.head;
        const moved = head <= change.from ? head : Math.max(change.from, head + change.insert.length - (change.to - change.from));
        editor.dispatch({
          changes: change,
          selection: { anchor: Math.min(moved, text.length) },
          annotations: fromRust.of(true),
        });
      }
      shown.current = { doc: editor.state.doc, text };
      editor.dispatch(setDiagnostics(editor.state, toCodeMirrorDiagnostics(editor.state, diagnostics)));
    };
    pending.current = show;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(show, 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [text, diagnostics, authoritative]);

  useEffect(() => {
    pending.current?.();
    const editor = view.current;
    if (!editor || reveal === null) return;
    const at = (line: number, column: number) => {
      const info = editor.state.doc.line(Math.min(Math.max(line + 1, 1), editor.state.doc.lines));
      return Math.min(info.from + column, info.to);
    };
    const from = at(reveal.start.line, reveal.start.column);
    const to = Math.max(from, at(reveal.end.line, reveal.end.column));
    editor.dispatch({
      // The cursor lands on the state's key; the selection covers the whole state.
      selection: { anchor: to, head: from },
      effects: EditorView.scrollIntoView(from, { y: "start", yMargin: 24 }),
      annotations: fromRust.of(true),
    });
  }, [reveal]);

  return <div className="code-view" ref={host} data-testid="code-view" />;
}
