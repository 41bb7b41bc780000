import { useEffect } from 'react';

/** Layers that come and go: the focus inside them is not where it should return to. */
const TRANSIENT = '[role="dialog"], [role="menu"], [role="listbox"], [role="tooltip"]';

/**
 * Keeps the keyboard focus from falling to <body> when what held it goes away. Many dialogs here are unmounted
 * rather than closed, and buttons such as "Back" or "Save" are replaced by what they lead to; Mantine returns
 * the focus only for a modal whose `opened` turns false. So this remembers the last control focused outside any
 * dialog or menu and, when the focused element is removed, puts the focus back on that control (the one that
 * opened the dialog), or, when that control is gone too, on the page's heading (then its main landmark).
 * A click on the page background also leaves the focus on <body>, but nothing was removed: that is left alone.
 */
export function useFocusKeeper(): void {
  useEffect(() => {
    let anchor: HTMLElement | null = null;
    let lastFocused: HTMLElement | null = null;
    let timer = 0;

    const onFocusIn = (event: FocusEvent) => {
      if (!(event.target instanceof HTMLElement)) return;
      lastFocused = event.target;
      if (!event.target.closest(TRANSIENT)) anchor = event.target;
    };

    const focused = (element: HTMLElement): boolean => {
      element.focus({ preventScroll: false });
      return document.activeElement === element;
    };

    const restore = () => {
      timer = 0;
      if (document.activeElement && document.activeElement !== document.body) return;
      if (lastFocused?.isConnected) return;
      // A dialog still on screen (or fading out) handles the focus itself.
      if (document.querySelector('[role="dialog"]')) return;
      if (anchor?.isConnected && focused(anchor)) return;
      const main = document.querySelector<HTMLElement>('main');
      const heading = main?.querySelector<HTMLElement>('h1');
      if (heading) {
        if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
        if (focused(heading)) return;
      }
      if (main?.hasAttribute('tabindex')) focused(main);
    };

    const schedule = () => {
      if (!timer) timer = window.setTimeout(restore, 0);
    };
    const observer = new MutationObserver((records) => {
      if (records.some((record) => record.removedNodes.length > 0)) schedule();
    });
    observer.observe(document.body, { childList: true, subtree: true });
    document.addEventListener('focusin', onFocusIn);
    return () => {
      observer.disconnect();
      document.removeEventListener('focusin', onFocusIn);
      window.clearTimeout(timer);
    };
  }, []);
}
