// The production Temporal Server, its SQL schema tool and its Web UI, built from the Go module proxy
// at the versions docker-compose.yml pins (one version everywhere: compose names the images, this
// builds the same tags), cached under .tools/production/ (git-ignored) so that a second run builds
// nothing. Issue 14: the production topology run without Docker.
//
//   temporal-server, temporal-sql-tool: `go install go.temporal.io/server/cmd/server@vX` and
//     `…/cmd/tools/sql@vX` (the tags carry no replace directive, so go install takes them as they are)
//   ui-server: github.com/temporalio/ui-server/v2's cmd/server (the built UI is embedded), built inside a
//     small module of our own that repeats the replace directive of the UI's go.mod (go install refuses
//     a module with one)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { childEnv, PROJECT_ROOT } from './config';
import { isExecutable } from './temporal-tools';

const CACHE = path.join(PROJECT_ROOT, '.tools', 'production');
const log = (msg: string) => process.stderr.write(`[production-tools] ${msg}\n`);

/** The versions docker-compose.yml pins: the Temporal Server (temporalio/auto-setup) and its Web UI (temporalio/ui). */
export function pinnedVersions(compose = fs.readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')): { server: string; ui: string } {
  const server = /image:\s*temporalio\/auto-setup:(\d+\.\d+\.\d+)/.exec(compose)?.[1];
  const ui = /image:\s*temporalio\/ui:(\d+\.\d+\.\d+)/.exec(compose)?.[1];
  if (!server || !ui) throw new Error('docker-compose.yml names no temporalio/auto-setup:X.Y.Z or temporalio/ui:X.Y.Z image');
  return { server, ui };
}

/** The UI module's replace directive (its go.mod at v2.34.0), repeated in ours. */
const UI_REPLACES = ['github.com/grpc-ecosystem/grpc-gateway => github.com/temporalio/grpc-gateway v1.17.0'];

function go(args: string[], cwd: string, env: Record<string, string>) {
  log(`$ go ${args.join(' ')}   (in ${path.relative(PROJECT_ROOT, cwd) || '.'})`);
  const started = Date.now();
  // GOTOOLCHAIN=auto: a tag that asks for a newer Go fetches that toolchain through the same proxy
  const r = spawnSync('go', args, { cwd, stdio: ['ignore', 'inherit', 'inherit'], env: childEnv({ GOTOOLCHAIN: 'auto', CGO_ENABLED: '0', ...env }) });
  if (r.status !== 0) throw new Error(`go ${args.join(' ')} failed (exit ${r.status}): is Go installed and the Go module proxy reachable?`);
  log(`  done in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** the three binaries, and the server's SQL schemas (copied from its module at build time) */
export interface ProductionBinaries { server: string; sqlTool: string; ui: string; schemaDir: string; versions: { server: string; ui: string } }

/** Builds what is missing; answers the paths of the three binaries. */
export function ensureProductionBinaries(): ProductionBinaries {
  const versions = pinnedVersions();
  const serverDir = path.join(CACHE, `temporal-${versions.server}`);
  const server = path.join(serverDir, 'temporal-server');
  const sqlTool = path.join(serverDir, 'temporal-sql-tool');
  fs.mkdirSync(serverDir, { recursive: true });
  if (!isExecutable(server)) {
    log(`building the Temporal Server ${versions.server} from the Go module proxy (the first time: several minutes) …`);
    go(['install', `go.temporal.io/server/cmd/server@v${versions.server}`], serverDir, { GOBIN: serverDir });
    fs.renameSync(path.join(serverDir, 'server'), server);
  }
  if (!isExecutable(sqlTool)) {
    go(['install', `go.temporal.io/server/cmd/tools/sql@v${versions.server}`], serverDir, { GOBIN: serverDir });
    fs.renameSync(path.join(serverDir, 'sql'), sqlTool);
  }
  const schemaDir = path.join(serverDir, 'schema');
  if (!fs.existsSync(schemaDir)) {
    // the schemas come with the server's module (in Go's module cache after the build)
    const modCache = spawnSync('go', ['env', 'GOMODCACHE'], { encoding: 'utf8' }).stdout.trim();
    let source = path.join(modCache, `go.temporal.io/server@v${versions.server}`, 'schema');
    if (!fs.existsSync(source)) {
      go(['mod', 'download', `go.temporal.io/server@v${versions.server}`], serverDir, {});
      source = path.join(modCache, `go.temporal.io/server@v${versions.server}`, 'schema');
    }
    fs.cpSync(source, schemaDir, { recursive: true });
    spawnSync('chmod', ['-R', 'u+w', schemaDir]); // (the module cache's files are read-only)
  }

  const uiDir = path.join(CACHE, `ui-${versions.ui}`);
  const ui = path.join(uiDir, 'ui-server');
  if (!isExecutable(ui)) {
    log(`building the Temporal Web UI ${versions.ui} …`);
    const mod = path.join(uiDir, 'module');
    fs.mkdirSync(mod, { recursive: true });
    fs.writeFileSync(path.join(mod, 'go.mod'), [
      'module nanxian.local/temporal-ui', '', 'go 1.23', '',
      ...UI_REPLACES.map((r) => `replace ${r}`), '',
    ].join('\n'));
    go(['get', `github.com/temporalio/ui-server/v2/cmd/server@v${versions.ui}`], mod, {}); // the package's own dependencies, with their sums
    go(['build', '-o', ui, 'github.com/temporalio/ui-server/v2/cmd/server'], mod, {});
  }
  return { server, sqlTool, ui, schemaDir, versions };
}
