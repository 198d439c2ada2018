import {
  COUNTRY_REGION,
  MARKET_REGIONS,
  REGION_COUNTRIES,
  marketRegionOf,
  sameMarket,
} from './market-regions';

describe('CSP market regions', () => {
  it('puts every country in exactly one region', () => {
    const all = MARKET_REGIONS.flatMap((region) => [...REGION_COUNTRIES[region]]);
    expect(all.filter((c, i) => all.indexOf(c) !== i)).toEqual([]);
    expect(COUNTRY_REGION.size).toBe(all.length);
    for (const country of COUNTRY_REGION.keys()) expect(country).toMatch(/^[A-Z]{2}$/);
  });

  it('has every region populated', () => {
    const used = new Set(COUNTRY_REGION.values());
    expect([...used].sort()).toEqual([...MARKET_REGIONS].sort());
  });

  it('groups Europe as EU/EEA + GB + CH', () => {
    for (const c of ['DE', 'FR', 'IT', 'NO', 'IS', 'LI', 'GB', 'CH']) {
      expect(marketRegionOf(c)).toBe('europe');
    }
  });

  it('groups North America as US + CA', () => {
    expect(marketRegionOf('US')).toBe('north-america');
    expect(marketRegionOf('CA')).toBe('north-america');
    expect(marketRegionOf('MX')).toBe('latin-america');
  });

  it('matches the same country and the same region', () => {
    expect(sameMarket('US', 'US')).toBe(true);
    expect(sameMarket('US', 'CA')).toBe(true);
    expect(sameMarket('GB', 'IT')).toBe(true);
    expect(sameMarket('de', 'ch')).toBe(true);
    expect(sameMarket('JP', 'AU')).toBe(true);
  });

  it('refuses countries of different regions', () => {
    expect(sameMarket('US', 'DE')).toBe(false);
    expect(sameMarket('DE', 'US')).toBe(false);
    expect(sameMarket('JP', 'BR')).toBe(false);
    expect(sameMarket('ZA', 'AE')).toBe(false);
  });

  it('matches a country outside the table only with itself', () => {
    expect(marketRegionOf('ZZ')).toBeNull();
    expect(sameMarket('ZZ', 'ZZ')).toBe(true);
    expect(sameMarket('ZZ', 'YY')).toBe(false);
    expect(sameMarket('ZZ', 'US')).toBe(false);
  });
});
