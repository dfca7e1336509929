// The design system's behaviour (the mobile menu in the header, and modals and
// other components where a page has them). A file, not an inline script, so the
// Content-Security-Policy can refuse every inline script.
if (window.DKFDS) {
  DKFDS.init({ scope: document.querySelector("header") });
}

// A form that came back with errors: move the focus to its error summary, so a
// screen reader reads the errors at once and a keyboard user starts from the list
// of links to the fields (the design system's pattern for error summaries).
const errorSummary = document.getElementById("error-summary");
if (errorSummary) {
  errorSummary.focus();
}
