// Issue 15 (speed): a domain schema built the first time it is used, not when its module loads.
//
// Every workflow the worker loads evaluates the domain's modules anew (the SDK's reusable V8 context
// gives each workflow its own module instances; only zod itself is shared: workflows/zod-preload.ts).
// Built eagerly, the module-level schemas (the registration, the policy, the side actions …) were a
// fifth of the workflow thread's time in the monthly fan-out and most of a cached workflow's memory,
// although a workflow replaying its history parses with almost none of them: requests are validated
// by the Update validators, which do not run on replay. A lazy schema is a stand-in that builds the
// real schema on the first touch of any of its members (`parse`, `shape`, `_zod`, `describe` …) and
// then forwards everything to it, so the API, the OpenAPI document and the workflows use it exactly as
// the schema itself: one definition still.
//
// What a stand-in cannot be is the same object as the schema it builds: zod keeps a schema's
// metadata (title, description) in a registry keyed by the object, so the stand-in is registered with
// the built schema's metadata; nothing else in zod or in this service compares schemas by identity.
import { globalRegistry, type z } from 'zod';

export function lazySchema<T extends z.ZodType>(build: () => T): T {
  let built: T | undefined;
  const schema = (): T => {
    if (built === undefined) {
      built = build();
      const { id: _id, ...meta } = (globalRegistry.get(built) ?? {}) as Record<string, unknown>;
      if (Object.keys(meta).length > 0) globalRegistry.add(standIn, meta);
    }
    return built;
  };
  // the target is never read: every trap answers from the built schema
  const standIn: T = new Proxy({} as T, {
    get: (_, key) => Reflect.get(schema(), key),
    has: (_, key) => Reflect.has(schema(), key),
    ownKeys: () => Reflect.ownKeys(schema()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(schema(), key);
      return d && { ...d, configurable: true }; // a proxy may not report a fixed property its target lacks
    },
    getPrototypeOf: () => Reflect.getPrototypeOf(schema()),
    set: (_, key, value) => Reflect.set(schema(), key, value),
    defineProperty: (_, key, d) => Reflect.defineProperty(schema(), key, d),
    deleteProperty: (_, key) => Reflect.deleteProperty(schema(), key),
  });
  return standIn;
}
