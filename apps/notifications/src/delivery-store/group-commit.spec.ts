import { GroupCommit } from './group-commit';

describe('GroupCommit', () => {
  it('writes the items submitted together in one flush and answers each its own result', async () => {
    const flushes: number[][] = [];
    const commit = new GroupCommit<number, string>(
      (items) => {
        flushes.push(items);
        return Promise.resolve(items.map((n) => `#${n}`));
      },
      { maxBatch: 100, maxConcurrent: 1, windowMs: 5 },
    );
    const results = await Promise.all([1, 2, 3].map((n) => commit.submit(n)));
    expect(results).toEqual(['#1', '#2', '#3']);
    expect(flushes).toEqual([[1, 2, 3]]);
  });

  it('collects what arrives while a flush runs into the next one, at most maxBatch at a time', async () => {
    const flushes: number[][] = [];
    let release!: () => void;
    const first = new Promise<void>((resolve) => (release = resolve));
    const commit = new GroupCommit<number, number>(
      async (items) => {
        flushes.push(items);
        if (flushes.length === 1) await first;
        return items;
      },
      { maxBatch: 2, maxConcurrent: 1, windowMs: 0 },
    );
    const a = commit.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const rest = [2, 3, 4].map((n) => commit.submit(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushes).toEqual([[1]]);
    release();
    expect(await Promise.all([a, ...rest])).toEqual([1, 2, 3, 4]);
    expect(flushes).toEqual([[1], [2, 3], [4]]);
  });

  it('retries a failed batch item by item, so that one bad item fails alone', async () => {
    const commit = new GroupCommit<number, number>(
      (items) =>
        items.includes(13) ? Promise.reject(new Error('bad item')) : Promise.resolve(items),
      { maxBatch: 10, maxConcurrent: 1, windowMs: 1 },
    );
    const results = await Promise.allSettled([12, 13, 14].map((n) => commit.submit(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad item'));
  });
});
