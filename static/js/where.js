// "Use my location": the phone's position, rounded to 2 decimals (about a kilometre) before
// it leaves the phone, put into "Where are you?" and the search sent. Without JavaScript,
// or where the browser can't tell, she types a town or postcode instead.
(function () {
  "use strict";
  var button = document.querySelector("[data-use-location]");
  var field = document.getElementById("id_near");
  var status = document.querySelector("[data-location-status]");
  if (!button || !field || !navigator.geolocation) return;
  button.hidden = false;
  function rounded(value) {
    return (Math.round(value * 100) / 100).toFixed(2);
  }
  button.addEventListener("click", function () {
    status.textContent = "Finding where you are…";
    navigator.geolocation.getCurrentPosition(
      function (position) {
        field.value = rounded(position.coords.latitude) + "," + rounded(position.coords.longitude);
        status.textContent = "";
        field.form.requestSubmit ? field.form.requestSubmit() : field.form.submit();
      },
      function () {
        status.textContent =
          "We couldn't get your location. Type your town, village or postcode instead.";
      },
      { maximumAge: 600000, timeout: 15000 }
    );
  });
})();
