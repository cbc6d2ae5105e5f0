/* Suggestions while typing in a search box: the WAI-ARIA combobox pattern with a listbox
   popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/). Without JavaScript the box
   is a plain search form; with it, the hits of the same search appear below it after a
   short pause. Arrow keys move through them, Enter opens the chosen one (or searches when
   none is chosen), Escape closes the list. Every input[data-suggest-url] gets it. */
(function () {
  "use strict";

  var DELAY = 200;
  var MIN_LENGTH = 2;

  function setup(input, number) {
    var form = input.form;
    var listId = "search-suggestions-" + number;
    var list = document.createElement("ul");
    var status = document.createElement("p");
    var options = [];
    var active = -1;
    var timer = null;
    var lastQuery = "";
    var pending = null;

    list.id = listId;
    list.className = "search-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.getAttribute("data-suggest-label") || "Forslag");
    list.hidden = true;
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    input.setAttribute("autocomplete", "off");
    input.parentNode.classList.add("has-suggestions");
    input.insertAdjacentElement("afterend", list);
    list.insertAdjacentElement("afterend", status);

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(index) {
      options.forEach(function (option, i) {
        option.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      active = index;
      if (index >= 0) {
        input.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (result, i) {
        var option = document.createElement("li");
        var title = document.createElement("span");
        var kind = document.createElement("span");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-url", result.url);
        title.className = "search-suggestions__title";
        title.textContent = result.title;
        kind.className = "search-suggestions__kind";
        kind.textContent = result.kind;
        option.appendChild(title);
        option.appendChild(document.createTextNode(" "));
        option.appendChild(kind);
        option.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        option.addEventListener("click", function () {
          window.location.assign(result.url);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      if (options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        status.textContent = (
          input.getAttribute("data-suggest-status") || "{count}"
        ).replace("{count}", String(options.length));
      } else {
        close();
        status.textContent = "";
      }
    }

    function fetchSuggestions() {
      var query = input.value.trim();
      if (query.length < MIN_LENGTH) {
        lastQuery = query;
        show([]);
        return;
      }
      if (query === lastQuery && options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        return;
      }
      lastQuery = query;
      if (pending) {
        pending.abort();
      }
      pending = new AbortController();
      var url = input.getAttribute("data-suggest-url") + "?q=" + encodeURIComponent(query);
      fetch(url, { headers: { Accept: "application/json" }, signal: pending.signal })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (input.value.trim() === query) {
            show(data.results || []);
          }
        })
        .catch(function () {
          /* offline or aborted: the form still searches */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) {
          fetchSuggestions();
          return;
        }
        choose(active + 1 < options.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden) {
          choose(active > 0 ? active - 1 : options.length - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          window.location.assign(options[active].getAttribute("data-url"));
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      window.setTimeout(close, 100);
    });

    if (form) {
      form.addEventListener("submit", close);
    }
  }

  var inputs = document.querySelectorAll("input[data-suggest-url]");
  for (var i = 0; i < inputs.length; i++) {
    setup(inputs[i], i + 1);
  }
})();
