import { MigrationList } from '@app/platform';
import { Migration20261123000001 } from './migrations/Migration20261123000001';
import { Migration20261124000001 } from './migrations/Migration20261124000001';
import { Migration20261206400000 } from './migrations/Migration20261206400000';
import { Migration20261206500000 } from './migrations/Migration20261206500000';

/** The committed migrations of `pcp_notifications`, in order. */
export const MIGRATIONS: MigrationList = [
  { name: 'Migration20261123000001', class: Migration20261123000001 },
  { name: 'Migration20261124000001', class: Migration20261124000001 },
  { name: 'Migration20261206400000', class: Migration20261206400000 },
  { name: 'Migration20261206500000', class: Migration20261206500000 },
];
