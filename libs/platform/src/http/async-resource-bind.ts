import { AsyncResource } from 'node:async_hooks';

/** Node's own `AsyncResource.prototype.bind`, kept to tell whether ours is installed. */
const nodeBind = AsyncResource.prototype.bind;

/**
 * `AsyncResource.prototype.bind` as Node 20 defines it, less its cost to the garbage collector:
 * the bound function runs `fn` in the resource's async scope, with `this` (or `thisArg`) and the
 * arguments it is called with, its `length` is `fn`'s, and its `asyncResource` is the resource.
 *
 * Node 20 defines `asyncResource` as an accessor whose getter and setter are new functions on
 * every call (wrapped by its deprecation helper, DEP0172). Accessors live in an object's hidden
 * class, so every bound function gets a hidden class of its own, hanging off the shared function
 * class's transitions by weak references, and V8's young-generation collector treats weak
 * references as strong: each bound function, with everything its getter closes over (the bound
 * callback, and through it whatever the caller's closure holds), survives every scavenge and is
 * promoted, until a full collection. Nest binds one function per interceptor on every request
 * (`InterceptorsConsumer`, `AsyncResource.bind`), Fastify one per request with a body: every
 * request's objects (request, reply, execution context, handler result) were kept that way.
 * Measured on relationships serving `GET /health/live` from one client: 16 % of what it
 * allocated survived each scavenge (7.4 MB of 47 MB) and scavenges took 26 to 35 ms (3.2 MB and
 * 7 to 10 ms with this bind); a request caught behind a scavenge waits that long. Here
 * `asyncResource` is a plain data property (same value, same enumerability), which every bound
 * function shares a hidden class for.
 */
function bind<Func extends (...args: never[]) => unknown>(
  this: AsyncResource,
  fn: Func,
  thisArg?: unknown,
): Func {
  if (typeof fn !== 'function') {
    throw new TypeError(`The "fn" argument must be of type function. Received ${typeof fn}`);
  }
  const runInScope = this.runInAsyncScope.bind(
    this,
    fn as unknown as (...args: unknown[]) => unknown,
  );
  const bound =
    thisArg === undefined
      ? function (this: unknown, ...args: unknown[]) {
          return runInScope(this, ...args);
        }
      : runInScope.bind(undefined, thisArg);
  Object.defineProperties(bound, {
    length: { configurable: true, enumerable: false, value: fn.length, writable: false },
    asyncResource: { configurable: true, enumerable: true, value: this, writable: true },
  });
  return bound as unknown as Func;
}

/**
 * Install {@link bind} as `AsyncResource.prototype.bind` (and so under the static
 * `AsyncResource.bind`, which calls it) for the whole process; idempotent. Each service calls it
 * first thing when it starts (`startHttpService`).
 */
export function installAsyncResourceBind(): void {
  if (AsyncResource.prototype.bind === nodeBind) {
    AsyncResource.prototype.bind = bind as typeof AsyncResource.prototype.bind;
  }
}
