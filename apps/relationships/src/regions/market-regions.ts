/**
 * CSP market regions: the country → region table that decides with whom a partner may transact
 * (seed 001 "You can request a reseller relationship with a customer from within your country or
 * your same region"; DESIGN.md "Customer relationship").
 *
 * Source: the regional grouping of Partner Center's country/region list for the Cloud Solution
 * Provider program ("CSP regional authorization" / "Cloud Solution Provider program regional
 * markets and currencies", learn.microsoft.com/partner-center): a partner's market is set by its
 * location; it may create customers and have relationship requests accepted only in countries of
 * its region. The table keeps the regions of that page (Europe, North America, Latin America and
 * Caribbean, Asia Pacific, Middle East, Africa); DESIGN.md fixes Europe = EU/EEA + GB + CH and
 * North America = US + CA. This is the one place to change it.
 */
export const MARKET_REGIONS = [
  'europe',
  'north-america',
  'latin-america',
  'asia-pacific',
  'middle-east',
  'africa',
] as const;
export type MarketRegion = (typeof MARKET_REGIONS)[number];

/** Space-separated country codes → array. */
const codes = (list: string): readonly string[] => list.split(' ');

export const REGION_COUNTRIES: Record<MarketRegion, readonly string[]> = {
  // EU (27) + EEA (IS, LI, NO) + GB + CH, and the other European markets of the list.
  europe: codes(
    'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK ' +
      'SI ES SE IS LI NO GB CH AD AL AM AX AZ BA BY FO GE GG GI GL IM JE XK MC ' +
      'MD ME MK RS SM SJ TR UA VA KZ KG TJ TM UZ',
  ),
  // United States (with its minor outlying islands and territories) and Canada.
  'north-america': codes('US CA UM PR VI GU AS MP PM BM'),
  'latin-america': codes(
    'AG AI AR AW BB BL BO BQ BR BS BZ CL CO CR CW DM DO EC FK GD GF GP GT GY ' +
      'HN HT JM KN KY LC MF MQ MS MX NI PA PE PY SR SV SX TC TT UY VC VE VG',
  ),
  'asia-pacific': codes(
    'AU NZ JP KR CN HK MO TW SG MY ID TH VN PH IN BD LK NP BT MV PK AF BN KH ' +
      'LA MM MN TL FJ PG SB VU NC PF WS TO KI NR TV FM MH PW CK NU TK WF NF CX ' +
      'CC IO PN',
  ),
  'middle-east': codes('AE BH IL IQ JO KW LB OM PS QA SA YE'),
  africa: codes(
    'DZ AO BJ BW BF BI CV CM CF TD KM CG CD CI DJ EG GQ ER SZ ET GA GM GH GN ' +
      'GW KE LS LR LY MG MW ML MR MU YT MA MZ NA NE NG RE RW SH ST SN SC SL SO ' +
      'ZA SS SD TZ TG TN UG EH ZM ZW',
  ),
};

/** Country (ISO 3166-1 alpha-2, upper case) → market region, built once from the table above. */
export const COUNTRY_REGION: ReadonlyMap<string, MarketRegion> = new Map(
  MARKET_REGIONS.flatMap((region) =>
    REGION_COUNTRIES[region].map((country) => [country, region] as const),
  ),
);

/** The market region of a country, or null for a country outside every CSP market. */
export function marketRegionOf(country: string): MarketRegion | null {
  return COUNTRY_REGION.get(country.toUpperCase()) ?? null;
}

/**
 * True when a partner in `partnerCountry` may transact with a customer in `customerCountry`: the
 * same country, or two countries of the same CSP market region (seed 001). A country outside the
 * table only matches itself.
 */
export function sameMarket(partnerCountry: string, customerCountry: string): boolean {
  const a = partnerCountry.toUpperCase();
  const b = customerCountry.toUpperCase();
  if (a === b) return true;
  const region = marketRegionOf(a);
  return region !== null && region === marketRegionOf(b);
}
