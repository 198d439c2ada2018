import { ActivityLogEntry } from '../activity-log-entry.entity';

/** An activity log entry as the API shows it. */
export interface ActivityLogResponse {
  id: string;
  occurredAt: string;
  actor: { userId: string | null; tenantId: string };
  tenantIds: string[];
  action: string;
  subject: { type: string; id: string };
  before: unknown;
  after: unknown;
  attributes: { objectType: 'ActivityLogEntry' };
}

export function toActivityLogResponse(entry: ActivityLogEntry): ActivityLogResponse {
  return {
    id: entry.id,
    occurredAt: entry.occurredAt.toISOString(),
    actor: { userId: entry.actorUserId, tenantId: entry.actorTenantId },
    tenantIds: entry.tenantIds,
    action: entry.action,
    subject: { type: entry.subjectType, id: entry.subjectId },
    before: entry.before ?? null,
    after: entry.after ?? null,
    attributes: { objectType: 'ActivityLogEntry' },
  };
}
