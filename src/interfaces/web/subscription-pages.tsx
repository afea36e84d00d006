/** A small answer page of the status-page subscription links (no script, no referrer). */
export function SubscriptionPage(props: { title: string; message: string }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="referrer" content="no-referrer" />
        <meta name="robots" content="noindex" />
        <title>{`${props.title} · SmartSlate status`}</title>
        <style>
          {'body{font-family:system-ui,sans-serif;max-width:480px;margin:2em auto;padding:0 1em}'}
        </style>
      </head>
      <body>
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p>
          <a href="/status">Back to the status page</a>
        </p>
      </body>
    </html>
  );
}
