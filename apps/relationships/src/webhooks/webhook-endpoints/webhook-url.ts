import { DomainError } from '@app/platform';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook never reaches unless the deployment allows private networks: unspecified,
 * loopback, private (RFC 1918, unique local), shared (CGNAT), link-local (cloud metadata at
 * 169.254.169.254), benchmarking, multicast and reserved ranges. The worker refuses the same at
 * connect time (request-filtering-agent, after DNS resolution); this list refuses the literal
 * addresses at registration, so the mistake shows at once.
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  BLOCKED.addSubnet(net, prefix, 'ipv6');
}

/** Whether `address` (an IPv4 or IPv6 literal) is in a refused range (IPv4-mapped IPv6 included). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) return BLOCKED.check(address, 'ipv6');
  return false;
}

/** What the URL rules depend on. */
export interface WebhookUrlPolicy {
  /** `NODE_ENV=production`: only `https` URLs. */
  production: boolean;
  /** `WEBHOOK_ALLOW_PRIVATE_NETWORKS`: literal private and loopback addresses are allowed. */
  allowPrivateNetworks: boolean;
}

/**
 * Check an endpoint URL at registration (issue 14: only HTTPS endpoints in production; no
 * private, loopback or link-local address). Returns the URL as `new URL` writes it.
 * @throws 400 `webhook_endpoint.invalid_url` (not an absolute http(s) URL, or credentials in it),
 *   400 `webhook_endpoint.https_required` (an `http` URL in production), 400
 *   `webhook_endpoint.private_address` (a literal non-public IP address, unless allowed).
 */
export function checkWebhookUrl(value: string, policy: WebhookUrlPolicy): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalidUrl('is not an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw invalidUrl('must be an https URL');
  }
  if (url.username || url.password) throw invalidUrl('must not carry credentials');
  if (url.hash) throw invalidUrl('must not carry a fragment');
  if (policy.production && url.protocol !== 'https:') {
    throw new DomainError(
      'webhook_endpoint.https_required',
      400,
      'Webhook endpoints must use https.',
      { url: url.toString() },
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!policy.allowPrivateNetworks && isNonPublicAddress(host)) {
    throw new DomainError(
      'webhook_endpoint.private_address',
      400,
      'Webhook endpoints must not be on a private, loopback or link-local address.',
      { host },
    );
  }
  return url.toString();
}

function invalidUrl(why: string): DomainError {
  return new DomainError('webhook_endpoint.invalid_url', 400, `The endpoint URL ${why}.`);
}
