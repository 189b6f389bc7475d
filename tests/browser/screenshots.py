"""`make screenshots`: one PNG per main page, at phone and desktop size, into docs/screenshots/.

Builds a throwaway SQLite database with the Vietnamese demo (`load_demo`),
serves it with `runserver` on 127.0.0.1, drives Debian's Chromium through
Playwright and saves viewport-only, palette-compressed PNGs so the README
can show the product before anyone installs it.

    .venv/bin/python tests/browser/screenshots.py [--out docs/screenshots]
"""

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, SIZES  # noqa: E402

DEMO_PASSWORD = "BoiDuong@2026"
IMPORT_SAMPLE = ROOT / "tests" / "quizzes" / "data" / "ngan-hang-moodle.gift"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_until_up(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not start at {url}")


def demo_urls() -> dict[str, list[tuple[str, str]]]:
    """(file name, path) per account, with ids read from the demo database."""
    import django

    django.setup()
    from courses.certificates.models import Certificate
    from courses.models import Course, Lesson
    from quizzes.models import Attempt

    course = Course.objects.filter(status="published").order_by("pk").first()
    lesson = Lesson.objects.filter(module__course=course).order_by("module__order", "order").first()
    module_quiz = course.modules.exclude(quiz=None).order_by("order").first().quiz
    done = Attempt.objects.filter(user__username="hocvien01").filter(state="finished").first()
    certificate = Certificate.objects.filter(status="valid").first()
    from accounts.models import Unit

    bloc = Unit.objects.get(code="DBK")
    from training.surveys.models import Survey

    past_survey = Survey.objects.filter(course=course, session__isnull=False).first()
    end_survey = Survey.objects.filter(course=course, session=None).first()
    past_session = past_survey.session if past_survey else None
    surveys_for_learner = (
        [("30-phieu-danh-gia", f"/surveys/{end_survey.pk}/")] if end_survey else []
    )
    surveys_for_admin = (
        [
            ("31-tap-huan-phieu-danh-gia", f"/courses/{course.pk}/surveys/"),
            ("32-ket-qua-danh-gia", f"/surveys/{past_survey.pk}/results/"),
            ("33-tham-du-theo-don-vi", f"/reports/units/{bloc.pk}/attendance/?course={course.pk}"),
            ("34-sua-phieu-danh-gia", f"/surveys/{end_survey.pk}/edit/"),
        ]
        if past_survey and past_session and end_survey
        else []
    )
    from training.models import TrainingSession

    session = TrainingSession.objects.order_by("-starts_at").first()
    sessions = [("18-tap-huan", "/sessions/")] + (
        [("19-buoi-tap-huan", session.get_absolute_url())] if session else []
    )
    from quizzes.models import Question

    def editor(name: str, qtype: str, rows: str) -> list[tuple[str, str]]:
        # the fragment scrolls the viewport-sized shot to the answer rows
        question = Question.objects.filter(current_version__type=qtype).order_by("pk").first()
        return [(name, f"/bank/questions/{question.pk}/edit/#rows-{rows}")] if question else []

    checkin = checkin_pages()
    return {
        "": [("01-dang-nhap", "/accounts/login/")]
        + ([("13-xac-thuc-chung-nhan", certificate.get_absolute_url())] if certificate else []),
        "hocvien01": [
            ("02-trang-chu-hoc-vien", "/"),
            ("03-khoa-hoc", course.get_absolute_url()),
            ("04-bai-hoc", lesson.get_absolute_url()),
            ("05-bat-dau-bai-kiem-tra", f"/quizzes/{module_quiz.pk}/"),
        ]
        + ([("07-ket-qua-bai-kiem-tra", f"/attempts/{done.pk}/result/")] if done else [])
        + [("08-chung-nhan-cua-toi", "/certificates/")]
        + sessions
        + surveys_for_learner
        + [("43-the-diem-danh", "/profile/")],
        "hocvien12": [("06-lam-bai-kiem-tra", f"start:/quizzes/{module_quiz.pk}/")],
        "baocaovien1": [
            ("10-ngan-hang-cau-hoi", "/bank/"),
            ("10a-cau-hoi-moi-chon-loai", "/bank/questions/new/"),
            ("10b-soan-cau-hoi-so", "/bank/questions/new/?type=numeric#no-category"),
            ("11-bang-diem", f"/reports/courses/{course.pk}/gradebook/"),
            ("12-phan-tich-cau-hoi", f"/reports/quizzes/{module_quiz.pk}/statistics/"),
            ("18-nhap-cau-hoi-xem-truoc", "upload:/bank/import/"),
        ],
        # the demo bank is the bloc's: its admin may edit it, a unit's trainer only reads it
        "admin": [
            # the demo course is the bloc's: its admin edits it (a unit's trainer gets 404)
            ("09-soan-khoa-hoc", f"/authoring/{course.pk}/"),
            *editor("10c-soan-cau-hoi-nhieu-lua-chon", "multiple", "choices"),
            *editor("10d-soan-cau-hoi-ghep-doi", "matching", "pairs"),
            ("14-nguoi-dung", "/users/"),
            ("15-giao-khoa-hoc", f"/courses/{course.pk}/enrolments/"),
            ("16-tong-hop-don-vi", f"/reports/units/{bloc.pk}/?course={course.pk}"),
            ("17-so-cap-chung-nhan", "/certificates/register/"),
            *surveys_for_admin,
            # the demo's sessions are the bloc's (its course, the whole bloc invited):
            # its admin organises them, a unit's trainer does not manage them
            ("20-len-lich-tap-huan", "/sessions/new/"),
            ("21-yeu-cau-tham-du", f"/authoring/{course.pk}/attendance/"),
            *([("22-quan-ly-buoi-tap-huan", session.get_absolute_url())] if session else []),
            *checkin,
            # the demo quiz belongs to the bloc: its admin may edit it
            ("18-soan-bai-kiem-tra", f"/quiz-admin/{module_quiz.pk}/"),
        ],
    }


def checkin_pages() -> list[tuple[str, str]]:
    """The trainer's attendance screens for the demo's sessions (upcoming, past)."""
    from django.utils import timezone

    from training.models import TrainingSession

    now = timezone.now()
    sessions = TrainingSession.objects.exclude(status="cancelled").order_by("starts_at")
    upcoming = sessions.filter(ends_at__gte=now).first()
    past = sessions.filter(ends_at__lt=now).last()
    pages = []
    if upcoming:
        pages += [
            ("40-man-hinh-diem-danh", f"/sessions/{upcoming.pk}/check-in/screen/"),
            ("41-quet-ma-ca-nhan", f"/sessions/{upcoming.pk}/check-in/scanner/"),
        ]
    if past or upcoming:
        pages.append(("42-danh-sach-diem-danh", f"/sessions/{(past or upcoming).pk}/roll-call/"))
    return pages


def save_png(data: bytes, path: Path) -> None:
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB")
    image.quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(base_url: str, out: Path, only: tuple[str, ...] = ("",)) -> int:
    from playwright.sync_api import sync_playwright

    count = 0
    pages = demo_urls()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, viewport in SIZES.items():
            for username, all_items in pages.items():
                items = [(n, p) for n, p in all_items if n.startswith(only)]
                if not items:
                    continue
                context = browser.new_context(viewport=viewport, base_url=base_url, locale="vi-VN")
                page = context.new_page()
                if username:
                    page.goto("/accounts/login/")
                    page.get_by_label("Tên đăng nhập").fill(username)
                    page.get_by_label("Mật khẩu").fill(DEMO_PASSWORD)
                    page.get_by_role("button", name="Đăng nhập").click()
                    page.wait_for_load_state("networkidle")
                for name, path in items:
                    if path.startswith("start:"):
                        page.goto(path.removeprefix("start:"))
                        start = page.get_by_role("button", name="Bắt đầu làm bài")
                        if start.count():
                            start.click()
                        else:
                            page.get_by_role("link", name="Tiếp tục làm bài").click()
                        page.wait_for_url("**/attempts/*/")
                    elif path.startswith("upload:"):
                        # The import preview of a GIFT bank exported from Moodle.
                        page.goto(path.removeprefix("upload:"))
                        page.get_by_label("Tệp câu hỏi").set_input_files(str(IMPORT_SAMPLE))
                        page.get_by_label("Danh mục đích").fill("Từ Moodle")
                        page.get_by_role("button", name="Tải lên và xem trước").click()
                        page.wait_for_selector("#import-preview")
                    else:
                        page.goto(path)
                    page.wait_for_load_state("networkidle")
                    save_png(page.screenshot(), out / f"{name}-{size}.png")
                    count += 1
                context.close()
        browser.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        help="only the pages whose file name starts so (may be given more than once)",
    )
    args = parser.parse_args()
    if not CHROMIUM:
        raise SystemExit("needs Debian's chromium on PATH")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "DEBUG": "True",
            "REDIS_URL": "",
            "MEDIA_ROOT": f"{tmp}/media",
        }
        os.environ.update(env)
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "load_demo")
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_until_up(base_url + "/healthz")
            count = shoot(base_url, args.out, tuple(args.only) or ("",))
        finally:
            server.terminate()
            server.wait(timeout=10)
    print(f"{count} screenshots in {args.out}")


if __name__ == "__main__":
    main()
