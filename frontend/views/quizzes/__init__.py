"""Quiz pages: taking quizzes (learners), the bank, the builder and grading (trainers)."""
