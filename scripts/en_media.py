"""English for the strings of question media (issue 18: images from Moodle XML)."""

T = {
    "hình của câu hỏi": "question image",
    "Hình “%(name)s” quá lớn (tối đa %(mb)s MB).": "Image “%(name)s” is too large "
    "(at most %(mb)s MB).",
    "Tệp “%(name)s” không phải hình PNG, JPEG, GIF hoặc WebP.": "File “%(name)s” is not "
    "a PNG, JPEG, GIF or WebP image.",
    "Hình của câu hỏi": "Question images",
    "Mỗi hình hiện ở chỗ dòng mã của nó trong nội dung; giữ nguyên dòng mã để giữ hình, "
    "viết mô tả giữa hai dấu ngoặc vuông.": "Each image shows where its code is in the "
    "text; keep the code to keep the image, and write its description between the square "
    "brackets.",
}
