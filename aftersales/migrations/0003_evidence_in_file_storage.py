"""Evidence files move from a database column to the file storage (local disk or the bucket), so
every web and worker process reads the same files without carrying them in the database."""

import secrets

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import migrations, models

import aftersales.models


def to_storage(apps, schema_editor):
    evidence = apps.get_model("aftersales", "CaseEvidence")
    for row in evidence.objects.filter(file="").iterator(chunk_size=100):
        path = f"evidence/{secrets.token_urlsafe(24)}/{row.file_name}"
        row.file = default_storage.save(path, ContentFile(bytes(row.content)))
        row.save(update_fields=["file"])


def to_column(apps, schema_editor):
    evidence = apps.get_model("aftersales", "CaseEvidence")
    for row in evidence.objects.exclude(file="").iterator(chunk_size=100):
        with default_storage.open(row.file.name, "rb") as stored:
            row.content = stored.read()
        row.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [("aftersales", "0002_evidencepack")]

    operations = [
        migrations.AddField(
            model_name="caseevidence",
            name="file",
            field=models.FileField(
                default="", max_length=300, upload_to=aftersales.models.evidence_path
            ),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="caseevidence",
            name="content",
            field=models.BinaryField(default=b""),
        ),
        migrations.RunPython(to_storage, to_column, elidable=False),
        migrations.RemoveField(model_name="caseevidence", name="content"),
    ]
