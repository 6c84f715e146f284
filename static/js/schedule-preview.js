// Shows the next dates a schedule gives while the organiser fills in the form. Without
// JavaScript the "Preview dates" button does the same by submitting the form.
(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var output = document.getElementById("schedule-preview");
  if (!form || !output || !window.fetch || !window.URLSearchParams) return;
  var timer = null;
  var latest = 0;

  function refresh() {
    var params = new URLSearchParams();
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.name === "csrfmiddlewaretoken" || field.type === "submit") return;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) return;
      params.append(field.name, field.value);
    });
    var request = ++latest;
    fetch(form.getAttribute("data-preview-url") + "?" + params.toString(), {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) {
        // Only the answer to the newest question counts.
        if (request === latest) output.innerHTML = html;
      })
      .catch(function () {});
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  }

  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
