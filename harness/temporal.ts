// Real Temporal servers for tests, the simulation and benchmarks: the time-skipping test server
// (workflow tests) and the CLI's dev server (API tests, visibility queries). Both binaries come from
// runtime/temporal-tools.ts; the workflow bundle is built once for the current sources (./cache).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { installRuntimeLogger } from '../runtime/logging';
import { ensureTestServer } from '../runtime/temporal-tools';
import { startDevServer, type DevServer } from '../runtime/dev-server';
import { ensureNamespace, ensureSearchAttributes } from '../runtime/temporal';
import { BUNDLE_OPTIONS } from '../worker/create';
import { buildCacheEnabled, testTemporalAddress } from '../runtime/config';
import { cachedFile, keepInCache } from './cache';

// keep test output readable: the SDK's warnings and errors only
installRuntimeLogger('warn');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTestServer() } },
  });
  // the test server knows only the predefined search attributes: register §6's before any workflow starts
  await ensureSearchAttributes(env.connection, env.namespace ?? 'default');
  return env;
}

/** A Temporal Server for one test file, and the namespace to use on it. */
export interface TestServer { address: string; namespace: string; stop(): Promise<void> }

/**
 * The CLI's dev server, started for the test file; or, with TEST_TEMPORAL_ADDRESS, a namespace of the
 * file's own on that server (the production build: `npm run test:production`), with §6's search
 * attributes — so that a difference between the two servers is found by the tests, not in the county.
 */
export async function devServer(): Promise<TestServer> {
  const external = testTemporalAddress();
  if (external) return ownNamespace(external);
  const s: DevServer = await startDevServer({ port: await freePort() });
  return { address: s.address, namespace: 'default', stop: () => s.stop() };
}

let namespaces = 0;
async function ownNamespace(address: string): Promise<TestServer> {
  const namespace = `test-${process.pid}-${++namespaces}-${Math.random().toString(36).slice(2, 8)}`;
  const connection = await Connection.connect({ address });
  try {
    await ensureNamespace(connection, namespace, 1);
  } finally {
    await connection.close();
  }
  return { address, namespace, stop: async () => {} };
}

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;
/** The workflow bundle, built once per test file, or once for the current sources (see ./cache). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= (async () => {
    const cached = cachedFile('bundle', '.json');
    if (cached) return JSON.parse(fs.readFileSync(cached, 'utf8')) as WorkflowBundleWithSourceMap;
    const built = await bundleWorkflowCode({ ...BUNDLE_OPTIONS, logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } as never });
    if (buildCacheEnabled()) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-bundle-'));
      fs.writeFileSync(path.join(dir, 'bundle.json'), JSON.stringify({ code: built.code, sourceMap: built.sourceMap }));
      keepInCache('bundle', '.json', path.join(dir, 'bundle.json'));
      fs.rmSync(dir, { recursive: true, force: true });
    }
    return built;
  })();
  return bundle;
}
