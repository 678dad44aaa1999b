// One small line icon per state type, drawn in SVG so no font has to carry the glyphs.
const PATHS: Record<string, string> = {
  Pass: "M3 8h9M9 4.5 12.5 8 9 11.5",
  Task: "M8 2.5v2M8 11.5v2M2.5 8h2M11.5 8h2M4.1 4.1l1.4 1.4M10.5 10.5l1.4 1.4M4.1 11.9l1.4-1.4M10.5 5.5l1.4-1.4M8 6a2 2 0 1 0 0 4 2 2 0 0 0 0-4",
  Choice: "M8 2 14 8 8 14 2 8Z",
  Wait: "M8 2.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11M8 5v3.2l2.2 1.4",
  Succeed: "M3 8.5 6.5 12 13 4.5",
  Fail: "M4 4l8 8M12 4l-8 8",
  Parallel: "M8 2v3M8 5 4 9v5M8 5l4 4v5",
  Map: "M2.5 5.5h8v8h-8zM5.5 2.5h8v8",
};

export function StateIcon({ type }: { type: string }) {
  return (
    <svg className="state-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden>
      <path
        d={PATHS[type] ?? PATHS.Pass}
        fill="none"
        stroke="currentColor"
        strokeWidth="1.6"
        strokeLinecap="round"
        strokeLinejoin="round"
      />
    </svg>
  );
}
