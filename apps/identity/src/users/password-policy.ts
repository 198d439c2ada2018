import { badRequest } from '@app/common';

/** Shortest accepted password. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest accepted password (argon2 input bound). */
export const MAX_PASSWORD_LENGTH = 200;

const CLASSES: readonly RegExp[] = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

/**
 * The problems of a chosen password, empty when it is acceptable: at least 12 characters, at most
 * 200, and characters of at least two classes (lower case, upper case, digits, symbols).
 */
export function passwordProblems(password: string): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH)
    problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  if (password.length > MAX_PASSWORD_LENGTH)
    problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
  if (CLASSES.filter((c) => c.test(password)).length < 2)
    problems.push('must mix at least two of: lower case, upper case, digits, symbols');
  return problems;
}

/** @throws 400 `user.weak_password` listing what the password lacks. */
export function assertPasswordPolicy(password: string): void {
  const problems = passwordProblems(password);
  if (problems.length > 0) {
    throw badRequest('user.weak_password', `The password is too weak: it ${problems.join('; ')}.`, {
      problems,
    });
  }
}
