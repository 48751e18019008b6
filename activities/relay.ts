// §8 the relay's work: each copy of a notice (NotificationReceipt) becomes a delivery per channel the
// deployment configures and the person has an address for (the receipts are the outbox, written with
// the notice in one transaction); due deliveries are claimed row by row, sent, and recorded — SENT, or
// retried later with a doubling backoff (or the receiver's Retry-After), or FAILED after the policy's
// attempts with the last error. The claim (claimedUntil) means no two senders send one delivery at once,
// even when Temporal retries an activity whose worker is only slow; a delivery is marked SENT as soon
// as its receiver acknowledged it.
import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Db } from '../db/client';
import { currentPolicy } from '../db/policy';
import type { Policy } from '../domain/policy';
import { afterQuietHours, batchWindowMs, digestOf } from '../domain/notice-routing';
import { send, type Channel, type ChannelKind, type Delivery, type DeliveryNotice } from './channels';

export const CHANNEL_CODES: Record<ChannelKind, string> = { email: 'EMAIL', webhook: 'WEBHOOK', wecom: 'WECOM', dingtalk: 'DINGTALK' };
const CLAIM_MS = 30_000; // longer than one send (10 s at most); a dead sender's claims lapse after it
const CONCURRENCY = 8;
const CHUNK = 2 * CONCURRENCY; // claimed and marked sent together: a killed sender may leave up to this many sent but not marked

export interface RelayRound { planned: number; sent: number; retried: number; failed: number; more: boolean; nextDueAt: string | null }

/** A batch is joined only while it is this far from going out (a quarter of its window, at most 5 s): a sender never reads one a planner is still filling. */
const joinMarginMs = (batchSeconds: number) => Math.min(5_000, batchSeconds * 250);

/**
 * Makes the deliveries of receipts not yet planned: one per configured channel the person can be reached
 * on — alone (D<receipt>-<channel>), or, for a ladder notice below level 3 when the policy batches, in the
 * person's open batch on that channel (B<first receipt>-<channel>, sent batchSeconds after its first
 * notice fell due). All in one transaction with marking the receipts planned: a planner that dies plans
 * nothing, and one that repeats finds the same rows.
 */
async function plan(db: Db, channels: Channel[], policy: Policy, limit: number): Promise<number> {
  const receipts = await db.notificationReceipt.findMany({ where: { planned: false }, include: { person: true, notification: { select: { level: true, kind: true } } }, orderBy: { id: 'asc' }, take: limit });
  if (!receipts.length) return 0;
  const now = Date.now();
  const { quietHours = null, batchSeconds = null } = policy.delivery;
  await db.$transaction(async (tx) => {
    // the batches still open to more notices, of the people in this plan
    const open = new Map<string, { id: string; sendAt: number }>();
    if (batchSeconds) {
      const batches = await tx.delivery.findMany({
        where: {
          id: { startsWith: 'B' }, status: 'PENDING', attempts: 0, claimedUntil: null, nextAttemptAt: { gt: new Date(now + joinMarginMs(batchSeconds)) },
          receipt: { personId: { in: [...new Set(receipts.map((r) => r.personId))] } },
        },
        select: { id: true, channel: true, nextAttemptAt: true, receipt: { select: { personId: true } } },
      });
      for (const b of batches) open.set(`${b.receipt.personId}|${b.channel}`, { id: b.id, sendAt: b.nextAttemptAt.getTime() });
    }
    const deliveries: { id: string; receiptId: number; channel: string; createdAt: Date; nextAttemptAt: Date }[] = [];
    const items: { deliveryId: string; receiptId: number }[] = [];
    for (const r of receipts) {
      const dueAt = afterQuietHours(Math.max(r.createdAt.getTime(), now), r.notification.level, quietHours);
      const window = batchWindowMs(r.notification, batchSeconds);
      for (const c of channels) {
        if (c.kind === 'email' && !r.person.email) continue;
        const code = CHANNEL_CODES[c.kind];
        const key = `${r.personId}|${code}`;
        const batch = window === null ? undefined : open.get(key);
        if (batch && batch.sendAt >= dueAt) {
          items.push({ deliveryId: batch.id, receiptId: r.id }); // it falls due before the batch goes: it goes with it
          continue;
        }
        const id = `${window === null ? 'D' : 'B'}${r.id}-${code}`;
        const sendAt = dueAt + (window ?? 0);
        deliveries.push({ id, receiptId: r.id, channel: code, createdAt: new Date(now), nextAttemptAt: new Date(sendAt) });
        items.push({ deliveryId: id, receiptId: r.id });
        if (window !== null) open.set(key, { id, sendAt });
      }
    }
    const existing = new Set((await tx.delivery.findMany({ where: { id: { in: deliveries.map((d) => d.id) } }, select: { id: true } })).map((d) => d.id));
    const fresh = deliveries.filter((d) => !existing.has(d.id));
    if (fresh.length) await tx.delivery.createMany({ data: fresh });
    const had = new Set((await tx.deliveryItem.findMany({ where: { receiptId: { in: receipts.map((r) => r.id) } }, select: { deliveryId: true, receiptId: true } }))
      .map((i) => `${i.deliveryId}|${i.receiptId}`));
    const newItems = items.filter((i) => !had.has(`${i.deliveryId}|${i.receiptId}`));
    if (newItems.length) await tx.deliveryItem.createMany({ data: newItems });
    await tx.notificationReceipt.updateMany({ where: { id: { in: receipts.map((r) => r.id) } }, data: { planned: true } });
  });
  return receipts.length;
}

/** Due and nobody's: PENDING, its time come, unclaimed or its claim lapsed. */
const dueAt = (now: Date) => ({ status: 'PENDING', nextAttemptAt: { lte: now }, OR: [{ claimedUntil: null }, { claimedUntil: { lt: now } }] });

/**
 * One round: plan new receipts, then send up to `limit` due deliveries, a chunk at a time — one write
 * claims a chunk, its deliveries go out CONCURRENCY at once, one write marks those the receivers took.
 */
export async function relayDeliveries(db: Db, channels: Channel[], builtIn: Policy, limit = 100): Promise<RelayRound> {
  // §9: the delivery rules (attempts, backoff, quiet hours, batching) of the current policy version, read
  // every round: a version ADMIN publishes governs the next round (the relay's own input is the fallback)
  const { policy } = await currentPolicy(db, builtIn);
  const planned = await plan(db, channels, policy, 500);
  const byCode = new Map(channels.map((c) => [CHANNEL_CODES[c.kind], c]));
  const due = await db.delivery.findMany({ where: dueAt(new Date()), orderBy: { nextAttemptAt: 'asc' }, take: limit, select: { id: true } });
  const round: RelayRound = { planned, sent: 0, retried: 0, failed: 0, more: due.length === limit, nextDueAt: null };
  for (let i = 0; i < due.length; i += CHUNK) await sendChunk(db, byCode, policy, due.slice(i, i + CHUNK).map((d) => d.id), round);
  const nextDue = await db.delivery.findFirst({ where: { status: 'PENDING' }, orderBy: { nextAttemptAt: 'asc' }, select: { nextAttemptAt: true } });
  round.nextDueAt = nextDue?.nextAttemptAt.toISOString() ?? null;
  return round;
}

async function sendChunk(db: Db, byCode: Map<string, Channel>, policy: Policy, ids: string[], round: RelayRound): Promise<void> {
  const claim = randomUUID();
  // claimed only as still due and nobody's: another sender may have sent, rescheduled or claimed one meanwhile
  await db.delivery.updateMany({ where: { id: { in: ids }, ...dueAt(new Date()) }, data: { claimedBy: claim, claimedUntil: new Date(Date.now() + CLAIM_MS) } });
  const mine = await db.delivery.findMany({ where: { id: { in: ids }, claimedBy: claim }, include: { receipt: { include: { person: true, notification: true } } } });
  heartbeat();
  const sent: string[] = [];
  const queue = [...mine];
  const lane = async () => {
    for (let d = queue.shift(); d; d = queue.shift()) {
      const channel = byCode.get(d.channel);
      const result = channel
        ? await send(channel, d.id.startsWith('B') ? await batchOf(db, d) : toDelivery(d))
        : { ok: false as const, retryable: false, error: `channel ${d.channel} is not configured any more` };
      if (result.ok) sent.push(d.id);
      else await recordFailure(db, policy, d, claim, result, round);
      heartbeat();
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, lane));
  if (sent.length) {
    await db.delivery.updateMany({
      where: { id: { in: sent }, claimedBy: claim },
      data: { status: 'SENT', attempts: { increment: 1 }, sentAt: new Date(), claimedUntil: null, claimedBy: null, lastError: null },
    });
    round.sent += sent.length;
  }
}

function heartbeat() {
  try {
    Context.current().heartbeat();
  } catch { /* called outside an activity (tests) */ }
}

/** Not taken: tried again later (doubling backoff, or the receiver's Retry-After), or FAILED with the last error. */
async function recordFailure(
  db: Db, policy: Policy, d: DeliveryRow & { attempts: number }, claim: string, result: { retryable: boolean; retryAfterMs?: number; error: string }, round: RelayRound,
): Promise<void> {
  const attempts = d.attempts + 1;
  const { firstRetrySeconds, maxRetrySeconds, maxAttempts } = policy.delivery;
  const where = { id: d.id, claimedBy: claim };
  if (!result.retryable || attempts >= maxAttempts) {
    await db.delivery.updateMany({ where, data: { status: 'FAILED', attempts, claimedUntil: null, claimedBy: null, lastError: result.error.slice(0, 1000) } });
    round.failed++;
    return;
  }
  const backoffMs = Math.max(result.retryAfterMs ?? 0, Math.min(firstRetrySeconds * 2 ** (attempts - 1), maxRetrySeconds) * 1000);
  const next = afterQuietHours(Date.now() + backoffMs, d.receipt.notification.level, policy.delivery.quietHours ?? null);
  await db.delivery.updateMany({ where, data: { attempts, nextAttemptAt: new Date(next), claimedUntil: null, claimedBy: null, lastError: result.error.slice(0, 1000) } });
  round.retried++;
}

type DeliveryRow = {
  id: string;
  receipt: {
    person: { username: string; displayName: string; email: string | null; mobile: string | null; wecomUserId: string | null; dingtalkUserId: string | null };
    notification: { kind: string; level: number; title: string; body: string; projectId: string | null; taskId: string | null; createdAt: Date };
  };
};
type NoticeRow = DeliveryRow['receipt']['notification'];
const noticeOf = (n: NoticeRow): DeliveryNotice => ({ kind: n.kind, level: n.level, title: n.title, body: n.body, projectId: n.projectId, taskId: n.taskId, createdAt: n.createdAt.toISOString() });

/** A batch as it stands when claimed: its notices in the order they were made, as one message (one notice: as itself). */
async function batchOf(db: Db, d: DeliveryRow): Promise<Delivery> {
  const rows = await db.deliveryItem.findMany({ where: { deliveryId: d.id }, orderBy: { receiptId: 'asc' }, select: { receipt: { select: { notification: true } } } });
  if (rows.length <= 1) return toDelivery(d);
  const notices = rows.map((r) => r.receipt.notification);
  return {
    id: d.id, kind: 'DIGEST', level: Math.max(...notices.map((n) => n.level)), ...digestOf(notices),
    recipient: d.receipt.person, projectId: null, taskId: null, createdAt: notices[0].createdAt.toISOString(), items: notices.map(noticeOf),
  };
}

const toDelivery = (d: DeliveryRow): Delivery => ({
  id: d.id, kind: d.receipt.notification.kind, level: d.receipt.notification.level, title: d.receipt.notification.title, body: d.receipt.notification.body,
  recipient: d.receipt.person, projectId: d.receipt.notification.projectId, taskId: d.receipt.notification.taskId,
  createdAt: d.receipt.notification.createdAt.toISOString(),
});
