"""The domain apps know nothing of the screens: frontend presents them, not the reverse."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", ["accounts", "courses", "quizzes", "training"])
def test_domain_apps_do_not_import_frontend(app):
    offenders = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / app).rglob("*.py")
        if any(n == "frontend" or n.startswith("frontend.") for n in _imports(path))
    )
    assert offenders == []


def test_frontend_assembles_dashboard_and_navigation(client, cast):
    from frontend.context_processors import NAV_ITEMS
    from frontend.views.core import DASHBOARD_SECTIONS

    assert len(DASHBOARD_SECTIONS) == 3
    names = [name for name, _label, _who in NAV_ITEMS]
    assert "frontend:my-certificates" in names and len(names) == len(set(names))
    client.force_login(cast.learner)
    page = client.get("/").content.decode()
    assert "Chứng nhận của tôi" in page
