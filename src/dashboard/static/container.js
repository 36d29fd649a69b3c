// One container: live CPU, memory and network charts, logs that follow, its inspect JSON, and
// start / stop / restart / remove after a confirmation.
import { api, badge, clearError, el, fill, pageState, showError } from './dashboard.js';
import { liveChart, percent, rate, size } from './charts.js';

const id = new URLSearchParams(location.search).get('id') ?? '';
const path = `/api/containers/${encodeURIComponent(id)}`;
const LOG_LINES_KEPT = 2000;

async function loadInspect() {
  try {
    const info = await api(path);
    document.title = `${info.Name.replace(/^\//, '')} · berth dashboard`;
    fill('name', info.Name.replace(/^\//, ''));
    const health = info.State.Health?.Status;
    fill('state', badge(info.State.Status), health === undefined ? '' : badge(health));
    fill('facts',
      el('dt', {}, 'id'), el('dd', {}, info.Id.slice(0, 12)),
      el('dt', {}, 'image'), el('dd', {}, info.Config.Image),
      el('dt', {}, 'command'), el('dd', {}, [info.Path, ...(info.Args ?? [])].join(' ')),
      el('dt', {}, 'started'), el('dd', {}, info.State.Running ? new Date(info.State.StartedAt).toLocaleString() : '—'));
    fill('inspect', JSON.stringify(info, null, 2));
    clearError();
    return info;
  } catch (err) {
    showError(err);
    return undefined;
  }
}

/** Resolves true when the user confirms `question` in the page's dialog. */
function confirmAction(question) {
  const dialog = document.getElementById('confirm');
  fill('confirm-text', question);
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => dialog.addEventListener('close', () => { resolve(dialog.returnValue === 'ok'); }, { once: true }));
}

async function act(action) {
  if (!(await confirmAction(`${action[0].toUpperCase()}${action.slice(1)} container ${document.getElementById('name').textContent}?`))) return;
  try {
    await api(`${path}/${action}`, { method: 'POST' });
    if (action === 'remove') { location.href = '/'; return; }
    await loadInspect();
    if (action !== 'stop') { followStats(); followLogs(); }
  } catch (err) {
    showError(err);
  }
}

let statsSource;
function followStats() {
  statsSource?.close();
  const charts = pageState.charts;
  charts.cpu ??= liveChart(document.getElementById('chart-cpu'), 'CPU', ['cpu'], percent);
  charts.memory ??= liveChart(document.getElementById('chart-memory'), 'Memory', ['in use'], size);
  charts.network ??= liveChart(document.getElementById('chart-network'), 'Network', ['receive', 'transmit'], rate);
  statsSource = new EventSource(`${path}/stats`);
  statsSource.onmessage = (message) => {
    const point = JSON.parse(message.data);
    charts.cpu.push(point.time, [point.cpuPercent]);
    charts.memory.push(point.time, [point.memoryBytes]);
    charts.network.push(point.time, [point.rxBytesPerSecond, point.txBytesPerSecond]);
  };
  statsSource.addEventListener('end', () => { statsSource.close(); });
  statsSource.addEventListener('error-message', () => { statsSource.close(); });
}

let logSource;
function followLogs() {
  logSource?.close();
  const logs = document.getElementById('logs');
  const state = document.getElementById('logs-state');
  logs.replaceChildren();
  logSource = new EventSource(`${path}/logs?tail=200`);
  logSource.onopen = () => { state.textContent = 'following'; };
  logSource.onmessage = (message) => {
    const { stream, line } = JSON.parse(message.data);
    const atBottom = logs.scrollTop + logs.clientHeight >= logs.scrollHeight - 4;
    logs.append(el('span', { class: stream }, `${line}\n`));
    while (logs.childNodes.length > LOG_LINES_KEPT) logs.firstChild.remove();
    if (atBottom) logs.scrollTop = logs.scrollHeight;
  };
  logSource.addEventListener('end', () => { state.textContent = 'ended'; logSource.close(); });
  logSource.addEventListener('error-message', (message) => { showError(JSON.parse(message.data).message); logSource.close(); });
}

for (const button of document.querySelectorAll('[data-action]')) button.addEventListener('click', () => { void act(button.dataset.action); });
void loadInspect().then((info) => {
  followStats();
  if (info !== undefined) followLogs();
});
