// The design system's behaviour (the mobile menu in the header, and modals and
// other components where a page has them). A file, not an inline script, so the
// Content-Security-Policy can refuse every inline script.
if (window.DKFDS) {
  DKFDS.init({ scope: document.querySelector("header") });
}
