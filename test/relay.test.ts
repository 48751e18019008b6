// §8 the notice relay over real servers: the dev server runs the relay workflow, a real local webhook
// receiver fails each delivery three times and then takes it; each delivery succeeds exactly once,
// with its idempotency key; one the receiver refuses for good is FAILED with its last error, seen and
// retried by ADMIN through the API, and counted on /readyz.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { remindTripQuota } from '../activities/trip-quota';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { periodsOf } from '../domain/shanghai-time';
import { ensureNoticeRelay } from '../runtime/notice-relay';
import { pokeRelay } from '../workflows/messages/notice-relay';
import { startApiEnv, type ApiEnv } from './helpers/api-env';
import { eventually } from './helpers/eventually';

let receiver: http.Server;
let a: ApiEnv;
const attempts = new Map<string, number>(); // by Idempotency-Key
const accepted = new Map<string, number>();
let refuse = 'kfq_deputy'; // the receiver refuses this person's deliveries for good (400)

// fast backoff, so that three failures take a second or two
const policy: Policy = { ...DEFAULT_POLICY, delivery: { maxAttempts: 6, firstRetrySeconds: 0.2, maxRetrySeconds: 1, quietHours: null } };

beforeAll(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const key = String(req.headers['idempotency-key']);
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (JSON.parse(body).recipient === refuse) return res.writeHead(400).end('unknown recipient');
      if (n <= 3) return res.writeHead(503).end('busy');
      accepted.set(key, (accepted.get(key) ?? 0) + 1);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/notices`;
  a = await startApiEnv('relay', { channels: [{ kind: 'webhook', url, secret: 'relay-test-secret' }] });
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
});
