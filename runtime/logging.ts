// The SDK's logger, installed once per process (the Runtime is a singleton): WARN and above by default.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';

let installed = false;
export function installRuntimeLogger(level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  Runtime.install({ logger: new DefaultLogger(level) });
}
