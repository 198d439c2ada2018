import {
  api,
  bearer,
  dbRows,
  enrollPartner,
  establishPartnership,
  expectStatus,
  failedDelivery,
  uniqueName,
  type Customer,
  type EnrolledPartner,
  type RelationshipRequestSent,
} from '../support';
import type { Lang } from '../support/browser';
import {
  customerAdminRemovesDelegatedAdmin,
  customerAdminReviewsPartners,
  northwindAcceptsJointRequest,
  northwindAdminEmail,
} from './steps/customer-admin';
import { operatorOpensQueueDashboard, operatorReplaysDelivery } from './steps/operator';
import { createStoryContext, type StoryContext } from './steps/story-context';

/**
 * The customer admin's and the operator's part of the seed story in a real browser (issue 12),
 * once in English and once in Japanese: Contoso (indirect provider) and Fabrikam (its indirect
 * reseller) send Northwind a joint reseller relationship request with delegated admin privileges
 * in the language of the run (through the API: their own steps are the partner helpers'); Northwind,
 * without an account, opens the emailed link, creates its account from the invitation, proves its
 * address, reads the Customer Agreement and accepts; in the portal its admin sees both partners
 * and removes Fabrikam's delegated admin privileges; the operator replays a failed delivery and
 * opens the queue dashboard. Screenshots: `.run/portal/<lang>/`.
 */
// One language per area spec (the seed story plays every step in both): this area's pages in
// Japanese; the i18n unit test holds every key of both languages.
describe.each<Lang>(['ja'])('customer admin and operator in the browser (%s)', (lang) => {
  let ctx: StoryContext & { close(): Promise<void> };
  let contoso: EnrolledPartner;
  let fabrikam: EnrolledPartner;

  beforeAll(async () => {
    ctx = await createStoryContext();
    contoso = await enrollPartner({
      partnerType: 'indirect_provider',
      name: uniqueName('Contoso'),
      country: lang === 'ja' ? 'JP' : 'US',
      locale: lang,
    });
    fabrikam = await enrollPartner({
      partnerType: 'indirect_reseller',
      name: uniqueName('Fabrikam'),
      country: lang === 'ja' ? 'JP' : 'US',
      locale: lang,
    });
    await establishPartnership(contoso, fabrikam);
    ctx.record.northwind = { email: northwindAdminEmail(ctx) };
    expectStatus<RelationshipRequestSent>(
      await api('relationships')
        .post('/v1/customers/relationship-requests')
        .set(bearer(fabrikam.token))
        .send({
          email: ctx.record.northwind.email,
          delegatedAdmin: true,
          indirectProviderId: contoso.tenantId,
          locale: lang,
        }),
      201,
    );
  });

  afterAll(async () => {
    await ctx.close();
  });

  it('Northwind’s admin accepts the joint request from the emailed link, creating its account from the invitation', async () => {
    await northwindAcceptsJointRequest(ctx, lang);
    const companyName = ctx.record.northwind?.companyName;
    // The customer is on both partners' lists, with delegated access, in the recorded agreement.
    const customers = expectStatus<{ items: Customer[] }>(
      await api('relationships')
        .get('/v1/customers')
        .query({ size: 500 })
        .set(bearer(fabrikam.token)),
      200,
    ).items.filter((c) => c.companyProfile.companyName === companyName);
    expect(customers).toEqual([
      expect.objectContaining({ relationshipToPartner: 'reseller', allowDelegatedAccess: true }),
    ]);
    expect(
      await dbRows(
        'relationships',
        'select version from customer_agreement where customer_id = $1 and partner_tenant_id is null',
        [customers[0].id],
      ),
    ).toEqual([{ version: '2026-12' }]);
    expect(
      await dbRows('identity', 'select locale from tenant where id = $1', [customers[0].id]),
    ).toEqual([{ locale: lang }]);
  });

  it('Northwind’s admin sees both partners and removes Fabrikam’s delegated admin privileges after a confirmation', async () => {
    await customerAdminReviewsPartners(ctx, lang, [fabrikam.name, contoso.name]);
    await customerAdminRemovesDelegatedAdmin(ctx, lang, fabrikam.name);
    const customer = expectStatus<{ items: Customer[] }>(
      await api('relationships')
        .get('/v1/customers')
        .query({ size: 500 })
        .set(bearer(fabrikam.token)),
      200,
    ).items.find((c) => c.companyProfile.companyName === ctx.record.northwind?.companyName);
    expect(customer).toEqual(
      expect.objectContaining({ relationshipToPartner: 'reseller', allowDelegatedAccess: false }),
    );
  });

  it('the operator replays a failed delivery and opens the queue dashboard from the portal', async () => {
    const key = await failedDelivery();
    const [{ recipient }] = await dbRows<{ recipient: string }>(
      'notifications',
      'select recipient from delivery where idempotency_key = $1',
      [key],
    );
    await operatorReplaysDelivery(ctx, lang, recipient);
    expect(
      await dbRows<{ replays: number }>(
        'notifications',
        'select replays from delivery where idempotency_key = $1',
        [key],
      ),
    ).toEqual([{ replays: 1 }]);
    await operatorOpensQueueDashboard(ctx, lang);
  });
});
