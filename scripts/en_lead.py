T = {
    "Hệ thống": "System",
    ("true/false option", "Đúng"): "True",
    ("true/false option", "Sai"): "False",
    "Trả lời đúng": "Correct",
    "Trả lời sai": "Incorrect",
    "Câu hỏi số cần ít nhất một đáp án.": "A numerical question needs at least one answer.",
    "Chưa làm": "Not taken",
    "Chờ chấm": "Awaiting grading",
}
