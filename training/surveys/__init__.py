"""Evaluation surveys (phiếu đánh giá) after a training session or at the end of a course.

Anonymous by design: the fact that a learner answered (`SurveySubmission`,
used for "one answer each" and for the completion requirement) is stored
apart from what they answered (`SurveyResponse`), which carries no user, no
time and no sequential id, only the respondent's unit for grouping. Results
are shown in aggregate and only for a group with at least
`MIN_RESPONSES` answers.
"""

MIN_RESPONSES = 5
