import { Module } from '@nestjs/common';
import { UnverifiedAccountsSweeper } from './unverified-accounts.sweeper';

/** The expiry of unverified enrollments and customer sign-ups (issue 9 point 7). */
@Module({ providers: [UnverifiedAccountsSweeper] })
export class UnverifiedAccountsModule {}
