from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = "Dashboards and open data"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dashboards import receivers
        from measures.models import Indicator, Target, TrajectoryTarget
        from measures.signals import period_published

        period_published.connect(receivers.period_published, dispatch_uid="open-data-publish")
        post_save.connect(receivers.indicator_changed, sender=Indicator, dispatch_uid="od-ind")
        for model in (Target, TrajectoryTarget):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.target_changed, sender=model, dispatch_uid=f"od-target-{model}"
                )
