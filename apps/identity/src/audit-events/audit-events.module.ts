import { Module } from '@nestjs/common';
import { IdentityAudit } from './identity-audit.service';

/**
 * Identity's audit events (`IdentityAudit`): every feature that changes state imports this module
 * and records its changes in their transactions. Uses the outbox and the request context that the
 * root module provides (`OutboxModule`, `RequestContextModule.forRoot()`).
 */
@Module({ providers: [IdentityAudit], exports: [IdentityAudit] })
export class AuditEventsModule {}
