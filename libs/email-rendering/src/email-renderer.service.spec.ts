import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError } from '@app/platform';
import { LOCALES, TEMPLATES_WITH_LINK, TEMPLATE_IDS, TemplateId } from '@app/contracts';
import { EmailRenderer } from './email-renderer.service';
import { DEFAULT_TEMPLATES_DIR, TemplateCatalog } from './template-catalog';

const LINK = 'https://partners.example/invitations/accept?token=Zm9vYmFyYmF6cXV4MTIzNDU2';
const XSS = '<script>alert(1)</script>';

/** Sample data per template, covering each branch (statuses, with and without delegated admin). */
const SAMPLES: Record<TemplateId, Record<string, unknown>[]> = {
  'enrollment-verification': [
    {
      legalName: `Contoso ${XSS} Distribution`,
      contactName: 'Avery Howard',
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'enrollment-status': [
    { legalName: `Fabrikam ${XSS}`, contactName: 'Dana Smith', status: 'in_review' },
    { legalName: 'Fabrikam', contactName: 'Dana Smith', status: 'active' },
    {
      legalName: 'Fabrikam',
      contactName: 'Dana Smith',
      status: 'active',
      reason: `Welcome aboard ${XSS}`,
    },
    {
      legalName: 'Fabrikam',
      contactName: 'Dana Smith',
      status: 'rejected',
      reason: `The Partner ID does not match.\nPlease check ${XSS}`,
    },
  ],
  'primary-contact-verification': [
    {
      legalName: `Contoso ${XSS} Distribution`,
      contactName: 'Robin Primary',
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'sign-in-email-verification': [
    {
      organizationName: `Contoso ${XSS} Distribution`,
      firstName: 'Uma',
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'password-reset': [
    {
      organizationName: `Northwind ${XSS} Traders`,
      firstName: 'Casey',
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'account-exists-notice': [
    { attempt: 'partner-enrollment', attemptedAt: '2026-11-30T09:30:00.000Z' },
    { attempt: 'customer-signup', attemptedAt: '2026-11-30T09:30:00.000Z' },
  ],
  'partnership-request': [
    {
      providerName: `Contoso ${XSS} Distribution`,
      providerMpnId: '1234567',
      inviterName: 'Avery Howard',
      customMessage: `Hi Fabrikam team,\r\nwe look forward to working with you.\n${XSS}`,
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
    {
      providerName: 'Contoso Distribution',
      providerMpnId: '1234567',
      inviterName: 'Avery Howard',
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'reseller-relationship-request': [
    {
      partnerName: `Fabrikam ${XSS}`,
      partnerMpnId: '7654321',
      inviterName: 'Dana Smith',
      delegatedAdmin: true,
      customMessage: `Please accept.\n${XSS}`,
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
    {
      partnerName: 'Fabrikam',
      partnerMpnId: '7654321',
      inviterName: 'Dana Smith',
      delegatedAdmin: false,
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'joint-reseller-relationship-request': [
    {
      resellerName: `Fabrikam ${XSS}`,
      resellerMpnId: '7654321',
      providerName: 'Contoso Distribution',
      providerMpnId: '1234567',
      inviterName: 'Dana Smith',
      delegatedAdmin: true,
      customMessage: 'Welcome aboard.',
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
    {
      resellerName: 'Fabrikam',
      resellerMpnId: '7654321',
      providerName: 'Contoso Distribution',
      providerMpnId: '1234567',
      inviterName: 'Dana Smith',
      delegatedAdmin: false,
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'invitation-accepted': [
    {
      inviterName: 'Avery Howard',
      invitationKind: 'partnership',
      acceptedByOrganization: `Fabrikam ${XSS}`,
      acceptedAt: '2026-11-30T09:30:00.000Z',
    },
    {
      inviterName: 'Dana Smith',
      invitationKind: 'reseller-relationship',
      acceptedByOrganization: 'Northwind Traders',
      acceptedAt: '2026-11-30T09:30:00.000Z',
    },
  ],
  'webhook-endpoint-disabled': [
    {
      organizationName: `Contoso ${XSS}`,
      endpointUrl: 'https://hooks.contoso.example/channel',
      endpointId: '0b4d4f4e-2a39-4c59-9d43-7a4f0f3f5b11',
      failingSince: '2026-11-27T09:30:00.000Z',
      failingHours: 72,
      lastError: 'HTTP 503',
    },
    {
      organizationName: 'Northwind Traders',
      endpointUrl: 'https://erp.northwind.example/hooks',
      endpointId: '5f0c7f0e-8d4b-4f0e-9a43-2c1d3b4a5e66',
      failingSince: '2026-11-27T09:30:00.000Z',
      failingHours: 80,
    },
  ],
  'gdap-approval-request': [
    {
      partnerName: `Fabrikam ${XSS}`,
      relationshipName: 'Northwind user admin',
      duration: 'P30D',
      roles: [{ name: 'User Administrator', description: `Create users ${XSS}` }],
      expiresAt: '2026-12-07T14:00:00.000Z',
    },
  ],
  'gdap-approved': [
    {
      customerName: `Northwind ${XSS}`,
      relationshipName: 'Northwind user admin',
      approvedAt: '2026-12-05T10:00:00.000Z',
      endDateTime: '2027-01-04T10:00:00.000Z',
    },
  ],
  'gdap-rejected': [
    {
      customerName: `Northwind ${XSS}`,
      relationshipName: 'Northwind user admin',
      rejectedAt: '2026-12-05T10:00:00.000Z',
    },
  ],
  'gdap-expiry-notice': [
    {
      partnerName: 'Fabrikam',
      customerName: `Northwind ${XSS}`,
      relationshipName: 'Northwind user admin',
      endDateTime: '2027-01-04T10:00:00.000Z',
      daysAhead: 30,
    },
    {
      partnerName: 'Fabrikam',
      customerName: 'Northwind',
      relationshipName: 'Northwind user admin',
      endDateTime: '2027-01-04T10:00:00.000Z',
      daysAhead: 1,
    },
  ],
  'gdap-terminated': [
    {
      partnerName: 'Fabrikam',
      customerName: `Northwind ${XSS}`,
      relationshipName: 'Northwind user admin',
      terminatedAt: '2026-12-05T10:00:00.000Z',
      terminatedBy: 'partner',
    },
    {
      partnerName: 'Fabrikam',
      customerName: 'Northwind',
      relationshipName: 'Northwind user admin',
      terminatedAt: '2026-12-05T10:00:00.000Z',
      terminatedBy: 'customer',
    },
  ],
};

const decodeEntities = (s: string) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;|&#39;/g, "'")
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');

/** The static words of a render: tags, URLs and every data value removed. */
function staticText(rendered: string, data: Record<string, unknown>, html: boolean): string {
  let text = html ? decodeEntities(rendered.replace(/<[^>]*>/g, ' ')) : rendered;
  const strings = (v: unknown): string[] =>
    typeof v === 'string'
      ? [v]
      : Array.isArray(v)
        ? v.flatMap(strings)
        : v && typeof v === 'object'
          ? Object.values(v).flatMap(strings)
          : [];
  const values = Object.values(data)
    .flatMap(strings)
    .flatMap((v) => [v, ...v.split(/\r?\n|\r/)])
    .sort((a, b) => b.length - a.length);
  for (const value of values) if (value) text = text.split(value).join(' ');
  return text.replace(/https?:\/\/\S+/g, ' ');
}

describe('EmailRenderer', () => {
  const renderer = new EmailRenderer(TemplateCatalog.load());

  const cases = TEMPLATE_IDS.flatMap((template) =>
    LOCALES.flatMap((locale) =>
      SAMPLES[template].map((data, i) => ({ template, locale, data, i })),
    ),
  );

  it('has sample data for every template', () => {
    for (const template of TEMPLATE_IDS) expect(SAMPLES[template].length).toBeGreaterThan(0);
  });

  it.each(cases)('renders $template ($locale, sample $i)', ({ template, locale, data }) => {
    const link = TEMPLATES_WITH_LINK.has(template) ? LINK : undefined;
    const email = renderer.render(template, locale, data, link);

    expect(email.locale).toBe(locale);
    expect(email.subject.trim().length).toBeGreaterThan(0);
    expect(email.text.trim().length).toBeGreaterThan(0);
    expect(email.html.trim().length).toBeGreaterThan(0);
    expect(email.subject).not.toMatch(/[\r\n]/);
    expect(email.html).toContain(`<html lang="${locale}">`);

    if (link) {
      expect(email.text).toContain(link);
      expect(email.html).toContain(`href="${link}"`);
    }

    // Data is escaped in HTML, never interpreted.
    expect(email.html).not.toMatch(/<script/i);
    if (JSON.stringify(data).includes('<script>')) {
      expect(email.html).toContain('&lt;script&gt;');
    }

    if (locale === 'ja') {
      for (const [part, html] of [
        [email.subject, false],
        [email.text, false],
        [email.html, true],
      ] as const) {
        // Written in Japanese, with no English left over in the template's own words.
        expect(staticText(part, data, html)).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
        const leftover = staticText(part, data, html).match(/[A-Za-z]{4,}/g);
        expect(leftover).toBeNull();
      }
    }
  });

  it('shows the expiry date of every invitation', () => {
    for (const template of TEMPLATES_WITH_LINK) {
      const en = renderer.render(template, 'en', SAMPLES[template][0], LINK);
      const ja = renderer.render(template, 'ja', SAMPLES[template][0], LINK);
      expect(en.text).toContain('December 7, 2026');
      expect(ja.text).toContain('2026年12月7日');
    }
  });

  it('keeps the line breaks of the custom message: <br> in HTML, newlines in text', () => {
    const email = renderer.render(
      'partnership-request',
      'en',
      { ...SAMPLES['partnership-request'][1], customMessage: 'Line one\r\nLine <b>two</b>' },
      LINK,
    );
    expect(email.html).toContain('Line one<br>\nLine &lt;b&gt;two&lt;/b&gt;');
    expect(email.text).toContain('Line one\nLine <b>two</b>');
    expect(email.text).not.toContain('\r');
  });

  it.each([
    ['partnership-request', 1],
    ['reseller-relationship-request', 1],
    ['joint-reseller-relationship-request', 1],
  ] as const)(
    'never makes a link of the custom message of %s, in HTML or text, in either language',
    (template, sample) => {
      const customMessage =
        'Sign in at https://evil.example/login?next=x or www.evil.example,\nwrite to boss@evil.example. <a href="https://evil.example">here</a>';
      for (const locale of LOCALES) {
        const email = renderer.render(
          template,
          locale,
          { ...SAMPLES[template][sample], customMessage },
          LINK,
        );
        // The only links are the invitation's own (the button and its copy).
        const hrefs = [...email.html.matchAll(/<a\b[^>]*href="([^"]*)"/g)].map((m) => m[1]);
        expect(hrefs.length).toBeGreaterThan(0);
        expect(hrefs.every((href) => href === LINK)).toBe(true);
        for (const part of [email.html, email.text]) {
          // Nothing a mail client would recognize as a URL, a domain or an address.
          expect(part).not.toMatch(/evil\.example|https:\/\/evil|www\.evil|boss@evil/);
        }
        expect(email.html).toContain(
          'https:&#8288;//evil.&#8288;example/login?next&#x3D;x or www.&#8288;evil.&#8288;example,<br>',
        );
        expect(email.html).toContain(
          '&lt;a href&#x3D;&quot;https:&#8288;//evil.&#8288;example&quot;&gt;here&lt;/a&gt;',
        );
        expect(email.text).toContain(
          'Sign in at https:\u2060//evil.\u2060example/login?next=x or www.\u2060evil.\u2060example,\nwrite to boss@\u2060evil.\u2060example.',
        );
      }
    },
  );

  it('keeps subjects on one line whatever the data holds', () => {
    const email = renderer.render(
      'partnership-request',
      'en',
      { ...SAMPLES['partnership-request'][1], providerName: 'Contoso\r\nBcc: victim@example.com' },
      LINK,
    );
    expect(email.subject).toBe(
      'Contoso Bcc: victim@example.com invites you to authorize it as your indirect provider',
    );
  });

  it('describes what authorizing an indirect provider grants', () => {
    const { text } = renderer.render(
      'partnership-request',
      'en',
      SAMPLES['partnership-request'][1],
      LINK,
    );
    expect(text).toContain('submit orders and add subscriptions on behalf of your customers');
    expect(text).toContain('administrator access to your organization');
    expect(text).toContain('Authorize indirect provider');
  });

  it('mentions delegated admin privileges and the Customer Agreement only where they apply', () => {
    const [withDap, withoutDap] = SAMPLES['reseller-relationship-request'];
    const a = renderer.render('reseller-relationship-request', 'en', withDap, LINK);
    const b = renderer.render('reseller-relationship-request', 'en', withoutDap, LINK);
    expect(a.text).toContain('delegated admin privileges');
    expect(b.text).not.toContain('delegated admin privileges');
    expect(a.text).toContain('Customer Agreement');
  });

  it('tells the primary contact the reason of a decision, approval or rejection', () => {
    for (const sample of SAMPLES['enrollment-status'].filter((d) => d.reason)) {
      for (const locale of LOCALES) {
        const email = renderer.render('enrollment-status', locale, sample);
        expect(email.text).toContain(String(sample.reason).split('\n')[0]);
      }
    }
  });

  it('names no detail of the attempt in the account-exists notice, and says how to get in', () => {
    const { subject, text } = renderer.render(
      'account-exists-notice',
      'en',
      SAMPLES['account-exists-notice'][0],
    );
    expect(subject).toBe('Someone tried to enroll a partner with your email address');
    expect(text).toContain('November 30, 2026 at 09:30 UTC');
    expect(text).toContain('nothing was created');
    expect(text).toContain('reset it');
  });

  it('refuses a link template without its link', () => {
    expect(() =>
      renderer.render('partnership-request', 'en', SAMPLES['partnership-request'][1]),
    ).toThrow(expect.objectContaining({ code: 'email.link_required', status: 400 }));
  });

  it('refuses a link that is not an http(s) URL', () => {
    const call = () =>
      renderer.render(
        'partnership-request',
        'en',
        SAMPLES['partnership-request'][1],
        'javascript:alert(1)',
      );
    expect(call).toThrow(DomainError);
    expect(call).toThrow(expect.objectContaining({ code: 'email.link_invalid' }));
  });

  it('refuses data that does not match the template schema', () => {
    expect(() =>
      renderer.render('enrollment-status', 'en', { legalName: 'X', status: 'unknown' }),
    ).toThrow(expect.objectContaining({ code: 'email.data_invalid', status: 400 }));
  });

  describe('with a copy of the templates', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'notif-templates-'));
      cpSync(DEFAULT_TEMPLATES_DIR, dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('falls back to English when a locale file is missing', () => {
      rmSync(join(dir, 'invitation-accepted', 'ja.html.hbs'));
      const email = new EmailRenderer(TemplateCatalog.load(dir)).render(
        'invitation-accepted',
        'ja',
        SAMPLES['invitation-accepted'][1],
      );
      expect(email.locale).toBe('en');
      expect(email.subject).toBe('Northwind Traders accepted your reseller relationship request');
      expect(email.html).toContain('<html lang="en">');
    });

    it('refuses to load a template that uses {{{ }}}', () => {
      writeFileSync(join(dir, 'invitation-accepted', 'en.html.hbs'), '<p>{{{inviterName}}}</p>');
      expect(() => TemplateCatalog.load(dir)).toThrow(/only \{\{ \}\} is allowed/);
    });

    it('refuses to boot without an English file', () => {
      rmSync(join(dir, 'partnership-request', 'en.subject.hbs'));
      rmSync(join(dir, 'partnership-request', 'ja.subject.hbs'));
      expect(() => TemplateCatalog.load(dir)).toThrow(/en\.subject\.hbs is missing/);
    });
  });
});
