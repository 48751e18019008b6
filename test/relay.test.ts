// §8 the notice relay over real servers: the dev server runs the relay workflow, a real local webhook
// receiver fails each delivery three times and then takes it; each delivery succeeds exactly once,
// with its idempotency key; one the receiver refuses for good is FAILED with its last error, seen and
// retried by ADMIN through the API, and counted on /readyz.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../activities/channels';
import { relayDeliveries } from '../activities/relay';
import { writeNotice } from '../activities/recipients';
import { remindTripQuota } from '../activities/trip-quota';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { periodsOf } from '../domain/shanghai-time';
import { ensureNoticeRelay } from '../runtime/notice-relay';
import { pokeRelay } from '../workflows/messages/notice-relay';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

let receiver: http.Server;
let channels: Channel[];
let a: ApiEnv;
const attempts = new Map<string, number>(); // by Idempotency-Key
const accepted = new Map<string, number>();
let refuse = 'kfq_deputy'; // the receiver refuses this person's deliveries for good (400)

// fast backoff, so that three failures take a second or two
// (ladder notices batched for 2 s; the 三 quota reminders of the first test are never batched)
const policy: Policy = { ...DEFAULT_POLICY, delivery: { maxAttempts: 6, firstRetrySeconds: 0.2, maxRetrySeconds: 1, quietHours: null, batchSeconds: 2 } };
const bodies = new Map<string, Record<string, unknown>>(); // the last body received, by Idempotency-Key

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      bodies.set(key, JSON.parse(body));
      if (JSON.parse(body).recipient === refuse) return res.writeHead(400).end('unknown recipient');
      if (n <= 3) return res.writeHead(503).end('busy');
      accepted.set(key, (accepted.get(key) ?? 0) + 1);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notices`;
  channels = [{ kind: 'webhook', url, secret: 'relay-test-secret' }];
  a = await startApiEnv('relay', { channels });
  await ensureNoticeRelay(a.temporal.client, a.taskQueue, { policy });
});
afterAll(async () => {
  await a?.teardown();
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('§8 the notice relay', () => {
  it('delivers each copy exactly once through a receiver that fails three times; a refused one is FAILED, then retried by ADMIN', async () => {
    const quarter = periodsOf(Date.now()).quarter.key;
    expect((await remindTripQuota(a.store.db, { quarter, at: new Date().toISOString() }, policy)).reminded).toBe(4);
    await pokeRelay(a.temporal.client);
    const settled = await eventually(async () => {
      const rows = await a.store.db.delivery.findMany({ orderBy: { id: 'asc' }, include: { receipt: { include: { person: true } } } });
      expect(rows).toHaveLength(4);
      expect(rows.filter((d) => d.status === 'PENDING')).toEqual([]);
      return rows;
    }, 30_000);
    const byPerson = Object.fromEntries(settled.map((d) => [d.receipt.person.username, d]));
    for (const who of ['kfq_principal', 'nanzhou_principal', 'nanzhou_deputy']) {
      expect(byPerson[who]).toMatchObject({ status: 'SENT', attempts: 4, channel: 'WEBHOOK' });
      expect(accepted.get(byPerson[who].id)).toBe(1); // exactly one success per delivery
    }
    expect(byPerson.kfq_deputy).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'HTTP 400: unknown recipient' });

    // ADMIN sees it, and /readyz counts it
    const failed = await a.call('GET', '/api/v1/admin/deliveries?status=FAILED', { as: 'admin' });
    expect(failed.body.items.map((d: { id: string; recipient: string }) => [d.id, d.recipient])).toEqual([[byPerson.kfq_deputy.id, 'kfq_deputy']]);
    expect((await a.call('GET', '/api/v1/admin/deliveries', { as: 'kfq_deputy' })).status).toBe(403);
    expect((await a.call('GET', '/readyz')).body.deliveries).toEqual({ PENDING: 0, SENT: 3, FAILED: 1 });
    expect((await a.call('POST', `/api/v1/admin/deliveries/${byPerson.nanzhou_deputy.id}/retry`, { as: 'admin' })).status).toBe(409); // SENT: nothing to retry

    // the receiver is mended; ADMIN retries; the relay is told and sends it
    refuse = '';
    const retried = await a.call('POST', `/api/v1/admin/deliveries/${byPerson.kfq_deputy.id}/retry`, { as: 'admin' });
    expect(retried.body).toMatchObject({ status: 'PENDING', attempts: 0 });
    await eventually(async () => expect((await a.store.db.delivery.findUniqueOrThrow({ where: { id: byPerson.kfq_deputy.id } })).status).toBe('SENT'), 30_000);
    expect(accepted.get(byPerson.kfq_deputy.id)).toBe(1);
    expect((await a.call('GET', '/readyz')).body.deliveries).toEqual({ PENDING: 0, SENT: 4, FAILED: 0 });
  }, 60_000);

  it('batches a person\'s ladder notices below level 3 that fall due together into one message; a level-3 escalation goes alone and at once', async () => {
    const person = await a.store.db.person.findUniqueOrThrow({ where: { username: 'kfq_principal' } });
    const to = [{ personId: person.id, username: person.username, displayName: person.displayName, reason: '主要负责人', unrouted: false }];
    const notice = (n: number, kind: string, level: number) => ({
      dedupeKey: `batch-test:${n}`, kind, level, title: `督办测试 ${n}`, body: `第 ${n} 条：任务已逾期`, taskId: `T-BATCH-${n}`, createdAt: new Date(),
    });
    await a.store.db.$transaction(async (tx) => {
      await writeNotice(tx, notice(1, 'OVERDUE', 1), to);
      await writeNotice(tx, notice(2, 'ESCALATION', 2), to);
      await writeNotice(tx, notice(3, 'ESCALATION', 3), to); // 三级督办: never waits
    });
    // planned (here, or by a round of the relay workflow, with the same policy: the rows decide, whoever plans them)
    await relayDeliveries(a.store.db, channels, policy, 0);
    await a.store.db.$transaction(async (tx) => writeNotice(tx, notice(4, 'REMINDER', 0), to)); // a second later: joins the open batch
    await relayDeliveries(a.store.db, channels, policy, 0);
    const rows = await a.store.db.delivery.findMany({
      where: { items: { some: { receipt: { notification: { dedupeKey: { startsWith: 'batch-test:' } } } } } },
      include: { items: { include: { receipt: { include: { notification: true } } }, orderBy: { receiptId: 'asc' } } }, orderBy: { id: 'asc' },
    });
    const carried = (d: (typeof rows)[number]) => d.items.map((i) => i.receipt.notification.dedupeKey);
    expect(rows.map((d) => [d.id[0], carried(d)])).toEqual([['B', ['batch-test:1', 'batch-test:2', 'batch-test:4']], ['D', ['batch-test:3']]]);
    const [batch, alone] = rows;
    expect(batch.nextAttemptAt.getTime() - alone.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(1_900); // the batch waits its window, level 3 does not

    // both reach the receiver (which fails each three times first), the batch as one message with its three notices
    await pokeRelay(a.temporal.client);
    await eventually(async () => {
      for (const d of rows) expect((await a.store.db.delivery.findUniqueOrThrow({ where: { id: d.id } })).status).toBe('SENT');
    }, 30_000);
    expect(accepted.get(batch.id)).toBe(1);
    expect(bodies.get(batch.id)).toMatchObject({
      kind: 'DIGEST', level: 2, title: '南县招商引资：3 条待办提醒与督办', recipient: 'kfq_principal',
      items: [{ title: '督办测试 1', level: 1 }, { title: '督办测试 2', level: 2 }, { title: '督办测试 4', level: 0 }],
    });
    expect(String(bodies.get(batch.id)!.body)).toContain('1. 督办测试 1\n第 1 条：任务已逾期');
    const listed = (await a.call('GET', '/api/v1/admin/deliveries?status=SENT&pageSize=100', { as: 'admin' })).body.items as { id: string; notices: number }[];
    expect(listed.filter((d) => d.id === batch.id || d.id === alone.id).map((d) => [d.id[0], d.notices]).sort()).toEqual([['B', 3], ['D', 1]]);
    expect(bodies.get(alone.id)).toMatchObject({ kind: 'ESCALATION', level: 3, title: '督办测试 3', taskId: 'T-BATCH-3' });
  }, 60_000);
});
