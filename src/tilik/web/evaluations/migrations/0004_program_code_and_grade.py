"""Programs get a stable code (their choice name in the instruments, kept when the program is
renamed); employees their golongan."""

from django.db import migrations, models


def fill_codes(apps, schema_editor):
    from tilik.core.instruments import OTHER, choice_name

    Program = apps.get_model("evaluations", "Program")
    taken: dict[int, list[str]] = {}
    for program in Program.objects.order_by("evaluation_id", "id"):
        codes = taken.setdefault(program.evaluation_id, [OTHER.name])
        program.code = choice_name(program.name, codes)
        codes.append(program.code)
        program.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_evaluation_previous_cycle"),
    ]

    operations = [
        migrations.AddField(
            model_name="employee",
            name="grade",
            field=models.CharField(blank=True, max_length=20, verbose_name="golongan"),
        ),
        migrations.AddField(
            model_name="program",
            name="code",
            field=models.SlugField(
                default="",
                help_text="nama pilihan program di instrumen; tetap bila nama program diubah",
                max_length=64,
                verbose_name="kode",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_codes, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="program",
            constraint=models.UniqueConstraint(
                fields=("evaluation", "code"), name="program_code_once"
            ),
        ),
    ]
