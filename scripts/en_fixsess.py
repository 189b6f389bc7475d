"""English for the strings of the session-scope fix (issue 19: invited units)."""

T = {
    "Học viên này thuộc đơn vị ngoài phạm vi quản lý của bạn.": (
        "This learner belongs to a unit outside your scope."
    ),
}
