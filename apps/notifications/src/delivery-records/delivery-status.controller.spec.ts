import { DeliveryState } from '../delivery-store/delivery.store';
import { toStatusEntry } from './delivery-status.controller';

describe('delivery status', () => {
  const state = (status: DeliveryState['status'], settled: boolean): DeliveryState => ({
    idempotencyKey: 'k',
    status,
    settled,
  });

  it('maps each recorded status to what the relay needs', () => {
    expect(toStatusEntry(state('sent', true))).toEqual({
      idempotencyKey: 'k',
      status: 'sent',
      settled: true,
    });
    expect(toStatusEntry(state('skipped', true))?.settled).toBe(true);
    expect(toStatusEntry(state('failed', true))?.settled).toBe(true);
    expect(toStatusEntry(state('failed', false))?.settled).toBe(false);
    // Claimed, nothing recorded yet: as unsettled as no record at all.
    expect(toStatusEntry(state('pending', false))).toBeUndefined();
  });
});
