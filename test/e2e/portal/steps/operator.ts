import { portalText, shot, type Lang } from '../../support/browser';
import type { StoryContext } from './story-context';
import { checkpoint, signInToPortal } from './auth';

/**
 * The platform operator's steps of the seed story (issue 12), clicking as a person would: the
 * enrollment review queue (approve, or reject with a reason), email deliveries with replay, and the
 * queue dashboard opened from the portal. axe and a screenshot at every step.
 */

async function openOperatorPage(ctx: StoryContext, lang: Lang, navKey: string, titleKey: string) {
  const page = await signInToPortal(ctx, lang, ctx.operator);
  await page
    .getByRole('link', { name: portalText(lang, navKey) })
    .first()
    .click();
  await page
    .getByRole('heading', { level: 1, name: portalText(lang, titleKey), exact: true })
    .waitFor();
  return page;
}

/**
 * The operator opens Enrollment review and approves `legalBusinessName`'s enrollment (the
 * enrollments a step left in review when the test system does not approve them itself).
 */
export async function operatorApprovesEnrollment(
  ctx: StoryContext,
  lang: Lang,
  legalBusinessName: string,
): Promise<void> {
  const page = await openOperatorPage(
    ctx,
    lang,
    'operator:nav.enrollments',
    'operator:enrollments.title',
  );
  await page.getByRole('row').filter({ hasText: legalBusinessName }).waitFor();
  await checkpoint(page, lang, 'operator-enrollment-review');
  await page
    .getByRole('button', {
      name: portalText(lang, 'operator:enrollments.approveFor', { name: legalBusinessName }),
    })
    .click();
  await page
    .getByText(portalText(lang, 'operator:enrollments.approved', { name: legalBusinessName }))
    .waitFor();
  await checkpoint(page, lang, 'operator-enrollment-approved');
  await page.context().close();
}

/** The operator rejects `legalBusinessName`'s enrollment with `reason` (asked in a dialog). */
export async function operatorRejectsEnrollment(
  ctx: StoryContext,
  lang: Lang,
  legalBusinessName: string,
  reason: string,
): Promise<void> {
  const page = await openOperatorPage(
    ctx,
    lang,
    'operator:nav.enrollments',
    'operator:enrollments.title',
  );
  await page
    .getByRole('button', {
      name: portalText(lang, 'operator:enrollments.rejectFor', { name: legalBusinessName }),
    })
    .click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(portalText(lang, 'operator:enrollments.reason')).fill(reason);
  await checkpoint(page, lang, 'operator-enrollment-reject');
  await dialog
    .getByRole('button', { name: portalText(lang, 'operator:enrollments.confirmReject') })
    .click();
  await page
    .getByText(portalText(lang, 'operator:enrollments.rejected', { name: legalBusinessName }))
    .waitFor();
  await checkpoint(page, lang, 'operator-enrollment-rejected');
  await page.context().close();
}

/** The operator opens Email deliveries (failed ones) and replays the one to `recipient`. */
export async function operatorReplaysDelivery(
  ctx: StoryContext,
  lang: Lang,
  recipient: string,
): Promise<void> {
  const page = await openOperatorPage(
    ctx,
    lang,
    'operator:nav.deliveries',
    'operator:deliveries.title',
  );
  const replay = page.getByRole('button', {
    name: portalText(lang, 'operator:deliveries.replayFor', { recipient }),
  });
  await replay.waitFor();
  await checkpoint(page, lang, 'operator-failed-deliveries');
  await replay.click();
  await page.getByText(portalText(lang, 'operator:deliveries.replayed', { recipient })).waitFor();
  await checkpoint(page, lang, 'operator-delivery-replayed');
  await page.context().close();
}

/**
 * The operator opens the queue dashboard from Email deliveries: the browser lands on bull-board
 * (its own session cookie, no bearer header), which lists the notifications queue.
 */
export async function operatorOpensQueueDashboard(ctx: StoryContext, lang: Lang): Promise<void> {
  const page = await openOperatorPage(
    ctx,
    lang,
    'operator:nav.deliveries',
    'operator:deliveries.title',
  );
  await page
    .getByRole('button', { name: portalText(lang, 'operator:deliveries.openDashboard') })
    .click();
  await page.waitForURL((url) => url.pathname.startsWith('/admin/queues'));
  await page
    .getByText('notifications')
    .first()
    .waitFor()
    .catch(async (error: unknown) => {
      await shot(page, lang, 'operator-queue-dashboard-not-shown');
      const text = await page.evaluate('document.body.innerText');
      throw new Error(`${String(error)}\n${page.url()}\n${String(text).slice(0, 500)}`);
    });
  // bull-board is a third-party page: a screenshot, no axe verdict on it.
  await shot(page, lang, 'operator-queue-dashboard');
  await page.context().close();
}
