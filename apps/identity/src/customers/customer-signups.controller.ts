import { Body, Controller, Post } from '@nestjs/common';
import { Public } from '@app/auth';
import { Audited, RateLimited, ZodPipe, ApiResponse } from '@app/platform';
import { CustomersService } from './customers.service';
import {
  CustomerSignupInput,
  CustomerSignupResponse,
  CustomerSignupSchema,
  CustomerSignupResponseSchema,
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
   * The Customer Agreement is not yet accepted. The admin signs in with an address of the new
   * organisation: whether that address has an account in another organisation changes nothing in
   * the answer (issue 9 point 9). 409 `customer.domain_taken`, 400
   * `user.weak_password`. Rate limited per client address and per target (the admin's email, the
   * domain prefix): 429 `request.throttled`.
   */
  @Post()
  @ApiResponse(
    201,
    CustomerSignupResponseSchema,
    'The new customer organisation and its Global admin.',
  )
  @Public()
  @Audited('organization.signed_up')
  @RateLimited('public', { body: ['globalAdmin.email', 'domainPrefix'] })
  signUp(
    @Body(new ZodPipe(CustomerSignupSchema, 'body')) body: CustomerSignupInput,
  ): Promise<CustomerSignupResponse> {
    return this.customers.signUp(body);
  }
}
