import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { Caller } from '@app/auth';
import { Collection, DomainError, IdempotentCall } from '@app/platform';
import { OutboxService } from '@app/outbox';
import { Cloud, JOBS, Locale, RenderedEmail, TenantSnapshot } from '@app/contracts';
import { ActivityLogService } from '../activity-log/activity-log.service';
import {
  assertKnownVersion,
  recordCustomerAcceptance,
} from '../customer-agreements/customer-agreement-records';
import { CUSTOMER_AGREEMENT_TEMPLATE } from '../customer-agreements/customer-agreement-template';
import { InvitationListQuery } from '../invitations/dto/invitation.query';
import {
  InvitationResponse,
  toInvitationSentResponse,
} from '../invitations/dto/invitation.response';
import { invitationEmail } from '../invitations/invitation-email';
import { effectiveStatus } from '../invitations/invitation-state';
import { Invitation } from '../invitations/invitation.entity';
import { InvitationsService } from '../invitations/invitations.service';
import { CustomerSnapshots } from '../customers/customer-snapshots.service';
import { PartnershipsService } from '../partnerships/partnerships.service';
import {
  assertDelegatedAdminRule,
  assertSameCloudAndMarket,
} from '../reseller-relationships/relationship-rules';
import {
  ResellerRelationshipsService,
  relationshipSnapshot,
} from '../reseller-relationships/reseller-relationships.service';
import { TenantDirectory } from '../tenants/tenant-directory.service';
import {
  AcceptRelationshipRequestDto,
  AcceptedRelationshipRequestResponse,
  CreateRelationshipRequestDto,
  RelationshipRequestResponse,
  RelationshipRequestSentResponse,
} from './dto/relationship-request.dto';
import { PartnerRelationshipLinks } from './partner-relationship-links.service';

const KIND = 'reseller-relationship' as const;

/**
 * Reseller relationship requests (seeds 000/001 "Request a reseller relationship", "Invite a
 * customer to establish a reseller relationship with you and your indirect provider at the same
 * time"): a partner invites a customer by email, with or without delegated admin privileges; the
 * customer's Global admin accepts with the link's token.
 */
@Injectable()
export class RelationshipRequestsService {
  constructor(
    private readonly em: EntityManager,
    private readonly invitations: InvitationsService,
    private readonly tenants: TenantDirectory,
    private readonly partnerships: PartnershipsService,
    private readonly customers: CustomerSnapshots,
    private readonly relationships: ResellerRelationshipsService,
    private readonly activityLog: ActivityLogService,
    private readonly outbox: OutboxService,
    private readonly links: PartnerRelationshipLinks,
  ) {}

  /**
   * Request a reseller relationship: creates the invitation, renders the draft (in process, no
   * call to notifications) and, unless `draftOnly`, queues the email, all or nothing. With the
   * create's `MS-RequestId` (`call`), its answer is recorded in the same statement (a retry gets
   * it; the invitation is never made twice).
   * @throws 403 `partner.not_active`; 422 `relationship_request.delegated_admin_required` (the
   *   inviting partner or a joint request's indirect provider in us-gov or germany); 422
   *   `relationship_request.joint_not_allowed` (a joint request by a partner that is not an
   *   indirect reseller); 422 `partnership.required` (joint request without an active partnership);
   *   503 `dependency.unavailable`.
   */
  async create(
    caller: Caller,
    dto: CreateRelationshipRequestDto,
    call: IdempotentCall | null = null,
  ): Promise<RelationshipRequestSentResponse> {
    const partner = await this.tenants.requireActivePartner(
      caller,
      dto.indirectProviderId ? 'indirect_reseller' : undefined,
    );
    assertDelegatedAdminRule(partner.cloud, dto.delegatedAdmin);
    let provider: TenantSnapshot | null = null;
    if (dto.indirectProviderId) {
      if (partner.partner?.partnerType !== 'indirect_reseller') {
        throw new DomainError(
          'relationship_request.joint_not_allowed',
          422,
          'Only an indirect reseller can invite a customer jointly with one of its indirect providers.',
        );
      }
      await this.partnerships.requireActivePartnership(dto.indirectProviderId, caller.tenantId);
      provider = await this.tenants.get(dto.indirectProviderId);
      // The provider gets a relationship from this request too: its cloud's rule applies.
      assertDelegatedAdminRule(provider.cloud, dto.delegatedAdmin);
    }
    const locale = dto.locale ?? caller.locale;
    const queued = !dto.draftOnly;
    const issued = this.invitations.issue({
      kind: KIND,
      partnerTenantId: caller.tenantId,
      cloud: partner.cloud,
      email: dto.email,
      locale,
      inviter: { userId: caller.userId, name: caller.name, email: caller.email },
      customMessage: dto.customMessage ?? null,
      delegatedAdmin: dto.delegatedAdmin,
      jointProviderTenantId: provider?.id ?? null,
    });
    const { invitation, link } = issued;
    const email = invitationEmail(invitation, partner, provider);
    const draft = this.invitations.draft(email.template, locale, email.data, link);
    const response = toRelationshipRequestSentResponse(invitation, draft, link, queued);
    await this.invitations.send(issued, caller, queued ? email : null, {
      call,
      status: 201,
      body: response,
    });
    return response;
  }

  /** The caller's reseller relationship requests, newest first (keyset on createdAt, id). */
  async list(
    caller: Caller,
    query: InvitationListQuery,
  ): Promise<Collection<RelationshipRequestResponse>> {
    const page = await this.invitations.list(caller.tenantId, KIND, query);
    return { ...page, items: page.items.map(toRelationshipRequestResponse) };
  }

  /**
   * Revoke a pending request: its link stops working.
   * @throws 404 `invitation.not_found`, 409 `invitation.already_accepted`.
   */
  async revoke(caller: Caller, id: string): Promise<RelationshipRequestResponse> {
    const invitation = await this.invitations.revoke(caller.tenantId, id, {
      kind: KIND,
      actor: caller,
    });
    return toRelationshipRequestResponseFromEntity(invitation);
  }

  /**
   * Resend a request: new token (the old link dies), new expiry, new draft, and the email unless
   * `draftOnly`.
   * @throws 403 `partner.not_active`, 404 `invitation.not_found`, 409 `invitation.already_accepted`,
   *   410 `invitation.revoked`.
   */
  async resend(
    caller: Caller,
    id: string,
    draftOnly: boolean,
  ): Promise<RelationshipRequestSentResponse> {
    await this.tenants.requireActivePartner(caller);
    const resent = await this.invitations.resend(caller.tenantId, id, {
      kind: KIND,
      actor: caller,
      draftOnly,
    });
    const { invitation, draft, link } = resent;
    return toRelationshipRequestSentResponse(invitation, draft, link, resent.queued);
  }

  /**
   * What the customer's acceptance page shows before anything changes: the inviting partner, the
   * joint indirect provider, whether delegated admin privileges are requested, the inviter and the
   * expiry.
   * @throws 404 `invitation.not_found`, 409 `invitation.already_accepted`, 410 `invitation.revoked`
   *   / `invitation.expired`.
   */
  async preview(token: string): Promise<{
    partnerName: string;
    partnerMpnId: string;
    providerName: string | null;
    delegatedAdmin: boolean;
    inviterName: string;
    expiresAt: Date;
    /** The email's language (the page's default). */
    locale: Locale;
    /** The address the invitation went to (the Global admin a sign-up from the page creates). */
    email: string;
    /** The inviting partner's cloud (a customer signing up from the page joins it). */
    cloud: Cloud;
  }> {
    const invitation = await this.invitations.peek(KIND, token);
    const ids = [invitation.partnerTenantId];
    if (invitation.jointProviderTenantId) ids.push(invitation.jointProviderTenantId);
    const tenants = await this.tenants.getMany(ids);
    const partner = tenants.get(invitation.partnerTenantId);
    const provider = invitation.jointProviderTenantId
      ? tenants.get(invitation.jointProviderTenantId)
      : undefined;
    return {
      partnerName: partner?.name ?? '',
      partnerMpnId: partner?.partner?.mpnId ?? '',
      providerName: provider?.name ?? null,
      delegatedAdmin: invitation.delegatedAdmin,
      inviterName: invitation.inviterName,
      expiresAt: invitation.expiresAt,
      locale: invitation.locale,
      email: invitation.email,
      cloud: invitation.cloud,
    };
  }

  /**
   * The customer's Global admin accepts a request (seed 001 steps 5–6). Checks, before anything is
   * written: the caller is a customer; the invitation is pending and was sent to an address of the
   * caller's organisation (`InvitationsService.peekForAcceptance`); then `establishAccepted`.
   * @throws 403 `relationship_request.customer_only`, 403 `invitation.wrong_organization`, 404
   *   `invitation.not_found`, 409 `invitation.already_accepted`, 410 `invitation.revoked` /
   *   `invitation.expired`, and the errors of `establishAccepted`.
   */
  async accept(
    caller: Caller,
    dto: AcceptRelationshipRequestDto,
  ): Promise<AcceptedRelationshipRequestResponse> {
    const customerTenant = await this.requireCustomer(caller);
    const pending = await this.invitations.peekForAcceptance(KIND, dto.token, caller);
    return this.establishAccepted(caller, customerTenant, {
      partnerTenantId: pending.partnerTenantId,
      jointProviderTenantId: pending.jointProviderTenantId,
      delegatedAdmin: pending.delegatedAdmin,
      acceptCustomerAgreement: dto.acceptCustomerAgreement === true,
      customerAgreementVersion: dto.customerAgreementVersion,
      claim: async (tx) => {
        const invitation = await this.invitations.consume(tx, KIND, dto.token, {
          tenantId: caller.tenantId,
          userId: caller.userId,
        });
        if (invitation.id !== pending.id)
          throw new DomainError('invitation.not_found', 404, 'The invitation was not found.');
        return invitation;
      },
    });
  }

  /**
   * What the acceptance page of a partner's reusable link shows: the partner, whether delegated
   * admin privileges are requested, and the Customer Agreement's version.
   * @throws 404 `relationship_request.link_invalid`, 422 `relationship_request.partner_not_active`.
   */
  async previewPartnerLink(token: string): Promise<{
    partnerName: string;
    partnerMpnId: string;
    delegatedAdmin: boolean;
  }> {
    const link = await this.links.verify(this.em, token);
    const partner = this.requireActivePartnerTenant(
      (await this.tenants.getMany([link.partnerTenantId])).get(link.partnerTenantId),
    );
    return {
      partnerName: partner.name,
      partnerMpnId: partner.partner?.mpnId ?? '',
      delegatedAdmin: link.delegatedAdmin,
    };
  }

  /**
   * A customer's Global admin accepts a partner's reusable link (Partner Center's
   * RelationshipRequest URL): any customer may, the link is not bound to an address; the link is
   * checked against the partner's current generation before and again inside the transaction (a
   * rotated link is refused). Then `establishAccepted`, without an invitation and without the
   * "accepted" email (no inviter: the partner sees the customer on its list).
   * @throws 403 `relationship_request.customer_only`, 404 `relationship_request.link_invalid`, and
   *   the errors of `establishAccepted`.
   */
  async acceptPartnerLink(
    caller: Caller,
    dto: { token: string; acceptCustomerAgreement: boolean; customerAgreementVersion?: string },
  ): Promise<AcceptedRelationshipRequestResponse> {
    const customerTenant = await this.requireCustomer(caller);
    const link = await this.links.verify(this.em, dto.token);
    return this.establishAccepted(caller, customerTenant, {
      partnerTenantId: link.partnerTenantId,
      jointProviderTenantId: null,
      delegatedAdmin: link.delegatedAdmin,
      acceptCustomerAgreement: dto.acceptCustomerAgreement,
      customerAgreementVersion: dto.customerAgreementVersion,
      claim: async (tx) => {
        await this.links.verify(tx, dto.token);
        return null;
      },
    });
  }

  /**
   * The caller's customer tenant.
   * @throws 403 `relationship_request.customer_only` for a partner or operator.
   */
  private async requireCustomer(caller: Caller): Promise<TenantSnapshot> {
    const customerTenant =
      caller.tenantKind === 'customer' ? await this.tenants.get(caller.tenantId) : null;
    if (customerTenant?.kind !== 'customer' || !customerTenant.customer) {
      throw new DomainError(
        'relationship_request.customer_only',
        403,
        "Only a customer's Global admin can accept a reseller relationship request.",
      );
    }
    return customerTenant;
  }

  /**
   * Establish what a customer's Global admin accepted (an invitation, or a partner's reusable
   * link). Checks, before anything is written: the inviting partner (and a joint indirect provider)
   * is active, in the customer's cloud and in its country or market region, and the request obeys
   * its cloud's delegated admin rule; a joint request's partnership is still active; the Customer
   * Agreement is accepted or accepted now (`acceptCustomerAgreement`, of the version shown: the
   * current one when none is given). Then, in one transaction: `claim` (the token consumed, or the
   * link checked again), the customer snapshot upserted, a new agreement acceptance recorded (the
   * Agreement row with its version, the customer's acceptance time, and the
   * `customer-agreement.accepted` event queued for identity: no call inside the transaction), the
   * relationship(s) established (delegated admin privileges only for the inviting partner, when
   * requested), the activity log written and, for an invitation, the `invitation-accepted` note to
   * the inviter queued.
   * @throws 403 `relationship_request.cloud_mismatch`, 403 `relationship_request.region_mismatch`,
   *   400 `customer_agreement.version_unknown`, 422 `customer_agreement.required`, 422
   *   `relationship_request.partner_not_active`, 422
   *   `relationship_request.delegated_admin_required`, 422 `partnership.required`, 503
   *   `dependency.unavailable`.
   */
  private async establishAccepted(
    caller: Caller,
    customerTenant: TenantSnapshot,
    request: {
      partnerTenantId: string;
      jointProviderTenantId: string | null;
      delegatedAdmin: boolean;
      acceptCustomerAgreement: boolean;
      customerAgreementVersion: string | undefined;
      claim: (tx: EntityManager) => Promise<Invitation | null>;
    },
  ): Promise<AcceptedRelationshipRequestResponse> {
    const ids = [request.partnerTenantId];
    if (request.jointProviderTenantId) ids.push(request.jointProviderTenantId);
    const partners = await this.tenants.getMany(ids);
    const partner = this.requireActivePartnerTenant(partners.get(request.partnerTenantId));
    assertSameCloudAndMarket(partner, customerTenant);
    assertDelegatedAdminRule(partner.cloud, request.delegatedAdmin);
    let provider: TenantSnapshot | null = null;
    if (request.jointProviderTenantId) {
      provider = this.requireActivePartnerTenant(partners.get(request.jointProviderTenantId));
      assertSameCloudAndMarket(provider, customerTenant);
      assertDelegatedAdminRule(provider.cloud, request.delegatedAdmin);
      await this.partnerships.requireActivePartnership(provider.id, partner.id);
    }
    const version = request.customerAgreementVersion ?? CUSTOMER_AGREEMENT_TEMPLATE.version;
    assertKnownVersion(version);
    const recordedAt = customerTenant.customer?.customerAgreementAcceptedAt
      ? new Date(customerTenant.customer.customerAgreementAcceptedAt)
      : await this.customers.agreementAcceptedAt(this.em, caller.tenantId);
    if (!recordedAt && !request.acceptCustomerAgreement) {
      throw new DomainError(
        'customer_agreement.required',
        422,
        'Accept the Customer Agreement to accept this reseller relationship (send acceptCustomerAgreement: true).',
      );
    }

    return this.em.transactional(async (tx) => {
      const invitation = await request.claim(tx);
      const customer = await this.customers.upsert(tx, customerTenant);
      let agreementAcceptedAt = recordedAt;
      let agreementAcceptedNow = false;
      if (!agreementAcceptedAt) {
        // No call to identity here (DESIGN.md: no call inside a transaction): the acceptance is
        // written in this transaction, and identity records it from the event queued with it, so
        // it exists in identity only if this acceptance commits.
        const now = invitation?.acceptedAt ?? new Date();
        agreementAcceptedAt = await this.customers.recordAgreement(tx, customer.id, now);
        if (agreementAcceptedAt.getTime() === now.getTime()) {
          agreementAcceptedNow = true;
          recordCustomerAcceptance(tx, caller, {
            version,
            at: now,
            invitationId: invitation?.id ?? null,
          });
          this.outbox.enqueue(tx, JOBS.customerAgreementAccepted, {
            customerTenantId: caller.tenantId,
            acceptedByUserId: caller.userId,
            acceptedAt: now.toISOString(),
            invitationId: invitation?.id ?? null,
            version,
          });
        }
      }
      const primary = await this.relationships.establish(tx, {
        partner,
        customer,
        delegatedAdmin: request.delegatedAdmin,
      });
      const joint = provider
        ? await this.relationships.establish(tx, {
            partner: provider,
            customer,
            delegatedAdmin: false,
            indirectResellerId: partner.id,
          })
        : null;
      const established = [primary.relationship, ...(joint ? [joint.relationship] : [])];
      // One event for the acceptance (issue 14: one event per change): the inviting partner's
      // relationship, the joint provider's, and the Customer Agreement when accepted with it.
      await this.activityLog.record(tx, {
        type: 'reseller_relationship.established',
        actor: caller,
        tenantIds: [caller.tenantId, partner.id, ...(provider ? [provider.id] : [])],
        resource: { type: 'reseller_relationship', id: primary.relationship.id },
        customerId: customer.id,
        before: primary.before,
        after: {
          ...relationshipSnapshot(primary.relationship),
          invitationId: invitation?.id ?? null,
          partnerLink: invitation === null,
          jointProviderRelationship: joint ? relationshipSnapshot(joint.relationship) : null,
          customerAgreementAcceptedAt: agreementAcceptedNow
            ? agreementAcceptedAt.toISOString()
            : null,
          customerAgreementVersion: agreementAcceptedNow ? version : null,
        },
      });
      if (invitation) {
        this.outbox.enqueueEmail(tx, {
          template: 'invitation-accepted',
          to: invitation.inviterEmail,
          // The inviter's language (the invitation's locale was chosen for the customer).
          locale: partner.locale,
          data: {
            inviterName: invitation.inviterName,
            invitationKind: KIND,
            acceptedByOrganization: customer.companyName,
            acceptedAt: (invitation.acceptedAt ?? new Date()).toISOString(),
          },
        });
      }
      return {
        customerId: customer.id,
        customerAgreementAcceptedAt: agreementAcceptedAt.toISOString(),
        relationships: established.map((relationship) => ({
          partnerId: relationship.partnerTenantId,
          partnerName: (partners.get(relationship.partnerTenantId) ?? partner).name,
          relationshipToCustomer: 'reseller' as const,
          delegatedAdmin: relationship.delegatedAdminStatus === 'active',
          indirectResellerId: relationship.indirectResellerId,
        })),
      };
    });
  }

  /**
   * The inviting partner must still be an active partner when the customer accepts.
   * @throws 404 `tenant.not_found`, 422 `relationship_request.partner_not_active`.
   */
  private requireActivePartnerTenant(tenant: TenantSnapshot | undefined): TenantSnapshot {
    if (!tenant) throw new DomainError('tenant.not_found', 404, 'The tenant was not found.');
    if (tenant.kind !== 'partner' || tenant.partner?.status !== 'active') {
      throw new DomainError(
        'relationship_request.partner_not_active',
        422,
        `${tenant.name} is no longer an active partner: this request cannot be accepted.`,
      );
    }
    return tenant;
  }
}

/** A listed invitation as a reseller relationship request. */
function toRelationshipRequestResponse(item: InvitationResponse): RelationshipRequestResponse {
  return {
    id: item.id,
    email: item.email,
    locale: item.locale,
    status: item.status,
    delegatedAdmin: item.delegatedAdmin,
    indirectProviderId: item.jointProviderTenantId,
    customMessage: item.customMessage,
    inviter: item.inviter,
    expiresAt: item.expiresAt,
    createdAt: item.createdAt,
    acceptedAt: item.acceptedAt,
    acceptedByTenantId: item.acceptedByTenantId,
    attributes: { objectType: 'RelationshipRequest' },
  };
}

function toRelationshipRequestResponseFromEntity(
  invitation: Invitation,
): RelationshipRequestResponse {
  return {
    id: invitation.id,
    email: invitation.email,
    locale: invitation.locale,
    status: effectiveStatus(invitation, new Date()),
    delegatedAdmin: invitation.delegatedAdmin,
    indirectProviderId: invitation.jointProviderTenantId,
    customMessage: invitation.customMessage,
    inviter: {
      userId: invitation.inviterUserId,
      name: invitation.inviterName,
      email: invitation.inviterEmail,
    },
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
    acceptedAt: invitation.acceptedAt?.toISOString() ?? null,
    acceptedByTenantId: invitation.acceptedByTenantId,
    attributes: { objectType: 'RelationshipRequest' },
  };
}

/** The answer of creating or resending a request: the invitation's shape plus its draft. */
function toRelationshipRequestSentResponse(
  invitation: Invitation,
  draft: RenderedEmail,
  link: string,
  queued: boolean,
): RelationshipRequestSentResponse {
  return {
    ...toInvitationSentResponse(invitation, draft, link, queued),
    delegatedAdmin: invitation.delegatedAdmin,
    indirectProviderId: invitation.jointProviderTenantId,
  };
}
