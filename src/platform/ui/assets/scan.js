// The door scanner. Reads QR codes with the camera (BarcodeDetector where the browser has it, jsQR otherwise) or a
// typed code, and answers at once. Online, the server decides; when the network is gone, the checkpoint's manifest
// (hashes of badge tokens, never tokens) decides, and the scan waits in a queue (IndexedDB) until it can be synced.
// Each scan has its own id: sending it twice counts once.
(() => {
  var root = document.querySelector('.scanner');
  if (!root) return;
  var checkpoint = root.getAttribute('data-checkpoint');
  var lang = root.getAttribute('data-locale') || document.documentElement.lang;
  var S = JSON.parse(document.getElementById('scan-strings').textContent);
  // The server's clock (a rehearsal's too), not the device's: the offset measured when the page came.
  var offset = Date.parse(root.getAttribute('data-now') || '') - Date.now() || 0;
  var now = () => new Date(Date.now() + offset);
  var GENEVA = { timeZone: 'Europe/Zurich', hourCycle: 'h23' };
  // The reference printed under the QR, typed by hand.
  var REFERENCE = /^R-[0-9A-F]{8}$/i;
  var csrfMeta = document.querySelector('meta[name="csrf-token"]');
  var csrf = csrfMeta ? csrfMeta.getAttribute('content') : '';
  var form = root.querySelector('.scan-form');
  var input = root.querySelector('.scan-code');
  var out = root.querySelector('.scan-output');
  var netEl = root.querySelector('.scan-net');
  var manifestEl = root.querySelector('.scan-manifest');
  var queueEl = root.querySelector('.scan-queue');
  var video = root.querySelector('.scan-video');
  var camBtn = root.querySelector('.scan-camera-start');

  var deviceId = localStorage.getItem('convene.scanner.device');
  if (!deviceId) {
    deviceId = `scanner-${uuid().slice(0, 8)}`;
    localStorage.setItem('convene.scanner.device', deviceId);
  }

  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, (x) => (x + 0x100).toString(16).slice(1)).join('');
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // --- IndexedDB: manifests by checkpoint, the offline queue, badges admitted here while offline -------------------
  var dbp = new Promise((resolve, reject) => {
    var req = indexedDB.open('convene-scanner', 1);
    req.onupgradeneeded = () => {
      var db = req.result;
      db.createObjectStore('manifests', { keyPath: 'checkpoint' });
      db.createObjectStore('queue', { keyPath: 'scanId' });
      db.createObjectStore('admitted', { keyPath: 'key' });
    };
    req.onsuccess = () => {
      resolve(req.result);
    };
    req.onerror = () => {
      reject(req.error);
    };
  });
  function store(name, mode, fn) {
    return dbp.then(
      (db) =>
        new Promise((resolve, reject) => {
          var tx = db.transaction(name, mode);
          var r = fn(tx.objectStore(name));
          tx.oncomplete = () => {
            resolve(r && 'result' in r ? r.result : undefined);
          };
          tx.onerror = () => {
            reject(tx.error);
          };
        }),
    );
  }
  var getAll = (name) => store(name, 'readonly', (s) => s.getAll());

  // --- Manifest ----------------------------------------------------------------------------------------------------
  var manifest = null; // { generatedAt, days, index: Map(hash of token or of reference -> entry) }
  function useManifest(m) {
    var index = new Map();
    m.entries.forEach((e) => {
      index.set(e.h, e);
      (e.r || []).forEach((r) => {
        index.set(r, e);
      });
    });
    manifest = { generatedAt: m.generatedAt, days: m.days, hours: m.hours || [], index: index };
    manifestEl.textContent = S.manifest
      .replace('{n}', m.entries.length.toLocaleString(lang))
      .replace('{at}', new Date(m.generatedAt).toLocaleTimeString(lang, GENEVA));
  }
  function loadManifest() {
    return fetch(`/api/v1/checkin/manifest?checkpoint=${encodeURIComponent(checkpoint)}`, {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    })
      .then((r) => {
        if (!r.ok) throw new Error(`manifest ${r.status}`);
        return r.json();
      })
      .then((m) => {
        useManifest(m);
        return store('manifests', 'readwrite', (s) => s.put(m));
      })
      .catch(() =>
        store('manifests', 'readonly', (s) => s.get(checkpoint)).then((m) => {
          if (m) useManifest(m);
          else manifestEl.textContent = S.noManifest;
        }),
      );
  }

  function sha22(text) {
    return crypto.subtle.digest('SHA-256', new TextEncoder().encode(text.trim())).then((buf) => {
      var s = btoa(String.fromCharCode.apply(null, new Uint8Array(buf)));
      return s.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '').slice(0, 22);
    });
  }

  // --- Showing an answer ----------------------------------------------------------------------------------------
  function show(a, offline) {
    out.textContent = '';
    var box = document.createElement('div');
    box.className = `scan-result scan-${a.result}`;
    box.setAttribute('role', 'status');
    var verdict = document.createElement('p');
    verdict.className = 'scan-verdict';
    verdict.textContent = a.result === 'admitted' ? S.admitted : S.refused;
    box.appendChild(verdict);
    if (a.reason) {
      var reason = document.createElement('p');
      reason.className = 'scan-reason';
      reason.setAttribute('data-reason', a.reason);
      reason.textContent = S.reasons[a.reason] || a.reason;
      box.appendChild(reason);
    }
    if (a.person) {
      var who = document.createElement('p');
      who.className = 'scan-person';
      var bdi = document.createElement('bdi');
      bdi.textContent = a.person.name;
      who.appendChild(bdi);
      if (a.person.nameLatin && a.person.nameLatin !== a.person.name) {
        who.appendChild(document.createTextNode(' · '));
        var latin = document.createElement('bdi');
        latin.dir = 'ltr';
        latin.textContent = a.person.nameLatin;
        who.appendChild(latin);
      }
      if (a.person.category)
        who.appendChild(document.createTextNode(` · ${S.categories[a.person.category] || a.person.category}`));
      box.appendChild(who);
    }
    if (a.previous) {
      var prev = document.createElement('p');
      prev.className = 'scan-previous';
      prev.textContent = S.previous
        .replace(
          '{at}',
          new Date(a.previous.at).toLocaleString(lang, {
            timeZone: 'Europe/Zurich',
            hourCycle: 'h23',
            dateStyle: 'medium',
            timeStyle: 'short',
          }),
        )
        .replace('{where}', a.previous.deviceId || S.thisDevice);
      box.appendChild(prev);
    }
    if (offline) {
      var note = document.createElement('p');
      note.className = 'scan-offline-note';
      note.textContent = S.decidedOffline;
      box.appendChild(note);
    }
    if (a.result === 'admitted' && a.badgeId && !offline) {
      var img = document.createElement('img');
      img.className = 'scan-photo';
      img.alt = '';
      img.width = 120;
      img.height = 160;
      img.src = `/api/v1/badges/${a.badgeId}/photo`;
      img.onerror = () => {
        img.remove();
      };
      box.appendChild(img);
    }
    out.appendChild(box);
    if (navigator.vibrate) navigator.vibrate(a.result === 'admitted' ? 80 : [60, 60, 60]);
  }

  function setNet(online) {
    netEl.textContent = online ? S.online : S.offline;
    root.classList.toggle('is-offline', !online);
  }
  function showQueue() {
    return getAll('queue').then((q) => {
      queueEl.textContent = S.queued.replace('{n}', String(q.length));
      queueEl.setAttribute('data-queued', String(q.length));
    });
  }

  // --- Deciding ----------------------------------------------------------------------------------------------------
  function post(path, body) {
    return fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
      body: JSON.stringify(body),
    });
  }

  /** The Geneva calendar day of an instant, YYYY-MM-DD. */
  function genevaDay(d) {
    return d.toLocaleDateString('en-CA', { timeZone: 'Europe/Zurich' });
  }
  /** The Geneva wall-clock time of an instant, HH:MM (24-hour). */
  function genevaTime(d) {
    return d.toLocaleTimeString('en-GB', {
      timeZone: 'Europe/Zurich',
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
    });
  }
  /** The checkpoint's rule (checkin.rules.ts withinHours): a day without hours is open all day. */
  function withinHours(hours, d) {
    var day = genevaDay(d);
    var today = (hours || []).find((h) => h.day === day);
    if (!today) return true;
    var hm = genevaTime(d);
    return hm >= today.opens && hm < today.closes;
  }
  function decideOffline(scanRec) {
    var typed = REFERENCE.test(scanRec.code) ? scanRec.code.toUpperCase() : scanRec.code;
    return sha22(typed).then((h) => {
      var e = manifest?.index.get(h);
      // One key per badge, whether its QR was scanned or its reference typed.
      var key = `${checkpoint}|${e ? e.h : h}`;
      var day = genevaDay(new Date(scanRec.scannedAt));
      var days = manifest?.days;
      return store('admitted', 'readonly', (s) => s.get(key)).then((seen) => {
        var a;
        if (!e) a = { scanId: scanRec.scanId, result: 'refused', reason: 'invalid_code' };
        else if (e.s !== 'ok')
          a = {
            scanId: scanRec.scanId,
            result: 'refused',
            reason: e.s,
            person: { name: e.n, nameLatin: e.l, category: e.c },
          };
        else if (days && (day < days.from || day > days.to))
          a = {
            scanId: scanRec.scanId,
            result: 'refused',
            reason: 'outside_event_days',
            person: { name: e.n, nameLatin: e.l, category: e.c },
          };
        else if (!withinHours(manifest?.hours, new Date(scanRec.scannedAt)))
          a = {
            scanId: scanRec.scanId,
            result: 'refused',
            reason: 'outside_opening_hours',
            person: { name: e.n, nameLatin: e.l, category: e.c },
          };
        else if (seen)
          a = {
            scanId: scanRec.scanId,
            result: 'refused',
            reason: 'already_checked_in',
            person: { name: e.n, nameLatin: e.l, category: e.c },
            previous: { at: seen.at, checkpoint: checkpoint },
          };
        else a = { scanId: scanRec.scanId, result: 'admitted', person: { name: e.n, nameLatin: e.l, category: e.c } };
        scanRec.offlineResult = a.result;
        var writes = [store('queue', 'readwrite', (s) => s.put(scanRec))];
        if (a.result === 'admitted')
          writes.push(store('admitted', 'readwrite', (s) => s.put({ key: key, at: scanRec.scannedAt })));
        return Promise.all(writes).then(() => a);
      });
    });
  }

  function handle(code) {
    code = (code || '').trim();
    if (!code) return Promise.resolve();
    var rec = {
      scanId: uuid(),
      code: code,
      checkpoint: checkpoint,
      deviceId: deviceId,
      scannedAt: now().toISOString(),
    };
    var offline = () => {
      setNet(false);
      return decideOffline(rec).then((a) => {
        show(a, true);
        return showQueue();
      });
    };
    if (!navigator.onLine) return offline();
    return post('/api/v1/checkin/scan', rec)
      .then((r) => {
        if (r.status >= 500) throw new Error(`server ${r.status}`);
        return r.json().then((body) => {
          setNet(true);
          if (!r.ok) {
            show({ result: 'refused', reason: body.code === 'checkpoint_not_found' ? 'invalid_code' : body.code });
            return;
          }
          show(body, false);
          // Remember it here too: should the network go, a second scan of this badge is still refused.
          if (body.result === 'admitted') {
            return sha22(REFERENCE.test(code) ? code.toUpperCase() : code).then((h) => {
              var e = manifest?.index.get(h);
              return store('admitted', 'readwrite', (s) =>
                s.put({ key: `${checkpoint}|${e ? e.h : h}`, at: rec.scannedAt }),
              );
            });
          }
        });
      })
      .catch(offline);
  }

  // --- Sync --------------------------------------------------------------------------------------------------------
  var syncing = false;
  function sync() {
    if (syncing || !navigator.onLine) return Promise.resolve();
    syncing = true;
    return getAll('queue')
      .then((q) => {
        if (!q.length) return;
        q.forEach((s) => {
          delete s.offline;
        });
        return post('/api/v1/checkin/sync', { scans: q.slice(0, 5000) }).then((r) => {
          if (!r.ok) throw new Error(`sync ${r.status}`);
          return r.json().then((body) => {
            setNet(true);
            var done = body.results.map((x) => x.scanId);
            var conflicts = body.results.filter((x) => x.conflict).length;
            return store('queue', 'readwrite', (s) => {
              done.forEach((id) => {
                s.delete(id);
              });
            }).then(() => {
              var msg = document.createElement('p');
              msg.className = 'scan-synced';
              msg.setAttribute('data-synced', String(done.length));
              msg.setAttribute('data-conflicts', String(conflicts));
              msg.textContent =
                S.synced.replace('{n}', String(done.length)) +
                (conflicts ? ` ${S.conflicts.replace('{n}', String(conflicts))}` : '');
              out.appendChild(msg);
              return loadManifest();
            });
          });
        });
      })
      .catch(() => {
        setNet(false);
      })
      .then(() => {
        syncing = false;
        return showQueue();
      });
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    var code = input.value;
    input.value = '';
    handle(code).then(() => {
      input.focus();
    });
  });
  window.addEventListener('online', () => {
    setNet(true);
    void sync();
  });
  window.addEventListener('offline', () => {
    setNet(false);
  });
  setInterval(sync, 15000);

  // --- Camera ------------------------------------------------------------------------------------------------------
  var lastCode = '';
  var lastAt = 0;
  function found(code) {
    var now = Date.now();
    if (code === lastCode && now - lastAt < 3000) return;
    lastCode = code;
    lastAt = now;
    handle(code);
  }
  function startCamera() {
    if (!navigator.mediaDevices?.getUserMedia) {
      show({ result: 'refused', reason: 'invalid_code' });
      return;
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' }, audio: false })
      .then((stream) => {
        video.srcObject = stream;
        video.hidden = false;
        camBtn.hidden = true;
        video.play();
        var detector = 'BarcodeDetector' in window ? new window.BarcodeDetector({ formats: ['qr_code'] }) : null;
        var canvas = document.createElement('canvas');
        var c2d = canvas.getContext('2d', { willReadFrequently: true });
        function frame() {
          if (video.readyState >= 2) {
            if (detector) {
              detector
                .detect(video)
                .then((codes) => {
                  if (codes[0]) found(codes[0].rawValue);
                })
                .catch(() => {});
            } else if (window.jsQR) {
              var w = (canvas.width = video.videoWidth);
              var h = (canvas.height = video.videoHeight);
              c2d.drawImage(video, 0, 0, w, h);
              var q = window.jsQR(c2d.getImageData(0, 0, w, h).data, w, h, { inversionAttempts: 'dontInvert' });
              if (q?.data) found(q.data);
            }
          }
          setTimeout(frame, 200);
        }
        frame();
      })
      .catch(() => {
        camBtn.textContent = S.cameraUnavailable;
        camBtn.disabled = true;
      });
  }
  if (navigator.mediaDevices?.getUserMedia) {
    camBtn.hidden = false;
    camBtn.addEventListener('click', startCamera);
  }

  // --- Start -------------------------------------------------------------------------------------------------------
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/scan-sw.js', { scope: '/' }).catch(() => {});
  setNet(navigator.onLine);
  void loadManifest()
    .then(showQueue)
    .then(() => {
      root.setAttribute('data-ready', '1');
    })
    .then(sync);
})();
