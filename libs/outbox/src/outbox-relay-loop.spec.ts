import { KICK_GATHER_MS, Loop } from './outbox-relay.service';

describe('the outbox relay loop (kicks gather for KICK_GATHER_MS)', () => {
  beforeEach(() => jest.useFakeTimers({ now: 0 }));
  afterEach(() => jest.useRealTimers());

  /** A loop whose runs are counted and answer `next` (the delay before the next run). */
  function counted(next = 60_000) {
    const runs: number[] = [];
    const loop = new Loop(() => {
      runs.push(Date.now());
      return Promise.resolve(next);
    }, KICK_GATHER_MS);
    return { loop, runs };
  }

  it('runs once for the kicks of one gathering window, KICK_GATHER_MS after the first', async () => {
    const { loop, runs } = counted();
    loop.start(60_000);
    loop.kick();
    await jest.advanceTimersByTimeAsync(2);
    loop.kick();
    loop.kick();
    await jest.advanceTimersByTimeAsync(KICK_GATHER_MS);
    expect(runs).toEqual([KICK_GATHER_MS]);
    await loop.stop();
  });

  it('is not postponed by a steady stream of kicks', async () => {
    const { loop, runs } = counted();
    loop.start(60_000);
    for (let t = 0; t < 4 * KICK_GATHER_MS; t += 1) {
      loop.kick();
      await jest.advanceTimersByTimeAsync(1);
    }
    expect(runs.length).toBeGreaterThanOrEqual(3);
    expect(runs[0]).toBe(KICK_GATHER_MS);
    await loop.stop();
  });

  it('runs again after a run during which it was kicked, and not before that run ends', async () => {
    let release: () => void = () => undefined;
    const runs: number[] = [];
    const loop = new Loop(() => {
      runs.push(Date.now());
      return new Promise<number>((resolve) => (release = () => resolve(60_000)));
    }, KICK_GATHER_MS);
    loop.start(0);
    await jest.advanceTimersByTimeAsync(0);
    expect(runs).toEqual([0]);
    loop.kick();
    await jest.advanceTimersByTimeAsync(50);
    expect(runs).toEqual([0]);
    release();
    await jest.advanceTimersByTimeAsync(KICK_GATHER_MS);
    expect(runs).toEqual([0, 50 + KICK_GATHER_MS]);
    release();
    await loop.stop();
  });

  it('a kick brings forward a run that is further away than the window, never one that is nearer', async () => {
    const { loop, runs } = counted();
    loop.start(2);
    loop.kick();
    await jest.advanceTimersByTimeAsync(2);
    expect(runs).toEqual([2]);
    await loop.stop();
  });
});
