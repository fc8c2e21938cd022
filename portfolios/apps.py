from django.apps import AppConfig


class PortfoliosConfig(AppConfig):
    name = "portfolios"
    verbose_name = "Portfolios and scrutiny"

    def ready(self) -> None:
        from measures.signals import period_published
        from portfolios.receivers import queue_reports_on_publish

        period_published.connect(queue_reports_on_publish, dispatch_uid="queue-reports-on-publish")
