import { OutboxMessage } from '@app/outbox';
import { AdminAccessGrant } from '../admin-access/admin-access-grant.entity';
import { RefreshToken } from '../sign-in/refresh-token.entity';
import { SigningKey } from '../signing-keys/signing-key.entity';
import { ProcessedRequest } from '../customers/processed-request.entity';
import { Enrollment } from '../enrollments/enrollment.entity';
import { VerificationToken } from '../verification-links/verification-token.entity';
import { Tenant } from '../organizations/tenant.entity';
import { EndedDelegation } from '../users/ended-delegation.entity';
import { User } from '../users/user.entity';
import { SecurityGroup, SecurityGroupMember } from '../security-groups/security-group.entity';

/**
 * Every entity of the identity database, listed explicitly (no globs), each from its feature
 * folder. `database/` composes the features (with `app.module.ts` and `main.ts`): no feature
 * imports it.
 */
export const ENTITIES = [
  Tenant,
  User,
  Enrollment,
  VerificationToken,
  SigningKey,
  RefreshToken,
  ProcessedRequest,
  AdminAccessGrant,
  EndedDelegation,
  SecurityGroup,
  SecurityGroupMember,
  OutboxMessage,
];
