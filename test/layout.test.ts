// The house rules of the layout, checked on every run (README "Layout"): imports between the top-level
// folders go one way (no circle), nothing outside workflows/ imports a workflow body (only their
// messages and search attributes), only runtime/config.ts reads the environment, and the README's
// layout names exactly the folders there are.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../runtime/config';

const SKIP = new Set(['node_modules', 'generated', 'dist', 'fixtures', 'test-results']);
function sourceFiles(dir = PROJECT_ROOT): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.name.startsWith('.') || SKIP.has(e.name)) return [];
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.(ts|mts|mjs)$/.test(e.name) ? [p] : [];
  });
}
const files = sourceFiles();
const rel = (p: string) => path.relative(PROJECT_ROOT, p);
/** the top-level folder of a file ('.' for a file at the root) */
const folderOf = (p: string) => (rel(p).includes(path.sep) ? rel(p).split(path.sep)[0] : '.');

/** The project files a file imports (relative specifiers only), resolved as TypeScript does. */
function importsOf(file: string): string[] {
  const src = fs.readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:from\s+|import\s*\(\s*|require\(\s*)'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]);
  return specs.map((s) => {
    const base = path.resolve(path.dirname(file), s);
    const found = [base, `${base}.ts`, `${base}.d.ts`, `${base}.mts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
    if (!found) throw new Error(`${rel(file)} imports ${s}, which is not a file of the project`);
    return found;
  });
}
const edges = files.flatMap((f) => importsOf(f).map((to) => ({ from: f, to })));

describe('the layout', () => {
  it('has no import circle between folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const e of edges) {
      const [a, b] = [folderOf(e.from), folderOf(e.to)];
      if (a !== b) graph.set(a, (graph.get(a) ?? new Set()).add(b));
    }
    // a folder that reaches itself again through others is in a circle
    const reaches = (from: string, target: string, seen = new Set<string>()): string[] | null => {
      for (const next of graph.get(from) ?? []) {
        if (next === target) return [from, next];
        if (seen.has(next)) continue;
        seen.add(next);
        const path = reaches(next, target, seen);
        if (path) return [from, ...path];
      }
      return null;
    };
    const circles = [...graph.keys()].flatMap((f) => {
      const c = reaches(f, f);
      return c ? [c.join(' → ')] : [];
    });
    expect(circles).toEqual([]);
  });

  it('imports no workflow body outside workflows/ — only the messages, the activity types and the search attributes', () => {
    const shared = /^workflows\/(messages\/|activity-types\.ts$|search-attributes\.ts$)/;
    const offending = edges
      .filter((e) => folderOf(e.from) !== 'workflows' && folderOf(e.to) === 'workflows' && !shared.test(rel(e.to).split(path.sep).join('/')))
      .map((e) => `${rel(e.from)} → ${rel(e.to)}`);
    expect(offending).toEqual([]);
  });

  it('reads the environment only in runtime/config.ts', () => {
    // (web/vite.config.mts is the build tool's configuration of the browser application, not the service: it reads API_URL and WEB_OUT_DIR)
    const readers = files.filter((f) => rel(f) !== path.join('web', 'vite.config.mts') && /process\.env\b/.test(fs.readFileSync(f, 'utf8'))).map(rel);
    expect(readers).toEqual([path.join('runtime', 'config.ts')]);
  });

  it('names in the README\'s layout exactly the folders there are', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const block = /## Layout\s+```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const listed = [...block.matchAll(/^(\S+)\/\s/gm)].map((m) => m[1]).sort();
    const there = fs.readdirSync(PROJECT_ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIP.has(e.name))
      .map((e) => e.name).sort();
    expect(listed).toEqual(there);
  });

  it('has a row for every clause of 南政发〔2022〕6号, 一 to 十五, each naming files that exist, or saying why software has nothing to do', () => {
    const readme = fs.readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const section = /## 南政发〔2022〕6号 → code\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
    const rows = [...section.matchAll(/^\| （([一二三四五六七八九十]+)）[^|]*\|[^|]*\|([^|]*)\|([^|]*)\|$/gm)];
    const CLAUSES = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
    expect(rows.map((r) => r[1])).toEqual(CLAUSES);
    for (const [, clause, code, tests] of rows) {
      const files = [...`${code} ${tests}`.matchAll(/`([\w./-]+\.(?:ts|vue))`/g)].map((m) => m[1]);
      if (files.length === 0) {
        expect(code, `（${clause}） names no file: it must say why`).toContain('nothing for software to do');
        continue;
      }
      expect(tests, `（${clause}） names code but no test`).toMatch(/`test\/[\w.-]+\.test\.ts`/);
      for (const f of files) expect(fs.existsSync(path.join(PROJECT_ROOT, f)), `（${clause}） names ${f}, which does not exist`).toBe(true);
    }
  });
});
