"""The benchmark: mdl against the floor of its framework, against an earlier mdl, and at scale.

    python bench/run.py [--rounds 11] [--before BIN] [--sizes 15,150,1500,15000] [--report bench/REPORT.md]

Every command runs as a child process with stdout piped, as a script would run it. Runs alternate
between the commands compared (in rounds, each in a new random order), and each figure is the
median of the rounds. Budgets are ratios measured in the same run, so they hold on a slower or
busier machine. `--before BIN` names the bin folder of an earlier mdl (a venv with it installed):
the budgets that compare with "today's" mdl run it side by side, each run beside the same run of
the other (see paired_ratio). Peak memory is measured in separate runs through bench/peak.py.
Needs the `bench` extra (khal).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import http.server
import itertools
import json
import os
import pickle
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
from make_course import course as generated_course  # noqa: E402 - the generator lives beside this file
from make_feed import feed as generated_feed  # noqa: E402 - likewise

# khal's configuration for a throw-away calendar; the ICS tests use it too.
KHAL_CONFIG = (HERE / "khal.conf.in").read_text(encoding="utf-8")
_fresh = itertools.count()


@dataclass
class Sample:
    seconds: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(argv: Sequence[str], env: dict[str, str], cwd: Path) -> float:
    """Wall time of one run, stdout read through a pipe to its end, as a pipe's reader does."""
    start = time.perf_counter()
    child = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=False)
    elapsed = time.perf_counter() - start
    if child.returncode != 0:
        raise SystemExit(f"benchmark command failed ({child.returncode}): {' '.join(map(str, argv))}")
    return elapsed


def peak_memory(argv: Sequence[str], env: dict[str, str], cwd: Path) -> int:
    """Peak resident memory (kB) of one run of the command itself (see bench/peak.py)."""
    with tempfile.NamedTemporaryFile(dir=cwd, suffix=".kb", delete=False) as out:
        report = Path(out.name)
    try:
        probe = [sys.executable, "-I", "-S", str(HERE / "peak.py"), str(report)]
        subprocess.run(
            [*probe, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd, check=True
        )
        return int(report.read_text(encoding="utf-8"))
    finally:
        report.unlink(missing_ok=True)


Env = dict[str, str] | Callable[[], dict[str, str]]


def compare(commands: dict[str, list[str]], rounds: int, env: Env, cwd: Path) -> dict[str, Sample]:
    """One warm-up each, then `rounds` rounds in which every command runs once, in a new order.

    In a fixed order, a command always ran at the same moment of a round, after the same one:
    in one report the floor, always second, was 16% slower than in the run before while every
    other command was 25–40% slower. Shuffled (with a fixed seed, so a rerun runs the same
    orders), each command meets the same moments of the machine's load.
    `env` may be a function giving each run its own environment (an empty cache, say).
    """
    given = env if callable(env) else (lambda: env)
    samples = {name: Sample([]) for name in commands}
    for argv in commands.values():
        measure(argv, given(), cwd)
    order = random.Random(len(commands) * 1000 + rounds)
    names = list(commands)
    for _ in range(rounds):
        order.shuffle(names)
        for name in names:
            samples[name].seconds.append(measure(commands[name], given(), cwd))
    return samples


def machine() -> str:
    model = "unknown CPU"
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:  # noqa: PTH123 - Linux only, like the machines
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    packages = ", ".join(
        f"{p} {version(p)}" for p in ("typer", "rich", "pyyaml", "icalendar", "python-dateutil", "khal")
    )
    return f"{platform.machine()}, {model}, {os.cpu_count()} cores; Python {platform.python_version()}; {packages}"


def installed_as(folder: Path) -> str:
    """How the mdl in a venv's bin folder is installed: a fresh run of an editable one parses its course."""
    code = "import importlib.metadata as m; print(m.distribution('mdl').read_text('direct_url.json') or '{}')"
    found = subprocess.run([folder / "python", "-c", code], capture_output=True, text=True, check=True).stdout
    if json.loads(found).get("dir_info", {}).get("editable"):
        return "an editable install (a fresh run parses the bundled course)"
    return "installed from a wheel"


def verdict(ratio: float, budget: float) -> str:
    return "yes" if ratio <= budget else "**no**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=11, help="timed rounds (median of these); at least 7")
    parser.add_argument("--report", type=Path, default=HERE / "REPORT.md", help="where to write the Markdown report")
    parser.add_argument("--sizes", default="15,150,1500,15000", help="session counts for the scale table")
    parser.add_argument("--before", type=Path, help="the bin folder of an earlier mdl, measured side by side")
    parser.add_argument(
        "--readme",
        type=Path,
        default=HERE.parent / "docs" / "performance.md",
        help="the page whose benchmark block the report replaces",
    )
    args = parser.parse_args()
    rounds = max(7, args.rounds)
    work = Path(tempfile.mkdtemp(prefix="mdl-bench-"))
    try:
        lines = run_all(work, rounds, [int(n) for n in args.sizes.split(",")], args.before)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    replace_block(args.readme, lines[2:])  # the report without its title
    print("\n".join(lines))


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def replace_block(readme: Path, lines: list[str]) -> None:
    """The performance page's figures are the report's: the lines between its markers are replaced."""
    text = readme.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
        readme.write_text(head + BEGIN + "\n" + "\n".join(lines) + "\n" + END + tail, encoding="utf-8")


def run_all(work: Path, rounds: int, sizes: list[int], before: Path | None) -> list[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(work),
        "XDG_CACHE_HOME": str(work / "cache"),
        "XDG_CONFIG_HOME": str(work / "config"),
        "XDG_DATA_HOME": str(work / "data"),
        "LANG": "C.UTF-8",
    }
    mdl = str(BIN / "mdl")
    return [
        "# mdl benchmark",
        "",
        f"Machine: {machine()}.",
        f"mdl: {installed_as(BIN)}" + (f"; before: {installed_as(before)}." if before else "."),
        f"Medians of {rounds} rounds after a warm-up, the commands in a new random order each round, stdout piped.",
        "",
        *startup(work, env, mdl, rounds, before),
        "",
        *scale(work, env, mdl, sizes, before),
        "",
        *semester(work, env, mdl, rounds),
        "",
        *followed_feed(work, env, mdl, rounds),
        "",
        *reminders(work, env, mdl, rounds),
        "",
        *week_plan(work, env, mdl, rounds),
    ]


def startup(work: Path, env: dict[str, str], mdl: str, rounds: int, before: Path | None) -> list[str]:
    """The four everyday commands and --version against the floor of a Typer tool, warm and fresh.

    With `before`, the earlier mdl's commands run in the same rounds, marked "before".
    """
    python = sys.executable
    # The floor prints what `mdl schedule` prints, loaded from a pickle.
    rows_file = work / "rows.pickle"
    shown = subprocess.run([mdl, "schedule"], env=env, cwd=work, check=True, capture_output=True, text=True).stdout
    rows_file.write_bytes(pickle.dumps([line.split("\t") for line in shown.splitlines()]))
    floor = [python, str(HERE / "floor.py")]
    programs = {"": mdl, **({"before: ": str(before / "mdl")} if before else {})}
    everyday = {
        f"{tag}mdl {' '.join(args)}": [program, *args]
        for tag, program in programs.items()
        for args in (["schedule"], ["next"], ["refs", "lec5"], ["deadlines"])
    }
    versions = {f"{tag}mdl --version": [program, "--version"] for tag, program in programs.items()}
    commands = {
        "python3 -c pass": [python, "-c", "pass"],
        "floor table": [*floor, "table", str(rows_file)],
        "floor table, import icalendar": [*floor, "table", str(rows_file), "--ics"],
        "Typer no-op": [python, str(HERE / "noop.py")],
        **everyday,
        **versions,
        "mdl export-ics -o FILE": [mdl, "export-ics", "-o", str(work / "out.ics")],
        **khal_commands(work, env, mdl),
    }
    if shutil.which("calcurse"):
        calcurse_dir = work / "calcurse"
        calcurse_dir.mkdir()
        commands["calcurse -Q"] = ["calcurse", "-D", str(calcurse_dir), "-Q"]
    warm = compare(commands, rounds, env, work)

    def fresh() -> dict[str, str]:
        return {**env, "XDG_CACHE_HOME": str(work / f"fresh-cache-{next(_fresh)}")}

    # Informative, with no budget: the bundled course parsed at every run, as any course is on
    # its first run (a wheel's fresh runs read the snapshot it ships instead).
    parsed = {"mdl schedule, MDL_NO_CACHE=1": [mdl, "schedule"]}
    parsed_env = {**env, "MDL_NO_CACHE": "1"}
    cold = compare({"floor table": commands["floor table"], **everyday}, rounds, fresh, work)
    cold |= compare({"floor table, again": commands["floor table"], **parsed}, rounds, parsed_env, work)
    unit = warm["python3 -c pass"].median
    out = [
        "## Start-up against the floor of the framework",
        "",
        "The floor (`bench/floor.py`): a Typer app with as many commands as mdl, printing the rows of",
        "`mdl schedule` loaded from a pickle. Warm: mdl's cache of validated courses is filled; fresh:",
        "every run starts with an empty cache (a fresh machine). A wheel fills it from the snapshot of",
        "its course made when it was built (hatch_build.py); an editable install parses the course file,",
        "as `MDL_NO_CACHE=1` does every run. `×pass` is the figure as a multiple of `python3 -c pass`.",
        "",
        "| command | median | ×pass | against | its median | ratio | budget | met |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | :---: |",
    ]

    def row(name: str, sample: Sample, base: str, base_sample: Sample, budget: float | None) -> str:
        ratio = sample.median / base_sample.median
        cells = [f"`{name}`", f"{sample.median * 1000:.0f} ms", f"{sample.median / unit:.1f}×", f"`{base}`"]
        cells += [f"{base_sample.median * 1000:.0f} ms", f"{ratio:.2f}×"]
        cells += [f"≤ {budget}×", verdict(ratio, budget)] if budget else ["", ""]
        return "| " + " | ".join(cells) + " |"

    for name in everyday:
        out.append(row(name + " (warm)", warm[name], "floor table", warm["floor table"], 1.15))
    for name in everyday:
        out.append(row(name + " (fresh)", cold[name], "floor table (same rounds)", cold["floor table"], 1.4))
    for name in parsed:
        out.append(row(name, cold[name], "floor table (same rounds)", cold["floor table, again"], None))
    for name in versions:
        out.append(row(name, warm[name], "Typer no-op", warm["Typer no-op"], 1.05))
    ics_floor = "floor table, import icalendar"
    out.append(row("mdl export-ics -o FILE", warm["mdl export-ics -o FILE"], ics_floor, warm[ics_floor], None))
    out.append(row("mdl schedule (warm)", warm["mdl schedule"], "khal list", warm["khal list"], 0.5))
    out += ["", "Every command alone, as a multiple of `python3 -c pass`:", ""]
    out += [f"- `{name}`: {s.median * 1000:.0f} ms, {s.median / unit:.1f}×" for name, s in warm.items()]
    schedule_kb = peak_memory(everyday["mdl schedule"], env, work)
    khal_kb = peak_memory(commands["khal list"], env, work)
    out += [
        "",
        f"Peak memory: `mdl schedule` {schedule_kb / 1024:.1f} MB, `khal list` {khal_kb / 1024:.1f} MB "
        f"({'met' if schedule_kb <= khal_kb else '**not met**'}: no higher than khal's).",
    ]
    return out


def khal_commands(work: Path, env: dict[str, str], mdl: str) -> dict[str, list[str]]:
    """khal over the same events: the bundled course exported and imported into a fresh calendar."""
    ics = work / "course.ics"
    subprocess.run([mdl, "export-ics", "-o", str(ics)], env=env, cwd=work, check=True, capture_output=True)
    vdir = work / "vdir"
    vdir.mkdir()
    config = work / "khal.conf"
    config.write_text(KHAL_CONFIG.format(vdir=vdir), encoding="utf-8")
    khal = [str(BIN / "khal"), "-c", str(config)]
    subprocess.run(
        [*khal, "import", "--batch", "-a", "course", str(ics)], env=env, cwd=work, check=True, capture_output=True
    )
    return {"khal list": [*khal, "list", "2019-01-20", "2019-05-10"]}


@dataclass
class Scaled:
    cold: Sample  # the first run: parse, validate, fill the cache
    uncached: Sample  # MDL_NO_CACHE=1: parse and validate, nothing written
    warm: Sample
    cold_kb: int
    uncached_kb: int
    warm_kb: int


def paired_ratio(now: Sample, was: Sample) -> float:
    """The median of the ratios of runs made side by side (the n-th of one beside the n-th of the other).

    A slow spell of this shared machine falls on both runs of a pair, and cancels out of their
    ratio; a ratio of the two medians can take each from a different spell. Measured by both in
    one run, the 15k `validate` cold ratio read 0.66 paired and 0.70 as a ratio of medians.
    """
    return statistics.median(a / b for a, b in zip(now.seconds, was.seconds, strict=True))


SCALE_COMMANDS = ("validate", "schedule --json", "export-ics -o FILE")
SCALE_REPEATS = 5


def scaled_runs(
    programs: dict[str, str], path: Path, label: str, work: Path, *, env: dict[str, str], size: int
) -> dict[str, Scaled]:
    """Each mdl (now, before) cold, uncached and warm on one course, five times each, in pairs.

    Each run of one mdl is next to the same run of the other (which goes first alternates), so
    that a slow spell of this shared machine falls on both, not on one: with all of one mdl's
    runs first, one slow spell made a warm ratio 0.54× in one report and 0.45× when rerun.
    """

    def argv(name: str) -> list[str]:
        mdl, out = programs[name], str(work / f"out-{name}-{size}.ics")
        return {
            "validate": [mdl, "validate", str(path)],
            "schedule --json": [mdl, "schedule", "--json", "--course", str(path)],
            "export-ics -o FILE": [mdl, "export-ics", "--course", str(path), "-o", out],
        }[label]

    def cache(name: str, kind: str) -> dict[str, str]:
        folder = f"cache-{name}-{size}-{label.split(maxsplit=1)[0]}-{kind}-{next(_fresh)}"
        return {**env, "XDG_CACHE_HOME": str(work / folder)}

    uncached_env = {**env, "MDL_NO_CACHE": "1"}
    warm_env = {name: cache(name, "warm") for name in programs}
    for name in programs:
        measure(argv(name), warm_env[name], work)  # fills the cache the warm runs read
    samples: dict[tuple[str, str], list[float]] = {}
    for repeat in range(SCALE_REPEATS):
        in_turn = list(programs) if repeat % 2 == 0 else list(reversed(programs))
        for kind in ("cold", "uncached", "warm"):
            for name in in_turn:
                kind_env = {"uncached": uncached_env, "warm": warm_env[name]}.get(kind) or cache(name, "cold")
                samples.setdefault((name, kind), []).append(measure(argv(name), kind_env, work))
    return {
        name: Scaled(
            *(Sample(samples[name, kind]) for kind in ("cold", "uncached", "warm")),
            peak_memory(argv(name), cache(name, "cold"), work),
            peak_memory(argv(name), uncached_env, work),
            peak_memory(argv(name), warm_env[name], work),
        )
        for name in programs
    }


def scale(work: Path, env: dict[str, str], mdl: str, sizes: list[int], before: Path | None) -> list[str]:
    """Time and peak memory by course size, cold and warm; with --before, the earlier mdl beside it."""
    versions = {"now": mdl, **({"before": str(before / "mdl")} if before else {})}
    results: dict[tuple[str, int, str], Scaled] = {}
    out = [
        "## Scale",
        "",
        "Generated courses (`bench/make_course.py N`): N sessions, 10 references each, N/10 deadlines.",
        "Cold: the first run (parse, validate, fill the cache); uncached: `MDL_NO_CACHE=1`; warm: later",
        f"runs. Each is the median of {SCALE_REPEATS}, each run of one mdl beside the same run of the other. Memory is",
        "each run's peak resident set."
        + (
            f" `before` is the mdl in `{before}`, run in turn with this one; a ratio to it is the median"
            " of the ratios of the runs side by side."
            if before
            else ""
        ),
        "",
        "| sessions | file | command | mdl | cold | uncached | warm | cold memory | uncached memory | warm memory |",
        "| ---: | ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n in sizes:
        path = work / f"course-{n}.yaml"
        path.write_text(generated_course(n), encoding="utf-8")
        size = path.stat().st_size / 1024 / 1024
        for label in SCALE_COMMANDS:
            for name, r in scaled_runs(versions, path, label, work, env=env, size=n).items():
                results[name, n, label] = r
                cells = [f"{n:,}", f"{size:.1f} MB", f"`{label}`", name]
                cells += [f"{r.cold.median:.2f} s", f"{r.uncached.median:.2f} s", f"{r.warm.median:.2f} s"]
                cells += [f"{r.cold_kb / 1024:.0f} MB", f"{r.uncached_kb / 1024:.0f} MB"]
                cells.append(f"{r.warm_kb / 1024:.0f} MB")
                out.append("| " + " | ".join(cells) + " |")
    largest, grown_from = max(sizes), 1500
    out += ["", f"### Budgets at {largest:,} sessions", ""]
    budget_lines = []
    for label in SCALE_COMMANDS:
        now = results["now", largest, label]
        budget_lines.append(
            f"- `{label}`, cold peak memory {now.cold_kb / 1024:.0f} MB, uncached {now.uncached_kb / 1024:.0f} MB "
            f"(budget: ≤ 300 MB): {'met' if max(now.cold_kb, now.uncached_kb) <= 300 * 1024 else '**not met**'}"
        )
        if before:
            was = results["before", largest, label]
            cold, uncached = paired_ratio(now.cold, was.cold), paired_ratio(now.uncached, was.uncached)
            budget_lines.append(
                f"- `{label}`, cold time {now.cold.median:.2f} s against {was.cold.median:.2f} s before ({cold:.2f}×), "
                f"uncached {now.uncached.median:.2f} s against {was.uncached.median:.2f} s ({uncached:.2f}×) "
                f"(budget: ≤ 0.7×): {'met' if max(cold, uncached) <= 0.7 else '**not met**'}"
            )
            warm = paired_ratio(now.warm, was.warm)
            budget_lines.append(
                f"- `{label}`, warm {now.warm.median:.2f} s against {was.warm.median:.2f} s before ({warm:.2f}×) "
                f"(budget: ≤ 0.5×): {'met' if warm <= 0.5 else '**not met**'}"
            )
        else:
            budget_lines.append(f"- `{label}`, time against the earlier mdl: not measured (run with --before)")
    out += budget_lines
    if grown_from in sizes and largest != grown_from:
        out += ["", f"Growth from {grown_from:,} to {largest:,} sessions (budget: at most 12×):", ""]
        for label in SCALE_COMMANDS:
            big, small = results["now", largest, label], results["now", grown_from, label]
            ratios = {
                kind: getattr(big, kind).median / getattr(small, kind).median for kind in ("cold", "uncached", "warm")
            }
            shown = ", ".join(f"{kind} {ratio:.1f}×" for kind, ratio in ratios.items())
            out.append(f"- `{label}`: {shown} ({'met' if max(ratios.values()) <= 12 else '**not met**'})")
    return out


def semester(work: Path, env: dict[str, str], mdl: str, rounds: int) -> list[str]:
    """A student following 50 courses of 15 sessions, against following one; and updating 50 URL courses."""
    one, fifty = work / "one-course", work / "fifty-courses"
    site = work / "site"
    site.mkdir()
    for n in range(50):
        text = generated_course(15).replace("id: generated-15", f"id: course-{n}")
        (site / f"course-{n}.yaml").write_text(text, encoding="utf-8")
    for home, count in ((one, 1), (fifty, 50)):
        config = home / "mdl" / "config.toml"
        config.parent.mkdir(parents=True)
        entries = [f'[[courses]]\nid = "course-{n}"\nsource = "{site / f"course-{n}.yaml"}"\n' for n in range(count)]
        config.write_text("\n".join(entries), encoding="utf-8")
    now = "2030-01-20T12:00"
    commands = {
        f"{what} over {label}": [mdl, what, "--now", now]
        for what in ("next", "deadlines")
        for label in ("1 course", "50 courses")
    }
    samples: dict[str, Sample] = {}
    for label, home in (("1 course", one), ("50 courses", fifty)):
        chosen = {name: argv for name, argv in commands.items() if name.endswith(label)}
        samples |= compare(chosen, rounds, {**env, "XDG_CONFIG_HOME": str(home)}, work)
    out = [
        "## A semester: 50 followed courses",
        "",
        "Each course 15 sessions (`bench/make_course.py 15`), followed by path, cache warm.",
        "",
        "| command | 1 course | 50 courses | ratio | budget | met |",
        "| --- | ---: | ---: | ---: | ---: | :---: |",
    ]
    for what in ("next", "deadlines"):
        single, many = samples[f"{what} over 1 course"].median, samples[f"{what} over 50 courses"].median
        ratio = many / single
        out.append(
            f"| `mdl {what}` | {single * 1000:.0f} ms | {many * 1000:.0f} ms | {ratio:.2f}× | ≤ 2× | "
            f"{verdict(ratio, 2)} |"
        )
    seconds = update_fifty(work, env, mdl, site)
    out += [
        "",
        f"`mdl update` over 50 unchanged URL courses served on 127.0.0.1 (each a 304): {seconds:.2f} s "
        f"(budget: under 5 s) {'(met)' if seconds < 5 else '(**not met**)'}.",
    ]
    return out


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    """Serves the course files (with Last-Modified, so updates are conditional), logging nothing."""

    def log_message(self, *args: object) -> None:
        """The report says what matters."""


@contextlib.contextmanager
def _serving(site: Path) -> Iterator[str]:
    """The files of `site` over HTTP on 127.0.0.1 while the block runs: the address they are at."""
    handler = functools.partial(_QuietFiles, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _home(env: dict[str, str], home: Path) -> dict[str, str]:
    """A user of their own: settings and followed courses under `home`."""
    return {**env, "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}


def update_fifty(work: Path, env: dict[str, str], mdl: str, site: Path) -> float:
    """Follow the 50 courses by URL from a local server, then time one `mdl update` (median of 3)."""
    run_env = _home(env, work / "url-courses")
    with _serving(site) as address:
        for n in range(50):
            url = f"{address}/course-{n}.yaml"
            subprocess.run([mdl, "add", url], env=run_env, cwd=work, check=True, capture_output=True, timeout=60)
        return statistics.median(measure([mdl, "update"], run_env, work) for _ in range(3))


FEED_EVENTS = 2000


def followed_feed(work: Path, env: dict[str, str], mdl: str, rounds: int) -> list[str]:
    """An LMS feed of 2,000 events followed beside the bundled course, against the bundled course alone."""
    site = work / "feed-site"
    site.mkdir()
    (site / "feed.ics").write_text(generated_feed(FEED_EVENTS), encoding="utf-8", newline="")
    followed = _home(env, work / "feed-home")
    with _serving(site) as address:
        for source in (f"{address}/feed.ics", str(HERE.parent / "data" / "mathsdl-spring19.yaml")):
            subprocess.run([mdl, "add", source], env=followed, cwd=work, check=True, capture_output=True, timeout=60)
        cold = measure([mdl, "validate", str(site / "feed.ics")], {**env, "MDL_NO_CACHE": "1"}, work)
        # Side by side in one environment: every followed course, against the bundled one alone.
        now = ["--now", "2019-02-25T12:00", "--tz", "America/New_York"]
        commands = {
            "next, feed followed": [mdl, "next", *now],
            "next, bundled alone": [mdl, "next", "--course", "mathsdl-spring19", *now],
        }
        samples = compare(commands, rounds, followed, work)
        update = [mdl, "update", "generated-feed"]
        updated = subprocess.run(
            update, env=followed, cwd=work, capture_output=True, text=True, timeout=60, check=False
        )
    ratio = samples["next, feed followed"].median / samples["next, bundled alone"].median
    return [
        f"## A followed feed of {FEED_EVENTS:,} events",
        "",
        f"An LMS-shaped feed (`bench/make_feed.py {FEED_EVENTS}`) followed by URL from 127.0.0.1 beside the",
        "bundled course, cache warm, against the bundled course alone.",
        "",
        "| command | feed followed | bundled alone | ratio | budget | met |",
        "| --- | ---: | ---: | ---: | ---: | :---: |",
        f"| `mdl next` | {samples['next, feed followed'].median * 1000:.0f} ms | "
        f"{samples['next, bundled alone'].median * 1000:.0f} ms | {ratio:.2f}× | ≤ 1.3× | {verdict(ratio, 1.3)} |",
        "",
        f"Reading the feed once, uncached (`validate`): {cold:.2f} s. `mdl update` of the unchanged feed: "
        f"`{updated.stdout.strip()}`.",
    ]


def _student_command(
    work: Path, env: dict[str, str], mdl: str, rounds: int, *, command: str, against: str, first: list[str]
) -> tuple[float, float, float]:
    """A command that reads the student's state (made by `first`), against a warm view, side by
    side on the bundled course: both medians in ms, and their ratio."""
    home = {**_home(env, work / f"{command}-home"), "XDG_STATE_HOME": str(work / f"{command}-home" / "state")}
    subprocess.run([mdl, *first], env=home, cwd=work, check=True, capture_output=True, timeout=60)
    now = ["--now", "2019-02-25T12:00"]
    samples = compare({command: [mdl, command, *now], against: [mdl, against, *now]}, rounds, home, work)
    mine, theirs = samples[command].median, samples[against].median
    return mine * 1000, theirs * 1000, mine / theirs


def _budget_table(
    title: str, intro: list[str], command: str, against: str, figures: tuple[float, float, float]
) -> list[str]:
    mine, theirs, ratio = figures
    return [
        f"## {title}",
        "",
        *intro,
        "",
        "| command | median | against | its median | ratio | budget | met |",
        "| --- | ---: | --- | ---: | ---: | ---: | :---: |",
        f"| `mdl {command}` | {mine:.0f} ms | `mdl {against}` | {theirs:.0f} ms | {ratio:.2f}× | ≤ 1.2× | "
        f"{verdict(ratio, 1.2)} |",
    ]


def reminders(work: Path, env: dict[str, str], mdl: str, rounds: int) -> list[str]:
    """`mdl remind` with nothing to fire (what a timer runs every 5 minutes) against a warm `mdl next`."""
    figures = _student_command(
        work, env, mdl, rounds, command="remind", against="next", first=["remind", "--now", "2019-02-25T12:00"]
    )
    intro = [
        "`mdl remind` over the bundled course with nothing to fire (its state database made by a first run),",
        "against a warm `mdl next`, side by side.",
    ]
    return _budget_table("Reminders", intro, "remind", "next", figures)


def week_plan(work: Path, env: dict[str, str], mdl: str, rounds: int) -> list[str]:
    """`mdl week` against `mdl agenda` over the same week of the bundled course, both warm."""
    figures = _student_command(work, env, mdl, rounds, command="week", against="agenda", first=["read", "lec5:1"])
    intro = [
        "`mdl week` over the bundled course (a reference marked read, so the state database is read too),",
        "against a warm `mdl agenda` of the same week, side by side.",
    ]
    return _budget_table("The week's plan", intro, "week", "agenda", figures)


if __name__ == "__main__":
    main()
