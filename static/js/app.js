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

// Destructive actions ask first (templates/_macros/confirm.html). Without
// JavaScript each is a link to a confirmation page; here the link becomes a
// button that opens the same words and form in the design system's modal. The
// modals move into a container that is a child of <body>, which the design
// system leaves alone when it makes the rest of the page inert (the focus trap).
const confirmLinks = document.querySelectorAll("a[data-confirm]");
if (window.DKFDS && confirmLinks.length) {
  const container = document.createElement("div");
  container.className = "fds-modal-container";
  document.body.appendChild(container);
  confirmLinks.forEach((link) => {
    const modal = document.getElementById(link.dataset.confirm);
    if (!modal) {
      return;
    }
    const button = document.createElement("button");
    button.type = "button";
    button.className = link.className;
    button.innerHTML = link.innerHTML;
    button.dataset.module = "modal";
    button.dataset.target = modal.id;
    link.replaceWith(button);
    container.appendChild(modal);
  });
  container.querySelectorAll(".fds-modal").forEach((modal) => {
    new DKFDS.Modal(modal).init();
  });
  // The rest of the page is inert while a modal is open; Tab from the last
  // field goes round to the first (and Shift+Tab the other way), so the focus
  // never leaves the dialog for the browser's own controls.
  container.addEventListener("keydown", (event) => {
    const modal = event.target.closest(".fds-modal[aria-hidden='false']");
    if (event.key !== "Tab" || !modal) {
      return;
    }
    const stops = Array.from(
      modal.querySelectorAll("a[href], button, input, select, textarea"),
    ).filter((element) => !element.disabled && element.type !== "hidden");
    const first = stops[0];
    const last = stops[stops.length - 1];
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  });
}
