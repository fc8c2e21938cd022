from django.apps import AppConfig


class ServiceConfig(AppConfig):
    name = "stockport_plan"
    verbose_name = "Council Plan performance"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from stockport_plan.receivers import data_changed
        from stockport_plan.security import log_sign_in, log_sign_in_failure, log_sign_out

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(data_changed, dispatch_uid=f"data-version-{signal}")
        user_logged_in.connect(log_sign_in, dispatch_uid="log-sign-in")
        user_login_failed.connect(log_sign_in_failure, dispatch_uid="log-sign-in-failure")
        user_logged_out.connect(log_sign_out, dispatch_uid="log-sign-out")
