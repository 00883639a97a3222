import css from '../content.css?inline';

let sharedSheet: CSSStyleSheet | null = null;

/** One constructed stylesheet shared by every shadow root on the page (a listing has hundreds). */
function styleFor(root: ShadowRoot) {
  try {
    sharedSheet ??= new CSSStyleSheet();
    if (!sharedSheet.cssRules.length) sharedSheet.replaceSync(css);
    root.adoptedStyleSheets = [sharedSheet];
  } catch {
    // Browsers without constructable stylesheets in content scripts get a style element.
    const style = document.createElement('style');
    style.textContent = css;
    root.append(style);
  }
}

export interface ShadowMount {
  host: HTMLElement;
  container: HTMLElement;
  /** Re-inserts the host where it belongs if the page's own rendering removed it. */
  ensureAttached: () => void;
  remove: () => void;
}

/**
 * An open shadow root placed next to `anchor`. Page styles cannot reach inside it, and
 * `:host { all: initial !important }` beats even `* { display: none !important }` on the host.
 */
export function mountShadow(tag: string, anchor: Element, position: 'after' | 'append' | 'before', kind: string): ShadowMount {
  const host = document.createElement(tag);
  host.setAttribute('data-margin', '');
  host.setAttribute('data-kind', kind);
  const root = host.attachShadow({ mode: 'open' });
  styleFor(root);
  const container = document.createElement('div');
  root.append(container);

  const place = () => {
    if (!anchor.isConnected) return false;
    if (position === 'after') anchor.after(host);
    else if (position === 'before') anchor.before(host);
    else anchor.append(host);
    return true;
  };
  place();
  return {
    host,
    container,
    ensureAttached: () => {
      if (!host.isConnected) place();
    },
    remove: () => host.remove(),
  };
}
