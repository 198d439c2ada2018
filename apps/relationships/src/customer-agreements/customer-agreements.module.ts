import { Module } from '@nestjs/common';
import { ActivityLogModule } from '../activity-log/activity-log.module';
import { TenantsModule } from '../tenants/tenants.module';
import {
  AgreementsController,
  CustomerAgreementDocumentController,
  CustomerAgreementsController,
} from './customer-agreements.controller';
import { CustomerAgreementsService } from './customer-agreements.service';

/**
 * The Customer Agreement as Partner Center serves it (issue 11): its metadata and text, partners'
 * confirmations of a customer's acceptance, and (through `customer-agreement-records.ts`, plain
 * functions used inside other features' transactions) the customer's own acceptances and the 13605
 * check of every order.
 */
@Module({
  imports: [TenantsModule, ActivityLogModule],
  controllers: [
    AgreementsController,
    CustomerAgreementsController,
    CustomerAgreementDocumentController,
  ],
  providers: [CustomerAgreementsService],
})
export class CustomerAgreementsModule {}
