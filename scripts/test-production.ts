// `npm run test:production` (issue 14, 5): the tests that need a Temporal Server — the API's, with
// visibility queries, continue-as-new, the county calendar through the API, the relay, the standalone
// processes — run against the production build (the Temporal Server at the version docker-compose.yml
// pins, on PostgreSQL: harness/topology.ts), each test file in a namespace of its own
// (harness/temporal.ts devServer), so that a difference between it and the CLI's dev server, which
// `npm test` uses, is found here and not in the county. The workflow tests on the time-skipping test
// server (the calendar's years, the ladder's months) cannot run on a real server's clock and stay there.
//   npm run test:production [-- test/api.test.ts …]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Topology } from '../harness/topology';
import { childEnv, loadConfig, PROJECT_ROOT } from '../runtime/config';

/** The test files that use a Temporal Server (the dev server under npm test), but not the browser's nor the TLS proxy's. */
export function serverTestFiles(): string[] {
  const dir = path.join(PROJECT_ROOT, 'test');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts') && !f.startsWith('web-') && f !== 'temporal-tls.test.ts')
    .filter((f) => /startApiEnv\(|devServer\(\)/.test(fs.readFileSync(path.join(dir, f), 'utf8')))
    .sort().map((f) => `test/${f}`);
}

async function main() {
  const files = process.argv.slice(2).filter((a) => a.endsWith('.ts'));
  const chosen = files.length ? files : serverTestFiles();
  const dataDir = path.join(loadConfig().dataDir, 'test-production');
  fs.rmSync(dataDir, { recursive: true, force: true });
  const topology = new Topology({ dataDir, base: 24000, namespace: 'default', programs: false, log: (s) => console.log(`[test:production] ${s}`) });
  let status = 1;
  process.once('SIGINT', () => void topology.stop().then(() => process.exit(130)));
  try {
    await topology.start();
    console.log(`[test:production] ${chosen.length} test files against the Temporal Server on PostgreSQL at ${topology.address}`);
    const r = spawnSync(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...chosen], {
      cwd: PROJECT_ROOT, stdio: 'inherit', env: childEnv({ TEST_TEMPORAL_ADDRESS: topology.address }),
    });
    status = r.status ?? 1;
  } catch (e) {
    console.error(e);
  } finally {
    await topology.stop();
  }
  process.exit(status);
}

if (require.main === module) void main();
