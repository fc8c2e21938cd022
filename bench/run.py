"""`python -m bench.run [--sizes 1,10,100]`: benchmark the app on a throwaway database.

With DATABASE_URL (PostgreSQL) set, a database `<name>_bench_<pid>` is created on the same
server and dropped at the end, even on failure; without it, a SQLite file in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import sys
from collections.abc import Sequence
from types import FrameType

import django

from bench.database import database_create, database_drop, environment_set

DEFAULT_SIZES = "1,10,100"
DEFAULT_REPORT_LIMIT = 600.0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, or (with --child-report) build one report in this child process."""
    args = _arguments(argv)
    if args.child_report:
        return _child(*args.child_report)
    sizes, command = _sizes(args.sizes), _command(args)
    database = database_create(os.environ.get("DATABASE_URL"))
    signal.signal(signal.SIGTERM, _terminate)
    print(f"Bench database: {database.vendor} {database.name}", flush=True)
    try:
        environment_set(database)
        django.setup()
        from bench.suite import suite_run

        return suite_run(sizes, database.workdir, command, args.report_time_limit)
    finally:
        _connections_close()
        database_drop(database)
        print(f"Dropped the bench database {database.name}", flush=True)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="comma-separated multiples of 1x")
    parser.add_argument(
        "--report-time-limit",
        type=float,
        default=DEFAULT_REPORT_LIMIT,
        help="seconds after which a report build is stopped and reported as unfinished "
        f"(0: no limit; default {DEFAULT_REPORT_LIMIT:.0f})",
    )
    parser.add_argument(
        "--child-report", nargs=3, metavar=("FORMAT", "COMMITTEE", "PERIOD"), help=argparse.SUPPRESS
    )
    return parser.parse_args(argv)


def _sizes(text: str) -> list[int]:
    """Distinct positive sizes, smallest first."""
    try:
        sizes = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise SystemExit(f"--sizes takes whole numbers like 1,10,100, not {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise SystemExit("--sizes takes whole numbers of 1 or more, like 1,10,100")
    return sizes


def _command(args: argparse.Namespace) -> str:
    """The command as someone would type it again (the database URL is not repeated)."""
    server = "DATABASE_URL=… " if os.environ.get("DATABASE_URL") else ""
    sizes, limit = shlex.quote(args.sizes), args.report_time_limit
    return f"{server}python -m bench.run --sizes {sizes} --report-time-limit {limit:g}"


def _terminate(signum: int, frame: FrameType | None) -> None:
    """Turn SIGTERM into SystemExit, so the bench database is still dropped."""
    raise SystemExit(128 + signum)


def _connections_close() -> None:
    """Close Django's connections (if Django got that far) before the database is dropped."""
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


def _child(fmt: str, committee: str, period: str) -> int:
    """Build one report format in this process and print its figures as a JSON line."""
    django.setup()
    from bench.reports import child_report

    child_report(fmt, committee, period)
    return 0


if __name__ == "__main__":
    sys.exit(main())
