// Shell completion scripts for bash, zsh and fish, generated from the commander tree: command names
// and aliases, options (and which take a value), and what each positional argument is. Service,
// plan, pod, task, endpoint and configuration names are completed at TAB time by calling svc itself.
import type { Command } from 'commander';
import { TOPICS } from './help-topics.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Where the candidates of an argument come from. `words:a b` is a fixed list. */
type Kind = 'plans' | 'pods' | 'tasks' | 'services' | 'endpoints' | 'configs' | 'files' | 'dirs' | 'commands' | 'none' | `words:${string}`;

interface Node {
  path: string;
  /** Names by which this command is typed after its parent's path (name first, then aliases). */
  names: string[];
  /** Subcommands offered as candidates: their names only (an alias is accepted, not offered twice). */
  subs: string[];
  /** The description of each of `subs`, for the shells that show one (zsh, fish). */
  subDescriptions: string[];
  options: string[];
  valueOptions: string[];
  args: Kind[];
  variadic: boolean;
}

/** By argument name. */
const ARG_KINDS: Readonly<Record<string, Kind>> = {
  plan: 'plans',
  pod: 'pods',
  task: 'tasks',
  service: 'services',
  endpoint: 'endpoints',
  id: 'configs',
  spec: 'files',
  cmd: 'commands',
  args: 'files',
};

/** By option long name; options not listed take values that cannot be guessed. */
const OPTION_KINDS: Readonly<Record<string, Kind>> = { '--name': 'services', '--options': 'files', '--spec': 'files', '--token-file': 'files' };

/** Options every command accepts, given before or after its name (see main.ts). */
const GLOBAL_OPTIONS = ['--name', '--url', '--token', '--token-file', '-v', '--verbose'];
const GLOBAL_VALUE_OPTIONS = ['--name', '--url', '--token', '--token-file'];

function nodes(cmd: Command, path: string, names: string[]): Node[] {
  const root = path === '';
  const opts = cmd.options.filter((o) => !o.hidden);
  const flags = (o: (typeof opts)[number]) => [o.short, o.long].filter((f): f is string => !!f);
  const args = cmd.registeredArguments.map((a): Kind => {
    if (a.argChoices) return `words:${a.argChoices.join(' ')}`;
    if (a.name() === 'topic') return `words:${[...Object.keys(TOPICS), ...(cmd.parent?.commands ?? []).map((c) => c.name())].join(' ')}`;
    return ARG_KINDS[a.name()] ?? 'none';
  });
  const node: Node = {
    path,
    names,
    subs: cmd.commands.map((c) => c.name()),
    subDescriptions: cmd.commands.map((c) => c.description()),
    options: [...new Set([...opts.flatMap(flags), ...(root ? [] : GLOBAL_OPTIONS), '-h', '--help'])],
    valueOptions: [...new Set([...opts.filter((o) => o.required || o.optional).flatMap(flags), ...(root ? [] : GLOBAL_VALUE_OPTIONS)])],
    args,
    variadic: cmd.registeredArguments.at(-1)?.variadic ?? false,
  };
  return [node, ...cmd.commands.flatMap((c) => nodes(c, path ? `${path} ${c.name()}` : c.name(), [c.name(), ...c.aliases()]))];
}

const parentOf = (n: Node) => n.path.split(' ').slice(0, -1).join(' ');
const typed = (n: Node) => n.names.map((name) => [parentOf(n), name].filter(Boolean).join(' '));
const argsSpec = (n: Node) => n.args.map((k, i) => (n.variadic && i === n.args.length - 1 ? `${k.replace(/ /g, ',')}...` : k.replace(/ /g, ','))).join(' ');

/** Shell code that prints one candidate per line for a dynamic kind; "$@" are svc and its global options. */
function dynamic(kind: 'plans' | 'pods' | 'tasks' | 'services' | 'endpoints' | 'configs'): string {
  const item = `sed -n 's/^ *"\\(.*\\)",\\{0,1\\}$/\\1/p'`;
  const name = `sed -n 's/^ *"name": "\\(.*\\)",\\{0,1\\}$/\\1/p'`;
  switch (kind) {
    case 'plans':
      return `"$@" plan list 2>/dev/null | ${item}`;
    case 'pods':
      return `"$@" pod list 2>/dev/null | ${item}`;
    case 'tasks':
      return `"$@" task list --json 2>/dev/null | ${name}`;
    case 'services':
      return `"$1" services --json 2>/dev/null | ${name}`;
    case 'endpoints':
      return `"$@" endpoints 2>/dev/null | ${item}`;
    case 'configs':
      return `"$@" config list 2>/dev/null | ${item}`;
  }
}
const DYNAMIC = ['plans', 'pods', 'tasks', 'services', 'endpoints', 'configs'] as const;

const q = (s: string) => `'${s}'`;
/** Single-quoted for zsh (and bash): a quote inside becomes '\''. */
const zq = (s: string) => `'${s.replace(/'/g, "'\\''")}'`;

/** The helper functions bash and zsh share (their syntax for these is the same). */
function shFunctions(all: Node[]): string {
  const command = all
    .filter((n) => n.path !== '')
    .map((n) => `    ${typed(n).map(q).join('|')}) echo ${q(n.path)} ;;`)
    .join('\n');
  const spec = all
    .map((n) =>
      [
        `    ${q(n.path)})`,
        `      _svc_subs=${q(n.subs.join(' '))}`,
        `      _svc_opts=${q(n.options.join(' '))}`,
        `      _svc_vopts=${q(n.valueOptions.join(' '))}`,
        `      _svc_args=${q(argsSpec(n))} ;;`,
      ].join('\n'),
    )
    .join('\n');
  const optionKinds = Object.entries(OPTION_KINDS)
    .map(([o, k]) => `    ${o}) echo ${k} ;;`)
    .join('\n');
  return `# The command path that "$1" (a command path and one more word) names, if it names one.
_svc_command() {
  case "$1" in
${command}
  esac
}

# What the command at path "$1" accepts: subcommands, options, options taking a value, arguments.
_svc_spec() {
  case "$1" in
${spec}
  esac
}

_svc_optkind() {
  case "$1" in
${optionKinds}
    *) echo none ;;
  esac
}

# Candidates of a dynamic kind, one per line: _svc_words <kind> <svc> [global options...]
_svc_words() {
  local kind=$1
  shift
  case $kind in
${DYNAMIC.map((k) => `    ${k}) ${dynamic(k)} ;;`).join('\n')}
  esac
}

# The kind of positional argument number "$1" (0-based) of the command in _svc_args.
_svc_argkind() {
  local -a kinds
  kinds=(\${=_svc_args})
  local count=\${#kinds[@]} kind
  if (( $1 < count )); then kind=\${kinds[$1 + _svc_base]}
  elif (( count > 0 )) && [[ \${kinds[count - 1 + _svc_base]} == *... ]]; then kind=\${kinds[count - 1 + _svc_base]}
  else kind=none
  fi
  kind=\${kind%...}
  echo "\${kind//,/ }"
}
`;
}

/** Walks the words before the cursor: sets cmdpath, n (positionals seen), expect (an option value is due), globals. */
const shWalk = (first: string, last: string, word: (i: string) => string) => `  local cmdpath='' next w i n=0 expect=''
  local _svc_subs _svc_opts _svc_vopts _svc_args
  globals=()
  for ((i = ${first}; i < ${last}; i++)); do
    w=${word('i')}
    if [[ -n $expect ]]; then expect=''; continue; fi
    case $w in
      --name | --url | --token | --token-file) globals+=("$w" "${word('i + 1')}"); expect=1; continue ;;
      --name=* | --url=* | --token=* | --token-file=*) globals+=("$w"); continue ;;
      -*)
        _svc_spec "$cmdpath"
        [[ " $_svc_vopts " == *" $w "* ]] && expect=1
        continue
        ;;
    esac
    if (( n == 0 )); then
      next=$(_svc_command "\${cmdpath:+$cmdpath }$w")
      if [[ -n $next ]]; then cmdpath=$next; continue; fi
    fi
    n=$((n + 1))
  done
  _svc_spec "$cmdpath"`;

function bash(all: Node[]): string {
  return `# bash completion for svc. Generated by \`svc completion bash\` (npm run completions); do not edit.
# Use: source <(svc completion bash)   or copy to ~/.local/share/bash-completion/completions/svc

_svc_base=0
${shFunctions(all).replace('kinds=(${=_svc_args})', 'read -r -a kinds <<< "$_svc_args"')}
_svc() {
  local cur=\${COMP_WORDS[COMP_CWORD]} svc=\${COMP_WORDS[0]}
  local -a globals
${shWalk('1', 'COMP_CWORD', (i) => `\${COMP_WORDS[${i}]}`)}
  local kind
  if [[ -n $expect ]]; then
    kind=$(_svc_optkind "\${COMP_WORDS[COMP_CWORD - 1]}")
  elif [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$_svc_opts" -- "$cur"))
    return
  elif (( n == 0 )) && [[ -n $_svc_subs ]]; then
    COMPREPLY=($(compgen -W "$_svc_subs" -- "$cur"))
    return
  else
    kind=$(_svc_argkind "$n")
  fi
  case $kind in
    none) COMPREPLY=() ;;
    files) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")) ;;
    dirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- "$cur")) ;;
    commands) COMPREPLY=($(compgen -c -- "$cur")) ;;
    words:*) COMPREPLY=($(compgen -W "\${kind#words:}" -- "$cur")) ;;
    *)
      local names
      names=$(_svc_words "$kind" "$svc" "\${globals[@]}")
      local IFS=$'\\n'
      COMPREPLY=($(compgen -W "$names" -- "$cur"))
      ;;
  esac
}

complete -F _svc svc
`;
}

function zsh(all: Node[]): string {
  return `#compdef svc
# zsh completion for svc. Generated by \`svc completion zsh\` (npm run completions); do not edit.
# Use: save as _svc in a directory of $fpath (then compinit)   or source <(svc completion zsh)

_svc_base=1
${shFunctions(all)}
# The subcommands of the command at path "$1" as name:description, into $described.
_svc_described() {
  case "$1" in
${all
  .filter((n) => n.subs.length > 0)
  .map((n) => `    ${q(n.path)}) described=(${n.subs.map((sub, i) => zq(`${sub}:${n.subDescriptions[i]}`)).join(' ')}) ;;`)
  .join('\n')}
  esac
}

_svc() {
  local svc=\${words[1]} cur=\${words[CURRENT]}
  local -a globals
${shWalk('2', 'CURRENT', (i) => `\${words[${i}]}`)}
  local kind
  if [[ -n $expect ]]; then
    kind=$(_svc_optkind "\${words[CURRENT - 1]}")
  elif [[ $cur == -* ]]; then
    compadd -- \${=_svc_opts}
    return
  elif (( n == 0 )) && [[ -n $_svc_subs ]]; then
    local -a described
    _svc_described "$cmdpath"
    _describe -t commands 'svc command' described
    return
  else
    kind=$(_svc_argkind "$n")
  fi
  case $kind in
    none) ;;
    files) _files ;;
    dirs) _files -/ ;;
    commands) _command_names -e ;;
    words:*) compadd -- \${=\${kind#words:}} ;;
    *) compadd -- \${(f)"$(_svc_words "$kind" "$svc" "\${globals[@]}")"} ;;
  esac
}

if [[ $funcstack[1] == _svc ]]; then
  _svc "$@"
else
  compdef _svc svc
fi
`;
}

function fish(all: Node[]): string {
  const fq = (s: string) => `'${s}'`;
  const fishq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const command = all
    .filter((n) => n.path !== '')
    .map((n) => `        case ${typed(n).map(fq).join(' ')}\n            echo ${fq(n.path)}`)
    .join('\n');
  const list = (xs: readonly string[]) => (xs.length > 0 ? ` ${xs.map(fq).join(' ')}` : '');
  const spec = all
    .map((n) =>
      [
        `        case ${fq(n.path)}`,
        `            set -g __svc_subs${list(n.subs)}`,
        `            set -g __svc_subdescs${n.subDescriptions.length > 0 ? ` ${n.subDescriptions.map(fishq).join(' ')}` : ''}`,
        `            set -g __svc_opts${list(n.options)}`,
        `            set -g __svc_vopts${list(n.valueOptions)}`,
        `            set -g __svc_args${list(n.args.map((k, i) => (n.variadic && i === n.args.length - 1 ? `${k}...` : k)))}`,
      ].join('\n'),
    )
    .join('\n');
  const optionKinds = Object.entries(OPTION_KINDS)
    .map(([o, k]) => `        case ${fq(o)}\n            echo ${k}`)
    .join('\n');
  const words = DYNAMIC.map((k) => `        case ${k}\n            ${dynamic(k).replace(/"\$@"/g, '$argv').replace(/"\$1"/g, '$argv[1]')}`).join('\n');
  return `# fish completion for svc. Generated by \`svc completion fish\` (npm run completions); do not edit.
# Use: svc completion fish > ~/.config/fish/completions/svc.fish

# The command path that $argv[1] (a command path and one more word) names, if it names one.
function __svc_command
    switch $argv[1]
${command}
    end
end

# What the command at path $argv[1] accepts: subcommands, options, options taking a value, arguments.
function __svc_spec
    switch $argv[1]
${spec}
    end
end

function __svc_optkind
    switch $argv[1]
${optionKinds}
        case '*'
            echo none
    end
end

# Candidates of a dynamic kind, one per line: __svc_words <kind> <svc> [global options...]
function __svc_words
    set -l kind $argv[1]
    set -e argv[1]
    switch $kind
${words}
    end
end

function __svc_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l svc $words[1]
    set -l cmdpath ''
    set -l n 0
    set -l expect 0
    set -l globals
    set -l i 2
    while test $i -le (count $words)
        set -l w $words[$i]
        set i (math $i + 1)
        if test $expect = 1
            set expect 0
            continue
        end
        switch $w
            case --name --url --token --token-file
                set -a globals $w $words[$i]
                set expect 1
                continue
            case '--name=*' '--url=*' '--token=*' '--token-file=*'
                set -a globals $w
                continue
            case '-*'
                __svc_spec $cmdpath
                contains -- $w $__svc_vopts; and set expect 1
                continue
        end
        if test $n = 0
            set -l next (__svc_command (string trim -- "$cmdpath $w"))
            if test -n "$next"
                set cmdpath $next
                continue
            end
        end
        set n (math $n + 1)
    end
    __svc_spec $cmdpath
    set -l kind none
    if test $expect = 1
        set kind (__svc_optkind $words[-1])
    else if string match -q -- '-*' $cur
        printf '%s\\n' $__svc_opts
        return
    else if test $n = 0; and test (count $__svc_subs) -gt 0
        for i in (seq (count $__svc_subs))
            printf '%s\\t%s\\n' $__svc_subs[$i] $__svc_subdescs[$i]
        end
        return
    else
        set -l count (count $__svc_args)
        if test $n -lt $count
            set kind $__svc_args[(math $n + 1)]
        else if test $count -gt 0; and string match -q -- '*...' $__svc_args[-1]
            set kind $__svc_args[-1]
        end
        set kind (string replace -r -- '\\.\\.\\.$' '' $kind)
    end
    switch $kind
        case none
        case files
            __fish_complete_path $cur
        case dirs
            __fish_complete_directories $cur
        case commands
            __fish_complete_command
        case 'words:*'
            string split ' ' -- (string replace -- 'words:' '' $kind)
        case '*'
            __svc_words $kind $svc $globals
    end
end

complete -c svc -f -a '(__svc_complete)'
`;
}

/** The completion script of `shell` for the program `root`. */
export function completionScript(shell: Shell, root: Command): string {
  const all = nodes(root, '', []);
  return shell === 'bash' ? bash(all) : shell === 'zsh' ? zsh(all) : fish(all);
}

/** File names under completions/ as shells look for them. */
export const COMPLETION_FILES: Readonly<Record<Shell, string>> = { bash: 'svc.bash', zsh: '_svc', fish: 'svc.fish' };
