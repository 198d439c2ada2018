import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { Caller, CurrentUser, PERMISSIONS, Public, RequirePermission } from '@app/auth';
import {
  ApiResponse,
  Audited,
  Collection,
  RateLimited,
  ZodPipe,
  asLinkPage,
  HTML,
  HtmlPage,
} from '@app/platform';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { invitationErrorPage } from '../invitation-pages/invitation-page.html';
import { customerAgreementPage } from './customer-agreement-template';
import { CustomerAgreementsService } from './customer-agreements.service';
import {
  AgreementCollectionSchema,
  AgreementMetadataCollectionSchema,
  AgreementMetadataQuerySchema,
  AgreementMetadataResponse,
  AgreementResponse,
  AgreementSchema,
  ConfirmCustomerAgreementDto,
  ConfirmCustomerAgreementSchema,
  CustomerAgreementListQuery,
  CustomerAgreementListQuerySchema,
} from './dto/customer-agreement.dto';

/** Partner Center's agreement metadata (`GET /v1/agreements`). */
@Controller('v1/agreements')
export class AgreementsController {
  constructor(private readonly agreements: CustomerAgreementsService) {}

  /**
   * `GET /v1/agreements?agreementType=MicrosoftCustomerAgreement` (`channelRead`): Collection of
   * AgreementMetaData `{ templateId, agreementType, agreementLink, versionRank, version }`.
   * 400 `customer_agreement.type_invalid` for another type.
   */
  @Get()
  @ApiResponse(200, AgreementMetadataCollectionSchema, 'The Customer Agreement template.')
  @RequirePermission(PERMISSIONS.channelRead)
  metadata(
    @Query(new ZodPipe(AgreementMetadataQuerySchema, 'query'))
    query: z.infer<typeof AgreementMetadataQuerySchema>,
  ): Collection<AgreementMetadataResponse> {
    return this.agreements.metadata(query.agreementType);
  }
}

/** Partner Center's Agreement of a customer (`/v1/customers/{id}/agreements`). */
@Controller('v1/customers/:id/agreements')
export class CustomerAgreementsController {
  constructor(private readonly agreements: CustomerAgreementsService) {}

  /**
   * `POST /v1/customers/{id}/agreements` (`customersOrder`): `{ primaryContact: { firstName,
   * lastName, email, phoneNumber? }, dateAgreed, templateId, type: 'MicrosoftCustomerAgreement' }`
   * → 201 Agreement. The caller confirms that the customer accepted; from then on its orders for
   * the customer pass the 13605 check. 403 `partner.not_active`; 404 `customer.not_found` (no
   * active relationship of the caller); 400 `customer_agreement.template_unknown`,
   * `request.invalid`.
   */
  @Post()
  @Audited('customer_agreement.confirmed')
  @ApiResponse(201, AgreementSchema, "The caller's confirmation, recorded.")
  @RequirePermission(PERMISSIONS.customersOrder)
  confirm(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(z.object({ id: z.uuid() }), 'path')) params: { id: string },
    @Body(new ZodPipe(ConfirmCustomerAgreementSchema)) body: ConfirmCustomerAgreementDto,
  ): Promise<AgreementResponse> {
    return this.agreements.confirm(caller, params.id, body);
  }

  /**
   * `GET /v1/customers/{id}/agreements?agreementType=&size=&seek=` (`channelRead`): Collection of
   * Agreement: the caller's confirmations and the customer's own acceptances (never a co-partner's
   * confirmations). 404 `customer.not_found`; 400 `customer_agreement.type_invalid`.
   */
  @Get()
  @ApiResponse(200, AgreementCollectionSchema, 'The acceptances that count for the caller.')
  @RequirePermission(PERMISSIONS.channelRead)
  list(
    @CurrentUser() caller: Caller,
    @Param(new ZodPipe(z.object({ id: z.uuid() }), 'path')) params: { id: string },
    @Query(new ZodPipe(CustomerAgreementListQuerySchema, 'query'))
    query: CustomerAgreementListQuery,
  ): Promise<Collection<AgreementResponse>> {
    return this.agreements.list(caller, params.id, query);
  }
}

/** The Customer Agreement's text, each version at its own address (the `agreementLink`). */
@Controller('agreements/customer-agreement')
export class CustomerAgreementDocumentController {
  /**
   * `GET /agreements/customer-agreement/{version}` (public) → 200 HTML: the text of that version
   * with its template id and version; 404 page for a version never served.
   */
  @Get(':version')
  @Public()
  @RateLimited('public')
  @ApiResponse(200, HtmlPage, 'The text of that version.', undefined, HTML)
  show(@Param('version') version: string, @Res({ passthrough: true }) reply: FastifyReply): string {
    asLinkPage(reply);
    const page = customerAgreementPage(version);
    if (page === null) {
      void reply.status(404);
      return invitationErrorPage('There is no Customer Agreement of that version.');
    }
    return page;
  }
}
