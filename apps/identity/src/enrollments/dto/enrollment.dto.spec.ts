import { ApproveEnrollmentSchema, RejectEnrollmentSchema, ReviewReason } from './enrollment.dto';

describe("the operator's review reason", () => {
  it('accepts one line or one paragraph of lines, trimmed, CRLF kept as LF', () => {
    expect(ReviewReason.parse('  The Partner ID does not match.  ')).toBe(
      'The Partner ID does not match.',
    );
    expect(ReviewReason.parse('First line,\r\nsecond line.')).toBe('First line,\nsecond line.');
    expect(ReviewReason.parse('x'.repeat(1000))).toHaveLength(1000);
  });

  it.each([
    ['empty', ''],
    ['blank', '   \n  '],
    ['too long', 'x'.repeat(1001)],
    ['a tab', 'a\tb'],
    ['a NUL', 'a\u0000b'],
    ['an escape', 'a\u001b[31mb'],
    ['a C1 control', 'a\u0085b'],
    ['two paragraphs', 'First.\n\nSecond.'],
  ])('refuses %s', (_, reason) => {
    expect(ReviewReason.safeParse(reason).success).toBe(false);
  });

  it('is required to reject and optional to approve', () => {
    expect(RejectEnrollmentSchema.safeParse({}).success).toBe(false);
    expect(ApproveEnrollmentSchema.parse(undefined)).toBeUndefined();
    expect(ApproveEnrollmentSchema.parse({})).toEqual({});
    expect(ApproveEnrollmentSchema.parse({ reason: 'Welcome.' })).toEqual({ reason: 'Welcome.' });
    expect(RejectEnrollmentSchema.safeParse({ reason: 'x', other: 1 }).success).toBe(false);
  });
});
