// What the API's routes are given: the database, the Temporal client, the deployment's settings and
// policy. Built by whoever starts the API (scripts/start.ts, api/main.ts, the tests).
import type { Client } from '@temporalio/client';
import type { Db } from '../db/client';
import type { Policy } from '../domain/policy';
import type { ThrottleLimits } from './auth/throttle';

export interface AppDeps {
  db: Db;
  temporal: Client;
  taskQueue: string;
  jwtSecret: string;
  jwtTtlSeconds: number;
  /** the policy new projects start with, and that trip quotas and growth targets are read against (runtime/config.ts chooses it) */
  policy: Policy;
  /** how long a request may wait on Temporal (default DEFAULT_REQUEST_DEADLINE_MS of runtime/config.ts) */
  requestDeadlineMs?: number;
  /** the origins a browser may call the API from (CORS_ORIGINS); none unless given */
  corsOrigins?: string[];
  /** login throttling (default DEFAULT_THROTTLE of api/auth/throttle.ts) */
  loginThrottle?: ThrottleLimits;
  /**
   * §6 the Temporal Web UI's address (the embedded dev server's, or TEMPORAL_UI_URL), or none: the project
   * detail gives ADMIN a link to the project's workflow there
   */
  temporalUiUrl?: string | null;
  /** the built workbench (§10) to serve at /, or none (api/plugins/web.ts builtWeb) */
  webRoot?: string | null;
  logger?: boolean | { level: string };
}
