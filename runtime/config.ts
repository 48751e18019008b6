// Configuration from the environment, with the embedded defaults (README "Configuration").
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_DATABASE_URL } from '../db/url';

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
  taskQueue: string;
  dataDir: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
}

const int = (name: string, fallback: number): number => {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 65535 * 1000) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
};

/** The JWT secret: JWT_SECRET, required in production; in development one generated once under .data/. */
function jwtSecret(nodeEnv: string, dataDir: string): string {
  if (process.env.JWT_SECRET) {
    if (process.env.JWT_SECRET.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
    return process.env.JWT_SECRET;
  }
  if (nodeEnv === 'production') throw new Error('JWT_SECRET must be set when NODE_ENV=production');
  const file = path.join(dataDir, 'jwt-secret');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, crypto.randomBytes(48).toString('base64url'), { mode: 0o600, flag: 'wx' });
  }
  return fs.readFileSync(file, 'utf8').trim();
}

export function loadConfig(): Config {
  const nodeEnv = process.env.NODE_ENV ?? 'development';
  const dataDir = path.resolve(process.env.DATA_DIR ?? '.data');
  return {
    nodeEnv,
    host: process.env.HOST ?? '127.0.0.1',
    port: int('PORT', 3000),
    databaseUrl: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    temporalAddress: process.env.TEMPORAL_ADDRESS || undefined,
    temporalPort: int('TEMPORAL_PORT', 7233),
    temporalUiPort: int('TEMPORAL_UI_PORT', 8233),
    temporalNamespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'nanxian-projects',
    dataDir,
    jwtSecret: jwtSecret(nodeEnv, dataDir),
    jwtTtlSeconds: int('JWT_TTL_SECONDS', 8 * 3600),
  };
}
