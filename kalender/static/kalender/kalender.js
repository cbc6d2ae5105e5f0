/* Live clash check on the organiser's form: the server does the same check on submit;
   this only shows it earlier. Works without it. */
(function () {
  "use strict";
  var form = document.querySelector("form.event-form[data-check-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var out = document.getElementById("clash-live");
  var timer = null;
  var labels = {
    hard: form.dataset.hardLabel || "Lokalet er optaget på det tidspunkt",
    soft: form.dataset.softLabel || "Andre arrangementer for samme målgruppe samme aften",
    duplicates: form.dataset.duplicateLabel || "Er det det samme som …?",
    holidays: form.dataset.holidayLabel || "Helligdage og ferier:"
  };
  function list(title, items, render) {
    if (!items.length) { return null; }
    var section = document.createElement("div");
    section.className = "message";
    var heading = document.createElement("p");
    heading.textContent = title;
    var ul = document.createElement("ul");
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.textContent = render(item);
      ul.appendChild(li);
    });
    section.appendChild(heading);
    section.appendChild(ul);
    return section;
  }
  function clash(c) { return c.start + "–" + c.end + ": " + c.title + (c.room ? " (" + c.room + ")" : ""); }
  function check() {
    var data = new FormData(form);
    data.delete("image");
    if (form.dataset.eventId) { data.append("event_id", form.dataset.eventId); }
    fetch(form.dataset.checkUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (result) {
        out.textContent = "";
        if (!result.ready) { return; }
        [list(labels.hard, result.hard, clash), list(labels.soft, result.soft, clash),
         list(labels.duplicates, result.duplicates, clash), list(labels.holidays, result.holidays, String)]
          .forEach(function (node) { if (node) { out.appendChild(node); } });
      })
      .catch(function () { out.textContent = ""; });
  }
  form.addEventListener("change", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 400);
  });
})();
