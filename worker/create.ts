// The worker, as every process creates it (npm start, the standalone worker, the harness): the project
// workflows and the county calendar, and the activities that write the database and act on workflows.
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities } from '../activities';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { Activities } from '../workflows/activity-types';
import type { Channel } from '../activities/channels';

export const WORKFLOWS_PATH = path.resolve(__dirname, '..', 'workflows'); // the bundler resolves index.ts (tsx) or index.js (built)

/**
 * How every bundle of the workflows is made: the worker's own, `npm run build:workflows`, the tests'.
 * zod is loaded once per worker thread and shared by every workflow (workflows/zod-preload.ts): issue 15,
 * a workflow's start and a cached workflow's memory without zod's own evaluation in each.
 */
export const BUNDLE_OPTIONS = { workflowsPath: WORKFLOWS_PATH, preloadModules: [path.join(WORKFLOWS_PATH, 'zod-preload')] };

/** Where the activities come from: the real ones, on a database and a client; or given (fast tests mock them). */
type ActivitySource =
  | {
    db: Db;
    /** the client the county calendar's activities act on project workflows with */
    client: Client;
    /** §8 where notices are delivered (Config.channels); none: in-app only */
    channels?: Channel[];
  }
  | { activities: Activities };

export type WorkerParams = ActivitySource & {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** a prebuilt bundle (the harness builds it once; WORKFLOW_BUNDLE names a file of `npm run build:workflows`); otherwise the workflows are bundled at start */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** interceptors around the workflows and activities (the simulation times its activities) */
  interceptors?: WorkerOptions['interceptors'];
  /** how many workflows the worker keeps in memory (Config.maxCachedWorkflows); the SDK's default when absent */
  maxCachedWorkflows?: number;
  /** how many threads run the workflows (Config.workflowThreads); the SDK's default (1) when absent */
  workflowThreads?: number;
};

/**
 * How long a workflow task waits on the queue of the worker that holds the workflow in memory (its
 * sticky queue) before any worker may take it and replay the history. The SDK's default, 10 s, is what
 * a person waited after a worker died: their completion went to the dead worker's queue first
 * (measured on production:local: 10.4 s). Replaying a project's history takes milliseconds, so a short
 * wait costs little when the holder is merely busy and bounds the wait when it is gone (README
 * "Restarts and failures").
 */
export const STICKY_QUEUE_TIMEOUT = '2s';
/**
 * A planned stop (SIGTERM, SIGINT: compose's `stop`, a rolling update): the worker stops polling, tells
 * the server that its sticky queue is gone (so nobody waits for it), lets running activities finish
 * for up to this long, and then ends. compose's stop_grace_period for the worker is longer.
 */
export const SHUTDOWN_GRACE = '15s';

export function createWorker(p: WorkerParams): Promise<Worker> {
  return Worker.create({
    connection: p.connection,
    namespace: p.namespace,
    taskQueue: p.taskQueue,
    ...(p.workflowBundle ? { workflowBundle: p.workflowBundle } : { workflowsPath: BUNDLE_OPTIONS.workflowsPath, bundlerOptions: { preloadModules: BUNDLE_OPTIONS.preloadModules } }),
    activities: 'activities' in p ? p.activities : createActivities(p.db, p.client, p.channels),
    ...(p.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: p.maxCachedWorkflows } : {}),
    ...(p.workflowThreads !== undefined ? { workflowThreadPoolSize: p.workflowThreads } : {}),
    ...(p.interceptors ? { interceptors: p.interceptors } : {}),
    stickyQueueScheduleToStartTimeout: STICKY_QUEUE_TIMEOUT,
    shutdownGraceTime: SHUTDOWN_GRACE,
  });
}
