/* Agency pickers (forward, invite, bulk forward): a filter box over the grouped <select>.
   Progressive enhancement: without JavaScript the grouped list works as it is. Typing keeps
   only the agencies whose Thai or English name (or code) contains the text; one match left is
   chosen at once. The texts come from the select's data-filter-* attributes (page language). */
(function () {
  "use strict";

  function fold(text) { return (text || "").toLowerCase().replace(/\s+/g, ""); }

  function snapshot(select) {
    var groups = [];
    Array.prototype.forEach.call(select.children, function (node) {
      if (node.tagName === "OPTGROUP") {
        groups.push({ group: node, options: Array.prototype.slice.call(node.children) });
      }
    });
    return groups;
  }

  function matches(option, term) {
    return fold(option.textContent + " " + option.getAttribute("data-other") + " " +
                option.value).indexOf(term) !== -1;
  }

  function enhance(select) {
    var groups = snapshot(select);
    var field = document.createElement("div");
    field.className = "agency-filter";
    var label = document.createElement("label");
    var input = document.createElement("input");
    var status = document.createElement("p");
    input.type = "search";
    input.id = select.id + "-filter";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    input.setAttribute("data-testid", select.id + "-filter");
    label.htmlFor = input.id;
    label.textContent = select.getAttribute("data-filter-label");
    status.className = "muted small";
    status.setAttribute("role", "status");
    field.appendChild(label);
    field.appendChild(input);
    field.appendChild(status);
    select.parentNode.insertBefore(field, select);

    function apply() {
      var term = fold(input.value);
      var chosen = select.value;
      var shown = [];
      groups.forEach(function (entry) {
        var keep = entry.options.filter(function (o) {
          return !term || o.value === chosen || matches(o, term);
        });
        entry.group.replaceChildren.apply(entry.group, keep);
        if (keep.length) {
          if (!entry.group.parentNode) { select.appendChild(entry.group); }
        } else if (entry.group.parentNode) {
          select.removeChild(entry.group);
        }
        shown = shown.concat(keep.filter(function (o) { return matches(o, term); }));
      });
      // Groups go back in their first order (removing and re-adding one moves it last).
      groups.forEach(function (entry) {
        if (entry.group.parentNode) { select.appendChild(entry.group); }
      });
      if (term && shown.length === 1) { select.value = shown[0].value; }
      status.textContent = term && !shown.length ? select.getAttribute("data-filter-empty") : "";
    }

    input.addEventListener("input", apply);
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  }

  document.querySelectorAll("select[data-agency-picker]").forEach(enhance);
})();
