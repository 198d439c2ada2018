import type { Lang } from '../support/browser';
import { adatumAdminChangesTemporaryPassword } from './steps/auth';
import { northwindAcceptsJointRequest } from './steps/customer-admin';
import {
  createAdatumWithSubscription,
  removeNorthwindRelationship,
  requestJointRelationshipWithNorthwind,
} from './steps/customers';
import {
  enrollContosoAndFabrikam,
  removePartnership,
  requestAndAuthorizePartnership,
} from './steps/partner';
import { createStoryContext, type StoryContext } from './steps/story-context';

/**
 * The whole seed story in a real browser, by clicking, as `npm run demo` plays it through the API
 * (issue 12 "Tests in a real browser"), once in English and once in Japanese. Every step signs in
 * as the person it is about, reads its links from MailDev, asserts on what the page shows, runs
 * axe-core on every page it visits and saves a screenshot of each (`.run/portal/<lang>/`). Nothing
 * is prepared through the API: each step uses only what the steps before it made.
 */
describe.each<Lang>(['en', 'ja'])('the seed story in the portal (%s)', (lang) => {
  let ctx: StoryContext & { close(): Promise<void> };

  beforeAll(async () => {
    ctx = await createStoryContext();
  });

  afterAll(async () => {
    await ctx?.close();
  });

  it('Contoso (indirect provider) and Fabrikam (indirect reseller) enroll and verify their primary contact', async () => {
    await enrollContosoAndFabrikam(ctx, lang);
  }, 180_000);

  it('Contoso asks Fabrikam for a partnership and Fabrikam authorizes it from the emailed link', async () => {
    await requestAndAuthorizePartnership(ctx, lang);
  }, 180_000);

  it('Fabrikam asks Northwind for a reseller relationship jointly with Contoso, reviewing the email first', async () => {
    await requestJointRelationshipWithNorthwind(ctx, lang);
  }, 180_000);

  it("Northwind's admin accepts the request in the browser from the emailed link", async () => {
    // Northwind signs up in its partners' market (they enrolled in the US): a customer accepts
    // only partners of its own region (seed 001), whatever language it reads.
    ctx.record.northwind = { ...ctx.record.northwind!, country: 'US' };
    await northwindAcceptsJointRequest(ctx, lang);
  }, 180_000);

  it('Contoso creates Adatum with a subscription; the temporary password is shown once', async () => {
    await createAdatumWithSubscription(ctx, lang);
  }, 180_000);

  it("Adatum's admin signs in with the temporary password and must change it", async () => {
    await adatumAdminChangesTemporaryPassword(ctx, lang);
  }, 180_000);

  it('Fabrikam removes its reseller relationship with Northwind', async () => {
    await removeNorthwindRelationship(ctx, lang);
  }, 180_000);

  it('the partnership between Contoso and Fabrikam is removed', async () => {
    await removePartnership(ctx, lang);
  }, 180_000);
});
