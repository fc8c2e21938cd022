// "All" above a table's checkboxes: ticks or unticks every row at once. Without this script
// the control stays hidden and each row is ticked on its own, so the page works either way.
(function () {
  "use strict";
  document.querySelectorAll("[data-select-all]").forEach(function (control) {
    var table = control.closest("table");
    var all = control.querySelector("input[type=checkbox]");
    if (!table || !all) { return; }
    var boxes = table.querySelectorAll("tbody input[type=checkbox][name]");

    function reflect() {
      var ticked = Array.prototype.filter.call(boxes, function (box) { return box.checked; });
      all.checked = ticked.length === boxes.length && boxes.length > 0;
      all.indeterminate = ticked.length > 0 && ticked.length < boxes.length;
    }

    all.addEventListener("change", function () {
      boxes.forEach(function (box) { box.checked = all.checked; });
      reflect();
    });
    boxes.forEach(function (box) { box.addEventListener("change", reflect); });
    control.hidden = false;
    reflect();
  });
})();
