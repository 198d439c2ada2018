import { Readable } from 'node:stream';
import { EmailRenderer, TemplateCatalog } from '@app/email-rendering';
import { LOCALES } from '@app/contracts';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { composerOptions } from './mail-transport';
import { composeMessage } from './mime-message';

const LINK = 'https://partners.example/invitations/accept?token=Zm9vYmFyYmF6cXV4MTIzNDU2';
/** Fixed so that two builds of the same options are the same bytes. */
const FIXED = { date: new Date('2026-12-06T09:30:00.000Z'), baseBoundary: 'spec' };

/**
 * The message `composeMessage` writes (which must not fall back to `build()`) and the one
 * nodemailer's own `build()` streams.
 */
async function bothWays(options: Mail.Options): Promise<[string, string]> {
  const root = new MailComposer({ ...options, ...FIXED }).compile();
  const build = jest.spyOn(root, 'build');
  const ours = await composeMessage(root);
  expect(build).not.toHaveBeenCalled();
  const theirs = await new MailComposer({ ...options, ...FIXED }).compile().build();
  return [ours.toString('latin1'), theirs.toString('latin1')];
}

describe('composeMessage', () => {
  const renderer = new EmailRenderer(TemplateCatalog.load());

  it.each(LOCALES)(
    'writes a rendered reseller relationship request (%s) byte for byte as nodemailer builds it',
    async (locale) => {
      const email = renderer.render(
        'reseller-relationship-request',
        locale,
        {
          partnerName: 'Fabrikam <b>Distribution</b> & Söhne',
          partnerMpnId: '7654321',
          inviterName: 'Dana Smith',
          delegatedAdmin: true,
          customMessage: 'Please accept.\nQuestions: dana@fabrikam.example',
          expiresAt: '2026-12-07T14:00:00.000Z',
        },
        LINK,
      );
      const options = composerOptions(
        {
          to: 'admin@customer.example',
          subject: email.subject,
          text: email.text,
          html: email.html,
          messageId: '<0b7f6c1e-2d4a-4f7e-9c1a-3e5b7d9f1a2c@notifications.example>',
          locale: email.locale,
        },
        'Partner Center <noreply@partners.example>',
      );
      const [ours, theirs] = await bothWays(options);
      expect(ours).toBe(theirs);
      expect(ours).toContain('Content-Type: multipart/alternative');
      expect(ours).toContain(`Content-Language: ${locale}`);
    },
  );

  it.each<[string, Mail.Options]>([
    ['ASCII text and HTML (7bit parts)', { text: 'Hello\r\nWorld', html: '<p>Hello</p>' }],
    ['text with bare LF line breaks', { text: 'one\ntwo\nthree\n', html: '<p>x</p>' }],
    ['non-ASCII text (base64)', { text: 'こんにちは、世界。\n'.repeat(40), html: '<p>日本語</p>' }],
    [
      'mostly ASCII with a few accents',
      { text: `Grüße ${'a'.repeat(300)}`, html: `<p>Grüße ${'b'.repeat(200)}</p>` },
    ],
    [
      'quoted-printable text without a base64 preference (QP parts)',
      { text: `Grüße ${'a'.repeat(300)}`, html: '<p>x</p>', textEncoding: undefined },
    ],
    [
      'lines longer than 998 characters',
      { text: 'x'.repeat(2500), html: `<p>${'y'.repeat(2500)}</p>` },
    ],
    ['text only (a single part)', { text: 'Just text' }],
    ['HTML only, ending without a line break', { html: '<p>ends here</p>' }],
    ['text only, ending with a lone CR', { text: 'ends with CR\r' }],
    ['an empty text part', { text: '', html: '<p>only html</p>' }],
    ['Buffer bodies', { text: Buffer.from('buffer text'), html: Buffer.from('<p>buffer</p>') }],
    [
      'a non-ASCII subject, display names and an internationalized domain',
      {
        subject: `招待状: ${'再販業者関係のリクエスト '.repeat(6)}`,
        from: 'Ünïcode Sender <noreply@partners.example>',
        to: 'Customer Admin <admin@bücher.example>',
      },
    ],
    [
      'an attachment from a string (multipart/mixed around multipart/alternative)',
      { attachments: [{ filename: 'notes.txt', content: 'attached text' }] },
    ],
  ])('writes %s as nodemailer builds it', async (_case, overrides) => {
    const options: Mail.Options = {
      from: 'noreply@partners.example',
      to: 'admin@customer.example',
      subject: 'Invitation',
      messageId: '<spec@notifications.example>',
      headers: { 'Content-Language': 'en' },
      textEncoding: 'base64',
      ...overrides,
    };
    const [ours, theirs] = await bothWays(options);
    expect(ours).toBe(theirs);
    expect(ours.endsWith('\n')).toBe(true);
  });

  it('builds a message whose body comes from a stream the way nodemailer does', async () => {
    const options: Mail.Options = {
      from: 'noreply@partners.example',
      to: 'admin@customer.example',
      subject: 'Streamed',
      text: 'plain',
      attachments: [{ filename: 'a.txt', content: Readable.from([Buffer.from('streamed body')]) }],
    };
    const root = new MailComposer({ ...options, ...FIXED }).compile();
    const build = jest.spyOn(root, 'build');
    const ours = (await composeMessage(root)).toString();
    expect(build).toHaveBeenCalledTimes(1);
    expect(ours).toContain('Content-Disposition: attachment; filename=a.txt');
    expect(ours).toContain(Buffer.from('streamed body').toString('base64'));
  });
});
