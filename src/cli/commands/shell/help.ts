// svc help [topic | command...]: a guide on a topic, or the help of a command.
import { Argument, type Command } from 'commander';
import type { CliDeps } from '../../deps.js';
import { usageError } from '../../errors.js';
import { TOPICS } from '../../help-topics.js';

export function register(program: Command, deps: CliDeps): void {
  program
    .command('help')
    .description('help on a topic (plans, specs, exit-codes, environment) or a command')
    .addArgument(new Argument('[topic...]', 'a topic, or a command such as "plan show"'))
    .addHelpText('after', `\nTopics:\n${Object.entries(TOPICS).map(([k, t]) => `  ${k.padEnd(12)}${t.summary}`).join('\n')}\n\nExamples:\n  svc help plans\n  svc help exit-codes\n  svc help plan start\n`)
    .action(async (words: string[]) => {
      const r = await run({ program, words }, deps);
      if ('topic' in r) deps.io.out(r.topic);
      else r.command.outputHelp();
    });
}

/** A topic's text, or the command whose help to print (the program itself for no words). */
export async function run(opts: { program: Command; words: readonly string[] }, _deps: CliDeps): Promise<{ topic: string } | { command: Command }> {
  const topic = TOPICS[opts.words.join(' ')];
  if (opts.words.length > 0 && topic) return { topic: topic.text };
  let cmd = opts.program;
  for (const w of opts.words) {
    const next = cmd.commands.find((c) => c.name() === w || c.aliases().includes(w));
    if (!next) throw usageError(`no help topic or command "${opts.words.join(' ')}"; topics: ${Object.keys(TOPICS).join(', ')}; commands: svc --help`);
    cmd = next;
  }
  return { command: cmd };
}
