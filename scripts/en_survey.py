"""English for the strings of the survey work (issue 19: evaluation surveys,
attendance sheet, attendance roll-up)."""

T = {
    # attendance roll-up in the unit report
    "Tham dự tập huấn": "Training attendance",
    "Tính theo lượt người – buổi, %(counter)s buổi tập huấn không bị hủy. Vắng: vắng không lý do, "
    "hoặc được mời mà không điểm danh ở buổi đã kết thúc.": (
        "Counted in person-sessions over %(counter)s session not cancelled. Absent: absent "
        "without excuse, or invited to a session that has ended without checking in.",
        "Counted in person-sessions over %(counter)s sessions not cancelled. Absent: absent "
        "without excuse, or invited to a session that has ended without checking in.",
    ),
    "Được mời, đăng ký và tham dự theo đơn vị trực thuộc": "Invited, registered and attending "
    "by subordinate unit",
    "Được mời": "Invited",
    "Buổi tập huấn và phiếu đánh giá": "Sessions and evaluations",
    "Tổng hợp tham dự tập huấn": "Training attendance summary",
    "Tham dự tập huấn: %(name)s": "Training attendance: %(name)s",
    "Được mời: %(i)s · Đăng ký: %(r)s · Có mặt: %(p)s · Vắng có lý do: %(e)s · Vắng: %(a)s (lượt)": "Invited: %(i)s · Registered: %(r)s · Present: %(p)s · Excused: %(e)s · Absent: "
    "%(a)s (person-sessions)",
    "Học viên được mời và tình trạng tham dự từng buổi": "Invited learners and their "
    "attendance at each session",
    "Không có học viên được mời trong đơn vị này.": "No learner of this unit is invited.",
    # attendance sheet
    "Danh sách tham dự": "Attendance sheet",
    "Danh sách tham dự (XLSX)": "Attendance sheet (XLSX)",
    "Danh sách tham dự (PDF)": "Attendance sheet (PDF)",
    "Danh sách học viên tham dự": "List of attending learners",
    "DANH SÁCH HỌC VIÊN THAM DỰ": "LIST OF ATTENDING LEARNERS",
    "Tổng số: %(n)s học viên": "Total: %(n)s learners",
    "có mặt: %(present)s; vắng: %(absent)s": "present: %(present)s; absent: %(absent)s",
    "Buổi tập huấn:": "Session:",
    "Khóa học:": "Course:",
    "Địa điểm:": "Venue:",
    "Ngày:": "Date:",
    "Thời gian:": "Time:",
    "Chức vụ": "Position",
    "Ký tên": "Signature",
    # course page of sessions and surveys
    "Tập huấn và phiếu đánh giá: %(title)s": "Sessions and evaluations: %(title)s",
    "Phiếu đánh giá không ghi tên. Kết quả của một nhóm chỉ hiện khi nhóm đó có từ %(minimum)s "
    "phiếu trở lên.": "Evaluations are anonymous. A group's results are shown only once it has "
    "%(minimum)s or more responses.",
    "Các buổi tập huấn": "Sessions",
    "Phiếu đánh giá": "Evaluation",
    "Số phiếu": "Responses",
    "Điểm trung bình (1–5)": "Average score (1–5)",
    "Chưa có": "None yet",
    "chưa đủ %(minimum)s phiếu": "fewer than %(minimum)s responses",
    "Khóa học chưa có buổi tập huấn.": "The course has no sessions yet.",
    "Cuối khóa học": "End of course",
    "Cuối khóa": "End of course",
    "Điểm đánh giá trung bình theo phiếu": "Average evaluation score per form",
    "Điểm đánh giá trung bình theo phiếu (thang 1–5); số liệu ở bảng phía trên.": "Average "
    "evaluation score per form (scale 1–5); the figures are in the table above.",
    "Tạo phiếu đánh giá": "Create an evaluation",
    "Tạo phiếu từ mẫu": "Create from the template",
    "Phiếu đánh giá cho": "Evaluation of",
    "Mẫu câu hỏi": "Questions from",
    "Bắt buộc điền để hoàn thành khóa học": "Required to complete the course",
    "Mẫu mặc định (5 câu thang điểm, 1 câu chọn, 1 câu ý kiến)": "Default template (5 rating "
    "questions, 1 single choice, 1 comment)",
    "Chép câu hỏi của: %(title)s": "Copy the questions of: %(title)s",
    "Đã tạo phiếu đánh giá. Hãy xem lại các câu hỏi.": "Evaluation created. Please review the "
    "questions.",
    # editing
    "Sửa phiếu đánh giá": "Edit evaluation",
    "Đã có %(counter)s người điền phiếu nên không thể sửa câu hỏi.": (
        "%(counter)s person has answered, so the questions can no longer be changed.",
        "%(counter)s people have answered, so the questions can no longer be changed.",
    ),
    "không bắt buộc": "optional",
    "Phiếu chưa có câu hỏi.": "The form has no questions yet.",
    "Phương án (mỗi dòng một phương án)": "Options (one per line)",
    "Chỉ dùng cho câu hỏi chọn một phương án.": "Only for single-choice questions.",
    "Bắt buộc trả lời": "Answer required",
    "Đã thêm câu hỏi.": "Question added.",
    "Đã lưu phiếu đánh giá.": "Evaluation saved.",
    "Đã xóa câu hỏi.": "Question deleted.",
    # filling
    "Phiếu đánh giá cần điền": "Evaluations to fill in",
    "Bắt buộc": "Required",
    "Đồng chí đã gửi phiếu đánh giá này. Xin cảm ơn!": "You have sent this evaluation. Thank you!",
    "Về trang chủ": "Back to the home page",
    "Phiếu không ghi tên: kết quả chỉ được xem dưới dạng tổng hợp, khi có từ 5 phiếu trở lên.": "The form is anonymous: results are only seen in aggregate, once there are 5 or more "
    "responses.",
    "Ý kiến của đồng chí": "Your comments",
    "Gửi phiếu đánh giá": "Send the evaluation",
    "Phiếu chưa gửi được: hãy xem lại các câu được đánh dấu.": "The form was not sent: please "
    "check the marked questions.",
    "Cảm ơn đồng chí đã gửi phiếu đánh giá.": "Thank you for sending the evaluation.",
    # results
    "Kết quả: %(title)s": "Results: %(title)s",
    "%(counter)s người đã điền phiếu.": (
        "%(counter)s person has answered.",
        "%(counter)s people have answered.",
    ),
    "Nhóm": "Group",
    "Tất cả phiếu": "All responses",
    "Phiếu không ghi tên. Chỉ hiện kết quả tổng hợp của nhóm có từ %(minimum)s phiếu trở lên; "
    "đơn vị có ít phiếu hơn không có trong danh sách nhóm.": "Responses are anonymous. Only the "
    "aggregate of a group with %(minimum)s or more responses is shown; units with fewer are not "
    "in the list of groups.",
    "Chưa đủ %(minimum)s phiếu trong nhóm này nên chưa hiển thị kết quả.": "This group has fewer "
    "than %(minimum)s responses, so no results are shown yet.",
    "%(group)s: %(counter)s phiếu.": (
        "%(group)s: %(counter)s response.",
        "%(group)s: %(counter)s responses.",
    ),
    "Tải về Excel (XLSX)": "Download Excel (XLSX)",
    "%(counter)s câu trả lời": ("%(counter)s answer", "%(counter)s answers"),
    "Số liệu của biểu đồ": "Figures of the chart",
    "Tỷ lệ (%%)": "Share (%%)",
    "Chưa có ý kiến.": "No comments yet.",
    "Chưa đủ %(n)s phiếu trong nhóm này nên chưa thể xuất kết quả.": "This group has fewer than "
    "%(n)s responses, so the results cannot be exported yet.",
    "%(title)s — %(group)s — %(n)s phiếu": "%(title)s — %(group)s — %(n)s responses",
    "Kết quả phiếu đánh giá": "Evaluation results",
    "Số trả lời": "Answers",
    "Ý kiến của học viên": "Learners' comments",
    "Ý kiến": "Comment",
    # API and services
    "Không tìm thấy buổi tập huấn.": "Session not found.",
    "Không tìm thấy phiếu mẫu.": "Source form not found.",
    "Phiếu đánh giá này không dành cho đồng chí hoặc đã đóng.": "This evaluation is not for you "
    "or is closed.",
    "Thiếu câu trả lời.": "The answers are missing.",
    "Điền phiếu đánh giá: %(title)s": "Fill in the evaluation: %(title)s",
    "Đã điền": "Filled in",
    "Chưa điền": "Not filled in",
    "Bạn không có quyền soạn phiếu đánh giá cho khóa học này.": "You may not write evaluations "
    "for this course.",
    "Buổi tập huấn không thuộc khóa học này.": "The session does not belong to this course.",
    "Buổi tập huấn này đã có phiếu đánh giá.": "This session already has an evaluation.",
    "Khóa học này đã có phiếu đánh giá cuối khóa.": "This course already has an end-of-course "
    "evaluation.",
    "Phiếu đánh giá buổi tập huấn “%(title)s”": "Evaluation of the session “%(title)s”",
    "Phiếu đánh giá cuối khóa “%(title)s”": "End-of-course evaluation “%(title)s”",
    "Bạn không có quyền dùng phiếu mẫu này.": "You may not use this form as a template.",
    "Đã có người điền phiếu nên không thể sửa câu hỏi. Hãy tạo phiếu mới nếu cần.": "Someone has "
    "already answered, so the questions cannot be changed. Create a new form if needed.",
    "Hãy nhập nội dung câu hỏi.": "Enter the question.",
    "Loại câu hỏi không hợp lệ.": "Invalid question type.",
    "Câu hỏi chọn một phương án cần ít nhất 2 phương án.": "A single-choice question needs at "
    "least 2 options.",
    "Hãy trả lời câu hỏi này.": "Please answer this question.",
    "Câu trả lời dài quá %(n)s ký tự.": "The answer is longer than %(n)s characters.",
    "Lựa chọn không hợp lệ.": "Invalid choice.",
    "Đồng chí đã điền phiếu đánh giá này rồi.": "You have already filled in this evaluation.",
    # models
    "Để trống: phiếu đánh giá cuối khóa học.": "Leave empty for an end-of-course evaluation.",
    "tên phiếu": "title",
    "lời dẫn": "introduction",
    "đang nhận phiếu": "accepting responses",
    "bắt buộc để hoàn thành khóa học": "required to complete the course",
    "Học viên phải điền phiếu này thì khóa học mới được tính là hoàn thành.": "Learners must fill "
    "in this form for the course to count as complete.",
    "phiếu đánh giá": "evaluation",
    "Thang điểm 1–5": "Rating 1–5",
    "Chọn một phương án": "Single choice",
    "Trả lời tự do": "Free text",
    "loại câu hỏi": "question type",
    "nội dung câu hỏi": "question",
    "phương án": "options",
    "bắt buộc trả lời": "answer required",
    "câu hỏi đánh giá": "evaluation question",
    "lượt điền phiếu": "evaluation submission",
    "phiếu trả lời": "evaluation response",
    # the default template
    "Nội dung chuyên đề thiết thực, sát với nhiệm vụ của đơn vị": "The topic was practical and "
    "relevant to the unit's tasks",
    "Báo cáo viên truyền đạt rõ ràng, dễ hiểu": "The speaker was clear and easy to follow",
    "Tài liệu tập huấn đầy đủ, hữu ích": "The materials were complete and useful",
    "Thời lượng và cách tổ chức hợp lý": "The length and organisation were appropriate",
    "Đồng chí có thể vận dụng nội dung vào công tác của chi bộ": "You can apply the content in "
    "your cell's work",
    "Đồng chí đánh giá chung về buổi tập huấn": "Your overall assessment of the session",
    "Rất tốt": "Very good",
    "Tốt": "Good",
    "Đạt yêu cầu": "Satisfactory",
    "Chưa đạt yêu cầu": "Unsatisfactory",
    "Đồng chí có đề xuất, kiến nghị gì để lần sau tổ chức tốt hơn?": "What would you suggest to "
    "make the next session better?",
    "Rất không đồng ý": "Strongly disagree",
    "Không đồng ý": "Disagree",
    "Phân vân": "Undecided",
    "Đồng ý": "Agree",
    "Rất đồng ý": "Strongly agree",
}
