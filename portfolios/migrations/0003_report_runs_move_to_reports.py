"""ReportRun moves to the reports app: only Django's idea of where it lives changes; the table
stays (reports.0001 takes it over)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("portfolios", "0002_report_runs_and_members")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReportRun")], database_operations=[]
        )
    ]
