// The reference JSONata implementation (npm `jsonata`, the version Step Functions uses) on the
// expressions of `cargo xtask bench`:
//   node jsonata.mjs <expressions.json> [--budgetMs N --minRuns N --maxRuns N]
// The file is { input, expressions: [{ name, expression }] }. Each expression is compiled once,
// outside the timing, then evaluated against the input; prints one result per expression.
import { readFileSync } from 'node:fs';
import jsonata from 'jsonata';
import { measure, options, report, versionOf } from './timing.mjs';

const { positional, named } = options({});
const file = JSON.parse(readFileSync(positional[0], 'utf8'));

await report(async () => {
  const results = [];
  for (const { name, expression } of file.expressions) {
    const compiled = jsonata(expression);
    const run = async () => compiled.evaluate(file.input);
    // The result's size as JSON text, so the bench can check both sides computed the same.
    const outputBytes = Buffer.byteLength(JSON.stringify(await run()) ?? '');
    const timing = await measure(() => null, run, named);
    results.push({ name, ...timing, outputBytes });
  }
  return { package: 'jsonata', version: versionOf('jsonata'), results };
});
