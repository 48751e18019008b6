// The SDK's logger, installed once per process (the Runtime is a singleton): WARN and above by default.
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Config } from './config';

let installed = false;
export function installRuntimeLogger(level: Config['logLevel'] = 'warn'): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(level.toUpperCase() as Uppercase<Config['logLevel']>) });
}
