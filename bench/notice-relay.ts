// Benchmark (§8): deliveries per second through the notice relay to a local webhook receiver, and the
// delay from a notice's making (the ladder step) to its arrival at the receiver, at --n notices
// (default 1,000), each to one person. Dev server, real SQLite file, real HTTP. Prints only.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeNotice } from '../activities/recipients';
import { DEFAULT_POLICY } from '../domain/policy';
import { ensureNoticeRelay } from '../runtime/notice-relay';
import { pokeRelay } from '../workflows/messages/notice-relay';
import { arg, benchStack, pct } from './stack';

export async function noticeRelay(n = arg('n', 1000)): Promise<void> {
  const arrived = new Map<string, number>();
  const receiver = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived.set(String(req.headers['idempotency-key']), Date.now());
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notices`;
  const stack = await benchStack('bench-relay', { channels: [{ kind: 'webhook', url, secret: 'bench' }] });
  try {
    // every notice alone (no quiet hours, no batching): the relay's own speed
    const policy = { ...DEFAULT_POLICY, delivery: { ...DEFAULT_POLICY.delivery, quietHours: null, batchSeconds: null } };
    await ensureNoticeRelay(stack.client, stack.taskQueue, { policy });
    const people = await stack.db.person.findMany({ select: { id: true, username: true, displayName: true } });
    const made = new Map<number, number>(); // receipt id → when its notice was made
    const t0 = Date.now();
    for (let i = 0; i < n; i++) {
      const p = people[i % people.length];
      const at = new Date();
      await stack.db.$transaction((tx) => writeNotice(tx, {
        dedupeKey: `bench:${i}`, kind: 'OVERDUE', level: 1, title: `【已逾期】基准测试任务 ${i}`, body: '基准测试', createdAt: at,
      }, [{ personId: p.id, username: p.username, displayName: p.displayName, reason: '分管负责人', unrouted: false }]));
      if (i % 50 === 49) await pokeRelay(stack.client); // as the projection pokes after a batch
    }
    await pokeRelay(stack.client);
    const madeIn = Date.now() - t0;
    const receipts = await stack.db.notificationReceipt.findMany({ select: { id: true, createdAt: true } });
    for (const r of receipts) made.set(r.id, r.createdAt.getTime());
    const deadline = Date.now() + 10 * 60_000;
    while (arrived.size < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const end = Math.max(...arrived.values());
    const delays = [...arrived.entries()].map(([id, t]) => t - made.get(Number(/^D(\d+)-/.exec(id)![1]))!);
    console.log(`\nnotice relay to a local webhook receiver (${n} notices, dev server, SQLite)`);
    console.log(`  the ${n} notices were made in ${(madeIn / 1000).toFixed(1)} s (one transaction each, as the ladder's projections make them), while the relay ran`);
    console.log(`  delivered ${arrived.size}/${n} in ${((end - t0) / 1000).toFixed(1)} s from the first notice: ${(arrived.size / ((end - t0) / 1000)).toFixed(0)} deliveries/s`);
    console.log(`  delay from the notice to the receiver: p50 ${pct(delays, 50)} ms, p95 ${pct(delays, 95)} ms, max ${Math.max(...delays)} ms`);
  } finally {
    await stack.stop();
    await new Promise<void>((r) => receiver.close(() => r()));
  }
}

if (require.main === module) noticeRelay().catch((e) => { console.error(e); process.exit(1); });
