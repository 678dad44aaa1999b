// What an opened row of the Events or Table tab shows below itself: indented JSON in a box of a
// height known before rendering (its line count, up to a cap beyond which it scrolls), so the
// windowed list can place the rows after it without measuring.

const LINE_HEIGHT = 15;
/** An opened row shows at most this many lines; longer text scrolls inside it. */
const MAX_LINES = 18;
/** The box's margins above and below. */
const MARGIN = 8;

/** The height an opened row adds below itself for `text`. */
export function openedHeight(text: string): number {
  let lines = 1;
  for (let i = 0; i < text.length && lines < MAX_LINES; i++) if (text.charCodeAt(i) === 10) lines += 1;
  return lines * LINE_HEIGHT + 4 + MARGIN;
}

/** A JSON text (AWS's histories carry input and output as text) as a value, else the text itself. */
export function unfoldJson(value: unknown): unknown {
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** The opened rows after `key`'s row was opened or closed. */
export function toggled<T>(open: ReadonlySet<T>, key: T): Set<T> {
  const next = new Set(open);
  if (!next.delete(key)) next.add(key);
  return next;
}

export function OpenedText({ text }: { text: string }) {
  return (
    <pre className="row-details" style={{ height: openedHeight(text) - MARGIN }}>
      {text}
    </pre>
  );
}
