// `npm run tools`: finds or installs the Temporal CLI and the time-skipping test server (runtime/temporal-tools.ts)
// and prints where they are. `npm run temporal -- ARGS`: runs the CLI, wherever it was found, e.g.
//   npm run temporal -- workflow list --query 'ProjectStage="LEAD"'
import { execFileSync, spawnSync } from 'node:child_process';
import { ensureTemporalCli, ensureTestServer } from '../runtime/temporal-tools';

if (process.argv[2] === 'cli') {
  const r = spawnSync(ensureTemporalCli(), process.argv.slice(3), { stdio: 'inherit' });
  process.exit(r.status ?? 1);
} else {
  const cli = ensureTemporalCli();
  const testServer = ensureTestServer();
  const version = execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim();
  console.log(`temporal CLI:        ${cli} (${version})`);
  console.log(`temporal test server: ${testServer}`);
}
