"""Sample question bank and quizzes for the demo (runs after courses.demo).

Every question uses only the facts in the domain primer and is labelled
"Nội dung mẫu". The bank is written in GIFT and goes through the real
importer. Idempotent: the bank is found by its category, quizzes by title.
"""

from __future__ import annotations

import io
from decimal import Decimal

from django.db import transaction

from accounts.models import Unit, User

from .imports import run_import
from .models import Question, QuestionCategory, Quiz, QuizItem, ReviewWhen
from .services import create_question

ROOT = "Nội dung mẫu"
FINAL_TITLE = "Nội dung mẫu — Bài kiểm tra cuối khóa"

# One GIFT category per module of the sample course, in course order.
BANK = """
$CATEGORY: Sinh hoạt chi bộ

::Hạn chế sinh hoạt chi bộ::Hạn chế nào được Đảng bộ Khối nêu về sinh hoạt chi bộ ở cơ sở? {
=Nội dung, thời lượng và chất lượng một số buổi sinh hoạt chưa đạt yêu cầu#Đúng.
~Chi bộ tổ chức quá nhiều buổi sinh hoạt chuyên đề#Ngược lại: sinh hoạt chuyên đề còn ít.
~Chi bộ không còn sinh hoạt định kỳ
~Đảng viên không được phát biểu
####Nội dung mẫu.}

::Thiên về chuyên môn::Một số buổi sinh hoạt chi bộ còn thiên về nội dung chuyên môn. {TRUE#Đây là hạn chế được nêu.#Đúng.}

::Hai loại hình sinh hoạt::Những loại hình sinh hoạt chi bộ nào được khóa học đề cập? {
~%50%Sinh hoạt chi bộ định kỳ
~%50%Sinh hoạt chuyên đề
~%-100%Sinh hoạt ngoại khóa
}

::Phương châm::Phương châm làm việc được nêu là "sát chi bộ, sát ..." {=đảng viên}.

::Chuyên đề NQ4 và CT05::Bài báo ghi nhận đã có nhiều buổi sinh hoạt chuyên đề về Nghị quyết Trung ương 4 và Chỉ thị 05. {FALSE#Chưa đúng: sinh hoạt chuyên đề về hai văn bản này còn ít.#Đúng: còn ít.}

::Giải pháp thống nhất::Giải pháp nào giúp sinh hoạt ở các loại hình tổ chức cơ sở đảng được thống nhất? {
=Ban hành quy định, hướng dẫn và biểu mẫu thống nhất cho từng loại hình
~Để mỗi chi bộ tự quyết định toàn bộ cách làm
~Giảm số buổi sinh hoạt
}

::Ghép loại hình::Ghép loại hình sinh hoạt với mô tả. {
=Sinh hoạt chi bộ định kỳ -> Buổi sinh hoạt thường lệ của chi bộ
=Sinh hoạt chuyên đề -> Buổi sinh hoạt về một vấn đề cụ thể, như Nghị quyết 4 hoặc Chỉ thị 05
}

::Đại hội::Đại hội Đảng bộ Khối các cơ quan tỉnh nhiệm kỳ 2020–2025 là Đại hội lần thứ mấy? {
=Lần thứ IX
~Lần thứ VIII
~Lần thứ X
}

::Đối tượng tập huấn::Tập huấn nghiệp vụ theo chuyên đề được ưu tiên cho ai? {
=Cấp ủy cơ sở, nhất là nơi vừa bố trí nhân sự mới
~Chỉ đảng viên lâu năm
~Chỉ cán bộ cấp tỉnh
}

::Nhiệm kỳ::Nhiệm kỳ của Đại hội lần thứ IX Đảng bộ Khối kết thúc năm nào? {#2025}

$CATEGORY: Tự phê bình và phê bình

::Hình thức::Tự phê bình và phê bình còn hình thức là một hạn chế được chỉ ra. {TRUE}

::Nhóm giải pháp thứ nhất::Trong Nghị quyết Trung ương 4 khóa XII, công tác chính trị, tư tưởng, tự phê bình và phê bình thuộc nhóm giải pháp nào? {
=Nhóm giải pháp thứ nhất
~Nhóm giải pháp thứ hai
~Nhóm giải pháp thứ tư
}

::Số nhóm giải pháp::Nghị quyết Trung ương 4 khóa XII đề ra bao nhiêu nhóm giải pháp? {#4}

::Người đứng đầu::Giải pháp nào được nhấn mạnh đối với người đứng đầu? {
=Nêu gương
~Tránh phát biểu trong sinh hoạt
~Giao toàn bộ việc cho cấp phó
}

::Bốn nhóm giải pháp::Những nhóm giải pháp nào thuộc Nghị quyết Trung ương 4 khóa XII? {
~%25%Công tác chính trị, tư tưởng, tự phê bình và phê bình
~%25%Cơ chế, chính sách
~%25%Kiểm tra, giám sát, kỷ luật đảng
~%25%Phát huy vai trò của nhân dân, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội
~%-100%Tăng biên chế cho cơ quan đảng
}

::Kỷ luật tăng::Trong nhiệm kỳ, số đảng viên bị kỷ luật tăng so với trước. {TRUE}

::Khiếu nại::Hạn chế nào sau đây được nêu cùng với sinh hoạt chi bộ hình thức? {
=Khiếu nại kéo dài
~Thiếu trụ sở làm việc
~Thiếu kinh phí tổ chức hội nghị
}

::Nêu gương::Người đứng đầu cần ... để tự phê bình và phê bình đi vào thực chất. {=nêu gương =làm gương}

$CATEGORY: Nghị quyết Trung ương 4

::Ngày ban hành NQ4::Nghị quyết Trung ương 4 khóa XII được ban hành ngày nào? {
=30/10/2016#Chính xác.
~15/5/2016#Đó là ngày của Chỉ thị 05-CT/TW.
~30/10/2015
}

::Số biểu hiện::Nghị quyết nêu bao nhiêu biểu hiện suy thoái? {#27####Ba nhóm, mỗi nhóm chín biểu hiện.}

::Số hiệu::Số hiệu của Nghị quyết Trung ương 4 khóa XII là gì? {
=04-NQ/TW
~05-CT/TW
~04-CT/TW
}

::Ba nhóm biểu hiện::Những nhóm biểu hiện nào được Nghị quyết nêu? {
~%33.33333%Suy thoái về tư tưởng chính trị
~%33.33333%Suy thoái về đạo đức, lối sống
~%33.33334%Những biểu hiện "tự diễn biến", "tự chuyển hóa" trong nội bộ
~%-100%Suy thoái về sức khỏe
}

::Mỗi nhóm::Mỗi nhóm biểu hiện suy thoái gồm bao nhiêu biểu hiện? {#9}

::Khóa::Nghị quyết số 04-NQ/TW là nghị quyết của Hội nghị Trung ương 4 khóa XII. {TRUE}

::Tự chuyển hóa::Nghị quyết nói về những biểu hiện "tự diễn biến", "tự ..." trong nội bộ. {=chuyển hóa}

::Ghép văn bản::Ghép văn bản với ngày ban hành. {
=Nghị quyết 04-NQ/TW -> 30/10/2016
=Chỉ thị 05-CT/TW -> 15/5/2016
}

::Kiểm tra trong NQ4::Nhóm giải pháp nào của Nghị quyết liên quan đến kỷ luật đảng? {
=Kiểm tra, giám sát, kỷ luật đảng
~Cơ chế, chính sách
~Phát huy vai trò của nhân dân
}

$CATEGORY: Chỉ thị 05

::Ngày CT05::Chỉ thị 05-CT/TW được ban hành ngày nào? {
=15/5/2016
~30/10/2016
~15/5/2015
}

::Cơ quan ban hành::Cơ quan nào ban hành Chỉ thị 05-CT/TW? {
=Bộ Chính trị khóa XII
~Ban Chấp hành Trung ương khóa XI
~Đảng bộ Khối các cơ quan tỉnh
}

::Nội dung CT05::Chỉ thị 05-CT/TW là về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh. {TRUE}

::Số hiệu CT05::Số hiệu của Chỉ thị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh là gì? {
=05-CT/TW
~04-NQ/TW
~05-NQ/TW
}

::Trước sau::Chỉ thị 05-CT/TW được ban hành sau Nghị quyết Trung ương 4 khóa XII. {FALSE#Chưa đúng: Chỉ thị ban hành tháng 5/2016, trước Nghị quyết (tháng 10/2016).#Đúng.}

::Ghép nội dung::Ghép văn bản với nội dung chính. {
=Chỉ thị 05-CT/TW -> Đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
=Nghị quyết 04-NQ/TW -> Tăng cường xây dựng, chỉnh đốn Đảng
}

::Năm ban hành::Chỉ thị 05-CT/TW được ban hành năm nào? {#2016}

::Chuyên đề còn ít::Sinh hoạt chuyên đề về những văn bản nào được nêu là còn ít? {
~%50%Nghị quyết Trung ương 4 khóa XII
~%50%Chỉ thị 05-CT/TW
~%-100%Không có văn bản nào
}

$CATEGORY: Kiểm tra, giám sát

::Hình thức kiểm tra::Kiểm tra, giám sát được nêu theo những hình thức nào? {
=Thường xuyên và đột xuất
~Chỉ khi có đơn thư
~Chỉ cuối nhiệm kỳ
}

::Nhóm giải pháp::Kiểm tra, giám sát, kỷ luật đảng là một nhóm giải pháp của Nghị quyết Trung ương 4 khóa XII. {TRUE}

::Giải pháp khắc phục::Những giải pháp nào được nêu để khắc phục hạn chế? {
~%25%Kiểm tra, giám sát thường xuyên và đột xuất
~%25%Người đứng đầu nêu gương
~%25%Tập huấn theo chuyên đề cho cấp ủy cơ sở
~%25%Bám sát chi bộ, bám sát đảng viên
~%-100%Giảm số lần sinh hoạt chi bộ
}

::Cặp từ::Điền từ còn thiếu: kiểm tra, ... {=giám sát}

::Ghép thủ tục::Ghép công việc với mô tả. {
=Đánh giá, xếp loại chất lượng -> Làm hằng năm với tổ chức đảng và đảng viên
=Kết nạp đảng viên -> Đưa người mới vào Đảng
=Kiểm tra, giám sát -> Làm thường xuyên và đột xuất
}

::Hằng năm::Đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên được thực hiện hằng năm. {TRUE}

::Kỷ luật::Trong nhiệm kỳ 2020–2025, số đảng viên bị kỷ luật thay đổi thế nào? {
=Tăng
~Giảm
~Không có đảng viên bị kỷ luật
}

::Sát chi bộ::Phương châm nào được nêu cho công tác ở cơ sở? {
=Sát chi bộ, sát đảng viên
~Chỉ làm việc qua văn bản
~Chỉ kiểm tra khi có sai phạm
}
"""

ESSAYS = [
    "Nêu một việc đồng chí sẽ làm để buổi sinh hoạt chi bộ đi vào thực chất.",
    "Trình bày cách chuẩn bị bản tự phê bình để tránh hình thức.",
]
ORDERING = (
    "Sắp xếp theo thứ tự thời gian.",
    [
        "Chỉ thị 05-CT/TW (15/5/2016)",
        "Nghị quyết 04-NQ/TW (30/10/2016)",
        "Đại hội lần thứ IX Đảng bộ Khối (nhiệm kỳ 2020–2025)",
    ],
)


def _bank(bloc: Unit) -> QuestionCategory:
    root = QuestionCategory.objects.filter(name=ROOT, parent=None, owner_unit=bloc).first()
    if root is not None:
        return root
    run_import(
        upload=io.BytesIO(BANK.encode()),
        format="gift",
        category_path=ROOT,
        owner_unit=bloc,
        actor=None,
    )
    root = QuestionCategory.objects.get(name=ROOT, parent=None, owner_unit=bloc)
    nq4 = root.children.get(name="Nghị quyết Trung ương 4")
    create_question(
        actor=None,
        category=nq4,
        type="ordering",
        text=ORDERING[0],
        title="Thứ tự thời gian",
        data={"items": [{"text": t} for t in ORDERING[1]]},
    )
    ct05 = root.children.get(name="Chỉ thị 05")
    create_question(
        actor=None,
        category=ct05,
        type="short",
        title="Tên Bác",
        text="Chỉ thị 05-CT/TW về học tập và làm theo tư tưởng, đạo đức, phong cách của ai?",
        data={"answers": [{"text": "Hồ Chí Minh"}], "accent_insensitive": True},
    )
    essays = QuestionCategory.objects.create(name="Tự luận", parent=root, owner_unit=bloc)
    for text in ESSAYS:
        create_question(
            actor=None,
            category=essays,
            type="essay",
            text=text,
            points=Decimal(2),
            data={"rubric": "Nêu được việc làm cụ thể, khả thi."},
        )
    return root


def _quiz(title: str, bloc: Unit, actor: User | None, **fields: object) -> tuple[Quiz, bool]:
    quiz = Quiz.objects.filter(title=title, owner_unit=bloc).first()
    if quiz is not None:
        return quiz, False
    return Quiz.objects.create(title=title, owner_unit=bloc, created_by=actor, **fields), True


@transaction.atomic
def load() -> list[tuple[str, str, str]]:
    bloc = Unit.objects.filter(code="DBK").first() or Unit.objects.filter(depth=1).first()
    if bloc is None:
        return []
    actor = User.objects.filter(username="admin").first()
    root = _bank(bloc)
    module_categories = [c for c in root.children.order_by("id") if c.name != "Tự luận"]

    from courses.demo import CODE
    from courses.models import Course

    course = Course.objects.filter(code=CODE).first()
    modules = list(course.modules.order_by("order")) if course else []
    for n, category in enumerate(module_categories):
        quiz, created = _quiz(
            f"Nội dung mẫu — Kiểm tra: {category.name}",
            bloc,
            actor,
            description="Nội dung mẫu. Bài kiểm tra ngắn sau học phần.",
            attempts_allowed=0,
            pass_percent=Decimal(70),
            per_page=5,
            review_answers=ReviewWhen.AFTER_SUBMIT,
        )
        if created:
            questions = Question.objects.filter(category=category).order_by("id")[:10]
            QuizItem.objects.bulk_create(
                QuizItem(quiz=quiz, position=i, question=q) for i, q in enumerate(questions)
            )
        if n < len(modules) and modules[n].quiz_id is None and not hasattr(quiz, "module"):
            modules[n].quiz = quiz
            modules[n].save(update_fields=["quiz"])
    final, created = _quiz(
        FINAL_TITLE,
        bloc,
        actor,
        description="Nội dung mẫu. Bài kiểm tra cuối khóa, câu hỏi rút ngẫu nhiên từ ngân hàng.",
        time_limit=20 * 60,
        attempts_allowed=2,
        pass_percent=Decimal(70),
        shuffle_questions=True,
        per_page=5,
    )
    if created:
        QuizItem.objects.bulk_create(
            QuizItem(
                quiz=final,
                position=i,
                kind=QuizItem.Kind.RANDOM,
                category=c,
                count=3,
                include_subcategories=False,
            )
            for i, c in enumerate(module_categories)
        )
    if course is not None and course.final_exam_id is None:
        course.final_exam = final
        course.save(update_fields=["final_exam"])
    return []
