// Keeps each queued or running report's progress up to date without reloading the page.
// Each row has data-status-url; when a report finishes, its download links appear.
(function () {
  "use strict";
  var POLL_MS = 2000;

  function update(row, state) {
    var status = row.querySelector("[data-report-status]");
    var bar = row.querySelector("progress");
    var step = row.querySelector("[data-report-step]");
    var files = row.querySelector("[data-report-files]");
    if (status) { status.textContent = state.status_label; }
    if (bar) { bar.value = state.progress; bar.textContent = state.progress + "%"; }
    if (step) { step.textContent = state.error || state.step; }
    if (files && state.status === "done") {
      files.textContent = "";
      Object.keys(state.downloads).forEach(function (fmt) {
        var link = document.createElement("a");
        link.className = "govuk-link app-download";
        link.href = state.downloads[fmt];
        link.textContent = "Download " + fmt.toUpperCase();
        files.appendChild(link);
        files.appendChild(document.createTextNode(" "));
      });
    }
    return state.status === "queued" || state.status === "running";
  }

  function poll(row) {
    var request = new XMLHttpRequest();
    request.open("GET", row.getAttribute("data-status-url"));
    request.setRequestHeader("Accept", "application/json");
    request.onload = function () {
      if (request.status !== 200) { return; }
      var state;
      try { state = JSON.parse(request.responseText); } catch (e) { return; }
      if (update(row, state)) { window.setTimeout(function () { poll(row); }, POLL_MS); }
    };
    request.send();
  }

  function start() {
    var rows = document.querySelectorAll("[data-status-url]");
    for (var i = 0; i < rows.length; i++) { poll(rows[i]); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
