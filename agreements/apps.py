from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = "Portfolio Performance and Resources Agreements"

    def ready(self) -> None:
        from agreements.loaders import agreements_load
        from measures.loaders import FURTHER_LOADERS

        if agreements_load not in FURTHER_LOADERS:
            FURTHER_LOADERS.append(agreements_load)
