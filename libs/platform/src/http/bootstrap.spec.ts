import { Injectable, Module, OnModuleInit, type INestApplication } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { MetricsModule } from '../metrics/metrics.module';
import { NamespacedNatsServer } from '../rpc/namespaced-nats.transport';
import { loggerParams } from './logging';
import { startHttpService } from './bootstrap';

const order: string[] = [];

@Injectable()
class InitProbe implements OnModuleInit {
  onModuleInit(): void {
    order.push('onModuleInit');
  }
}

@Module({
  imports: [
    LoggerModule.forRoot(loggerParams('bootstrap-test', 'silent')),
    MetricsModule.forRoot({
      service: 'bootstrap-test',
      queues: { redisUrl: 'redis://127.0.0.1:6379', prefix: 'bootstrap-test', names: [] },
    }),
  ],
  providers: [InitProbe],
})
class ProbeModule {}

/**
 * A service that also serves NATS must have run every `onModuleInit` before its message server
 * subscribes: a request arriving in between reached the request-context interceptor (nestjs-cls)
 * before its hooks were set up and crashed the process ("beforeSetupHooks is not iterable").
 */
describe('startHttpService with a microservice', () => {
  let app: INestApplication | undefined;

  afterEach(async () => {
    jest.restoreAllMocks();
    await app?.close();
  });

  it('initialises the modules before the message server listens', async () => {
    jest
      .spyOn(NamespacedNatsServer.prototype, 'listen')
      .mockImplementation((callback: (error?: unknown) => void) => {
        order.push('nats.listen');
        callback();
        return Promise.resolve();
      });
    jest.spyOn(NamespacedNatsServer.prototype, 'close').mockResolvedValue(undefined);
    app = await startHttpService({
      name: 'bootstrap-test',
      module: ProbeModule,
      port: 0,
      host: '127.0.0.1',
      microservice: {
        natsUrl: 'nats://127.0.0.1:1',
        namespace: 'bootstrap-test',
        drainTimeoutMs: 10,
      },
    });
    expect(order).toEqual(['onModuleInit', 'nats.listen']);
  });
});
