from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.models import Unit
from quizzes.imports import PARSERS, ImportFailed, run_import


class Command(BaseCommand):
    help = "Nhập câu hỏi từ tệp GIFT, Aiken, Moodle XML hoặc XLSX (tất cả hoặc không gì cả)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--format", required=True, choices=sorted(PARSERS))
        parser.add_argument("--category", required=True, help="Ví dụ: Nghị quyết 4/Nhóm 1")
        parser.add_argument("--unit", help="Mã đơn vị sở hữu ngân hàng câu hỏi")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="Bỏ qua các câu thuộc loại chưa hỗ trợ (ví dụ cloze) và nhập các câu còn lại",
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        unit = None
        if opts["unit"]:
            unit = Unit.objects.filter(code__iexact=opts["unit"]).first()
            if unit is None:
                raise CommandError(_("Không có đơn vị mã %(code)s.") % {"code": opts["unit"]})
        try:
            with open(opts["file"], "rb") as upload:
                report = run_import(
                    upload=upload,
                    format=opts["format"],
                    category_path=opts["category"],
                    owner_unit=unit,
                    actor=None,
                    dry_run=opts["dry_run"],
                    skip_unsupported=opts["skip_unsupported"],
                )
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except ImportFailed as exc:
            for p in exc.problems:
                self.stderr.write(_("Dòng %(line)s: %(msg)s") % {"line": p.line, "msg": p.message})
            raise CommandError(
                _("Không nhập câu hỏi nào: tệp có %(n)s lỗi.") % {"n": len(exc.problems)}
            ) from exc
        if opts["dry_run"]:
            self.stdout.write(
                _("Kiểm tra xong: %(n)s câu hỏi hợp lệ, chưa nhập.") % {"n": report.created}
            )
        else:
            self.stdout.write(_("Đã nhập %(n)s câu hỏi.") % {"n": report.created})
