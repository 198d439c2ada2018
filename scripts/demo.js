#!/usr/bin/env node
/**
 * `npm run demo`: plays the seed story against the running system (`npm start`) and prints a
 * transcript. Every link it follows is read from the emails delivered to MailDev, never from the
 * API. Exits 0 when every step behaved as the seeds say, 1 otherwise.
 *
 * Story (seeds 000-004): Contoso Distribution (indirect provider) and Fabrikam (indirect reseller)
 * enroll and verify; Contoso requests a partnership and Fabrikam accepts through the emailed link;
 * Northwind (an existing customer) receives a joint request with delegated admin privileges from
 * Fabrikam and Contoso and accepts; Contoso creates the new customer Adatum for Fabrikam with a
 * subscription; Adatum's admin signs in with the temporary password and must change it; Fabrikam
 * removes its relationship with Northwind (delegated admin privileges stay); Contoso removes the
 * partnership (customers stay). Before that, GDAP (issue 10): Fabrikam asks Northwind for a 30-day
 * User Administrator relationship, Northwind's Global admin approves it from the emailed link's
 * page, Fabrikam puts a helpdesk user in a security group assigned the role, she resets a
 * Northwind user's password with her own identity, Fabrikam terminates the relationship and her
 * next call is refused.
 *
 * Every API call goes through the typed client (libs/api-client, `createApiClient`: openapi-fetch
 * over the types generated from the OpenAPI document) to the one base URL, the gateway; the
 * emailed links name the gateway too. The TypeScript client runs as the build's own sources,
 * compiled in memory by swc (scripts/lib/ts-register.js, the compiler the tests use): no build
 * step and no other runner.
 *
 * URLs come from `.run/system.json` (written by `npm start`) or the defaults of `npm start`
 * (`API_URL`, default http://localhost:3000; `MAILDEV_URL`).
 */
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { URLSearchParams } = require('node:url');

const runFile = path.join(__dirname, '..', '.run', 'system.json');
const settings = fs.existsSync(runFile) ? JSON.parse(fs.readFileSync(runFile, 'utf8')) : {};
require('./lib/ts-register');
const { createApiClient } = require('@app/api-client');

const urls = {
  api: process.env.API_URL || settings.urls?.api || 'http://localhost:3000',
  maildev: process.env.MAILDEV_URL || settings.urls?.maildev || 'http://localhost:1080',
};
const operator = settings.operator;
/** Microsoft Entra's User Administrator role template id (README "Role mapping"). */
const USER_ADMINISTRATOR = 'fe930be7-5e62-47db-91af-98c3a49a38b1';

const run = crypto.randomBytes(3).toString('hex');
const mpn = () => String(crypto.randomInt(1_000_000, 9_999_999));
const namedEmails = [];
const seenEmailIds = new Set();

let step = 0;
function say(line) {
  process.stdout.write(`${line}\n`);
}
function heading(title) {
  step += 1;
  say(`\n${step}. ${title}`);
}
function fail(message) {
  throw new Error(message);
}
function expect(condition, message) {
  if (!condition) fail(message);
}

/** One correlation id for the whole story (`MS-CorrelationId`), a new request id per call. */
const correlationId = crypto.randomUUID();

/**
 * One call through the typed client on the base URL. `service` only names, in the transcript and
 * in errors, the service that answers (the gateway routes by path).
 */
async function call(service, method, route, { token, body } = {}) {
  const client = createApiClient({ baseUrl: urls.api, token, correlationId });
  const { data, error, response } = await client.request(method.toLowerCase(), route, {
    ...(body === undefined ? {} : { body }),
    parseAs: 'text',
  });
  const text = response.ok
    ? (data ?? '')
    : typeof error === 'string'
      ? error
      : JSON.stringify(error ?? '');
  let json;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: response.status, body: json, text, service };
}

async function ok(service, method, route, options, expected = [200, 201, 204]) {
  const res = await call(service, method, route, options);
  if (!expected.includes(res.status)) {
    fail(`${method} ${route} (${service}) answered ${res.status}: ${res.text.slice(0, 500)}`);
  }
  return res.body;
}

/** Wait (bounded poll) for an email to `to` whose subject matches, return it. */
async function waitForEmail(to, subjectPattern, { timeoutMs = 30_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const res = await fetch(`${urls.maildev}/api/email`);
    if (res.ok) {
      const emails = await res.json();
      const found = emails.find(
        (e) =>
          !seenEmailIds.has(e.id) &&
          (e.to || []).some((r) => r.address.toLowerCase() === to.toLowerCase()) &&
          (!subjectPattern || subjectPattern.test(e.subject || '')),
      );
      if (found) {
        seenEmailIds.add(found.id);
        namedEmails.push({ to, subject: found.subject });
        return found;
      }
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return fail(`no email to ${to} matching ${subjectPattern} arrived within ${timeoutMs} ms`);
}

function exactly(text) {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

function linkIn(email) {
  const match = /(https?:\/\/[^\s"<>]+token=[A-Za-z0-9_-]+)/.exec(email.text || email.html || '');
  expect(match, `the email "${email.subject}" carries no link`);
  return match[1].replace(/&amp;/g, '&');
}

function tokenOf(link) {
  return new URL(link).searchParams.get('token');
}

/**
 * Sign-in names are per organisation: `organization` (a tenant id) picks the account when the
 * demo knows it; without it the password picks it.
 */
async function signIn(email, password, organization) {
  return ok('identity', 'POST', '/v1/auth/token', {
    body: { email, password, ...(organization ? { organization } : {}) },
  });
}

/**
 * Follow an emailed link as a person does: open its page (which changes nothing) and press its
 * button (the page's form POSTs its hidden fields). Answers the POST's status.
 */
async function pressLinkButton(link) {
  const page = await fetch(link);
  const html = await page.text();
  expect(page.ok, `opening the link answered ${page.status}`);
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  expect(form, 'the link page has no button');
  const fields = new URLSearchParams();
  for (const input of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(input[1], input[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }
  const response = await fetch(new URL(form[1], link), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
  });
  expect(response.ok, `pressing the button of the link page answered ${response.status}`);
  return response.status;
}

/**
 * The GDAP approval link's page (issue 10): open it (changes nothing), then submit its form as the
 * customer's Global admin does: the hidden token with the sign-in fields and the pressed button's
 * `decision`. Answers the result page's title.
 */
async function decideOnLinkPage(link, fields) {
  const page = await fetch(link);
  const html = await page.text();
  expect(page.ok, `opening the approval link answered ${page.status}`);
  const form = /<form method="post" action="([^"]*)">([\s\S]*?)<\/form>/.exec(html);
  expect(form, 'the approval page has no form');
  const body = new URLSearchParams();
  for (const input of form[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    body.set(input[1], input[2].replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  const response = await fetch(new URL(form[1], link), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: body.toString(),
  });
  const result = await response.text();
  expect(response.ok, `submitting the approval page answered ${response.status}`);
  return /<title>([^<]*)<\/title>/.exec(result)?.[1] ?? '';
}

/** A new user proves its sign-in address (the emailed verification link) before signing in. */
async function verifySignInEmail(email) {
  const verification = await waitForEmail(email, /^Verify your email address to sign in/);
  say(`   verification email to ${email}: "${verification.subject}"`);
  await pressLinkButton(linkIn(verification));
}

const address = (country) => ({
  addressLine1: '1 Microsoft Way',
  city: country === 'US' ? 'Redmond' : 'City',
  postalCode: '98052',
  country,
});

async function enroll({ legalBusinessName, partnerType, domain, contactName }) {
  const email = `${contactName.toLowerCase().replace(/ /g, '.')}.${run}@${domain}`;
  const password = `Demo-${run}-Passw0rd!`;
  const body = {
    legalBusinessName,
    address: address('US'),
    cloud: 'public',
    partnerType,
    mpnId: mpn(),
    primaryContact: { name: contactName, email, phone: '+1 425 555 0100' },
    supportContact: { name: `${legalBusinessName} Support`, email: `support.${run}@${domain}` },
    globalAdmin: {
      firstName: contactName.split(' ')[0],
      lastName: contactName.split(' ')[1],
      email,
      password,
    },
  };
  const enrollment = await ok('identity', 'POST', '/v1/enrollments', { body });
  say(
    `   ${legalBusinessName} enrolled as ${partnerType} (Partner ID ${body.mpnId}), status ${enrollment.status}`,
  );
  const verification = await waitForEmail(email, /continue the enrollment/);
  say(`   verification email to ${email}: "${verification.subject}"`);
  const status = await pressLinkButton(linkIn(verification));
  say(`   opened the emailed link and pressed its button: ${status}`);
  let session = await signIn(email, password, enrollment.tenantId);
  let me = await ok('identity', 'GET', '/v1/me', { token: session.accessToken });
  if (me.tenant?.partner?.status === 'in_review' && operator) {
    const op = await signIn(operator.email, operator.password);
    await ok('identity', 'POST', `/v1/enrollments/${enrollment.enrollmentId}/approve`, {
      token: op.accessToken,
    });
    session = await signIn(email, password, enrollment.tenantId);
    me = await ok('identity', 'GET', '/v1/me', { token: session.accessToken });
  }
  say(`   enrollment status now: ${me.tenant?.partner?.status}`);
  expect(me.tenant?.partner?.status === 'active', `${legalBusinessName} is not active`);
  return {
    tenantId: enrollment.tenantId,
    email,
    password,
    mpnId: body.mpnId,
    token: session.accessToken,
    name: legalBusinessName,
  };
}

async function main() {
  say(`Partner channel demo (run ${run})`);
  say(`API base URL ${urls.api} (typed client) · MailDev ${urls.maildev}`);

  heading('Contoso Distribution (indirect provider) and Fabrikam (indirect reseller) enroll');
  const contoso = await enroll({
    legalBusinessName: 'Contoso Distribution',
    partnerType: 'indirect_provider',
    domain: 'contoso.example',
    contactName: 'Dana Contoso',
  });
  const fabrikam = await enroll({
    legalBusinessName: 'Fabrikam',
    partnerType: 'indirect_reseller',
    domain: 'fabrikam.example',
    contactName: 'Felix Fabrikam',
  });

  heading('Contoso requests a partnership with Fabrikam');
  const request = await ok('relationships', 'POST', '/v1/partnership-requests', {
    token: contoso.token,
    body: { email: fabrikam.email, customMessage: 'Looking forward to growing with you.' },
  });
  say(`   draft reviewed: "${request.draft.subject}" (queued: ${request.queued})`);
  const invitation = await waitForEmail(fabrikam.email, exactly(request.draft.subject));
  const partnershipLink = linkIn(invitation);
  say(`   Fabrikam received "${invitation.subject}" with its personalized link`);
  const accepted = await ok('relationships', 'POST', '/v1/partnership-requests/accept', {
    token: fabrikam.token,
    body: { token: tokenOf(partnershipLink), authorize: true },
  });
  say(
    `   Fabrikam authorized Contoso as its indirect provider (${accepted.relationshipType ?? 'ok'})`,
  );
  const resellers = await ok(
    'relationships',
    'GET',
    '/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf',
    { token: contoso.token },
  );
  const providers = await ok(
    'relationships',
    'GET',
    '/v1/relationships?relationship_type=IsIndirectResellerOf',
    { token: fabrikam.token },
  );
  say(
    `   Contoso's Indirect resellers: ${resellers.items.map((i) => `${i.name} (${i.mpnId})`).join(', ')}`,
  );
  say(
    `   Fabrikam's Indirect providers: ${providers.items.map((i) => `${i.name} (${i.mpnId})`).join(', ')}`,
  );
  expect(
    resellers.items.some((i) => i.id === fabrikam.tenantId),
    'Fabrikam missing from Contoso indirect resellers',
  );
  expect(
    providers.items.some((i) => i.id === contoso.tenantId),
    'Contoso missing from Fabrikam indirect providers',
  );
  const note = await waitForEmail(contoso.email, /accepted your partnership request/);
  say(`   Contoso got a note: "${note.subject}"`);

  heading(
    'Northwind (an existing customer) receives a joint request with delegated admin privileges',
  );
  const northwindAdmin = `nina.${run}@northwind.example`;
  const northwindPassword = `Northwind-${run}-Passw0rd!`;
  const northwind = await ok('identity', 'POST', '/v1/customer-signups', {
    body: {
      companyName: 'Northwind Traders',
      address: address('US'),
      country: 'US',
      cloud: 'public',
      domainPrefix: `northwind${run}`,
      globalAdmin: {
        firstName: 'Nina',
        lastName: 'Northwind',
        email: northwindAdmin,
        password: northwindPassword,
      },
    },
  });
  say(`   Northwind Traders has its own account (${northwind.domain})`);
  const joint = await ok('relationships', 'POST', '/v1/customers/relationship-requests', {
    token: fabrikam.token,
    body: { email: northwindAdmin, delegatedAdmin: true, indirectProviderId: contoso.tenantId },
  });
  say(`   Fabrikam sent a joint request for itself and Contoso: "${joint.draft.subject}"`);
  const jointEmail = await waitForEmail(northwindAdmin, exactly(joint.draft.subject));
  await verifySignInEmail(northwindAdmin);
  const northwindSession = await signIn(northwindAdmin, northwindPassword);
  const jointAccepted = await ok(
    'relationships',
    'POST',
    '/v1/customers/relationship-requests/accept',
    {
      token: northwindSession.accessToken,
      body: { token: tokenOf(linkIn(jointEmail)), acceptCustomerAgreement: true },
    },
  );
  say(
    `   Northwind accepted the Customer Agreement and the invitation: ${jointAccepted.relationships?.length ?? 0} reseller relationships established`,
  );
  const fabrikamCustomers = await ok('relationships', 'GET', '/v1/customers', {
    token: fabrikam.token,
  });
  const contosoViaFabrikam = await ok(
    'relationships',
    'GET',
    `/v1/customers?filter=${encodeURIComponent(JSON.stringify({ Field: 'IndirectReseller', Value: fabrikam.tenantId, Operator: 'starts_with' }))}`,
    { token: contoso.token },
  );
  say(
    `   Fabrikam's customers: ${fabrikamCustomers.items.map((c) => `${c.companyProfile.companyName} (delegated admin: ${c.allowDelegatedAccess})`).join(', ')}`,
  );
  say(
    `   Contoso's customers through Fabrikam: ${contosoViaFabrikam.items.map((c) => c.companyProfile.companyName).join(', ')}`,
  );
  expect(
    fabrikamCustomers.items.some((c) => c.id === northwind.tenantId),
    'Northwind missing from Fabrikam customers',
  );
  expect(
    contosoViaFabrikam.items.some((c) => c.id === northwind.tenantId),
    'Northwind missing from Contoso customers',
  );

  heading('Contoso creates the new customer Adatum for Fabrikam, with a subscription');
  const offers = await ok('relationships', 'GET', '/v1/offers', { token: contoso.token });
  const offer = offers.items ? offers.items[0] : offers[0];
  const agreements = await ok(
    'relationships',
    'GET',
    '/v1/agreements?agreementType=MicrosoftCustomerAgreement',
    { token: contoso.token },
  );
  const created = await ok('relationships', 'POST', '/v1/customers', {
    token: contoso.token,
    body: {
      companyProfile: { domain: `adatum${run}` },
      billingProfile: {
        email: `ada.${run}@adatum.example`,
        culture: 'en-US',
        language: 'en',
        companyName: 'Adatum Corporation',
        defaultAddress: { ...address('US'), firstName: 'Ada', lastName: 'Adatum' },
      },
      associatedPartnerId: fabrikam.tenantId,
      subscriptions: [
        {
          offerId: offer.id,
          quantity: 25,
          associatedResellerMpnId: fabrikam.mpnId,
          designatedSupportContactId: fabrikam.tenantId,
        },
      ],
      // Partner Center 13605: the partner confirms the customer's acceptance before any purchase.
      customerAgreement: {
        primaryContact: {
          firstName: 'Ada',
          lastName: 'Adatum',
          email: `ada.${run}@adatum.example`,
        },
        dateAgreed: new Date().toISOString(),
        templateId: agreements.items[0].templateId,
        type: 'MicrosoftCustomerAgreement',
      },
    },
  });
  say(
    `   Adatum created (${created.companyProfile.domain}); ${created.subscriptions.length} subscription: ${created.subscriptions.map((s) => `${s.quantity} × ${s.offerName}`).join(', ')}`,
  );
  say(
    `   setup info, shown once: sign-in name ${created.userCredentials.userName}, temporary password ${created.userCredentials.password.replace(/./g, '•')}`,
  );

  heading(
    "Adatum's admin verifies its address, signs in with the temporary password and must change it",
  );
  await verifySignInEmail(created.userCredentials.userName);
  const first = await signIn(created.userCredentials.userName, created.userCredentials.password);
  say(`   sign-in answered passwordChangeRequired: ${first.passwordChangeRequired}`);
  expect(first.passwordChangeRequired === true, 'temporary password did not require a change');
  const blocked = await call('relationships', 'GET', '/v1/partners', { token: first.accessToken });
  say(`   any other call is refused until then: ${blocked.status} ${blocked.body?.code}`);
  expect(blocked.status === 403, 'a temporary-password token was not restricted');
  const newPassword = `Adatum-${run}-NewPassw0rd!`;
  const changed = await ok('identity', 'POST', '/v1/auth/password', {
    token: first.accessToken,
    body: { currentPassword: created.userCredentials.password, newPassword },
  });
  const adatumPartners = await ok('relationships', 'GET', '/v1/partners', {
    token: changed.accessToken,
  });
  say(
    `   password changed; Adatum's partners: ${adatumPartners.items.map((p) => `${p.name} (delegated admin: ${p.delegatedAdminPrivileges.active})`).join(', ')}`,
  );

  heading(
    'Fabrikam asks Northwind for a 30-day User Administrator relationship (GDAP); a helpdesk user resets a password through it',
  );
  const gdapPath = '/v1/tenantRelationships/delegatedAdminRelationships';
  const gdap = await ok('relationships', 'POST', gdapPath, {
    token: fabrikam.token,
    body: {
      displayName: `Fabrikam helpdesk ${run}`,
      duration: 'P30D',
      customer: { tenantId: northwind.tenantId },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: USER_ADMINISTRATOR }] },
    },
  });
  say(`   relationship "${gdap.displayName}" for ${gdap.duration}: ${gdap.status}`);
  await ok('relationships', 'POST', `${gdapPath}/${gdap.id}/requests`, {
    token: fabrikam.token,
    body: { action: 'lockForApproval' },
  });
  const approvalEmail = await waitForEmail(
    northwindAdmin,
    /asks for administrator access to your organization/,
  );
  say(`   locked for approval; Northwind's Global admin received "${approvalEmail.subject}"`);
  const approval = await decideOnLinkPage(linkIn(approvalEmail), {
    email: northwindAdmin,
    password: northwindPassword,
    organization: northwind.tenantId,
    decision: 'approve',
  });
  say(`   Northwind's Global admin opened the link, signed in and approved: "${approval}"`);
  const activeGdap = await ok('relationships', 'GET', `${gdapPath}/${gdap.id}`, {
    token: fabrikam.token,
  });
  say(`   relationship ${activeGdap.status} until ${activeGdap.endDateTime}`);
  expect(activeGdap.status === 'active', 'the relationship is not active after the approval');
  const gdapCustomers = await ok(
    'relationships',
    'GET',
    '/v1/tenantRelationships/delegatedAdminCustomers',
    { token: fabrikam.token },
  );
  say(
    `   Fabrikam's delegated admin customers: ${gdapCustomers.value.map((c) => c.displayName).join(', ')}`,
  );
  expect(
    gdapCustomers.value.some((c) => c.tenantId === northwind.tenantId),
    'Northwind missing from Fabrikam delegated admin customers',
  );

  const helpdeskEmail = `hana.${run}@fabrikam.example`;
  const helpdeskAdded = await ok('identity', 'POST', '/v1/users', {
    token: fabrikam.token,
    body: {
      firstName: 'Hana',
      lastName: 'Helpdesk',
      email: helpdeskEmail,
      roles: ['HelpdeskAgent'],
    },
  });
  await verifySignInEmail(helpdeskEmail);
  const helpdeskFirst = await signIn(
    helpdeskEmail,
    helpdeskAdded.temporaryPassword,
    fabrikam.tenantId,
  );
  const helpdesk = await ok('identity', 'POST', '/v1/auth/password', {
    token: helpdeskFirst.accessToken,
    body: {
      currentPassword: helpdeskAdded.temporaryPassword,
      newPassword: `Helpdesk-${run}-Passw0rd!`,
    },
  });
  const group = await ok('identity', 'POST', '/v1/security-groups', {
    token: fabrikam.token,
    body: { displayName: `Northwind helpdesk ${run}`, description: 'Fabrikam helpdesk' },
  });
  await ok('identity', 'POST', `/v1/security-groups/${group.id}/members`, {
    token: fabrikam.token,
    body: { userId: helpdeskAdded.user.id },
  });
  const assignment = await ok('relationships', 'POST', `${gdapPath}/${gdap.id}/accessAssignments`, {
    token: fabrikam.token,
    body: {
      accessContainer: { accessContainerId: group.id, accessContainerType: 'securityGroup' },
      accessDetails: { unifiedRoles: [{ roleDefinitionId: USER_ADMINISTRATOR }] },
    },
  });
  say(
    `   Fabrikam's security group "${group.displayName}" holds Hana (Helpdesk agent); its access assignment (User Administrator): ${assignment.status}`,
  );

  const northwindUserEmail = `bo.${run}@northwind.example`;
  const northwindUser = await ok('identity', 'POST', '/v1/users', {
    token: northwindSession.accessToken,
    body: {
      firstName: 'Bo',
      lastName: 'Billing',
      email: northwindUserEmail,
      roles: ['BillingAdmin'],
    },
  });
  const resetPath = `/v1/customers/${northwind.tenantId}/users/${northwindUser.user.id}/password-reset`;
  const reset = await ok('identity', 'POST', resetPath, { token: helpdesk.accessToken });
  say(
    `   Hana reset the password of Northwind's Billing admin ${northwindUserEmail} with her own identity: temporary password ${reset.temporaryPassword.replace(/./g, '•')}`,
  );

  await ok('relationships', 'POST', `${gdapPath}/${gdap.id}/requests`, {
    token: fabrikam.token,
    body: { action: 'terminate' },
  });
  const ended = await ok('relationships', 'GET', `${gdapPath}/${gdap.id}`, {
    token: fabrikam.token,
  });
  const endedAssignment = await ok(
    'relationships',
    'GET',
    `${gdapPath}/${gdap.id}/accessAssignments/${assignment.id}`,
    { token: fabrikam.token },
  );
  say(
    `   Fabrikam terminated the relationship: ${ended.status}; its access assignment: ${endedAssignment.status}`,
  );
  const refused = await call('identity', 'POST', resetPath, { token: helpdesk.accessToken });
  say(`   Hana's next reset is refused: ${refused.status} ${refused.body?.code}`);
  expect(refused.status === 403, 'a delegated call after the termination was not refused');
  expect(endedAssignment.status === 'deleted', 'the access assignment outlived the relationship');

  heading('Fabrikam removes its relationship with Northwind');
  await ok('relationships', 'PATCH', `/v1/customers/${northwind.tenantId}`, {
    token: fabrikam.token,
    body: { relationshipToPartner: 'none' },
  });
  const fabrikamAfter = await ok('relationships', 'GET', '/v1/customers', {
    token: fabrikam.token,
  });
  const northwindPartners = await ok('relationships', 'GET', '/v1/partners', {
    token: northwindSession.accessToken,
  });
  const fabrikamAtNorthwind = northwindPartners.items.find((p) => p.id === fabrikam.tenantId);
  say(
    `   Northwind left Fabrikam's customer list: ${!fabrikamAfter.items.some((c) => c.id === northwind.tenantId)}`,
  );
  say(
    `   Northwind still shows Fabrikam's delegated admin privileges: ${fabrikamAtNorthwind?.delegatedAdminPrivileges?.active}`,
  );
  expect(
    !fabrikamAfter.items.some((c) => c.id === northwind.tenantId),
    'Northwind still in Fabrikam customers',
  );
  expect(
    fabrikamAtNorthwind?.delegatedAdminPrivileges?.active === true,
    'delegated admin privileges did not stay',
  );

  heading('Contoso removes the partnership with Fabrikam');
  await ok('relationships', 'DELETE', `/v1/relationships/${fabrikam.tenantId}`, {
    token: contoso.token,
    body: { confirm: true },
  });
  const resellersAfter = await ok(
    'relationships',
    'GET',
    '/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf',
    { token: contoso.token },
  );
  const contosoCustomers = await ok('relationships', 'GET', '/v1/customers', {
    token: contoso.token,
  });
  say(
    `   Fabrikam left Contoso's Indirect resellers: ${!resellersAfter.items.some((i) => i.id === fabrikam.tenantId)}`,
  );
  say(
    `   Contoso's customers stay: ${contosoCustomers.items.map((c) => c.companyProfile.companyName).join(', ')}`,
  );
  expect(
    contosoCustomers.items.some((c) => c.id === created.id),
    'Adatum left Contoso customers',
  );

  say('\nEmails delivered to MailDev in this run:');
  for (const e of namedEmails) say(`   to ${e.to}: "${e.subject}"`);
  say(`\nMailDev inbox: ${urls.maildev}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`\ndemo failed: ${error.message}\n`);
    process.exit(1);
  },
);
