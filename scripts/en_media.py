"""English for the strings of question media (issue 18: images from Moodle XML)."""

T = {
    "hình của câu hỏi": "question image",
    "Hình “%(name)s” quá lớn (tối đa %(mb)s MB).": "Image “%(name)s” is too large "
    "(at most %(mb)s MB).",
    "Tệp “%(name)s” không phải hình PNG, JPEG, GIF hoặc WebP.": "File “%(name)s” is not "
    "a PNG, JPEG, GIF or WebP image.",
}
