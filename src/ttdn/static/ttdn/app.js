/* TTĐN: the pages' behaviour, kept out of the templates so the Content-Security-Policy forbids every inline
   script and handler (script-src 'self').

   - data-confirm="question" on a submit button or a form: ask before submitting; cancelling submits nothing.
   - form[data-autosave="1"] (a report being entered): save a draft 800 ms after the last keystroke; the status
     texts come from the form's data-autosave-saved, -invalid and -failed attributes (translated by the server).
   - [data-testid=duty][data-clause] (reviewing a document's duties): focusing a card highlights its clause. */
(function () {
  "use strict";

  document.addEventListener("submit", function (event) {
    var form = event.target, button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });

  function autosave(form) {
    var status = form.querySelector("[data-testid=autosave]"), timer = null;
    form.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var data = new FormData(form);
        data.set("action", "autosave");
        form.querySelectorAll("input[type=file]").forEach(function (input) { data.delete(input.name); });
        fetch(window.location.href, {method: "POST", body: data, headers: {"X-Requested-With": "fetch"}})
          .then(function (r) { return r.json(); })
          .then(function (j) {
            status.textContent = j.saved ? form.dataset.autosaveSaved + " " + j.at : form.dataset.autosaveInvalid;
          })
          .catch(function () { status.textContent = form.dataset.autosaveFailed; });
      }, 800);
    });
  }

  function highlightClauses() {
    document.querySelectorAll("[data-testid=duty]").forEach(function (card) {
      card.addEventListener("focusin", function () {
        document.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
        var mark = document.getElementById(card.dataset.clause);
        if (mark) { mark.classList.add("active"); mark.scrollIntoView({block: "nearest"}); }
      });
    });
  }

  function start() {
    document.querySelectorAll("form[data-autosave='1']").forEach(autosave);
    highlightClauses();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
