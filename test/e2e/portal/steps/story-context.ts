import type { Browser } from 'playwright-core';
import { launchBrowser, newPage, portalUrl, type Lang } from '../../support/browser';
import * as maildev from '../../support/maildev';
import { system } from '../../support/system';

/**
 * What the seed story's steps share (issue 12): each step is
 * `(ctx: StoryContext, lang: Lang) => Promise<void>`, clicks as a person would, and records what
 * it made in `ctx.record` for the steps after it. Areas add OPTIONAL fields to
 * {@link StoryRecord} (small, append-only edits).
 */
export interface StoryContext {
  /** Headless Chromium (one context per person: `newPage(ctx.browser, lang)`). */
  browser: Browser;
  /** The API's base URL (the gateway), e.g. `http://127.0.0.1:40123`. */
  baseUrl: string;
  /** The portal's URL of a route: `ctx.portalUrl('/sign-in')`. */
  portalUrl: (route?: string) => string;
  /** MailDev of the test system: `waitForEmail`, `linkIn`, `tokenIn`, … */
  mail: typeof maildev;
  /** The platform operator's sign-in. */
  operator: { email: string; password: string };
  /** What earlier steps made. */
  record: StoryRecord;
}

/** A person who signs in to the portal. */
export interface StoryPerson {
  email: string;
  /** The current password (after a change, the new one). */
  password: string;
}

/** What the story's steps made so far (every field optional: a step checks what it needs). */
export interface StoryRecord {
  /** The run's unique suffix for names and addresses (two runs never collide). */
  suffix: string;
  /**
   * Adatum (customer created by a partner with a temporary password for its admin). The step
   * that creates it sets `admin.email` and `admin.temporaryPassword`; the foundation's step
   * "Adatum's admin signs in with the temporary password and changes it" sets `admin.password`.
   */
  adatum?: {
    customerId?: string;
    /** Its company name as the partners' lists show it (the customers area's step sets it). */
    companyName?: string;
    domain?: string;
    admin: { email: string; temporaryPassword: string; password?: string };
  };
  /** Contoso Distribution (indirect provider): its Global admin (the partner area enrolls it). */
  contoso?: StoryPartner;
  /** Fabrikam (indirect reseller): its Global admin (the partner area enrolls it). */
  fabrikam?: StoryPartner;
  /**
   * Northwind Traders (an existing customer): the customers area's joint request goes to
   * `email` (and records the email's `invitationSubject`); whoever accepts it for Northwind (the
   * customer admin area's page from the emailed link) sets `companyName` and the admin's
   * `password`, which the removal step needs.
   */
  northwind?: {
    email: string;
    invitationSubject?: string;
    companyName?: string;
    password?: string;
  };
}

/** A partner organisation's Global admin as the story signs it in. */
export interface StoryPartner extends StoryPerson {
  /** Legal business name (what the portal's lists show). */
  name: string;
  /** Partner ID (MPN ID). */
  mpnId: string;
}

/** A story context on the running test system, with a new browser; `close()` it in `afterAll`. */
export async function createStoryContext(): Promise<StoryContext & { close(): Promise<void> }> {
  const browser = await launchBrowser();
  const sys = system();
  return {
    browser,
    baseUrl: sys.urls.gateway,
    portalUrl,
    mail: maildev,
    operator: sys.operator,
    record: { suffix: `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}` },
    close: () => browser.close(),
  };
}

export { newPage, type Lang };
