import { randomBytes, randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import { addressIn, strongPassword, uniqueDomainPrefix, uniqueEmail } from './data';
import { newEnrollmentBody } from './identity/enrollments';
import { documentedAgent, type ServiceName } from './system';

/**
 * How to call each rate-limited public route (`@RateLimited('public', targets)`) with the targets
 * a test chooses, from the client address it chooses (`X-Forwarded-For`: the test instances trust
 * 127.0.0.1). test/e2e/system/public-route-limits.e2e-spec.ts drives every entry over its
 * per-address and per-target limits, and fails when a public route of the `public` tier has no
 * entry or when an entry's targets differ from the route's declaration: a new public route
 * (say `POST /v1/auth/password-reset` `@RateLimited('public', { body: ['email'] })`) adds one
 * entry here with a fresh value per declared target.
 */

/** A client address of the CGNAT range, unique enough for one run. */
export function clientAddress(): string {
  return `100.${64 + randomInt(64)}.${randomInt(256)}.${randomInt(1, 255)}`;
}

/** A token-shaped value that names nothing (256 random bits, base64url). */
export function unknownToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface LimitedRouteCall {
  service: Extract<ServiceName, 'identity' | 'relationships'>;
  /**
   * A fresh value for each target the route declares, keyed `body.<path>` or `query.<path>`
   * (e.g. `body.globalAdmin.email`).
   */
  targets: Record<string, () => string>;
  /** One request from `address` naming `values` (one per key of `targets`). */
  send(base: string, address: string, values: Record<string, string>): Promise<Response>;
}

const form = (base: string, path: string, address: string, fields: Record<string, string>) =>
  documentedAgent(base)
    .post(path)
    .set('X-Forwarded-For', address)
    .set('accept', 'text/html')
    .type('form')
    .send(fields);

const page = (base: string, path: string, address: string, token: string) =>
  documentedAgent(base).get(path).set('X-Forwarded-For', address).query({ token });

/** Every rate-limited public route of the `public` tier, by `METHOD path`. */
export const LIMITED_ROUTES: Record<string, LimitedRouteCall> = {
  'POST /v1/enrollments': {
    service: 'identity',
    targets: {
      'body.globalAdmin.email': () => uniqueEmail('admin', 'litware'),
      'body.primaryContact.email': () => uniqueEmail('primary', 'litware'),
    },
    send: (base, address, values) => {
      const body = newEnrollmentBody();
      body.globalAdmin.email = values['body.globalAdmin.email'];
      body.primaryContact.email = values['body.primaryContact.email'];
      return documentedAgent(base)
        .post('/v1/enrollments')
        .set('X-Forwarded-For', address)
        .send(body);
    },
  },
  'POST /v1/customer-signups': {
    service: 'identity',
    targets: {
      'body.globalAdmin.email': () => uniqueEmail('admin', 'northwind'),
      'body.domainPrefix': () => uniqueDomainPrefix('northwind'),
    },
    send: (base, address, values) =>
      documentedAgent(base)
        .post('/v1/customer-signups')
        .set('X-Forwarded-For', address)
        .send({
          companyName: 'Northwind Traders',
          address: addressIn('US'),
          country: 'US',
          cloud: 'public',
          domainPrefix: values['body.domainPrefix'],
          globalAdmin: {
            firstName: 'Casey',
            lastName: 'Customer',
            email: values['body.globalAdmin.email'],
            password: strongPassword(),
          },
        }),
  },
  'POST /v1/enrollments/verification/resend': {
    service: 'identity',
    targets: { 'body.email': () => uniqueEmail('primary', 'litware') },
    send: (base, address, values) =>
      documentedAgent(base)
        .post('/v1/enrollments/verification/resend')
        .set('X-Forwarded-For', address)
        .send({ email: values['body.email'] }),
  },
  'GET /v1/enrollments/verify': {
    service: 'identity',
    targets: { 'query.token': unknownToken },
    send: (base, address, values) =>
      page(base, '/v1/enrollments/verify', address, values['query.token']),
  },
  'POST /v1/enrollments/verify': {
    service: 'identity',
    targets: { 'body.token': unknownToken },
    send: (base, address, values) =>
      documentedAgent(base)
        .post('/v1/enrollments/verify')
        .set('X-Forwarded-For', address)
        .send({ token: values['body.token'] }),
  },
  'POST /v1/enrollments/verify/resend': {
    service: 'identity',
    targets: { 'body.token': unknownToken },
    send: (base, address, values) =>
      form(base, '/v1/enrollments/verify/resend', address, { token: values['body.token'] }),
  },
  'POST /v1/enrollments/verify/confirm': {
    service: 'identity',
    targets: { 'body.token': unknownToken },
    send: (base, address, values) =>
      form(base, '/v1/enrollments/verify/confirm', address, { token: values['body.token'] }),
  },
  'GET /v1/auth/email-verification': {
    service: 'identity',
    targets: { 'query.token': unknownToken },
    send: (base, address, values) =>
      page(base, '/v1/auth/email-verification', address, values['query.token']),
  },
  'POST /v1/auth/email-verification': {
    service: 'identity',
    targets: { 'body.token': unknownToken },
    send: (base, address, values) =>
      form(base, '/v1/auth/email-verification', address, { token: values['body.token'] }),
  },
  'POST /v1/auth/password-reset-requests': {
    service: 'identity',
    targets: { 'body.email': () => uniqueEmail('user', 'contoso') },
    send: (base, address, values) =>
      documentedAgent(base)
        .post('/v1/auth/password-reset-requests')
        .set('X-Forwarded-For', address)
        .send({ email: values['body.email'] }),
  },
  'GET /v1/auth/password-reset': {
    service: 'identity',
    targets: { 'query.token': unknownToken },
    send: (base, address, values) =>
      page(base, '/v1/auth/password-reset', address, values['query.token']),
  },
  'POST /v1/auth/password-reset': {
    service: 'identity',
    targets: { 'body.token': unknownToken },
    send: (base, address, values) =>
      form(base, '/v1/auth/password-reset', address, {
        token: values['body.token'],
        password: 'Not-the-password-0',
        passwordConfirmation: 'Not-the-password-0',
      }),
  },
  'GET /invitations/partnership': {
    service: 'relationships',
    targets: { 'query.token': unknownToken },
    send: (base, address, values) =>
      page(base, '/invitations/partnership', address, values['query.token']),
  },
  'POST /invitations/partnership/accept': {
    service: 'relationships',
    targets: {
      'body.token': unknownToken,
      'body.email': () => uniqueEmail('admin', 'fabrikam'),
    },
    send: (base, address, values) =>
      form(base, '/invitations/partnership/accept', address, {
        token: values['body.token'],
        email: values['body.email'],
        password: 'Not-the-password-0',
        authorize: 'on',
      }),
  },
  'GET /invitations/reseller-relationship': {
    service: 'relationships',
    // A single-use invitation's token, or a partner's reusable link (its partnerId, issue 11).
    targets: { 'query.token': unknownToken, 'query.partnerId': unknownToken },
    send: (base, address, values) =>
      documentedAgent(base)
        .get('/invitations/reseller-relationship')
        .set('X-Forwarded-For', address)
        .query({ token: values['query.token'], partnerId: values['query.partnerId'] }),
  },
  'POST /invitations/reseller-relationship/partner-link/accept': {
    service: 'relationships',
    targets: {
      'body.token': unknownToken,
      'body.email': () => uniqueEmail('admin', 'northwind'),
    },
    send: (base, address, values) =>
      form(base, '/invitations/reseller-relationship/partner-link/accept', address, {
        token: values['body.token'],
        email: values['body.email'],
        password: 'Not-the-password-0',
        acceptCustomerAgreement: 'on',
      }),
  },
  'GET /agreements/customer-agreement/:version': {
    service: 'relationships',
    targets: {},
    send: (base, address) =>
      documentedAgent(base)
        .get('/agreements/customer-agreement/1')
        .set('X-Forwarded-For', address)
        .set('accept', 'text/html'),
  },
  'GET /invitations/delegated-admin-relationship': {
    service: 'relationships',
    targets: { 'query.token': unknownToken },
    send: (base, address, values) =>
      page(base, '/invitations/delegated-admin-relationship', address, values['query.token']),
  },
  'POST /invitations/delegated-admin-relationship/decision': {
    service: 'relationships',
    targets: {
      'body.token': unknownToken,
      'body.email': () => uniqueEmail('admin', 'northwind'),
    },
    send: (base, address, values) =>
      form(base, '/invitations/delegated-admin-relationship/decision', address, {
        token: values['body.token'],
        email: values['body.email'],
        password: 'Not-the-password-0',
        decision: 'approve',
      }),
  },
  'POST /invitations/reseller-relationship/accept': {
    service: 'relationships',
    targets: {
      'body.token': unknownToken,
      'body.email': () => uniqueEmail('admin', 'northwind'),
    },
    send: (base, address, values) =>
      form(base, '/invitations/reseller-relationship/accept', address, {
        token: values['body.token'],
        email: values['body.email'],
        password: 'Not-the-password-0',
        acceptCustomerAgreement: 'on',
      }),
  },
  'POST /invitations/reseller-relationship/sign-up': {
    service: 'relationships',
    targets: {
      'body.token': unknownToken,
      'body.domainPrefix': () => uniqueDomainPrefix('northwind'),
    },
    send: (base, address, values) =>
      form(base, '/invitations/reseller-relationship/sign-up', address, {
        token: values['body.token'],
        companyName: 'Northwind Traders',
        domainPrefix: values['body.domainPrefix'],
        firstName: 'Nina',
        lastName: 'Northwind',
        addressLine1: '1 Main Street',
        city: 'Redmond',
        postalCode: '98052',
        country: 'US',
        newPassword: strongPassword(),
      }),
  },
};
