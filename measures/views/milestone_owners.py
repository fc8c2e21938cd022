"""The performance team's page of who leads each scheme of the plan in force and owns each of
its milestones, with one scheme's form open at a time to change them (a form for every
scheme at once would list every officer in two lists per milestone, dozens of times over)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from ambitions.models import Milestone, Plan, Scheme
from ambitions.selectors import plan_current
from core.formatting import person_name
from measures.models import DeliveryOwnershipChange
from measures.services.milestone_owners import (
    CHANGED_MEANWHILE,
    Owners,
    milestone_field,
    people_seen,
    scheme_owners_set,
)
from measures.services.ownership import people_who_can_own
from measures.views.common import me, performance_team

NO_LEAD = "No lead officer yet"
SCHEME_LEAD = "The scheme's lead officer"
FIELDS = ("owner", "add_delegate", "remove_delegates")
NOT_OFFERED = "Choose a person from the list: that one cannot be given it"


class SchemeOwnersForm(forms.Form):
    """A scheme's lead officer and delegates and each of its milestones' owner and delegates:
    a delegate is added one at a time from a list and stopped by ticking them. A milestone's
    fields are named by `milestone_field`, as the service names its errors."""

    reason = forms.CharField(
        label="Why",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when someone loses the scheme or a milestone, for example: moved team.",
    )

    def __init__(self, *args: Any, scheme: Scheme, people: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.milestones: list[Milestone] = list(scheme.milestones.all())
        self.people = {person.pk: person for person in people}
        self.offered = [(person.pk, _label(person)) for person in people]
        self.offered_ids = set(self.people)
        self.delegates_now: dict[str, list[User]] = {}
        # Carried in the page, so a save made from an older page of it is refused.
        self.seen_now = people_seen(scheme, self.milestones)
        self.changed_meanwhile: ValidationError | None = None
        self._fields_for("", scheme, empty=NO_LEAD)
        for milestone in self.milestones:
            self._fields_for(milestone_field(milestone.pk, ""), milestone, empty=SCHEME_LEAD)

    def _fields_for(self, prefix: str, thing: Scheme | Milestone, *, empty: str) -> None:
        offered = list(self.offered)
        holder = thing.owner
        if holder is not None and holder.pk not in self.offered_ids:
            # Whoever holds it now stays a choice, though they could no longer be given it.
            self.people[holder.pk] = holder
            offered.append((holder.pk, f"{_label(holder)} (cannot be given it now)"))
        delegates = list(thing.delegates.all())
        self.people.update((person.pk, person) for person in delegates)
        self.delegates_now[prefix] = delegates
        invalid = {"invalid_choice": NOT_OFFERED}
        self.fields[f"{prefix}owner"] = forms.TypedChoiceField(
            label="Lead officer" if not prefix else "Owner",
            choices=[("", empty), *offered],
            coerce=int,
            empty_value=None,
            required=False,
            initial=thing.owner_id,
            error_messages=invalid,
        )
        self.fields[f"{prefix}add_delegate"] = forms.TypedChoiceField(
            label="Add a delegate",
            choices=[("", "No one new"), *offered],
            coerce=int,
            empty_value=None,
            required=False,
            error_messages=invalid,
        )
        self.fields[f"{prefix}remove_delegates"] = forms.TypedMultipleChoiceField(
            label="Stop these delegates",
            choices=[(person.pk, _label(person)) for person in delegates],
            coerce=int,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages=invalid,
        )

    def owners(self, prefix: str = "") -> Owners:
        """Who the scheme (or, by its prefix, a milestone) is to belong to, as chosen."""
        data = self.cleaned_data
        removed = set(data[f"{prefix}remove_delegates"])
        kept = {person for person in self.delegates_now[prefix] if person.pk not in removed}
        if data[f"{prefix}add_delegate"] is not None:
            kept.add(self.people[data[f"{prefix}add_delegate"]])
        owner_pk = data[f"{prefix}owner"]
        return Owners(
            owner=self.people[owner_pk] if owner_pk is not None else None,
            delegates=frozenset(kept),
        )

    def field_groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The scheme's owner, add and stop fields, then each milestone's, each with its
        legend, for the template."""
        groups = [("The scheme", [self[name] for name in FIELDS])]
        for milestone in self.milestones:
            fields = [self[milestone_field(milestone.pk, name)] for name in FIELDS]
            groups.append((f"Milestone: {milestone.title}", fields))
        return groups


def _label(person: User) -> str:
    """A person in a list, by name and username (two officers may share a name)."""
    name, username = person_name(person), person.get_username()
    return name if name == username else f"{name} ({username})"


@performance_team
@require_http_methods(["GET", "POST"])
def milestone_owners(request: HttpRequest) -> HttpResponse:
    """Every scheme of the plan in force, its lead officer, delegates and milestones' owners;
    `?scheme=<id>` opens that scheme's form, which posts back here."""
    plan = plan_current()
    schemes = list(_schemes_of(plan))
    chosen = _chosen(schemes, request.POST.get("scheme") or request.GET.get("scheme"))
    form = None
    status = 200
    conflict: list[tuple[str, str]] = []
    if chosen is not None:
        people = list(people_who_can_own())
        data = request.POST if request.method == "POST" else None
        form = SchemeOwnersForm(data, scheme=chosen, people=people)
        if request.method == "POST":
            if form.is_valid() and _saved(request, form):
                return redirect(reverse("measures:milestone_owners") + f"#scheme-{chosen.pk}")
            status = 400
            if (changed := form.changed_meanwhile) is not None:
                # Start again from who holds them now: the choices posted were made against
                # people that are no longer there, and sending them again would undo a change.
                fresh = Scheme.objects.get(pk=chosen.pk)
                form = SchemeOwnersForm(None, scheme=fresh, people=people)
                conflict = [("", message) for message in changed.messages]
    elif request.method == "POST":
        raise Http404("Choose a scheme of the plan in force.")
    return render(
        request,
        "measures/milestone_owners.html",
        {
            "plan": plan,
            "schemes": schemes,
            "chosen": chosen,
            "form": form,
            "history": _history_of(chosen) if chosen else [],
            "error_items": conflict or (_error_items(form) if form is not None else []),
        },
        status=status,
    )


def _saved(request: HttpRequest, form: SchemeOwnersForm) -> bool:
    """Hand the form's choices to the service; its refusals go beside their fields."""
    scheme = form.scheme
    try:
        done = scheme_owners_set(
            scheme=scheme,
            lead=form.owners(),
            milestones={m.pk: form.owners(milestone_field(m.pk, "")) for m in form.milestones},
            reason=form.cleaned_data["reason"],
            by=me(request),
            seen=request.POST.get("seen"),
        )
    except ValidationError as error:
        if getattr(error, "code", None) == CHANGED_MEANWHILE:
            form.changed_meanwhile = error
            return False
        if not hasattr(error, "error_dict"):
            form.add_error(None, error)
            return False
        for key, problems in error.error_dict.items():
            # A delegate the service refuses is the one being added.
            name = key.replace("delegates", "add_delegate")
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return False
    if done:
        messages.success(
            request, f"{scheme.name}: {done} change{'s' if done != 1 else ''} to its people saved."
        )
    else:
        messages.info(request, f"{scheme.name}: nothing was different, so nothing changed.")
    return True


def _schemes_of(plan: Plan) -> QuerySet[Scheme]:
    """The plan's schemes in its order, with their people and milestones (five queries)."""
    milestones = Milestone.objects.select_related("owner").prefetch_related("delegates")
    return (
        Scheme.objects.filter(focus_area__ambition__plan=plan)
        .select_related("focus_area__ambition", "owner")
        .prefetch_related(
            "delegates", Prefetch("milestones", queryset=milestones.order_by("position"))
        )
        .order_by("focus_area__ambition__position", "focus_area__position", "position")
    )


def _chosen(schemes: list[Scheme], asked: str | None) -> Scheme | None:
    """The scheme whose form is open: one of the plan's, else 404."""
    if not asked:
        return None
    found = next((s for s in schemes if str(s.pk) == asked), None)
    if found is None:
        raise Http404("There is no such scheme in the plan in force.")
    return found


def _history_of(scheme: Scheme, limit: int = 50) -> QuerySet[DeliveryOwnershipChange]:
    """Changes to the scheme's and its milestones' people, newest first."""
    return DeliveryOwnershipChange.objects.filter(
        Q(scheme=scheme) | Q(milestone__scheme=scheme)
    ).select_related("milestone", "before", "after", "changed_by")[:limit]


def _error_items(form: forms.Form) -> list[tuple[str, str]]:
    """The error summary's links: each field's errors to its field, the rest unlinked."""
    items = []
    for name, problems in form.errors.items():
        href = "" if name == "__all__" else f"#{form[name].auto_id}"
        items += [(href, str(problem)) for problem in problems]
    return items
