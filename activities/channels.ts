// §8 delivery channels: how one copy of a notice (a delivery) goes out on each channel a deployment
// configures — e-mail over SMTP (nodemailer), a generic webhook (JSON, HMAC-SHA256 over timestamp and body, Idempotency-Key = the
// delivery id), a 企业微信 group robot and a 钉钉 custom robot (markdown, 钉钉's timestamp + secret
// signature). Each send answers whether it went, and if not whether a later attempt may succeed
// (connection refused, timeout, 5xx, 429 or a robot's rate limit) — what the relay retries. The
// addresses are configuration: nothing here knows a real endpoint.
import { createHmac } from 'node:crypto';
import nodemailer, { type Transporter } from 'nodemailer';
import { z } from 'zod';

/** One copy of a notice for one person on one channel. */
export interface Delivery {
  /** the delivery's id: the receiver's idempotency key */
  id: string;
  kind: string; level: number; title: string; body: string;
  recipient: { username: string; displayName: string; email?: string | null; mobile?: string | null; wecomUserId?: string | null; dingtalkUserId?: string | null };
  projectId: string | null; taskId: string | null; createdAt: string;
  /** a batch (§8 policy.delivery.batchSeconds): the notices it carries, each as made; title and body are then the digest */
  items?: DeliveryNotice[];
}
export interface DeliveryNotice { kind: string; level: number; title: string; body: string; projectId: string | null; taskId: string | null; createdAt: string }

export type SendResult =
  | { ok: true; status: number }
  | { ok: false; retryable: boolean; retryAfterMs?: number; error: string };

export interface WebhookChannel { kind: 'webhook'; url: string; secret: string }
export interface WecomChannel { kind: 'wecom'; url: string } // the robot's address carries its key
export interface DingtalkChannel { kind: 'dingtalk'; url: string; secret: string } // the robot's address carries its access token
/** e-mail over SMTP: smtp://user:pass@host:port (smtps:// for TLS) */
export interface EmailChannel { kind: 'email'; smtpUrl: string; from: string }
export type Channel = WebhookChannel | WecomChannel | DingtalkChannel | EmailChannel;
export type ChannelKind = Channel['kind'];

const address = z.string().url().refine((u) => /^https?:/.test(u), 'must be an http(s) address');
/** §8 a deployment's channels as a file gives them (NOTIFY_CONFIG): {"channels": [{"kind": "webhook", "url": …, "secret": …}, …]} */
export const ChannelsFile = z.strictObject({
  channels: z.array(z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('email'), smtpUrl: z.string().regex(/^smtps?:\/\//, 'must be smtp:// or smtps://'), from: z.string().min(3) }),
    z.strictObject({ kind: z.literal('webhook'), url: address, secret: z.string().min(16, 'at least 16 characters') }),
    z.strictObject({ kind: z.literal('wecom'), url: address }),
    z.strictObject({ kind: z.literal('dingtalk'), url: address, secret: z.string().min(1) }),
  ])).refine((cs) => new Set(cs.map((c) => c.kind)).size === cs.length, 'each kind of channel at most once'),
});

const TIMEOUT_MS = 10_000;

/** Retry-After in seconds or as an HTTP date, in ms (capped at an hour). */
function retryAfter(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const s = Number(header);
  const ms = Number.isFinite(s) ? s * 1000 : Date.parse(header) - now;
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 3_600_000) : undefined;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; text: string; retryAfterMs?: number } | SendResult> {
  try {
    const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    return { status: res.status, text: await res.text(), retryAfterMs: retryAfter(res.headers.get('retry-after')) };
  } catch (e) {
    // refused, reset, DNS, timeout: the receiver may be back later
    const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name;
    return { ok: false, retryable: true, error: `${cause}: ${(e as Error).message}` };
  }
}

const isResult = (r: unknown): r is SendResult => typeof (r as SendResult).ok === 'boolean';

/** HTTP status → result: 2xx sent; 429 and 5xx (and 408) retried; other 4xx given up (a retry sends the same). */
function byStatus(r: { status: number; text: string; retryAfterMs?: number }): SendResult {
  if (r.status >= 200 && r.status < 300) return { ok: true, status: r.status };
  const retryable = r.status === 429 || r.status === 408 || r.status >= 500;
  return { ok: false, retryable, ...(r.retryAfterMs !== undefined ? { retryAfterMs: r.retryAfterMs } : {}), error: `HTTP ${r.status}: ${r.text.slice(0, 200)}` };
}

/** The robots answer 200 with {errcode}: 0 sent; their rate limits are worth a retry, other codes not. */
function byErrcode(r: { status: number; text: string; retryAfterMs?: number }, rateLimited: number[]): SendResult {
  const http = byStatus(r);
  if (!http.ok) return http;
  let errcode: number | undefined;
  let errmsg = '';
  try {
    ({ errcode, errmsg = '' } = JSON.parse(r.text) as { errcode?: number; errmsg?: string });
  } catch { /* not JSON */ }
  if (errcode === 0) return http;
  if (errcode !== undefined && rateLimited.includes(errcode)) return { ok: false, retryable: true, retryAfterMs: 60_000, error: `errcode ${errcode}: ${errmsg}` };
  return { ok: false, retryable: false, error: errcode === undefined ? `not a robot's answer: ${r.text.slice(0, 200)}` : `errcode ${errcode}: ${errmsg}` };
}

/** The Chinese text of a notice in markdown, as the robots show it. */
export function markdownOf(d: Delivery): string {
  return [
    `### ${d.title}`,
    d.body,
    `> 接收人：${d.recipient.displayName}${d.projectId ? `　项目：${d.projectId}` : ''}${d.taskId ? `　任务：${d.taskId}` : ''}`,
    `> 时间：${d.createdAt}`,
  ].join('\n\n');
}

/** Generic webhook: the delivery as JSON; X-Signature = sha256=HMAC-SHA256(secret, `${timestamp}.${body}`) in hex. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** 钉钉 custom robot: sign = urlencode(base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`))), with the timestamp in ms. */
export function signDingtalk(secret: string, timestampMs: number): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64'));
}

const transports = new Map<string, Transporter>();

/** SMTP: 4xx replies and connection failures are worth a retry; 5xx replies are not. */
async function sendMail(channel: EmailChannel, d: Delivery): Promise<SendResult> {
  if (!d.recipient.email) return { ok: false, retryable: false, error: `${d.recipient.username} has no e-mail address` };
  let transport = transports.get(channel.smtpUrl);
  if (!transport) transports.set(channel.smtpUrl, (transport = nodemailer.createTransport({ url: channel.smtpUrl, connectionTimeout: TIMEOUT_MS, greetingTimeout: TIMEOUT_MS, socketTimeout: TIMEOUT_MS } as Parameters<typeof nodemailer.createTransport>[0])));
  try {
    await transport.sendMail({
      from: channel.from, to: { name: d.recipient.displayName, address: d.recipient.email }, subject: d.title,
      text: `${d.recipient.displayName}：\n\n${d.body}\n\n${d.projectId ? `项目：${d.projectId}\n` : ''}${d.taskId ? `任务：${d.taskId}\n` : ''}\n——南县招商引资项目管理系统`,
      headers: { 'X-Delivery-Id': d.id },
      messageId: `<${d.id}@nanxian-investment>`, // the same delivery keeps its Message-ID: a mail system can tell a repeat
    });
    return { ok: true, status: 250 };
  } catch (e) {
    const code = (e as { responseCode?: number }).responseCode;
    return { ok: false, retryable: code === undefined || code < 500, error: `${(e as { code?: string }).code ?? 'SMTP'}: ${(e as Error).message}` };
  }
}

export async function send(channel: Channel, d: Delivery, now = Date.now()): Promise<SendResult> {
  switch (channel.kind) {
    case 'email': return sendMail(channel, d);
    case 'webhook': {
      const body = JSON.stringify({
        id: d.id, kind: d.kind, level: d.level, title: d.title, body: d.body, recipient: d.recipient.username, projectId: d.projectId, taskId: d.taskId, createdAt: d.createdAt,
        ...(d.items ? { items: d.items } : {}),
      });
      const timestamp = String(Math.floor(now / 1000));
      const r = await post(channel.url, body, { 'x-timestamp': timestamp, 'x-signature': signWebhook(channel.secret, timestamp, body), 'idempotency-key': d.id });
      return isResult(r) ? r : byStatus(r);
    }
    case 'wecom': {
      // 企业微信 group robot: {msgtype: markdown, markdown: {content}}; <@userid> mentions the person; 45009 = too many messages
      const mention = d.recipient.wecomUserId ? `\n\n<@${d.recipient.wecomUserId}>` : '';
      const r = await post(channel.url, JSON.stringify({ msgtype: 'markdown', markdown: { content: markdownOf(d) + mention } }), {});
      return isResult(r) ? r : byErrcode(r, [45009]);
    }
    case 'dingtalk': {
      // 钉钉 custom robot: {msgtype: markdown, markdown: {title, text}, at}; timestamp + sign on the address; 130101 = too fast
      const url = `${channel.url}${channel.url.includes('?') ? '&' : '?'}timestamp=${now}&sign=${signDingtalk(channel.secret, now)}`;
      const at = { atMobiles: d.recipient.mobile ? [d.recipient.mobile] : [], atUserIds: d.recipient.dingtalkUserId ? [d.recipient.dingtalkUserId] : [], isAtAll: false };
      const r = await post(url, JSON.stringify({ msgtype: 'markdown', markdown: { title: d.title, text: markdownOf(d) }, at }), {});
      return isResult(r) ? r : byErrcode(r, [130101]);
    }
  }
}
