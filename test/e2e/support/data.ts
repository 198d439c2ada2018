import { randomBytes, randomInt } from 'node:crypto';

let counter = 0;

/** A short string unique within the run (and, with overwhelming odds, across runs). */
export function uniqueSuffix(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A unique organisation or person name, e.g. `Contoso Distribution lz3k1a9f3c2`. */
export function uniqueName(base: string): string {
  return `${base} ${uniqueSuffix()}`;
}

/**
 * A unique email address on a company domain (never a web-based mail service), e.g.
 * `admin.lz3k1a9f3c2@contoso-lz3k1a9f3c2.example`.
 */
export function uniqueEmail(local = 'user', company = 'contoso'): string {
  const suffix = uniqueSuffix();
  return `${local}.${suffix}@${company}-${suffix}.example`;
}

/** A unique Partner ID (MPN ID): 10 digits. */
export function uniqueMpnId(): string {
  return String(randomInt(1_000_000_000, 10_000_000_000));
}

/** A unique default-domain prefix for a customer (`<prefix>.<suffix>`): lower-case letters and digits. */
export function uniqueDomainPrefix(base = 'customer'): string {
  return `${base}${uniqueSuffix()}`
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
    .slice(0, 40);
}

/** A password that satisfies the password policy (12+ characters, several classes). */
export function strongPassword(): string {
  return `Pw-${randomBytes(9).toString('base64url')}-9a`;
}

/** A street address in `country` (ISO 3166-1 alpha-2). */
export function addressIn(country: string): {
  addressLine1: string;
  city: string;
  postalCode: string;
  country: string;
} {
  return { addressLine1: '1 Main Street', city: 'Springfield', postalCode: '12345', country };
}
