import { Module } from '@nestjs/common';
import { RpcModule } from '../rpc/rpc.module';
import { TenantDirectory } from './tenant-directory.service';

/** The `TenantDirectory`: tenant snapshots from identity. */
@Module({ imports: [RpcModule], providers: [TenantDirectory], exports: [TenantDirectory] })
export class TenantsModule {}
