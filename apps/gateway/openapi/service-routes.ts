import type { DynamicModule } from '@nestjs/common';
import type { Permission } from '@app/auth';
import { controllersOf, routesOf, type DeclaredRoute as PlatformRoute } from '@app/platform';

export { controllersOf, routesOf };
import { AppModule as IdentityAppModule } from '../../identity/src/app.module';
import { loadIdentityConfig } from '../../identity/src/config/identity.config';
import { AppModule as NotificationsAppModule } from '../../notifications/src/app.module';
import { loadNotificationsConfig } from '../../notifications/src/config/notifications.config';
import { AppModule as RelationshipsAppModule } from '../../relationships/src/app.module';
import { loadRelationshipsConfig } from '../../relationships/src/config/relationships.config';
import { devSettings, envFor } from '../../../scripts/lib/system';

/** A service behind the gateway. */
export type ServiceName = 'identity' | 'relationships' | 'notifications';

/** The services, in the order the document lists them. */
export const SERVICE_NAMES: readonly ServiceName[] = ['identity', 'relationships', 'notifications'];

/** One registered route of a service (see `routesOf` in libs/platform/src/openapi/route-table.ts). */
export type DeclaredRoute = PlatformRoute<ServiceName, Permission>;

/** Each service's root module, configured from the development environment (nothing connects). */
const ROOT_MODULES: Record<ServiceName, () => DynamicModule> = {
  identity: () => IdentityAppModule.forRoot(loadIdentityConfig(envFor('identity', devSettings()))),
  relationships: () =>
    RelationshipsAppModule.forRoot(loadRelationshipsConfig(envFor('relationships', devSettings()))),
  notifications: () =>
    NotificationsAppModule.forRoot(loadNotificationsConfig(envFor('notifications', devSettings()))),
};

/** Every HTTP route `service` registers, read from its root module without starting it. */
export async function declaredRoutes(service: ServiceName): Promise<DeclaredRoute[]> {
  return routesOf(service, await controllersOf(ROOT_MODULES[service]())) as DeclaredRoute[];
}
