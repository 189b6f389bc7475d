"""Serials name their issuing unit and are unique in the whole register.

Before, a serial was BD-<year>-<number> from a counter per issuing unit, so
two units printed the same serial. From now on it is
BD-<unit code>-<year>-<number>, from a counter per printed unit code and year.

Existing serials stay as they are printed. Where two certificates share one,
the earliest keeps it; each later one gets the serial the new scheme gives
its unit and number (BD-2026-000001 of unit STC becomes BD-STC-2026-000001),
and keeps the printed one in `former_serial`, which the verification page and
the register still show and find. The counters continue after the highest
number each unit code used, so no new serial meets a renamed one. 0003 then
makes the serial unique on its own.
"""

import re
import unicodedata
from collections import defaultdict

import courses.certificates.models
import courses.certificates.storage
from django.db import migrations, models
from django.db.models import Count

LEGACY = re.compile(r"BD-(\d{4})-(\d+)")


def serial_code(code: str, pk: int) -> str:
    """As `models.unit_serial_code` (frozen here): ASCII letters and digits, hyphens."""
    text = unicodedata.normalize("NFD", (code or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn").upper()
    return re.sub(r"[^A-Z0-9]+", "-", text).strip("-") or f"DV{pk}"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    Unit = apps.get_model("accounts", "Unit")
    Counter = apps.get_model("certificates", "SerialCounter")
    Certificate = apps.get_model("certificates", "Certificate")
    prefixes = {pk: serial_code(code, pk) for pk, code in Unit.objects.values_list("pk", "code")}

    # Counters: one per (unit code, year), after the highest number used under it.
    seeds: dict[tuple[str, int], int] = defaultdict(int)
    owner: dict[tuple[str, int], int] = {}
    for counter in Counter.objects.all():
        key = (prefixes[counter.unit_id], counter.year)
        seeds[key] = max(seeds[key], counter.last_number)
        owner.setdefault(key, counter.unit_id)
    for unit_id, serial in Certificate.objects.values_list("issuing_unit_id", "serial"):
        match = LEGACY.fullmatch(serial)
        if match:
            key = (prefixes[unit_id], int(match[1]))
            seeds[key] = max(seeds[key], int(match[2]))
            owner.setdefault(key, unit_id)
    kept: set[tuple[str, int]] = set()
    for counter in Counter.objects.order_by("pk"):
        key = (prefixes[counter.unit_id], counter.year)
        if key in kept:  # two units whose codes print alike: one counter
            counter.delete()
            continue
        kept.add(key)
        counter.prefix, counter.last_number = key[0], seeds[key]
        counter.save(update_fields=["prefix", "last_number"])
    for key, number in seeds.items():
        if key not in kept:
            Counter.objects.create(
                unit_id=owner[key], prefix=key[0], year=key[1], last_number=number
            )

    # Serials printed twice: the earliest keeps it, the later ones get a unique one.
    taken = set(Certificate.objects.values_list("serial", flat=True))
    repeated = (
        Certificate.objects.values("serial")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("serial", flat=True)
    )
    for serial in list(repeated):
        later = Certificate.objects.filter(serial=serial).order_by("issued_at", "pk")[1:]
        for certificate in later:
            prefix = prefixes[certificate.issuing_unit_id]
            match = LEGACY.fullmatch(serial)
            base = (
                f"BD-{prefix}-{match[1]}-{int(match[2]):06d}" if match else f"{serial}-{prefix}"
            )
            new, n = base, 1
            while new in taken:
                n += 1
                new = f"{base}-{n}"
            taken.add(new)
            Certificate.objects.filter(pk=certificate.pk).update(
                serial=new, former_serial=serial
            )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_user_search_key"),
        ("certificates", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="former_serial",
            field=models.CharField(blank=True, max_length=30, verbose_name="số hiệu cũ"),
        ),
        migrations.AlterField(
            model_name="certificate",
            name="serial",
            field=models.CharField(max_length=80, verbose_name="số hiệu"),
        ),
        migrations.AddField(
            model_name="certificate",
            name="revoked_pdf",
            field=models.FileField(
                blank=True,
                max_length=255,
                storage=courses.certificates.storage.certificate_storage,
                upload_to=courses.certificates.models._pdf_path,
            ),
        ),
        migrations.AddField(
            model_name="serialcounter",
            name="prefix",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
