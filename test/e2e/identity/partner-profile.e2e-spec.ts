import {
  activePartner,
  api,
  bearer,
  directory,
  enrollPartner,
  expectApiError,
  expectStatus,
  linkIn,
  resendVerification,
  signInOperator,
  system,
  tokenIn,
  uniqueEmail,
  uniqueMpnId,
  uniqueName,
  verifyByApi,
  waitForEmail,
  waitForNewLink,
  type ActivePartner,
  type EnrolledPartner,
  type PartnerProfile,
  followLinkPage,
} from '../support';

/**
 * The partner profile (seed 004; DESIGN.md "Partner": the legal business profile):
 * `GET`/`PATCH /v1/partner-profile`. A partner changes its support contact and address; the legal
 * name, Partner ID, country, cloud and type are the operator's (`PATCH /v1/partners/{id}/profile`),
 * and so is an indirect provider's directory listing. A new primary contact email is pending until
 * the new address follows its emailed link; only the newest change counts.
 */

/** The profile as the primary contact change shows it. */
interface Profile {
  primaryContact: { name: string; email: string; phone: string | null };
  pendingPrimaryContact: { email: string; verificationPending: true } | null;
  version: number;
}

async function profileOf(token: string): Promise<Profile> {
  return expectStatus<Profile>(
    await api('identity').get('/v1/partner-profile').set(bearer(token)),
    200,
  );
}

/** An indirect provider in New Zealand (listed in the directory). */
let provider: ActivePartner;
/** An indirect reseller in New Zealand. */
let reseller: ActivePartner;

beforeAll(async () => {
  [provider, reseller] = await Promise.all([
    activePartner({
      partnerType: 'indirect_provider',
      country: 'NZ',
      name: uniqueName('Contoso Distribution'),
    }),
    activePartner({
      partnerType: 'indirect_reseller',
      country: 'NZ',
      name: uniqueName('Fabrikam'),
    }),
  ]);
}, 120_000);

describe('the partner profile (PATCH /v1/partner-profile)', () => {
  it('lets a reseller update its support contact and address', async () => {
    const supportContact = {
      name: 'Fabrikam Helpdesk',
      email: uniqueEmail('helpdesk', 'fabrikam'),
      phone: '+64 9 555 0100',
      website: 'https://help.fabrikam.example',
    };
    const address = {
      addressLine1: '12 Queen Street',
      city: 'Auckland',
      postalCode: '1010',
    };
    const updated = expectStatus<PartnerProfile>(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(reseller.token))
        .send({ supportContact, address }),
      200,
    );
    expect(updated.supportContact).toEqual(supportContact);
    expect(updated.address).toMatchObject({ ...address, country: 'NZ' });
    expect(updated.country).toBe('NZ');
    const read = expectStatus<PartnerProfile>(
      await api('identity').get('/v1/partner-profile').set(bearer(reseller.token)),
      200,
    );
    expect(read).toMatchObject({
      supportContact,
      legalBusinessName: reseller.name,
      mpnId: reseller.mpnId,
    });
    expect(read.address).toMatchObject(address);
  });

  it('refuses the fields reserved to the operator with 400 and changes nothing', async () => {
    const before = expectStatus<PartnerProfile>(
      await api('identity').get('/v1/partner-profile').set(bearer(reseller.token)),
      200,
    );
    for (const [patch, field] of [
      [{ legalBusinessName: 'Fabrikam Renamed' }, 'legalBusinessName'],
      [{ mpnId: uniqueMpnId() }, 'mpnId'],
      [{ country: 'AU' }, 'country'],
      [{ cloud: 'us-gov' }, 'cloud'],
      [{ partnerType: 'indirect_provider' }, 'partnerType'],
      [
        {
          address: {
            addressLine1: '1 Other St',
            city: 'Sydney',
            postalCode: '2000',
            country: 'AU',
          },
        },
        'address.country',
      ],
    ] as const) {
      const error = expectApiError(
        await api('identity').patch('/v1/partner-profile').set(bearer(reseller.token)).send(patch),
        400,
        'partner_profile.operator_reserved',
      );
      expect(error.data).toEqual([{ fields: [field] }]);
    }
    const after = expectStatus<PartnerProfile>(
      await api('identity').get('/v1/partner-profile').set(bearer(reseller.token)),
      200,
    );
    expect(after).toEqual(before);
  });

  it("refuses an indirect provider's change of its directory listing; the operator may make it", async () => {
    const supportContact = {
      name: 'Contoso Desk',
      email: uniqueEmail('desk', 'contoso'),
      phone: null,
    };
    const error = expectApiError(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(provider.token))
        .send({ supportContact }),
      400,
      'partner_profile.operator_reserved',
    );
    expect(error.data).toEqual([{ fields: ['supportContact'] }]);
    const [listed] = await directory(`&name=${encodeURIComponent(provider.name)}`);
    expect(listed.supportContact).toEqual(provider.body.supportContact);

    // The provider can still change its address (not part of the listing).
    const address = { addressLine1: '7 Lambton Quay', city: 'Wellington', postalCode: '6011' };
    const updated = expectStatus<PartnerProfile>(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(provider.token))
        .send({ address }),
      200,
    );
    expect(updated.address).toMatchObject(address);

    // The operator changes the listing.
    const operator = await signInOperator();
    expectStatus(
      await api('identity')
        .patch(`/v1/partners/${provider.tenantId}/profile`)
        .set(bearer(operator))
        .send({ supportContact }),
      200,
    );
    const [relisted] = await directory(`&name=${encodeURIComponent(provider.name)}`);
    expect(relisted.supportContact).toEqual(supportContact);
    provider.body.supportContact = supportContact;
  });
});

describe('a changed primary contact email (PATCH /v1/partner-profile)', () => {
  let partner: EnrolledPartner;

  beforeAll(async () => {
    partner = await enrollPartner({ partnerType: 'indirect_reseller', locale: 'ja' });
  }, 60_000);

  it('is pending until the new address follows its link, then becomes the primary contact', async () => {
    const before = await profileOf(partner.token);
    const next = uniqueEmail('newprimary', 'fabrikam');
    const updated = expectStatus<Profile>(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(partner.token))
        .send({ primaryContact: { email: next } }),
      200,
    );
    expect(updated.primaryContact.email).toBe(before.primaryContact.email);
    expect(updated.pendingPrimaryContact).toEqual({ email: next, verificationPending: true });
    expect((await profileOf(partner.token)).pendingPrimaryContact?.email).toBe(next);

    // The new address receives the link, in the partner's language.
    const email = await waitForEmail({ to: next });
    expect(email.subject).toBe(
      `${partner.name} の主要連絡先になるために、メール アドレスを確認してください`,
    );
    expect(email.headers['content-language']).toBe('ja');
    const link = linkIn(email);
    expect(link.startsWith(`${system().urls.identity}/v1/enrollments/verify?token=`)).toBe(true);

    // Opening the link changes nothing (issue 9 point 14); its button verifies. The link carries
    // the email's language, so the page and its answer are Japanese (issue 12).
    expect(new URL(link).searchParams.get('lang')).toBe('ja');
    const opened = await fetch(link);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('<form method="post" action="verify/confirm?lang=ja">');
    expect((await profileOf(partner.token)).pendingPrimaryContact?.email).toBe(next);
    const page = await followLinkPage(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('主要連絡先になりました');
    expect(html).toContain(next);
    const after = await profileOf(partner.token);
    expect(after.primaryContact).toEqual({ ...before.primaryContact, email: next });
    expect(after.pendingPrimaryContact).toBeNull();
    expect(after.version).toBeGreaterThan(before.version);
    expect((await fetch(link)).status).toBe(410);
  });

  it('refuses a web mail address (400) and changes nothing', async () => {
    const before = await profileOf(partner.token);
    const error = expectApiError(
      await api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(partner.token))
        .send({ primaryContact: { email: `pat.${uniqueMpnId()}@gmail.com` } }),
      400,
      'enrollment.webmail_primary_contact',
    );
    expect(error.data).toEqual([{ field: 'primaryContact.email' }]);
    expect(await profileOf(partner.token)).toEqual(before);
  });

  it('keeps only the newest change: a replaced or withdrawn address can no longer verify', async () => {
    const current = (await profileOf(partner.token)).primaryContact.email;
    const patch = (email: string) =>
      api('identity')
        .patch('/v1/partner-profile')
        .set(bearer(partner.token))
        .send({ primaryContact: { email } });
    const replaced = uniqueEmail('replaced', 'fabrikam');
    const newest = uniqueEmail('newest', 'fabrikam');
    expectStatus(await patch(replaced), 200);
    const replacedEmail = await waitForEmail({ to: replaced });
    expectStatus(await patch(newest), 200);
    expectApiError(await verifyByApi(tokenIn(replacedEmail)), 410, 'enrollment.token_expired');

    // The public resend also serves a pending address.
    const firstNewest = await waitForEmail({ to: newest });
    expect((await resendVerification(newest)).status).toBe(202);
    const secondNewest = await waitForNewLink(newest, '', [linkIn(firstNewest)]);
    expectApiError(await verifyByApi(tokenIn(firstNewest)), 410, 'enrollment.token_expired');

    // Sending the current address again withdraws the change.
    const withdrawn = expectStatus<Profile>(await patch(current), 200);
    expect(withdrawn.pendingPrimaryContact).toBeNull();
    expectApiError(await verifyByApi(tokenIn(secondNewest)), 410, 'enrollment.token_expired');
    expect((await profileOf(partner.token)).primaryContact.email).toBe(current);
  });
});
