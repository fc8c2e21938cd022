"""Signing in and out, and the people pages (roles, and handing indicators, schemes and
milestones over)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import selectors
from accounts.forms import DelegationsEndForm, HandOverForm, LocalSignInForm
from accounts.sso import EXPIRES_KEY, FAILURE_KEY, provider_sign_out_url
from ambitions.models import Milestone, Scheme
from core.access import allow
from core.formatting import person_name
from core.roles import is_performance_team, role_names
from measures.models import DeliveryOwnershipChange, Indicator
from measures.permissions import milestone_owner_id
from measures.services.ownership import delegations_end, indicators_hand_over


class SignIn(LoginView):
    """The council's account first (when single sign-on is on), a password below it; says
    why the last single sign-on attempt did not sign the person in."""

    authentication_form = LocalSignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        # A password session is not limited by a council sign-in's token made before it.
        self.request.session.pop(EXPIRES_KEY, None)
        return response

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["sso_failure"] = self.request.session.pop(FAILURE_KEY, "")
        context["sso_enabled"] = settings.SSO_ENABLED
        context["passwords_for_administrators_only"] = settings.LOCAL_SIGN_IN == "administrators"
        return context


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """End this session and, for the council's account, the provider's too (where it offers
    RP-initiated logout), returning to the public home page."""
    destination = provider_sign_out_url(request)
    logout(request)
    return HttpResponseRedirect(destination)


performance_team = allow(is_performance_team, "the performance team")


@performance_team
def people(request: HttpRequest) -> HttpResponse:
    """Everyone with an account: their roles (and whether they come from the council's
    account), how many indicators they own and are a delegate for, and how many schemes and
    milestones they own."""
    everyone = _delivery_counts(selectors.people())
    return render(request, "accounts/people.html", {"people": everyone})


@performance_team
@require_http_methods(["GET", "POST"])
def person(request: HttpRequest, pk: int) -> HttpResponse:
    """One person: roles; the indicators, schemes and milestones they own and are a delegate
    for; handing them over, and the history."""
    try:
        someone = selectors.person_get(pk=pk)
    except User.DoesNotExist:
        raise Http404("There is no such person.") from None
    hand_over = HandOverForm(people=selectors.people_who_enter_readings().exclude(pk=someone.pk))
    end = DelegationsEndForm()
    problems: list[str] = []  # what went wrong that no form field is about
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "hand_over":
                hand_over = HandOverForm(request.POST, people=hand_over.fields["to_user"].queryset)  # type: ignore[attr-defined]
                if hand_over.is_valid():
                    data = hand_over.cleaned_data
                    done = indicators_hand_over(
                        from_user=someone,
                        to_user=data["to_user"],
                        as_delegate=data["as_delegate"],
                        reason=data["reason"],
                        by=cast(User, request.user),
                    )
                    role = "a delegate" if data["as_delegate"] else "the owner"
                    messages.success(
                        request,
                        f"{person_name(data['to_user'])} is now {role} of {done.in_words()} "
                        f"{person_name(someone)} owns.",
                    )
                    return redirect("accounts:person", pk=someone.pk)
            elif action == "end_delegation":
                end = DelegationsEndForm(request.POST)
                owner_pk = _whole(request.POST.get("owner"))
                owner = User.objects.filter(pk=owner_pk).first() if owner_pk else None
                if owner is None:
                    raise ValidationError("Choose whose indicators to stop delegating")
                if end.is_valid():
                    done = delegations_end(
                        delegate=someone,
                        owner=owner,
                        reason=end.cleaned_data["reason"],
                        by=cast(User, request.user),
                    )
                    messages.success(
                        request,
                        f"{person_name(someone)} is no longer a delegate on {done.in_words()} "
                        f"of {person_name(owner)}'s.",
                    )
                    return redirect("accounts:person", pk=someone.pk)
            else:
                problems.append("Choose what to do: hand their work over, or stop a delegation")
        except ValidationError as error:
            form = hand_over if action == "hand_over" else end
            if hasattr(error, "error_dict"):
                for field, field_errors in error.error_dict.items():
                    for field_error in field_errors:
                        form.add_error(field if field in form.fields else None, field_error)
            else:
                form.add_error(None, error)
    delegated_by_owner = _by_owner(someone)
    return render(
        request,
        "accounts/person.html",
        {
            "person": someone,
            "roles": sorted(role_names(someone)),
            "identity": getattr(someone, "sign_in_identity", None),
            "owned": list(someone.owned_indicators.all()),
            "led": list(someone.owned_schemes.select_related("focus_area__ambition")),
            "owned_milestones": list(someone.owned_milestones.select_related("scheme")),
            "delegated_by_owner": delegated_by_owner,
            "hand_over": hand_over,
            "end": end,
            "history": selectors.ownership_history(person=someone),
            "delivery_history": _delivery_history(someone),
            "error_items": [("", problem) for problem in problems] + _error_items(hand_over, end),
        },
        status=400 if problems or hand_over.errors or end.errors else 200,
    )


def _error_items(*forms: Form) -> list[tuple[str, str]]:
    """The error summary's links: each field's errors to its field, the rest unlinked."""
    items = []
    for form in forms:
        for name, problems in form.errors.items():
            href = "" if name == "__all__" else f"#{form[name].id_for_label or form[name].auto_id}"
            items += [(href, str(problem)) for problem in problems]
    return items


def _whole(text: str | None) -> int | None:
    return int(text) if text and text.isascii() and text.isdigit() and len(text) <= 12 else None


@dataclass
class Delegation:
    """What a person is a delegate for that belongs to one owner (None: no one)."""

    owner: User | None
    indicators: list[Indicator] = field(default_factory=list)
    schemes: list[Scheme] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)


def _by_owner(someone: User) -> list[Delegation]:
    """The indicators, schemes and milestones this person is a delegate for, grouped by their
    owner (a milestone's being its own owner, else its scheme's lead officer)."""
    groups: dict[int | None, Delegation] = {}

    def group_of(owner: User | None) -> Delegation:
        return groups.setdefault(owner.pk if owner else None, Delegation(owner))

    for indicator in someone.delegated_indicators.all():
        group_of(indicator.owner).indicators.append(indicator)
    for scheme in someone.delegated_schemes.select_related("owner"):
        group_of(scheme.owner).schemes.append(scheme)
    for milestone in someone.delegated_milestones.select_related("owner", "scheme__owner"):
        candidates = {p.pk: p for p in (milestone.owner, milestone.scheme.owner) if p}
        owner_id = milestone_owner_id(milestone)
        owner = candidates[owner_id] if owner_id is not None else None
        group_of(owner).milestones.append(milestone)
    return list(groups.values())


def _delivery_history(someone: User, limit: int = 200) -> QuerySet[DeliveryOwnershipChange]:
    """Changes that gave this person a scheme or milestone or took one away, newest first."""
    return DeliveryOwnershipChange.objects.filter(
        Q(before=someone) | Q(after=someone)
    ).select_related("scheme", "milestone__scheme", "before", "after", "changed_by")[:limit]


def _delivery_counts(people: Iterable[User]) -> list[User]:
    """Each person with how many schemes they lead and milestones they own themselves, as
    `delivery_owned` (two queries, however many people)."""
    counts: Counter[int] = Counter()
    for model in (Scheme, Milestone):
        rows = model.objects.filter(owner__isnull=False).values("owner").annotate(n=Count("pk"))
        for row in rows:
            counts[row["owner"]] += row["n"]
    listed = list(people)
    for person in listed:
        person.delivery_owned = counts[person.pk]  # type: ignore[attr-defined]
    return listed
