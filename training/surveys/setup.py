"""Hooks of the survey/report part of training, installed by TrainingConfig.ready()."""

from __future__ import annotations


def ready() -> None:
    from courses import requirements
    from courses.reports import builders

    from ..rollup import rollup_sheet
    from .completion import survey_steps

    requirements.register(survey_steps)
    if rollup_sheet not in builders.ROLLUP_SHEETS:
        builders.ROLLUP_SHEETS.append(rollup_sheet)
