// Static checks of docker-compose.yml (no Docker engine here): read as text, no YAML parser.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';

const compose = fs.readFileSync(path.join(__dirname, '..', 'docker-compose.yml'), 'utf8');

// Service names: the keys indented by exactly two spaces under the top-level `services:`.
function serviceNames(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === 'services:');
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break; // next top-level key
    const m = /^ {2}([A-Za-z0-9_.-]+):\s*$/.exec(line);
    if (m) names.push(m[1]);
  }
  return names;
}

/** The lines of a service's block (comment lines left out). */
function serviceBlock(text: string, name: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line === `  ${name}:`);
  if (start < 0) return [];
  const block: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^ {0,2}\S/.test(line)) break; // the next service, or the next top-level key
    if (/^\s*#/.test(line) || line.trim() === '') continue;
    block.push(line);
  }
  return block;
}

interface PortMapping { hostIp: string | null; published: string | null; target: string; raw: string }

const unquote = (v: string) => v.trim().replace(/^["']|["']$/g, '');

/** One short-syntax mapping: [IP:][HOST:]CONTAINER[/PROTOCOL] (no HOST: a random port on every interface). */
function shortMapping(raw: string): PortMapping {
  let rest = unquote(raw).replace(/\/(tcp|udp|sctp)$/, '');
  let hostIp: string | null = null;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(rest);
  if (v6) [hostIp, rest] = [v6[1], v6[2]];
  const parts = rest.split(':');
  if (!v6 && parts.length === 3) hostIp = parts.shift()!;
  const target = parts.pop()!;
  return { hostIp, published: parts[0] ?? null, target, raw };
}

/** The ports a service publishes on the host, short and long syntax. */
function publishedPorts(block: string[]): PortMapping[] {
  const at = block.findIndex((line) => /^ {4}ports:/.test(line));
  if (at < 0) return [];
  const inline = /^ {4}ports:\s*\[(.*)\]\s*$/.exec(block[at]);
  if (inline) return inline[1].split(',').filter((v) => v.trim()).map(shortMapping);
  const mappings: PortMapping[] = [];
  let long: PortMapping | null = null;
  for (const line of block.slice(at + 1)) {
    if (!/^ {6}/.test(line)) break; // the next key of the service
    const item = /^ {6}- (.*)$/.exec(line);
    const field = /^\s+(?:- )?(target|published|host_ip):\s*(.+)$/.exec(line);
    if (item && !field) {
      mappings.push(shortMapping(item[1]));
      long = null;
      continue;
    }
    if (field) {
      if (item || !long) {
        long = { hostIp: null, published: null, target: '', raw: line.trim() };
        mappings.push(long);
      }
      const value = unquote(field[2]);
      if (field[1] === 'target') long.target = value;
      else if (field[1] === 'published') long.published = value;
      else long.hostIp = value;
    }
  }
  return mappings;
}

/** Whether a port (or a range "7233-7235") contains the given one. */
const covers = (spec: string | null, port: number) => {
  if (!spec) return false;
  const [lo, hi = lo] = spec.split('-').map(Number);
  return port >= lo && port <= hi;
};

const TEMPORAL_FRONTEND_PORTS = [7233, 7243]; // gRPC, HTTP API
const UI_HOST_PORT = 8233;

/** Why the compose file exposes Temporal beyond this host's loopback; [] when it does not. */
function exposureViolations(text: string): string[] {
  const violations: string[] = [];
  for (const name of serviceNames(text)) {
    const block = serviceBlock(text, name);
    if (block.some((line) => /^ {4}network_mode:\s*["']?host/.test(line))) violations.push(`${name}: network_mode host publishes every port it listens on`);
    for (const m of publishedPorts(block)) {
      if (name === 'temporal') violations.push(`temporal publishes ${m.raw}: the frontend must stay on the compose network`);
      for (const port of TEMPORAL_FRONTEND_PORTS) {
        if (covers(m.published, port) || covers(m.target, port)) violations.push(`${name} publishes ${port} (${m.raw})`);
      }
      const isUi = name === 'temporal-ui' || covers(m.published, UI_HOST_PORT);
      if (isUi && m.hostIp !== '127.0.0.1') violations.push(`${name} publishes ${m.raw} beyond 127.0.0.1`);
    }
  }
  return violations;
}

const SEARCH_ATTRIBUTES: Array<[string, string]> = [
  ['ProjectStage', 'Keyword'],
  ['LandingSite', 'Keyword'],
  ['ResponsibleUnit', 'Keyword'],
  ['IndustryChain', 'Keyword'],
  ['IsMajor', 'Bool'],
  ['IsCaseByCase', 'Bool'],
  ['EscalationLevel', 'Int'],
  ['PlannedInvestmentWan', 'Double'],
];

describe('docker-compose.yml', () => {
  it('defines the production services', () => {
    expect(serviceNames(compose).sort()).toEqual(
      ['api', 'migrate', 'postgresql', 'temporal', 'temporal-admin-tools', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('registers every custom search attribute with its type', () => {
    for (const [name, type] of SEARCH_ATTRIBUTES) {
      expect(compose, name).toMatch(new RegExp(`\\badd ${name} ${type}\\b`));
    }
  });

  it('pins every image tag', () => {
    const images = [...compose.matchAll(/^\s*image:\s*(\S+)\s*$/gm)].map((m) => m[1]);
    expect(images.length).toBeGreaterThanOrEqual(5);
    for (const image of images) {
      expect(image, image).toMatch(/^[^:\s]+:[^:\s]+$/);
      expect(image, image).not.toMatch(/:latest$/);
    }
    expect(compose).not.toMatch(/:latest\b/);
  });

  it('publishes neither the Temporal frontend nor, beyond 127.0.0.1, its Web UI', () => {
    expect(exposureViolations(compose)).toEqual([]);
    expect(publishedPorts(serviceBlock(compose, 'temporal-ui')).map((m) => [m.hostIp, m.published, m.target])).toEqual([['127.0.0.1', '8233', '8080']]);
  });

  it('would catch a frontend or a Web UI published to the network', () => {
    const temporalImage = /^ {2}temporal:\n {4}image: .*$/m;
    expect(compose).toMatch(temporalImage);
    const temporalPorts = (ports: string) => compose.replace(temporalImage, (head) => `${head}\n${ports}`);
    expect(exposureViolations(temporalPorts('    ports:\n      - "7233:7233"'))).toEqual([
      'temporal publishes "7233:7233": the frontend must stay on the compose network',
      'temporal publishes 7233 ("7233:7233")',
    ]);
    expect(exposureViolations(temporalPorts('    ports:\n      - 7233'))).toHaveLength(2);
    expect(exposureViolations(temporalPorts('    ports:\n      - "127.0.0.1:7243:7243"'))).toHaveLength(2);
    expect(exposureViolations(temporalPorts('    ports: ["17233:7233"]'))).toHaveLength(2);
    expect(exposureViolations(temporalPorts('    ports:\n      - target: 7233\n        published: "7233"'))).toHaveLength(2);
    expect(exposureViolations(temporalPorts('    network_mode: host'))).toEqual(['temporal: network_mode host publishes every port it listens on']);
    const ui = (mapping: string) => compose.replace('      - "127.0.0.1:8233:8080"', mapping);
    expect(exposureViolations(ui('      - "8233:8080"'))).toEqual(['temporal-ui publishes "8233:8080" beyond 127.0.0.1']);
    expect(exposureViolations(ui('      - "0.0.0.0:8233:8080"'))).toHaveLength(1);
    expect(exposureViolations(ui('      - "[::]:8233:8080"'))).toHaveLength(1);
    expect(exposureViolations(ui('      - 8080'))).toHaveLength(1);
    expect(exposureViolations(ui('      - target: 8080\n        published: 8233'))).toHaveLength(1);
    expect(exposureViolations(ui('      - target: 8080\n        published: 8233\n        host_ip: 127.0.0.1'))).toEqual([]);
    expect(exposureViolations(ui('      - "127.0.0.1:8233:8080"\n      - "8234:8080"'))).toHaveLength(1);
  });

  it('offers the Web UI\'s OIDC sign-on and mTLS to Temporal through the environment', () => {
    const ui = serviceBlock(compose, 'temporal-ui').join('\n');
    for (const name of ['TEMPORAL_AUTH_ENABLED', 'TEMPORAL_AUTH_PROVIDER_URL', 'TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET', 'TEMPORAL_AUTH_CALLBACK_URL', 'TEMPORAL_AUTH_SCOPES']) {
      expect(ui, name).toMatch(new RegExp(`^ {6}${name}: \\$\\{${name}:-[^}]*\\}$`, 'm'));
    }
    expect(ui).toMatch(/^ {6}TEMPORAL_DISABLE_WRITE_ACTIONS: \$\{TEMPORAL_UI_DISABLE_WRITE_ACTIONS:-true\}$/m);
    // the mTLS settings are documented (commented out) in the services that need them
    expect(compose).toMatch(/# TEMPORAL_TLS_REQUIRE_CLIENT_AUTH: "true"/);
    for (const who of ['worker', 'api', 'ui', 'admin']) expect(compose, who).toContain(`# TEMPORAL_TLS_CERT: /certs/${who}.pem`);
  });

  it('requires JWT_SECRET and gates worker and api on the one-shot jobs', () => {
    expect(compose).toContain('${JWT_SECRET:?set JWT_SECRET}');
    expect(compose.match(/condition: service_completed_successfully/g)?.length).toBe(4);
  });
});

describe('one Temporal version everywhere (issue 14)', () => {
  it('npm run production:local builds the versions compose pins, and the README says which', async () => {
    const { pinnedVersions } = await import('../runtime/production-tools');
    const v = pinnedVersions(compose);
    expect(v.server).toMatch(/^\d+\.\d+\.\d+$/);
    expect(v.ui).toMatch(/^\d+\.\d+\.\d+$/);
    expect(compose).toContain(`temporalio/admin-tools:${v.server}`);
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const production = readme.slice(readme.indexOf('## Production topology'));
    expect(production).toContain(`Temporal Server ${v.server}`);
    expect(production).toContain(`Web UI ${v.ui}`);
    expect(production).toContain(`go.temporal.io/server/cmd/server@v${v.server}`);
  });
});

describe('V8\'s young generation at 64 MB in every process of the service (issue 15)', () => {
  it('is in the npm scripts that start it, in the image and in the harness', () => {
    const root = path.join(__dirname, '..');
    const { scripts } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    for (const name of ['start', 'worker', 'api', 'bench', 'simulate']) expect(scripts[name], name).toContain('--max-semi-space-size=64');
    expect(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8')).toMatch(/NODE_OPTIONS=--max-semi-space-size=64/);
    expect(fs.readFileSync(path.join(root, 'harness', 'topology.ts'), 'utf8')).toContain("'--max-semi-space-size=64'");
  });
});
