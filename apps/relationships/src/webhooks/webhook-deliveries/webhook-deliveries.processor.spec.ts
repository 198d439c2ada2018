import { JOB_CONTRACTS, JobName, QUEUES } from '@app/contracts';
import { WEBHOOK_DELIVERY_JOBS } from './webhook-deliveries.processor';

describe('the webhook-deliveries consumer', () => {
  it('handles every job of its queue, each once', () => {
    const queued = (Object.keys(JOB_CONTRACTS) as JobName[]).filter(
      (name) => JOB_CONTRACTS[name].queue === QUEUES.webhookDeliveries,
    );
    expect([...WEBHOOK_DELIVERY_JOBS].sort()).toEqual(queued.sort());
    expect(new Set(WEBHOOK_DELIVERY_JOBS).size).toBe(WEBHOOK_DELIVERY_JOBS.length);
    expect(queued).toEqual(['webhook.deliver']);
  });
});
