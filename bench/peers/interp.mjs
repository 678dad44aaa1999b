// aws-local-stepfunctions on one interpreter workload file of `cargo xtask bench`:
//   node interp.mjs <workload.json> [--budgetMs N --minRuns N --maxRuns N]   times runs
//   node interp.mjs <workload.json> --once 1                                 one run, peak memory
// The file is { definition, input, liftPayloadLimit }. This peer has no payload-size limit
// (it never enforces AWS's 256 KiB), so there is nothing to lift; the script says so.
import { readFileSync } from 'node:fs';
import { StateMachine } from 'aws-local-stepfunctions';
import { measure, options, report, versionOf } from './timing.mjs';

const { positional, named } = options({});
const file = JSON.parse(readFileSync(positional[0], 'utf8'));

await report(async () => {
  // Constructing the machine validates the definition: done once, outside the timing, as
  // Stepwise compiles its plan once outside the timing.
  const machine = new StateMachine(file.definition);
  const run = async (input) => machine.run(input).result;
  const base = {
    package: 'aws-local-stepfunctions',
    version: versionOf('aws-local-stepfunctions'),
    payloadLimit: 'none (the package has no payload-size limit to lift)',
  };
  if (named.once) {
    const t = performance.now();
    await run(file.input);
    const ms = performance.now() - t;
    // resourceUsage().maxRSS is in kilobytes: the process's peak resident set.
    return { ...base, medianMs: ms, runs: 1, maxRssKb: process.resourceUsage().maxRSS };
  }
  // The output's size as JSON text, so the bench can check both sides computed the same thing.
  const outputBytes = Buffer.byteLength(JSON.stringify(await run(structuredClone(file.input))));
  // Each run gets its own copy of the input, made outside the timing.
  const timing = await measure(() => structuredClone(file.input), run, named);
  return { ...base, ...timing, outputBytes };
});
