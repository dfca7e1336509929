// A long form keeps a draft of what was typed and not yet saved (the
// self-assessment, one area at a time): moving to another area, reloading or
// following a link and coming back puts the answers back, with a note and a way
// to throw them away. The draft lives in this tab's sessionStorage only, under
// the signed-in person's id, so it is gone when the tab closes and another
// person in the same browser never sees it. Saving the form drops it.
(function () {
  const form = document.querySelector("form[data-draft]");
  if (!form || !window.sessionStorage) {
    return;
  }
  const key = form.dataset.draft;
  const owner = key.split(":").slice(0, 2).join(":") + ":";
  // Drafts of someone who signed in before in this tab are not kept for the next.
  Object.keys(sessionStorage)
    .filter((name) => name.startsWith("kladde:") && !name.startsWith(owner))
    .forEach((name) => sessionStorage.removeItem(name));

  const fields = () =>
    Array.from(form.elements).filter(
      (element) =>
        element.name &&
        element.name !== "csrf_token" &&
        (element.type === "radio" || element.tagName === "TEXTAREA"),
    );

  const read = () => {
    const values = {};
    fields().forEach((element) => {
      if (element.type === "radio") {
        if (element.checked) {
          values[element.name] = element.value;
        } else if (!(element.name in values)) {
          values[element.name] = null;
        }
      } else {
        values[element.name] = element.value;
      }
    });
    return values;
  };

  const write = (values) => {
    fields().forEach((element) => {
      if (!(element.name in values)) {
        return;
      }
      if (element.type === "radio") {
        element.checked = values[element.name] === element.value;
      } else {
        element.value = values[element.name];
      }
    });
  };

  const asLoaded = read();
  let stored = null;
  try {
    stored = JSON.parse(sessionStorage.getItem(key) || "null");
  } catch (error) {
    sessionStorage.removeItem(key);
  }
  const differs =
    stored &&
    Object.keys(stored.values).some(
      (name) => name in asLoaded && asLoaded[name] !== stored.values[name],
    );
  if (differs) {
    write(stored.values);
    const note = document.createElement("div");
    note.className = "alert alert-info draft-restored";
    note.setAttribute("role", "status");
    const body = document.createElement("div");
    body.className = "alert-body";
    const text = document.createElement("p");
    text.className = "alert-text";
    const time = new Date(stored.at).toLocaleTimeString("da-DK", {
      hour: "2-digit",
      minute: "2-digit",
    });
    text.textContent = form.dataset.draftRestored.replace("{time}", time);
    const discard = document.createElement("button");
    discard.type = "button";
    discard.className = "button button-secondary button-small";
    discard.textContent = form.dataset.draftDiscard;
    discard.addEventListener("click", () => {
      sessionStorage.removeItem(key);
      write(asLoaded);
      note.remove();
    });
    body.append(text, discard);
    note.append(body);
    form.before(note);
  } else if (stored) {
    sessionStorage.removeItem(key);
  }

  const keep = () => {
    sessionStorage.setItem(
      key,
      JSON.stringify({ at: Date.now(), values: read() }),
    );
  };
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  form.addEventListener("submit", () => sessionStorage.removeItem(key));
})();
