// `npm run production:build`: builds (or finds cached in .tools/production) the Temporal Server, its SQL
// tool and the Web UI at the versions docker-compose.yml pins (runtime/production-tools.ts), and says
// where they are. production:local, the chaos test and test:production build them the same way on
// first use; .ci/run calls this first so that the build's time shows on its own line.
import { ensureProductionBinaries } from '../runtime/production-tools';

const started = Date.now();
const bin = ensureProductionBinaries();
console.log(`Temporal Server ${bin.versions.server}: ${bin.server}`);
console.log(`temporal-sql-tool: ${bin.sqlTool}`);
console.log(`Temporal Web UI ${bin.versions.ui}: ${bin.ui}`);
console.log(`(${((Date.now() - started) / 1000).toFixed(0)} s)`);
