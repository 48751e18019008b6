// Policy simulation (harness/simulation.ts): prints the record of simulated county years in Chinese.
//   npm run simulate -- --years 2 [--policy FILE] [--projects 12] [--seed 7] [--db .data/simulation.db] [--timing]
// FILE is a JSON object merged over the default policy (due days, weights, quotas, stall thresholds),
// so two policies can be compared side by side. --timing prints where the run's wall time went.
// The simulated database is kept (--db): `DATABASE_URL=file:.data/simulation.db npm start` serves its
// reports at /api/v1/reports/monthly/:yyyy-mm, /quarterly/:yyyy-Qn and /annual/:yyyy.
import path from 'node:path';
import { loadPolicy, simulate } from '../harness/simulation';

const argOf = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

const started = Date.now();
simulate({
  years: Number(argOf('years') ?? 1),
  policy: loadPolicy(argOf('policy')),
  projects: Number(argOf('projects') ?? 12),
  seed: Number(argOf('seed') ?? 7),
  timing: process.argv.includes('--timing'),
  keepDb: argOf('db') ?? path.join('.data', 'simulation.db'),
})
  .then(() => console.log(`\n（模拟用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒）`))
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
