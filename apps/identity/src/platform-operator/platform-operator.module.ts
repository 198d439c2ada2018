import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module';
import { OperatorBootstrap } from './operator-bootstrap.service';

/** The platform operator's tenant and account, upserted at start-up. */
@Module({ imports: [UsersModule], providers: [OperatorBootstrap] })
export class PlatformOperatorModule {}
