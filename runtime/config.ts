// Configuration: the one place that reads the environment (README "Configuration"), with the
// embedded defaults. Every process — npm start, the worker, the API, the seed, Prisma's CLI, the
// harness — takes its settings from here, and the policy new projects and the county calendar start
// with is chosen here.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE_URL } from '../db/url';
import { DEFAULT_POLICY, type Policy } from '../domain/policy';
import { ChannelsFile, type Channel } from '../activities/channels';

/** The project's folder (where .tools/, prisma/ and the test fixtures are). */
export const PROJECT_ROOT = path.resolve(__dirname, '..');

export interface Config {
  nodeEnv: string;
  host: string;
  port: number;
  databaseUrl: string;
  /** an external Temporal frontend; unset → npm start runs the embedded dev server */
  temporalAddress: string | undefined;
  temporalPort: number;
  temporalUiPort: number;
  temporalNamespace: string;
  /** §6 the Temporal Web UI of an external Temporal (TEMPORAL_UI_URL), for ADMIN's link from a project page; npm start's dev server gives its own */
  temporalUiUrl: string | null;
  taskQueue: string;
  dataDir: string;
  jwtTtlSeconds: number;
  /** the API's and the SDK's log level (LOG_LEVEL, default warn) */
  logLevel: 'trace' | 'debug' | 'info' | 'warn' | 'error';
  /**
   * How many workflows a worker keeps in memory (WORKER_MAX_CACHED_WORKFLOWS, default 10,000); the
   * rest are replayed from their history when a timer fires or a person acts. Issue 15: a cached
   * project costs the worker ~0.35 MB (0.4 MB of the process at 10,000), so the default holds a county's
   * live projects — the monthly 研判 then wakes cached workflows (2,000 projects in 11 s) instead of
   * replaying each from its history (26 s; the first run after a worker restart still does). The
   * cache only grows with the workflows there are; lower it on a machine with less memory to spare.
   */
  maxCachedWorkflows: number;
  /**
   * Issue 15: how many threads run the worker's workflows (WORKER_WORKFLOW_THREADS, default 2). Each
   * wakes a workflow, replays it and runs its code one activation at a time; with one, the monthly
   * 研判's fan-out over thousands of projects waited on that single thread while the machine's other
   * core idled (2,000 projects: 38 s with one, 27 s with two on two cores). A thread costs its own
   * copy of the workflow code (tens of MB); more than the machine's cores gain nothing.
   */
  workflowThreads: number;
  /**
   * A workflow bundle built ahead (`npm run build:workflows`, the Dockerfile): the worker loads it
   * instead of bundling the workflows at every start (≈ 12 s, which would stretch every restart).
   * WORKFLOW_BUNDLE; unset: bundled at start (development).
   */
  workflowBundle: string | null;
  /** the demo accounts' password, or null for none (§7: development only, see demoPasswordFor) */
  demoPassword: string | null;
  /** the policy new projects and the county calendar start with */
  policy: Policy;
  /** how long a request may wait on Temporal before it answers 503 "safe to repeat" (REQUEST_DEADLINE_MS) */
  requestDeadlineMs: number;
  /** the origins a browser may call the API from (CORS_ORIGINS, comma-separated); none by default */
  corsOrigins: string[];
  /** TLS / mTLS to the Temporal frontend (TEMPORAL_TLS_*), or null for a plaintext connection */
  temporalTls: TemporalTlsSettings | null;
  /** §8 where notices are delivered besides the in-app inbox (NOTIFY_*); none: in-app only */
  channels: Channel[];
}

/**
 * §8 the delivery channels of a deployment: those of the file NOTIFY_CONFIG names (JSON, checked:
 * a bad file stops the process naming the field), then those of the environment — each on when its
 * address is set, and in place of the file's channel of the same kind. A secret without its address
 * (or the reverse) is refused, naming the variable.
 */
export function channelsFrom(e: NodeJS.ProcessEnv): Channel[] {
  const fromFile = e.NOTIFY_CONFIG?.trim() ? channelsOfFile(e.NOTIFY_CONFIG.trim()) : [];
  const fromEnv = channelsOfEnv(e);
  return [...fromFile.filter((c) => !fromEnv.some((x) => x.kind === c.kind)), ...fromEnv];
}

function channelsOfFile(file: string): Channel[] {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`NOTIFY_CONFIG=${file}: cannot read it as JSON (${(err as Error).message})`);
  }
  const parsed = ChannelsFile.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`NOTIFY_CONFIG=${file}: ${i.path.join('.') || '(the file)'}: ${i.message}`);
  }
  return parsed.data.channels;
}

function channelsOfEnv(e: NodeJS.ProcessEnv): Channel[] {
  const get = (name: string) => e[name]?.trim() || undefined;
  const need = (name: string, because: string) => {
    const v = get(name);
    if (!v) throw new Error(`${name} must be set when ${because} is`);
    return v;
  };
  const channels: Channel[] = [];
  if (get('NOTIFY_SMTP_URL')) channels.push({ kind: 'email', smtpUrl: get('NOTIFY_SMTP_URL')!, from: need('NOTIFY_MAIL_FROM', 'NOTIFY_SMTP_URL') });
  if (get('NOTIFY_WEBHOOK_URL')) channels.push({ kind: 'webhook', url: get('NOTIFY_WEBHOOK_URL')!, secret: need('NOTIFY_WEBHOOK_SECRET', 'NOTIFY_WEBHOOK_URL') });
  if (get('NOTIFY_WECOM_URL')) channels.push({ kind: 'wecom', url: get('NOTIFY_WECOM_URL')! });
  if (get('NOTIFY_DINGTALK_URL')) channels.push({ kind: 'dingtalk', url: get('NOTIFY_DINGTALK_URL')!, secret: need('NOTIFY_DINGTALK_SECRET', 'NOTIFY_DINGTALK_URL') });
  return channels;
}

/**
 * How the worker and the API reach the Temporal frontend over TLS (README "Production topology"):
 * paths of PEM files, read when the connection is made (runtime/temporal.ts, which names the variable
 * of a file it cannot read). TLS is on as soon as one of the variables is set.
 */
export interface TemporalTlsSettings {
  /** TEMPORAL_TLS_CA: the CA that signed the frontend's certificate; unset → the system's trusted roots */
  caFile: string | undefined;
  /** TEMPORAL_TLS_CERT: this process's client certificate (mTLS); always together with keyFile */
  certFile: string | undefined;
  /** TEMPORAL_TLS_KEY: the private key of certFile */
  keyFile: string | undefined;
  /** TEMPORAL_TLS_SERVER_NAME: the name in the frontend's certificate, when it is not TEMPORAL_ADDRESS's host */
  serverName: string | undefined;
}

/** The environment variables of TemporalTlsSettings, field by field (for messages that name them). */
export const TEMPORAL_TLS_VARIABLES = {
  caFile: 'TEMPORAL_TLS_CA',
  certFile: 'TEMPORAL_TLS_CERT',
  keyFile: 'TEMPORAL_TLS_KEY',
  serverName: 'TEMPORAL_TLS_SERVER_NAME',
} as const satisfies Record<keyof TemporalTlsSettings, string>;

/** TEMPORAL_TLS_* of an environment: null when none is set; a certificate without its key (or the reverse) is refused. */
export function temporalTlsFrom(e: NodeJS.ProcessEnv): TemporalTlsSettings | null {
  const get = (name: string) => {
    const v = e[name]?.trim();
    return v ? v : undefined;
  };
  const file = (name: string) => {
    const v = get(name);
    return v === undefined ? undefined : path.resolve(v);
  };
  const settings: TemporalTlsSettings = {
    caFile: file(TEMPORAL_TLS_VARIABLES.caFile),
    certFile: file(TEMPORAL_TLS_VARIABLES.certFile),
    keyFile: file(TEMPORAL_TLS_VARIABLES.keyFile),
    serverName: get(TEMPORAL_TLS_VARIABLES.serverName),
  };
  if (Object.values(settings).every((v) => v === undefined)) return null;
  if (!!settings.certFile !== !!settings.keyFile) {
    const [set, missing] = settings.certFile ? ['TEMPORAL_TLS_CERT', 'TEMPORAL_TLS_KEY'] : ['TEMPORAL_TLS_KEY', 'TEMPORAL_TLS_CERT'];
    throw new Error(`${set} is set but ${missing} is not: a client certificate for Temporal needs both the certificate and its private key`);
  }
  return settings;
}

const env = process.env;

const int = (name: string, fallback: number, max = 65535 * 1000): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
};

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
function logLevel(): Config['logLevel'] {
  const raw = (env.LOG_LEVEL ?? 'warn').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  return raw as Config['logLevel'];
}

export const DEFAULT_DEMO_PASSWORD = 'nanxian-demo';
/** a request's deadline on Temporal, unless REQUEST_DEADLINE_MS says otherwise */
export const DEFAULT_REQUEST_DEADLINE_MS = 30_000;

/** §7: demo accounts exist for development only; in production they need an explicit DEMO_PASSWORD. */
export function demoPasswordFor(e: NodeJS.ProcessEnv): string | null {
  if (e.NODE_ENV === 'production') {
    if (!e.DEMO_PASSWORD) return null;
    if (e.DEMO_PASSWORD === DEFAULT_DEMO_PASSWORD) throw new Error(`DEMO_PASSWORD=${DEFAULT_DEMO_PASSWORD} is refused when NODE_ENV=production`);
    return e.DEMO_PASSWORD;
  }
  return e.DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
}

/** DATABASE_URL, or the embedded SQLite file (also what Prisma's CLI reads, prisma.config.ts). */
export const databaseUrl = (): string => env.DATABASE_URL || DEFAULT_DATABASE_URL;

export function loadConfig(): Config {
  return {
    nodeEnv: env.NODE_ENV ?? 'development',
    host: env.HOST ?? '127.0.0.1',
    port: int('PORT', 3000),
    databaseUrl: databaseUrl(),
    temporalAddress: env.TEMPORAL_ADDRESS || undefined,
    temporalPort: int('TEMPORAL_PORT', 7233),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233),
    temporalNamespace: env.TEMPORAL_NAMESPACE ?? 'default',
    temporalUiUrl: env.TEMPORAL_UI_URL?.trim().replace(/\/+$/, '') || null,
    taskQueue: env.TEMPORAL_TASK_QUEUE ?? 'nanxian-projects',
    dataDir: path.resolve(env.DATA_DIR ?? '.data'),
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 8 * 3600),
    logLevel: logLevel(),
    maxCachedWorkflows: int('WORKER_MAX_CACHED_WORKFLOWS', 10_000),
    workflowThreads: int('WORKER_WORKFLOW_THREADS', 2),
    workflowBundle: env.WORKFLOW_BUNDLE?.trim() ? path.resolve(env.WORKFLOW_BUNDLE.trim()) : null,
    demoPassword: demoPasswordFor(env),
    policy: DEFAULT_POLICY,
    requestDeadlineMs: int('REQUEST_DEADLINE_MS', DEFAULT_REQUEST_DEADLINE_MS),
    corsOrigins: (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
    temporalTls: temporalTlsFrom(env),
    channels: channelsFrom(env),
  };
}

/**
 * The secret that signs the API's tokens: JWT_SECRET, required in production; in development one
 * generated once under the data folder. Only the API reads it (the seed and the worker need none).
 */
export function loadJwtSecret(config: Pick<Config, 'nodeEnv' | 'dataDir'>): string {
  if (env.JWT_SECRET) {
    if (env.JWT_SECRET.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
    return env.JWT_SECRET;
  }
  if (config.nodeEnv === 'production') throw new Error('JWT_SECRET must be set when NODE_ENV=production');
  const file = path.join(config.dataDir, 'jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Where the Temporal binaries are looked for (runtime/temporal-tools.ts): TEMPORAL_CLI, TEMPORAL_TEST_SERVER, then PATH. */
export function temporalToolsConfig(): { cli: string | undefined; testServer: string | undefined; searchPath: string[] } {
  return {
    cli: env.TEMPORAL_CLI || undefined,
    testServer: env.TEMPORAL_TEST_SERVER || undefined,
    searchPath: (env.PATH ?? '').split(path.delimiter).filter(Boolean),
  };
}

/** The harness keeps its builds (workflow bundle, seeded database) unless TEST_BUILD_CACHE=0. */
/**
 * The Temporal Server the tests that need a server run against (issue 14, 5): unset, each test file
 * starts the CLI's dev server; set (`npm run test:production` sets it), each takes a namespace of its own
 * on that server — the production build on PostgreSQL.
 */
export const testTemporalAddress = (): string | undefined => env.TEST_TEMPORAL_ADDRESS || undefined;

export const buildCacheEnabled = (): boolean => env.TEST_BUILD_CACHE !== '0';

/** The environment for a child process (Prisma's CLI, pip, go): this one's, with some variables set. */
export const childEnv = (set: Record<string, string>): NodeJS.ProcessEnv => ({ ...env, ...set });

/** The workbench's browser tests (harness/browser.ts): the Chromium to drive (CHROMIUM_PATH, default
 *  Debian's) and another build of the web to serve (WEB_DIST_DIR, one made with WEB_OUT_DIR). */
export const browserSettings = (): { chromiumPath: string; webDistDir: string | undefined } => ({
  chromiumPath: env.CHROMIUM_PATH || '/usr/bin/chromium',
  webDistDir: env.WEB_DIST_DIR || undefined,
});
