// Progressive enhancement only: turns the column headers of the report's
// tables into sort buttons. The page is complete without it (rows are in run
// order) and it fetches nothing. Written as ES5-style source text so it runs
// in any browser a report might be opened in.

export const SORT_SCRIPT = `
(function () {
  function key(cell) {
    var s = cell.getAttribute("data-sort");
    return s !== null && s !== "" && !isNaN(Number(s)) ? Number(s) : cell.textContent.trim().toLowerCase();
  }
  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
  var tables = document.querySelectorAll("table.sortable");
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, col) {
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row, i) { return { row: row, i: i }; });
        rows.sort(function (a, b) {
          var c = compare(key(a.row.cells[col]), key(b.row.cells[col]));
          return (ascending ? c : -c) || a.i - b.i;
        });
        rows.forEach(function (r) { body.appendChild(r.row); });
      });
    });
  });
})();
`;
