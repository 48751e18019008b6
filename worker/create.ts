// The worker: runs the project workflows and the activities that write the database.
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Db } from '../db/client';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows'); // the bundler resolves index.ts (tsx) or index.js (built)

export interface WorkerParams {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  db: Db;
  /** a prebuilt bundle (tests build it once); otherwise the workflows are bundled at start */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export function createWorker(p: WorkerParams): Promise<Worker> {
  return Worker.create({
    connection: p.connection,
    namespace: p.namespace,
    taskQueue: p.taskQueue,
    ...(p.workflowBundle ? { workflowBundle: p.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities(p.db),
  });
}
