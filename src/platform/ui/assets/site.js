// Every page (the pages work without it): focus goes to what the page wants read first (the error summary, a success
// notice); a table wider than its box becomes reachable by keyboard so it can be scrolled.
document.addEventListener('DOMContentLoaded', () => {
  const target = document.querySelector('[data-autofocus]');
  if (target && (document.activeElement === document.body || document.activeElement === null)) target.focus();
  for (const table of document.querySelectorAll('table.data')) {
    if (table.scrollWidth > table.clientWidth + 1 && !table.hasAttribute('tabindex'))
      table.setAttribute('tabindex', '0');
  }
});
