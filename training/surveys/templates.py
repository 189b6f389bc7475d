"""The default evaluation form (the questions a bloc's office usually asks)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def default_questions() -> list[dict[str, Any]]:
    """Questions of the default template, translated at call time."""
    return [
        {"kind": "likert", "text": _("Nội dung chuyên đề thiết thực, sát với nhiệm vụ của đơn vị")},
        {"kind": "likert", "text": _("Báo cáo viên truyền đạt rõ ràng, dễ hiểu")},
        {"kind": "likert", "text": _("Tài liệu tập huấn đầy đủ, hữu ích")},
        {"kind": "likert", "text": _("Thời lượng và cách tổ chức hợp lý")},
        {"kind": "likert", "text": _("Đồng chí có thể vận dụng nội dung vào công tác của chi bộ")},
        {
            "kind": "choice",
            "text": _("Đồng chí đánh giá chung về buổi tập huấn"),
            "choices": [_("Rất tốt"), _("Tốt"), _("Đạt yêu cầu"), _("Chưa đạt yêu cầu")],
        },
        {
            "kind": "text",
            "text": _("Đồng chí có đề xuất, kiến nghị gì để lần sau tổ chức tốt hơn?"),
            "required": False,
        },
    ]


def likert_labels() -> list[str]:
    return [
        _("Rất không đồng ý"),
        _("Không đồng ý"),
        _("Phân vân"),
        _("Đồng ý"),
        _("Rất đồng ý"),
    ]
