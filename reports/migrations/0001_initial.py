"""ReportRun, moved here from portfolios with its table (portfolios_reportrun) and its rows as
they are: the state is created, the database is left alone, and the admin's content type and
permissions are relabelled."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import reports.models


def _relabel_content_type(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="portfolios", model="reportrun").update(
        app_label="reports"
    )


def _relabel_back(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label="reports", model="reportrun").update(
        app_label="portfolios"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("measures", "0004_upload_read_once_and_protected_history"),
        ("portfolios", "0003_report_runs_move_to_reports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="ReportRun",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "formats",
                            models.JSONField(
                                default=list, help_text='Some of "pdf", "xlsx", "csv".'
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("running", "Running"),
                                    ("done", "Done"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        (
                            "progress",
                            models.PositiveSmallIntegerField(default=0, help_text="Per cent done."),
                        ),
                        (
                            "step",
                            models.CharField(
                                blank=True, help_text="What it is doing now.", max_length=100
                            ),
                        ),
                        ("requested_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "enqueued_at",
                            models.DateTimeField(
                                blank=True, help_text="Last sent to a worker.", null=True
                            ),
                        ),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("fingerprint", models.CharField(blank=True, max_length=64)),
                        ("data_as_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "pdf",
                            models.FileField(blank=True, upload_to=reports.models.report_path),
                        ),
                        (
                            "xlsx",
                            models.FileField(blank=True, upload_to=reports.models.report_path),
                        ),
                        (
                            "csv",
                            models.FileField(blank=True, upload_to=reports.models.report_path),
                        ),
                        (
                            "committee",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="report_runs",
                                to="portfolios.scrutinycommittee",
                            ),
                        ),
                        (
                            "period",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="report_runs",
                                to="measures.reportingperiod",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                blank=True,
                                help_text="Blank when queued automatically on publishing.",
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "portfolios_reportrun",
                        "ordering": ["-requested_at", "-pk"],
                        "indexes": [
                            models.Index(
                                fields=["status", "requested_at"],
                                name="portfolios__status_1c1bcf_idx",
                            )
                        ],
                    },
                )
            ],
        ),
        migrations.RunPython(_relabel_content_type, _relabel_back),
    ]
