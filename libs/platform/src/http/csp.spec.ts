import { createHash } from 'node:crypto';
import { contentSecurityPolicy, styleHashSource } from './bootstrap';

describe('Content-Security-Policy of the HTTP services', () => {
  it('hashes an inline stylesheet as CSP 3 defines it (SHA-256 of the exact text, base64)', () => {
    const css = 'body{margin:0}';
    const expected = createHash('sha256').update(css).digest('base64');
    expect(styleHashSource(css)).toBe(`'sha256-${expected}'`);
    expect(styleHashSource('body{margin:0} ')).not.toBe(styleHashSource(css));
  });

  it('loads nothing by default, posts forms to its own origin only, and cannot be framed', () => {
    expect(contentSecurityPolicy()).toEqual({
      defaultSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    });
  });

  it("allows the pages' inline styles by hash only, never 'unsafe-inline'", () => {
    const policy = contentSecurityPolicy(['a{}', 'b{}', 'a{}']);
    expect(policy.styleSrc).toEqual([styleHashSource('a{}'), styleHashSource('b{}')]);
    expect(JSON.stringify(policy)).not.toContain('unsafe');
  });
});
