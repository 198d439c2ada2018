import type { ApiPaths } from '@app/api-client';

/** The documented 200/201 JSON body of `M` on path `P` (types generated from the OpenAPI document). */
type Ok<Op> = Op extends { responses: infer R }
  ? R extends { 200: { content: { 'application/json': infer B } } }
    ? B
    : R extends { 201: { content: { 'application/json': infer B } } }
      ? B
      : never
  : never;

/** A page of `GET /v1/customers`. */
export type CustomerPage = Ok<ApiPaths['/v1/customers']['get']>;
/** One customer of that page. */
export type CustomerListItem = CustomerPage['items'][number];
/** `GET /v1/customers/{id}`. */
export type Customer = Ok<ApiPaths['/v1/customers/{id}']['get']>;
/** One subscription of `GET /v1/customers/{customerId}/subscriptions`. */
export type Subscription = Ok<
  ApiPaths['/v1/customers/{customerId}/subscriptions']['get']
>['items'][number];
/** One partner relationship of `GET /v1/relationships` (indirect resellers or providers). */
export type PartnerRelationship = Ok<ApiPaths['/v1/relationships']['get']>['items'][number];
/** One reseller relationship request of `GET /v1/customers/relationship-requests`. */
export type RelationshipRequest = Ok<
  ApiPaths['/v1/customers/relationship-requests']['get']
>['items'][number];
/** The answer of creating or resending a request: the draft email and whether it was queued. */
export type RelationshipRequestSent = Ok<ApiPaths['/v1/customers/relationship-requests']['post']>;
/** One offer of `GET /v1/offers`. */
export type Offer = Ok<ApiPaths['/v1/offers']['get']>['items'][number];
/** A customer just created (`POST /v1/customers`), with its one-time credentials. */
export type CreatedCustomer = Ok<ApiPaths['/v1/customers']['post']>;
/** A delegated admin relationship (GDAP, Graph's shape). */
export type DelegatedAdminRelationship = Ok<
  ApiPaths['/v1/tenantRelationships/delegatedAdminRelationships/{id}']['get']
>;
/** A lifecycle request of a delegated admin relationship. */
export type DelegatedAdminRequest = Ok<
  ApiPaths['/v1/tenantRelationships/delegatedAdminRelationships/{id}/requests']['get']
>['value'][number];
/** An access assignment of a delegated admin relationship. */
export type AccessAssignment = Ok<
  ApiPaths['/v1/tenantRelationships/delegatedAdminRelationships/{id}/accessAssignments']['get']
>['value'][number];
/** One partner security group (`GET /v1/security-groups`). */
export type SecurityGroup = Ok<ApiPaths['/v1/security-groups']['get']>['items'][number];
