"""The command line: python -m sensus COMMAND."""

from __future__ import annotations

import argparse
import sys
import time


def build_sample(args: argparse.Namespace) -> int:
    from sensus.sample import build_sample as build

    started = time.perf_counter()
    path = build(args.db, scale=args.scale, seed=args.seed)
    print(f"Synthetic sample (scale {args.scale}, seed {args.seed}) written to {path} "
          f"in {time.perf_counter() - started:.1f} s")
    return check(args)


def check(args: argparse.Namespace) -> int:
    from sensus import check as checks
    from sensus import store

    path = store.db_path(args.db)
    if not path.exists():
        print(f"error: no store at {path}; run `python -m sensus build-sample` first", file=sys.stderr)
        return 2
    with store.connect(path) as con:
        text, ok = checks.report(con)
    print(text)
    return 0 if ok else 1


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m sensus", description="SP2020 census store and reports.")
    commands = root.add_subparsers(dest="command", required=True)

    def command(name: str, handler, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", help="the store file (default: $SENSUS_DB or data/sensus.duckdb)")
        sub.set_defaults(handler=handler)
        return sub

    sample = command("build-sample", build_sample, "write the synthetic, calibrated Kota Kupang sample")
    sample.add_argument("--scale", type=int, default=1,
                        help="regencies of Kupang's size (1 = Kota Kupang only; 12 is about NTT)")
    sample.add_argument("--seed", type=int, default=2020, help="random seed (same seed, same numbers)")

    command("check", check, "print the data-quality report; exit 1 when a check fails")
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.handler(args)
