// The page's only script: post the new password with the link's token to better-auth's reset route.
const SCRIPT = `
async function resetPassword(form){
  var say = function(t){ document.getElementById('status').textContent = t; };
  if (form.password.value !== form.confirm.value) { say('The two passwords differ'); return false; }
  var r = await fetch('/api/auth/reset-password', { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: form.token.value, newPassword: form.password.value }) });
  if (r.ok) { form.remove(); say('Your password is set. Sign in with it on the pricing page.'); return false; }
  var body = await r.json().catch(function(){ return null; });
  say(body && body.error ? body.error.message : 'The reset failed');
  return false;
}`;

/** GET /reset-password?token=…: a form that sets a new password with a single-use reset token. */
export function ResetPasswordPage(props: { token: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="referrer" content="no-referrer" />
        <title>Set a new password · SmartSlate Polaris</title>
        <style>
          {
            'body{font-family:system-ui,sans-serif;max-width:480px;margin:2em auto;padding:0 1em}label{display:block;margin:.6em 0}'
          }
        </style>
        <script dangerouslySetInnerHTML={{ __html: SCRIPT }} />
      </head>
      <body>
        <h1>Set a new password</h1>
        {props.token === '' ? (
          <p>This link has no token. Ask the operator who sent it for a new one.</p>
        ) : (
          <form onsubmit="return resetPassword(this)">
            <input type="hidden" name="token" value={props.token} />
            <label>
              New password <input type="password" name="password" minlength={10} maxlength={128} required />
            </label>
            <label>
              Again <input type="password" name="confirm" minlength={10} maxlength={128} required />
            </label>
            <button type="submit">Set password</button>
          </form>
        )}
        <p id="status" role="status" />
      </body>
    </html>
  );
}
