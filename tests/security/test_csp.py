"""Content-Security-Policy: sent on every page, no inline script anywhere, htmx without eval."""

from pathlib import Path

import pytest
from django.urls import reverse

from .crawl import page_responses
from .markup import live_markup

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _policy(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    header = response["Content-Security-Policy"]
    return {parts[0]: parts[1:] for parts in (d.split() for d in header.split(";") if d.strip())}


def test_every_html_page_sends_a_policy_without_unsafe_inline_or_eval(world):
    missing, weak = [], []
    for role, _name, url, response in page_responses(world):
        if "html" not in response.get("Content-Type", ""):
            continue
        if "Content-Security-Policy" not in response:
            missing.append(f"{url} as {role}")
            continue
        policy = _policy(response)
        for directive in ("script-src", "style-src", "default-src"):
            sources = policy.get(directive, policy.get("default-src", []))
            if {"'unsafe-inline'", "'unsafe-eval'", "*"} & set(sources):
                weak.append(f"{url}: {directive} {sources}")
        if policy.get("object-src") != ["'none'"] or policy.get("frame-ancestors") != ["'none'"]:
            weak.append(f"{url}: object-src/frame-ancestors not 'none'")
    assert not missing, missing
    assert not weak, weak


def test_no_rendered_page_has_inline_script_style_or_event_handlers(world):
    found = []
    for role, name, url, response in page_responses(world):
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        if getattr(response, "streaming", False):
            continue
        found += [f"{url} ({name}) as {role}: {f}" for f in live_markup(response.content.decode())]
    assert not found, "\n".join(sorted(set(found)))


def test_no_template_has_inline_script_style_or_event_handlers():
    """Also covers templates no matrix page reaches (fragments, error states)."""
    found = []
    for path in ROOT.glob("*/**/templates/**/*.html"):
        if ".venv" in path.parts:
            continue
        found += [f"{path.relative_to(ROOT)}: {f}" for f in live_markup(path.read_text())]
    assert not found, "\n".join(found)


def test_htmx_runs_without_eval_inline_styles_or_cross_site_requests(client):
    html = client.get(reverse("accounts:login")).content.decode()
    assert '"allowEval": false' in html
    assert '"includeIndicatorStyles": false' in html
    assert '"selfRequestsOnly": true' in html
    assert '"allowScriptTags": false' in html


def test_api_answers_are_json_not_sniffable_html(api, cast):
    response = api(cast.learner).get("/api/me/")
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
