"""config.wsgi: what gunicorn imports before it forks its workers."""

import subprocess
import sys


def test_the_app_and_every_view_are_loaded_then_frozen():
    """Workers share the imported app and a full collection skips it: the views
    are imported before the freeze, not in each worker's first request."""
    code = (
        "import gc, sys, config.wsgi; "
        "print(gc.get_freeze_count(), 'quizzes.api.attempts' in sys.modules, "
        "'frontend.views.quizzes.bank' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(out[0]) > 50_000
    assert out[1:] == ["True", "True"]
