// Shared timing for the peer scripts: one warm-up run, then runs until both a minimum count and
// a time budget are reached (or a maximum count); the median is reported. Every script prints
// exactly one JSON object on stdout, so `cargo xtask bench` can read it.
import { readFileSync } from 'node:fs';

/** The installed version of a package (its package.json; some packages do not export it). */
export function versionOf(name) {
  const file = new URL(`./node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')).version;
}

/** Command-line options: `--name value` pairs after the positional arguments. */
export function options(defaults) {
  const args = process.argv.slice(2);
  const positional = [];
  const named = { ...defaults };
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) {
      named[args[i].slice(2)] = Number(args[i + 1]);
      i++;
    } else {
      positional.push(args[i]);
    }
  }
  return { positional, named };
}

/**
 * Times `run` (an async function that receives the prepared value from `prepare`, which is not
 * timed). Returns { medianMs, minMs, runs }.
 */
export async function measure(prepare, run, { budgetMs = 5000, minRuns = 3, maxRuns = 15 } = {}) {
  await run(prepare());
  const times = [];
  const started = performance.now();
  while (
    times.length < maxRuns &&
    (times.length < minRuns || performance.now() - started < budgetMs)
  ) {
    const input = prepare();
    const t = performance.now();
    await run(input);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const medianMs = times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
  return { medianMs, minMs: times[0], runs: times.length };
}

/** Prints the result, or the error as `{ ok: false, error }`, and sets the exit code. */
export async function report(body) {
  try {
    const result = await body();
    process.stdout.write(JSON.stringify({ ok: true, node: process.version, ...result }) + '\n');
  } catch (err) {
    const error = String(err?.message ?? err).split('\n')[0];
    process.stdout.write(JSON.stringify({ ok: false, node: process.version, error }) + '\n');
    process.exitCode = 1;
  }
}
