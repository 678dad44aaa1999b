// How the run views write lengths of time: milliseconds under a second, then seconds, then
// minutes, so one column reads well from an instant Pass to a day-long Wait.

/** e.g. "0 ms", "418 ms", "1.42 s", "2 min 5 s", "3 h 20 min". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(ms < 10_000 ? 2 : 1))} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
  return `${Math.floor(ms / 3_600_000)} h ${Math.round((ms % 3_600_000) / 60_000)} min`;
}
