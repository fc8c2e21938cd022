from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = "Scrutiny reports"

    def ready(self) -> None:
        from measures.signals import period_published
        from reports.receivers import queue_reports_on_publish

        period_published.connect(queue_reports_on_publish, dispatch_uid="queue-reports-on-publish")
