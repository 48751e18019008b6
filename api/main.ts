// The API process on its own (docker-compose `api`): `npm run api`.
import { createDb } from '../db/client';
import { holidayCoverageWarning } from '../domain/holiday-table';
import { loadConfig, loadJwtSecret } from '../runtime/config';
import { connectClient, temporalConnectionOptions } from '../runtime/temporal';
import { untilReady } from '../runtime/wait';
import { buildApp } from './app';
import { builtWeb } from './plugins/web';

async function main() {
  const config = loadConfig();
  if (!config.temporalAddress) throw new Error('TEMPORAL_ADDRESS must be set for a standalone API (npm start runs an embedded one)');
  // TEMPORAL_TLS_* read here, first: a missing or unreadable certificate stops the API at start, naming the variable
  const temporalOptions = temporalConnectionOptions(config.temporalAddress, config.temporalTls);
  const db = createDb(config.databaseUrl);
  // 3a: Temporal may still be starting (or restarting): wait for it (the database is reached per request; /readyz says when it is not)
  const { client: temporal, connection } = await untilReady(`Temporal at ${config.temporalAddress}`, () => connectClient(temporalOptions, config.temporalNamespace));
  const app = await buildApp({
    db, temporal, taskQueue: config.taskQueue, jwtSecret: loadJwtSecret(config), jwtTtlSeconds: config.jwtTtlSeconds, policy: config.policy, requestDeadlineMs: config.requestDeadlineMs,
    corsOrigins: config.corsOrigins, webRoot: builtWeb(), // the workbench, when the image built it (§10)
    temporalUiUrl: config.temporalUiUrl, // §6: ADMIN's link from a project page to its workflow
    logger: true, // info: the requests of a standalone API are logged (npm start logs at LOG_LEVEL)
  });
  await app.listen({ host: config.host, port: config.port });
  const coverage = holidayCoverageWarning(Date.now()); // §4 工作日: new projects pin this table; said once, at start
  if (coverage) app.log.warn(coverage);
  const stop = async () => {
    await app.close();
    await connection.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
