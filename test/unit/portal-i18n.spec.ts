import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The portal's strings (issue 12: English and Japanese, no untranslated string): every key of
 * `apps/portal/src/locales/en/<ns>.json` exists in `ja/<ns>.json` and the other way round, no value
 * is empty, every Japanese value is written in Japanese (has kana or kanji), the same
 * `{{placeholders}}` appear in both, and every literal key the sources use (`t('ns:key')`,
 * `t('key')` in `common`, `labelKey: 'ns:key'`) exists.
 */

const PORTAL = join(__dirname, '..', '..', 'apps', 'portal', 'src');
const LOCALES = join(PORTAL, 'locales');
const NAMESPACES = ['common', 'auth', 'partner', 'customers', 'customerAdmin', 'operator'];
const JAPANESE = /[\u3040-\u30ff\u3400-\u9fff\uff66-\uff9f]/;

type Strings = Record<string, string>;

/** The flat `key → value` of a namespace's file (`a.b.c` for nested objects). */
function flatten(value: unknown, prefix = ''): Strings {
  if (typeof value === 'string') return { [prefix]: value };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${prefix || '(root)'}: a translation is a string or an object of them`);
  }
  return Object.assign(
    {},
    ...Object.entries(value).map(([key, item]) => flatten(item, prefix ? `${prefix}.${key}` : key)),
  ) as Strings;
}

function load(lang: string, ns: string): Strings {
  return flatten(JSON.parse(readFileSync(join(LOCALES, lang, `${ns}.json`), 'utf8')));
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return name === 'locales' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(name) ? [full] : [];
  });
}

const placeholders = (value: string) =>
  [...value.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('the portal strings', () => {
  const strings = Object.fromEntries(
    ['en', 'ja'].map((lang) => [
      lang,
      Object.fromEntries(NAMESPACES.map((ns) => [ns, load(lang, ns)])),
    ]),
  ) as Record<'en' | 'ja', Record<string, Strings>>;

  it('has the same keys in English and Japanese, none empty, the Japanese in Japanese', () => {
    const problems: string[] = [];
    for (const ns of NAMESPACES) {
      const en = strings.en[ns];
      const ja = strings.ja[ns];
      for (const key of Object.keys(en)) if (!(key in ja)) problems.push(`ja lacks ${ns}:${key}`);
      for (const key of Object.keys(ja)) if (!(key in en)) problems.push(`en lacks ${ns}:${key}`);
      for (const [lang, table] of [
        ['en', en],
        ['ja', ja],
      ] as const) {
        for (const [key, value] of Object.entries(table)) {
          if (value.trim() === '') problems.push(`${lang} ${ns}:${key} is empty`);
        }
      }
      for (const [key, value] of Object.entries(ja)) {
        if (value.trim() !== '' && !JAPANESE.test(value)) {
          problems.push(`ja ${ns}:${key} is not in Japanese: ${JSON.stringify(value)}`);
        }
        if (key in en && placeholders(value).join() !== placeholders(en[key]).join()) {
          problems.push(`${ns}:${key} has other placeholders in ja than in en`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('defines every key the sources use literally', () => {
    const missing: string[] = [];
    let used = 0;
    for (const file of sourceFiles(PORTAL)) {
      const text = readFileSync(file, 'utf8');
      const literals = [
        ...text.matchAll(/\bt\(\s*'([^'$`]+)'/g),
        ...text.matchAll(/\bt\(\s*"([^"$`]+)"/g),
        ...text.matchAll(/labelKey:\s*'([^']+)'/g),
      ].map((m) => m[1]);
      for (const literal of literals) {
        used += 1;
        const [ns, key] = literal.includes(':') ? literal.split(':', 2) : ['common', literal];
        for (const lang of ['en', 'ja'] as const) {
          if (!strings[lang][ns] || !(key in strings[lang][ns])) {
            missing.push(`${relative(PORTAL, file)}: ${lang} ${ns}:${key}`);
          }
        }
      }
    }
    expect(used).toBeGreaterThan(20);
    expect(missing).toEqual([]);
  });
});
