import { z } from 'zod';

/** 201 answer of `POST /v1/queue-dashboard/tickets`. */
export const QueueDashboardTicketResponseSchema = z.object({
  /**
   * The link that opens the dashboard in a browser (absolute, on this service's `PUBLIC_URL`):
   * `…/admin/queues/session?ticket=…`, single use, until `expiresAt`.
   */
  url: z.url(),
  expiresAt: z.iso.datetime(),
});
export type QueueDashboardTicketResponse = z.infer<typeof QueueDashboardTicketResponseSchema>;
