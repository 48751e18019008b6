// Benchmark (issue 15, goal 2): throughput through the API on this machine — 32 concurrent clients,
// each on projects of its own: first every client registers its leads (POST /api/v1/projects), then
// every client completes its projects' lead.verify (POST /api/v1/tasks/:id/complete). npm start's
// configuration (benchStack). Targets: ≥ 40 registrations and ≥ 60 completions a second.
// It measures and prints; it asserts nothing.
//   tsx bench/throughput.ts [--clients 32] [--per-client 15]
import { ACCEPT, arg, benchApi, benchStack, LEAD, pct } from './stack';

export async function throughput(clients = arg('clients', 32), perClient = arg('per-client', 15)): Promise<{ registrations: number; completions: number }> {
  const stack = await benchStack('bench-throughput');
  const { base, token, close } = await benchApi(stack);
  const post = async (path: string, body: unknown, expected: number) => {
    const t = performance.now();
    const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const json = await res.json() as Record<string, unknown>;
    if (res.status !== expected) throw new Error(`POST ${path} answered ${res.status}: ${JSON.stringify(json)}`);
    return { ms: performance.now() - t, json };
  };

  // warm-up: a few of each, so that neither phase pays for first compilations
  for (let i = 0; i < 5; i++) {
    const r = await post('/api/v1/projects', { ...LEAD, name: `预热项目${i}` }, 201);
    await post(`/api/v1/tasks/${r.json.id as string}-T001/complete`, ACCEPT, 200);
  }

  const phase = async (name: string, op: (c: number, i: number) => Promise<number>) => {
    const latencies: number[] = [];
    const t0 = performance.now();
    await Promise.all(Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < perClient; i++) latencies.push(await op(c, i));
    }));
    const seconds = (performance.now() - t0) / 1000;
    const rate = latencies.length / seconds;
    console.log(`  ${name.padEnd(14)} ${String(latencies.length).padStart(5)} in ${seconds.toFixed(1).padStart(5)} s   p50 ${pct(latencies, 50).toFixed(0).padStart(5)} ms   p95 ${pct(latencies, 95).toFixed(0).padStart(5)} ms`);
    return rate;
  };

  console.log(`\nthroughput through the API: ${clients} concurrent clients, ${perClient} projects each; npm start's configuration, one worker`);
  const ids: string[][] = Array.from({ length: clients }, () => []);
  const registrations = await phase('registrations', async (c, i) => {
    const r = await post('/api/v1/projects', { ...LEAD, name: `吞吐项目${c}-${i}` }, 201);
    ids[c].push(r.json.id as string);
    return r.ms;
  });
  // each project's first task is `${projectNo}-T001` (workflows/task-book.ts), its lead.verify
  const completions = await phase('completions', async (c, i) => (await post(`/api/v1/tasks/${ids[c][i]}-T001/complete`, ACCEPT, 200)).ms);
  console.log(`registrations per second: ${registrations.toFixed(1)}`);
  console.log(`completions per second: ${completions.toFixed(1)}`);

  await close();
  await stack.stop();
  return { registrations, completions };
}

if (require.main === module) {
  throughput().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
