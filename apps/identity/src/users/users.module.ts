import { Module } from '@nestjs/common';
import { SessionRevocationModule } from '../session-revocation/session-revocation.module';
import { PasswordHasher } from './password-hasher.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

/** Users of an organisation: management routes, password hashing. */
@Module({
  imports: [SessionRevocationModule],
  controllers: [UsersController],
  providers: [UsersService, PasswordHasher],
  exports: [UsersService, PasswordHasher],
})
export class UsersModule {}
