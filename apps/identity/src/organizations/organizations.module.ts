import { Module } from '@nestjs/common';
import { OrganizationsMessageController } from './organizations-message.controller';
import { OrganizationsService } from './organizations.service';

/** Organisations (tenants): the look-up other services call. */
@Module({
  controllers: [OrganizationsMessageController],
  providers: [OrganizationsService],
})
export class OrganizationsModule {}
