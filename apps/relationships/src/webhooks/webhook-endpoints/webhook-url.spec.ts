import { DomainError } from '@app/platform';
import { checkWebhookUrl, checkWebhookUrlResolved, isNonPublicAddress } from './webhook-url';

const strict = { production: false, allowPrivateNetworks: false };

function refusal(url: string, policy = strict): string | undefined {
  try {
    checkWebhookUrl(url, policy);
    return undefined;
  } catch (error) {
    return (error as DomainError).code;
  }
}

describe('webhook endpoint URL rules (issue 14: HTTPS in production, no private networks)', () => {
  it('refuses literal loopback, private, link-local and unspecified addresses', () => {
    for (const url of [
      'https://127.0.0.1/hooks',
      'https://10.1.2.3/hooks',
      'https://172.16.0.1/hooks',
      'https://192.168.1.10/hooks',
      'https://169.254.169.254/latest/meta-data',
      'https://100.64.0.1/hooks',
      'https://0.0.0.0/hooks',
      'https://[::1]/hooks',
      'https://[fd00::1]/hooks',
      'https://[fe80::1]/hooks',
      'https://[::ffff:127.0.0.1]/hooks',
      // WHATWG URL parsing turns these spellings of 127.0.0.1 into the dotted form first.
      'https://2130706433/hooks',
      'https://0x7f.1/hooks',
    ]) {
      expect([url, refusal(url)]).toEqual([url, 'webhook_endpoint.private_address']);
    }
  });

  it('refuses every other spelling and range that reaches a non-public address', () => {
    for (const url of [
      // Octal, short and decimal spellings of IPv4 (normalised by WHATWG URL parsing).
      'https://0177.0.0.1/hooks',
      'https://127.1/hooks',
      'https://0/hooks',
      'https://0x0a000001/hooks',
      // IPv6: unspecified, IPv4-compatible and IPv4-mapped in hex, IPv4-translated, NAT64, 6to4,
      // Teredo, site-local, discard, documentation, multicast.
      'https://[::]/hooks',
      'https://[::127.0.0.1]/hooks',
      'https://[::ffff:7f00:1]/hooks',
      'https://[::ffff:8.8.8.8]/hooks',
      'https://[::ffff:0:127.0.0.1]/hooks',
      'https://[64:ff9b::a9fe:a9fe]/hooks',
      'https://[64:ff9b:1::a00:1]/hooks',
      'https://[2002:a9fe:a9fe::1]/hooks',
      'https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hooks',
      'https://[fec0::1]/hooks',
      'https://[100::1]/hooks',
      'https://[2001:db8::1]/hooks',
      'https://[ff02::1]/hooks',
      // IPv4 documentation, 6to4 relay, broadcast.
      'https://192.0.2.10/hooks',
      'https://198.51.100.7/hooks',
      'https://203.0.113.9/hooks',
      'https://192.88.99.1/hooks',
      'https://255.255.255.255/hooks',
      // Names that always are the local machine (RFC 6761).
      'http://localhost:8080/h',
      'https://LOCALHOST./h',
      'https://api.localhost/h',
    ]) {
      expect([url, refusal(url)]).toEqual([url, 'webhook_endpoint.private_address']);
    }
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001::200e']) {
      expect([address, isNonPublicAddress(address)]).toEqual([address, false]);
    }
  });

  it('refuses a host name that resolves to a non-public address, at registration', async () => {
    const resolver = (answers: Record<string, string[]>) => (host: string) =>
      Promise.resolve(answers[host] ?? []);
    const dns = resolver({
      'internal.fabrikam.example': ['10.0.0.5'],
      'mixed.fabrikam.example': ['93.184.215.14', 'fd00::5'],
      'metadata.fabrikam.example': ['169.254.169.254'],
      'public.fabrikam.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
    });
    for (const host of [
      'internal.fabrikam.example',
      'mixed.fabrikam.example',
      'metadata.fabrikam.example',
    ]) {
      await expect(
        checkWebhookUrlResolved(`https://${host}/hooks`, strict, dns),
      ).rejects.toMatchObject({ code: 'webhook_endpoint.private_address', status: 400 });
    }
    for (const host of ['public.fabrikam.example', 'not-yet.fabrikam.example']) {
      await expect(checkWebhookUrlResolved(`https://${host}/hooks`, strict, dns)).resolves.toBe(
        `https://${host}/hooks`,
      );
    }
    await expect(
      checkWebhookUrlResolved(
        'https://internal.fabrikam.example/hooks',
        {
          production: false,
          allowPrivateNetworks: true,
        },
        dns,
      ),
    ).resolves.toBe('https://internal.fabrikam.example/hooks');
  });

  it('accepts public addresses and host names (resolved and checked at send time)', () => {
    for (const url of [
      'https://8.8.8.8/hooks',
      'https://hooks.example.com/x',
      'https://[2606:4700::1111]/x',
    ]) {
      expect(refusal(url)).toBeUndefined();
    }
    expect(isNonPublicAddress('2606:4700::1111')).toBe(false);
  });

  it('allows private addresses only with the allowance', () => {
    expect(
      refusal('http://127.0.0.1:9000/hooks', { production: false, allowPrivateNetworks: true }),
    ).toBeUndefined();
  });

  it('takes only https in production', () => {
    const production = { production: true, allowPrivateNetworks: false };
    expect(refusal('http://hooks.example.com/x', production)).toBe(
      'webhook_endpoint.https_required',
    );
    expect(refusal('https://hooks.example.com/x', production)).toBeUndefined();
  });

  it('refuses what is not an absolute http(s) URL, credentials and fragments', () => {
    for (const url of [
      'hooks.example.com',
      'ftp://hooks.example.com/x',
      'javascript:alert(1)',
      'https://user:pw@hooks.example.com/x',
      'https://hooks.example.com/x#frag',
    ]) {
      expect([url, refusal(url)]).toEqual([url, 'webhook_endpoint.invalid_url']);
    }
  });
});
