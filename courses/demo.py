"""Sample course for the demo, built only from the facts in the domain primer.

Idempotent: the course is found by its code; the assignment to the bloc is
made once. The demo learners are enrolled through their units, with due
dates 90 days after their appointment.
"""

from __future__ import annotations

from django.db import transaction

from accounts.models import Unit, User

from . import authoring, services
from .models import Assignment, Course, Enrollment

CODE = "MAU-XDD-01"
TITLE = "Bồi dưỡng nghiệp vụ công tác xây dựng Đảng cho cấp ủy viên mới"
SAMPLE = "> **Nội dung mẫu** — bài học minh họa, giảng viên thay bằng nội dung chính thức.\n\n"

DESCRIPTION = (
    "Nội dung mẫu. Khóa học theo chuyên đề dành cho cấp ủy viên cơ sở mới được bố trí: "
    "sinh hoạt chi bộ, tự phê bình và phê bình, Nghị quyết Trung ương 4 khóa XII, "
    "Chỉ thị 05-CT/TW và công tác kiểm tra, giám sát."
)

MODULES: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Sinh hoạt chi bộ định kỳ và sinh hoạt chuyên đề",
        [
            (
                "Vì sao phải nâng cao chất lượng sinh hoạt chi bộ",
                "Nhiệm kỳ 2020–2025, Đảng bộ Khối các cơ quan tỉnh (Đại hội lần thứ IX) chỉ ra "
                "những hạn chế trong sinh hoạt chi bộ ở cơ sở:\n\n"
                "- nội dung, thời lượng và chất lượng một số buổi sinh hoạt chi bộ chưa đạt yêu cầu;\n"
                "- sinh hoạt còn thiên về nội dung chuyên môn;\n"
                "- ít tổ chức sinh hoạt chuyên đề về Nghị quyết Trung ương 4 và Chỉ thị 05.\n\n"
                "Là cấp ủy viên mới, đồng chí cần nắm chắc quy trình **sinh hoạt chi bộ định kỳ** "
                "để buổi sinh hoạt đi vào thực chất.",
            ),
            (
                "Sinh hoạt chuyên đề",
                "Bên cạnh sinh hoạt định kỳ, chi bộ tổ chức **sinh hoạt chuyên đề** về những "
                "vấn đề cụ thể, trong đó có Nghị quyết Trung ương 4 khóa XII và Chỉ thị 05-CT/TW.\n\n"
                "Giải pháp được nêu: ban hành quy định, hướng dẫn và biểu mẫu thống nhất cho từng "
                "loại hình tổ chức cơ sở đảng; bám sát chi bộ, bám sát đảng viên.",
            ),
        ],
    ),
    (
        "Tự phê bình và phê bình",
        [
            (
                "Tự phê bình và phê bình không để hình thức",
                "Một hạn chế được chỉ ra là tự phê bình và phê bình **còn hình thức**.\n\n"
                "Nghị quyết Trung ương 4 khóa XII đặt công tác chính trị, tư tưởng, "
                "**tự phê bình và phê bình** là nhóm giải pháp đầu tiên trong bốn nhóm giải pháp.\n\n"
                "Người đứng đầu nêu gương là một giải pháp được nhấn mạnh.",
            ),
        ],
    ),
    (
        "Nghị quyết Trung ương 4 khóa XII",
        [
            (
                "Thông tin chung về Nghị quyết",
                "**Nghị quyết số 04-NQ/TW, ngày 30/10/2016** của Ban Chấp hành Trung ương khóa XII "
                "“về tăng cường xây dựng, chỉnh đốn Đảng; ngăn chặn, đẩy lùi sự suy thoái về tư "
                "tưởng chính trị, đạo đức, lối sống, những biểu hiện ‘tự diễn biến’, ‘tự chuyển "
                "hóa’ trong nội bộ”.",
            ),
            (
                "27 biểu hiện suy thoái",
                "Nghị quyết nêu **27 biểu hiện** suy thoái, chia thành ba nhóm, mỗi nhóm chín "
                "biểu hiện:\n\n"
                "1. suy thoái về tư tưởng chính trị;\n"
                "2. suy thoái về đạo đức, lối sống;\n"
                "3. biểu hiện “tự diễn biến”, “tự chuyển hóa”.",
            ),
            (
                "Bốn nhóm giải pháp",
                "Nghị quyết đề ra bốn nhóm giải pháp:\n\n"
                "1. công tác chính trị, tư tưởng, tự phê bình và phê bình;\n"
                "2. cơ chế, chính sách;\n"
                "3. kiểm tra, giám sát, kỷ luật đảng;\n"
                "4. phát huy vai trò của nhân dân, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội.",
            ),
        ],
    ),
    (
        "Chỉ thị 05-CT/TW",
        [
            (
                "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
                "**Chỉ thị 05-CT/TW** của Bộ Chính trị khóa XII, ngày **15/5/2016**, “về đẩy mạnh "
                "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”.\n\n"
                "Hạn chế được chỉ ra ở cơ sở: ít sinh hoạt chuyên đề về Chỉ thị 05. Cấp ủy viên "
                "mới cần đưa nội dung này vào kế hoạch sinh hoạt chuyên đề của chi bộ.",
            ),
        ],
    ),
    (
        "Kiểm tra, giám sát",
        [
            (
                "Kiểm tra, giám sát thường xuyên và đột xuất",
                "Trong nhiệm kỳ, số đảng viên bị kỷ luật tăng và còn có khiếu nại kéo dài.\n\n"
                "Giải pháp được nêu: tăng cường **kiểm tra, giám sát thường xuyên và đột xuất**. "
                "Kiểm tra, giám sát, kỷ luật đảng cũng là một trong bốn nhóm giải pháp của "
                "Nghị quyết Trung ương 4 khóa XII.",
            ),
        ],
    ),
]


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    bloc = Unit.objects.filter(code="DBK").first()
    if bloc is None:  # accounts.demo did not run: nothing to attach the course to
        return []
    actor = (
        User.objects.filter(username="admin").first()
        or User.objects.filter(is_superuser=True).first()
    )
    if actor is None:
        return []
    course = Course.objects.filter(code=CODE).first()
    if course is None:
        course = authoring.create_course(
            actor=actor,
            code=CODE,
            title=TITLE,
            description=DESCRIPTION,
            tags=["Nội dung mẫu", "Xây dựng Đảng", "Nghị quyết Trung ương 4", "Chỉ thị 05"],
            owner_unit=bloc,
            issuing_unit=bloc,
            sequential=True,
            validity_months=24,
        )
        for title, lessons in MODULES:
            module = authoring.add_module(actor=actor, course=course, title=title)
            for lesson_title, body in lessons:
                authoring.add_lesson(
                    actor=actor, module=module, title=lesson_title, body=SAMPLE + body
                )
        course = authoring.set_status(actor=actor, course=course, status=Course.Status.PUBLISHED)
    if not Assignment.objects.filter(course=course, unit=bloc).exists():
        services.assign_course(
            actor=actor,
            course=course,
            unit=bloc,
            deadline_kind=Assignment.DeadlineKind.RELATIVE,
            due_days=90,
        )
        # One learner already under way, so the dashboard shows progress.
        first = Enrollment.objects.filter(course=course, user__username="hocvien01").first()
        opening = course.modules.order_by("order").first()
        if first is not None and opening is not None:
            for lesson in opening.lessons.all():
                services.mark_lesson_done(user=first.user, lesson=lesson)
    return []
