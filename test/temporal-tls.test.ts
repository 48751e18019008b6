// mTLS to Temporal (README "Production topology"), end to end on this machine. The CLI's dev server
// has no TLS settings (`temporal server start-dev` takes no certificate flags), so the frontend that
// requires a client certificate is a TLS terminator in front of it: a node:tls server with the test
// CA's server certificate, `requestCert` and `rejectUnauthorized`, which hands the decrypted gRPC
// (HTTP/2) stream on to the dev server's plaintext port. What is under test is the client side — the
// settings read by runtime/config.ts, the options built by runtime/temporal.ts, and the SDK's two
// connections (the API's and the worker's) made with them — against a peer that really refuses.
// Certificates are made with openssl in a temporary folder.
import { execFile, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../api/app';
import { DEFAULT_POLICY } from '../domain/policy';
import { DEMO_PASSWORD, freshDb } from '../harness/db';
import { devServer, workflowBundle, type TestServer } from '../harness/temporal';
import { childEnv, PROJECT_ROOT, temporalTlsFrom } from '../runtime/config';
import { connectClient, temporalConnectionOptions, temporalTls } from '../runtime/temporal';
import { ensureTemporalCli } from '../runtime/temporal-tools';
import { createWorker } from '../worker/create';
import type { Res } from './helpers/api-env';
import { eventually } from './helpers/eventually';

const SERVER_NAME = 'temporal.nanxian.test';

// --- certificates ---------------------------------------------------------------------------------

let dir: string;
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });

/** A self-signed CA: <name>.pem, <name>.key. */
function makeCa(name: string, cn: string) {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2',
    '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.pem`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
}

/** A leaf certificate signed by a CA: <name>.pem, <name>.key. */
function makeLeaf(name: string, ca: string, cn: string, extensions: string[]) {
  openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
  fs.writeFileSync(file(`${name}.ext`), ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', ...extensions].join('\n'));
  openssl('x509', '-req', '-in', `${name}.csr`, '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-set_serial', String(Date.now() + Math.floor(Math.random() * 1e6)),
    '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`);
}

/** The environment a process would have: TEMPORAL_TLS_* pointing at files of the temporary folder. */
function tlsEnv(o: { ca?: string; client?: string; serverName?: string | null }): NodeJS.ProcessEnv {
  return {
    ...(o.ca ? { TEMPORAL_TLS_CA: file(`${o.ca}.pem`) } : {}),
    ...(o.client ? { TEMPORAL_TLS_CERT: file(`${o.client}.pem`), TEMPORAL_TLS_KEY: file(`${o.client}.key`) } : {}),
    ...(o.serverName === null ? {} : { TEMPORAL_TLS_SERVER_NAME: o.serverName ?? SERVER_NAME }),
  };
}

// --- the frontend that requires a client certificate ---------------------------------------------

interface Frontend {
  address: string;
  /** the CN of every client certificate a connection was accepted with */
  accepted: string[];
  /** why a handshake was refused (one entry per refused connection) */
  refused: string[];
  close(): Promise<void>;
}

async function mtlsFrontend(upstreamPort: number): Promise<Frontend> {
  const accepted: string[] = [];
  const refused: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({
    key: fs.readFileSync(file('server.key')),
    cert: fs.readFileSync(file('server.pem')),
    ca: [fs.readFileSync(file('ca.pem'))],
    requestCert: true,
    rejectUnauthorized: true,
    ALPNProtocols: ['h2'],
  }, (client) => {
    accepted.push(String(client.getPeerCertificate().subject?.CN));
    const upstream = net.connect(upstreamPort, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  server.on('tlsClientError', (e: NodeJS.ErrnoException) => refused.push(e.code ?? e.message));
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    accepted,
    refused,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// --- the stack ------------------------------------------------------------------------------------

let server: TestServer;
let frontend: Frontend;
let store: Awaited<ReturnType<typeof freshDb>>;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-tls-'));
  makeCa('ca', 'Nanxian test CA');
  makeCa('rogue-ca', 'Someone else CA');
  makeLeaf('server', 'ca', SERVER_NAME, [`subjectAltName=DNS:${SERVER_NAME}`, 'extendedKeyUsage=serverAuth']);
  makeLeaf('api', 'ca', 'nanxian-api', ['extendedKeyUsage=clientAuth']);
  makeLeaf('worker', 'ca', 'nanxian-worker', ['extendedKeyUsage=clientAuth']);
  makeLeaf('admin', 'ca', 'nanxian-admin', ['extendedKeyUsage=clientAuth']);
  makeLeaf('intruder', 'rogue-ca', 'intruder', ['extendedKeyUsage=clientAuth']);
  [server, store] = await Promise.all([devServer(), freshDb('tls')]);
  frontend = await mtlsFrontend(Number(server.address.split(':')[1]));
});

async function closeAll() {
  while (closers.length) await closers.pop()!().catch(() => undefined);
}

afterAll(async () => {
  await closeAll();
  await frontend?.close();
  await server?.stop();
  await store?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('TEMPORAL_TLS_* (runtime/config.ts) and the connection options (runtime/temporal.ts)', () => {
  it('are off when no variable is set, and build the SDK\'s TLS options from the files when they are', () => {
    expect(temporalTlsFrom({})).toBeNull();
    expect(temporalTlsFrom({ TEMPORAL_TLS_CA: ' ' })).toBeNull();
    expect(temporalConnectionOptions('temporal:7233', null)).toEqual({ address: 'temporal:7233' });
    const settings = temporalTlsFrom(tlsEnv({ ca: 'ca', client: 'worker' }));
    expect(settings).toEqual({ caFile: file('ca.pem'), certFile: file('worker.pem'), keyFile: file('worker.key'), serverName: SERVER_NAME });
    expect(temporalConnectionOptions('temporal:7233', settings)).toEqual({
      address: 'temporal:7233',
      tls: {
        serverRootCACertificate: fs.readFileSync(file('ca.pem')),
        clientCertPair: { crt: fs.readFileSync(file('worker.pem')), key: fs.readFileSync(file('worker.key')) },
        serverNameOverride: SERVER_NAME,
      },
    });
    // TLS with the system's roots and no client certificate (a frontend with a public certificate)
    expect(temporalTls(temporalTlsFrom({ TEMPORAL_TLS_SERVER_NAME: 'temporal.example.org' }))).toEqual({ serverNameOverride: 'temporal.example.org' });
  });

  it('refuse a certificate without its key, and a file that is missing, unreadable or not PEM, naming the variable', () => {
    expect(() => temporalTlsFrom({ TEMPORAL_TLS_CERT: file('api.pem') })).toThrow(/TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not/);
    expect(() => temporalTlsFrom({ TEMPORAL_TLS_KEY: file('api.key') })).toThrow(/TEMPORAL_TLS_KEY is set but TEMPORAL_TLS_CERT is not/);
    const missing = file('nowhere.pem');
    expect(() => temporalConnectionOptions('temporal:7233', temporalTlsFrom({ TEMPORAL_TLS_CA: missing })))
      .toThrow(`TEMPORAL_TLS_CA=${missing}: cannot read it (no such file)`);
    expect(() => temporalConnectionOptions('temporal:7233', temporalTlsFrom({ TEMPORAL_TLS_CA: file('ca.pem'), TEMPORAL_TLS_CERT: file('api.pem'), TEMPORAL_TLS_KEY: missing })))
      .toThrow(`TEMPORAL_TLS_KEY=${missing}: cannot read it (no such file)`);
    expect(() => temporalConnectionOptions('temporal:7233', temporalTlsFrom({ TEMPORAL_TLS_CERT: dir, TEMPORAL_TLS_KEY: file('api.key') })))
      .toThrow(`TEMPORAL_TLS_CERT=${dir}: cannot read it (a directory, not a file)`);
    fs.writeFileSync(file('garbage.pem'), 'not a certificate');
    expect(() => temporalConnectionOptions('temporal:7233', temporalTlsFrom({ TEMPORAL_TLS_CA: file('garbage.pem') })))
      .toThrow(`TEMPORAL_TLS_CA=${file('garbage.pem')}: not a PEM file`);
    if (process.getuid?.() !== 0) { // root reads every file
      fs.copyFileSync(file('api.key'), file('locked.key'));
      fs.chmodSync(file('locked.key'), 0o000);
      expect(() => temporalConnectionOptions('temporal:7233', temporalTlsFrom({ TEMPORAL_TLS_CERT: file('api.pem'), TEMPORAL_TLS_KEY: file('locked.key') })))
        .toThrow(`TEMPORAL_TLS_KEY=${file('locked.key')}: cannot read it (permission denied)`);
    }
  });

  it('stop the standalone worker and API at start when a certificate file is missing, naming the variable', async () => {
    const run = (script: string) => new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', script], {
        cwd: PROJECT_ROOT,
        // a port nothing listens on: were the files not checked first, the process would wait for Temporal instead
        env: childEnv({ TEMPORAL_ADDRESS: '127.0.0.1:9', DATABASE_URL: `file:${file('unused.db')}`, ...(tlsEnv({ ca: 'nowhere', client: 'api' }) as Record<string, string>) }),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('exit', (code) => resolve({ code, stderr }));
    });
    const [worker, api] = await Promise.all([run('worker/main.ts'), run('api/main.ts')]);
    for (const r of [worker, api]) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`TEMPORAL_TLS_CA=${file('nowhere.pem')}: cannot read it (no such file)`);
    }
  });
});

describe('a Temporal frontend that requires client certificates', () => {
  it('serves the API and the worker, each with its own certificate: a lead registered and verified through the API', async () => {
    const workerOptions = temporalConnectionOptions(frontend.address, temporalTlsFrom(tlsEnv({ ca: 'ca', client: 'worker' })));
    const apiOptions = temporalConnectionOptions(frontend.address, temporalTlsFrom(tlsEnv({ ca: 'ca', client: 'api' })));
    // as worker/main.ts connects: the worker's native connection and its client, then the API's client
    const native = await NativeConnection.connect(workerOptions);
    closers.push(() => native.close());
    const workerClient = await connectClient(workerOptions, 'default');
    closers.push(() => workerClient.connection.close());
    const api = await connectClient(apiOptions, 'default');
    closers.push(() => api.connection.close());

    const taskQueue = 'tls-tq';
    const worker: Worker = await createWorker({ connection: native, namespace: 'default', taskQueue, db: store.db, client: workerClient.client, workflowBundle: await workflowBundle() });
    const running = worker.run();
    closers.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const app: FastifyInstance = await buildApp({ db: store.db, temporal: api.client, taskQueue, jwtSecret: 'x'.repeat(32), jwtTtlSeconds: 3600, policy: DEFAULT_POLICY });
    closers.push(() => app.close());
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const call = async (method: string, url: string, token?: string, body?: unknown): Promise<Res> => {
      const res = await fetch(`${base}${url}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, body: await res.json() };
    };
    const login = await call('POST', '/api/v1/auth/login', undefined, { username: 'info1', password: DEMO_PASSWORD });
    expect(login.status).toBe(200);
    const token: string = login.body.token;

    expect((await call('GET', '/readyz')).body).toMatchObject({ status: 'ready', checks: { database: 'ok', temporal: 'ok' } });
    const created = await call('POST', '/api/v1/projects', token, {
      name: '南县稻虾米精深加工项目', investor: '湖南某粮油集团', investorOrigin: 'OUT_OF_PROVINCE', industryChain: 'RICE_SHRIMP',
      channel: 'BUSINESS_REFERRAL', plannedInvestmentWan: 30000,
    });
    expect(created.status).toBe(201);
    const projectId: string = created.body.id;
    // the worker ran the workflow's first turn and the projection activity wrote the task
    const task = await eventually(async () => {
      const inbox = await call('GET', '/api/v1/tasks', token);
      const t = inbox.body.items.find((i: { projectId: string }) => i.projectId === projectId);
      expect(t).toMatchObject({ type: 'lead.verify' });
      return t as { id: string };
    });
    // an Update through the API's connection, decided by the worker's
    const done = await call('POST', `/api/v1/tasks/${task.id}/complete`, token, { outcome: 'accept', data: { landingSiteId: 'L03', responsibleUnitId: 'R09' } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ projectId, stage: 'CONTACT' });

    expect(new Set(frontend.accepted)).toEqual(new Set(['nanxian-api', 'nanxian-worker']));
    await closeAll(); // the tests below count the connections the frontend accepts: none of these stays open
  });

  // Which connections does the frontend refuse, and why? The worker's connection (Rust, rustls) names
  // what it refuses itself; both SDKs only say "transport error" / "Failed to connect before the
  // deadline" when the frontend hangs up, so the frontend's own record tells why it did.
  it('refuses the worker\'s connection without a certificate of its CA; the worker refuses a frontend it cannot verify', async () => {
    const [accepted, refused] = [frontend.accepted.length, frontend.refused.length];
    const native = async (env: NodeJS.ProcessEnv) => {
      const c = await NativeConnection.connect(temporalConnectionOptions(frontend.address, temporalTlsFrom(env)));
      await c.close();
    };
    // the frontend hangs up: the worker sees a transport error (which one depends on the moment)
    await expect(native(tlsEnv({ ca: 'ca' }))).rejects.toThrow(/tonic::transport::Error/);
    await expect(native(tlsEnv({ ca: 'ca', client: 'intruder' }))).rejects.toThrow(/tonic::transport::Error/);
    await expect(native({})).rejects.toThrow(/tonic::transport::Error/); // plaintext to a TLS port
    await expect(native(tlsEnv({ ca: 'rogue-ca', client: 'worker' }))).rejects.toThrow(/InvalidCertificate\(UnknownIssuer\)/);
    // without TEMPORAL_TLS_SERVER_NAME the certificate is checked against 127.0.0.1, which it does not name
    await expect(native(tlsEnv({ ca: 'ca', client: 'worker', serverName: null }))).rejects.toThrow(/NotValidForName/);
    expect(frontend.accepted.slice(accepted)).toEqual([]);
    expect(frontend.refused.slice(refused)).toEqual(expect.arrayContaining(['ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', 'ERR_SSL_WRONG_VERSION_NUMBER']));
  });

  it('refuses the API\'s connection without a certificate of its CA; the API refuses a frontend it cannot verify', async () => {
    const [accepted, refused] = [frontend.accepted.length, frontend.refused.length];
    // grpc-js retries until its deadline: 3 s instead of the default 10
    const client = async (env: NodeJS.ProcessEnv) => {
      const c = await connectClient({ ...temporalConnectionOptions(frontend.address, temporalTlsFrom(env)), connectTimeout: 3_000 }, 'default');
      await c.connection.close();
    };
    const results = await Promise.allSettled([
      client(tlsEnv({ ca: 'ca' })),
      client(tlsEnv({ ca: 'ca', client: 'intruder' })),
      client({}),
      client(tlsEnv({ ca: 'rogue-ca', client: 'api' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    expect(frontend.accepted.slice(accepted)).toEqual([]);
    expect(frontend.refused.slice(refused)).toEqual(expect.arrayContaining(['ERR_SSL_PEER_DID_NOT_RETURN_A_CERTIFICATE', 'ERR_SSL_WRONG_VERSION_NUMBER']));
  });

  it('serves the administrators\' CLI with the flags docker-compose.yml gives it, and refuses it without a certificate', async () => {
    const accepted = frontend.accepted.length;
    const health = (flags: string[]) => new Promise<{ ok: boolean; out: string }>((resolve) => {
      execFile(ensureTemporalCli(), ['operator', 'cluster', 'health', '--address', frontend.address, ...flags], { timeout: 20_000 }, (e, stdout, stderr) => resolve({ ok: !e, out: stdout + stderr }));
    });
    const ca = ['--tls-ca-path', file('ca.pem'), '--tls-server-name', SERVER_NAME];
    const withCert = await health([...ca, '--tls-cert-path', file('admin.pem'), '--tls-key-path', file('admin.key')]);
    expect(withCert).toMatchObject({ ok: true, out: expect.stringContaining('SERVING') });
    expect(frontend.accepted.slice(accepted)).toEqual(['nanxian-admin']);
    expect((await health(ca)).ok).toBe(false);
  });
});
