import { MigrationList } from '@app/platform';
import { Migration20261123000001 } from './migrations/Migration20261123000001';
import { Migration20261124000000 } from './migrations/Migration20261124000000';
import { Migration20261124000001 } from './migrations/Migration20261124000001';
import { Migration20261124000002 } from './migrations/Migration20261124000002';
import { Migration20261124000003 } from './migrations/Migration20261124000003';
import { Migration20261205000009 } from './migrations/Migration20261205000009';
import { Migration20261205000700 } from './migrations/Migration20261205000700';
import { Migration20261205100000 } from './migrations/Migration20261205100000';
import { Migration20261206400000 } from './migrations/Migration20261206400000';
import { Migration20261207300000 } from './migrations/Migration20261207300000';
import { Migration20261207400001 } from './migrations/Migration20261207400001';
import { Migration20261207500002 } from './migrations/Migration20261207500002';
import { Migration20261207700000 } from './migrations/Migration20261207700000';
import { Migration20261208200000 } from './migrations/Migration20261208200000';

/** The committed migrations of the identity database, in order. */
export const MIGRATIONS: MigrationList = [
  { name: 'Migration20261123000001', class: Migration20261123000001 },
  { name: 'Migration20261124000000', class: Migration20261124000000 },
  { name: 'Migration20261124000001', class: Migration20261124000001 },
  { name: 'Migration20261124000002', class: Migration20261124000002 },
  { name: 'Migration20261124000003', class: Migration20261124000003 },
  { name: 'Migration20261205000009', class: Migration20261205000009 },
  { name: 'Migration20261205000700', class: Migration20261205000700 },
  { name: 'Migration20261205100000', class: Migration20261205100000 },
  { name: 'Migration20261206400000', class: Migration20261206400000 },
  { name: 'Migration20261207300000', class: Migration20261207300000 },
  { name: 'Migration20261207400001', class: Migration20261207400001 },
  { name: 'Migration20261207500002', class: Migration20261207500002 },
  { name: 'Migration20261207700000', class: Migration20261207700000 },
  { name: 'Migration20261208200000', class: Migration20261208200000 },
];
