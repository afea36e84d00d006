import type { Caller } from '../http/env.ts';
import { Page } from './layout.tsx';

const TITLES: Record<number, string> = {
  400: 'That did not work',
  403: 'Not allowed',
  404: 'Page not found',
  405: 'Not allowed here',
  409: 'That changed meanwhile',
  413: 'Too large',
  429: 'Too many attempts',
  503: 'Temporarily unavailable',
};

/** The HTML a browser gets for an error on a page or a form post: the message and a way back. */
export function errorPageHtml(props: {
  status: number;
  message: string;
  requestId: string | null;
  caller: Caller | null;
}): string {
  const title = TITLES[props.status] ?? 'Something went wrong';
  const page = (
    <Page title={title} section="none" caller={props.caller} flags={null}>
      <h1>{title}</h1>
      <p id="error-message" role="alert">
        {props.message}
      </p>
      {props.status === 503 ? <p>Nothing was lost. Try again in a moment.</p> : null}
      {props.requestId ? (
        <p class="hint">
          Request id: <code>{props.requestId}</code>
        </p>
      ) : null}
      <p class="actions">
        <a href="/pricing">Pricing</a>
        <a href="/status">System status</a>
      </p>
    </Page>
  );
  return `<!doctype html>${page}`;
}
