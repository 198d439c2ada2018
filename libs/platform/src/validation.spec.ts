import { z } from 'zod';
import { DomainError } from './errors';
import {
  ZodPipe,
  camelCaseKeys,
  parseInput,
  partnerCenterEnum,
  snakeCaseEnumValue,
} from './validation';

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

describe('ZodPipe on a body: Partner Center’s casing', () => {
  const Address = z.strictObject({ country: z.string(), city: z.string() });
  const Body = z.strictObject({
    companyProfile: z.strictObject({ domain: z.string() }),
    billingProfile: z.strictObject({ email: z.string(), defaultAddress: Address }),
    tags: z.array(z.strictObject({ name: z.string() })).optional(),
  });
  const pipe = new ZodPipe(Body);
  const expected = {
    companyProfile: { domain: 'contoso.example' },
    billingProfile: { email: 'a@contoso.example', defaultAddress: { country: 'US', city: 'X' } },
    tags: [{ name: 'Gold' }],
  };

  it('reads PascalCase names at every level, in arrays too, and drops the SDK’s attributes', () => {
    expect(
      pipe.transform({
        CompanyProfile: {
          Domain: 'contoso.example',
          Attributes: { ObjectType: 'CustomerCompanyProfile' },
        },
        BillingProfile: {
          Email: 'a@contoso.example',
          DefaultAddress: { Country: 'US', City: 'X' },
          Attributes: { ObjectType: 'CustomerBillingProfile', Etag: 'x' },
        },
        Tags: [{ Name: 'Gold' }],
        Attributes: { ObjectType: 'Customer' },
      }),
    ).toEqual(expected);
  });

  it('reads camelCase as is, and leaves values alone', () => {
    expect(pipe.transform(expected)).toEqual(expected);
  });

  it('still refuses an unknown name, in either casing, and an attributes object with more in it', () => {
    expect(() => pipe.transform({ ...expected, Unknown: 1 })).toThrow(/unknown/i);
    expect(() =>
      pipe.transform({ ...expected, attributes: { objectType: 'Customer', extra: 1 } }),
    ).toThrow(DomainError);
  });

  it('refuses a name given in both casings, naming it', () => {
    expect(() =>
      pipe.transform({ ...expected, CompanyProfile: { domain: 'other.example' } }),
    ).toThrow(/companyProfile: given twice/);
  });

  it('leaves query names as sent', () => {
    const query = new ZodPipe(z.strictObject({ size: z.string().optional() }), 'query');
    expect(() => query.transform({ Size: '1' })).toThrow(DomainError);
  });
});

describe('partnerCenterEnum', () => {
  const schema = partnerCenterEnum([
    'is_indirect_reseller_of',
    'is_indirect_cloud_solution_provider_of',
  ]);

  it.each([
    'is_indirect_reseller_of',
    'IsIndirectResellerOf',
    'isIndirectResellerOf',
    'IS_INDIRECT_RESELLER_OF',
  ])('reads %j as is_indirect_reseller_of', (value) => {
    expect(schema.parse(value)).toBe('is_indirect_reseller_of');
  });

  it('refuses anything else (Partner Center would read its first member)', () => {
    expect(schema.safeParse('reseller').success).toBe(false);
  });

  it('writes MicrosoftSupport as microsoft_support', () => {
    expect(snakeCaseEnumValue('MicrosoftSupport')).toBe('microsoft_support');
  });
});

describe('camelCaseKeys', () => {
  it('keeps a __proto__ name a plain property (the strict schema refuses it)', () => {
    const value = camelCaseKeys(JSON.parse('{"__proto__": {"polluted": true}, "Name": "x"}'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(value as object)).toEqual(['__proto__', 'name']);
    expect(() => parseInput(z.strictObject({ name: z.string() }), value)).toThrow(DomainError);
  });
});
