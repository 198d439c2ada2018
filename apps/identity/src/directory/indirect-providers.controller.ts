import { Controller, Get, Query } from '@nestjs/common';
import { Public } from '@app/auth';
import { NotRateLimited, ZodPipe, ApiResponse } from '@app/platform';
import { DirectoryService } from './directory.service';
import {
  IndirectProviderQuery,
  IndirectProviderQuerySchema,
  IndirectProviderCollectionSchema,
} from './dto/indirect-provider.dto';

/** The public directory of indirect providers, for resellers looking for one. */
@Controller('v1/indirect-providers')
export class IndirectProvidersController {
  constructor(private readonly directory: DirectoryService) {}

  /**
   * `GET /v1/indirect-providers?name&country&size&seek` → collection of `{ id, name, country,
   * mpnId, supportContact, attributes: { objectType: 'IndirectProvider' } }`; `name` matches
   * case-insensitively anywhere in the name, `country` is ISO 3166-1 alpha-2.
   */
  @Get()
  @ApiResponse(
    200,
    IndirectProviderCollectionSchema,
    'A page of the directory of indirect providers.',
  )
  @Public()
  @NotRateLimited(
    'a read of public data (a page of the directory), no write, no email, no password hash; a limit would break search as you type',
  )
  search(@Query(new ZodPipe(IndirectProviderQuerySchema, 'query')) query: IndirectProviderQuery) {
    return this.directory.search(query);
  }
}
