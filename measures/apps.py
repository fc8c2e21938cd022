from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Indicators and readings"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_migrate, post_save

        from ambitions.models import Milestone
        from measures import receivers
        from measures.models import Indicator, Reading, ReportingPeriod, Target, TrajectoryTarget

        post_save.connect(receivers.indicator_changed, sender=Indicator, dispatch_uid="score-ind")
        for model in (Target, TrajectoryTarget):
            for signal in (post_save, post_delete):
                signal.connect(
                    receivers.target_changed, sender=model, dispatch_uid=f"score-{model}"
                )
        for signal in (post_save, post_delete):
            signal.connect(receivers.reading_changed, sender=Reading, dispatch_uid="score-reading")
        post_save.connect(
            receivers.period_created, sender=ReportingPeriod, dispatch_uid="score-period"
        )
        post_save.connect(
            receivers.milestone_changed, sender=Milestone, dispatch_uid="score-milestone"
        )
        post_migrate.connect(receivers.scorecard_ready, sender=self, dispatch_uid="score-ready")
