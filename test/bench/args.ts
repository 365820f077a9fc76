export interface BenchArgs {
  only?: string[];
  durationSec: number;
  rounds: number;
  warmupSec: number;
  profile: boolean;
}

const USAGE = `usage: npm run bench -- [--only http,a2a,rlm] [--duration 5] [--rounds 3] [--warmup 2] [--profile]
  --only      comma-separated benches to run (default: all)
  --duration  seconds of load per measured run
  --rounds    measured runs per server; ratios are medians over rounds
  --warmup    seconds of load per server before measuring
  --profile   run our servers under --cpu-prof and print where their time goes`;

export class ArgsError extends Error {
  readonly usage = USAGE;
}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isFinite(n) || n <= 0) throw new ArgsError(`${flag} needs a positive number, got ${value ?? 'nothing'}`);
  return n;
}

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { durationSec: 5, rounds: 3, warmupSec: 2, profile: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--only':
        args.only = (value() ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '--duration':
        args.durationSec = positive(flag, value());
        break;
      case '--rounds':
        args.rounds = Math.round(positive(flag, value()));
        break;
      case '--warmup':
        args.warmupSec = positive(flag, value());
        break;
      case '--profile':
        args.profile = true;
        break;
      case '--help':
      case '-h':
        throw new ArgsError('');
      default:
        throw new ArgsError(`unknown option ${flag}`);
    }
  }
  return args;
}
