import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * Each app is a set of feature folders (`apps/<app>/src/<feature>/`), and a folder never imports
 * one that depends on it: the folder-level import graph of every app has no cycle. (ESLint's
 * `import-x/no-cycle` catches cycles between files; this catches the ones between folders, e.g. a
 * feature importing a helper from `database/` while `database/` lists that feature's entities.)
 * The files at an app's root (`main.ts`, `app.module.ts`) compose the folders and are left out.
 */
const ROOT = resolve(__dirname, '../..');
const APPS = ['identity', 'relationships', 'notifications'];
const IMPORT =
  /(?:import|export)\s[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    // Tests of every layer (`*.spec.ts`, `*.int-spec.ts`) are left out, as the build leaves them.
    return name.endsWith('.ts') && !name.endsWith('spec.ts') ? [path] : [];
  });
}

/** Edges `from → to` between feature folders of one app, with the files that make each edge. */
export function folderGraph(app: string): Map<string, Map<string, string[]>> {
  const src = join(ROOT, 'apps', app, 'src');
  const folderOf = (file: string) => {
    const parts = relative(src, file).split(sep);
    return parts.length > 1 ? parts[0] : null;
  };
  const graph = new Map<string, Map<string, string[]>>();
  for (const file of sourceFiles(src)) {
    const from = folderOf(file);
    if (!from) continue;
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(IMPORT)) {
      const target = resolve(dirname(file), match[1] ?? match[2]);
      if (!target.startsWith(src + sep)) continue;
      const to = folderOf(target);
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string[]>();
      edges.set(to, [...(edges.get(to) ?? []), relative(ROOT, file)]);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The strongly connected components with more than one folder (Tarjan), i.e. the cycles. */
export function folderCycles(graph: Map<string, Map<string, string[]>>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    indices.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!indices.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) cycles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) visit(v);
  return cycles;
}

describe('feature folders', () => {
  it.each(APPS)('of %s import one another without a cycle', (app) => {
    const graph = folderGraph(app);
    const cycles = folderCycles(graph).map((component) =>
      component.flatMap((from) =>
        component
          .filter((to) => graph.get(from)?.has(to))
          .map((to) => `${from} → ${to} (${graph.get(from)!.get(to)!.join(', ')})`),
      ),
    );
    expect(cycles).toEqual([]);
  });
});
