import { Module } from '@nestjs/common';
import { DirectoryService } from './directory.service';
import { IndirectProvidersController } from './indirect-providers.controller';

/** The indirect provider directory. */
@Module({ controllers: [IndirectProvidersController], providers: [DirectoryService] })
export class DirectoryModule {}
