// The timetable grid: drag a session onto another room and half hour. The drop submits an ordinary form to the
// session's move address (the server checks conflicts as the form does); without this script, each session links to
// its form.
(() => {
  var grid = document.getElementById('timetable-grid');
  if (!grid) return;
  var csrf = document.querySelector('meta[name="csrf-token"]');
  var moveUrl = grid.getAttribute('data-move');
  var day = grid.getAttribute('data-day');
  var dragged = null;
  grid.querySelectorAll('.tt-session').forEach((s) => {
    s.setAttribute('draggable', 'true');
    s.addEventListener('dragstart', (e) => {
      dragged = s.getAttribute('data-code');
      e.dataTransfer.setData('text/plain', dragged);
      e.dataTransfer.effectAllowed = 'move';
      grid.classList.add('dragging');
    });
    s.addEventListener('dragend', () => {
      grid.classList.remove('dragging');
    });
  });
  grid.querySelectorAll('.tt-slot').forEach((slot) => {
    slot.addEventListener('dragover', (e) => {
      e.preventDefault();
      slot.classList.add('over');
    });
    slot.addEventListener('dragleave', () => {
      slot.classList.remove('over');
    });
    slot.addEventListener('drop', (e) => {
      e.preventDefault();
      var code = dragged || e.dataTransfer.getData('text/plain');
      if (!code || !csrf) return;
      var form = document.createElement('form');
      form.method = 'post';
      form.action = moveUrl.replace('_code_', encodeURIComponent(code));
      var fields = {
        _csrf: csrf.getAttribute('content'),
        room: slot.getAttribute('data-room'),
        day: day,
        start: slot.getAttribute('data-start'),
      };
      Object.keys(fields).forEach((k) => {
        var i = document.createElement('input');
        i.type = 'hidden';
        i.name = k;
        i.value = fields[k];
        form.appendChild(i);
      });
      document.body.appendChild(form);
      form.submit();
    });
  });
})();
