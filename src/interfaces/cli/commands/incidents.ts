import type { Command } from 'commander';
import { NOTE_TAGS } from '../../../domain/incident-notes.ts';
import { COMPONENTS, INCIDENT_STATUSES, SEVERITIES } from '../../../domain/incidents.ts';
import { ackIncident } from '../../../services/incidents/ack-incident.ts';
import { addIncidentNote } from '../../../services/incidents/add-note.ts';
import { listIncidents } from '../../../services/incidents/list-incidents.ts';
import { openIncident } from '../../../services/incidents/open-incident.ts';
import { resolveIncident } from '../../../services/incidents/resolve-incident.ts';
import { showIncident } from '../../../services/incidents/show-incident.ts';
import { updateIncident } from '../../../services/incidents/update-incident.ts';
import { cliActor } from '../actor.ts';
import { emit } from '../output.ts';
import type { CliRuntime } from '../runtime.ts';
import { changeLines, incidentsTable, noteLines, openedLines, recordLines } from './incidents-text.ts';
import { registerIncidentReportCommand } from './reports.ts';

type OpenOptions = {
  severity?: string;
  type?: string;
  title?: string;
  components?: string;
  commander?: string;
  started?: string;
};
type MessageOptions = { message?: string; public?: boolean; status?: string; tag?: string };

const MESSAGE = ['--message <text>', 'what to record (required)'] as const;
const PUBLIC = ['--public', 'customers may see it (the status page shows public entries)'] as const;

/** `polaris incident open|list|show|update|ack|resolve|note` (issue 11 §1). */
export function registerIncidentCommands(program: Command, runtime: CliRuntime, json: () => boolean): void {
  const incident = program.command('incident').description('incidents: open, follow and resolve them');
  incident
    .command('open')
    .description('open an incident (status investigating, detected now)')
    .option('--severity <level>', SEVERITIES.join(' | '))
    .option('--type <type>', 'payment | infrastructure | security, or a subtype such as payment.webhooks')
    .option('--title <text>', 'what is wrong, in a line')
    .option('--components <list>', `affected, comma-separated: ${COMPONENTS.join(', ')}`)
    .option('--commander <name>', 'who leads the response (default: the first to ack)')
    .option('--started <time>', 'when the problem began, ISO (default: now)')
    .action((options: OpenOptions) =>
      runtime.withContext(async (ctx) => {
        const opened = await openIncident({ ctx, input: { ...options, actor: cliActor() } });
        emit(json(), { ok: true, incident: opened }, () => openedLines(opened));
      }),
    );
  incident
    .command('list')
    .description('incidents, newest first')
    .option('--open', 'only the unresolved ones')
    .action((options: { open?: boolean }) =>
      runtime.withContext(async (ctx) => {
        const incidents = await listIncidents({ ctx, input: { open: options.open } });
        emit(json(), { incidents }, () => incidentsTable(incidents, options.open === true));
      }),
    );
  incident
    .command('show <id>')
    .description('one incident and its timeline')
    .action((id: string) =>
      runtime.withContext(async (ctx) => {
        const record = await showIncident({ ctx, input: { id } });
        emit(json(), record, () => recordLines(record));
      }),
    );
  incident
    .command('update <id>')
    .description('post a status update (the same status again is a cadence update)')
    .option('--status <status>', INCIDENT_STATUSES.filter((s) => s !== 'resolved').join(' | '))
    .option(...MESSAGE)
    .option(...PUBLIC)
    .action((id: string, options: MessageOptions) =>
      runtime.withContext(async (ctx) => {
        const change = await updateIncident({ ctx, input: { id, ...options, actor: cliActor() } });
        emit(json(), { ok: true, ...change }, () => changeLines('updated', change));
      }),
    );
  incident
    .command('ack <id>')
    .description('acknowledge: you have it (and lead it, when it has no commander)')
    .action((id: string) =>
      runtime.withContext(async (ctx) => {
        const change = await ackIncident({ ctx, input: { id, actor: cliActor() } });
        emit(json(), { ok: true, ...change }, () => changeLines('acknowledged', change));
      }),
    );
  incident
    .command('resolve <id>')
    .description('resolve it, saying what resolved it (final: a recurrence is a new incident)')
    .option(...MESSAGE)
    .option(...PUBLIC)
    .action((id: string, options: MessageOptions) =>
      runtime.withContext(async (ctx) => {
        const change = await resolveIncident({ ctx, input: { id, ...options, actor: cliActor() } });
        emit(json(), { ok: true, ...change }, () => changeLines('resolved', change));
      }),
    );
  incident
    .command('note <id>')
    .description('add a private note to the timeline (findings, root cause, follow-ups)')
    .option(...MESSAGE)
    .option('--tag <tag>', `the report section it feeds: ${NOTE_TAGS.join(' | ')}`)
    .action((id: string, options: MessageOptions) =>
      runtime.withContext(async (ctx) => {
        const entry = await addIncidentNote({
          ctx,
          input: { id, message: options.message, tag: options.tag, actor: cliActor() },
        });
        emit(json(), { ok: true, entry }, () => noteLines(entry));
      }),
    );
  registerIncidentReportCommand(incident, runtime, json);
}
