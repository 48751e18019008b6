// The workbench's weight (§10, issue 13): the compressed JavaScript a browser loads to show the
// inbox — the entry, the shell and the inbox page with every chunk they import statically, as the
// build's manifest says — against the target of 300 KB (gzip). Charts and admin pages load when opened,
// so their chunks are printed apart. Builds the web into a temporary folder; prints, asserts nothing.
//   tsx bench/web-bundle.ts
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { WEB_DIST } from '../api/plugins/web';

interface ManifestEntry { file: string; imports?: string[]; dynamicImports?: string[]; css?: string[]; isEntry?: boolean }
type Manifest = Record<string, ManifestEntry>;

const TARGET_KB = 300;

/** Every chunk a page's chunks import statically (what the browser fetches before the page shows). */
function closure(m: Manifest, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k) || !m[k]) return;
    seen.add(k);
    for (const i of m[k].imports ?? []) visit(i);
  };
  keys.forEach(visit);
  return seen;
}

const gz = (dir: string, file: string) => {
  const pre = path.join(dir, file + '.gz');
  return fs.existsSync(pre) ? fs.statSync(pre).size : zlib.gzipSync(fs.readFileSync(path.join(dir, file)), { level: 9 }).length;
};
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

export async function webBundle() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'nanxian-web-bench-'));
  const { build } = await import('vite');
  await build({ configFile: path.join(WEB_DIST, '..', 'vite.config.mts'), logLevel: 'error', build: { outDir: out } });
  const m = JSON.parse(fs.readFileSync(path.join(out, '.vite', 'manifest.json'), 'utf8')) as Manifest;
  const entry = Object.keys(m).find((k) => m[k].isEntry)!;
  const jsOf = (keys: Set<string>) => [...keys].map((k) => m[k].file).filter((f) => f.endsWith('.js'));
  const sizeOf = (files: string[]) => files.reduce((n, f) => n + gz(out, f), 0);

  console.log('\n── the workbench: compressed JavaScript a browser loads (gzip -9, as served) ──');
  const pages: [string, string[]][] = [
    ['inbox, already logged in', [entry, 'src/views/Shell.vue', 'src/views/Inbox.vue']],
    ['login → inbox (a first visit)', [entry, 'src/views/Login.vue', 'src/views/Shell.vue', 'src/views/Inbox.vue']],
    ['a task form', [entry, 'src/views/Shell.vue', 'src/views/Task.vue']],
  ];
  let worst = 0;
  for (const [name, keys] of pages) {
    const files = jsOf(closure(m, keys));
    const size = sizeOf(files);
    worst = Math.max(worst, size);
    console.log(`  ${name.padEnd(32)} ${kb(size).padStart(9)} in ${files.length} files`);
  }
  console.log(`  initial load of the inbox: ${kb(worst)} of JavaScript, target ≤ ${TARGET_KB} KB → ${worst <= TARGET_KB * 1024 ? 'met' : 'NOT met'}`);
  const initial = closure(m, pages[1][1]);
  const later = Object.keys(m).filter((k) => !initial.has(k) && m[k].file.endsWith('.js'))
    .map((k) => ({ k, size: gz(out, m[k].file) })).sort((a, b) => b.size - a.size).slice(0, 6);
  console.log(`  loaded when opened (largest): ${later.map((x) => `${path.basename(x.k)} ${kb(x.size)}`).join(', ')}`);
  fs.rmSync(out, { recursive: true, force: true });
  return { initialBytes: worst };
}

if (require.main === module) {
  webBundle().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
