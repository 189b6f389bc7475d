from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Quiz(models.Model):
    """A quiz paired with a module or used as a course's final exam.

    The quiz engine (issue 4) grows this model; courses only refers to it.
    """

    title = models.CharField(_("tên bài kiểm tra"), max_length=255)
    owner_unit = models.ForeignKey(
        "accounts.Unit", verbose_name=_("đơn vị sở hữu"), on_delete=models.PROTECT,
        related_name="quizzes", null=True, blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bài kiểm tra")
        verbose_name_plural = _("bài kiểm tra")

    def __str__(self) -> str:
        return self.title
