/* The error summary of a failed form (frivillig_blocks/includes/error_summary.html): the
   focus moves to it when the page loads, so a screen reader reads it first and the next Tab
   goes to its first link. A link in it moves the focus to its field and shows the field's
   label or legend too (a plain fragment would scroll the label out of view). Without
   JavaScript the summary is still the first thing in the page and its links still work. */
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }

  function caption(field) {
    var fieldset = field.closest("fieldset");
    if (fieldset && (field.type === "radio" || field.type === "checkbox")) {
      var legend = fieldset.querySelector("legend");
      if (legend) { return legend; }
    }
    if (field.id) {
      var label = document.querySelector('label[for="' + field.id + '"]');
      if (label) { return label; }
    }
    return field;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest('a[href^="#"]');
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    caption(field).scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });

  summary.focus();
})();
