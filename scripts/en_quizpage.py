"""English for the quiz page: offline page turns, submit confirmation, reconnect (issues 17.6, 21.1)."""

T = {
    "Đang mất kết nối nên chưa thể rời trang này. Bạn vẫn làm bài tiếp được; câu trả lời sẽ được gửi khi có mạng.": "You are offline, so this page cannot be left yet. You can keep answering; your answers will be sent when the connection returns.",
    "Còn câu trả lời chưa gửi được lên máy chủ nên chưa thể nộp bài. Hãy thử lại khi có mạng.": "Some answers have not reached the server yet, so the quiz cannot be submitted. Please try again when you are online.",
    "Trang %(n)s/%(total)s": "Page %(n)s of %(total)s",
    "Nộp bài?": "Submit your answers?",
    "%(n)s câu đã đánh dấu": (
        "%(n)s question is flagged for review",
        "%(n)s questions are flagged for review",
    ),
    "Còn %(n)s câu chưa trả lời và %(flagged)s. Bạn chắc chắn muốn nộp bài?": (
        "%(n)s question is still unanswered and %(flagged)s. Are you sure you want to submit?",
        "%(n)s questions are still unanswered and %(flagged)s. Are you sure you want to submit?",
    ),
    "Còn %(n)s câu chưa trả lời. Bạn chắc chắn muốn nộp bài?": (
        "%(n)s question is still unanswered. Are you sure you want to submit?",
        "%(n)s questions are still unanswered. Are you sure you want to submit?",
    ),
    "Bạn đã trả lời tất cả các câu; %(n)s câu đang được đánh dấu để xem lại. Bạn chắc chắn muốn nộp bài?": (
        "You have answered every question; %(n)s is flagged for review. Are you sure you want to submit?",
        "You have answered every question; %(n)s are flagged for review. Are you sure you want to submit?",
    ),
    "Bạn đã trả lời tất cả các câu. Bạn chắc chắn muốn nộp bài?": "You have answered every question. Are you sure you want to submit?",
    "Sau khi nộp, bạn không thể sửa câu trả lời nữa.": "Once submitted, your answers can no longer be changed.",
    "Quay lại": "Back",
    "Số trang không hợp lệ.": "Invalid page number.",
}
