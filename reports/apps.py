from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Scrutiny reports"

    def ready(self) -> None:
        from measures.signals import period_published
        from reports.receivers import build_queued_report, queue_reports_on_publish
        from reports.signals import report_queued

        period_published.connect(queue_reports_on_publish, dispatch_uid="queue-reports-on-publish")
        report_queued.connect(build_queued_report, dispatch_uid="build-queued-report")
