// `npm run production:local`: the production topology of docker-compose.yml on this machine, without
// Docker (issue 14; harness/topology.ts): PostgreSQL holding Temporal's two databases and the
// service's, the Temporal Server and Web UI at the versions compose pins (built from the Go module
// proxy once, cached in .tools/production/), two workers, two APIs and one address in front of them.
// Data under .data/production/ (a second run finds it again). Ctrl-C stops all.
import path from 'node:path';
import { loadConfig, PROJECT_ROOT } from '../runtime/config';
import { Topology } from '../harness/topology';

const say = (s: string) => console.log(`[production] ${s}`);

async function main() {
  const config = loadConfig();
  const topology = new Topology({
    dataDir: path.join(config.dataDir, 'production'), ui: true, namespace: config.temporalNamespace, log: say,
    ...(config.demoPassword ? { demoPassword: config.demoPassword } : {}),
  });
  // as compose's `restart: unless-stopped`: a process that ends (a crash, a kill) is started again
  topology.onExit = (name, how) => {
    say(`${name} ended (${how}); its log: ${path.relative(PROJECT_ROOT, path.join(topology.logs, `${name}.log`))} — starting it again in 2 s`);
    setTimeout(() => void topology.member(name).restart().then(() => say(`${name} serves again`), (e) => say(`${name} did not start again: ${(e as Error).message}`)), 2000);
  };
  const stop = async (code: number) => {
    say('stopping …');
    await topology.stop();
    say('stopped.');
    process.exit(code);
  };
  process.once('SIGINT', () => void stop(0));
  process.once('SIGTERM', () => void stop(0));
  try {
    await topology.start();
  } catch (e) {
    console.error(e);
    await stop(1);
    return;
  }
  const p = topology.ports;
  say(`workbench + API   http://localhost:${p.proxy}/   (round robin over the APIs on :${p.apis.join(', :')})`);
  say(`Temporal          ${topology.address}   Web UI: http://localhost:${p.ui}/namespaces/${config.temporalNamespace}/workflows`);
  say(`PostgreSQL        127.0.0.1:${p.postgres} (temporal, temporal_visibility, nanxian)`);
  say(`logs              ${path.relative(PROJECT_ROOT, topology.logs)}/`);
  say('Ctrl-C stops everything.');
}

void main();
