import { DeadlockException, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { againOnConflict } from './refresh-tokens.service';

/** A driver error as MikroORM wraps it (the code is what the converter read). */
const driverError = (code: string) => Object.assign(new Error(`error ${code}`), { code });

describe('againOnConflict (a refresh token rotation aborted by PostgreSQL)', () => {
  it('decides again after a deadlock or a serialization failure, and answers that decision', async () => {
    const decide = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new DeadlockException(driverError('40P01')))
      .mockRejectedValueOnce(new DeadlockException(driverError('40001')))
      .mockResolvedValueOnce('reused');
    await expect(againOnConflict(decide)).resolves.toBe('reused');
    expect(decide).toHaveBeenCalledTimes(3);
  });

  it('gives up after three attempts with the last error', async () => {
    const last = new DeadlockException(driverError('40P01'));
    const decide = jest
      .fn<Promise<string>, []>()
      .mockRejectedValueOnce(new DeadlockException(driverError('40P01')))
      .mockRejectedValueOnce(new DeadlockException(driverError('40P01')))
      .mockRejectedValueOnce(last)
      .mockResolvedValueOnce('never');
    await expect(againOnConflict(decide)).rejects.toBe(last);
    expect(decide).toHaveBeenCalledTimes(3);
  });

  it('does not decide again after any other error', async () => {
    const unique = new UniqueConstraintViolationException(driverError('23505'));
    const decide = jest.fn<Promise<string>, []>().mockRejectedValue(unique);
    await expect(againOnConflict(decide)).rejects.toBe(unique);
    expect(decide).toHaveBeenCalledTimes(1);
  });
});
