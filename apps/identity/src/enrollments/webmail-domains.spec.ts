import { isWebmailAddress } from './webmail-domains';

describe('isWebmailAddress (seed 004: no web-based email for the primary contact)', () => {
  it.each([
    'someone@gmail.com',
    'someone@GoogleMail.com',
    'a@yahoo.com',
    'a@yahoo.co.jp',
    'a@yahoo.fr',
    'a@ymail.com',
    'a@icloud.com',
    'a@me.com',
    'a@mac.com',
    'a@aol.com',
    'a@outlook.com',
    'a@outlook.jp',
    'a@hotmail.com',
    'a@hotmail.co.uk',
    'a@live.com',
    'a@live.jp',
    'a@msn.com',
    'a@gmx.de',
    // Issue 9 point 15: passed before the maintained list was merged in.
    'a@posteo.de',
    'a@mailbox.org',
    'a@duck.com',
    'a@ya.ru',
    'a@tutamail.com',
    'a@gmx.info',
  ])('refuses %s', (email) => expect(isWebmailAddress(email)).toBe(true));

  it.each([
    'ops@contoso.com',
    'a@fabrikam.co.jp',
    'a@live.contoso.com',
    'a@yahoo-partners.example',
    'a@mail.gmail.com.contoso.example',
    'a@outlookconsulting.com',
    'it@northwind-traders.com',
    'a@contoso-9f3a.example',
  ])('accepts %s', (email) => expect(isWebmailAddress(email)).toBe(false));
});
