"""English for the strings of the survey groups fix (issue 19: one partition of units)."""

T = {
    "Phiếu không ghi tên. Các nhóm là các đơn vị cùng một cấp, không lồng nhau. "
    "Một nhóm chỉ hiện khi có từ %(minimum)s phiếu trở lên và số phiếu ngoài các nhóm "
    "đang hiện bằng 0 hoặc từ %(minimum)s trở lên.": "Answers carry no names. The groups are "
    "units of one level, never nested. A group is shown only with at least %(minimum)s "
    "answers, and only while the answers outside the shown groups number 0 or at least "
    "%(minimum)s.",
}
