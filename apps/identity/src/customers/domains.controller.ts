import { Controller, Get, Param } from '@nestjs/common';
import { PERMISSIONS, RequirePermission } from '@app/auth';
import { ApiResponse, ZodPipe } from '@app/platform';
import { DomainParamSchema } from './dto/domain.dto';
import { CustomersService } from './customers.service';

/** Partner Center's domain availability check (Partner Center "Verify domain availability"). */
@Controller('v1/domains')
export class DomainsController {
  constructor(private readonly customers: CustomersService) {}

  /**
   * `HEAD /v1/domains/{domain}` (`channelRead`): 200 when the default domain is taken (by any
   * organisation, whoever owns it: the answer is the same for every partner), 404 when a new
   * customer may take it; no body either way. `{domain}` is the whole default domain
   * (`contoso.onmicrosoft.example`) or its prefix (`contoso`), in any case; a domain with another
   * suffix can never be a default domain here and answers 404. Rate limited per tenant like every
   * authenticated route. Declared as a GET: the HTTP server answers HEAD from it (same status and
   * headers, no body), and a GET answers the same with an empty body.
   */
  @Get(':domain')
  @RequirePermission(PERMISSIONS.channelRead)
  @ApiResponse(200, undefined, 'The domain is taken (no body). 404 when it is free.')
  async exists(
    @Param(new ZodPipe(DomainParamSchema, 'path')) params: { domain: string },
  ): Promise<void> {
    await this.customers.requireDomainTaken(params.domain);
  }
}
