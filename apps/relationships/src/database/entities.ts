import { OutboxMessage } from '@app/outbox';
import { ActivityLogEntry } from '../activity-log/activity-log-entry.entity';
import { CUSTOMER_ENTITIES } from '../customers/customer.entities';
import { Invitation } from '../invitations/invitation.entity';
import { Partnership } from '../partnerships/partnership.entity';

/** Every entity of the relationships service, listed explicitly (no globs). */
export const ENTITIES = [
  OutboxMessage,
  ActivityLogEntry,
  Invitation,
  Partnership,
  ...CUSTOMER_ENTITIES,
];
