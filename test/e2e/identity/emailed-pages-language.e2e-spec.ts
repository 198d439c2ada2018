import {
  addressIn,
  api,
  bearer,
  enroll,
  enrollPartner,
  expectStatus,
  linkIn,
  resellerEnrollmentBody,
  signIn,
  strongPassword,
  uniqueDomainPrefix,
  uniqueEmail,
  uniqueName,
  waitForEmail,
} from '../support';
import {
  expectHtmlPage,
  latinWordsOf,
  languageSwitchOf,
  openHtmlPage,
  submitHtmlForm,
} from '../support/html-pages';

/**
 * Issue 12: the pages identity's emails link to (enrollment verification, primary contact
 * verification, sign-in address verification, password reset) in the email's language: opened
 * from a Japanese email (read from MailDev) they are Japanese, with no English sentence, a switch
 * to English, and forms that keep Japanese; opened from an English email they are English; a link
 * without a language follows the browser's.
 */

/** `POST /v1/customer-signups` in `locale`; its name, its Global admin's address and password. */
async function signUpIn(
  locale: 'en' | 'ja',
): Promise<{ companyName: string; email: string; password: string }> {
  const companyName = uniqueName('Northwind Traders');
  const email = uniqueEmail('admin', 'northwind');
  const password = strongPassword();
  expectStatus(
    await api('identity')
      .post('/v1/customer-signups')
      .send({
        companyName,
        address: addressIn('JP'),
        country: 'JP',
        cloud: 'public',
        domainPrefix: uniqueDomainPrefix('northwind'),
        locale,
        globalAdmin: { firstName: 'Nao', lastName: 'Admin', email, password },
      }),
    201,
  );
  return { companyName, email, password };
}

describe('identity’s emailed pages in the email’s language', () => {
  it('enrollment verification: a Japanese email opens a Japanese page, switchable to English, whose button answers in Japanese', async () => {
    const body = resellerEnrollmentBody('ja');
    await enroll(body);
    const email = await waitForEmail({ to: body.primaryContact.email });
    const link = linkIn(email);
    expect(new URL(link).searchParams.get('lang')).toBe('ja');

    const page = expectHtmlPage(await openHtmlPage(link), 200);
    expect(page.html).toContain('<html lang="ja">');
    expect(page.text).toContain('メール アドレスの確認');
    expect(page.text).toContain('メール アドレスを確認する');
    expect(latinWordsOf(page, [body.legalBusinessName])).toEqual([]);

    const english = expectHtmlPage(await openHtmlPage(languageSwitchOf(page, 'en')), 200);
    expect(english.html).toContain('<html lang="en">');
    expect(english.text).toContain('Verify your email address');

    const done = expectHtmlPage(await submitHtmlForm(page), 200);
    expect(done.html).toContain('<html lang="ja">');
    expect(done.text).toContain('メール アドレスを確認しました');
    expect(latinWordsOf(done, [body.legalBusinessName])).toEqual([]);

    // The spent link says so in Japanese too.
    const used = expectHtmlPage(await openHtmlPage(link), 410);
    expect(used.text).toContain('リンクは使用済みです');
  });

  it('enrollment verification: an English email opens an English page', async () => {
    const body = resellerEnrollmentBody('en');
    await enroll(body);
    const link = linkIn(await waitForEmail({ to: body.primaryContact.email }));
    expect(new URL(link).searchParams.get('lang')).toBe('en');
    const page = expectHtmlPage(await openHtmlPage(link), 200);
    expect(page.html).toContain('<html lang="en">');
    expect(page.text).toContain('Verify your email address');
    expect(languageSwitchOf(page, 'ja')).toContain('lang=ja');
  });

  it('primary contact verification: the new contact of a Japanese partner gets a Japanese page', async () => {
    const partner = await enrollPartner({ partnerType: 'indirect_reseller', locale: 'ja' });
    const next = uniqueEmail('successor', 'contoso');
    expectStatus(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(partner.token))
        .send({ primaryContact: { email: next, name: 'Sasha Successor' } }),
      200,
    );
    const link = linkIn(await waitForEmail({ to: next }));
    expect(new URL(link).searchParams.get('lang')).toBe('ja');
    const page = expectHtmlPage(await openHtmlPage(link), 200);
    expect(page.html).toContain('<html lang="ja">');
    expect(latinWordsOf(page, [partner.name])).toEqual([]);
    const done = expectHtmlPage(await submitHtmlForm(page), 200);
    expect(done.text).toContain('主要連絡先になりました');
    expect(done.text).toContain(next);
  });

  it('sign-in address verification and password reset: a Japanese user’s emails open Japanese pages', async () => {
    const { companyName, email, password } = await signUpIn('ja');
    const verifyLink = linkIn(await waitForEmail({ to: email }));
    expect(verifyLink).toContain('/v1/auth/email-verification?');
    expect(new URL(verifyLink).searchParams.get('lang')).toBe('ja');
    const verifyPage = expectHtmlPage(await openHtmlPage(verifyLink), 200);
    expect(verifyPage.html).toContain('<html lang="ja">');
    expect(verifyPage.text).toContain('メール アドレスの確認');
    expect(latinWordsOf(verifyPage, [email, companyName])).toEqual([]);
    expect(languageSwitchOf(verifyPage, 'en')).toContain('lang=en');
    const verified = expectHtmlPage(await submitHtmlForm(verifyPage), 200);
    expect(verified.html).toContain('<html lang="ja">');
    expect(verified.text).toContain('メール アドレスを確認しました');
    await signIn(email, password);

    expectStatus(
      await api('identity').post('/v1/auth/password-reset-requests').send({ email }),
      202,
    );
    const resetEmail = await waitForEmail({ to: email, subjectIncludes: 'パスワード' });
    const resetLink = linkIn(resetEmail);
    expect(new URL(resetLink).searchParams.get('lang')).toBe('ja');
    const form = expectHtmlPage(await openHtmlPage(resetLink), 200);
    expect(form.html).toContain('<html lang="ja">');
    expect(form.text).toContain('新しいパスワードの設定');
    expect(form.text).toContain('新しいパスワードを保存する');
    const english = expectHtmlPage(await openHtmlPage(languageSwitchOf(form, 'en')), 200);
    expect(english.text).toContain('Choose a new password');

    const differ = expectHtmlPage(
      await submitHtmlForm(form, { password: strongPassword(), passwordConfirmation: 'other' }),
      400,
    );
    expect(differ.text).toContain('2 つのパスワードが一致しません');
    const next = strongPassword();
    const done = expectHtmlPage(
      await submitHtmlForm(form, { password: next, passwordConfirmation: next }),
      200,
    );
    expect(done.html).toContain('<html lang="ja">');
    expect(done.text).toContain('パスワードを変更しました');
    expect(latinWordsOf(done, [email, companyName])).toEqual([]);
    await signIn(email, next);
  });

  it('password reset: an English user’s email opens an English page; without a language, the browser’s', async () => {
    const { email } = await signUpIn('en');
    const verifyLink = linkIn(await waitForEmail({ to: email }));
    expect(new URL(verifyLink).searchParams.get('lang')).toBe('en');
    const verifyPage = expectHtmlPage(await openHtmlPage(verifyLink), 200);
    expect(verifyPage.text).toContain('Verify your email address');
    expectHtmlPage(await submitHtmlForm(verifyPage), 200);

    expectStatus(
      await api('identity').post('/v1/auth/password-reset-requests').send({ email }),
      202,
    );
    const resetLink = linkIn(await waitForEmail({ to: email, subjectIncludes: 'password' }));
    expect(new URL(resetLink).searchParams.get('lang')).toBe('en');
    const page = expectHtmlPage(await openHtmlPage(resetLink, 'ja-JP,ja;q=0.9'), 200);
    expect(page.html).toContain('<html lang="en">');
    expect(page.text).toContain('Choose a new password');

    const bare = new URL(resetLink);
    bare.searchParams.delete('lang');
    const browser = expectHtmlPage(await openHtmlPage(bare.toString(), 'ja-JP,ja;q=0.9'), 200);
    expect(browser.html).toContain('<html lang="ja">');
    expect(browser.text).toContain('新しいパスワードの設定');
    const plain = expectHtmlPage(await openHtmlPage(bare.toString()), 200);
    expect(plain.html).toContain('<html lang="en">');
  });
});
