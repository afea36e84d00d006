import type { ResetLink } from '../../services/security/require-password-reset.ts';
import type { CallerProfile } from '../../services/users/search-users.ts';
import type { AdminShell } from './admin-incidents-page.tsx';
import { AdminPage } from './admin-layout.tsx';
import { utcTime } from './status-sections.tsx';

const stateOf = (u: CallerProfile) =>
  [
    u.disabledAt ? `disabled since ${utcTime(u.disabledAt)}` : 'enabled',
    u.passwordResetRequiredAt ? 'password reset required' : null,
  ]
    .filter(Boolean)
    .join(' · ');

function SearchForm(props: { email: string }) {
  return (
    <form method="get" action="/admin/users" id="user-search">
      <label for="user-search-email">Email contains</label>
      <input id="user-search-email" name="email" type="search" value={props.email} minlength={2} required />
      <p class="actions">
        <button type="submit">Search</button>
      </p>
    </form>
  );
}

/** /admin/users: search accounts by email. */
export function AdminUsersPage(
  props: AdminShell & { email: string; users: CallerProfile[] | null; more: boolean },
) {
  return (
    <AdminPage title="Users" current="users" {...props}>
      <SearchForm email={props.email} />
      {props.users === null ? null : props.users.length === 0 ? (
        <p id="user-results">No account matches.</p>
      ) : (
        <div class="table-wrap">
          <table id="user-results">
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {props.users.map((u) => (
                <tr>
                  <td>
                    <a href={`/admin/users/${u.userId}`}>{u.email}</a>
                  </td>
                  <td>{u.role}</td>
                  <td>{stateOf(u)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {props.more ? <p class="hint">More accounts match: type more of the email.</p> : null}
    </AdminPage>
  );
}

function Reason(props: { id: string }) {
  return (
    <div class="field">
      <label for={`${props.id}-reason`}>Reason (goes to the audit log)</label>
      <input id={`${props.id}-reason`} name="reason" required maxlength={500} />
    </div>
  );
}

function Confirm(props: { id: string; email: string }) {
  return (
    <div class="field">
      <label for={`${props.id}-confirm`}>
        Type <strong>{props.email}</strong> to confirm
      </label>
      <input id={`${props.id}-confirm`} name="confirm" required autocomplete="off" />
    </div>
  );
}

function ActionForm(props: {
  user: CallerProfile;
  action: 'disable' | 'enable' | 'revoke-sessions' | 'require-reset';
  legend: string;
  hint: string;
  button: string;
  confirm: boolean;
}) {
  const id = `${props.action}-user`;
  return (
    <form method="post" action={`/admin/users/${props.user.userId}/${props.action}`} id={id}>
      <fieldset>
        <legend>{props.legend}</legend>
        <p class="hint">{props.hint}</p>
        <Reason id={id} />
        {props.confirm ? <Confirm id={id} email={props.user.email} /> : null}
        <p class="actions">
          <button type="submit" class={props.confirm ? 'danger' : undefined}>
            {props.button}
          </button>
        </p>
      </fieldset>
    </form>
  );
}

function ResetLinks(props: { links: ResetLink[] }) {
  return (
    <section id="reset-links" aria-labelledby="reset-links-title">
      <h2 id="reset-links-title">Reset link</h2>
      <p>Hand it to its owner over a trusted channel; it is shown once, works once, and expires.</p>
      <ul>
        {props.links.map((l) => (
          <li>
            {l.email}: <code>{l.link}</code> (expires {utcTime(l.expiresAt)})
          </li>
        ))}
      </ul>
    </section>
  );
}

/** /admin/users/<id>: one account, and disable/enable, revoke sessions and require a password reset. */
export function AdminUserPage(props: AdminShell & { user: CallerProfile; links: ResetLink[] }) {
  const u = props.user;
  return (
    <AdminPage title={u.email} current="users" {...props}>
      <p class="actions">
        <a href={`/admin/users?email=${encodeURIComponent(u.email)}`}>Back to the search</a>
      </p>
      <dl id="user-summary">
        <dt>Role</dt>
        <dd>{u.role}</dd>
        <dt>State</dt>
        <dd id="user-state">{stateOf(u)}</dd>
        <dt>User id</dt>
        <dd>
          <code>{u.userId}</code>
        </dd>
      </dl>
      {props.links.length > 0 ? <ResetLinks links={props.links} /> : null}
      {u.disabledAt ? (
        <ActionForm
          user={u}
          action="enable"
          legend="Enable the account"
          hint="It may sign in again (with no session to start with). The same as `npx polaris users enable`."
          button="Enable account"
          confirm={false}
        />
      ) : (
        <ActionForm
          user={u}
          action="disable"
          legend="Disable the account"
          hint="Signs it out everywhere and refuses its sign-in; billing is untouched. The same as `npx polaris users disable`."
          button="Disable account"
          confirm={true}
        />
      )}
      <ActionForm
        user={u}
        action="revoke-sessions"
        legend="Revoke its sessions"
        hint="Signs it out everywhere; it may sign in again. The same as `npx polaris sessions revoke --user`."
        button="Revoke sessions"
        confirm={true}
      />
      <ActionForm
        user={u}
        action="require-reset"
        legend="Require a password reset"
        hint="Signs it out and refuses sign-in until a new password is set through a single-use link. The same as `npx polaris users require-password-reset --user`."
        button="Require password reset"
        confirm={true}
      />
    </AdminPage>
  );
}
