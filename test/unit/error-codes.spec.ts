import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ERROR_CODES, SHARED_ERROR_CODES, type ErrorName } from '@app/contracts';

/**
 * Issue 11 "Errors": every error name raised in apps/ and libs/ has its number in `ERROR_CODES`,
 * each number belongs to one name unless the names are the same case (`SHARED_ERROR_CODES`), and
 * the README's error-code table lists exactly `ERROR_CODES`.
 */
const ROOT = join(__dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

const NAME = `'([a-z_]+(?:\\.[a-z_]+)+|internal)'`;

/** Every error name a source file raises, with the file. */
function raisedNames(): Map<string, string> {
  const raised = new Map<string, string>();
  const add = (name: string, file: string) => raised.set(name, relative(ROOT, file));
  for (const file of [...sources(join(ROOT, 'apps')), ...sources(join(ROOT, 'libs'))]) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(new RegExp(`new DomainError\\(\\s*${NAME}`, 'g')))
      add(m[1], file);
    if (/extends DomainError/.test(text)) {
      for (const m of text.matchAll(new RegExp(`super\\(\\s*${NAME}`, 'g'))) add(m[1], file);
    }
    // Names answered without a DomainError: the filter's, the HTTP parser's, the dashboard's.
    for (const m of text.matchAll(
      new RegExp(`(?:refuse|answer|apiErrorBody)\\(\\s*(?:\\d+,\\s*)?${NAME}`, 'g'),
    )) {
      add(m[1], file);
    }
    if (/exception\.filter\.ts$|bootstrap\.ts$|rpc-handler\.ts$/.test(file)) {
      for (const m of text.matchAll(new RegExp(`(?:: |\\[\\d+, |\\? )${NAME}`, 'g'))) {
        add(m[1], file);
      }
    }
  }
  return raised;
}

describe('the error codes', () => {
  it('give every error name raised in apps/ and libs/ a number', () => {
    const raised = raisedNames();
    expect(raised.size).toBeGreaterThan(80);
    const missing = [...raised].filter(([name]) => !(name in ERROR_CODES));
    expect(missing).toEqual([]);
  });

  it('find the generic names of the filter and of the HTTP parser too', () => {
    const raised = raisedNames();
    for (const name of ['route.not_found', 'request.conflict', 'request.headers_too_large']) {
      expect(raised.has(name)).toBe(true);
    }
  });

  it('give each name its own number unless the names are the same case', () => {
    const byCode = new Map<number, string[]>();
    for (const [name, code] of Object.entries(ERROR_CODES)) {
      byCode.set(code, [...(byCode.get(code) ?? []), name]);
    }
    const shared = [...byCode.values()].filter((names) => names.length > 1);
    expect(shared.map((names) => [...names].sort())).toEqual(
      SHARED_ERROR_CODES.map((names) => [...names].sort()),
    );
  });

  it('are whole numbers: Partner Center’s documented ones, or ours from 900500 up', () => {
    const documented = new Set([
      400, 1000, 2000, 2001, 2030, 2055, 2200, 2205, 3000, 13605, 20003, 60002, 60003, 800016,
    ]);
    const wrong = Object.entries(ERROR_CODES).filter(
      ([, code]) =>
        !Number.isInteger(code) ||
        !(documented.has(code) || code === 900118 || code === 900150 || code >= 900500),
    );
    expect(wrong).toEqual([]);
  });
});

describe('the README error-code table', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('### Error codes');
  const section = readme.slice(start, readme.indexOf('\n## ', start));
  const rows = new Map(
    [...section.matchAll(/^\| `([a-z_.]+)` +\| (\d+) +\| (\d{3}|\dxx) +\|/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]),
  );

  it('exists', () => {
    expect(start).toBeGreaterThan(0);
  });

  it('lists every name with its number, and nothing else', () => {
    expect(Object.fromEntries([...rows].sort())).toEqual(
      Object.fromEntries(
        (Object.entries(ERROR_CODES) as [ErrorName, number][]).sort(([a], [b]) => (a < b ? -1 : 1)),
      ),
    );
  });
});
