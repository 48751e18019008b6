// The worker: runs the project workflows and the activities that write the database.
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';

export const DEFAULT_MAX_CACHED_WORKFLOWS = Number(process.env.WORKER_MAX_CACHED_WORKFLOWS ?? 250);

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows'); // the bundler resolves index.ts (tsx) or index.js (built)

export interface WorkerParams {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  /** the client the county calendar's activities act on project workflows with */
  client: Client;
  /** a prebuilt bundle (the harness builds it once); otherwise the workflows are bundled at start */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** interceptors around the workflows and activities (the simulation times its activities) */
  interceptors?: WorkerOptions['interceptors'];
  /**
   * How many workflows the worker keeps in memory. Projects wait months on their ladder timers; each
   * cached one holds a V8 context (~2 MB), so the cache is bounded and the rest are replayed from
   * history when a timer fires or a person acts (WORKER_MAX_CACHED_WORKFLOWS, default 250).
   */
  maxCachedWorkflows?: number;
}

export function createWorker(p: WorkerParams): Promise<Worker> {
  return Worker.create({
    connection: p.connection,
    namespace: p.namespace,
    taskQueue: p.taskQueue,
    ...(p.workflowBundle ? { workflowBundle: p.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(p.db, p.client),
    maxCachedWorkflows: p.maxCachedWorkflows ?? DEFAULT_MAX_CACHED_WORKFLOWS,
    ...(p.interceptors ? { interceptors: p.interceptors } : {}),
  });
}
