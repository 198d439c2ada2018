import { MigrationList } from '@app/platform';
import { Migration20261123000001 } from './migrations/Migration20261123000001';
import { Migration20261123000002 } from './migrations/Migration20261123000002';
import { Migration20261124000001 } from './migrations/Migration20261124000001';
import { Migration20261205000001 } from './migrations/Migration20261205000001';
import { Migration20261205000002 } from './migrations/Migration20261205000002';
import { Migration20261205100000 } from './migrations/Migration20261205100000';
import { Migration20261206100000 } from './migrations/Migration20261206100000';
import { Migration20261206300000 } from './migrations/Migration20261206300000';
import { Migration20261206400000 } from './migrations/Migration20261206400000';
import { Migration20261207300000 } from './migrations/Migration20261207300000';
import { Migration20261207300100 } from './migrations/Migration20261207300100';
import { Migration20261207400001 } from './migrations/Migration20261207400001';
import { Migration20261207400002 } from './migrations/Migration20261207400002';
import { Migration20261207500001 } from './migrations/Migration20261207500001';
import { Migration20261207600001 } from './migrations/Migration20261207600001';
import { Migration20261207700000 } from './migrations/Migration20261207700000';

/** The committed migrations of the relationships service, in order (run by `main.js migrate`). */
export const MIGRATIONS: MigrationList = [
  { name: 'Migration20261123000001', class: Migration20261123000001 },
  { name: 'Migration20261123000002', class: Migration20261123000002 },
  { name: 'Migration20261124000001', class: Migration20261124000001 },
  { name: 'Migration20261205000001', class: Migration20261205000001 },
  { name: 'Migration20261205000002', class: Migration20261205000002 },
  { name: 'Migration20261205100000', class: Migration20261205100000 },
  { name: 'Migration20261206100000', class: Migration20261206100000 },
  { name: 'Migration20261206300000', class: Migration20261206300000 },
  { name: 'Migration20261206400000', class: Migration20261206400000 },
  { name: 'Migration20261207300000', class: Migration20261207300000 },
  { name: 'Migration20261207300100', class: Migration20261207300100 },
  { name: 'Migration20261207400001', class: Migration20261207400001 },
  { name: 'Migration20261207400002', class: Migration20261207400002 },
  { name: 'Migration20261207500001', class: Migration20261207500001 },
  { name: 'Migration20261207600001', class: Migration20261207600001 },
  { name: 'Migration20261207700000', class: Migration20261207700000 },
];
