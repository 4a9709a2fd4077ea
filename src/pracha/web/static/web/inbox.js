/* The officers' inbox: "select all" for bulk actions and the count of selected cases. */
(function () {
  "use strict";
  var form = document.getElementById("bulk-form");
  if (!form) { return; }
  var all = form.querySelector("[data-select-all]");
  var counter = form.querySelector("[data-selected-count]");
  function boxes() { return form.querySelectorAll('input[name="tickets"]'); }
  function update() {
    counter.textContent = form.querySelectorAll('input[name="tickets"]:checked').length;
  }
  all.addEventListener("change", function () {
    boxes().forEach(function (b) { b.checked = all.checked; });
    update();
  });
  form.addEventListener("change", update);
  update();
})();
