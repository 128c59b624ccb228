// A List of Participants being made: reloads its page every few seconds while the job runs (the page says so, and
// offers a link to do it by hand without script). A timed reload is a script's, not a <meta http-equiv="refresh">:
// the page stays still for anyone without script, as WCAG 2.2.1 asks of a page that does not say it moves.
(() => {
  const section = document.querySelector('.lop-edition');
  if (!section) return;
  const state = section.getAttribute('data-state');
  if (state !== 'queued' && state !== 'running') return;
  const seconds = Number(section.getAttribute('data-reload') || 3);
  setTimeout(() => location.reload(), seconds * 1000);
})();
