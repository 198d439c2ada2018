import { Global, Module } from '@nestjs/common';
import { TenantDirectory } from './tenant-directory.service';

/** Global: the `TenantDirectory` (tenant snapshots from identity). Needs the global `RpcModule`. */
@Global()
@Module({ providers: [TenantDirectory], exports: [TenantDirectory] })
export class TenantsModule {}
