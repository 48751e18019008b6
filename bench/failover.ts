// Benchmark: what a stopped worker costs the people waiting on it (issue 14, 2). On the production
// topology (harness/topology.ts: Temporal Server on PostgreSQL, two workers, two APIs), projects are
// registered so that both workers hold some in memory; then one worker is stopped — planned (SIGTERM,
// as compose's `stop` or a rolling update) or crashed (SIGKILL) — and at once every project's next task
// is completed through the API. The slowest of those completions is the wait the stop caused; the
// worker is started again before the next round. It measures and prints; it asserts nothing.
//   npm run bench:failover [-- --projects 12 --rounds 3]
import fs from 'node:fs';
import path from 'node:path';
import { ApiClient } from '../harness/http-client';
import { Topology } from '../harness/topology';
import { loadConfig } from '../runtime/config';
import { NAMED_UNITS } from '../domain/units';
import { STICKY_QUEUE_TIMEOUT } from '../worker/create';
import { arg, pct } from './stack';

const PROJECTS = arg('projects', 12);
const ROUNDS = arg('rounds', 3);
const PASSWORD = 'failover-demo';

export async function failover(): Promise<void> {
  const dataDir = path.join(loadConfig().dataDir, 'failover'); // (under the project: PostgreSQL's user must reach it)
  fs.rmSync(dataDir, { recursive: true, force: true });
  const topology = new Topology({ dataDir, base: 22000, namespace: 'default', demoPassword: PASSWORD, log: (s) => console.log(`  ${s}`) });
  try {
    console.log('\nfailover: starting the production topology (PostgreSQL, Temporal Server, 2 workers, 2 APIs) …');
    await topology.start();
    const api = new ApiClient(topology.proxyUrl, PASSWORD);
    const ids: string[] = [];
    for (let i = 0; i < PROJECTS; i++) {
      const r = await api.ok('POST', '/api/v1/projects', {
        as: 'info1', headers: { 'idempotency-key': `failover-${process.pid}-${i}` },
        body: { name: `失效切换测试项目${i + 1}`, investor: `测试投资公司${i + 1}`, investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP', channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 10000, sourceUnitId: NAMED_UNITS.commerce, isMajor: false, isCaseByCase: false },
      });
      ids.push(r.body.id);
    }
    // one step each, so every workflow is in some worker's cache
    await Promise.all(ids.map((id) => api.stepForward(id)));

    const rows: string[] = [];
    const baseline: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      await new Promise((r) => setTimeout(r, 1000));
      baseline.push(...(await Promise.all(ids.map(async (id) => (await api.stepForward(id))?.answer.ms ?? 0))));
    }
    rows.push(`no stop (both workers up)  slowest completion: ${(Math.max(...baseline) / 1000).toFixed(2)} s   all: p50 ${(pct(baseline, 50) / 1000).toFixed(2)} s, p95 ${(pct(baseline, 95) / 1000).toFixed(2)} s`);
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      const slowest: number[] = [];
      const all: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        const victim = topology.member(`worker-${(round % 2) + 1}`);
        await new Promise((r) => setTimeout(r, 1000));
        victim.kill(signal);
        const ms = await Promise.all(ids.map(async (id) => {
          const s = await api.stepForward(id);
          if (s && s.answer.status !== 200) throw new Error(`${id} ${s.taskType}: ${s.answer.status} ${JSON.stringify(s.answer.body)}`);
          return s?.answer.ms ?? 0;
        }));
        slowest.push(Math.max(...ms));
        all.push(...ms);
        // a planned stop drains first: wait until it has ended before starting it again
        for (let i = 0; i < 300 && victim.pids().length; i++) await new Promise((r) => setTimeout(r, 100));
        await victim.restart();
      }
      rows.push(`${signal === 'SIGTERM' ? 'planned stop (SIGTERM)    ' : 'crash (SIGKILL)           '}  slowest completion per round: ${slowest.map((m) => `${(m / 1000).toFixed(2)} s`).join(', ')}   all: p50 ${(pct(all, 50) / 1000).toFixed(2)} s, p95 ${(pct(all, 95) / 1000).toFixed(2)} s`);
    }
    console.log(`\nfailover of one of two workers, ${PROJECTS} projects completed at once right after the stop, ${ROUNDS} rounds each (sticky queue timeout ${STICKY_QUEUE_TIMEOUT})`);
    for (const r of rows) console.log(r);
  } finally {
    await topology.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  failover().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
