// `svc help <topic>`: short guides that are about more than one command.

export const TOPICS: Readonly<Record<string, { summary: string; text: string }>> = {
  plans: {
    summary: 'plans, phases, steps, and how to drive them',
    text: `Plans

A plan is a tree: plan → phases → steps. Each step deploys (or acts on) one pod instance, e.g.
"hello-0:[server]". Every service has a deploy plan (install and config updates roll out through
it) and a recovery plan (relaunches failed tasks); the spec may define more (sidecar plans).

Strategies decide which children run: serial (one after another), parallel (all at once),
canary (the first steps wait for "svc plan resume"), dependency.

Statuses: PENDING → PREPARED → STARTING → STARTED → COMPLETE, and WAITING (paused, or a canary
step waiting), DELAYED (backing off after failures), ERROR, IN_PROGRESS (a plan or phase with
work under way).

  svc plan list                                  the plans of the service
  svc plan show deploy [--watch]                 the tree with statuses
  svc plan start sidecar -p KEY=VALUE --wait     start a plan with parameters (env of its tasks)
  svc plan pause|resume deploy [phase]           stop starting new steps / carry on
  svc plan stop sidecar                          interrupt and reset to PENDING
  svc plan force-restart deploy [phase [step]]   run again
  svc plan force-complete deploy <phase> <step>  mark a step done without running it
`,
  },
  specs: {
    summary: 'the svc.yml service spec, and package folders',
    text: `Service specs

A service is one svc.yml: its name, pods (each with a count, placement rules and tasks), and
tasks (goal RUNNING, FINISH or ONCE; cmd; cpus, memory; ports; volumes; configs; health and
readiness checks), and optionally plans. Mustache {{VARS}} are rendered from the environment.

  name: hello-world
  pods:
    hello:
      count: 2
      tasks:
        server:
          goal: RUNNING
          cmd: echo hello >> output/out && sleep 1000
          cpus: 0.1
          memory: 32
          volume: { path: output, type: ROOT, size: 64 }

  svc install path/to/svc.yml          or a folder holding svc.yml
  svc install path/to/package --options opts.json
                                       a DC/OS package folder (config.json + marathon.json.mustache)
  svc update start                     roll out the edited svc.yml (or --options for a package)
  svc spec validate path/to/svc.yml    check it without installing: each problem, or a summary
  svc spec show path/to/package        the resolved spec the scheduler would run (JSON)

Invalid specs are refused before anything starts, with the YAML path of each problem.
`,
  },
  'exit-codes': {
    summary: 'what the exit status of svc means',
    text: `Exit codes

  0  the command did what it was asked
  1  the operation failed (the scheduler refused it, a plan failed, a wait timed out, ...)
  2  usage error: unknown command or option, missing or bad argument, --yes needed
  3  the service is not installed, or its scheduler cannot be reached
130  Ctrl-C (or Ctrl-\\) stopped a wait; the work itself goes on (the message says how to watch it)

"svc task exec" exits with the status of the command it ran.
`,
  },
  environment: {
    summary: 'environment variables svc reads',
    text: `Environment

  SVC_HOME      where installed services live (default ~/.svc)
  SVC_SERVICE   the service to act on, like --name (optional when one service is installed)
  SVC_URL       talk to the scheduler API at this URL, like --url
  SVC_TOKEN     the API token to send with SVC_URL; unlike --token it is not shown by ps
                (or --token-file <file>, a file only you can read)
  NO_COLOR      set (non-empty) to turn colours off; they are only used when stdout is a terminal

Tasks do not inherit the environment of the shell that installed them. They start from
  PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin (plus the folder of svc's node)
  LANG=C.UTF-8   HOME=$MESOS_SANDBOX (the task's sandbox)
then the spec's env (which may override these), the SDK's variables (MESOS_SANDBOX, TASK_NAME,
PORT_<NAME>, ...) and TASKCFG_* options. "svc task exec -t" adds your terminal's TERM.
`,
  },
};
