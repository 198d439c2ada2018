import { z } from 'zod';
import { DomainError } from './errors';
import { parseInput } from './validation';

describe('parseInput', () => {
  const schema = z.object({ name: z.string().max(200), tags: z.array(z.string()).optional() });

  it('returns the parsed value', () => {
    expect(parseInput(schema, { name: 'Contoso' })).toEqual({ name: 'Contoso' });
  });

  it('refuses bad input with 400 request.invalid naming the field', () => {
    expect(() => parseInput(schema, { name: 7 })).toThrow(DomainError);
    try {
      parseInput(schema, { name: 7 }, 'query');
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'request.invalid' });
      expect((error as DomainError).message).toMatch(/^The query is invalid: name:/);
    }
  });

  it('refuses a NUL character anywhere, even where the schema takes any string', () => {
    try {
      parseInput(schema, { name: 'ok', tags: ['a', 'b\u0000c'] });
      throw new Error('not refused');
    } catch (error) {
      expect(error).toMatchObject({
        status: 400,
        code: 'request.invalid',
        data: [{ path: 'tags.1', message: 'must not contain a NUL character' }],
      });
    }
  });
});
