T = {
    "Hệ thống": "System",
    ("true/false option", "Đúng"): "True",
    ("true/false option", "Sai"): "False",
    "Trả lời đúng": "Correct",
    "Trả lời sai": "Incorrect",
}
