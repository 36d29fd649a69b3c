/** `berth events` as a command spec; the action (events-action.ts) is imported when it runs. */
import { flagsOf, type CommandSpec } from '../args/command-spec.js';
import type { EventsFlags } from './events-action.js';

export const EVENTS_COMMAND: CommandSpec = {
  name: 'events',
  description: 'Show the daemon\'s events (containers, images, …): history with --since, then live until --until',
  options: [
    { flags: '--since <time>', description: 'events from this time (2026-01-02T15:04:05Z, Unix seconds, or a duration: 10m)' },
    { flags: '--until <time>', description: 'stop at this time (as --since); without it, follow until interrupted' },
    { flags: '-f, --filter <key=value>', description: 'type, event, container, image, label, volume, network, …; repeatable', repeat: true },
    { flags: '--format <format>', description: 'json, or a template such as {{.Action}} {{.Actor.ID}}' },
  ],
  run: async ({ globals, options }) => { await (await import('./events-action.js')).eventsAction(globals, flagsOf<EventsFlags>(options)); },
};
