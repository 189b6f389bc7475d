"""English for the strings of the training sessions work (issue 19: sessions,
registration, waiting list, calendar, attendance requirements)."""

T = {
    "chức vụ": "position",
    "Sửa điểm danh": "Attendance corrected",
    "Sửa buổi tập huấn": "Training session changed",
    "Hủy buổi tập huấn": "Cancel the training session",
    "Tập huấn": "Training",
    "Tập huấn và yêu cầu tham dự": "Training sessions and attendance requirements",
    "Tiếp theo: %(label)s": "Next: %(label)s",
    "Buổi tập huấn": "Training session",
    "Yêu cầu khác để hoàn thành": "Other requirements for completion",
    "Thực hiện": "Do it",
    "Đã hủy": "Cancelled",
    "Đã đăng ký": "Registered",
    "Danh sách chờ": "Waiting list",
    "Bạn sẽ được báo khi có chỗ.": "You will be told when a seat frees up.",
    "Đã báo không tham dự": "Declined",
    "Đăng ký tham dự": "Register",
    "Không tham dự được": "I cannot attend",
    "Lý do không tham dự": "Reason for not attending",
    "Gửi lý do": "Send the reason",
    "Đã dời lịch": "Postponed",
    "%(n)s/%(cap)s chỗ": "%(n)s/%(cap)s seats",
    "%(n)s đã đăng ký": "%(n)s registered",
    "%(n)s chờ": "%(n)s waiting",
    "Tập huấn sắp tới": "Upcoming training",
    "Tất cả buổi tập huấn": "All training sessions",
    "Lịch tập huấn của tôi": "My training calendar",
    "Thêm địa chỉ này vào ứng dụng lịch (Google Calendar, Lịch trên iPhone, Outlook: "
    "“Thêm lịch từ URL”). Các buổi bạn đăng ký sẽ tự hiện và tự cập nhật khi dời hoặc hủy.": (
        "Add this address to your calendar app (Google Calendar, iPhone Calendar, Outlook: "
        "“Add calendar from URL”). The sessions you register for appear by themselves and "
        "update when postponed or cancelled."
    ),
    "Địa chỉ lịch cá nhân": "Personal calendar address",
    "Địa chỉ này là riêng của bạn: ai có nó đều xem được lịch tập huấn của bạn. "
    "Nếu lỡ chia sẻ, hãy tạo địa chỉ mới.": (
        "This address is yours alone: anyone who has it can see your training calendar. "
        "If you shared it by mistake, make a new one."
    ),
    "Tạo địa chỉ mới": "Make a new address",
    "Học viên đã đăng ký và đang chờ sẽ được báo kèm lý do. Việc hủy được ghi vào nhật ký.": (
        "Registered and waiting learners will be told, with the reason. "
        "The cancellation is recorded in the log."
    ),
    "Địa điểm": "Venue",
    "Số chỗ": "Seats",
    "không giới hạn": "no limit",
    "Đơn vị được mời": "Invited units",
    "Chuyên đề": "Topic",
    "Tham dự": "Attendance",
    "Thêm vào lịch (.ics)": "Add to calendar (.ics)",
    "Tài liệu": "Materials",
    "Chưa có tài liệu.": "No materials yet.",
    "Thêm tài liệu": "Add material",
    "Tải .ics": "Download .ics",
    "Sửa / dời lịch": "Edit / postpone",
    "%(counter)s học viên được mời": (
        "%(counter)s learner invited",
        "%(counter)s learners invited",
    ),
    "Chưa có ai trả lời.": "Nobody has answered yet.",
    "Lên lịch buổi tập huấn": "Schedule a training session",
    "Đổi giờ bắt đầu hoặc kết thúc là dời lịch: học viên đã đăng ký sẽ được báo.": (
        "Changing the start or end time postpones the session: registered learners are told."
    ),
    "Đưa lịch vào điện thoại": "Put the calendar on my phone",
    "Sắp diễn ra": "Upcoming",
    "Chưa có buổi tập huấn nào sắp diễn ra.": "No upcoming training sessions.",
    "Đã diễn ra": "Past",
    "Đăng ký": "Registrations",
    "Yêu cầu tham dự tập huấn": "Training attendance requirements",
    "Học viên chỉ hoàn thành khóa học và được cấp giấy chứng nhận khi đạt mọi yêu cầu dưới "
    "đây, cùng với các bài học và bài kiểm tra.": (
        "Learners complete the course and receive the certificate only when they meet every "
        "requirement below, as well as the lessons and quizzes."
    ),
    "Chưa có yêu cầu tham dự.": "No attendance requirements yet.",
    "Thêm yêu cầu": "Add a requirement",
    "Các buổi tập huấn của khóa học": "The course's training sessions",
    "Chưa có buổi nào.": "No sessions yet.",
    "Học phần (không bắt buộc)": "Module (optional)",
    "Tên buổi tập huấn": "Session title",
    "Kết thúc": "Ends",
    "Để trống nếu không giới hạn.": "Leave empty for no limit.",
    "Mở điểm danh trước giờ bắt đầu (phút)": "Open check-in before the start (minutes)",
    "Mời một đơn vị là mời mọi học viên thuộc đơn vị đó và các đơn vị trực thuộc.": (
        "Inviting a unit invites every learner in it and in the units under it."
    ),
    "Giờ kết thúc phải sau giờ bắt đầu.": "The end time must be after the start time.",
    "Học phần không thuộc khóa học này.": "The module does not belong to this course.",
    "Hãy nhập lý do không tham dự.": "Please give the reason for not attending.",
    "Lý do hủy": "Reason for cancelling",
    "Hãy nhập lý do hủy.": "Please give the reason for cancelling.",
    "Tên tài liệu": "Material title",
    "Tệp": "File",
    "hoặc liên kết": "or link",
    "Hãy chọn một tệp hoặc nhập một liên kết.": "Choose a file or enter a link.",
    "Chỉ chọn tệp hoặc liên kết, không cả hai.": "Choose a file or a link, not both.",
    "Tệp quá lớn (tối đa 20 MB).": "The file is too large (20 MB at most).",
    "Loại yêu cầu": "Kind of requirement",
    "Mức tối thiểu": "Minimum",
    "Chỉ tính buổi của học phần": "Count only the sessions of module",
    "Tỷ lệ tối đa là 100%.": "The percentage is at most 100%.",
    "Buổi tập huấn đã đủ chỗ: bạn ở danh sách chờ.": (
        "The session is full: you are on the waiting list."
    ),
    "Buổi tập huấn đã hủy, không sửa được.": "The session was cancelled and cannot be edited.",
    "Đã lên lịch buổi tập huấn.": "Training session scheduled.",
    "Đã dời lịch và báo cho học viên đã đăng ký.": (
        "Postponed; registered learners have been told."
    ),
    "Đã lưu buổi tập huấn.": "Training session saved.",
    "Đã hủy buổi tập huấn và báo cho học viên.": "Session cancelled; learners have been told.",
    "Đã thêm tài liệu.": "Material added.",
    "Đã xóa tài liệu.": "Material deleted.",
    "Đã tạo địa chỉ lịch mới; địa chỉ cũ không còn dùng được.": (
        "New calendar address made; the old one no longer works."
    ),
    "Đã bỏ yêu cầu tham dự.": "Attendance requirement removed.",
    "Đã thêm yêu cầu tham dự.": "Attendance requirement added.",
    "Buổi tập huấn nằm ngoài phạm vi quản lý của bạn.": (
        "This training session is outside your scope."
    ),
    "Buổi tập huấn đã có người đăng ký hoặc điểm danh: hãy hủy thay vì xóa.": (
        "People have registered for or attended this session: cancel it instead of deleting it."
    ),
    "Đã tham dự %(done)s/%(need)s buổi": (
        "Attended %(done)s/%(need)s session",
        "Attended %(done)s/%(need)s sessions",
    ),
    "Đã tham dự %(have)s/%(total)s giờ (%(percent)s%%)": (
        "Attended %(have)s/%(total)s hours (%(percent)s%%)"
    ),
    "Đã lên lịch": "Scheduled",
    "Đã hoãn": "Postponed",
    "tên buổi tập huấn": "session title",
    "chuyên đề": "topic",
    "báo cáo viên": "speakers",
    "địa điểm": "venue",
    "bắt đầu": "starts",
    "kết thúc": "ends",
    "số chỗ": "capacity",
    "đơn vị được mời": "invited units",
    "mở điểm danh trước (phút)": "check-in opens before (minutes)",
    "buổi tập huấn": "training session",
    "tên tài liệu": "material title",
    "tệp": "file",
    "liên kết": "link",
    "tài liệu buổi tập huấn": "session material",
    "Từ chối": "Declined",
    "lý do": "reason",
    "đăng ký tham dự": "registration",
    "Có mặt": "Present",
    "Đến muộn": "Late",
    "Vắng có lý do": "Absent with excuse",
    "Vắng": "Absent",
    "Quét mã QR": "QR scan",
    "Mã cá nhân": "Personal code",
    "Điểm danh thủ công": "Manual roll-call",
    "cách điểm danh": "check-in method",
    "giờ điểm danh": "check-in time",
    "ghi chú": "note",
    "điểm danh": "attendance",
    "Số buổi tham dự tối thiểu": "Minimum number of sessions attended",
    "Tỷ lệ giờ tham dự tối thiểu (%)": "Minimum share of scheduled hours attended (%)",
    "Để trống: tính mọi buổi tập huấn của khóa học.": (
        "Leave empty to count every session of the course."
    ),
    "loại yêu cầu": "kind of requirement",
    "mức tối thiểu": "minimum",
    "yêu cầu tham dự": "attendance requirement",
    "lịch cá nhân": "personal calendar",
    "Không đổi được khóa học của buổi tập huấn.": "A session's course cannot be changed.",
    "Hãy chọn ít nhất một đơn vị được mời.": "Choose at least one invited unit.",
    "Bạn không có quyền lên lịch tập huấn cho khóa học này.": (
        "You may not schedule training sessions for this course."
    ),
    "Buổi tập huấn “%(title)s” được dời sang %(when)s tại %(venue)s.": (
        "The training session “%(title)s” has been moved to %(when)s at %(venue)s."
    ),
    "Dời lịch buổi tập huấn": "Training session postponed",
    "Buổi tập huấn “%(title)s” (%(when)s) đã bị hủy.": (
        "The training session “%(title)s” (%(when)s) has been cancelled."
    ),
    "Bạn không thuộc đơn vị được mời dự buổi tập huấn này.": (
        "You are not in a unit invited to this training session."
    ),
    "Buổi tập huấn đã bị hủy.": "The training session has been cancelled.",
    "Buổi tập huấn đã kết thúc.": "The training session is over.",
    "Bạn đã đăng ký tham dự buổi tập huấn “%(title)s”, %(when)s tại %(venue)s.": (
        "You are registered for the training session “%(title)s”, %(when)s at %(venue)s."
    ),
    "Xác nhận đăng ký tập huấn": "Training registration confirmed",
    "Buổi tập huấn “%(title)s” (%(when)s) đã đủ chỗ: bạn đang ở danh sách chờ và sẽ được "
    "báo khi có chỗ.": (
        "The training session “%(title)s” (%(when)s) is full: you are on the waiting list "
        "and will be told when a seat frees up."
    ),
    "Danh sách chờ buổi tập huấn": "Training session waiting list",
    "Đã có chỗ: bạn được chuyển từ danh sách chờ sang danh sách tham dự buổi tập huấn "
    "“%(title)s”, %(when)s tại %(venue)s.": (
        "A seat freed up: you moved from the waiting list to the participants of the "
        "training session “%(title)s”, %(when)s at %(venue)s."
    ),
    "Bạn đã có chỗ tham dự tập huấn": "You have a seat at the training session",
    "Nhắc lịch: buổi tập huấn “%(title)s” bắt đầu lúc %(when)s tại %(venue)s.": (
        "Reminder: the training session “%(title)s” starts at %(when)s at %(venue)s."
    ),
    "Nhắc lịch tập huấn ngày mai": "Reminder: training tomorrow",
    "Hãy nhập tên tài liệu.": "Please enter the material's title.",
    "Mức tối thiểu không hợp lệ.": "The minimum is not valid.",
    "Liên kết phải bắt đầu bằng http:// hoặc https://.": (
        "The link must start with http:// or https://."
    ),
    "của học phần “%(module)s”": "of module “%(module)s”",
    "của khóa học": "of the course",
    "Tham dự ít nhất %(n)s buổi tập huấn %(where)s": "Attend at least %(n)s training sessions %(where)s",
    "Tham dự ít nhất %(n)s%% số giờ tập huấn %(where)s": (
        "Attend at least %(n)s%% of the training hours %(where)s"
    ),
}
