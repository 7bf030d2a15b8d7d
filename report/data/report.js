// Click a column header to sort its table (numbers by their data-v value); click again to reverse.
document.querySelectorAll("table.data").forEach(function (table) {
  var body = table.tBodies[0];
  table.querySelectorAll("thead th").forEach(function (th, column) {
    th.addEventListener("click", function () {
      var descending = th.getAttribute("aria-sort") !== "descending";
      table.querySelectorAll("thead th").forEach(function (other) { other.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", descending ? "descending" : "ascending");
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column];
        var vx = x.getAttribute("data-v"), vy = y.getAttribute("data-v");
        var order = (vx !== null && vy !== null)
          ? parseFloat(vx) - parseFloat(vy)
          : x.textContent.localeCompare(y.textContent, "zh-CN");
        return descending ? -order : order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
