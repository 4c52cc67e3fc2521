"""The benchmark: mdl against the floor of its stack and against khal, then at scale.

    python bench/run.py [--rounds 9] [--report bench/REPORT.md]

Every command runs as a child process with stdout piped, as a script would run it; the cache of
validated courses is warm (one untimed warm-up run), since that is how mdl runs all day. Runs
alternate between the commands compared (round-robin), and each figure is the median of the
rounds. Peak memory is the child's maximum resident set size. Budgets are ratios measured in the
same run, so the figures hold on a slower or busier machine. Needs the `bench` extra (khal).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
sys.path.insert(0, str(HERE))
from make_course import course as generated_course  # noqa: E402 - the generator lives beside this file

# khal's configuration for a throw-away calendar; the ICS tests use it too.
KHAL_CONFIG = (HERE / "khal.conf.in").read_text(encoding="utf-8")


@dataclass
class Sample:
    seconds: list[float]
    peak_kb: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def memory(self) -> int:
        return int(statistics.median(self.peak_kb))


def measure(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Wall time and peak resident memory (kB) of one run, stdout read through a pipe."""
    start = time.perf_counter()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    if child.stdout:  # read to the end, as a pipe's reader does; wait4 below reaps the child
        child.stdout.read()
        child.stdout.close()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"benchmark command failed ({child.returncode}): {' '.join(map(str, argv))}")
    return elapsed, usage.ru_maxrss


def compare(commands: dict[str, list[str]], rounds: int, env: dict[str, str], cwd: Path) -> dict[str, Sample]:
    """Round-robin: one warm-up each, then `rounds` rounds in which every command runs once."""
    samples = {name: Sample([], []) for name in commands}
    for argv in commands.values():
        measure(argv, env, cwd)
    for _ in range(rounds):
        for name, argv in commands.items():
            seconds, peak = measure(argv, env, cwd)
            samples[name].seconds.append(seconds)
            samples[name].peak_kb.append(peak)
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds (median of these); at least 7")
    parser.add_argument("--report", type=Path, default=HERE / "REPORT.md", help="where to write the Markdown report")
    parser.add_argument("--sizes", default="15,150,1500,15000", help="session counts for the scale table")
    args = parser.parse_args()
    rounds = max(7, args.rounds)
    work = Path(tempfile.mkdtemp(prefix="mdl-bench-"))
    try:
        lines = run_all(work, rounds, [int(n) for n in args.sizes.split(",")])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


def run_all(work: Path, rounds: int, sizes: list[int]) -> list[str]:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(work),
        "XDG_CACHE_HOME": str(work / "cache"),
        "LANG": "C.UTF-8",
    }
    mdl, python = str(BIN / "mdl"), sys.executable
    floor = [python, str(HERE / "floor.py")]

    # khal over the same events: the bundled course exported and imported into a fresh calendar.
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

    commands = {
        "floor table": [*floor, "table"],
        "floor no-op": [*floor, "noop"],
        "floor table + import icalendar": [*floor, "table", "--ics"],
        "khal list": [*khal, "list", "2019-01-20", "2019-05-10"],
        "mdl schedule": [mdl, "schedule"],
        "mdl refs lec5": [mdl, "refs", "lec5"],
        "mdl next": [mdl, "next"],
        "mdl deadlines": [mdl, "deadlines"],
        "mdl --version": [mdl, "--version"],
        "mdl export-ics -o FILE": [mdl, "export-ics", "-o", str(work / "out.ics")],
    }
    s = compare(commands, rounds, env, work)
    budgets = [
        ("mdl schedule", "floor table", 1.2),
        ("mdl refs lec5", "floor table", 1.2),
        ("mdl next", "floor table", 1.2),
        ("mdl deadlines", "floor table", 1.2),
        ("mdl --version", "floor no-op", 1.1),
        ("mdl export-ics -o FILE", "floor table + import icalendar", 1.2),
        ("mdl schedule", "khal list", 0.5),
    ]
    out = [
        "# mdl benchmark",
        "",
        f"Machine: {machine()}.",
        f"Medians of {rounds} alternating rounds after a warm-up, stdout piped, cache warm.",
        "",
        "## Start-up: ratios against the floor of the stack and against khal",
        "",
        "| command | median | peak memory | against | its median | ratio | budget | met |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | :---: |",
    ]
    for name, base, budget in budgets:
        ratio = s[name].median / s[base].median
        out.append(
            f"| `{name}` | {s[name].median * 1000:.0f} ms | {s[name].memory / 1024:.1f} MB | `{base}` | "
            f"{s[base].median * 1000:.0f} ms | {ratio:.2f}× | ≤ {budget}× | {'yes' if ratio <= budget else '**no**'} |"
        )
    memory_met = s["mdl schedule"].memory <= s["khal list"].memory
    out += [
        "",
        f"Peak memory: `mdl schedule` {s['mdl schedule'].memory / 1024:.1f} MB, `khal list` "
        f"{s['khal list'].memory / 1024:.1f} MB: {'met' if memory_met else '**not met**'} (no higher than khal's).",
        "",
        *scale(work, env, mdl, sizes),
        "",
        *semester(work, env, mdl, rounds),
    ]
    return out


def scale(work: Path, env: dict[str, str], mdl: str, sizes: list[int]) -> list[str]:
    """Wall time and peak memory by course size: cold (no cache) once, then warm (median of 3)."""
    out = [
        "## Scale",
        "",
        "Generated courses (`bench/make_course.py N`): N sessions, 10 references each, N/10 deadlines.",
        "Cold: the first run, which parses and validates the file and fills the cache; warm: later runs.",
        "",
        "| sessions | file | command | cold | cold memory | warm | warm memory |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: |",
    ]
    warm_time: dict[tuple[int, str], float] = {}
    cold_time: dict[tuple[int, str], float] = {}
    for n in sizes:
        path = work / f"course-{n}.yaml"
        path.write_text(generated_course(n), encoding="utf-8")
        for label, argv in (
            ("validate", [mdl, "validate", str(path)]),
            ("schedule --json", [mdl, "schedule", "--json", "--course", str(path)]),
            ("export-ics -o FILE", [mdl, "export-ics", "--course", str(path), "-o", str(work / f"out-{n}.ics")]),
        ):
            cache = work / f"cache-{n}-{label.split()[0]}"
            run_env = {**env, "XDG_CACHE_HOME": str(cache)}
            cold, cold_kb = measure(argv, run_env, work)
            warm = [measure(argv, run_env, work) for _ in range(3)]
            median, warm_kb = statistics.median(t for t, _ in warm), int(statistics.median(k for _, k in warm))
            warm_time[n, label], cold_time[n, label] = median, cold
            size = path.stat().st_size / 1024 / 1024
            cells = [f"{n:,}", f"{size:.1f} MB", f"`{label}`", f"{cold:.2f} s", f"{cold_kb / 1024:.0f} MB"]
            cells += [f"{median:.2f} s", f"{warm_kb / 1024:.0f} MB"]
            out.append("| " + " | ".join(cells) + " |")
    out += ["", "Growth from 1,500 to 15,000 sessions (budget: at most 12×):", ""]
    if 1500 in sizes and 15000 in sizes:
        for label in ("validate", "schedule --json", "export-ics -o FILE"):
            warm = warm_time[15000, label] / warm_time[1500, label]
            cold = cold_time[15000, label] / cold_time[1500, label]
            verdict = "(met)" if max(warm, cold) <= 12 else "(**not met**)"
            out.append(f"- `{label}`: warm {warm:.1f}×, cold {cold:.1f}× {verdict}")
        schedule = warm_time[1500, "schedule --json"]
        verdict = "(met)" if schedule < 0.5 else "(**not met**)"
        out.append(f"- `schedule --json` at 1,500 sessions: {schedule:.2f} s warm (budget: under 0.5 s) {verdict}")
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
            f"{'yes' if ratio <= 2 else '**no**'} |"
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


def update_fifty(work: Path, env: dict[str, str], mdl: str, site: Path) -> float:
    """Follow the 50 courses by URL from a local server, then time one `mdl update` (median of 3)."""
    handler = functools.partial(_QuietFiles, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    home = work / "url-courses"
    run_env = {**env, "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data")}
    try:
        for n in range(50):
            url = f"http://127.0.0.1:{server.server_address[1]}/course-{n}.yaml"
            subprocess.run([mdl, "add", url], env=run_env, cwd=work, check=True, capture_output=True, timeout=60)
        return statistics.median(measure([mdl, "update"], run_env, work)[0] for _ in range(3))
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__":
    main()
