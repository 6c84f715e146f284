// "Was this page helpful?": send the answer without leaving the page, and say thank you in
// place. Without JavaScript the form posts and the page comes back with the thank-you.
(function () {
  "use strict";
  var form = document.querySelector("[data-helpful]");
  var thanks = document.querySelector("[data-helpful-thanks]");
  if (!form || !thanks || !window.fetch || !window.FormData) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var data = new FormData(form);
    var answer = event.submitter && event.submitter.name ? event.submitter : null;
    if (answer) data.append(answer.name, answer.value);
    fetch(form.action, {
      method: "POST",
      body: data,
      headers: { Accept: "application/json" },
      credentials: "omit",
    })
      .then(function (response) {
        if (!response.ok) throw new Error("not counted");
        form.hidden = true;
        thanks.hidden = false;
      })
      .catch(function () {
        // Fall back to the ordinary post, which form.submit() sends without the button.
        if (answer) {
          var field = document.createElement("input");
          field.type = "hidden";
          field.name = answer.name;
          field.value = answer.value;
          form.appendChild(field);
        }
        form.submit();
      });
  });
})();
