// Connections to Temporal (plaintext, or TLS / mTLS from TEMPORAL_TLS_*), and the custom search
// attributes of §6 on servers that lack them.
import fs from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_CLI_TYPES } from '../workflows/search-attributes';
import { TEMPORAL_TLS_VARIABLES, type TemporalTlsSettings } from './config';

const INDEXED: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Bool: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  Int: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  Double: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
};

/** Registers the §6 search attributes that the namespace does not have yet (idempotent). */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  // the time-skipping test server does not list search attributes (gRPC UNIMPLEMENTED): add them all
  const existing = await connection.operatorService.listSearchAttributes({ namespace }).catch((e: { code?: number }) => {
    if (e.code === 12) return { customAttributes: {} };
    throw e;
  });
  const have = new Set(Object.keys(existing.customAttributes ?? {}));
  const missing = Object.entries(SEARCH_ATTRIBUTE_CLI_TYPES).filter(([name]) => !have.has(name));
  if (missing.length > 0) {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED[type]])),
    });
  }
  return missing.map(([name]) => name);
}

/**
 * The namespace, registered when it is missing (retention in days), and §6's search attributes on it —
 * on a server just started, whose services need a few seconds (UNAVAILABLE) and whose frontend learns
 * of a new namespace within seconds (NOT_FOUND until then): both are waited out, up to a minute.
 */
export async function ensureNamespace(connection: Connection, namespace: string, retentionDays: number): Promise<string[]> {
  for (let i = 0; ; i++) {
    try {
      await connection.workflowService.describeNamespace({ namespace }).catch(async (e: { code?: number }) => {
        if (e.code !== 5) throw e;
        await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(`${retentionDays} days`) })
          .catch((r: { code?: number }) => { if (r.code !== 6) throw r; }); // ALREADY_EXISTS: another process was first
      });
      return await ensureSearchAttributes(connection, namespace);
    } catch (e) {
      if (![5, 14].includes((e as { code?: number }).code ?? 0) || i > 120) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * What both kinds of connection take: the client's `Connection.connect` (API, worker's client,
 * npm start) and the worker's `NativeConnection.connect` — one definition, so the worker and the API
 * cannot differ in how they reach Temporal.
 */
export interface TemporalConnectionOptions {
  address: string;
  tls?: TLSConfig;
}

/** Reads one PEM file of the TLS settings, or fails naming the variable that points at it. */
function readPem(field: keyof typeof TEMPORAL_TLS_VARIABLES, file: string): Buffer {
  const variable = TEMPORAL_TLS_VARIABLES[field];
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'a directory, not a file' : (e as Error).message;
    throw new Error(`${variable}=${file}: cannot read it (${why})`);
  }
  if (!data.includes('-----BEGIN ')) throw new Error(`${variable}=${file}: not a PEM file (no "-----BEGIN" line)`);
  return data;
}

/**
 * The TLS options of the SDK for the TEMPORAL_TLS_* settings (undefined: plaintext). The files are
 * read here, so a missing or unreadable one fails the process at start with the variable's name.
 */
export function temporalTls(settings: TemporalTlsSettings | null): TLSConfig | undefined {
  if (!settings) return undefined;
  const tls: TLSConfig = {};
  if (settings.caFile) tls.serverRootCACertificate = readPem('caFile', settings.caFile);
  if (settings.certFile && settings.keyFile) {
    tls.clientCertPair = { crt: readPem('certFile', settings.certFile), key: readPem('keyFile', settings.keyFile) };
  }
  if (settings.serverName) tls.serverNameOverride = settings.serverName;
  return tls;
}

/** The options both connections are made with: the address and, when TEMPORAL_TLS_* are set, TLS. */
export function temporalConnectionOptions(address: string, tls: TemporalTlsSettings | null): TemporalConnectionOptions {
  const options = temporalTls(tls);
  return options ? { address, tls: options } : { address };
}

/**
 * The client's connection (the API, the worker's client, npm start). `connectTimeout` (ms): how long
 * it waits for the frontend before failing (the SDK's default, 10 s, when absent).
 */
export async function connectClient(
  target: string | (TemporalConnectionOptions & { connectTimeout?: number }),
  namespace: string,
): Promise<{ client: Client; connection: Connection }> {
  const options = typeof target === 'string' ? { address: target } : target;
  const connection = await Connection.connect(options);
  return { client: new Client({ connection, namespace }), connection };
}
