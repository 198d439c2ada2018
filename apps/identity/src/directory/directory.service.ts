import { EntityManager } from '@mikro-orm/postgresql';
import { FilterQuery } from '@mikro-orm/core';
import { Injectable } from '@nestjs/common';
import { Collection, decodeCursor, keysetAfter, queryString, toCollection } from '@app/platform';
import { contactView } from '../organizations/dto/contact.dto';
import { Tenant } from '../organizations/tenant.entity';
import { IndirectProviderQuery, IndirectProviderView } from './dto/indirect-provider.dto';

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * The directory of official indirect providers (seed 004 "search the list of official Microsoft
 * providers"; seed 002 step 1): active indirect providers only, by name.
 */
@Injectable()
export class DirectoryService {
  constructor(private readonly em: EntityManager) {}

  /**
   * Active indirect providers, by name then id, filtered by name (contains) and country, keyset
   * paginated on (name, id).
   *
   * Our own cursor ({@link keysetAfter}) stays here rather than `em.findByCursor`: MikroORM's
   * `Cursor.decode` turns every cursor value that starts like an ISO timestamp into a `Date`, so a
   * provider named `2026-01-01T00:00:00.000 Ltd` at the end of a page would make the next page a
   * 500 ("Invalid time value"). Speed is not the reason: both read entities with the same index
   * scan.
   * @throws 400 `request.invalid_cursor`.
   */
  async search(query: IndirectProviderQuery): Promise<Collection<IndirectProviderView>> {
    const after = keysetAfter(decodeCursor(query.seek), 'name', 'asc', 'text');
    const and: FilterQuery<Tenant>[] = [
      { kind: 'partner', partnerType: 'indirect_provider', partnerStatus: 'active' },
    ];
    if (query.name) and.push({ name: { $ilike: `%${likeLiteral(query.name)}%` } });
    if (query.country) and.push({ country: query.country });
    if (after) and.push(after);
    const rows = await this.em.find(
      Tenant,
      { $and: and },
      { orderBy: { name: 'asc', id: 'asc' }, limit: query.size + 1 },
    );
    return toCollection(
      rows,
      query.size,
      (t) => ({
        id: t.id,
        name: t.name,
        country: t.country,
        mpnId: t.mpnId ?? '',
        supportContact: contactView(t.supportContact),
        attributes: { objectType: 'IndirectProvider' },
      }),
      (t) => ({ k: t.name, id: t.id }),
      (seek) =>
        `/v1/indirect-providers?${queryString({ name: query.name, country: query.country, size: query.size, seek })}`,
    );
  }
}
