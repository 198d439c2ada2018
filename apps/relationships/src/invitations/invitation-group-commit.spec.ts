import {
  GroupedWrite,
  InvitationGroupCommit,
  groupStatement,
  rolledBack,
} from './invitation-group-commit';

/** A write whose fragments name it; `alone` records that it ran alone and answers `outcome`. */
function write(
  name: string,
  ran: string[],
  options: { shape?: string; locks?: string[]; outcome?: Error; gate?: Promise<void> } = {},
): GroupedWrite {
  return {
    shape: options.shape ?? 'email:none',
    build: (params, tag) =>
      Promise.resolve({
        ctes: [`"invitation${tag}" as (insert ${params.add(name)})`],
        select: `take(${params.add(name)})`,
        locks: options.locks ?? [`partner:${name}`, `recipient:${name}`],
      }),
    alone: async () => {
      await options.gate;
      ran.push(name);
      if (options.outcome) throw options.outcome;
    },
  };
}

function databaseError(code: string): Error {
  return Object.assign(new Error(`error ${code}`), { code, severity: 'ERROR' });
}

describe('InvitationGroupCommit', () => {
  it('writes a write alone when no statement is in flight', async () => {
    const execute = jest.fn();
    const ran: string[] = [];
    await new InvitationGroupCommit(execute).write(write('a', ran));
    expect(ran).toEqual(['a']);
    expect(execute).not.toHaveBeenCalled();
  });

  it('writes the writes that arrived meanwhile together, a power of two a statement', async () => {
    const statements: { text: string; values: unknown[] }[] = [];
    const group = new InvitationGroupCommit((text, values) => {
      statements.push({ text, values });
      return Promise.resolve();
    });
    const ran: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = group.write(write('a', ran, { gate }));
    const others = ['b', 'c', 'd', 'e', 'f', 'g'].map((name) => group.write(write(name, ran)));
    open();
    await Promise.all([first, ...others]);
    // a alone; then b–e in one statement (4), f–g in the next (2).
    expect(ran).toEqual(['a']);
    expect(statements).toHaveLength(2);
    expect(statements[0].values.slice(0, 8)).toEqual(['b', 'b', 'c', 'c', 'd', 'd', 'e', 'e']);
    expect(statements[0].text).toContain('"invitation_1" as (insert $1)');
    expect(statements[0].text).toContain('"invitation_4" as (insert $7)');
    expect(statements[1].values.slice(0, 4)).toEqual(['f', 'f', 'g', 'g']);
  });

  it('never puts writes of two shapes in one statement', async () => {
    const statements: unknown[][] = [];
    const group = new InvitationGroupCommit((_text, values) => {
      statements.push(values);
      return Promise.resolve();
    });
    const ran: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = group.write(write('a', ran, { gate }));
    const others = [
      write('b', ran),
      write('x', ran, { shape: 'draft:none', locks: [] }),
      write('c', ran),
      write('y', ran, { shape: 'draft:none', locks: [] }),
    ].map((w) => group.write(w));
    open();
    await Promise.all([first, ...others]);
    expect(statements.map((values) => values.slice(0, 4))).toEqual([
      ['b', 'b', 'c', 'c'],
      ['x', 'x', 'y', 'y'],
    ]);
  });

  it('runs each write of a statement PostgreSQL refused alone: each gets its own answer', async () => {
    const group = new InvitationGroupCommit(() => Promise.reject(databaseError('PC429')));
    const ran: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const capped = databaseError('PC429');
    const first = group.write(write('a', ran, { gate }));
    const b = group.write(write('b', ran));
    const c = group.write(write('c', ran, { outcome: capped }));
    open();
    await first;
    await expect(b).resolves.toBeUndefined();
    await expect(c).rejects.toBe(capped);
    expect(ran).toEqual(['a', 'b', 'c']);
  });

  it('answers a lost connection to every write of the statement, without running any again', async () => {
    const lost = Object.assign(new Error('Connection terminated unexpectedly'), {});
    const group = new InvitationGroupCommit(() => Promise.reject(lost));
    const ran: string[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const first = group.write(write('a', ran, { gate }));
    const b = group.write(write('b', ran));
    const c = group.write(write('c', ran));
    open();
    await first;
    await expect(b).rejects.toBe(lost);
    await expect(c).rejects.toBe(lost);
    expect(ran).toEqual(['a']);
  });
});

describe('groupStatement', () => {
  it('takes every partner lock, then every recipient lock, each class in one order, before the writes', async () => {
    const ran: string[] = [];
    const { text, values } = await groupStatement([
      write('a', ran, { locks: ['partner:2', 'recipient:b'] }),
      write('b', ran, { locks: ['partner:1', 'recipient:c'] }),
      write('c', ran, { locks: ['partner:2', 'recipient:a'] }),
      write('d', ran, { shape: 'draft:none', locks: [] }),
    ]);
    const select = text.slice(text.lastIndexOf(') select ') + ') select '.length);
    const locked = [...select.matchAll(/hashtextextended\(\$(\d+)::text, 0\)/g)].map(
      (m) => values[Number(m[1]) - 1],
    );
    expect(locked).toEqual(['partner:1', 'partner:2', 'recipient:a', 'recipient:b', 'recipient:c']);
    expect(select.indexOf('pg_advisory_xact_lock')).toBeLessThan(select.indexOf('take('));
    expect(text.startsWith('with "invitation_1" as')).toBe(true);
  });
});

describe('rolledBack', () => {
  it('is true for PostgreSQL errors (a SQLSTATE and a severity) but a lost connection, false for anything else', () => {
    expect(rolledBack(databaseError('23505'))).toBe(true);
    expect(rolledBack(databaseError('40P01'))).toBe(true);
    expect(rolledBack(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false);
    // A backend terminated by an operator (possibly just after its commit), a connection failure.
    expect(rolledBack(Object.assign(databaseError('57P01'), { severity: 'FATAL' }))).toBe(false);
    expect(rolledBack(databaseError('08006'))).toBe(false);
    expect(rolledBack(new Error('Connection terminated unexpectedly'))).toBe(false);
    expect(rolledBack(null)).toBe(false);
  });
});
