import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profileFileOf, summarizeProfile } from '../../scripts/lib/bench/profile';
import { warmupText } from '../../scripts/lib/bench/report';
import { percentiles, table } from '../../scripts/lib/bench/stats';

/**
 * The arithmetic behind `npm run bench`'s tables (scripts/lib/bench/): nearest-rank percentiles,
 * the table layout, the end-to-end warm-up's line, and the reading of a `.cpuprofile` (self time
 * per function and package, inclusive time of our own functions, a window of the monotonic
 * clock). No timing is asserted: the profile here is a fixed document.
 */

describe('percentiles', () => {
  it('takes the nearest rank of the sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values, [50, 95, 99, 100])).toEqual({
      p50: 50,
      p95: 95,
      p99: 99,
      p100: 100,
    });
    expect(percentiles([7], [50, 99])).toEqual({ p50: 7, p99: 7 });
  });

  it('answers null without values', () => {
    expect(percentiles([], [50])).toEqual({ p50: null });
  });
});

describe('warmupText', () => {
  it("states the warm-up's length, what it accepted and what an email cost during it", () => {
    // 43,004.28 ms over the services, the sink, PostgreSQL and Redis for 6,123 emails: 7.02 ms;
    // the bench client's CPU is not an email's cost.
    const cpu = {
      relationships: { cpuMs: 20_000 },
      notifications: { cpuMs: 10_000 },
      identity: { cpuMs: 1_000 },
      'smtp sink': { cpuMs: 2_000 },
      postgres: { cpuMs: 8_004.28 },
      redis: { cpuMs: 2_000 },
      'bench client': { cpuMs: 50_000 },
    };
    expect(warmupText({ seconds: 20, accepted: 6123, cpu })).toBe(
      'after a warm-up of 20 s of the same load (6,123 accepted, 7.02 ms of CPU per email)',
    );
  });

  it('leaves the cost out when nothing was accepted, and says when there was no warm-up', () => {
    expect(warmupText({ seconds: 20, accepted: 0, cpu: { relationships: { cpuMs: 300 } } })).toBe(
      'after a warm-up of 20 s of the same load (0 accepted)',
    );
    expect(warmupText(null)).toBe('no warm-up');
  });
});

describe('table', () => {
  it('right-aligns the columns of figures only', () => {
    expect(
      table(
        ['process', 'CPU', 'note'],
        [
          ['identity', '12 / 23 %', 'one'],
          ['postgres', '3 %', '4 backends'],
        ],
      ).split('\n'),
    ).toEqual([
      '  process         CPU  note',
      '  --------  ---------  ----------',
      '  identity  12 / 23 %  one',
      '  postgres        3 %  4 backends',
    ]);
  });
});

describe('summarizeProfile', () => {
  const root = '/srv/app';
  let dir: string;
  let file: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
    file = join(dir, 'CPU.20261124.120000.4242.0.001.cpuprofile');
    const frame = (functionName: string, url = '', lineNumber = -1) => ({
      functionName,
      url,
      lineNumber,
      columnNumber: 0,
      scriptId: '1',
    });
    writeFileSync(
      file,
      JSON.stringify({
        nodes: [
          { id: 1, callFrame: frame('(root)'), children: [2, 3, 6] },
          { id: 2, callFrame: frame('(idle)') },
          {
            id: 3,
            callFrame: frame('handle', `file://${root}/dist/apps/x/apps/x/src/main.js`, 9),
            children: [4, 5],
          },
          {
            id: 4,
            callFrame: frame('parse', `file://${root}/node_modules/@scope/pkg/lib/a.js`, 0),
          },
          { id: 5, callFrame: frame('writeBuffer') },
          { id: 6, callFrame: frame('(garbage collector)') },
        ],
        startTime: 1_000,
        endTime: 2_000,
        // Samples at t = 1000, 1100, 1200, 1300, 1400, 1500; each stands for the time until the next.
        samples: [3, 4, 4, 5, 2, 6],
        timeDeltas: [0, 100, 100, 100, 100, 100],
      }),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the profile of a pid', () => {
    expect(profileFileOf(dir, 4242)).toBe(file);
    expect(profileFileOf(dir, 4243)).toBeNull();
  });

  it('adds up self time per function and package, idle apart, and our functions inclusively', () => {
    const summary = summarizeProfile(file, root);

    expect(summary.windowed).toBe(false);
    expect(summary.totalMs).toBeCloseTo(0.5);
    expect(summary.busyMs).toBeCloseTo(0.4);
    expect(summary.functions.map((f) => [f.name, f.location, f.selfMs])).toEqual([
      ['parse', 'node_modules/@scope/pkg/lib/a.js:1', 0.2],
      ['handle', 'dist/apps/x/apps/x/src/main.js:10', 0.1],
      ['writeBuffer', '', 0.1],
    ]);
    expect(summary.functions[0].share).toBeCloseTo(50);
    expect(summary.packages.map((p) => [p.name, p.selfMs])).toEqual([
      ['@scope/pkg', 0.2],
      ['our code (dist/)', 0.1],
      ['(native)', 0.1],
    ]);
    expect(summary.ourFunctions).toEqual([
      { name: 'handle', location: 'apps/x/src/main.js:10', totalMs: 0.4, share: 100 },
    ]);
  });

  it('keeps the samples of a window of the monotonic clock', () => {
    const summary = summarizeProfile(file, root, { fromUs: 1_150, toUs: 1_350 });

    expect(summary.windowed).toBe(true);
    expect(summary.functions.map((f) => [f.name, f.selfMs])).toEqual([
      ['parse', 0.1],
      ['writeBuffer', 0.1],
    ]);
  });

  it('falls back to the whole profile when no sample is in the window', () => {
    expect(summarizeProfile(file, root, { fromUs: 5_000, toUs: 6_000 }).windowed).toBe(false);
  });
});

describe('the link in a raw message (linkIn: how the bench verifies each partner it enrolls)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const MailComposer = require('nodemailer/lib/mail-composer') as new (mail: object) => {
    compile(): { build(): Promise<Buffer> };
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { linkIn } = require('../../scripts/lib/bench/sink') as {
    linkIn(raw: string): Promise<string>;
  };
  const link = 'https://id.example.test/v1/enrollments/verify?token=Ab_c-12&lang=ja';
  const raw = (textEncoding: 'base64' | 'quoted-printable') =>
    new MailComposer({
      from: 'noreply@example.test',
      to: 'admin@contoso.example',
      subject: '確認',
      // Long lines: nodemailer encodes them (a short ASCII part would go out as 7bit).
      text: `${'ご登録ありがとうございます。'.repeat(8)}\n${link}\n`,
      html: `<p>${'ご登録ありがとうございます。'.repeat(8)}</p><a href="${link.replace('&', '&amp;')}">${link.replace('&', '&amp;')}</a>`,
      textEncoding,
    })
      .compile()
      .build()
      .then((message) => message.toString());

  it.each(['base64', 'quoted-printable'] as const)('reads it from a %s message', async (enc) => {
    const message = await raw(enc);
    expect(message).toContain(`Content-Transfer-Encoding: ${enc}`);
    expect(message).not.toContain('token=Ab_c-12');
    // Up to its token: what the bench follows.
    await expect(linkIn(message)).resolves.toBe(link.split('&')[0]);
  });

  it('refuses a message without a link', async () => {
    await expect(linkIn('Subject: x\r\n\r\nno link here\r\n')).rejects.toThrow(/no link/);
  });
});
