import { WebhookEndpoint } from '../webhook-endpoint.entity';
import { auditSnapshotOf } from './webhook-endpoint.dto';

function endpointAt(url: string): WebhookEndpoint {
  return Object.assign(new WebhookEndpoint(), {
    url,
    eventTypes: ['*'],
    description: '',
    enabled: true,
    disabledReason: null,
  });
}

describe('what the audit trail records of a webhook endpoint', () => {
  it('never the path or query of its URL, where receivers keep their credentials', () => {
    for (const url of [
      'https://hooks.fabrikam.example/services/T0001/B0002/XyZsecretToken123',
      'https://hooks.fabrikam.example/in?code=XyZsecretToken123',
      'https://hooks.fabrikam.example:8443/XyZsecretToken123/',
    ]) {
      const snapshot = auditSnapshotOf(endpointAt(url));
      expect(JSON.stringify(snapshot)).not.toContain('XyZsecretToken123');
      expect(snapshot.url).toMatch(/^https:\/\/hooks\.fabrikam\.example(:8443)?\/\[redacted\]$/);
    }
    expect(auditSnapshotOf(endpointAt('https://hooks.fabrikam.example/')).url).toBe(
      'https://hooks.fabrikam.example/',
    );
  });

  it('tells a changed URL from an unchanged one by its SHA-256', () => {
    const a = auditSnapshotOf(endpointAt('https://hooks.fabrikam.example/a?code=1'));
    const b = auditSnapshotOf(endpointAt('https://hooks.fabrikam.example/a?code=2'));
    expect(a.url).toBe(b.url);
    expect(a.urlSha256).not.toBe(b.urlSha256);
    expect(a.urlSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});
