"""English for the strings of attendance by QR (issue 19: check-in screen, scanner, roll-call)."""

T = {
    # profile and the personal card
    "Hồ sơ cá nhân": "Profile",
    "Chức vụ": "Position",
    "Mã điểm danh cá nhân": "Personal check-in code",
    "Mã QR điểm danh cá nhân": "Personal check-in QR code",
    "Không có điện thoại thông minh? Đưa mã này cho báo cáo viên quét khi đến buổi tập huấn. "
    "Giữ mã cho riêng mình: ai có mã đều điểm danh được thay bạn.": "No smartphone? Show this "
    "code to the trainer to scan when you arrive at the session. Keep it to yourself: anyone "
    "holding it can check in for you.",
    "In thẻ điểm danh": "Print the check-in card",
    # roll-call
    "Danh sách điểm danh": "Attendance list",
    "Về danh sách điểm danh": "Back to the attendance list",
    "Mời": "Invited",
    "Chưa điểm danh": "Not checked in yet",
    "Màn hình mã QR": "QR code screen",
    "Quét mã cá nhân": "Scan personal codes",
    "Buổi tập huấn đã kết thúc: mỗi lần sửa cần ghi lý do và được lưu vào nhật ký.": "The session "
    "is over: every change needs a reason and is kept in the audit log.",
    "Điểm danh": "Check-in",
    "Giờ": "Time",
    "Ghi chú": "Note",
    "Chưa có đơn vị nào được mời.": "No unit has been invited yet.",
    "Lịch sử sửa điểm danh": "Attendance changes",
    "Ghi chú (ví dụ lý do vắng)": "Note (for example the reason for an absence)",
    "Lý do sửa": "Reason for the change",
    "bắt buộc": "required",
    # the page a learner's camera opens
    "Chưa điểm danh được": "Not checked in",
    "Không tìm thấy buổi tập huấn này.": "This training session was not found.",
    "Đã điểm danh: đến muộn": "Checked in: late",
    "Đã điểm danh: có mặt": "Checked in: present",
    "Ghi nhận lúc %(time)s ngày %(day)s.": "Recorded at %(time)s on %(day)s.",
    "Bạn đã điểm danh trước đó, lúc %(time)s. Không cần quét lại.": "You already checked in, "
    "at %(time)s. No need to scan again.",
    "Về trang chính": "Back to the home page",
    # the trainer's scanner
    "Quét mã cá nhân của học viên": "Scan learners' personal codes",
    "Đã lưu trên máy, sẽ gửi khi có mạng.": "Saved on this device, will be sent when online.",
    "Đang gửi…": "Sending…",
    "Mất kết nối: các lượt quét được lưu trên máy và tự gửi khi có mạng trở lại.": "Offline: "
    "scans are kept on this device and sent automatically when the network returns.",
    "Đã kết nối.": "Online.",
    "Chờ gửi:": "Waiting to send:",
    "Không mở được camera. Hãy cho phép trình duyệt dùng camera, hoặc nhập mã cá nhân bên dưới.": "The camera could not be opened. Allow the browser to use the camera, or type the "
    "personal code below.",
    "Mã này vừa được quét.": "This code was just scanned.",
    "Máy chủ chưa nhận được, sẽ thử lại.": "Not received by the server yet; will try again.",
    "Bật camera": "Turn the camera on",
    "Tắt camera": "Turn the camera off",
    "Hoặc nhập mã cá nhân": "Or type a personal code",
    "Mã in dưới mã QR trên thẻ của học viên, ví dụ 42-ABCD-EFGH-JKLM.": "The code printed under "
    "the QR code on the learner's card, for example 42-ABCD-EFGH-JKLM.",
    "Lượt quét": "Scans",
    # the projector screen
    "Màn hình điểm danh": "Check-in screen",
    "Mở camera điện thoại và quét mã để điểm danh": "Open your phone's camera and scan the code "
    "to check in",
    "Mã QR điểm danh (đổi sau mỗi 30 giây)": "Check-in QR code (changes every 30 seconds)",
    'Mã đổi sau <span data-countdown="%(seconds)s">%(seconds)s</span> giây': "The code changes "
    'in <span data-countdown="%(seconds)s">%(seconds)s</span> seconds',
    "Điểm danh mở lúc %(time)s.": "Check-in opens at %(time)s.",
    "Buổi tập huấn đã kết thúc, điểm danh đã đóng.": "The session is over; check-in is closed.",
    "Đã điểm danh: <strong>%(counter)s</strong> người": (
        "Checked in: <strong>%(counter)s</strong> person",
        "Checked in: <strong>%(counter)s</strong> people",
    ),
    "Toàn màn hình": "Full screen",
    # refusals and results (training/checkin.py)
    "Chỉ báo cáo viên phụ trách buổi tập huấn được điểm danh bằng mã cá nhân.": "Only the "
    "session's trainers can check people in with a personal code.",
    "Mã cá nhân không thuộc học viên nào đang hoạt động.": "This personal code belongs to no "
    "active learner.",
    "Đường dẫn điểm danh thiếu mã QR. Hãy quét mã đang chiếu trên màn hình của buổi tập huấn.": "The check-in link has no QR code in it. Scan the code shown on the session's screen.",
    "Mã QR không hợp lệ. Hãy quét mã đang chiếu trên màn hình của buổi tập huấn.": "This QR code "
    "is not valid. Scan the code shown on the session's screen.",
    "Mã QR này là của một buổi tập huấn khác. Hãy quét mã đang chiếu tại buổi bạn dự.": "This QR "
    "code belongs to another training session. Scan the code shown at the session you attend.",
    "Mã QR đã hết hạn (mã đổi sau mỗi 30 giây). Hãy quét lại mã đang chiếu trên màn hình.": "This QR code has expired (the code changes every 30 seconds). Scan the code on the "
    "screen again.",
    "Mã cá nhân không hợp lệ. Kiểm tra lại từng ký tự.": "This personal code is not valid. "
    "Check each character.",
    "Buổi tập huấn này đã bị hủy.": "This training session was cancelled.",
    "Chưa đến giờ điểm danh: điểm danh mở lúc %(time)s ngày %(day)s.": "Check-in is not open "
    "yet: it opens at %(time)s on %(day)s.",
    "Buổi tập huấn đã kết thúc nên điểm danh đã đóng. "
    "Nếu bạn có mặt, hãy báo báo cáo viên để được ghi nhận.": "The session is over, so check-in "
    "is closed. If you attended, tell the trainer so they can record it.",
    "Học viên này không thuộc đơn vị được mời dự buổi tập huấn này.": "This learner is not in a "
    "unit invited to this training session.",
    "%(name)s đã điểm danh trước đó (%(status)s).": "%(name)s had already checked in (%(status)s).",
    "Đã ghi nhận %(name)s đến muộn lúc %(time)s.": "Recorded %(name)s as late at %(time)s.",
    "Đã ghi nhận %(name)s có mặt lúc %(time)s.": "Recorded %(name)s as present at %(time)s.",
    "Chọn một trạng thái điểm danh.": "Choose an attendance status.",
    "Buổi tập huấn đã kết thúc: hãy ghi lý do sửa điểm danh.": "The session is over: give a "
    "reason for changing the attendance.",
    "Tối đa 1000 ký tự.": "At most 1,000 characters.",
    "Gửi đúng một trong hai: mã QR của buổi (token) hoặc mã cá nhân (code).": "Send exactly "
    "one of the two: the session's QR code (token) or a personal code (code).",
}
