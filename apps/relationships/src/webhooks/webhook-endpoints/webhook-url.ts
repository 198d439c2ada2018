import { DomainError } from '@app/platform';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Addresses a webhook never reaches unless the deployment allows private networks: every range
 * that is not global unicast. The worker refuses the same at connect time (request-filtering-agent
 * refuses whatever ipaddr.js does not call `unicast`, after DNS resolution, plus
 * {@link SEND_TIME_DENIED_RANGES}); this list is that set, so that registration refuses a literal
 * address at once that the worker would refuse at every attempt. IPv4: unspecified, private (RFC
 * 1918), shared (CGNAT), loopback, link-local (cloud metadata at 169.254.169.254), IETF protocol
 * assignments, documentation (TEST-NET-1/2/3), 6to4 relay anycast, AS112, AMT, benchmarking,
 * multicast, reserved and broadcast. IPv6: the whole `::/96` (unspecified, loopback and the
 * deprecated IPv4-compatible `::a.b.c.d`, which some stacks still route to IPv4), IPv4-mapped and
 * IPv4-translated (`::ffff:a.b.c.d`, `::ffff:0:a.b.c.d`), NAT64 (`64:ff9b::/96`, `64:ff9b:1::/48`:
 * they reach an IPv4 address through the operator's translator), discard, IETF assignments
 * (Teredo, benchmarking, AMT, AS112, ORCHID), documentation, 6to4 (`2002::/16` embeds an IPv4
 * address), unique local, site-local, link-local and multicast.
 */
const BLOCKED_RANGES: readonly (readonly [string, number, 'ipv4' | 'ipv6'])[] = [
  ['0.0.0.0', 8, 'ipv4'],
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'],
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'],
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.31.196.0', 24, 'ipv4'],
  ['192.52.193.0', 24, 'ipv4'],
  ['192.88.99.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['192.175.48.0', 24, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['224.0.0.0', 4, 'ipv4'],
  ['240.0.0.0', 4, 'ipv4'],
  ['::', 96, 'ipv6'],
  ['::ffff:0:0:0', 96, 'ipv6'],
  ['64:ff9b::', 96, 'ipv6'],
  ['64:ff9b:1::', 48, 'ipv6'],
  ['100::', 64, 'ipv6'],
  ['2001::', 23, 'ipv6'],
  ['2001:db8::', 32, 'ipv6'],
  ['2002::', 16, 'ipv6'],
  ['2620:4f:8000::', 48, 'ipv6'],
  ['3fff::', 20, 'ipv6'],
  ['fc00::', 7, 'ipv6'],
  ['fe80::', 10, 'ipv6'],
  ['fec0::', 10, 'ipv6'],
  ['ff00::', 8, 'ipv6'],
];
const BLOCKED = new BlockList();
for (const [net, prefix, family] of BLOCKED_RANGES) BLOCKED.addSubnet(net, prefix, family);
/**
 * IPv4-mapped IPv6 (`::ffff:0:0/96`), every one refused (the worker refuses them all). A list of
 * its own, checked for IPv6 addresses only: Node's BlockList matches IPv4 addresses against an
 * IPv4-mapped rule, so in `BLOCKED` it would refuse every IPv4 address.
 */
const MAPPED = new BlockList();
MAPPED.addSubnet('::ffff:0:0', 96, 'ipv6');

/**
 * Ranges ipaddr.js calls `unicast` that the worker must refuse all the same (given to
 * request-filtering-agent as `denyIPAddressList` when private networks are not allowed): the
 * IPv4-compatible `::a.b.c.d` (`::/96`, e.g. `::7f00:1` for 127.0.0.1) and the IPv6
 * documentation prefix `3fff::/20`.
 */
export const SEND_TIME_DENIED_RANGES: readonly string[] = ['::/96', '3fff::/20'];

/** Whether `address` (an IPv4 or IPv6 literal) is in a refused range (IPv4-mapped IPv6 included). */
export function isNonPublicAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return true;
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) return MAPPED.check(address, 'ipv6') || BLOCKED.check(address, 'ipv6');
  return false;
}

/**
 * Host names that always name the local machine (RFC 6761 `localhost` and `*.localhost`, with or
 * without the final dot): refused at registration like a loopback address.
 */
function isLocalhostName(host: string): boolean {
  return /(^|\.)localhost\.?$/i.test(host);
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
  if (!policy.allowPrivateNetworks && (isNonPublicAddress(host) || isLocalhostName(host))) {
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

/** The addresses a host name resolves to (empty when it does not resolve). */
export type HostResolver = (host: string) => Promise<string[]>;

/** How long registration waits for DNS before accepting the name (checked again at send time). */
const RESOLVE_TIMEOUT_MS = 2000;

/**
 * The system resolver (`getaddrinfo`, so /etc/hosts and container names count, as they do for the
 * worker's connections), every address of both families; empty on failure or after
 * {@link RESOLVE_TIMEOUT_MS}.
 */
export const systemResolver: HostResolver = async (host) => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), RESOLVE_TIMEOUT_MS);
  });
  const resolved = lookup(host, { all: true, verbatim: true }).then(
    (found) => found.map((entry) => entry.address),
    () => [],
  );
  try {
    return await Promise.race([resolved, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

/**
 * {@link checkWebhookUrl}, then, without the allowance for private networks, the host name
 * resolved now: a name any of whose addresses is refused (see `isNonPublicAddress`; e.g. an
 * internal service name, or a public name pointing at 10.0.0.5) is refused at registration, as the
 * worker would refuse every attempt. A name that does not resolve yet is accepted: the worker
 * checks the address at every connection (DNS rebinding after registration is caught there).
 * @throws as `checkWebhookUrl`; 400 `webhook_endpoint.private_address` for such a name.
 */
export async function checkWebhookUrlResolved(
  value: string,
  policy: WebhookUrlPolicy,
  resolve: HostResolver = systemResolver,
): Promise<string> {
  const checked = checkWebhookUrl(value, policy);
  if (policy.allowPrivateNetworks) return checked;
  const host = new URL(checked).hostname;
  if (host.startsWith('[') || isIP(host) !== 0) return checked;
  const refused = (await resolve(host)).filter((address) => isNonPublicAddress(address));
  if (refused.length > 0) {
    throw new DomainError(
      'webhook_endpoint.private_address',
      400,
      'Webhook endpoints must not be on a private, loopback or link-local address: the host name resolves to one.',
      { host, address: refused[0] },
    );
  }
  return checked;
}
