import { PERMISSION_MATRIX } from '@app/auth';
import type { Role, TenantKind } from '@app/contracts';
import { uniqueName } from './data';
import { operatorToken } from './identity/enrollments';
import {
  addActiveUser,
  addUser,
  enrollPartner,
  signIn,
  signUpCustomer,
  type EnrolledPartner,
  type SignedUpCustomer,
} from './identity/flows';
import type { AddedUser } from './identity/types';
import { addCustomerUser, addDisabledUser } from './identity/users';
import { createCustomer, newCustomerBody } from './relationships/customers';
import { draftPartnershipRequest, partner } from './relationships/partnerships';
import { draftRelationshipRequest } from './relationships/relationship-requests';
import type {
  CreatedCustomer,
  PartnershipRequestSent,
  RelationshipRequestSent,
} from './relationships/types';

/**
 * A small channel built through the API for the proofs that walk every route (the authorization
 * matrix, the fuzz run): an indirect provider with an indirect reseller (partnership and
 * administrator access), a signed-up customer, a customer the provider created with a
 * subscription, one signed-in user of every role of every tenant kind, and the same channel of
 * another organisation ("other") whose resources a caller must never reach. What each resource is
 * built with is in its app's folder (identity/, relationships/).
 */

/** A signed-in user of exactly one role (built from the permission matrix). */
export interface RoleCaller {
  kind: TenantKind;
  role: Role;
  token: string;
  /** e.g. `partner GlobalAdmin`. */
  label: string;
}

/** Another organisation's channel: what the 404 cases reach for. */
export interface OtherChannel {
  provider: EnrolledPartner;
  reseller: EnrolledPartner;
  customer: CreatedCustomer;
  /** A user of `provider`. */
  user: AddedUser;
  /** A pending partnership request of `provider`. */
  partnershipRequest: PartnershipRequestSent;
  /** A pending reseller relationship request of `reseller`. */
  relationshipRequest: RelationshipRequestSent;
  /** A Billing admin of `customer`, added by `provider` through its delegated admin privileges. */
  customerUser: AddedUser;
  /** A disabled user of `provider`. */
  disabledUser: AddedUser;
}

/** The shared channel every valid call of a route can be built from. */
export interface BaseWorld {
  operator: { token: string };
  provider: EnrolledPartner;
  reseller: EnrolledPartner;
  customer: SignedUpCustomer;
  /** A customer `provider` created for `reseller`, with one subscription. */
  providerCustomer: CreatedCustomer;
}

/** The base world, plus a user of every role and another organisation's channel. */
export interface World extends BaseWorld {
  /** One single-role user per role of the permission matrix (partner, customer, platform). */
  callers: RoleCaller[];
  /** A Global admin of `provider` still on a temporary password. */
  temporaryPasswordToken: string;
  other: OtherChannel;
}

async function roleCallers(
  provider: EnrolledPartner,
  customer: SignedUpCustomer,
  operator: string,
): Promise<RoleCaller[]> {
  const build = async (kind: TenantKind, role: Role): Promise<RoleCaller> => {
    const label = `${kind} ${role}`;
    if (kind === 'platform') return { kind, role, token: operator, label };
    const owner = kind === 'partner' ? provider : customer;
    const user = await addActiveUser(owner.token, [role]);
    return { kind, role, token: user.token, label };
  };
  const wanted = (Object.keys(PERMISSION_MATRIX) as TenantKind[]).flatMap((kind) =>
    (Object.keys(PERMISSION_MATRIX[kind]) as Role[]).map((role) => [kind, role] as const),
  );
  // Three at a time: each is an argon2 hash, a sign-in and a password change in identity.
  const callers: RoleCaller[] = [];
  for (let i = 0; i < wanted.length; i += 3) {
    callers.push(
      ...(await Promise.all(wanted.slice(i, i + 3).map(([kind, role]) => build(kind, role)))),
    );
  }
  return callers;
}

async function otherChannel(): Promise<OtherChannel> {
  const [provider, reseller] = await Promise.all([
    enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Wingtip Distribution') }),
    enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Woodgrove Resellers') }),
  ]);
  await partner(provider, reseller);
  const customer = await createCustomer(
    provider,
    newCustomerBody({ indirectResellerId: reseller.tenantId }),
  );
  const [user, partnershipRequest, relationshipRequest, customerUser, disabledUser] =
    await Promise.all([
      addUser(provider.token, ['SalesAgent'], { company: 'wingtip' }),
      draftPartnershipRequest(provider),
      draftRelationshipRequest(reseller, { delegatedAdmin: true }),
      addCustomerUser(provider, customer.id),
      addDisabledUser(provider, { company: 'wingtip' }),
    ]);
  return {
    provider,
    reseller,
    customer,
    user,
    partnershipRequest,
    relationshipRequest,
    customerUser,
    disabledUser,
  };
}

/**
 * The base world: an indirect provider and an indirect reseller with their partnership and
 * administrator access, a signed-up customer, a customer the provider created, the operator.
 */
export async function buildBaseWorld(): Promise<BaseWorld> {
  const [provider, reseller, customer, operator] = await Promise.all([
    enrollPartner({ partnerType: 'indirect_provider', name: uniqueName('Contoso Distribution') }),
    enrollPartner({ partnerType: 'indirect_reseller', name: uniqueName('Fabrikam') }),
    signUpCustomer(),
    operatorToken(),
  ]);
  await partner(provider, reseller);
  const providerCustomer = await createCustomer(
    provider,
    newCustomerBody({ indirectResellerId: reseller.tenantId }),
  );
  return { operator: { token: operator }, provider, reseller, customer, providerCustomer };
}

/** The whole world (about a dozen enrollments, sign-ins and emails; moderate parallelism). */
export async function buildWorld(): Promise<World> {
  const base = await buildBaseWorld();
  const other = await otherChannel();
  const callers = await roleCallers(base.provider, base.customer, base.operator.token);
  const temporary = await addUser(base.provider.token, ['GlobalAdmin']);
  const temporaryPasswordToken = (await signIn(temporary.user.email, temporary.temporaryPassword))
    .accessToken;
  return { ...base, callers, temporaryPasswordToken, other };
}
