/**
 * The language of an element's built-in text: its own `lang`, else the closest ancestor's
 * `[lang]` (crossing shadow roots), else `<html lang>`, else the fallback. Only the primary
 * subtag counts (`fr-CA` → `fr`); an unsupported language gives the fallback.
 */
export function resolveLang<L extends string>(el: Element, supported: readonly L[], fallback: L): L {
  let node: Element | null = el;
  while (node) {
    const found: Element | null = node.closest('[lang]');
    if (found) return pick(found.getAttribute('lang') ?? '', supported, fallback);
    const root = node.getRootNode();
    node = root instanceof ShadowRoot ? root.host : null;
  }
  return pick(el.ownerDocument?.documentElement.lang ?? '', supported, fallback);
}

function pick<L extends string>(tag: string, supported: readonly L[], fallback: L): L {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] as L;
  return supported.includes(primary) ? primary : fallback;
}

type Listener = () => void;
const listeners = new Set<Listener>();
let observer: MutationObserver | undefined;

/**
 * One observer for the whole page tells every connected element that some `lang` attribute
 * changed. Changes of `lang` are rare, so a re-render of each element is cheap enough.
 */
export function onLangChange(listener: Listener): () => void {
  listeners.add(listener);
  if (!observer) {
    observer = new MutationObserver(() => listeners.forEach((l) => l()));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      observer?.disconnect();
      observer = undefined;
    }
  };
}
