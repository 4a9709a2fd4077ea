"""`make screenshots`: the main pages at phone and laptop width, into var/screenshots/.

Builds a demo database in a temporary directory (the shipped 2023 Traffy tickets plus a few
reports filed and handled through the services, with photos), serves it with `pracha serve`,
and photographs each page with headless Chromium in Thai and in English. Requests leaving the
server (map tiles, imported photo URLs) are blocked, so the pictures show the offline look.

    python -m pracha.web.screenshots [--out DIR] [--keep]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

from pracha.web.browser import LAPTOP, PHONE, block_outside, chromium_available, launch

PASSWORD = "screenshots-demo-password"
PRACHA = [sys.executable, "-m", "pracha.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def street_photo(fixed: bool) -> bytes:
    """A drawn street: a pothole before, smooth asphalt after (no real person's photo)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 720), (135, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 300, 960, 720), fill=(92, 96, 104))
    draw.polygon([(420, 300), (540, 300), (760, 720), (200, 720)], fill=(80, 84, 92))
    for y in range(330, 720, 90):
        draw.rectangle((470, y, 490, y + 45), fill=(245, 245, 240))
    draw.rectangle((0, 250, 960, 300), fill=(170, 170, 160))
    if not fixed:
        draw.ellipse((260, 480, 520, 600), fill=(40, 36, 34))
        draw.ellipse((290, 500, 490, 580), fill=(70, 110, 140))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def prepare() -> dict[str, Any]:
    """Inside the demo database: a few reports that show every part of the pages."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pracha.agencies.models import Agency, Officer
    from pracha.cases.models import Case, Photo
    from pracha.cases.services.citizen import do_me_too
    from pracha.cases.services.photos import do_add_photo
    from pracha.cases.services.workflow import do_accept, do_close, do_comment, do_forward
    from pracha.intake.services import NewCase, Reporter, do_create_case

    users = get_user_model().objects
    for username in ("central", "works"):
        user = users.get(username=username)
        user.set_password(PASSWORD)
        user.first_name = {"central": "Somchai", "works": "Malee"}[username]
        user.email = f"{username}@example.org"
        user.save()
    works = Officer.objects.get(user__username="works")

    def officer_for(agency: Agency | None, username: str) -> Officer:
        """An officer of whichever agency triage routed the case to."""
        if agency is None:
            raise RuntimeError("triage routed a screenshot case to no agency")
        found = Officer.objects.filter(agency=agency).select_related("user", "agency").first()
        if found is not None:
            found.user.set_password(PASSWORD)
            found.user.save()
            return found
        user = users.create_user(username=username, password=PASSWORD, first_name="Anong")
        return Officer.objects.create(user=user, agency=agency)

    def file(text: str, lat: float, lon: float, category: str) -> Case:
        case, _ = do_create_case(
            NewCase(
                description=text,
                lat=lat,
                lon=lon,
                categories=[category],
                address="ถนนพหลโยธิน แขวงจตุจักร เขตจตุจักร กรุงเทพมหานคร",
                reporter=Reporter(name="ผู้แจ้ง", email="reporter@example.org"),
                source=Case.Source.WEB,
            )
        )
        photo = SimpleUploadedFile("before.jpg", street_photo(False), "image/jpeg")
        do_add_photo(case, photo, photo.size)
        return case

    waiting = file(
        "หลุมบ่อขนาดใหญ่กลางถนนหน้าปากซอยพหลโยธิน 24 รถจักรยานยนต์ล้มไปแล้วสองคัน",
        13.8143,
        100.5612,
        "road",
    )
    do_me_too(waiting)
    closed = file("ถนนยุบเป็นหลุมลึกหน้าตลาด น้ำขังทุกครั้งที่ฝนตก", 13.8029, 100.5534, "road")
    desk = officer_for(closed.agency, "desk")
    do_accept(closed, desk, "รับเรื่องแล้ว")
    do_comment(closed, desk, "ตรวจสอบแล้ว เป็นความรับผิดชอบของสำนักการโยธา", public=False)
    do_forward(closed, desk, works.agency, "ถนนสายหลัก ส่งสำนักการโยธา")
    do_accept(closed, works)
    after = SimpleUploadedFile("after.jpg", street_photo(True), "image/jpeg")
    from pracha.cases.actors import Actor

    photo = do_add_photo(
        closed, after, after.size, kind=Photo.Kind.AFTER, actor=Actor.for_officer(works)
    )
    do_close(closed, works, "done", "ซ่อมผิวถนนเรียบร้อยแล้ว", photo)
    inbox_officer = officer_for(waiting.agency, "desk")
    return {
        "waiting": waiting.ticket_id,
        "closed": closed.ticket_id,
        "officer": inbox_officer.user.get_username(),
    }


def run_setup(env: dict[str, str]) -> dict[str, Any]:
    subprocess.run([*PRACHA, "demo", "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    done = subprocess.run(
        [sys.executable, "-m", "pracha.web.screenshots", "--prepare"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def capture(base: str, tickets: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    pages = [
        ("home", "/", None),
        ("report", "/report/", "pin"),
        ("report-errors", "/report/", "submit-empty"),
        ("ticket-waiting", f"/t/{tickets['waiting']}/", None),
        ("ticket-closed", f"/t/{tickets['closed']}/", None),
        ("office-login", "/office/login/", None),
        ("office-inbox", "/office/", "login"),
        ("office-case", f"/office/case/{tickets['waiting']}/", "login"),
        ("dashboard", "/dashboard/", None),
    ]
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for size_name, viewport in (("phone", PHONE), ("laptop", LAPTOP)):
            for language in ("th", "en"):
                context = browser.new_context(viewport=viewport, locale=f"{language}-TH")
                block_outside(context, base)
                context.add_cookies([{"name": "django_language", "value": language, "url": base}])
                page = context.new_page()
                for name, path, step in pages:
                    if step == "login":
                        _login(page, base, tickets["officer"])
                    response = page.goto(base + path, wait_until="networkidle")
                    if response is None or response.status == 404:
                        continue  # a page another part has not built yet
                    if step == "pin":
                        page.click("[data-pin-centre]")
                        page.fill("#id_description", "ไฟถนนดับทั้งซอย มืดมาก อันตรายตอนกลางคืน")
                    elif step == "submit-empty":
                        page.click("button[type=submit].button--accent")
                        page.wait_for_load_state("networkidle")
                    target = out / f"{name}-{language}-{size_name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    written.append(target)
                context.close()
        browser.close()
    return written


def _login(page: Any, base: str, username: str) -> None:
    page.goto(base + "/office/login/")
    if "/office/login/" not in page.url:
        return  # already signed in
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].button--primary")
    page.wait_for_url(base + "/office/")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=None, help="default: var/screenshots")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database")
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pracha.settings")
    if args.prepare:
        print(json.dumps(prepare()))
        return
    if not chromium_available():
        raise SystemExit("chromium is not installed: apt-get install -y chromium fonts-thai-tlwg")
    from pracha.config import Config

    out = args.out or Config.from_env().var_dir / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    workdir = Path(tempfile.mkdtemp(prefix="pracha-screenshots-"))
    port = free_port()
    env = {
        **os.environ,
        "PRACHA_VAR_DIR": str(workdir),
        "DATABASE_URL": f"sqlite:///{workdir / 'pracha.sqlite3'}",
        "PRACHA_BASE_URL": f"http://127.0.0.1:{port}",
        "DJANGO_SETTINGS_MODULE": "pracha.settings",
    }
    server = None
    try:
        print(f"building a demo database in {workdir} ...", flush=True)
        tickets = run_setup(env)
        server = subprocess.Popen(
            [*PRACHA, "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/")
        written = capture(base, tickets, out)
        for path in written:
            print(path)
        print(f"{len(written)} screenshots in {out}")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
