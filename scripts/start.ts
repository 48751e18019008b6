// `npm start`: the whole service on the embedded defaults — the Temporal dev server persisted under
// .data/ (Web UI on :8233, §6 search attributes registered), migrations and seed applied to SQLite,
// the worker and the API on :3000. Ctrl-C stops everything; a second start finds its data again.
// With TEMPORAL_ADDRESS set it uses that server instead of starting one.
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import { installRuntimeLogger } from '../runtime/logging';
import { buildApp } from '../api/app';
import { createDb } from '../db/client';
import { seed } from '../prisma/seed';
import { loadConfig, loadJwtSecret } from '../runtime/config';
import { portInUse, startDevServer, type DevServer } from '../runtime/dev-server';
import { migrateDeploy } from '../runtime/migrate';
import { connectClient, ensureSearchAttributes, temporalConnectionOptions, type TemporalConnectionOptions } from '../runtime/temporal';
import { createWorker } from '../worker/create';
import { holidayCoverageWarning } from '../domain/holiday-table';
import { ensureCountyCalendar } from '../runtime/county-calendar';
import { ensureNoticeRelay } from '../runtime/notice-relay';
import { builtWeb, WEB_DIST } from '../api/plugins/web';

async function main() {
  const config = loadConfig();
  const say = (s: string) => console.log(`[nanxian] ${s}`);

  if (await portInUse(config.port)) throw new Error(`port ${config.port} is in use: is the service already running? Stop it or set PORT`);
  installRuntimeLogger(config.logLevel);

  // §10: the workbench is built once (npm run build:web rebuilds it after a change)
  if (!builtWeb()) {
    say('building the workbench (web/ → web/dist, once) …');
    const { build } = await import('vite');
    await build({ configFile: path.join(WEB_DIST, '..', 'vite.config.mts'), logLevel: 'warn' });
  }

  if (!config.temporalAddress && config.temporalTls) {
    throw new Error('TEMPORAL_TLS_* are for an external Temporal (set TEMPORAL_ADDRESS too): the embedded dev server listens on 127.0.0.1 without TLS');
  }
  let dev: DevServer | null = null;
  let temporalOptions: TemporalConnectionOptions;
  if (config.temporalAddress) {
    // TEMPORAL_TLS_* read before anything starts: a missing or unreadable certificate fails here, naming the variable
    temporalOptions = temporalConnectionOptions(config.temporalAddress, config.temporalTls);
  } else {
    say('starting the Temporal dev server …');
    dev = await startDevServer({
      port: config.temporalPort, uiPort: config.temporalUiPort, namespace: config.temporalNamespace,
      dbFile: path.join(config.dataDir, 'temporal.db'), logFile: path.join(config.dataDir, 'temporal.log'),
    });
    temporalOptions = { address: dev.address };
  }
  const address = temporalOptions.address;
  const { client: temporal, connection } = await connectClient(temporalOptions, config.temporalNamespace);
  const added = await ensureSearchAttributes(connection, config.temporalNamespace);
  if (added.length) say(`registered search attributes ${added.join(', ')}`);

  await migrateDeploy(config.databaseUrl);
  const db = createDb(config.databaseUrl);
  const seeded = await seed(db, { demoPassword: config.demoPassword });
  say(`database ready: ${seeded.units} units, ${seeded.accounts} demo accounts`);

  const workerConnection = await NativeConnection.connect(temporalOptions);
  const worker = await createWorker({ connection: workerConnection, namespace: config.temporalNamespace, taskQueue: config.taskQueue, db, client: temporal, channels: config.channels, maxCachedWorkflows: config.maxCachedWorkflows, workflowThreads: config.workflowThreads });
  const running = worker.run();
  const coverage = holidayCoverageWarning(Date.now()); // §4 工作日: said once, at start
  if (coverage) say(coverage);
  say(`county calendar (月研判·季调度·年总结): ${await ensureCountyCalendar(temporal, config.taskQueue, { policy: config.policy })}`);
  say(`notice relay (${config.channels.map((c) => c.kind).join(', ') || 'in-app only'}): ${await ensureNoticeRelay(temporal, config.taskQueue, { policy: config.policy })}`);

  const app = await buildApp({
    db, temporal, taskQueue: config.taskQueue, jwtSecret: loadJwtSecret(config), jwtTtlSeconds: config.jwtTtlSeconds, policy: config.policy,
    requestDeadlineMs: config.requestDeadlineMs, corsOrigins: config.corsOrigins, logger: { level: config.logLevel }, webRoot: builtWeb(),
    temporalUiUrl: dev?.uiUrl ?? config.temporalUiUrl, // §6: ADMIN's link from a project page to its workflow
  });
  await app.listen({ host: config.host, port: config.port });

  say(`workbench    http://localhost:${config.port}/   (工作台)`);
  say(`API          http://localhost:${config.port}/api/v1   (OpenAPI UI: http://localhost:${config.port}/docs)`);
  say(`readiness    http://localhost:${config.port}/readyz`);
  say(`Temporal     ${address}${dev?.uiUrl ? `   Web UI: ${dev.uiUrl}/namespaces/${config.temporalNamespace}/workflows` : ''}`);
  say(`database     ${config.databaseUrl}`);
  say('Ctrl-C stops everything.');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping …`);
    await app.close();
    if (worker.getState() === 'RUNNING') worker.shutdown(); // the SDK already stops on SIGINT / SIGTERM
    await running.catch(() => undefined);
    await workerConnection.close();
    await connection.close();
    await db.$disconnect();
    if (dev) await dev.stop();
    say('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
