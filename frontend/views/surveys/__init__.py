"""Evaluation surveys (learners fill, trainers author and read aggregates),
attendance sheets and the attendance roll-up drill-down."""
