import {
  activePartner,
  api,
  directory,
  enrollmentBody,
  expectApiError,
  expectStatus,
  uniqueName,
  type ActivePartner,
} from '../support';

/**
 * The indirect provider directory (seed 004 step 1: a reseller finds its distributor before
 * enrolling): the public `GET /v1/indirect-providers` lists active indirect providers with name,
 * country, Partner ID and support contact, filtered by name and country; never a reseller, never a
 * partner whose enrollment is not active.
 */

/** An indirect provider in New Zealand (the directory's country filter). */
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

describe('the indirect provider directory (GET /v1/indirect-providers)', () => {
  it('lists an active indirect provider with name, country, Partner ID and support contact', async () => {
    const entries = await directory(`&name=${encodeURIComponent(provider.name)}`);
    expect(entries).toEqual([
      {
        id: provider.tenantId,
        name: provider.name,
        country: 'NZ',
        mpnId: provider.mpnId,
        supportContact: provider.body.supportContact,
        attributes: { objectType: 'IndirectProvider' },
      },
    ]);
  });

  it('lists neither a reseller nor a provider whose enrollment is not active', async () => {
    const pending = enrollmentBody({ partnerType: 'indirect_provider', country: 'NZ' });
    expectStatus(await api('identity').post('/v1/enrollments').send(pending), 201);
    const all = await directory('&country=NZ');
    const ids = all.map((e) => e.id);
    expect(ids).toContain(provider.tenantId);
    expect(ids).not.toContain(reseller.tenantId);
    expect(all.map((e) => e.mpnId)).not.toContain(pending.mpnId);
    expect(await directory(`&name=${encodeURIComponent(reseller.name)}`)).toEqual([]);
    expect(await directory(`&name=${encodeURIComponent(pending.legalBusinessName)}`)).toEqual([]);
  });

  it('filters by name (case-insensitive substring) and by country', async () => {
    const suffix = provider.name.split(' ').pop() ?? '';
    const byPart = await directory(`&name=${encodeURIComponent(suffix.toUpperCase())}`);
    expect(byPart.map((e) => e.id)).toEqual([provider.tenantId]);
    expect((await directory(`&name=${encodeURIComponent(`${suffix}zz`)}`)).length).toBe(0);
    expect((await directory('&country=NZ')).map((e) => e.id)).toContain(provider.tenantId);
    const elsewhere = await directory('&country=JP');
    expect(elsewhere.map((e) => e.id)).not.toContain(provider.tenantId);
    expect(elsewhere.every((e) => e.country === 'JP')).toBe(true);
    expect(
      (await directory(`&country=nz&name=${encodeURIComponent(suffix)}`)).map((e) => e.id),
    ).toEqual([provider.tenantId]);
    expect(await directory(`&country=JP&name=${encodeURIComponent(suffix)}`)).toEqual([]);
    // Wildcards are literal.
    expect(await directory('&name=%25%25%25zz_zz')).toEqual([]);
    expectApiError(
      await api('identity').get('/v1/indirect-providers?country=Nowhere'),
      400,
      'request.invalid',
    );
  });
});
