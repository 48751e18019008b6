// The worker process on its own (docker-compose `worker`): `npm run worker`.
import fs from 'node:fs';
import { NativeConnection } from '@temporalio/worker';
import { createDb } from '../db/client';
import { loadConfig } from '../runtime/config';
import { connectClient, temporalConnectionOptions } from '../runtime/temporal';
import { untilReady } from '../runtime/wait';
import { holidayCoverageWarning } from '../domain/holiday-table';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { ensureNoticeRelay } from '../runtime/notice-relay';
import { createWorker } from './create';

async function main() {
  const config = loadConfig();
  if (!config.temporalAddress) throw new Error('TEMPORAL_ADDRESS must be set for a standalone worker (npm start runs an embedded one)');
  // TEMPORAL_TLS_* read here, first: a missing or unreadable certificate stops the worker at start, naming the variable
  const temporalOptions = temporalConnectionOptions(config.temporalAddress, config.temporalTls);
  if (config.workflowBundle && !fs.existsSync(config.workflowBundle)) {
    throw new Error(`WORKFLOW_BUNDLE=${config.workflowBundle}: no such file (build it with npm run build:workflows)`);
  }
  const db = createDb(config.databaseUrl);
  // 3a: Temporal and the database may still be starting (or restarting): wait for both
  await untilReady(`the database (${config.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')})`, () => db.$queryRawUnsafe('SELECT 1'));
  const connection = await untilReady(`Temporal at ${config.temporalAddress}`, () => NativeConnection.connect(temporalOptions));
  const { client, connection: clientConnection } = await untilReady(`Temporal at ${config.temporalAddress}`, () => connectClient(temporalOptions, config.temporalNamespace));
  const worker = await createWorker({
    connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, client, channels: config.channels, maxCachedWorkflows: config.maxCachedWorkflows, workflowThreads: config.workflowThreads,
    ...(config.workflowBundle ? { workflowBundle: { codePath: config.workflowBundle } } : {}),
  });
  console.log(`worker on task queue ${config.taskQueue} at ${config.temporalAddress}${temporalOptions.tls ? (temporalOptions.tls.clientCertPair ? ' (mTLS)' : ' (TLS)') : ''}${config.workflowBundle ? ` with the workflow bundle ${config.workflowBundle}` : ''}`);
  const coverage = holidayCoverageWarning(Date.now()); // §4 工作日: said once, at start
  if (coverage) console.warn(coverage);
  // (a namespace just created may still be "not found" for a few seconds)
  console.log(`county calendar: ${await untilReady('the county calendar', () => ensureCountyCalendar(client, config.taskQueue, { policy: config.policy }))}`);
  console.log(`notice relay (${config.channels.map((c) => c.kind).join(', ') || 'in-app only'}): ${await untilReady('the notice relay', () => ensureNoticeRelay(client, config.taskQueue, { policy: config.policy }))}`);
  await worker.run(); // returns after SIGINT / SIGTERM (the SDK's default shutdown signals), having drained (worker/create.ts SHUTDOWN_GRACE)
  await connection.close();
  await clientConnection.close();
  await db.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
