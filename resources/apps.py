from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resources (finance)"

    def ready(self) -> None:
        from measures.signals import period_publish_check, period_publish_preview, period_published
        from resources import receivers

        period_publish_check.connect(receivers.waiting_returns, dispatch_uid="finance-waiting")
        period_published.connect(receivers.publish_returns, dispatch_uid="finance-publish")
        period_publish_preview.connect(
            receivers.returns_published_with, dispatch_uid="finance-published-with"
        )
