// asl-validator on the ASL workload of `cargo xtask bench`:
//   node validate.mjs <machine.asl.json> [--budgetMs N --minRuns N --maxRuns N]
// Times JSON.parse + validation of the text (what Stepwise's parse + validate does), and the
// validation of an already parsed object alone.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { measure, options, report, versionOf } from './timing.mjs';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator');
const { positional, named } = options({});
const text = readFileSync(positional[0], 'utf8');

await report(async () => {
  const { isValid, errors } = aslValidator(JSON.parse(text));
  const parseAndValidate = await measure(() => text, async (t) => aslValidator(JSON.parse(t)), named);
  // The validator writes defaults into the object it is given: a fresh copy per run, untimed.
  const parsed = JSON.parse(text);
  const validateOnly = await measure(() => structuredClone(parsed), async (d) => aslValidator(d), named);
  return {
    package: 'asl-validator',
    version: versionOf('asl-validator'),
    valid: isValid,
    errors: errors.length,
    medianMs: parseAndValidate.medianMs,
    runs: parseAndValidate.runs,
    validateOnly,
  };
});
