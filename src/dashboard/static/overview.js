// The overview: counts, containers, images, volumes, networks, disk use and (on a manager) the
// cluster, refreshed every few seconds and at once when an event arrives; the event stream live.
import { api, badge, bytes, clearError, el, fill, pageState, showError, table, when } from './dashboard.js';

const REFRESH_MS = 3000;
const EVENTS_KEPT = 50;

function card(label, value, kind = '') {
  return el('div', { class: `card ${kind}` }, el('div', { class: 'value' }, String(value)), el('div', { class: 'label' }, label));
}

function render(overview) {
  const { containers, images, volumes, networks, disk, cluster } = overview;
  fill('summary',
    card('running', containers.running, 'ok'), card('stopped', containers.stopped),
    card('healthy', containers.healthy, 'ok'), card('unhealthy', containers.unhealthy, containers.unhealthy > 0 ? 'bad' : ''),
    card(`images · ${bytes(images.totalBytes)}`, images.count), card('volumes', volumes.count), card('networks', networks.count),
    card('disk', bytes(disk.totalBytes)));
  fill('containers', table(['name', 'image', 'state', 'status'], containers.rows.map((c) => [
    el('a', { href: `/container.html?id=${encodeURIComponent(c.id)}`, 'data-container': c.name }, c.name),
    c.image, badge(c.state), [c.status, c.health === 'none' ? '' : ' ', c.health === 'none' ? '' : badge(c.health)],
  ]), 'no containers'));
  fill('images', table(['image', 'size', 'created'], images.rows.map((i) => [
    el('a', { href: `/image.html?ref=${encodeURIComponent(i.id)}` }, i.tags[0] ?? i.id.slice(7, 19)), bytes(i.bytes), when(i.created),
  ]), 'no images'));
  fill('volumes', table(['name', 'driver', 'size', 'used by'], volumes.rows.map((v) => [v.name, v.driver, bytes(v.bytes), v.refCount ?? '—']), 'no volumes'));
  fill('networks', table(['name', 'driver', 'scope'], networks.rows.map((n) => [n.name, n.driver, n.scope]), 'no networks'));
  fill('disk', table(['', 'size'], [
    ['images (layers)', bytes(disk.imagesBytes)], ['containers (writable layers)', bytes(disk.containersBytes)],
    ['volumes', bytes(disk.volumesBytes)], ['build cache', bytes(disk.buildCacheBytes)], [el('b', {}, 'total'), el('b', {}, bytes(disk.totalBytes))],
  ]));
  document.getElementById('cluster-section').hidden = cluster === undefined;
  if (cluster !== undefined) {
    fill('nodes', table(['node', 'role', 'state', 'availability'], cluster.nodes.map((n) => [
      n.hostname + (n.leader ? ' (leader)' : ''), n.role, badge(n.state, n.state === 'ready' ? 'running' : 'bad'), n.availability,
    ]), 'no nodes'));
    fill('services', table(['service', 'mode', 'tasks'], cluster.services.map((s) => [
      s.name, s.mode, badge(`${s.running} / ${s.desired}`, s.running >= s.desired ? 'running' : 'bad'),
    ]), 'no services'));
  }
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    render(await api('/api/overview'));
    clearError();
    pageState.refreshes++;
  } catch (err) {
    showError(err);
  } finally {
    refreshing = false;
  }
}

function followEvents() {
  const list = document.getElementById('events');
  const state = document.getElementById('events-state');
  const source = new EventSource('/api/events');
  source.onopen = () => { state.textContent = 'live'; };
  source.onerror = () => { state.textContent = 'reconnecting'; };
  source.onmessage = (message) => {
    const event = JSON.parse(message.data);
    const name = event.Actor?.Attributes?.name ?? event.Actor?.ID?.slice(0, 12) ?? '';
    list.prepend(el('li', {}, el('time', {}, new Date(event.time * 1000).toLocaleTimeString()), ` ${event.Type} ${event.Action} `, el('b', {}, name)));
    while (list.children.length > EVENTS_KEPT) list.lastElementChild.remove();
    void refresh();
  };
}

void refresh();
setInterval(() => { void refresh(); }, REFRESH_MS);
followEvents();
