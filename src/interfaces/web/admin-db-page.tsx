import { type Check, checkFailed } from '../../domain/verify-checks.ts';
import type { BackupEntry } from '../../services/backups/list-backups.ts';
import type { DrillRow } from '../../services/backups/list-drills.ts';
import type { VerifyReport } from '../../services/verify/verify-database.ts';
import type { AdminShell } from './admin-incidents-page.tsx';
import { AdminPage } from './admin-layout.tsx';
import { utcTime } from './status-sections.tsx';

/** The backup folder's listing, or why there is none. */
export type BackupListing = { dir: string; backups: BackupEntry[] } | { problem: string };

const mark = (c: Check) => (!checkFailed(c) ? 'passed' : c.severity === 'error' ? 'FAILED' : 'warning');

function summaryOf(report: VerifyReport): string {
  const failed = (severity: string) =>
    report.checks.filter((c) => c.severity === severity && checkFailed(c)).length;
  const warnings = failed('warning');
  const tail = warnings > 0 ? ` (${warnings} ${warnings === 1 ? 'warning' : 'warnings'})` : '';
  const errors = failed('error');
  return errors === 0
    ? `db verify: clean${tail}`
    : `db verify: ${errors} checks of severity error failed${tail}`;
}

function VerifyResult(props: { report: VerifyReport }) {
  return (
    <>
      <p id="verify-result" role="status" class={props.report.ok ? 'notice' : 'notice error'}>
        {summaryOf(props.report)}
      </p>
      <div class="table-wrap">
        <table id="verify-checks">
          <thead>
            <tr>
              <th scope="col">Check</th>
              <th scope="col">Result (severity, count)</th>
              <th scope="col">Sample ids and fix</th>
            </tr>
          </thead>
          <tbody>
            {props.report.checks.map((c) => (
              <tr data-check={c.name}>
                <td>{c.title}</td>
                <td>{`${mark(c)} (${c.severity}, ${c.skipped ? 'skipped' : c.count})`}</td>
                <td>{checkFailed(c) ? `${c.skipped ?? c.sampleIds.join(', ')} · ${c.hint}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function BackupTable(props: { listing: BackupListing }) {
  const l = props.listing;
  if ('problem' in l) return <p id="backups">{l.problem}</p>;
  if (l.backups.length === 0) return <p id="backups">No backup in {l.dir} yet.</p>;
  return (
    <div class="table-wrap">
      <table id="backups">
        <caption class="hint">In {l.dir}, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Backup</th>
            <th scope="col">Taken</th>
            <th scope="col">Engine</th>
            <th scope="col">Schema</th>
            <th scope="col">Size</th>
          </tr>
        </thead>
        <tbody>
          {l.backups.map(({ id, manifest: m, problem }) => (
            <tr>
              <td>{id}</td>
              {m ? (
                <>
                  <td>{utcTime(new Date(m.created_at))}</td>
                  <td>{m.engine}</td>
                  <td>{m.schema_version ?? ''}</td>
                  <td>{`${Math.ceil(m.dump.size / 1024).toLocaleString('en-IN')} KiB`}</td>
                </>
              ) : (
                <td colspan={4}>unreadable: {problem}</td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DrillTable(props: { drills: DrillRow[] }) {
  if (props.drills.length === 0) return <p id="drills">No drill yet.</p>;
  return (
    <div class="table-wrap">
      <table id="drills">
        <thead>
          <tr>
            <th scope="col">Finished</th>
            <th scope="col">Backup</th>
            <th scope="col">Result</th>
            <th scope="col">Recovery</th>
            <th scope="col">By</th>
          </tr>
        </thead>
        <tbody>
          {props.drills.map((d) => (
            <tr>
              <td>{utcTime(new Date(d.finished_at))}</td>
              <td>{d.backup_id}</td>
              <td>{d.ok ? 'restored cleanly' : `differs: ${d.differing.join(', ')}`}</td>
              <td>{`${(d.recovery_ms / 1000).toFixed(1)} s`}</td>
              <td>{d.actor}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** /admin/db: run a verify (its checks shown), take a backup, and the backups and drills so far. */
export function AdminDbPage(
  props: AdminShell & { verify: VerifyReport | null; listing: BackupListing; drills: DrillRow[] },
) {
  return (
    <AdminPage title="Database" current="db" {...props}>
      <h2>Verify</h2>
      <p class="hint">
        Runs every consistency check in this request, in one read-only transaction, and waits for it. On a
        large database this takes minutes: run <code>npx polaris db verify</code> on the server instead.
      </p>
      <form method="post" action="/admin/db/verify" id="run-verify">
        <button type="submit">Run verify</button>
      </form>
      {props.verify ? <VerifyResult report={props.verify} /> : null}
      <h2>Backups</h2>
      <p class="hint">
        Streams the whole database to the backup folder in this request. For a large database use{' '}
        <code>npx polaris db backup</code> on the server; restores and drills are CLI only (
        <code>npx polaris db restore</code>, <code>npx polaris db drill</code>).
      </p>
      <form method="post" action="/admin/db/backup" id="take-backup">
        <label for="backup-label">Label (optional)</label>
        <input id="backup-label" name="label" maxlength={40} />
        <p class="actions">
          <button type="submit">Take backup</button>
        </p>
      </form>
      <BackupTable listing={props.listing} />
      <h2>Drills</h2>
      <DrillTable drills={props.drills} />
    </AdminPage>
  );
}
