// Spate dashboard: polls the JSON API once a second and redraws the torrent table. No framework: one table,
// rows keyed by info-hash and updated in place, so a poll costs a few DOM writes.
'use strict';

const params = new URLSearchParams(location.search);
if (params.get('token')) {
  localStorage.setItem('spate-token', params.get('token'));
}
const token = localStorage.getItem('spate-token');

function api(method, path, body, type) {
  const headers = {};
  if (token) headers['X-Spate-Token'] = token;
  if (type) headers['Content-Type'] = type;
  return fetch(path, { method, headers, body }).then(async (r) => {
    const json = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(json.error || r.status + ' ' + r.statusText);
    return json;
  });
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + ' ' + units[i];
}

function rate(n) { return n ? bytes(n) + '/s' : '–'; }

function eta(s) {
  if (s === 0) return 'done';
  if (s === null || s === undefined) return '∞';
  if (s < 60) return s + ' s';
  if (s < 3600) return Math.floor(s / 60) + ' min';
  return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
}

function percent(p) { return p >= 1 ? '100 %' : (Math.floor(p * 1000) / 10).toFixed(1) + ' %'; }

const tbody = document.querySelector('#torrents tbody');
const rows = new Map();

function row(t) {
  let tr = rows.get(t.info_hash);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.hash = t.info_hash;
    tr.innerHTML = '<td class="name"></td><td class="state"></td>' +
      '<td class="progress"><span class="bar"><div></div></span> <span class="pct"></span></td>' +
      '<td class="size"></td><td class="down"></td><td class="up"></td><td class="peers"></td><td class="eta"></td>' +
      '<td class="actions"><button class="toggle"></button><button class="remove">Remove</button></td>';
    tr.querySelector('.toggle').onclick = () => act(t.info_hash, tr.dataset.paused === 'true' ? 'resume' : 'pause');
    tr.querySelector('.remove').onclick = () => remove(t.info_hash, tr.querySelector('.name').textContent);
    tbody.appendChild(tr);
    rows.set(t.info_hash, tr);
  }
  return tr;
}

function set(tr, cls, text) {
  const el = tr.querySelector('.' + cls);
  if (el.textContent !== text) el.textContent = text;
}

function draw(list) {
  const seen = new Set();
  for (const t of list) {
    seen.add(t.info_hash);
    const tr = row(t);
    tr.className = 'state-' + t.state;
    tr.dataset.paused = t.paused;
    tr.dataset.progress = t.progress;
    set(tr, 'name', t.name);
    tr.querySelector('.name').title = t.info_hash + (t.error ? '\n' + t.error : '');
    set(tr, 'state', t.state + (t.error ? ': ' + t.error : ''));
    tr.querySelector('.bar > div').style.width = (t.progress * 100) + '%';
    set(tr, 'pct', percent(t.progress));
    set(tr, 'size', bytes(t.size));
    set(tr, 'down', rate(t.download_rate));
    set(tr, 'up', rate(t.upload_rate));
    set(tr, 'peers', String(t.peers ?? '–'));
    set(tr, 'eta', t.state === 'downloading' || t.state === 'seeding' ? eta(t.eta_seconds) : '–');
    set(tr, 'toggle', t.paused ? 'Resume' : 'Pause');
  }
  for (const [hash, tr] of rows) {
    if (!seen.has(hash)) { tr.remove(); rows.delete(hash); }
  }
  document.getElementById('empty').hidden = list.length > 0;
}

function message(text, ok) {
  const el = document.getElementById('message');
  el.textContent = text;
  el.className = ok ? 'ok' : '';
}

function act(hash, action) {
  api('POST', '/api/torrents/' + hash + '/' + action).then(poll, (e) => message(e.message));
}

function remove(hash, name) {
  if (!confirm('Remove ' + name + '? (its data is kept)')) return;
  api('DELETE', '/api/torrents/' + hash).then(poll, (e) => message(e.message));
}

document.getElementById('add').onsubmit = (ev) => {
  ev.preventDefault();
  const file = document.getElementById('file').files[0];
  const magnet = document.getElementById('magnet').value.trim();
  const dir = document.getElementById('dir').value.trim();
  let request;
  if (file) {
    const query = dir ? '?dir=' + encodeURIComponent(dir) : '';
    request = file.arrayBuffer().then((buf) => api('POST', '/api/torrents' + query, buf, 'application/x-bittorrent'));
  } else if (magnet) {
    const body = { magnet };
    if (dir) body.dir = dir;
    request = api('POST', '/api/torrents', JSON.stringify(body), 'application/json');
  } else {
    message('choose a .torrent file or paste a magnet link');
    return;
  }
  request.then((t) => { message('added ' + t.name, true); ev.target.reset(); poll(); }, (e) => message(e.message));
};

let polling = false;
function poll() {
  if (polling) return;
  polling = true;
  Promise.all([api('GET', '/api/torrents'), api('GET', '/api/stats')]).then(([list, stats]) => {
    draw(list);
    document.getElementById('totals').textContent = stats.torrents + ' torrents · ' + stats.peers + ' peers · ↓ ' +
      rate(stats.download_rate) + ' · ↑ ' + rate(stats.upload_rate);
  }, (e) => message(e.message)).finally(() => { polling = false; });
}

poll();
setInterval(poll, 1000);
