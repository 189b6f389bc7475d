"""Real-browser fixtures: Debian's Chromium driven by Playwright, at phone and desktop sizes.

Playwright cannot download its own browser here, so the suite launches the
`chromium` found on PATH (`.ci/run` installs it). A failed test leaves a
screenshot of each open page and a trace with a screenshot of every step
(`playwright show-trace test-artifacts/...-trace.zip`) in test-artifacts/.
"""

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules/axe-core/axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# the tests make there (fixtures, assertions on stored rows) are synchronous
# and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if not CHROMIUM:
                item.add_marker(pytest.mark.skip(reason="needs Debian's chromium on PATH"))
            elif not AXE.exists():
                item.add_marker(pytest.mark.skip(reason="needs axe-core: run npm ci"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):  # type: ignore[no-untyped-def]
    report = yield
    if report.when == "call":
        item.stash.setdefault(FAILED, report.failed)  # type: ignore[arg-type]
    return report


FAILED = pytest.StashKey[bool]()


# One Chromium per test session. Other test packages import these fixtures into
# their modules, which registers `browser` a second time; a second sync_playwright
# in the same thread fails, so both registrations share this one.
_SHARED: dict[str, object] = {"users": 0}


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    if not _SHARED["users"]:
        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(  # type: ignore[attr-defined]
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
    _SHARED["users"] = int(_SHARED["users"]) + 1  # type: ignore[call-overload]
    yield _SHARED["browser"]
    _SHARED["users"] = int(_SHARED["users"]) - 1  # type: ignore[call-overload]
    if not _SHARED["users"]:
        _SHARED.pop("browser").close()  # type: ignore[attr-defined]
        _SHARED.pop("playwright").stop()  # type: ignore[attr-defined]


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def new_page(browser, live_server, size, request):  # type: ignore[no-untyped-def]
    """new_page(**context_options) -> a page at the test's size, on the live server."""
    contexts = []

    def _new_page(**options):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            viewport=SIZES[size], base_url=live_server.url, locale="vi-VN", **options
        )
        context.set_default_timeout(10_000)
        # A screenshot of every step, kept only when the test fails (playwright show-trace).
        context.tracing.start(screenshots=True, snapshots=False)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    failed = request.node.stash.get(FAILED, False)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
    if failed:
        ARTIFACTS.mkdir(exist_ok=True)
    for index, context in enumerate(contexts):
        if failed:
            for number, page in enumerate(context.pages):
                page.screenshot(
                    path=str(ARTIFACTS / f"{name}-{index}-{number}.png"), full_page=True
                )
            context.tracing.stop(path=str(ARTIFACTS / f"{name}-{index}-trace.zip"))
        else:
            context.tracing.stop()
        context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    # axe-core is injected as a script, which the site's CSP forbids; the CSP
    # itself is checked by test_no_csp_violations with bypass off.
    return new_page(bypass_csp=True)


def log_in(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"/$"))


def assert_accessible(page) -> None:  # type: ignore[no-untyped-def]
    """axe-core finds no serious or critical violation on the current page."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], f"{page.url}: " + "; ".join(bad)


def assert_no_horizontal_scroll(page) -> None:  # type: ignore[no-untyped-def]
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 0:
        culprits = page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1
                              && !el.closest('.table-wrap'))
                .filter(el => !Array.from(el.children).some(
                    c => c.getBoundingClientRect().right > window.innerWidth + 1))
                .slice(0, 5)
                .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                           + ' "' + (el.textContent || '').trim().slice(0, 40) + '"')"""
        )
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px: {culprits}")


def assert_page_basics(page) -> None:  # type: ignore[no-untyped-def]
    assert page.locator("html").get_attribute("lang") in ("vi", "en")
    assert page.title().strip()
    assert page.locator("h1").count() >= 1


# ---------------------------------------------------------------- more checks (issue 9)

# Everything a finger or a keyboard can act on.
CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], [tabindex]"


def assert_touch_targets(page, minimum: int = 24) -> None:  # type: ignore[no-untyped-def]
    """Every visible control is at least `minimum`×`minimum` CSS px (WCAG 2.5.8).

    A radio or checkbox counts with the label wrapped around it (tapping the
    label picks it); links inside a sentence and small targets with room
    around them are exempt, as WCAG allows.
    """
    small = page.evaluate(
        """([selector, minimum]) => {
          const targets = [];
          for (const el of document.querySelectorAll(selector)) {
            const style = getComputedStyle(el);
            if (style.visibility === 'hidden' || el.closest('[hidden], .visually-hidden, .skip')) continue;
            let box = el.getBoundingClientRect();
            if (!box.width && !box.height) continue;
            const label = el.closest('label');
            if (label) box = label.getBoundingClientRect();
            let inline = false;
            if (el.tagName === 'A' && style.display === 'inline') {
              const block = el.parentElement.closest('p, li, td, dd, small, div, nav');
              inline = block && block.textContent.trim() !== el.textContent.trim();
            }
            targets.push({el, box, inline,
              small: box.width < minimum - 0.5 || box.height < minimum - 0.5});
          }
          // WCAG 2.5.8 spacing exception: a 24 px circle centred on a small target
          // touches no other target and no other small target's circle.
          const r = minimum / 2;
          const centre = b => [b.left + b.width / 2, b.top + b.height / 2];
          const distance = ([x, y], b) => Math.hypot(
            Math.max(b.left - x, 0, x - b.right), Math.max(b.top - y, 0, y - b.bottom));
          const out = [];
          for (const t of targets) {
            if (!t.small || t.inline) continue;
            const c = centre(t.box);
            const crowded = targets.some(o => o !== t && !o.el.contains(t.el) && !t.el.contains(o.el) && (
              distance(c, o.box) < r ||
              (o.small && Math.hypot(c[0] - centre(o.box)[0], c[1] - centre(o.box)[1]) < 2 * r)));
            if (crowded) {
              out.push(`${t.el.tagName.toLowerCase()} "${(t.el.textContent || t.el.name || t.el.id || '').trim().slice(0, 30)}" ${Math.round(t.box.width)}×${Math.round(t.box.height)}`);
            }
          }
          return out;
        }""",
        [CONTROLS, minimum],
    )
    assert small == [], f"{page.url}: touch targets under {minimum}px: {small[:8]}"


def assert_no_scroll_at_360(page) -> None:  # type: ignore[no-untyped-def]
    """The smallest common phone width: nothing scrolls sideways."""
    before = page.viewport_size
    page.set_viewport_size({"width": 360, "height": 740})
    try:
        assert_no_horizontal_scroll(page)
    finally:
        page.set_viewport_size(before)


def assert_text_scales_to_200(page) -> None:  # type: ignore[no-untyped-def]
    """Text at 200% (WCAG 1.4.4): no sideways scroll and no control cut off at the edge."""
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    try:
        assert_no_horizontal_scroll(page)
        clipped = page.evaluate(
            """(selector) => {
              const out = [];
              for (const el of document.querySelectorAll(selector)) {
                const box = el.getBoundingClientRect();
                if (!box.width || el.closest('[hidden], .visually-hidden, .table-wrap, .skip')) continue;
                if (box.right > window.innerWidth + 1 || box.left < -1) {
                  out.push(el.tagName.toLowerCase() + ' ' + (el.textContent || el.name || '').trim().slice(0, 30));
                }
              }
              return out;
            }""",
            CONTROLS,
        )
        assert clipped == [], f"{page.url}: controls cut off at 200% text: {clipped[:8]}"
    finally:
        page.evaluate("document.documentElement.style.fontSize = ''")


def assert_focus_visible_and_ordered(page, presses: int = 12) -> None:  # type: ignore[no-untyped-def]
    """Tab walks the page in document order and every stop shows a focus indicator."""
    assert page.locator("[tabindex]:not([tabindex='0']):not([tabindex='-1'])").count() == 0, (
        "a positive tabindex breaks the reading order"
    )
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.locator("body").focus()
    previous = None
    for _ in range(presses):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              const s = getComputedStyle(el);
              const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                || (s.boxShadow && s.boxShadow !== 'none');
              const box = el.getBoundingClientRect();
              const all = Array.from(document.querySelectorAll('*'));
              return {ring, index: all.indexOf(el), visible: box.width > 0 && box.height > 0,
                      name: el.tagName + ' ' + (el.textContent || el.name || '').trim().slice(0, 30)};
            }"""
        )
        if state is None:
            break
        assert state["visible"], f"{page.url}: focus went to an invisible {state['name']}"
        assert state["ring"], f"{page.url}: no visible focus indicator on {state['name']}"
        if previous is not None and state["index"] < previous:
            break  # wrapped around to the browser chrome and back
        previous = state["index"]


# Vietnamese letters that never occur in English, and English interface words.
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)
ENGLISH_UI = re.compile(
    r"\b(Save|Submit|Cancel|Search|Delete|Edit|Next|Previous|Log in|Log out|Settings|"
    r"Download|Upload|Back|Close|Course|Courses|Quiz|Reports?)\b"
)
# Interface text: the elements whose words the site itself writes. Course titles,
# names and questions shown inside them are data, marked translate="no" (or
# .user-content) in the templates, and stay in the language they were written in.
UI_TEXT = "nav a, button, th, legend, .helptext, label, h2"
DATA = "[translate=no], .user-content"


def assert_one_language(page) -> None:  # type: ignore[no-untyped-def]
    """No untranslated string of the other language in the interface.

    An element's text is its text minus that of its data descendants
    (`DATA`), so "Khóa học: <span translate=no>Sinh hoạt chi bộ</span>" is
    checked for "Khóa học:" only.
    """
    lang = page.locator("html").get_attribute("lang")
    texts = page.evaluate(
        """([selector, data]) => {
          // a name written in its own language (the language switch) is not a mix
          const own = el => el.closest('[lang]') === document.documentElement;
          const shown = el => !el.closest('[hidden]') && !el.closest(data);
          const text = el => {
            const copy = el.cloneNode(true);
            // typed or picked values are data too
            copy.querySelectorAll(data + ', [hidden], select, textarea').forEach(d => d.remove());
            return copy.textContent.replace(/\\s+/g, ' ').trim();
          };
          return Array.from(document.querySelectorAll(selector))
            .filter(el => shown(el) && own(el)).map(text)
            .concat(Array.from(document.querySelectorAll('[aria-label]'))
              .filter(el => shown(el) && own(el)).map(el => el.getAttribute('aria-label')))
            .filter(Boolean);
        }""",
        [UI_TEXT, DATA],
    )
    wrong = VIETNAMESE if lang == "en" else ENGLISH_UI
    mixed = [t for t in texts if wrong.search(t)]
    assert mixed == [], f"{page.url} ({lang}): other-language strings {mixed[:8]}"


def check_page(page, *, focus: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Everything every page owes its users: structure, axe, phone width, targets, zoom."""
    assert_page_basics(page)
    assert_one_language(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    assert_touch_targets(page)
    assert_text_scales_to_200(page)
    if page.viewport_size["width"] < 500:
        assert_no_scroll_at_360(page)
    if focus:
        assert_focus_visible_and_ordered(page)
