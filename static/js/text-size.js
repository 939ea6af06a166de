// The larger-text mode (大字模式, for older readers): a class on <html> that the stylesheet scales
// every size from, kept in localStorage so that it holds on every page of the site.
//
// Loaded by a plain <script src> in <head>, neither `defer` nor a module: it runs before the body
// is drawn, so a page opens in the reader's size instead of flashing the standard one first. The
// Content-Security-Policy forbids inline scripts, hence this file. The button in the header is
// `hidden` in the HTML and shown here: without JavaScript there is no mode to switch to, and the
// browser's own zoom still enlarges the text.

(() => {
  const KEY = "gkml-text-size";
  const LARGE = "large";
  const CLASS = "text-large";
  const root = document.documentElement;

  // Storage can be refused (a private window, a locked-down browser): the mode then lasts the page.
  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null;
    }
  }

  function store(large) {
    try {
      if (large) localStorage.setItem(KEY, LARGE);
      else localStorage.removeItem(KEY);
    } catch {
      // the class still applies to this page
    }
  }

  function apply(large) {
    root.classList.toggle(CLASS, large);
    for (const button of document.querySelectorAll("[data-text-size]")) {
      button.setAttribute("aria-pressed", String(large));
    }
  }

  apply(stored() === LARGE);
  // The button's place is kept from the first paint (see site.css), so that showing it moves nothing.
  root.classList.add("text-size-ready");

  document.addEventListener("DOMContentLoaded", () => {
    for (const button of document.querySelectorAll("[data-text-size]")) {
      button.hidden = false;
      button.addEventListener("click", () => {
        const large = !root.classList.contains(CLASS);
        store(large);
        apply(large);
      });
    }
    apply(root.classList.contains(CLASS));
  });

  // Another tab of the site switched the mode: follow it, so that every open page agrees.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY || event.key === null) apply(stored() === LARGE);
  });
})();
