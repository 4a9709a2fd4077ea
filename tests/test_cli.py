"""The `pracha` command as a person runs it: from any directory, with clear errors."""

from __future__ import annotations

import json
import os
import re
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

from pracha import cli
from tests.cli import SERVER_START_SECONDS, run_pracha, start_server

README = Path(__file__).resolve().parents[1] / "README.md"


@pytest.fixture
def isolated_env(tmp_path: Path) -> dict[str, str]:
    """A fresh SQLite database and var/ directory, whatever the caller's environment."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["PRACHA_VAR_DIR"] = str(tmp_path / "var")
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'pracha.sqlite3'}"
    return env


def test_help_lists_the_commands(isolated_env: dict[str, str], tmp_path: Path) -> None:
    result = run_pracha("--help", env=isolated_env, cwd=tmp_path)
    assert result.returncode == 0
    for command in ("serve", "import-traffy", "apikey", "createofficer", "demo"):
        assert command in result.stdout
    assert sorted(cli.dashed(name) for name in pracha_command_names()) == sorted(
        set(listed_commands(result.stdout)) - set(cli.DJANGO_COMMANDS)
    )


def pracha_command_names() -> list[str]:
    """Pracha's management commands as Django's registry finds them (underscored names)."""
    return sorted(name for name, app in get_commands().items() if cli.is_pracha_app(app))


def listed_commands(usage: str) -> list[str]:
    """The command names in the usage text: the first word of each indented row."""
    return [line.split()[0] for line in usage.splitlines() if re.match(r"  \S", line)]


def help_output(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    """What `pracha ARGS` prints, run in this process; the usage exits with status 0."""
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_names_every_pracha_command_and_nothing_else(
    capsys: pytest.CaptureFixture[str],
) -> None:
    names = pracha_command_names()
    # The ones the hand-written list had lost, among the rest.
    assert {"load_areas", "activate_areas", "seed_routing", "triage"} <= set(names)
    listed = listed_commands(help_output(["help"], capsys))
    assert len(listed) == len(set(listed)), "a command is listed twice"
    assert sorted(set(map(cli.dashed, names)) - set(listed)) == [], "commands missing"
    known = get_commands()
    assert sorted(n for n in listed if cli.command_name(n) not in known) == [], "not commands"
    assert set(cli.DJANGO_COMMANDS) <= set(listed)


@pytest.mark.parametrize("args", [[], ["-h"], ["--help"]])
def test_every_way_of_asking_prints_the_same_usage(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    usage = help_output(["help"], capsys)
    assert help_output(args, capsys) == usage
    assert "`pracha help COMMAND` shows a command's options" in usage


def test_each_command_describes_itself_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    rows = {
        line.split()[0]: line.split(None, 1)[1]
        for line in help_output(["help"], capsys).splitlines()
        if re.match(r"  \S", line)
    }
    for name in pracha_command_names():
        text = cli.summary(load_command_class(get_commands()[name], name).help)
        assert 15 <= len(text) <= 80, f"{name}: first sentence of help is {len(text)} chars"
        assert rows[cli.dashed(name)] == text


def test_summary_is_the_first_sentence() -> None:
    assert cli.summary("Indicator tables: rebuild | check. rebuild: all.") == (
        "Indicator tables: rebuild | check"
    )
    assert cli.summary("  One\n  line [--x N].  ") == "One line [--x N]"
    assert cli.summary("See cases.FORMAT and e.g.x. More.") == "See cases.FORMAT and e.g.x"


@pytest.mark.parametrize("name", ["import-traffy", "import_traffy"])
def test_help_command_shows_its_options(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    cli.main(["help", name])
    out = capsys.readouterr().out
    assert "usage: pracha import_traffy" in out
    assert "--batch-size" in out and "--dry-run" in out


def test_django_options_pass_through(capsys: pytest.CaptureFixture[str]) -> None:
    import django

    cli.main(["--version"])
    assert capsys.readouterr().out.strip() == django.get_version()
    cli.main(["help", "--commands"])
    assert {"import_traffy", "migrate"} <= set(capsys.readouterr().out.split())


@pytest.mark.parametrize("args", [["import-trafic"], ["help", "import-trafic"]])
def test_an_unknown_command_is_named_with_a_suggestion(args: list[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(args)
    message = str(exited.value.code)
    assert "unknown command 'import-trafic'; did you mean import-traffy?" in message
    assert "`pracha help` lists the commands" in message


@pytest.mark.slow
def test_help_as_a_person_runs_it(isolated_env: dict[str, str], tmp_path: Path) -> None:
    usage = run_pracha(env=isolated_env, cwd=tmp_path)
    assert usage.returncode == 0 and usage.stderr == ""
    assert run_pracha("help", env=isolated_env, cwd=tmp_path).stdout == usage.stdout
    options = run_pracha("help", "import-traffy", env=isolated_env, cwd=tmp_path)
    assert options.returncode == 0 and "--batch-size" in options.stdout
    for args in (["no-such-command"], ["help", "no-such-command"]):
        result = run_pracha(*args, env=isolated_env, cwd=tmp_path)
        assert result.returncode != 0
        assert "unknown command 'no-such-command'" in result.stderr
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "pracha.sqlite3").exists(), "help must not need a database"


# A command in the README: inline code or a line that starts with it, or `$(pracha ...)`.
README_COMMAND = re.compile(r"(?:^|`|\$\()pracha ([a-z][a-z0-9_-]*)", re.M)


def test_every_command_the_readme_names_exists() -> None:
    named = set(README_COMMAND.findall(README.read_text(encoding="utf-8")))
    assert {"serve", "import-traffy", "help"} <= named
    known = {*get_commands(), *cli.UTILITY_WORDS}
    assert sorted(n for n in named if cli.command_name(n) not in known) == []


def test_the_readme_command_table_covers_every_pracha_command() -> None:
    readme = README.read_text(encoding="utf-8")
    section = readme.split("\n## The `pracha` command\n", 1)[1].split("\n## ", 1)[0]
    named = {cli.command_name(n) for n in README_COMMAND.findall(section)}
    assert sorted(set(pracha_command_names()) - named) == [], "missing from the README"
    assert "`pracha help`" in section


def test_the_readme_check_sees_commands_not_prose() -> None:
    text = "cli (the pracha command)\npracha backup /srv\nrun `pracha load-areas --commit`"
    assert README_COMMAND.findall(text) == ["backup", "load-areas"]
    assert README_COMMAND.findall("KEY=$(pracha apikey create x)") == ["apikey"]


@pytest.mark.slow
def test_works_from_any_directory(isolated_env: dict[str, str], tmp_path: Path) -> None:
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    result = run_pracha("migrate", "-v", "0", env=isolated_env, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    result = run_pracha("apikey", "create", "partner", env=isolated_env, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].startswith("pk_")
    assert (tmp_path / "pracha.sqlite3").exists()


@pytest.mark.slow
def test_bad_arguments_give_a_message_not_a_traceback(
    isolated_env: dict[str, str], tmp_path: Path
) -> None:
    result = run_pracha("serve", "--port", "0", env=isolated_env, cwd=tmp_path)
    assert result.returncode != 0
    assert "--port must be from 1 to 65535" in result.stderr
    assert "Traceback" not in result.stderr
    env = {**isolated_env, "WEB_CONCURRENCY": "many"}
    result = run_pracha("serve", "--port", "8123", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "WEB_CONCURRENCY must be a number of workers" in result.stderr
    assert "Traceback" not in result.stderr
    args = ["createofficer", "bob", "--agency", "no-such-agency", "--no-input"]
    result = run_pracha(*args, env=isolated_env, cwd=tmp_path)
    assert result.returncode != 0
    assert "the database is not set up yet" in result.stderr
    assert "run `pracha migrate` first" in result.stderr
    assert "Traceback" not in result.stderr
    assert run_pracha("migrate", "-v", "0", env=isolated_env, cwd=tmp_path).returncode == 0
    result = run_pracha(*args, env=isolated_env, cwd=tmp_path)
    assert result.returncode != 0
    assert "no agency matches 'no-such-agency'" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_serve_answers_the_api(isolated_env: dict[str, str], tmp_path: Path) -> None:
    assert run_pracha("migrate", "-v", "0", env=isolated_env, cwd=tmp_path).returncode == 0
    server, port = start_server(isolated_env, tmp_path)
    try:
        body = None
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/v1/cases?limit=5", timeout=2
                ) as response:
                    body = json.load(response)
                    break
            except OSError:
                time.sleep(0.2)
        assert body == {"items": [], "count": 0, "limit": 5, "offset": 0}
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/docs", timeout=5) as docs:
            page = docs.read().decode()
        assert "swagger" in page.lower()
        assert "cdn.jsdelivr" not in page  # nothing is fetched from the internet
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in output


@pytest.mark.slow
def test_demo_sets_up_real_data_and_officers(isolated_env: dict[str, str], tmp_path: Path) -> None:
    result = run_pracha(
        "demo", "--no-serve", "--no-train", env=isolated_env, cwd=tmp_path, timeout=900
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "central" in result.stdout and "token" in result.stdout
    check = run_pracha(
        "shell",
        "--no-imports",
        "-c",
        "from pracha.cases.models import Case; print(Case.objects.count())",
        env=isolated_env,
        cwd=tmp_path,
    )
    assert int(check.stdout.strip()) > 5000
