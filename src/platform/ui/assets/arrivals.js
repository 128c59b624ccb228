// Arrivals, live: the server sends the counts (server-sent events) when a scan lands and every 15 seconds.
(() => {
  var root = document.querySelector('.arrivals-page');
  if (!root || !window.EventSource) return;
  var lang = document.documentElement.lang;
  var labels = JSON.parse(root.getAttribute('data-labels') || '{}');
  var tbody = root.querySelector('table.arrivals tbody');
  var live = root.querySelector('.arrivals-live');
  var fmt = new Intl.NumberFormat(lang);
  // The server's clock (a rehearsal's too), not the device's: the offset measured when the page came.
  var offset = Date.parse(root.getAttribute('data-now') || '') - Date.now() || 0;
  var now = () => new Date(Date.now() + offset);
  var es = new EventSource('/api/v1/checkin/arrivals/stream');
  es.addEventListener('arrivals', (ev) => {
    var data = JSON.parse(ev.data);
    data.checkpoints.forEach((c) => {
      var row = tbody.querySelector(`tr[data-checkpoint="${CSS.escape(c.checkpoint)}"]`);
      if (!row) {
        row = document.createElement('tr');
        row.setAttribute('data-checkpoint', c.checkpoint);
        var a = document.createElement('td');
        a.textContent = labels[c.checkpoint] || c.checkpoint;
        var n = document.createElement('td');
        n.className = 'arrivals-n';
        var k = document.createElement('td');
        k.className = 'arrivals-c';
        row.append(a, n, k);
        tbody.appendChild(row);
      }
      row.querySelector('.arrivals-n').textContent = fmt.format(c.arrivals);
      row.querySelector('.arrivals-c').textContent = fmt.format(c.conflicts);
    });
    live.textContent = (root.getAttribute('data-updated-label') || '{at}').replace(
      '{at}',
      now().toLocaleTimeString(lang, { timeZone: 'Europe/Zurich', hourCycle: 'h23' }),
    );
    live.setAttribute('data-updated', now().toISOString());
  });
})();
