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

// Bulk tables: "select all" / "clear" tick the boxes in place (without script they reload the page ticked or not).
document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-select]') : null;
  if (!link) return;
  const form = link.closest('form');
  if (!form) return;
  event.preventDefault();
  const on = link.getAttribute('data-checked') === 'true';
  for (const box of form.querySelectorAll(`input[type="checkbox"][name="${link.getAttribute('data-select')}"]`))
    box.checked = on;
});
