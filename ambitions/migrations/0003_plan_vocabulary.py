"""Plans declare their own vocabulary: kinds of block (with labels and numbering), the words for
focus areas and impact measures, and the council's name, colour and logo. Plans already loaded
get the four kinds of block the code used to name for every plan, so their pages read as before.
"""

import django.db.models.deletion
from django.db import migrations, models

# The kinds every plan was made to use before plans declared their own.
EARLIER_KINDS = [
    ("core_services", "Core services", "Core services", False, "", False),
    ("ambition", "Ambition", "Ambitions", True, "", False),
    ("cross_cutting_theme", "Cross-cutting theme", "Cross-cutting themes", False, "", True),
    ("enabling_programme", "Enabling programme", "Enabling programmes", True, "Enabler", False),
]


def kinds_for_plans_loaded(apps, schema_editor):
    Plan = apps.get_model("ambitions", "Plan")
    PlanBlockKind = apps.get_model("ambitions", "PlanBlockKind")
    Ambition = apps.get_model("ambitions", "Ambition")
    for plan in Plan.objects.all():
        plan.focus_areas_heading = "Our key areas of focus"
        plan.impact_measures_heading = "We know we have had an impact when we see"
        plan.save(update_fields=["focus_areas_heading", "impact_measures_heading"])
        for position, (slug, singular, plural, numbered, prefix, across) in enumerate(
            EARLIER_KINDS, start=1
        ):
            kind = PlanBlockKind.objects.create(
                plan=plan,
                slug=slug,
                singular=singular,
                plural=plural,
                numbered=numbered,
                number_prefix=prefix,
                cuts_across=across,
                position=position,
            )
            Ambition.objects.filter(plan=plan, kind=slug).update(block_kind=kind)


class Migration(migrations.Migration):
    dependencies = [("ambitions", "0002_check_constraints")]

    operations = [
        migrations.AddField(
            model_name="plan",
            name="council_short_name",
            field=models.CharField(
                blank=True,
                help_text="The place's name alone, where the name is repeated.",
                max_length=60,
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="brand_colour",
            field=models.CharField(
                blank=True,
                help_text="The council's colour as #rrggbb, under the header.",
                max_length=7,
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="logo",
            field=models.CharField(
                blank=True,
                help_text="A logo's path under static/, shown in the header.",
                max_length=200,
            ),
        ),
        migrations.AlterField(
            model_name="plan",
            name="council",
            field=models.CharField(
                help_text="The council's name, as its pages head.", max_length=120
            ),
        ),
        migrations.AddField(
            model_name="plan",
            name="focus_area_singular",
            field=models.CharField(default="focus area", max_length=60),
        ),
        migrations.AddField(
            model_name="plan",
            name="focus_area_plural",
            field=models.CharField(default="focus areas", max_length=60),
        ),
        migrations.AddField(
            model_name="plan",
            name="focus_areas_heading",
            field=models.CharField(default="Focus areas", max_length=120),
        ),
        migrations.AddField(
            model_name="plan",
            name="impact_measure_singular",
            field=models.CharField(default="impact measure", max_length=60),
        ),
        migrations.AddField(
            model_name="plan",
            name="impact_measure_plural",
            field=models.CharField(default="impact measures", max_length=60),
        ),
        migrations.AddField(
            model_name="plan",
            name="impact_measures_heading",
            field=models.CharField(default="Impact measures", max_length=120),
        ),
        migrations.CreateModel(
            name="PlanBlockKind",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "slug",
                    models.SlugField(
                        help_text="What block files say as their kind.", max_length=40
                    ),
                ),
                ("singular", models.CharField(max_length=60)),
                ("plural", models.CharField(max_length=60)),
                (
                    "numbered",
                    models.BooleanField(
                        default=False,
                        help_text="Blocks of this kind are numbered in the plan (Ambition 1…).",
                    ),
                ),
                (
                    "number_prefix",
                    models.CharField(
                        blank=True,
                        help_text="The word before a number, if not the singular.",
                        max_length=60,
                    ),
                ),
                (
                    "cuts_across",
                    models.BooleanField(
                        default=False,
                        help_text="A theme that indicators of other blocks can be tagged with as well.",
                    ),
                ),
                ("position", models.PositiveSmallIntegerField()),
                (
                    "plan",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="block_kinds",
                        to="ambitions.plan",
                    ),
                ),
            ],
            options={"ordering": ["plan", "position"]},
        ),
        migrations.AddConstraint(
            model_name="planblockkind",
            constraint=models.UniqueConstraint(
                fields=("plan", "slug"), name="unique_block_kind_per_plan"
            ),
        ),
        migrations.AddField(
            model_name="ambition",
            name="block_kind",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="blocks",
                to="ambitions.planblockkind",
            ),
        ),
        migrations.RunPython(kinds_for_plans_loaded, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="ambition", name="ambition_kind_is_a_choice"),
        migrations.RemoveField(model_name="ambition", name="kind"),
        migrations.RenameField(model_name="ambition", old_name="block_kind", new_name="kind"),
        migrations.AlterField(
            model_name="ambition",
            name="kind",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="blocks",
                to="ambitions.planblockkind",
            ),
        ),
    ]
