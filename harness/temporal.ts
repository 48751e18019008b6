// Real Temporal servers for tests, the simulation and benchmarks: the time-skipping test server
// (workflow tests) and the CLI's dev server (API tests, visibility queries). Both binaries come from
// runtime/temporal-tools.ts; the workflow bundle is built once for the current sources (./cache).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { installRuntimeLogger } from '../runtime/logging';
import { ensureTestServer } from '../runtime/temporal-tools';
import { startDevServer, type DevServer } from '../runtime/dev-server';
import { ensureSearchAttributes } from '../runtime/temporal';
import { WORKFLOWS_PATH } from '../worker/create';
import { buildCacheEnabled } from '../runtime/config';
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

export async function devServer(): Promise<DevServer> {
  return startDevServer({ port: await freePort() });
}

let bundle: Promise<WorkflowBundleWithSourceMap> | null = null;
/** The workflow bundle, built once per test file, or once for the current sources (see ./cache). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= (async () => {
    const cached = cachedFile('bundle', '.json');
    if (cached) return JSON.parse(fs.readFileSync(cached, 'utf8')) as WorkflowBundleWithSourceMap;
    const built = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { log() {}, info() {}, warn() {}, error() {}, debug() {}, trace() {} } as never });
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
