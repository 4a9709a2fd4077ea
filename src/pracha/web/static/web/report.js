/* The report form: photo previews and the checks a phone can do before sending
 * (the server checks again; these only save a slow upload that would be refused). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector(".report-form");
    if (!form) { return; }
    var input = form.querySelector("[data-photo-input]");
    var preview = form.querySelector("[data-photo-preview]");
    var errorBox = form.querySelector("[data-photo-error]");
    var maxBytes = parseInt(form.getAttribute("data-max-bytes"), 10);
    var maxPhotos = parseInt(form.getAttribute("data-max-photos"), 10);

    function problem() {
      var files = Array.prototype.slice.call(input.files || []);
      if (files.length > maxPhotos) { return form.getAttribute("data-msg-too-many"); }
      for (var i = 0; i < files.length; i++) {
        if (files[i].type && files[i].type.indexOf("image/") !== 0) {
          return files[i].name + " " + form.getAttribute("data-msg-not-image");
        }
        if (files[i].size > maxBytes) {
          return files[i].name + " " + form.getAttribute("data-msg-too-large");
        }
      }
      return "";
    }

    function show() {
      preview.innerHTML = "";
      var message = problem();
      errorBox.textContent = message;
      errorBox.hidden = !message;
      Array.prototype.slice.call(input.files || []).forEach(function (file) {
        if (!file.type || file.type.indexOf("image/") !== 0) { return; }
        var img = document.createElement("img");
        img.src = URL.createObjectURL(file);
        img.alt = file.name;
        img.onload = function () { URL.revokeObjectURL(img.src); };
        preview.appendChild(img);
      });
    }

    input.addEventListener("change", show);
    form.addEventListener("submit", function (event) {
      var message = problem();
      if (message) {
        event.preventDefault();
        errorBox.textContent = message;
        errorBox.hidden = false;
        input.focus();
      }
    });
    // A suggested category, chosen with one tap.
    form.addEventListener("click", function (event) {
      var button = event.target.closest("[data-set-category]");
      if (!button) { return; }
      var select = document.getElementById("id_category");
      select.value = button.getAttribute("data-set-category");
      select.dispatchEvent(new Event("change", {bubbles: true}));
      button.setAttribute("aria-pressed", "true");
    });
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
