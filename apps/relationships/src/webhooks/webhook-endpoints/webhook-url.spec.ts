import { DomainError } from '@app/platform';
import { checkWebhookUrl, isNonPublicAddress } from './webhook-url';

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

  it('accepts public addresses and host names (resolved and checked at send time)', () => {
    for (const url of [
      'https://8.8.8.8/hooks',
      'https://hooks.example.com/x',
      'http://localhost:8080/h',
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
