"""The question bank: categories, tags, questions and their immutable versions."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from accounts.text import fold, nfc

if TYPE_CHECKING:
    from accounts.models import User


def unit_prefixes(paths: list[str], steplen: int = 4) -> list[str]:
    """Every ancestor path (and the path itself) of each materialised path."""
    out: set[str] = set()
    for path in paths:
        for end in range(steplen, len(path) + 1, steplen):
            out.add(path[:end])
    return sorted(out)


def shared_scope_q(user: User, field: str = "owner_unit") -> Q | None:
    """Rows a trainer may read: owned within their subtrees or by an ancestor
    unit (a bloc-wide bank is shared with everyone under the bloc)."""
    if user.is_superuser:
        return None
    if not user.is_trainer:
        return Q(pk__in=[])
    paths = user.granted_paths()
    q = Q(**{f"{field}__path__in": unit_prefixes(paths)})
    for path in paths:
        q |= Q(**{f"{field}__path__startswith": path})
    return q


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Một lựa chọn")
    MULTIPLE = "multiple", _("Nhiều lựa chọn")
    TRUE_FALSE = "truefalse", _("Đúng/Sai")
    SHORT = "short", _("Trả lời ngắn")
    NUMERIC = "numeric", _("Số")
    MATCHING = "matching", _("Ghép đôi")
    ORDERING = "ordering", _("Sắp xếp thứ tự")
    ESSAY = "essay", _("Tự luận")


class CategoryQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> CategoryQuerySet:
        q = shared_scope_q(user)
        return self if q is None else self.filter(q)


class QuestionCategory(models.Model):
    """A folder of the bank. `path` ("/3/7/") makes a subtree one prefix match."""

    name = models.CharField(_("tên danh mục"), max_length=255)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    owner_unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("đơn vị sở hữu"),
        on_delete=models.PROTECT,
        related_name="question_categories",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("danh mục câu hỏi")
        verbose_name_plural = _("danh mục câu hỏi")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            QuestionCategory.objects.filter(pk=self.pk).update(path=path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def full_name(self) -> str:
        names = []
        node: QuestionCategory | None = self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return " / ".join(reversed(names))


class Tag(models.Model):
    name = models.CharField(_("thẻ"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("thẻ")
        verbose_name_plural = _("thẻ")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = nfc(self.name)
        super().save(*args, **kwargs)


class QuestionQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> QuestionQuerySet:
        q = shared_scope_q(user, "category__owner_unit")
        return self if q is None else self.filter(q)


class Question(models.Model):
    """Stable identity of a question; its content lives in versions."""

    category = models.ForeignKey(
        QuestionCategory, on_delete=models.PROTECT, related_name="questions"
    )
    title = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="questions")
    current_version = models.ForeignKey(
        "QuestionVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Title and current text folded (no accents, đ as d) for the builder's search.
    search_key = models.TextField(blank=True, default="", editable=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("câu hỏi")
        verbose_name_plural = _("câu hỏi")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.title = nfc(self.title)
        self.search_key = self.folded_search_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "current_version"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def folded_search_key(self) -> str:
        text = self.current_version.text if self.current_version_id else ""  # type: ignore[union-attr]
        return f"{fold(self.title)} {fold(text)}".strip()


class QuestionVersion(models.Model):
    """Immutable content of a question as given to learners.

    `data` holds everything type-specific, with stable ids for choices:
    single/multiple: {"choices": [{"id", "text", "fraction", "feedback"}]};
    truefalse: {"answer": bool, "feedback_true", "feedback_false"};
    short: {"answers": [{"text", "fraction", "feedback"}], "accent_insensitive",
    "case_sensitive"};
    numeric: {"answers": [{"value", "tolerance", "fraction", "feedback"}], "unit",
    "feedback_wrong"};
    matching: {"pairs": [{"id", "left", "right_id"}], "rights": [{"id", "text"}]};
    ordering: {"items": [{"id", "text"}]} in the right order;
    essay: {"rubric", "response_template"}. Every type may carry "feedback" (general feedback).
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(default=1)
    type = models.CharField(_("loại"), max_length=20, choices=QuestionType.choices)
    text = models.TextField(_("nội dung"))
    data = models.JSONField(default=dict)
    points = models.DecimalField(_("điểm"), max_digits=7, decimal_places=2, default=Decimal(1))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("phiên bản câu hỏi")
        verbose_name_plural = _("phiên bản câu hỏi")
        constraints = [
            models.UniqueConstraint(fields=["question", "number"], name="unique_question_version")
        ]

    def __str__(self) -> str:
        return f"{self.question_id} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.text = nfc(self.text)
        super().save(*args, **kwargs)

    def is_used(self) -> bool:
        return self.slots.exists()

    def choice_ids(self) -> list[str]:
        """Ids a learner may pick (and the order that shuffling permutes)."""
        data = self.data
        if self.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            return [c["id"] for c in data.get("choices", [])]
        if self.type == QuestionType.MATCHING:
            return [r["id"] for r in data.get("rights", [])]
        if self.type == QuestionType.ORDERING:
            return [i["id"] for i in data.get("items", [])]
        return []


# Images a question may carry, identified from their bytes (never the name).
MEDIA_TYPES = {"image/png": "png", "image/jpeg": "jpg", "image/gif": "gif", "image/webp": "webp"}
MAX_MEDIA_BYTES = 2 * 1024 * 1024


def _media_path(instance: QuestionMedia, filename: str) -> str:
    import uuid

    ext = MEDIA_TYPES.get(instance.content_type, "bin")
    return f"quizzes/media/{uuid.uuid4().hex}.{ext}"


def _private_storage() -> Any:
    """The private storage (MEDIA_ROOT/private, no URL: only the view serves
    it), following MEDIA_ROOT when it changes (tests point it elsewhere)."""
    import os

    from django.core.files.storage import FileSystemStorage
    from django.utils.functional import cached_property

    class PrivateStorage(FileSystemStorage):
        @cached_property
        def base_location(self) -> str:  # type: ignore[override]
            return os.path.join(settings.MEDIA_ROOT, "private")

    return PrivateStorage()


class QuestionMedia(models.Model):
    """An image of a question (imported from Moodle XML), referenced from the
    text as ``![alt](media:NAME)``. It belongs to the question, not a version,
    so every version made by an edit keeps it; it is served only through the
    access-checked view, never from MEDIA_URL."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="media")
    name = models.CharField(_("tên tệp"), max_length=255)
    file = models.FileField(storage=_private_storage, upload_to=_media_path, max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hình của câu hỏi")
        verbose_name_plural = _("hình của câu hỏi")
        constraints = [
            models.UniqueConstraint(fields=["question", "name"], name="unique_question_media_name")
        ]

    def __str__(self) -> str:
        return self.name


@receiver(post_delete, sender=QuestionMedia)
def _delete_media_file(sender: type[QuestionMedia], instance: QuestionMedia, **kwargs: Any) -> None:
    """A question deleted with its images takes their files along, once committed."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))
