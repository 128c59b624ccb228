// Print batches: moves the progress bars while batches render, and reloads the page when one finishes.
(() => {
  function tick() {
    fetch('/api/v1/badge-batches', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then((r) => (r.ok ? r.json() : null))
      .then((data) => {
        if (!data) return;
        var finished = false;
        var busy = false;
        data.batches.forEach((b) => {
          var row = document.querySelector(`tr[data-batch="${b.id}"]`);
          if (!row) return;
          var bar = row.querySelector('progress');
          if (bar) bar.value = b.done;
          var done = row.querySelector('.batch-done');
          if (done) done.textContent = String(b.done);
          if (row.getAttribute('data-state') !== b.state && (b.state === 'done' || b.state === 'failed'))
            finished = true;
          if (b.state === 'queued' || b.state === 'running') busy = true;
        });
        if (finished) location.reload();
        else if (busy) setTimeout(tick, 1500);
      })
      .catch(() => {
        setTimeout(tick, 5000);
      });
  }
  setTimeout(tick, 1000);
})();
