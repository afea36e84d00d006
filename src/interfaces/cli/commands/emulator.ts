import type { Command } from 'commander';
import { AppError } from '../../../domain/errors.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';

function parseSets(values: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new AppError('bad_request', `--set expects key=value, got "${item}"`);
    const raw = item.slice(eq + 1);
    out[item.slice(0, eq)] = /^-?\d+$/.test(raw) ? Number(raw) : raw;
  }
  return out;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `polaris emulator start | trigger | clock advance` (DESIGN §11). */
export function registerEmulatorCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const emulator = program.command('emulator').description('the local Razorpay emulator');

  emulator
    .command('start')
    .description('run the emulator alone and print its keys')
    .option('--port <port>', 'loopback port (default POLARIS_EMULATOR_PORT)')
    .option('--key-id <id>', 'API key id it accepts')
    .option('--key-secret <secret>', 'API key secret it accepts')
    .option('--webhook-url <url>', 'register a webhook endpoint at start')
    .option('--webhook-secret <secret>', 'secret for --webhook-url')
    .action(
      async (options: {
        port?: string;
        keyId?: string;
        keySecret?: string;
        webhookUrl?: string;
        webhookSecret?: string;
      }) => {
        const port = options.port === undefined ? undefined : Number(options.port);
        if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
          throw new AppError('bad_request', `--port must be a port number, got "${options.port}"`);
        }
        if (options.webhookUrl && !options.webhookSecret) {
          throw new AppError('bad_request', '--webhook-url needs --webhook-secret');
        }
        await runtime.emulator.start({ ...options, port }, (info) =>
          emit(json(), info, () => [
            `Razorpay emulator at ${info.url}`,
            `  key id:     ${info.keyId}`,
            `  key secret: ${info.keySecret}`,
            ...(info.webhookUrl ? [`  webhook:    ${info.webhookUrl}`] : []),
            '  stop:       Ctrl-C',
          ]),
        );
      },
    );

  emulator
    .command('trigger <scenario>')
    .description('run a scenario: real emulator state and real signed webhooks')
    .option('--set <key=value>', 'override a scenario parameter (repeatable)', collect, [])
    .option('--url <url>', 'emulator base URL (default http://127.0.0.1:POLARIS_EMULATOR_PORT)')
    .action(async (scenario: string, options: { set: string[]; url?: string }) => {
      const overrides = parseSets(options.set);
      const body = await runtime.emulator.control(
        `/_emulator/scenarios/${encodeURIComponent(scenario)}`,
        overrides,
        options.url,
      );
      emit(json(), body, () => [`triggered ${scenario}`, JSON.stringify(body, null, 2)]);
    });

  const clock = emulator.command('clock').description('the emulator test clock');
  clock
    .command('advance <duration>')
    .description('move the clock forward (e.g. 90s, 2h, 31d) and run everything that falls due, in order')
    .option('--url <url>', 'emulator base URL')
    .action(async (duration: string, options: { url?: string }) => {
      if (!/^\d+[smhdw]$/.test(duration)) {
        throw new AppError(
          'bad_request',
          `duration must be a number and a unit (s, m, h, d, w), e.g. 31d; got "${duration}"`,
        );
      }
      const body = await runtime.emulator.control('/_emulator/clock/advance', { duration }, options.url);
      emit(json(), body, () => [`clock advanced ${duration}`, JSON.stringify(body)]);
    });
}
