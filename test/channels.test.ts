// §8 delivery channels (activities/channels.ts) against a real local HTTP receiver that checks what a
// receiver of each kind checks: the generic webhook's HMAC over timestamp and body and its
// Idempotency-Key, 企业微信's and 钉钉's markdown messages and 钉钉's timestamp + secret signature — and
// what the relay will retry (refused, 5xx, 429 with Retry-After, a robot's rate limit) and give up (4xx).
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { send, type Delivery } from '../activities/channels';
import { channelsFrom } from '../runtime/config';

interface Seen { url: string; headers: http.IncomingHttpHeaders; body: string }
let server: http.Server;
let base: string;
const seen: Seen[] = [];
/** what the receiver answers next, per path (default 200 with errcode 0) */
const answers = new Map<string, { status: number; body?: string; headers?: Record<string, string> }[]>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ url: req.url!, headers: req.headers, body });
      const path = req.url!.split('?')[0];
      const next = answers.get(path)?.shift() ?? { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(next.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const delivery: Delivery = {
  id: 'D-1001', kind: 'OVERDUE', level: 1, title: '【已逾期】南县智能装备产业园：前期对接、初步考察', body: '项目「南县智能装备产业园」的任务应于 2026-11-20 前完成，现已逾期。',
  recipient: { username: 'nanzhou_deputy', displayName: '南洲镇分管负责人', mobile: '13800000000', wecomUserId: 'zhangsan', dingtalkUserId: 'ding-zs' },
  projectId: 'NX-2026-0007', taskId: 'NX-2026-0007-T002', createdAt: '2026-11-20T09:30:00.000Z',
};
const last = () => seen[seen.length - 1];

describe('§8 delivery channels', () => {
  it('posts the generic webhook as JSON signed with HMAC-SHA256 over timestamp and body, with the delivery id as Idempotency-Key', async () => {
    const r = await send({ kind: 'webhook', url: `${base}/hook`, secret: 'county-secret' }, delivery, Date.parse('2026-11-26T00:00:00Z'));
    expect(r).toEqual({ ok: true, status: 200 });
    const { headers, body } = last();
    expect(headers['idempotency-key']).toBe('D-1001');
    expect(headers['x-timestamp']).toBe(String(Date.parse('2026-11-26T00:00:00Z') / 1000));
    const expected = createHmac('sha256', 'county-secret').update(`${headers['x-timestamp']}.${body}`).digest('hex');
    expect(headers['x-signature']).toBe(`sha256=${expected}`);
    expect(JSON.parse(body)).toMatchObject({ id: 'D-1001', title: delivery.title, body: delivery.body, recipient: 'nanzhou_deputy', projectId: 'NX-2026-0007' });
  });

  it('posts 企业微信 group-robot markdown that mentions the person, and 钉钉 robot markdown signed with its timestamp and secret', async () => {
    expect((await send({ kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=test-key` }, delivery)).ok).toBe(true);
    const wecom = JSON.parse(last().body);
    expect(wecom.msgtype).toBe('markdown');
    expect(wecom.markdown.content).toContain('### 【已逾期】南县智能装备产业园');
    expect(wecom.markdown.content).toContain('<@zhangsan>');
    expect(last().url).toBe('/cgi-bin/webhook/send?key=test-key');

    const now = Date.parse('2026-11-26T01:02:03Z');
    expect((await send({ kind: 'dingtalk', url: `${base}/robot/send?access_token=tok`, secret: 'SECxyz' }, delivery, now)).ok).toBe(true);
    const url = new URL(last().url, base);
    expect(url.searchParams.get('access_token')).toBe('tok');
    expect(url.searchParams.get('timestamp')).toBe(String(now));
    // what 钉钉 computes: base64(HMAC-SHA256(secret, timestamp + "\n" + secret)), url-encoded on the address
    expect(url.searchParams.get('sign')).toBe(createHmac('sha256', 'SECxyz').update(`${now}\nSECxyz`).digest('base64'));
    const ding = JSON.parse(last().body);
    expect(ding).toMatchObject({ msgtype: 'markdown', markdown: { title: delivery.title }, at: { atMobiles: ['13800000000'], atUserIds: ['ding-zs'], isAtAll: false } });
    expect(ding.markdown.text).toContain('接收人：南洲镇分管负责人');
  });

  it('says what a later attempt may cure — refused, 5xx, 429 with Retry-After, a robot\'s rate limit — and what it may not', async () => {
    const hook = { kind: 'webhook' as const, url: `${base}/flaky`, secret: 's' };
    answers.set('/flaky', [{ status: 503 }, { status: 429, headers: { 'retry-after': '7' } }, { status: 400, body: 'bad' }]);
    expect(await send(hook, delivery)).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('HTTP 503') });
    expect(await send(hook, delivery)).toMatchObject({ ok: false, retryable: true, retryAfterMs: 7000 });
    expect(await send(hook, delivery)).toMatchObject({ ok: false, retryable: false, error: 'HTTP 400: bad' });
    answers.set('/cgi-bin/webhook/send', [{ status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' }, { status: 200, body: '{"errcode":93000,"errmsg":"invalid webhook url"}' }]);
    expect(await send({ kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=k` }, delivery)).toMatchObject({ ok: false, retryable: true });
    expect(await send({ kind: 'wecom', url: `${base}/cgi-bin/webhook/send?key=k` }, delivery)).toMatchObject({ ok: false, retryable: false, error: 'errcode 93000: invalid webhook url' });
    answers.set('/robot/send', [{ status: 200, body: '{"errcode":130101,"errmsg":"send too fast"}' }]);
    expect(await send({ kind: 'dingtalk', url: `${base}/robot/send?access_token=t`, secret: 's' }, delivery)).toMatchObject({ ok: false, retryable: true });
    // nobody listening
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    expect(await send({ ...hook, url: `http://127.0.0.1:${port}/hook` }, delivery)).toMatchObject({ ok: false, retryable: true, error: expect.stringContaining('ECONNREFUSED') });
  });

  it('sends e-mail over SMTP to a real SMTP server: the Chinese subject and body arrive intact; a 4xx reply is retried, a 5xx not', async () => {
    const received: string[] = [];
    let refuse: number | null = null;
    const smtp = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS'], logger: false,
      onRcptTo(_address, _session, cb) {
        if (refuse) return cb(Object.assign(new Error(refuse >= 500 ? 'no such mailbox' : 'try again later'), { responseCode: refuse }));
        cb();
      },
      onData(stream, _session, cb) {
        let raw = '';
        stream.setEncoding('utf8');
        stream.on('data', (c: string) => (raw += c));
        stream.on('end', () => { received.push(raw); cb(); });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const channel = { kind: 'email' as const, smtpUrl: `smtp://127.0.0.1:${port}`, from: '南县招商引资 <noreply@nanxian.example>' };
      const to = { ...delivery, recipient: { ...delivery.recipient, email: 'nanzhou_deputy@nanxian.example' } };
      expect(await send(channel, to)).toEqual({ ok: true, status: 250 });
      // read as a mail client reads it (RFC 2047 subject, transfer-encoded UTF-8 body)
      const mail = await simpleParser(received[0]);
      expect(mail.subject).toBe(delivery.title);
      expect(mail.messageId).toBe('<D-1001@nanxian-investment>');
      expect(mail.text).toContain(delivery.body);
      expect(mail.text).toContain('南洲镇分管负责人');
      expect((mail.to as { value: { address: string }[] }).value[0].address).toBe('nanzhou_deputy@nanxian.example');
      refuse = 451;
      expect(await send(channel, to)).toMatchObject({ ok: false, retryable: true });
      refuse = 550;
      expect(await send(channel, to)).toMatchObject({ ok: false, retryable: false });
      expect(await send(channel, delivery)).toMatchObject({ ok: false, retryable: false, error: 'nanzhou_deputy has no e-mail address' });
    } finally {
      await new Promise<void>((r) => smtp.close(() => r()));
    }
  });

  it('takes the channels from a file (NOTIFY_CONFIG) and the environment, the environment in place of the file\'s channel of its kind; a bad file names the field', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-notify-'));
    try {
      const file = path.join(dir, 'notify.json');
      fs.writeFileSync(file, JSON.stringify({ channels: [
        { kind: 'webhook', url: 'https://oa.nanxian.example/notices', secret: 'a-secret-of-16-chars' },
        { kind: 'wecom', url: 'https://qyapi.example/cgi-bin/webhook/send?key=k' },
      ] }));
      expect(channelsFrom({ NOTIFY_CONFIG: file }).map((c) => c.kind)).toEqual(['webhook', 'wecom']);
      const both = channelsFrom({ NOTIFY_CONFIG: file, NOTIFY_WEBHOOK_URL: 'http://127.0.0.1:9/hook', NOTIFY_WEBHOOK_SECRET: 's' });
      expect(both).toEqual([{ kind: 'wecom', url: 'https://qyapi.example/cgi-bin/webhook/send?key=k' }, { kind: 'webhook', url: 'http://127.0.0.1:9/hook', secret: 's' }]);
      fs.writeFileSync(file, JSON.stringify({ channels: [{ kind: 'webhook', url: 'https://x.example/h', secret: 'short' }] }));
      expect(() => channelsFrom({ NOTIFY_CONFIG: file })).toThrow(`NOTIFY_CONFIG=${file}: channels.0.secret: at least 16 characters`);
      expect(() => channelsFrom({ NOTIFY_CONFIG: path.join(dir, 'none.json') })).toThrow(/NOTIFY_CONFIG=.*none\.json: cannot read it as JSON/);
      expect(() => channelsFrom({ NOTIFY_DINGTALK_URL: 'https://oapi.example/robot/send?access_token=t' })).toThrow('NOTIFY_DINGTALK_SECRET must be set when NOTIFY_DINGTALK_URL is');
      expect(channelsFrom({})).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
