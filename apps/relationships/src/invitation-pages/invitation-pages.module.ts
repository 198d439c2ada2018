import { Module } from '@nestjs/common';
import { InvitationPageSignIn } from './invitation-page-sign-in.service';

/** What the invitation pages of every kind share: signing a person in from the page's form. */
@Module({ providers: [InvitationPageSignIn], exports: [InvitationPageSignIn] })
export class InvitationPagesModule {}
