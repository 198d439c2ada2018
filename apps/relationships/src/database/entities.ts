import { OutboxMessage } from '@app/outbox';
import { ActivityLogChainLink } from '../activity-log/activity-log-chain-link.entity';
import { ActivityLogEntry } from '../activity-log/activity-log-entry.entity';
import { CustomerAgreement } from '../customer-agreements/customer-agreement.entity';
import { Customer } from '../customers/customer.entity';
import {
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipRequest,
} from '../delegated-admin-relationships/delegated-admin-relationship.entity';
import {
  DelegatedAdminAccessAssignment,
  DelegatedAdminRelationshipOperation,
} from '../delegated-admin-relationships/access-assignment.entity';
import { InvitationEmailSend } from '../invitations/invitation-email-send.entity';
import { Invitation } from '../invitations/invitation.entity';
import { Partnership } from '../partnerships/partnership.entity';
import { PartnerRelationshipLink } from '../relationship-requests/partner-relationship-link.entity';
import { ResellerRelationship } from '../reseller-relationships/reseller-relationship.entity';
import { Subscription } from '../subscriptions/subscription.entity';
import { WebhookAttempt } from '../webhooks/webhook-deliveries/webhook-attempt.entity';
import { WebhookDelivery } from '../webhooks/webhook-deliveries/webhook-delivery.entity';
import { WebhookEvent } from '../webhooks/webhook-deliveries/webhook-event.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoints/webhook-endpoint.entity';

/**
 * Every entity of the relationships service, listed explicitly (no globs), each from its feature
 * folder. No feature imports `database/`, so this list never closes a cycle between folders.
 */
export const ENTITIES = [
  OutboxMessage,
  ActivityLogEntry,
  ActivityLogChainLink,
  Invitation,
  InvitationEmailSend,
  Partnership,
  Customer,
  CustomerAgreement,
  ResellerRelationship,
  PartnerRelationshipLink,
  Subscription,
  WebhookEndpoint,
  WebhookEvent,
  WebhookDelivery,
  WebhookAttempt,
  DelegatedAdminRelationship,
  DelegatedAdminRelationshipRequest,
  DelegatedAdminAccessAssignment,
  DelegatedAdminRelationshipOperation,
];
