/**
 * Secrets whose values are public: the development defaults of `scripts/lib/system.js` (`npm
 * start`) and of earlier `docker-compose.yml` files, and the samples of the tests. A service
 * started with `NODE_ENV=production` refuses each of them at start-up (`parseConfig`), naming the
 * variable; test/unit/compose.spec.ts checks that every default system.js and compose carry is
 * on this list.
 */
export const DEVELOPMENT_SECRETS: Readonly<Record<string, readonly string[]>> = {
  LINK_SEALING_KEY: [
    // scripts/lib/system.js devSettings()
    'dev-only-link-sealing-key-0123456789abcdef',
    // docker-compose.yml until the secrets became required
    'compose-development-link-sealing-key-change-me',
  ],
  OPERATOR_PASSWORD: ['Operator-dev-2026!', 'Operator-compose-2026!'],
  SIGNING_KEY_ENCRYPTION_KEY: [
    // scripts/lib/system.js devSettings(): sha256('dev-only signing key encryption key')
    '5e4265c0cd253057a0f7122d4e4c0931cdb2f4605937f0590bcef306649241e2',
    // test/unit/compose.spec.ts's sample (base64 of '0123456789abcdef0123456789abcdef')
    'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  ],
};

/** What to do instead, per variable. */
const REMEDY: Record<string, string> = {
  LINK_SEALING_KEY:
    'set a random key of your own, the same in every service (openssl rand -base64 32)',
  OPERATOR_PASSWORD: 'set a password of your own (at least 12 characters)',
  SIGNING_KEY_ENCRYPTION_KEY: 'set 32 random bytes of your own (openssl rand -base64 32)',
};

/**
 * The form under which values are compared: a 32-byte key given as hex or base64 as its hex (so
 * both spellings of one key match), anything else trimmed.
 */
function canonical(value: unknown): string | undefined {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return trimmed.toLowerCase();
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === 32) return bytes.toString('hex');
  }
  return trimmed;
}

const KNOWN = new Map(
  Object.entries(DEVELOPMENT_SECRETS).map(([name, values]) => [
    name,
    new Set(values.map((value) => canonical(value))),
  ]),
);

/**
 * The problems of a validated configuration that is about to run in production: each secret of
 * {@link DEVELOPMENT_SECRETS} it holds with a known value, or with one character (or byte)
 * repeated, as `NAME: why; what to do`. Empty when `NODE_ENV` is not `production`.
 */
export function developmentSecretProblems(config: Record<string, unknown>): string[] {
  if (config.NODE_ENV !== 'production') return [];
  const problems: string[] = [];
  for (const [name, known] of KNOWN) {
    if (!(name in config)) continue;
    const value = canonical(config[name]);
    if (value === undefined) continue;
    const repeated = /^(.)\1*$/.test(value);
    if (known.has(value) || repeated) {
      problems.push(
        `${name}: ${repeated ? 'one character repeated' : 'a published development default'}, refused with NODE_ENV=production; ${REMEDY[name]}`,
      );
    }
  }
  return problems;
}
