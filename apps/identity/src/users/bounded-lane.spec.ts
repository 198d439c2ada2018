import { DomainError } from '@app/platform';
import { BoundedLane } from './bounded-lane';

/** A task that finishes when `release()` is called. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((resolve) => (release = resolve));
  return { release, task: () => done };
}

describe('BoundedLane', () => {
  it('runs at most `concurrency` tasks at once, the rest in arrival order', async () => {
    const lane = new BoundedLane(2, 10);
    const order: number[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      lane.run(async () => {
        order.push(i);
        await g.task();
        return i;
      }),
    );
    await Promise.resolve();
    expect(lane.load).toEqual({ active: 2, waiting: 2 });
    expect(order).toEqual([0, 1]);
    gates[1].release();
    await runs[1];
    await Promise.resolve();
    expect(order).toEqual([0, 1, 2]);
    expect(lane.load).toEqual({ active: 2, waiting: 1 });
    gates[0].release();
    gates[2].release();
    gates[3].release();
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(lane.load).toEqual({ active: 0, waiting: 0 });
  });

  it('refuses a task at once with 503 service.busy when the queue is full', async () => {
    const lane = new BoundedLane(1, 1);
    const first = gate();
    const running = lane.run(first.task);
    const queued = lane.run(() => Promise.resolve('queued'));
    let refused: unknown;
    await lane.run(() => Promise.resolve('over')).catch((error: unknown) => (refused = error));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'service.busy',
      status: 503,
      data: { retryAfterSeconds: 1 },
    });
    first.release();
    await running;
    await expect(queued).resolves.toBe('queued');
  });

  it('frees the slot when a task fails', async () => {
    const lane = new BoundedLane(1, 0);
    await expect(lane.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lane.run(() => Promise.resolve(1))).resolves.toBe(1);
    expect(lane.load).toEqual({ active: 0, waiting: 0 });
  });
});
