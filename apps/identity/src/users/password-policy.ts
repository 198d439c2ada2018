import { DomainError } from '@app/platform';

/** Shortest accepted password (NIST SP 800-63B asks for at least 8; we ask for 12). */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted password (bounds the argon2 input). */
export const MAX_PASSWORD_LENGTH = 200;
/** An email local part shorter than this is not looked for inside the password. */
const MIN_LOCAL_PART_CHECKED = 3;

/** The rules of the password policy, as named in `data.failedRules` of `user.weak_password`. */
export type PasswordRule =
  'min_length' | 'max_length' | 'character_classes' | 'contains_email' | 'common_password';

const CLASSES: readonly RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

/**
 * Passwords (and keyboard walks) at the top of every breached-password list (NCSC "100k most
 * common passwords", SecLists "10k most common"), compared after `baseWord` strips decoration, so
 * `Password2026!` and `P@ssw0rd-123` are refused too (NIST SP 800-63B 5.1.1.2: refuse values "known
 * to be commonly-used, expected, or compromised").
 */
const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  'password',
  'passw0rd',
  'passwort',
  'motdepasse',
  'qwerty',
  'qwertz',
  'azerty',
  'qwertyuiop',
  'asdfghjkl',
  'zxcvbnm',
  'qazwsx',
  'qwerty123',
  'letmein',
  'welcome',
  'iloveyou',
  'admin',
  'administrator',
  'changeme',
  'secret',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'sunshine',
  'princess',
  'starwars',
  'superman',
  'trustno',
  'master',
  'shadow',
  'abc',
  'abcdef',
  'abcdefgh',
  'abcdefghijkl',
  'access',
  'login',
  'default',
  'test',
  'guest',
  'root',
  'hello',
  'freedom',
  'whatever',
  'microsoft',
  'partner',
  'partnercenter',
  'summer',
  'winter',
  'spring',
  'autumn',
]);

/** Digits and symbols that decorate a word (`P@ssw0rd` → `password`). */
const LEET: Readonly<Record<string, string>> = {
  '@': 'a',
  '4': 'a',
  '8': 'b',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

/**
 * The word under a password's decoration: lower-cased, leading and trailing digits and symbols
 * removed, leet substitutions undone, separators dropped (`Passw0rd-2026!` → `password`).
 */
export function baseWord(password: string): string {
  const trimmed = password
    .toLowerCase()
    .replace(/^[^a-z]+/, '')
    .replace(/[^a-z]+$/, '');
  return [...trimmed]
    .map((c) => LEET[c] ?? c)
    .join('')
    .replace(/[^a-z]/g, '');
}

/** One failed rule and what it means to the user. */
export interface PasswordProblem {
  rule: PasswordRule;
  message: string;
}

/**
 * What a chosen password fails, empty when it is acceptable: 12 to 200 characters, characters of
 * at least two classes (lower case, upper case, digits, symbols), not containing the local part of
 * the user's email (`context.email`), and not a common password under decoration (`baseWord`).
 */
export function passwordRuleFailures(
  password: string,
  context: { email?: string } = {},
): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  if (password.length < MIN_PASSWORD_LENGTH)
    problems.push({
      rule: 'min_length',
      message: `must be at least ${MIN_PASSWORD_LENGTH} characters`,
    });
  if (password.length > MAX_PASSWORD_LENGTH)
    problems.push({
      rule: 'max_length',
      message: `must be at most ${MAX_PASSWORD_LENGTH} characters`,
    });
  if (CLASSES.filter((c) => c.test(password)).length < 2)
    problems.push({
      rule: 'character_classes',
      message: 'must mix at least two of: lower case, upper case, digits, symbols',
    });
  const local = (context.email ?? '').split('@')[0].toLowerCase();
  if (local.length >= MIN_LOCAL_PART_CHECKED) {
    const lower = password.toLowerCase();
    const compact = local.replace(/[^a-z0-9]/g, '');
    if (
      lower.includes(local) ||
      (compact.length >= MIN_LOCAL_PART_CHECKED && lower.includes(compact))
    )
      problems.push({ rule: 'contains_email', message: 'must not contain your email address' });
  }
  const base = baseWord(password);
  if (COMMON_PASSWORDS.has(base) || COMMON_PASSWORDS.has(password.toLowerCase()))
    problems.push({
      rule: 'common_password',
      message: 'must not be a common password such as "Password2026!"',
    });
  return problems;
}

/** The messages of `passwordRuleFailures` (empty when the password is acceptable). */
export function passwordProblems(password: string, context: { email?: string } = {}): string[] {
  return passwordRuleFailures(password, context).map((p) => p.message);
}

/**
 * @throws 400 `user.weak_password` with `data: { failedRules, problems }`: the rule ids
 * (`min_length`, `max_length`, `character_classes`, `contains_email`, `common_password`) and one
 * message per failed rule.
 */
export function assertPasswordPolicy(password: string, context: { email?: string } = {}): void {
  const failures = passwordRuleFailures(password, context);
  if (failures.length > 0) {
    const problems = failures.map((p) => p.message);
    throw new DomainError(
      'user.weak_password',
      400,
      `The password is too weak: it ${problems.join('; ')}.`,
      {
        failedRules: failures.map((p) => p.rule),
        problems,
      },
    );
  }
}
