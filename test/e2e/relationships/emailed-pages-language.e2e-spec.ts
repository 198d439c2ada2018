import {
  api,
  bearer,
  enrollPartner,
  establishPartnership,
  expectStatus,
  linkIn,
  uniqueName,
  waitForEmailCarrying,
  waitForEmailWhere,
  type EnrolledPartner,
  type PartnershipRequestSent,
} from '../support';
import { createGdap, gdapBody, gdapRequest, getGdap, ROLE } from '../support/relationships/gdap';
import {
  expectHtmlPage,
  latinWordsOf,
  languageSwitchOf,
  openHtmlPage,
  submitHtmlForm,
} from '../support/html-pages';

/**
 * Issue 12: the pages relationships' emails link to besides the reseller relationship invitation
 * (`relationship-invitation-language.e2e-spec.ts`): the partnership invitation and the delegated
 * admin relationship approval. Opened from a Japanese email (read from MailDev) they are Japanese
 * with no English sentence, switch to English, and their forms answer in Japanese; opened from an
 * English email they are English.
 */

/** `provider` asks `reseller` for a partnership in `locale`; the delivered email's link. */
async function partnershipLink(
  provider: EnrolledPartner,
  reseller: EnrolledPartner,
  locale: 'en' | 'ja',
): Promise<string> {
  const sent = expectStatus<PartnershipRequestSent>(
    await api('relationships')
      .post('/v1/partnership-requests')
      .set(bearer(provider.token))
      .send({ email: reseller.email, locale }),
    201,
  );
  return linkIn(await waitForEmailCarrying(reseller.email, sent.draft.link));
}

/** `provider` asks `reseller` for a delegated admin relationship; the approval email's link. */
async function approvalLink(
  provider: EnrolledPartner,
  reseller: EnrolledPartner,
): Promise<{ id: string; link: string; displayName: string }> {
  const created = await createGdap(
    provider.token,
    gdapBody(reseller.tenantId, {
      duration: 'P30D',
      accessDetails: { unifiedRoles: [{ roleDefinitionId: ROLE.userAdministrator }] },
    }),
  );
  expectStatus(await gdapRequest(provider.token, created.id, 'lockForApproval'), 201);
  const email = await waitForEmailWhere({ to: reseller.email }, (received) =>
    received.text.includes(created.displayName),
  );
  return { id: created.id, link: linkIn(email), displayName: created.displayName };
}

describe('the partnership and delegated admin approval pages in the email’s language', () => {
  let provider: EnrolledPartner;
  let jaReseller: EnrolledPartner;
  let enReseller: EnrolledPartner;

  beforeAll(async () => {
    [provider, jaReseller, enReseller] = await Promise.all([
      enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
      enrollPartner({
        partnerType: 'indirect_reseller',
        name: uniqueName('Fabrikam'),
        locale: 'ja',
      }),
      enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Wingtip') }),
    ]);
  }, 180_000);

  it('partnership invitation: a Japanese email opens a Japanese page, switchable to English; a refusal and the authorization answer in Japanese', async () => {
    const link = await partnershipLink(provider, jaReseller, 'ja');
    const page = expectHtmlPage(await openHtmlPage(link), 200);
    expect(page.html).toContain('<html lang="ja">');
    expect(page.text).toContain('間接プロバイダーの承認');
    expect(page.text).toContain('間接プロバイダーを承認する');
    expect(
      // The inviter is the provider's Global admin, Alex Admin (data, as the names).
      latinWordsOf(
        page,
        [provider.name, provider.mpnId, provider.country, 'Alex Admin'],
        ['MPN', 'ID'],
      ),
    ).toEqual([]);

    const english = expectHtmlPage(await openHtmlPage(languageSwitchOf(page, 'en')), 200);
    expect(english.html).toContain('<html lang="en">');
    expect(english.text).toContain('Authorize an indirect provider');

    const refused = expectHtmlPage(
      await submitHtmlForm(page, {
        email: jaReseller.email,
        password: 'not the password',
        authorize: 'true',
      }),
      401,
    );
    expect(refused.html).toContain('<html lang="ja">');
    expect(refused.text).toContain('メール アドレスまたはパスワードが正しくありません。');

    const done = expectHtmlPage(
      await submitHtmlForm(page, {
        email: jaReseller.email,
        password: jaReseller.password,
        authorize: 'true',
      }),
      200,
    );
    expect(done.html).toContain('<html lang="ja">');
    expect(done.text).toContain('間接プロバイダーになりました');
    expect(latinWordsOf(done, [provider.name, provider.mpnId], ['ID'])).toEqual([]);

    // The spent link says why in Japanese (the invitation's language).
    const used = expectHtmlPage(await openHtmlPage(link, 'ja'), 409);
    expect(used.html).toContain('<html lang="ja">');
    expect(used.text).toContain('この招待はすでに承認されています');
  });

  it('partnership invitation: an English email opens an English page', async () => {
    const link = await partnershipLink(provider, enReseller, 'en');
    const page = expectHtmlPage(await openHtmlPage(link, 'ja-JP,ja;q=0.9'), 200);
    expect(page.html).toContain('<html lang="en">');
    expect(page.text).toContain(`${provider.name} invites your organisation to a partnership`);
    expect(languageSwitchOf(page, 'ja')).toContain('lang=ja');
    const done = expectHtmlPage(
      await submitHtmlForm(page, {
        email: enReseller.email,
        password: enReseller.password,
        authorize: 'true',
      }),
      200,
    );
    expect(done.text).toContain('is now your indirect provider');
  });

  describe('delegated admin approval', () => {
    beforeAll(async () => {
      await Promise.all([
        establishPartnership(provider, jaReseller).catch(() => undefined),
        establishPartnership(provider, enReseller).catch(() => undefined),
      ]);
    }, 120_000);

    it('a Japanese Global admin’s email opens a Japanese page with the roles in Japanese; approving answers in Japanese', async () => {
      const { id, link, displayName } = await approvalLink(provider, jaReseller);
      expect(new URL(link).searchParams.get('lang')).toBe('ja');
      const page = expectHtmlPage(await openHtmlPage(link), 200);
      expect(page.html).toContain('<html lang="ja">');
      expect(page.text).toContain('委任された管理者の関係の承認');
      expect(page.text).toContain('すべて承認する');
      expect(page.text).not.toContain('User Administrator');
      expect(
        latinWordsOf(page, [provider.name, jaReseller.name, displayName, 'P30D'], ['ISO', 'ID']),
      ).toEqual([]);

      const english = expectHtmlPage(await openHtmlPage(languageSwitchOf(page, 'en')), 200);
      expect(english.text).toContain('Approve a delegated admin relationship');
      expect(english.text).toContain('User Administrator');

      const done = expectHtmlPage(
        await submitHtmlForm(page, {
          email: jaReseller.email,
          password: jaReseller.password,
          decision: 'approve',
        }),
        200,
      );
      expect(done.html).toContain('<html lang="ja">');
      expect(done.text).toContain('関係を承認しました');
      expect((await getGdap(provider.token, id)).status).toBe('active');
    });

    it('an English Global admin’s email opens an English page', async () => {
      const { id, link } = await approvalLink(provider, enReseller);
      expect(new URL(link).searchParams.get('lang')).toBe('en');
      const page = expectHtmlPage(await openHtmlPage(link), 200);
      expect(page.html).toContain('<html lang="en">');
      expect(page.text).toContain('Approve a delegated admin relationship');
      expect(page.text).toContain('User Administrator');
      const done = expectHtmlPage(
        await submitHtmlForm(page, {
          email: enReseller.email,
          password: enReseller.password,
          decision: 'reject',
        }),
        200,
      );
      expect(done.text).toContain('Relationship rejected');
      expect((await getGdap(provider.token, id)).status).not.toBe('active');
    });
  });
});
