import { createElement, lazy, type ComponentType, type ReactElement } from 'react';

/**
 * The pages of one area, loaded on first use (issue 12, the bundle split by area): `load` is the
 * area's `import('./pages')`, so each area is its own chunk and the sign-in page does not wait
 * for the others. `page('CustomersPage')` is the element of that page for a route; the shell
 * shows a spinner (`Suspense`) while the area's chunk loads.
 */
export function lazyPages<M extends object>(
  load: () => Promise<M>,
): (name: keyof M & string) => ReactElement {
  const components = new Map<string, ComponentType>();
  return (name) => {
    let component = components.get(name);
    if (!component) {
      component = lazy(async () => ({ default: (await load())[name] as ComponentType }));
      components.set(name, component);
    }
    return createElement(component);
  };
}
