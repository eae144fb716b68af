/**
 * The site's stylesheet and its one script. The script only filters the history table (and
 * keeps the choice in the address's #fragment, so a filtered view can be linked); without it
 * every incident shows and the filter form stays hidden. No chart code runs in the browser.
 */

export const SITE_CSS = `:root {
  --text: #1d2939; --muted: #475467; --line: #d0d5dd; --bg: #ffffff; --panel: #f8f9fb; --link: #1849a9;
  --down: #b42318; --partial: #b93815; --degraded: #8d5a00; --ok: #05603a; --maint: #1849a9;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--text); background: var(--bg); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
a { color: var(--link); }
a:focus-visible, select:focus-visible, .table-box:focus-visible { outline: 3px solid #f79009; outline-offset: 2px; }
.wrap { max-width: 1100px; margin: 0 auto; padding: 0 1rem; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; z-index: 10; }
.skip:focus { left: .5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.site-header { border-bottom: 1px solid var(--line); background: var(--panel); }
.site-header .wrap { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: .5rem; padding-top: .6rem; padding-bottom: .6rem; }
.brand { font-weight: 700; font-size: 1.15rem; color: var(--text); text-decoration: none; }
.site-header ul { list-style: none; display: flex; gap: 1rem; margin: 0; padding: 0; }
.site-header a[aria-current="page"] { font-weight: 700; color: var(--text); text-decoration-thickness: 3px; }
h1 { font-size: 1.8rem; margin: 1.2rem 0 .8rem; }
h2 { font-size: 1.3rem; margin: 1.6rem 0 .6rem; }
h3 { font-size: 1.1rem; margin: .2rem 0; }
.meta, .none, .site-footer { color: var(--muted); }
.site-footer { border-top: 1px solid var(--line); margin-top: 2.5rem; padding-top: .8rem; padding-bottom: 2rem; font-size: .9rem; }
.overall { display: flex; align-items: center; gap: .6rem; font-size: 1.25rem; font-weight: 700; color: #fff; padding: .9rem 1.1rem; border-radius: 8px; margin: 0 0 1rem; }
.overall .dot { width: .8rem; height: .8rem; border-radius: 50%; background: #fff; }
.overall-operational { background: var(--ok); } .overall-down { background: var(--down); }
.overall-partial { background: var(--partial); } .overall-degraded { background: var(--degraded); }
.overall-maintenance { background: var(--maint); }
.cards { list-style: none; padding: 0; margin: 0; display: grid; gap: .8rem; }
.card, .maintenance { border: 1px solid var(--line); border-left: 5px solid var(--down); border-radius: 6px; padding: .7rem 1rem; background: #fff; }
.maintenance { border-left-color: var(--maint); }
.card-partial { border-left-color: var(--partial); } .card-degraded { border-left-color: var(--degraded); }
.card-operational, .card-monitoring { border-left-color: var(--ok); }
.card p { margin: .3rem 0; }
.services { list-style: none; padding: 0; margin: 0; border: 1px solid var(--line); border-radius: 6px; }
.service { display: flex; justify-content: space-between; padding: .55rem 1rem; border-top: 1px solid var(--line); }
.service:first-child { border-top: 0; }
.state { font-weight: 600; }
.state-operational { color: var(--ok); } .state-down { color: var(--down); } .state-partial { color: var(--partial); }
.state-degraded { color: var(--degraded); } .state-maintenance { color: var(--maint); }
.recent { padding-left: 1.2rem; }
.sev, .status, .drill { display: inline-block; font-size: .8rem; font-weight: 700; border-radius: 4px; padding: 0 .4rem; color: #fff; background: #475467; white-space: nowrap; }
.sev-1 { background: var(--down); } .sev-2 { background: var(--partial); } .sev-3 { background: var(--degraded); } .sev-4, .sev-5, .sev-other { background: #475467; }
.status { background: #fff; color: var(--text); border: 1px solid var(--line); font-weight: 600; }
.status-investigating, .status-identified { color: var(--down); border-color: var(--down); }
.status-mitigated { color: var(--degraded); border-color: var(--degraded); }
.status-resolved { color: var(--ok); border-color: var(--ok); }
.status-maintenance { color: var(--maint); border-color: var(--maint); }
.drill { background: #6941c6; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .95rem; }
caption { text-align: left; font-weight: 600; color: var(--muted); padding: .2rem 0; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--panel); }
.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem 1rem; }
.filters p { margin: 0; color: var(--muted); }
select { font: inherit; padding: .2rem .4rem; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: .4rem 1.2rem; margin: 0 0 1rem; }
.facts dt { font-weight: 600; color: var(--muted); font-size: .85rem; }
.facts dd { margin: 0; }
.updates { list-style: none; padding: 0; margin: 0; border-left: 3px solid var(--line); }
.updates li { padding: .1rem 0 .4rem 1rem; }
.updates p { margin: .1rem 0; }
.two { display: grid; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 0 2rem; }
.crumbs { margin-top: 1rem; color: var(--muted); font-size: .9rem; }
.postmortem, .notes { border-top: 2px solid var(--line); margin-top: 1.5rem; }
.postmortem .status { vertical-align: middle; }
li.task { list-style: none; margin-left: -1.2rem; }
code { background: var(--panel); padding: 0 .25rem; border-radius: 3px; }
pre { background: var(--panel); padding: .6rem; overflow-x: auto; }
.chart-row { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1rem; align-items: start; }
@media (max-width: 800px) { .chart-row { grid-template-columns: 1fr; } }
.chart { width: 100%; height: auto; }
.table-box { max-height: 300px; overflow: auto; border: 1px solid var(--line); border-radius: 6px; }
.table-box table { margin: 0; font-size: .85rem; }
.table-box caption { padding: .3rem .5rem; }
.chart .grid { stroke: #eaecf0; }
.chart .tick, .chart .legend, .chart .unit { font-size: 12px; fill: var(--muted); }
.chart .line { fill: none; stroke-width: 2; }
.chart .interval { stroke-width: 6; opacity: .35; }
.s-median { fill: #1849a9; stroke: #1849a9; } .s-p90 { fill: #dc6803; stroke: #dc6803; }
.chart .line.s-p90 { stroke-dasharray: 5 3; }
.s-sev-1 { fill: var(--down); } .s-sev-2 { fill: #ef6820; } .s-sev-3 { fill: #fdb022; } .s-sev-4, .s-sev-5, .s-sev-other { fill: #98a2b3; }
.s-opened, .s-required { fill: #98a2b3; } .s-done, .s-written { fill: #039855; }
`;

export const SITE_JS = `// Filters the incident history by service and severity; the choice is kept in the #fragment.
(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var service = document.getElementById('filter-service');
  var severity = document.getElementById('filter-severity');
  var count = document.getElementById('filter-count');
  var rows = Array.prototype.slice.call(document.querySelectorAll('table.incidents tbody tr'));
  var months = Array.prototype.slice.call(document.querySelectorAll('section.month'));
  var servicesOf = rows.map(function (row) {
    try { return JSON.parse(row.getAttribute('data-services') || '[]'); } catch (e) { return []; }
  });

  function choose(select, value) {
    var known = Array.prototype.some.call(select.options, function (o) { return o.value === value; });
    select.value = known ? value : '';
  }

  function apply(remember) {
    var s = service.value;
    var v = severity.value;
    var shown = 0;
    rows.forEach(function (row, i) {
      var match = (!s || servicesOf[i].indexOf(s) !== -1) && (!v || row.getAttribute('data-severity') === v);
      row.hidden = !match;
      if (match) shown += 1;
    });
    months.forEach(function (month) { month.hidden = !month.querySelector('tbody tr:not([hidden])'); });
    count.textContent = s || v ? 'Showing ' + shown + ' of ' + rows.length + ' incidents.' : 'Showing all ' + rows.length + ' incidents.';
    if (remember) {
      var params = new URLSearchParams();
      if (s) params.set('service', s);
      if (v) params.set('severity', v);
      try { history.replaceState(null, '', params.toString() ? '#' + params.toString() : location.pathname + location.search); } catch (e) { /* file:// in some browsers */ }
    }
  }

  var params = new URLSearchParams(location.hash.slice(1));
  choose(service, params.get('service') || '');
  choose(severity, params.get('severity') || '');
  form.hidden = false;
  form.addEventListener('submit', function (event) { event.preventDefault(); });
  service.addEventListener('change', function () { apply(true); });
  severity.addEventListener('change', function () { apply(true); });
  apply(false);
})();
`;
