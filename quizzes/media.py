"""Images in question texts.

A question's text is plain text; an image in it is written as Markdown's
image syntax with a ``media:`` address, ``![alt](media:NAME)``, where NAME
(URL-quoted) is a QuestionMedia of the same question. Importers write that
token, pages turn it into an ``<img>`` served by the access-checked view, and
the Moodle XML export turns it back into ``@@PLUGINFILE@@/NAME`` plus the
file in base64.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, unquote

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models.bank import MAX_MEDIA_BYTES, MEDIA_TYPES, Question, QuestionMedia

TOKEN = re.compile(r"!\[([^\]\n]*)\]\(media:([^)\s]+)\)")


def token(alt: str, name: str) -> str:
    alt = " ".join(alt.replace("[", "(").replace("]", ")").split())
    return f"![{alt}](media:{quote(name, safe='')})"


def names_in(text: str) -> list[str]:
    """The media names a text refers to, in order, each once."""
    out: list[str] = []
    for m in TOKEN.finditer(text or ""):
        name = unquote(m.group(2))
        if name not in out:
            out.append(name)
    return out


# filetype takes any "GIF..." for a GIF: each type's full signature as well.
_SIGNATURES = {
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "image/gif": lambda b: b[:6] in (b"GIF87a", b"GIF89a"),
    "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
}


def check_image(name: str, content: bytes) -> str:
    """The content type of an image a question may carry, from its bytes;
    ValidationError (in Vietnamese) for anything else or too large."""
    if len(content) > MAX_MEDIA_BYTES:
        raise ValidationError(
            _("Hình “%(name)s” quá lớn (tối đa %(mb)s MB).")
            % {"name": name, "mb": MAX_MEDIA_BYTES >> 20}
        )
    kind = filetype.guess(content[:8192])
    if kind is None or kind.mime not in MEDIA_TYPES or not _SIGNATURES[kind.mime](content):
        raise ValidationError(
            _("Tệp “%(name)s” không phải hình PNG, JPEG, GIF hoặc WebP.") % {"name": name}
        )
    return str(kind.mime)


def store(question: Question, files: dict[str, bytes], text: str) -> list[QuestionMedia]:
    """Keep each file the text refers to as a media of the question."""
    stored = []
    for name in names_in(text):
        if name not in files:
            continue
        content = files[name]
        media = QuestionMedia(
            question=question, name=name, content_type=check_image(name, content), size=len(content)
        )
        media.file.save(name, ContentFile(content), save=False)
        media.save()
        stored.append(media)
    return stored


def url(question_id: int, name: str) -> str:
    return reverse("frontend:quiz-question-media", args=[question_id, name])


def render(text: str, question_id: int | None) -> SafeString:
    """A question text as HTML: escaped, line breaks kept, each media token an
    <img> with its alt text (served by the view, so same origin under the CSP)."""
    parts: list[str] = []
    pos = 0
    for m in TOKEN.finditer(text or ""):
        parts.append(escape(text[pos : m.start()]))
        alt, name = m.group(1), unquote(m.group(2))
        if question_id and "/" not in name:  # a name never holds "/" (nor does the URL)
            parts.append(
                format_html(
                    '<img class="question-image" src="{}" alt="{}">', url(question_id, name), alt
                )
            )
        else:
            parts.append(escape(_("[Hình: %(alt)s]") % {"alt": alt or name}))
        pos = m.end()
    parts.append(escape((text or "")[pos:]))
    html = "".join(parts).replace("\r\n", "\n").replace("\n", "<br>")
    return mark_safe(html)  # every piece above is escaped or format_html


def plain(text: str) -> str:
    """A text with each media token as its description, for places without images."""
    return TOKEN.sub(
        lambda m: _("[Hình: %(alt)s]") % {"alt": m.group(1) or unquote(m.group(2))}, text or ""
    )


def to_moodle_html(text: str) -> str:
    """A text for Moodle's HTML format: escaped, tokens as @@PLUGINFILE@@ images."""
    parts: list[str] = []
    pos = 0
    for m in TOKEN.finditer(text or ""):
        parts.append(escape(text[pos : m.start()]))
        parts.append(format_html('<img src="@@PLUGINFILE@@/{}" alt="{}">', m.group(2), m.group(1)))
        pos = m.end()
    parts.append(escape((text or "")[pos:]))
    return "".join(parts).replace("\n", "<br>\n")


def of(questions: Iterable[Question]) -> dict[int, dict[str, QuestionMedia]]:
    """Every media of these questions, by question id then name (one query)."""
    out: dict[int, dict[str, QuestionMedia]] = {}
    for m in QuestionMedia.objects.filter(question__in=[q.pk for q in questions]):
        out.setdefault(m.question_id, {})[m.name] = m
    return out


__all__ = ["TOKEN", "check_image", "names_in", "of", "plain", "render", "store", "token"]
