// The worker process on its own (docker-compose `worker`): `npm run worker`.
import { NativeConnection } from '@temporalio/worker';
import { createDb } from '../db/client';
import { loadConfig } from '../runtime/config';
import { connectClient, temporalConnectionOptions } from '../runtime/temporal';
import { holidayCoverageWarning } from '../domain/holiday-table';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { ensureNoticeRelay } from '../runtime/notice-relay';
import { createWorker } from './create';

async function main() {
  const config = loadConfig();
  if (!config.temporalAddress) throw new Error('TEMPORAL_ADDRESS must be set for a standalone worker (npm start runs an embedded one)');
  // TEMPORAL_TLS_* read here, first: a missing or unreadable certificate stops the worker at start, naming the variable
  const temporalOptions = temporalConnectionOptions(config.temporalAddress, config.temporalTls);
  const db = createDb(config.databaseUrl);
  const connection = await NativeConnection.connect(temporalOptions);
  const { client, connection: clientConnection } = await connectClient(temporalOptions, config.temporalNamespace);
  const worker = await createWorker({
    connection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, client, channels: config.channels, maxCachedWorkflows: config.maxCachedWorkflows,
  });
  console.log(`worker on task queue ${config.taskQueue} at ${config.temporalAddress}${temporalOptions.tls ? (temporalOptions.tls.clientCertPair ? ' (mTLS)' : ' (TLS)') : ''}`);
  const coverage = holidayCoverageWarning(Date.now()); // §4 工作日: said once, at start
  if (coverage) console.warn(coverage);
  console.log(`county calendar: ${await ensureCountyCalendar(client, config.taskQueue, { policy: config.policy })}`);
  console.log(`notice relay (${config.channels.map((c) => c.kind).join(', ') || 'in-app only'}): ${await ensureNoticeRelay(client, config.taskQueue, { policy: config.policy })}`);
  await worker.run(); // returns after SIGINT / SIGTERM (the SDK's default shutdown signals)
  await connection.close();
  await clientConnection.close();
  await db.$disconnect();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
