"""English for the strings of the quiz builder work (issue 18: builder, minutes, preview)."""

T = {
    # durations in minutes
    "%(m)s phút": "%(m)s min",
    "%(h)s giờ": "%(h)s h",
    "%(h)s giờ %(m)s phút": "%(h)s h %(m)s min",
    "Thời gian làm bài: %(n)s": "Time limit: %(n)s",
    "ân hạn %(g)s": "grace period %(g)s",
    "Thời gian làm bài: %(n)s, tính từ lúc bắt đầu.": "Time limit: %(n)s, counted from the start.",
    "Hết giờ, bạn còn %(g)s chỉ để nộp bài.": "When time is up you have %(g)s to submit only.",
    "Hết giờ, bài được nộp tự động.": "When time is up, the quiz is submitted automatically.",
    "Thời gian làm bài (phút)": "Time limit (minutes)",
    "Để trống: không giới hạn. Ví dụ 90 là 1 giờ 30 phút.": "Leave empty for no limit. "
    "For example 90 is 1 h 30 min.",
    "Thời gian ân hạn để nộp bài (phút)": "Grace period to submit (minutes)",
    "Chỉ dùng khi hết giờ cho thêm thời gian để nộp bài.": "Used only when time running out "
    "allows extra time to submit.",
    "thời gian làm bài": "time limit",
    "Tính bằng giây. Để trống: không giới hạn.": "In seconds. Leave empty for no limit.",
    "thời gian ân hạn": "grace period",
    "Tính bằng giây.": "In seconds.",
    "thêm thời gian": "extra time",
    # preview attempts
    "Lượt xem thử": "Preview attempt",
    "xem thử": "preview",
    "Không tính vào điểm, thống kê hay báo cáo.": "Not counted in grades, statistics or reports.",
    "Về trang soạn bài kiểm tra": "Back to the quiz builder",
    "Bạn đang có một lượt xem thử đang mở: hãy nộp bài lượt đó trước.": "You have a preview "
    "attempt open: submit it first.",
    "Bạn đang có một lượt làm bài đang mở: hãy nộp bài lượt đó trước.": "You have an attempt "
    "open: submit it first.",
    # the builder: slots and summary
    "Câu hỏi của bài": "Questions in this quiz",
    "%(q)s câu · tổng %(p)s điểm · %(g)s trang": "%(q)s questions · %(p)s points in all · "
    "%(g)s pages",
    "ước tính khoảng %(t)s": "about %(t)s (estimate)",
    "thời gian làm bài %(t)s": "time limit %(t)s",
    "điểm tối đa %(m)s": "maximum grade %(m)s",
    "Có mục rút ngẫu nhiên nhiều câu hơn số câu trong kho: học viên sẽ nhận ít câu hơn.": "A "
    "random slot asks for more questions than its pool holds: learners will get fewer.",
    "Trang %(n)s": "Page %(n)s",
    "Kéo để đổi chỗ": "Drag to move",
    "Mục %(n)s": "Slot %(n)s",
    "kho có %(n)s câu": "pool of %(n)s questions",
    "%(p)s điểm/câu": "%(p)s points/question",
    "Điểm mỗi câu": "Points per question",
    "điểm mỗi câu": "points per question",
    "Sang trang mới sau mục này": "New page after this slot",
    "sang trang mới sau mục này": "new page after this slot",
    "Lưu mục %(n)s": "Save slot %(n)s",
    "Đưa mục %(n)s lên": "Move slot %(n)s up",
    "Đưa mục %(n)s xuống": "Move slot %(n)s down",
    "Bỏ mục %(n)s": "Remove slot %(n)s",
    "Kéo thả các mục để đổi thứ tự, hoặc dùng nút Lên/Xuống.": "Drag slots by their handle to "
    "reorder them, or use the Up/Down buttons.",
    "Chưa có câu hỏi nào. Chọn câu từ ngân hàng bên dưới.": "No questions yet. Pick some from "
    "the bank below.",
    "Điểm tối đa của bài": "Maximum grade",
    "điểm tối đa của bài": "maximum grade",
    "Thang điểm báo cho học viên, ví dụ 10 hoặc 100.": "The scale grades are given on, for "
    "example 10 or 100.",
    "Lưu điểm tối đa": "Save maximum grade",
    "quy ra thang điểm %(m)s: %(g)s": "on a scale of %(m)s: %(g)s",
    "Đã lưu điểm tối đa.": "Maximum grade saved.",
    "Đã đổi thứ tự.": "Order changed.",
    "Đã lưu.": "Saved.",
    "Thứ tự mới phải gồm đúng các mục của bài kiểm tra.": "The new order must hold exactly the "
    "quiz's slots.",
    # random slots
    "Thêm câu rút ngẫu nhiên": "Add random questions",
    "Rút từ danh mục": "Draw from category",
    "Gồm cả danh mục con": "Include subcategories",
    "Chọn danh mục để biết kho có bao nhiêu câu.": "Pick a category to see how many questions "
    "its pool holds.",
    "Kho chỉ có %(n)s câu phù hợp, ít hơn %(c)s câu muốn rút.": "The pool holds only %(n)s "
    "matching questions, fewer than the %(c)s to draw.",
    "Kho có %(n)s câu phù hợp.": (
        "The pool holds %(n)s matching question.",
        "The pool holds %(n)s matching questions.",
    ),
    "Đã thêm câu rút ngẫu nhiên.": "Random questions added.",
    "Số câu rút phải từ 1 trở lên.": "Draw at least 1 question.",
    "Kho chỉ có %(n)s câu phù hợp, không rút được %(count)s câu.": "The pool holds only %(n)s "
    "matching questions, so %(count)s cannot be drawn.",
    "Danh mục nằm ngoài phạm vi của bạn.": "That category is outside your scope.",
    # the bank panel
    "Chọn câu hỏi từ ngân hàng": "Pick questions from the bank",
    "Tìm trong nội dung": "Search the text",
    "Không cần gõ dấu: “sinh hoat” tìm được “sinh hoạt”.": "Accents are optional: “sinh hoat” "
    "also finds the accented spelling.",
    "Mọi loại": "All types",
    "Chỉ câu chưa có trong bài": "Only questions not yet in this quiz",
    "%(n)s câu phù hợp": ("%(n)s matching question", "%(n)s matching questions"),
    "Đã có trong bài": "Already in this quiz",
    "Xem trước câu #%(n)s như học viên thấy": "Preview question #%(n)s as a learner sees it",
    "Thêm các câu đã chọn": "Add the ticked questions",
    "Trang kết quả": "Result pages",
    "Trang %(n)s/%(m)s": "Page %(n)s/%(m)s",
    "Không có câu hỏi nào phù hợp. Thử bỏ bớt điều kiện lọc.": "No question matches. Try "
    "fewer filters.",
    "Đã thêm %(n)s câu hỏi vào bài kiểm tra.": (
        "%(n)s question added to the quiz.",
        "%(n)s questions added to the quiz.",
    ),
    "Bạn không được sửa bài kiểm tra này.": "You may not edit this quiz.",
    "Không tìm thấy câu hỏi %(ids)s trong phạm vi của bạn.": "Questions %(ids)s were not found "
    "in your scope.",
    "Hãy chọn ít nhất một câu hỏi.": "Tick at least one question.",
    "Mục không thuộc bài kiểm tra này.": "That slot is not part of this quiz.",
    "Điểm mỗi câu phải lớn hơn 0 và không quá 1000.": "Points per question must be above 0 and "
    "at most 1000.",
    "Điểm tối đa phải lớn hơn 0 và không quá 10000.": "The maximum grade must be above 0 and at "
    "most 10000.",
}
