import { Body, Controller, Post } from '@nestjs/common';
import { Public } from '@app/auth';
import { ZodPipe } from '@app/common';
import { CustomersService } from './customers.service';
import {
  CustomerSignupInput,
  CustomerSignupResponse,
  CustomerSignupSchema,
} from './dto/customer-signup.dto';

/**
 * Customer organisations signing up on their own: the "existing customers" of seeds 000/001 that a
 * partner later invites to a reseller relationship.
 */
@Controller('v1/customer-signups')
export class CustomerSignupsController {
  constructor(private readonly customers: CustomersService) {}

  /**
   * `POST /v1/customer-signups` `{ companyName, address, country, cloud, domainPrefix, locale?,
   * globalAdmin { firstName, lastName, email, password } }` → 201 `{ tenantId, domain, userId }`.
   * The Customer Agreement is not yet accepted. 409 `customer.domain_taken`, 409
   * `user.email_taken`, 400 `user.weak_password`.
   */
  @Post()
  @Public()
  async signUp(
    @Body(new ZodPipe(CustomerSignupSchema, 'body')) body: CustomerSignupInput,
  ): Promise<CustomerSignupResponse> {
    const { tenant, admin } = await this.customers.signUp(body);
    return { tenantId: tenant.id, domain: tenant.domain ?? '', userId: admin.id };
  }
}
