"""English for the strings of the question editors (issue 18: a form per question type)."""

T = {
    # the bank page: the first category made in place
    "Chưa có danh mục nào. Câu hỏi được xếp vào danh mục: tạo danh mục đầu tiên ngay tại đây, "
    "rồi thêm câu hỏi vào đó.": "No category yet. Questions are kept in categories: create the "
    "first category right here, then add questions to it.",
    "Tạo danh mục": "Create category",
    "Tên danh mục không được để trống.": "The category name cannot be empty.",
    # the version notice
    "Câu hỏi này đã được dùng trong %(n)s lượt làm bài.": (
        "This question has been used in %(n)s attempt.",
        "This question has been used in %(n)s attempts.",
    ),
    "Khi lưu, thay đổi thành phiên bản mới (%(new)s); các lượt làm bài đã có vẫn giữ phiên bản "
    "%(old)s và điểm của chúng không đổi.": "Saving makes your changes a new version (%(new)s); "
    "existing attempts keep version %(old)s and their marks do not change.",
    "Nếu phiên bản đã dùng có đáp án sai và cần chấm lại các bài đã làm:": "If the version "
    "already used has a wrong key and the attempts must be regraded:",
    "Chưa có lượt làm bài nào dùng câu hỏi này: thay đổi được lưu vào phiên bản hiện tại "
    "(%(n)s).": "No attempt uses this question yet: changes are saved to the current version "
    "(%(n)s).",
    "Câu hỏi đã được dùng trong bài làm nên đã lưu thành phiên bản %(n)s; các lượt làm bài cũ "
    "giữ phiên bản trước.": "The question had been used in attempts, so it was saved as "
    "version %(n)s; earlier attempts keep the previous version.",
    # the editor page
    "Lưu câu hỏi": "Save question",
    "Câu hỏi chưa được lưu: hãy sửa các chỗ báo lỗi bên dưới.": "The question was not saved: "
    "correct the errors shown below.",
    "Đổi loại": "Change type",
    "Tạo danh mục mới": "Create a new category",
    "Bạn chưa có danh mục câu hỏi nào. Đặt tên một danh mục ngay tại đây; danh mục được tạo cùng "
    "lúc với câu hỏi.": "You have no question category yet. Name one right here; it is created "
    "together with the question.",
    "Đưa %(r)s lên": "Move %(r)s up",
    "Đưa %(r)s xuống": "Move %(r)s down",
    "Xóa dòng": "Remove row",
    "Xóa %(r)s": "Remove %(r)s",
    "Thêm dòng": "Add row",
    "Soạn bằng cú pháp văn bản (nâng cao)": "Write in text syntax (advanced)",
    "Câu hỏi mới: chọn loại": "New question: choose a type",
    "Soạn bằng cú pháp văn bản (nâng cao): mọi loại câu hỏi trong một ô nhập": "Write in text "
    "syntax (advanced): every question type in one box",
    # fields
    "Hoặc tạo danh mục mới": "Or create a new category",
    "Nhập tên để tạo danh mục mới và lưu câu hỏi vào đó.": "Type a name to create a new category "
    "and save the question in it.",
    "Đơn vị sở hữu danh mục mới": "Unit owning the new category",
    "Nhận xét chung (hiện sau khi nộp bài)": "General feedback (shown after submitting)",
    "Nhận xét khi học viên chọn “Đúng”": "Feedback when the learner picks “True”",
    "Nhận xét khi học viên chọn “Sai”": "Feedback when the learner picks “False”",
    "Không phân biệt dấu tiếng Việt (“Hồ Chí Minh” = “ho chi minh”, đ = d)": "Ignore Vietnamese "
    "diacritics (“Hồ Chí Minh” = “ho chi minh”, đ = d)",
    "Phân biệt chữ hoa, chữ thường": "Case sensitive",
    "Đơn vị đo (hiện sau ô nhập, ví dụ: năm, %)": "Unit (shown after the input, e.g. years, %)",
    "Nhận xét khi trả lời sai": "Feedback for a wrong answer",
    "Hướng dẫn chấm (chỉ người chấm thấy)": "Grading guide (only graders see it)",
    "Mẫu bài làm (điền sẵn vào ô bài làm của học viên)": "Response template (pre-filled in the "
    "learner's answer box)",
    "Tên danh mục mới": "New category name",
    # errors
    "Chọn danh mục hoặc nhập tên danh mục mới.": "Choose a category or type a new category name.",
    "Chọn đơn vị sở hữu danh mục mới.": "Choose the unit owning the new category.",
    "Tỉ lệ điểm phải là số từ -100 đến 100.": "The grade must be a number from -100 to 100.",
    "Chọn đáp án đúng: Đúng hoặc Sai.": "Choose the right answer: True or False.",
    "Mục không được để trống.": "The item cannot be empty.",
    "Cần ít nhất hai mục để sắp xếp.": "At least two items are needed to order.",
    "Phương án không được để trống.": "The choice cannot be empty.",
    "Cần ít nhất hai phương án.": "At least two choices are needed.",
    "Chưa có phương án đúng: cần một phương án có tỉ lệ 100%.": "No right choice yet: one choice "
    "needs a grade of 100%.",
    "Chưa có phương án đúng: cho các phương án đúng tỉ lệ dương.": "No right choice yet: give the "
    "right choices a positive grade.",
    "Tổng tỉ lệ các phương án đúng là %(sum)s%%, phải bằng 100%%.": "The grades of the right "
    "choices add up to %(sum)s%%; they must add up to 100%%.",
    "Đáp án không được để trống.": "The answer cannot be empty.",
    "Cần ít nhất một đáp án được chấp nhận.": "At least one accepted answer is needed.",
    "Chưa có đáp án đúng: cần một đáp án có tỉ lệ 100%.": "No right answer yet: one answer needs "
    "a grade of 100%.",
    "Đáp số phải là một số, ví dụ 27 hoặc 3,5.": "The answer must be a number, e.g. 27 or 3.5.",
    "Sai số cho phép phải là một số.": "The tolerance must be a number.",
    "Cần ít nhất một đáp số.": "At least one numeric answer is needed.",
    "Chưa có đáp số đúng: cần một đáp số có tỉ lệ 100%.": "No right answer yet: one numeric "
    "answer needs a grade of 100%.",
    "Vế phải không được để trống.": "The right-hand side cannot be empty.",
    "Cần ít nhất hai cặp ghép có đủ vế trái và vế phải.": "At least two pairs with both a "
    "left-hand and a right-hand side are needed.",
    "Đơn vị đo tối đa 30 ký tự.": "The unit can be at most 30 characters.",
    "Mẫu bài làm tối đa 5.000 ký tự.": "The response template can be at most 5,000 characters.",
    # what each type is
    "Học viên chọn một phương án. Phương án đúng có tỉ lệ 100%; phương án đúng một phần có thể "
    "cho tỉ lệ nhỏ hơn.": "The learner picks one choice. The right choice has a grade of 100%; "
    "a partly right choice may have a smaller grade.",
    "Học viên chọn nhiều phương án. Tổng tỉ lệ các phương án đúng phải bằng 100%; phương án sai "
    "có thể cho tỉ lệ âm để trừ điểm.": "The learner picks several choices. The grades of the "
    "right choices must add up to 100%; wrong choices may have a negative grade to take "
    "marks off.",
    "Học viên chọn Đúng hoặc Sai.": "The learner picks True or False.",
    "Học viên gõ một câu trả lời ngắn; câu trả lời khớp một đáp án được chấp nhận thì được tỉ lệ "
    "điểm của đáp án đó.": "The learner types a short answer; an answer matching an accepted "
    "answer earns that answer's grade.",
    "Học viên nhập một số; số nằm trong khoảng đáp số ± sai số cho phép thì đúng.": "The learner "
    "enters a number; a number within the answer ± the tolerance is right.",
    "Học viên ghép mỗi vế trái với một vế phải. Dòng chỉ có vế phải là phương án nhiễu.": "The "
    "learner matches each left-hand side with a right-hand side. A row with only a right-hand "
    "side is a distractor.",
    "Nhập các mục theo đúng thứ tự; học viên nhận chúng đã xáo trộn và sắp xếp lại.": "Enter the "
    "items in the right order; the learner gets them shuffled and puts them back in order.",
    "Học viên viết bài; người chấm chấm tay.": "The learner writes an essay; a grader marks it "
    "by hand.",
    # rows
    "Phương án %(n)s": "Choice %(n)s",
    "Tỉ lệ điểm phương án %(n)s (%%)": "Grade of choice %(n)s (%%)",
    "Nhận xét phương án %(n)s": "Feedback for choice %(n)s",
    "Đáp án %(n)s": "Answer %(n)s",
    "Tỉ lệ điểm đáp án %(n)s (%%)": "Grade of answer %(n)s (%%)",
    "Nhận xét đáp án %(n)s": "Feedback for answer %(n)s",
    "Đáp số %(n)s": "Numeric answer %(n)s",
    "Sai số cho phép đáp số %(n)s (±)": "Tolerance of numeric answer %(n)s (±)",
    "Tỉ lệ điểm đáp số %(n)s (%%)": "Grade of numeric answer %(n)s (%%)",
    "Nhận xét đáp số %(n)s": "Feedback for numeric answer %(n)s",
    "Vế trái %(n)s": "Left-hand side %(n)s",
    "Vế phải %(n)s": "Right-hand side %(n)s",
    "Mục %(n)s": "Item %(n)s",
    "phương án %(n)s": "choice %(n)s",
    "đáp án %(n)s": "answer %(n)s",
    "đáp số %(n)s": "numeric answer %(n)s",
    "cặp %(n)s": "pair %(n)s",
    "mục %(n)s": "item %(n)s",
    "Các phương án": "Choices",
    "Các đáp án được chấp nhận": "Accepted answers",
    "Các đáp số": "Numeric answers",
    "Các cặp ghép": "Pairs",
    "Các mục, theo đúng thứ tự": "Items, in the right order",
    "Dòng để trống bị bỏ qua. Tỉ lệ điểm: 100 là đúng hoàn toàn, 0 là sai; số âm để trừ điểm "
    "khi chọn sai.": "Empty rows are ignored. Grade: 100 is fully right, 0 is wrong; a negative "
    "number takes marks off when picked.",
    "Dòng để trống bị bỏ qua. Tỉ lệ điểm để trống là 100%.": "Empty rows are ignored. An empty "
    "grade means 100%.",
    "Ví dụ đáp số 27 với sai số 0,5 chấp nhận mọi số từ 26,5 đến 27,5. Tỉ lệ điểm để trống là "
    "100%.": "For example, answer 27 with tolerance 0.5 accepts every number from 26.5 to 27.5. "
    "An empty grade means 100%.",
    "Dòng chỉ có vế phải là phương án nhiễu. Dòng để trống bị bỏ qua.": "A row with only a "
    "right-hand side is a distractor. Empty rows are ignored.",
    "Dùng nút Lên/Xuống để đổi thứ tự. Dòng để trống bị bỏ qua.": "Use the Up/Down buttons to "
    "change the order. Empty rows are ignored.",
    # a question shared from a unit above
    "Câu hỏi này thuộc ngân hàng dùng chung của %(unit)s: bạn được xem nhưng không được sửa. "
    "Muốn có bản của mình, hãy tạo câu hỏi mới trong một danh mục của đơn vị bạn.": "This "
    "question belongs to the bank %(unit)s shares: you may view it but not edit it. For a copy "
    "of your own, create a new question in a category of your unit.",
    "Quay lại ngân hàng câu hỏi": "Back to the question bank",
}
