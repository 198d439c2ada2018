import { Module } from '@nestjs/common';
import { InvitationPageSignIn } from './invitation-page-sign-in.service';
import { InvitationPages } from './invitation-pages.service';

/**
 * What the invitation pages of every kind share: `InvitationPages` (show the link's page, accept
 * from its form after signing the person in through identity).
 */
@Module({ providers: [InvitationPages, InvitationPageSignIn], exports: [InvitationPages] })
export class InvitationPagesModule {}
