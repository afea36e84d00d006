import type { NotifyChannel } from './channel.ts';
import { postJson } from './http-post.ts';

/**
 * A Slack-compatible incoming webhook (`SLACK_WEBHOOK_URL`; Mattermost and Rocket.Chat take the
 * same body). The roster's channel goes in `channel`, which services that allow it honour.
 */
export function slackChannel(url: string): NotifyChannel {
  return {
    send: (message) =>
      postJson(
        url,
        JSON.stringify({
          text: `*${message.subject}*\n${message.text}`,
          ...(message.recipient.startsWith('#') ? { channel: message.recipient } : {}),
        }),
        {},
        'the Slack webhook',
      ),
  };
}
