"""Trust, round 3: what a hostile server, a broken or shared config.toml and a followed id can do.

Servers are real, on 127.0.0.1, started and stopped by each test; nothing reaches further.
"""

from __future__ import annotations

import http.server
import json
import os
import socket
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mdlcli import semester

from .conftest import FIXTURES, Run, one_clear_error, write_course

RICH = FIXTURES / "rich.yaml"  # id ml101
MDL = Path(sys.executable).parent / "mdl"

Answer = Callable[[http.server.BaseHTTPRequestHandler], None]


class Server:
    """A web server on 127.0.0.1 whose answer to each path is a function of the test's."""

    def __init__(self) -> None:
        self.routes: dict[str, Answer] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                """Quiet: the tests read `requests` instead."""

            def do_GET(self) -> None:
                server.requests.append((self.path, dict(self.headers)))
                answer = server.routes.get(self.path)
                if answer is None:
                    self.send_error(404, "Not Found")
                else:
                    answer(self)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def file(self, path: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
            handler.send_response(200)
            for name, value in (headers or {}).items():
                handler.send_header(name, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)

        self.routes[path] = answer


@pytest.fixture
def server() -> Iterator[Server]:
    site = Server()
    site.thread.start()
    try:
        yield site
    finally:
        site.httpd.shutdown()
        site.httpd.server_close()


def config_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "mdl" / "config.toml"


def copies() -> Path:
    return Path(os.environ["XDG_DATA_HOME"]) / "mdl" / "courses"


def write_config(text: str) -> Path:
    config_file().parent.mkdir(parents=True, exist_ok=True)
    config_file().write_text(text, encoding="utf-8")
    return config_file()


def redirect_to(target: str) -> Answer:
    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        handler.send_response(302)
        handler.send_header("Location", target)
        handler.end_headers()

    return answer


# -- 1. only http(s), and one deadline for a whole download ----------------------------------------


@pytest.mark.parametrize("scheme", ["ftp", "file"])
def test_a_redirect_is_followed_only_to_http_or_https(run: Run, server: Server, scheme: str) -> None:
    """urllib follows a redirect to ftp:// by itself: mdl refuses it without connecting there."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    target = f"ftp://127.0.0.1:{listener.getsockname()[1]}/course.yaml" if scheme == "ftp" else "file:///etc/passwd"
    server.routes["/moved.yaml"] = redirect_to(target)
    try:
        result = run("add", server.url("/moved.yaml"))
        error = one_clear_error(result)
        assert f"redirected to {target}, which is not an http:// or https:// address" in error
        with pytest.raises(TimeoutError):
            listener.accept()  # nobody came knocking at the ftp port
    finally:
        listener.close()
    assert not config_file().exists() and not copies().exists()


def drip(body: bytes, every: float, *, headers_too: bool) -> Answer:
    """An answer that sends one byte at a time, each after `every` seconds: no read ever times out."""

    def answer(handler: http.server.BaseHTTPRequestHandler) -> None:
        head = f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n\r\n".encode()
        raw = head + body
        if not headers_too:
            handler.wfile.write(head)
            raw = body
        try:
            for byte in raw:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(every)
        except OSError:  # the client gave up: what the test wants
            return

    return answer


@pytest.mark.parametrize("headers_too", [False, True], ids=["body", "headers"])
def test_a_server_that_drips_is_given_up_on_at_the_deadline(
    run: Run, server: Server, monkeypatch: pytest.MonkeyPatch, headers_too: bool
) -> None:
    """The deadline is for the whole download: 0.2 s a byte would take 40 s; 1.5 s is what it gets."""
    server.file("/course.yaml", RICH.read_bytes())
    assert run("add", server.url("/course.yaml")).exit_code == 0
    kept = (copies() / "ml101.yaml").read_bytes()
    server.routes["/course.yaml"] = drip(RICH.read_bytes()[:200], 0.2, headers_too=headers_too)
    monkeypatch.setattr(semester, "DOWNLOAD_TIMEOUT", 1.5)
    started = time.monotonic()
    result = run("update")
    took = time.monotonic() - started
    assert result.exit_code == 1
    assert "no answer within 1.5 s" in result.stderr and "the last good copy is kept" in result.stderr
    assert took < 3.5, took
    assert (copies() / "ml101.yaml").read_bytes() == kept


def test_the_documented_deadline_is_15_seconds() -> None:
    assert semester.DOWNLOAD_TIMEOUT == 15.0


# -- 2. ids: one rule, checked before anything is downloaded or written -----------------------------


@pytest.mark.parametrize("bad", ["../../x", "a/b", "a\\b", ".hidden", "..", "/etc/x", "a\x00b", "a\x1bb", "a:b", "a b"])
def test_add_refuses_an_id_that_is_not_a_plain_name_before_downloading(run: Run, server: Server, bad: str) -> None:
    server.file("/course.yaml", RICH.read_bytes())
    result = run("add", server.url("/course.yaml"), "--id", bad)
    error = one_clear_error(result, 2)
    assert "--id:" in error and "plain name" in error
    assert server.requests == []  # refused before anything was asked for
    assert not config_file().exists() and not Path(os.environ["XDG_DATA_HOME"], "mdl").exists()


def test_a_course_id_that_is_not_a_plain_name_does_not_validate(run: Run, tmp_path: Path) -> None:
    text = RICH.read_text(encoding="utf-8").replace("id: ml101", "id: ../ml101", 1)
    course = write_course(tmp_path, text)
    result = run("validate", str(course))
    assert result.exit_code == 1
    assert f"{course}:7:7: course.id: '../ml101' is not a valid" in result.stdout


def test_an_id_in_the_config_that_breaks_the_rule_is_an_error_on_its_line(run: Run, tmp_path: Path) -> None:
    """No command writes or deletes outside its folders because of a hand-edited id."""
    outside = tmp_path / "victim.yaml"
    outside.write_text("mine\n", encoding="utf-8")
    course = write_course(tmp_path, RICH.read_text(encoding="utf-8"), "rich.yaml")
    escape = os.path.relpath(tmp_path / "victim", copies())
    write_config(
        f'[[courses]]\nid = "ml101"\nsource = "{course}"\n\n'
        f'[[courses]]\nid = "{escape}"\nsource = "http://127.0.0.1:9/x.yaml"\n'
    )
    site = tmp_path / "site"
    for args in (["courses"], ["update"], ["remove", escape], ["export-ics", "--split", str(tmp_path / "cals")],
                 ["export-ics", "-o", str(tmp_path / "all.ics")], ["schedule"],
                 ["export-site", str(site), "--course", "ml101"]):  # fmt: skip
        result = run(*args)
        error = one_clear_error(result)
        assert f"{config_file()}:6: courses[1].id: {escape!r} holds a path separator" in error, (args, error)
    assert outside.read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rich.yaml", "victim.yaml"]


def test_two_followed_courses_with_the_same_id_are_refused(run: Run, tmp_path: Path) -> None:
    course = write_course(tmp_path, RICH.read_text(encoding="utf-8"))
    write_config(f'[[courses]]\nid = "ml101"\nsource = "{course}"\n\n[[courses]]\nid = "ml101"\nsource = "{course}"\n')
    error = one_clear_error(run("schedule"))
    assert f"{config_file()}:6: courses[1].id: 'ml101' is followed twice" in error


# -- 3. what a server says cannot break the config ---------------------------------------------------


def test_validators_with_control_characters_leave_the_config_valid(run: Run, server: Server) -> None:
    server.file("/course.yaml", RICH.read_bytes(), {"ETag": '"a\x7fb\x01"', "Last-Modified": "Sun,\x7f 29 Nov"})
    assert run("add", server.url("/course.yaml")).exit_code == 0
    stored = tomllib.loads(config_file().read_text(encoding="utf-8"))["courses"][0]
    assert "etag" not in stored and "last_modified" not in stored  # they could not be sent back
    assert run("courses").exit_code == 0
    server.file("/course.yaml", RICH.read_bytes(), {"ETag": '"plain"'})
    updated = run("update")
    assert updated.exit_code == 0, updated.output
    assert server.requests[-1][1].get("If-None-Match") is None  # nothing unusable was sent
    assert tomllib.loads(config_file().read_text(encoding="utf-8"))["courses"][0]["etag"] == '"plain"'
    assert run("schedule").exit_code == 0


def test_every_string_in_the_config_is_written_as_valid_toml(run: Run, tmp_path: Path) -> None:
    """A path with DEL and a tab in its name (a user's folder may hold anything) reads back as it was."""
    folder = tmp_path / "odd\x7f\tname"
    folder.mkdir()
    course = write_course(folder, RICH.read_text(encoding="utf-8"))
    assert run("add", str(course)).exit_code == 0
    assert tomllib.loads(config_file().read_text(encoding="utf-8"))["courses"][0]["source"] == str(course)
    assert run("courses", "--json").exit_code == 0


# -- 4. a 304 without a local copy ------------------------------------------------------------------


def not_modified(handler: http.server.BaseHTTPRequestHandler) -> None:
    handler.send_response(304)
    handler.send_header("ETag", '"same"')
    handler.end_headers()


def test_a_304_without_a_local_copy_is_not_unchanged(run: Run, server: Server) -> None:
    server.file("/course.yaml", RICH.read_bytes(), {"ETag": '"v1"'})
    assert run("add", server.url("/course.yaml")).exit_code == 0
    (copies() / "ml101.yaml").unlink()
    server.routes["/course.yaml"] = not_modified
    result = run("update")
    assert result.exit_code == 1
    assert "ml101: failed" in result.stderr and "304 Not Modified" in result.stderr
    assert "there is no good copy yet" in result.stderr
    assert server.requests[-1][1].get("If-None-Match") is None  # asked for the whole file
    # The server comes back to its senses: the copy is downloaded afresh.
    server.file("/course.yaml", RICH.read_bytes(), {"ETag": '"v2"'})
    assert run("update").exit_code == 0
    assert (copies() / "ml101.yaml").read_bytes() == RICH.read_bytes()


def test_add_refuses_a_304_to_its_first_request(run: Run, server: Server) -> None:
    server.routes["/course.yaml"] = not_modified
    error = one_clear_error(run("add", server.url("/course.yaml")))
    assert "304 Not Modified" in error
    assert not config_file().exists()


# -- 5. config.toml is read with the guards of a course file ----------------------------------------


def test_a_config_that_is_not_a_regular_file_is_refused_at_once(run: Run, tmp_path: Path) -> None:
    config_file().parent.mkdir(parents=True)
    os.mkfifo(config_file())
    started = time.monotonic()
    error = one_clear_error(run("schedule"))
    assert "named pipe (FIFO), not a configuration file" in error and time.monotonic() - started < 5
    config_file().unlink()
    config_file().symlink_to("/dev/zero")
    assert "is a character device, not a configuration file" in one_clear_error(run("schedule"))
    config_file().unlink()
    config_file().mkdir()
    assert "is a directory, not a configuration file" in one_clear_error(run("schedule"))


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("# big\n" + "#" * (2 * 1024 * 1024) + "\n", None, "larger than 1 MB; not a configuration file"),
        ('color = "auto"\nx = ' + "[" * 50_000 + "]" * 50_000 + "\n", 2, "nested too deeply"),
        ('color = "auto"\n\ntz = ' + "9" * 5000 + "\n", 3, "exceeds the limit (4300 digits)"),
        ('color = "auto"\ntz = "Mars/Olympus_Mons"\n', 2, "tz: 'Mars/Olympus_Mons' is not a known time zone"),
        ('color = "auto"\ntz = "x' + "é" * 10 + '"\n', 2, "tz:"),
    ],
    ids=["huge", "deep", "huge-number", "unknown-tz", "odd-tz"],
)
def test_a_broken_config_is_one_error_with_its_line(run: Run, text: str, line: int | None, expected: str) -> None:
    write_config(text)
    error = one_clear_error(run("schedule"))
    assert error.startswith(f"error: {config_file()}" + (f":{line}:" if line else ":")), error
    assert expected in error, error


# -- 6. a symlinked config.toml stays a link ---------------------------------------------------------


def test_saving_follows_a_symlinked_config(run: Run, tmp_path: Path) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    real = dotfiles / "mdl.toml"
    real.write_text('color = "never"\n', encoding="utf-8")
    config_file().parent.mkdir(parents=True)
    config_file().symlink_to(real)
    course = write_course(tmp_path, RICH.read_text(encoding="utf-8"))
    assert run("add", str(course)).exit_code == 0
    assert config_file().is_symlink() and config_file().resolve() == real
    saved = tomllib.loads(real.read_text(encoding="utf-8"))
    assert saved["color"] == "never" and saved["courses"][0]["id"] == "ml101"
    assert sorted(p.name for p in dotfiles.iterdir()) == ["mdl.toml", "mdl.toml.lock"]


# -- 7. no lost updates -------------------------------------------------------------------------------


def mdl_process(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [str(MDL), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ)
    )


def test_six_adds_at_once_follow_six_courses(tmp_path: Path) -> None:
    paths = []
    for n in range(6):
        text = RICH.read_text(encoding="utf-8").replace("id: ml101", f"id: ml10{n}", 1)
        paths.append(write_course(tmp_path, text, f"c{n}.yaml"))
    started = [mdl_process("add", str(p)) for p in paths]
    for process in started:
        _out, err = process.communicate(timeout=60)
        assert process.returncode == 0, err
    followed = tomllib.loads(config_file().read_text(encoding="utf-8"))["courses"]
    assert sorted(c["id"] for c in followed) == [f"ml10{n}" for n in range(6)]


def test_an_add_during_a_slow_update_is_not_undone(run: Run, server: Server, tmp_path: Path) -> None:
    server.file("/course.yaml", RICH.read_bytes(), {"ETag": '"v1"'})
    assert run("add", server.url("/course.yaml")).exit_code == 0
    answered = threading.Event()
    changed = RICH.read_bytes().replace(b"title: Least squares", b"title: Ordinary least squares")

    def slow(handler: http.server.BaseHTTPRequestHandler) -> None:
        answered.wait(timeout=30)  # until the add below has finished
        handler.send_response(200)
        handler.send_header("ETag", '"v2"')
        handler.send_header("Content-Length", str(len(changed)))
        handler.end_headers()
        handler.wfile.write(changed)

    server.routes["/course.yaml"] = slow
    update = mdl_process("update")
    try:
        deadline = time.monotonic() + 30
        while len(server.requests) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)  # the update is waiting for the server now
        other = write_course(tmp_path, RICH.read_text(encoding="utf-8").replace("id: ml101", "id: ml202", 1))
        assert run("add", str(other)).exit_code == 0
    finally:
        answered.set()
        _out, err = update.communicate(timeout=60)
    assert update.returncode == 0, err
    followed = {c["id"]: c for c in tomllib.loads(config_file().read_text(encoding="utf-8"))["courses"]}
    assert sorted(followed) == ["ml101", "ml202"]
    assert followed["ml101"]["etag"] == '"v2"'
    assert b"Ordinary least squares" in (copies() / "ml101.yaml").read_bytes()


def test_the_lock_wait_is_bounded(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another mdl that never lets go: the change is given up on, saying so, and nothing is lost."""
    import fcntl

    from mdlcli import config

    monkeypatch.setattr(config, "LOCK_WAIT_SECONDS", 0.3)
    write_config('color = "never"\n')
    holder = os.open(config_file().with_name("config.toml.lock"), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        course = write_course(tmp_path, RICH.read_text(encoding="utf-8"))
        error = one_clear_error(run("add", str(course)))
        assert "another mdl has been changing it for 0.3 s" in error
    finally:
        os.close(holder)
    assert config_file().read_text(encoding="utf-8") == 'color = "never"\n'
    assert json.loads(run("courses", "--json").stdout)["courses"] == []
