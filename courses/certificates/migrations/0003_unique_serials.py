"""The serial is unique in the whole register; counters are keyed by unit code (see 0002)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0002_serials_name_their_unit"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="certificate",
            name="unique_serial_per_issuing_unit",
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(fields=("serial",), name="unique_certificate_serial"),
        ),
        migrations.RemoveConstraint(
            model_name="serialcounter",
            name="unique_serial_counter",
        ),
        migrations.RemoveField(
            model_name="serialcounter",
            name="unit",
        ),
        migrations.AddConstraint(
            model_name="serialcounter",
            constraint=models.UniqueConstraint(
                fields=("prefix", "year"), name="unique_serial_prefix_year"
            ),
        ),
    ]
