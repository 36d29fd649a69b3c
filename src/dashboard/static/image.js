// One image: what it is, its layers (history), its last vulnerability scan with a button to scan
// again, and its SBOM (CycloneDX) on demand.
import { api, badge, bytes, clearError, el, fill, showError, table, when } from './dashboard.js';

const ref = new URLSearchParams(location.search).get('ref') ?? '';
const path = `/api/images/${encodeURIComponent(ref)}`;
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

async function loadImage() {
  const image = await api(path);
  const name = image.RepoTags?.[0] ?? image.Id.slice(7, 19);
  document.title = `${name} · berth dashboard`;
  fill('name', name);
  fill('facts',
    el('dt', {}, 'id'), el('dd', {}, image.Id),
    el('dt', {}, 'tags'), el('dd', {}, (image.RepoTags ?? []).join(', ') || '—'),
    el('dt', {}, 'size'), el('dd', {}, bytes(image.Size)),
    el('dt', {}, 'platform'), el('dd', {}, `${image.Os}/${image.Architecture}`),
    el('dt', {}, 'created'), el('dd', {}, new Date(image.Created).toLocaleString()));
  const history = await api(`${path}/history`);
  fill('history', table(['created', 'created by', 'size'], history.map((row) => [
    when(row.Created), el('code', {}, row.CreatedBy), bytes(row.Size),
  ]), 'no history'));
}

function counts(values) {
  return SEVERITIES.filter((s) => (values[s] ?? 0) > 0).map((s) => badge(`${s} ${values[s]}`, s.toLowerCase()));
}

async function loadLastScan() {
  const last = await api(`${path}/scan`);
  if (last.LastScan === null) {
    fill('scan', el('p', { class: 'empty' }, 'not scanned yet'));
    return;
  }
  const shown = counts(last.LastScan.Counts);
  fill('scan', el('p', {}, `last scan ${new Date(last.LastScan.Time).toLocaleString()}: `, shown.length === 0 ? 'no known vulnerabilities' : shown));
}

async function scanNow() {
  fill('findings', el('p', { class: 'empty' }, 'scanning…'));
  try {
    const report = await api(`${path}/scan`, { method: 'POST' });
    fill('findings', table(['severity', 'advisory', 'package', 'installed', 'fixed in'], (report.findings ?? []).map((f) => [
      badge(f.severity, f.severity.toLowerCase()), f.id, f.package?.name ?? '', f.package?.version ?? '', f.fixedVersion ?? '—',
    ]), 'no known vulnerabilities'));
    await loadLastScan();
  } catch (err) {
    fill('findings');
    showError(err);
  }
}

async function loadSbom() {
  try {
    const sbom = await api(`${path}/sbom`);
    const components = sbom.components ?? [];
    fill('sbom', table(['component', 'version', 'type', 'licenses'], components.map((c) => [
      c.name, c.version ?? '', c.type ?? '', (c.licenses ?? []).map((l) => l.license?.id ?? l.license?.name ?? l.expression ?? '').join(', '),
    ]), 'no components found'));
  } catch (err) {
    showError(err);
  }
}

document.getElementById('scan-now').addEventListener('click', () => { void scanNow(); });
document.getElementById('sbom-load').addEventListener('click', () => { void loadSbom(); });
Promise.all([loadImage(), loadLastScan()]).then(clearError, showError);
