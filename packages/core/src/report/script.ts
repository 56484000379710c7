/**
 * The page's only script, inlined: sorts a table by a header click (numbers by the exact value in
 * data-v, empty cells last) and filters its rows by the text typed above it. No server, no fetch.
 */
export const PAGE_SCRIPT = `(function () {
  function key(cell) { return cell.hasAttribute('data-v') ? cell.getAttribute('data-v') : cell.textContent; }
  function compare(a, b, numeric) {
    if (a === '' || b === '') return a === b ? 0 : a === '' ? 1 : -1;
    if (numeric) return Number(a) - Number(b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    var body = table.tBodies[0];
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, i) {
      var sort = function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.classList.contains('num');
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r, s) {
          var a = key(r.cells[i]), b = key(s.cells[i]);
          if (a === '' || b === '') return compare(a, b, numeric);
          return (ascending ? 1 : -1) * compare(a, b, numeric);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      };
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (event) { if (event.key === 'Enter' || event.key === ' ') { event.preventDefault(); sort(); } });
    });
  });
  document.querySelectorAll('input[data-filter]').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-filter'));
    var count = document.getElementById(input.getAttribute('data-filter') + '-count');
    input.addEventListener('input', function () {
      var needle = input.value.trim().toLowerCase();
      var shown = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var hit = needle === '' || row.textContent.toLowerCase().indexOf(needle) >= 0;
        row.hidden = !hit;
        if (hit) shown++;
      });
      if (count) count.textContent = String(shown);
    });
  });
})();`;

export const PAGE_STYLE = `
:root { color-scheme: light; --poor: #c0392b; --good: #2e7d32; --muted: #607d8b; --line: #e0e4e8; }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1100px; padding: 24px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1c2833; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; } h3 { font-size: 15px; margin: 20px 0 4px; }
.meta, .note { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #fff3e0; color: #8d4e00; font-size: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px; }
.card .k { font-size: 12px; color: var(--muted); } .card .v { font-size: 20px; font-weight: 600; } .card .t { font-size: 11px; color: var(--muted); }
.card.miss .v { color: var(--poor); } .card.meet .v { color: var(--good); }
figure { margin: 16px 0; } figure svg { max-width: 100%; height: auto; } figcaption { font-weight: 600; }
table { border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
th, td { white-space: nowrap; padding: 3px 8px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th.num, td.num { text-align: right; }
table.sortable th { cursor: pointer; user-select: none; background: #f5f7f9; position: sticky; top: 0; }
th[aria-sort="ascending"]::after { content: " \\25B2"; } th[aria-sort="descending"]::after { content: " \\25BC"; }
.scroll { max-height: 480px; overflow: auto; border: 1px solid var(--line); }
input[data-filter] { margin: 4px 0; padding: 3px 6px; width: 260px; }
pre { background: #f5f7f9; padding: 8px; overflow: auto; font-size: 12px; }
code { font-size: 12px; }
`;
