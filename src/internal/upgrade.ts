/**
 * Properties set on an element before its class was defined (a framework that renders first, a
 * script that runs before `define.js` is imported) are own data properties of the instance, and
 * after the upgrade they would shadow the class's accessors: the first value seems to work, every
 * later one is ignored. Re-sets each through its accessor — the pattern LitElement uses — for every
 * accessor from the element's class up to (not including) `stop`, so no public property can be
 * left out. An own value shadowing a read-only accessor (`status`) is dropped, as a built-in
 * element ignores such an assignment. Runs on connection: the subclasses' private fields, which
 * the setters use, exist only after the base constructor has returned.
 */
export function upgradeProperties(el: HTMLElement, stop: object): void {
  const own = el as unknown as Record<string, unknown>;
  // Usually there is no own property at all: nothing to walk.
  for (const key of Object.getOwnPropertyNames(el)) {
    for (let proto = Object.getPrototypeOf(el); proto && proto !== stop; proto = Object.getPrototypeOf(proto)) {
      const found = Object.getOwnPropertyDescriptor(proto, key);
      if (!found) continue;
      // The nearest definition decides: an accessor is re-set through; a method or field is left alone.
      if (found.get || found.set) {
        const value = own[key];
        delete own[key];
        if (found.set) own[key] = value;
      }
      break;
    }
  }
}
