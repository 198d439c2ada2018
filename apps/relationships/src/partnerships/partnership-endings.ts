import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';

/** The two organisations of a partnership that is being removed. */
export interface EndedPartnership {
  providerTenantId: string;
  resellerTenantId: string;
  partnershipId: string;
}

/**
 * Work that ends with a partnership, run in the transaction that removes it (so the removal and
 * everything it ends commit together). Features that depend on a partnership register theirs at
 * start-up (e.g. the delegated admin relationships of issue 10, `GdapPartnershipEnd`), so this
 * folder needs no knowledge of them.
 */
export type PartnershipEnding = (
  tx: EntityManager,
  ended: EndedPartnership,
  now: Date,
) => Promise<unknown>;

/** The registry of {@link PartnershipEnding}s, run in registration order by `PartnershipsService.remove`. */
@Injectable()
export class PartnershipEndings {
  private readonly endings: PartnershipEnding[] = [];

  register(ending: PartnershipEnding): void {
    this.endings.push(ending);
  }

  async run(tx: EntityManager, ended: EndedPartnership, now: Date): Promise<void> {
    for (const ending of this.endings) await ending(tx, ended, now);
  }
}
