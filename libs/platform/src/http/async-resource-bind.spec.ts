import { AsyncLocalStorage, AsyncResource, executionAsyncId } from 'node:async_hooks';
import { installAsyncResourceBind } from './async-resource-bind';

describe('installAsyncResourceBind', () => {
  const nodeBind = AsyncResource.prototype.bind;

  beforeAll(() => installAsyncResourceBind());

  it('replaces Node’s bind once, for the instance and the static form', () => {
    const installed = AsyncResource.prototype.bind;
    expect(installed).not.toBe(nodeBind);
    installAsyncResourceBind();
    expect(AsyncResource.prototype.bind).toBe(installed);
    const bound = AsyncResource.bind(() => 1);
    expect(Object.getOwnPropertyDescriptor(bound, 'asyncResource')?.get).toBeUndefined();
  });

  it('runs the function in the resource’s async scope, with the store it was made in', () => {
    const storage = new AsyncLocalStorage<string>();
    const resource = storage.run('made here', () => new AsyncResource('test'));
    const bound = resource.bind(() => ({ id: executionAsyncId(), store: storage.getStore() }));
    const seen = storage.run('called here', () => bound());
    expect(seen).toEqual({ id: resource.asyncId(), store: 'made here' });
  });

  it('passes the arguments and the caller’s this, or the thisArg it was given', () => {
    const resource = new AsyncResource('test');
    function describeCall(this: unknown, a: number, b: number) {
      return { self: this, sum: a + b };
    }
    const target = { name: 'target' };
    const bound = resource.bind(describeCall);
    expect(bound.call(target, 2, 3)).toEqual({ self: target, sum: 5 });
    // `bind(fn, thisArg)` (Node's documented form; @types/node declares only `bind(fn)`).
    const bindWithThis = resource.bind.bind(resource) as unknown as (
      fn: typeof describeCall,
      thisArg: unknown,
    ) => typeof describeCall;
    const boundToThis = bindWithThis(describeCall, { name: 'fixed' });
    expect(boundToThis.call(target, 1, 1)).toEqual({ self: { name: 'fixed' }, sum: 2 });
  });

  it('keeps the function’s length and names its resource in a plain data property', () => {
    const resource = new AsyncResource('test');
    const bound = resource.bind((a: number, b: number) => a + b);
    expect(bound.length).toBe(2);
    const descriptor = Object.getOwnPropertyDescriptor(bound, 'asyncResource');
    expect(descriptor).toMatchObject({ value: resource, enumerable: true, configurable: true });
    // Node's own bind defines an accessor with new functions per call (see the module comment).
    expect(descriptor?.get).toBeUndefined();
  });

  it('shares one hidden class among the functions it binds (no per-call accessors)', () => {
    const resource = new AsyncResource('test');
    const a = resource.bind(() => 1);
    const b = resource.bind(() => 2);
    expect(Object.getOwnPropertyNames(a)).toEqual(Object.getOwnPropertyNames(b));
    expect(Object.getOwnPropertyDescriptor(a, 'asyncResource')?.set).toBeUndefined();
  });

  it('refuses what is not a function', () => {
    const resource = new AsyncResource('test');
    expect(() => resource.bind('nope' as unknown as () => void)).toThrow(TypeError);
  });
});
