import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ephemeralRangeStart, freePort } from '../../scripts/lib/system';

/**
 * The ports the harness gives services (`npm run drill`, `npm run bench`, the end-to-end system):
 * free, below the ephemeral range that outgoing connections take their local ports from (a drill
 * service once exited with EADDRINUSE on a port the OS had picked for it, taken meanwhile by a
 * connection), and never the same twice in one process.
 */
describe('freePort', () => {
  it('answers distinct ports that can be listened on, below the ephemeral range', async () => {
    const low = ephemeralRangeStart();
    const ports = await Promise.all(Array.from({ length: 20 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      if (low !== null) {
        expect(port).toBeGreaterThanOrEqual(10000);
        expect(port).toBeLessThan(low);
      }
      await new Promise<void>((resolve, reject) => {
        const server = createServer();
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
      });
    }
  });
});

describe('ephemeralRangeStart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pcp-ports-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the first port of the range, and null when there is no range to read', () => {
    const file = join(dir, 'ip_local_port_range');
    writeFileSync(file, '32768\t60999\n');
    expect(ephemeralRangeStart(file)).toBe(32768);
    writeFileSync(file, 'garbage\n');
    expect(ephemeralRangeStart(file)).toBeNull();
    expect(ephemeralRangeStart(join(dir, 'missing'))).toBeNull();
  });
});
