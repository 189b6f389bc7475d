"""English for the strings of the imports work (issue 18: GIFT and Moodle XML
as Moodle writes them, import from the preview, templates, exports)."""

T = {
    # import page and its preview
    "Hỗ trợ GIFT và Moodle XML (như Moodle xuất ra), Aiken và mẫu XLSX một câu mỗi dòng. "
    "Sau khi tải lên, bạn xem trước từng câu rồi nhập ngay từ trang xem trước, "
    "không cần chọn lại tệp.": "GIFT and Moodle XML (as Moodle exports them), Aiken and the "
    "one-question-per-row XLSX template are supported. After uploading you preview every "
    "question and import straight from the preview, without choosing the file again.",
    "Tải mẫu XLSX (có dòng ví dụ và quy tắc từng cột)": "Download the XLSX template (with "
    "example rows and the rule of every column)",
    "Tải lên và xem trước": "Upload and preview",
    "Sửa các dòng dưới đây trong tệp rồi tải lên lại.": "Fix the lines below in the file, "
    "then upload it again.",
    "Dòng %(line)s:": "Line %(line)s:",
    "%(n)s mục không nhập được": (
        "%(n)s item cannot be imported",
        "%(n)s items cannot be imported",
    ),
    "Các loại câu hỏi này chưa được hỗ trợ; chúng chỉ bị bỏ qua nếu bạn đồng ý bên dưới.": "These "
    "question types are not supported yet; they are left out only if you agree below.",
    "Loại (tên trong Moodle)": "Type (Moodle's name)",
    "Tên câu hỏi": "Question name",
    'Định dạng %(fmt)s, nhập vào đơn vị <span translate="no">%(unit)s</span>.': "Format "
    '%(fmt)s, into the unit <span translate="no">%(unit)s</span>.',
    "%(n)s hình kèm theo": ("%(n)s embedded image", "%(n)s embedded images"),
    "Bỏ qua %(n)s câu không hỗ trợ và nhập các câu còn lại": (
        "Leave out %(n)s unsupported question and import the rest",
        "Leave out %(n)s unsupported questions and import the rest",
    ),
    "Nhập %(n)s câu hỏi": ("Import %(n)s question", "Import %(n)s questions"),
    "Chọn tệp khác": "Choose another file",
    "Phiên nhập đã hết hạn, vui lòng chọn lại tệp.": "The import session has expired; please "
    "choose the file again.",
    "Phiên nhập đã hết hạn, vui lòng gửi lại tệp.": "The import session has expired; please "
    "send the file again.",
    "Tệp không có câu hỏi nào nhập được.": "The file has no question that can be imported.",
    "Loại câu hỏi chưa hỗ trợ: %(t)s. Chọn “bỏ qua” để nhập các câu còn lại.": "Question type "
    "not supported: %(t)s. Choose “leave out” to import the rest.",
    "[Hình: %(alt)s]": "[Image: %(alt)s]",
    # what cannot be imported, named in Vietnamese before Moodle's name
    "Câu điền nhiều chỗ trống": "Fill-in with several gaps",
    "Câu tính toán": "Calculated question",
    "Câu tính toán nhiều lựa chọn": "Calculated multiple choice",
    "Kéo thả vào đoạn văn": "Drag and drop into text",
    "Kéo thả lên hình": "Drag and drop onto an image",
    "Kéo thả điểm đánh dấu": "Drag and drop markers",
    "Chọn từ còn thiếu": "Select missing words",
    "Ghép đôi ngẫu nhiên từ câu trả lời ngắn": "Random matching from short answers",
    "Đoạn mô tả, không phải câu hỏi": "A description, not a question",
    "Loại chưa hỗ trợ": "Unsupported type",
    # exports
    "Xuất Moodle XML": "Export Moodle XML",
    "Xuất câu hỏi của bài kiểm tra": "Export the quiz's questions",
    "Các câu hỏi cố định của bài, để nhập vào Moodle hoặc một ngân hàng khác.": "The quiz's "
    "fixed questions, to import into Moodle or another bank.",
    # templates: the rules sheet
    "Quy tắc": "Rules",
    "Cột": "Column",
    "Cách điền": "How to fill it in",
    "Bắt buộc.": "Required.",
    "Bắt buộc, duy nhất; chỉ gồm chữ, số và @ . + - _.": "Required, unique; letters, digits "
    "and @ . + - _ only.",
    "Không bắt buộc.": "Optional.",
    "Bắt buộc: mã đơn vị trong phạm vi bạn quản lý (ví dụ %(u)s).": "Required: the code of a "
    "unit you manage (for example %(u)s).",
    "Không bắt buộc, mặc định Học viên. Một trong: %(r)s.": "Optional, Learner by default. "
    "One of: %(r)s.",
    "Không bắt buộc, dạng ngày/tháng/năm (01/09/2024).": "Optional, as day/month/year "
    "(01/09/2024).",
    "Không bắt buộc; để trống thì tài khoản chưa đăng nhập được cho đến khi được đặt mật khẩu.": "Optional; when empty the account cannot sign in until a password is set.",
    "Bắt buộc. Một trong: %(types)s.": "Required. One of: %(types)s.",
    "Bắt buộc. Nội dung câu hỏi.": "Required. The question's text.",
    "Lựa chọn: mỗi ô một phương án. Ghép đôi: mỗi ô “vế trái = vế phải”. "
    "Sắp xếp: các mục theo đúng thứ tự. Loại khác: để trống.": "Choices: one option per "
    "cell. Matching: each cell “left = right”. Ordering: the items in the right order. "
    "Other types: leave empty.",
    "Một lựa chọn: chữ cái (B). Nhiều lựa chọn: các chữ cái (A, C) hoặc trọng số "
    "(A:50%, C:50%, B:-100%). Đúng/Sai: Đúng hoặc Sai. Trả lời ngắn: các đáp án chấp nhận, "
    "cách nhau bằng | và có thể ghi (50%). Số: giá trị ± sai số (27 ± 0,5). "
    "Tự luận: hướng dẫn chấm. Ghép đôi, sắp xếp: để trống.": "Single choice: a letter (B). "
    "Multiple choice: letters (A, C) or weights (A:50%, C:50%, B:-100%). True/false: Đúng or "
    "Sai. Short answer: the accepted answers separated by |, optionally with (50%). Numeric: "
    "value ± tolerance (27 ± 0,5). Essay: the marking guide. Matching, ordering: leave empty.",
    "Không bắt buộc, mặc định 1; số lớn hơn 0.": "Optional, 1 by default; a number above 0.",
    "Không bắt buộc. Nhận xét chung, hiện sau khi làm bài.": "Optional. General feedback, "
    "shown after the attempt.",
    "Không bắt buộc. Các thẻ cách nhau bằng dấu phẩy.": "Optional. Tags separated by commas.",
    "Không bắt buộc. Tên ngắn để tìm câu hỏi trong ngân hàng.": "Optional. A short name to "
    "find the question in the bank.",
    "Không bắt buộc. Danh mục con dưới danh mục chọn khi nhập, ví dụ “Nhóm 1/Phần A”.": "Optional. A subcategory below the one chosen when importing, e.g. “Group 1/Part A”.",
    "Trả lời ngắn: ghi x để chấp nhận câu trả lời gõ không dấu.": "Short answer: put x to "
    "accept answers typed without diacritics.",
}
