"""Who may see and change what: one place, asked by every page, download, open data file and
report.

Figures:
- anyone: published readings of public indicators (open data holds only these);
- councillors and scrutiny members: also every approved reading, published or not;
- officers: also every reading of their own and delegated indicators, drafts included;
- the performance team: everything.

Changing: officers enter readings for the indicators they own or are delegated; the
performance team for every indicator. Notes the performance team writes when it returns a
reading are internal: only the people in the returns workflow (officers and the performance
team) see them; everyone else sees the officer's commentary, which is written to be read.

Milestones work the same way: an officer gives the quarterly updates of the milestones they
own or are delegated, or of those of the schemes they lead or are delegated when the milestone
has no owner of its own; residents see published updates, members approved ones too.

Committees' reports hold unpublished figures: councillors and the performance team read every
committee's, scrutiny members their own committees'; the performance team and a committee's
scrutiny members ask for them.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from ambitions.models import Milestone
from core.roles import (
    Role,
    has_any_role,
    has_role,
    is_finance_officer,
    is_member,
    is_performance_team,
)
from measures.models import (
    Indicator,
    MilestoneScore,
    MilestoneUpdate,
    Reading,
    ReportingPeriod,
    Score,
    ScoreAudience,
)
from portfolios.models import ScrutinyCommittee

PUBLIC = Q(status=Reading.Status.PUBLISHED, indicator__is_public=True)
# What members (and so committees' reports) see: approved readings, published or not.
MEMBERS_SEE = (Reading.Status.APPROVED, Reading.Status.PUBLISHED)


def _own_or_delegated(user: User | AnonymousUser) -> Q:
    """Indicators the user owns or is a delegate for: the one statement of that rule."""
    return Q(owner=user.pk) | Q(delegates=user.pk)


def indicators_editable_by(user: User | AnonymousUser) -> QuerySet[Indicator]:
    """The indicators whose readings this user enters: their own and delegated ones, or all
    of them for the performance team, none for anyone else."""
    if is_performance_team(user):
        return Indicator.objects.all()
    if not has_role(user, Role.OFFICER):
        return Indicator.objects.none()
    return Indicator.objects.filter(_own_or_delegated(user)).distinct()


def can_edit_indicator(user: User | AnonymousUser, indicator: Indicator) -> bool:
    """The performance team edits every indicator's readings; an officer only their own."""
    if is_performance_team(user):
        return True
    if not has_role(user, Role.OFFICER) or user.pk is None:
        return False
    return indicator.owner_id == user.pk or indicator.delegates.filter(pk=user.pk).exists()


def submits_with_own_return(user: User | AnonymousUser, reading: Reading) -> bool:
    """Whether "Submit" on this user's My returns sends this draft for approval: an officer's
    page holds only their own and delegated indicators, so all of them; the performance team's
    holds every indicator, so only the drafts they entered themselves, never an officer's."""
    if is_performance_team(user):
        return reading.updated_by_id == user.pk
    return can_edit_indicator(user, reading.indicator)


def readings_visible_to(user: User | AnonymousUser) -> QuerySet[Reading]:
    """The readings this visitor may see, on any page or in any download."""
    if is_performance_team(user):
        return Reading.objects.all()
    allowed = PUBLIC
    if is_member(user):
        allowed |= Q(status__in=MEMBERS_SEE)
    if has_role(user, Role.OFFICER):
        own = Indicator.objects.filter(_own_or_delegated(user)).values("pk")
        allowed |= Q(indicator__in=own)
    return Reading.objects.filter(allowed)


def scores_visible_to(user: User | AnonymousUser) -> QuerySet[Score]:
    """The stored scores this visitor may see: for each indicator, the one judged from the
    readings they may see (the rules above): the returns workflow's for the performance team
    and for an officer's own indicators, the members' for councillors and scrutiny members,
    and the public's for everyone else. Non-public indicators are for those signed in with a
    role (`indicators_visible_to`)."""
    if is_performance_team(user):
        return Score.objects.filter(audience=ScoreAudience.WORKFLOW)
    base = ScoreAudience.MEMBERS if is_member(user) else ScoreAudience.PUBLIC
    allowed = Q(audience=base)
    if has_role(user, Role.OFFICER):
        own = Indicator.objects.filter(_own_or_delegated(user)).values("pk")
        allowed = (Q(audience=ScoreAudience.WORKFLOW) & Q(indicator__in=own)) | (
            Q(audience=base) & ~Q(indicator__in=own)
        )
    scores = Score.objects.filter(allowed)
    if not (user.is_authenticated and has_any_role(user)):
        scores = scores.filter(indicator__is_public=True)
    return scores


def periods_shown_to(user: User | AnonymousUser) -> Q:
    """The reporting periods a dashboard may offer this visitor: those holding figures they
    can see. The public sees published periods only (in any other there is nothing of theirs,
    and "no data" would be untrue); members, officers and the performance team every period
    that has been opened."""
    if is_performance_team(user) or is_member(user) or has_role(user, Role.OFFICER):
        return ~Q(state=ReportingPeriod.State.NOT_OPEN)
    return Q(state=ReportingPeriod.State.PUBLISHED)


def audience_key(user: User | AnonymousUser) -> str:
    """Who sees the same figures as this visitor (and so may share a cached page part): the
    performance team; each officer (their own indicators); members; anyone signed in; or the
    public. Finance officers see finance figures awaiting approval, so theirs are apart."""
    key = _audience_key(user)
    return f"finance-{key}" if key != "team" and is_finance_officer(user) else key


def _audience_key(user: User | AnonymousUser) -> str:
    if is_performance_team(user):
        return "team"
    if has_role(user, Role.OFFICER):
        return f"officer-{user.pk}-{'member' if is_member(user) else 'public'}"
    if is_member(user):
        return "members"
    if user.is_authenticated:
        return f"signed-in-{'role' if has_any_role(user) else 'none'}"
    return "anonymous"


def scores_members_see() -> QuerySet[Score]:
    """The scores a committee's report is built from: what every member may see."""
    return Score.objects.filter(audience=ScoreAudience.MEMBERS)


def readings_members_see() -> QuerySet[Reading]:
    """The readings a committee's report is built from: what every member may see."""
    return Reading.objects.filter(status__in=MEMBERS_SEE)


def indicators_visible_to(user: User | AnonymousUser) -> QuerySet[Indicator]:
    """Residents see public indicators; anyone signed in with a role sees them all."""
    if user.is_authenticated and has_any_role(user):
        return Indicator.objects.all()
    return Indicator.objects.filter(is_public=True)


def open_data_readings() -> QuerySet[Reading]:
    """What is published as open data: published readings of public indicators, for everyone."""
    return Reading.objects.filter(PUBLIC)


def sees_internal_notes(user: User | AnonymousUser) -> bool:
    """Whether the visitor sees why readings were returned: officers and the performance team."""
    return is_performance_team(user) or has_role(user, Role.OFFICER)


def committees_readable_by(user: User | AnonymousUser) -> QuerySet[ScrutinyCommittee]:
    """Councillors and the performance team: every committee; scrutiny members: their own."""
    if is_performance_team(user) or has_role(user, Role.COUNCILLOR):
        return ScrutinyCommittee.objects.all()
    if has_role(user, Role.SCRUTINY_MEMBER):
        return ScrutinyCommittee.objects.filter(members__pk=user.pk or 0)
    return ScrutinyCommittee.objects.none()


def can_request_reports_for(user: User | AnonymousUser, committee: ScrutinyCommittee) -> bool:
    """The performance team for any committee; a scrutiny member for their own."""
    if is_performance_team(user):
        return True
    member = committee.members.filter(pk=user.pk or 0)
    return has_role(user, Role.SCRUTINY_MEMBER) and member.exists()


def _own_milestones(user: User | AnonymousUser) -> Q:
    """Milestones whose updates the user gives: the one statement of that rule. A milestone's
    own owner and delegates; the scheme's lead officer when it has no owner of its own; the
    scheme's delegates always."""
    return (
        Q(owner=user.pk)
        | Q(delegates=user.pk)
        | Q(owner__isnull=True, scheme__owner=user.pk)
        | Q(scheme__delegates=user.pk)
    )


def milestones_editable_by(user: User | AnonymousUser) -> QuerySet[Milestone]:
    """The milestones whose updates this user gives: their own and delegated ones, or all of
    them for the performance team, none for anyone else."""
    if is_performance_team(user):
        return Milestone.objects.all()
    if not has_role(user, Role.OFFICER) or user.pk is None:
        return Milestone.objects.none()
    return Milestone.objects.filter(
        pk__in=Milestone.objects.filter(_own_milestones(user)).values("pk")
    )


def can_edit_milestone(user: User | AnonymousUser, milestone: Milestone) -> bool:
    if is_performance_team(user):
        return True
    if not has_role(user, Role.OFFICER) or user.pk is None:
        return False
    return Milestone.objects.filter(_own_milestones(user), pk=milestone.pk).exists()


def milestone_owner_id(milestone: Milestone) -> int | None:
    """Who owes the milestone's update: its own owner, else its scheme's lead officer."""
    return milestone.owner_id or milestone.scheme.owner_id


def milestone_delegates(milestone: Milestone) -> list[User]:
    """Who else may give the milestone's update (and so is reminded): its own delegates and
    its scheme's (prefetch both for many milestones)."""
    return [*milestone.delegates.all(), *milestone.scheme.delegates.all()]


def sees_lead_officers(user: User | AnonymousUser) -> bool:
    """Whether the visitor is shown who leads a scheme: officers and the performance team
    (residents and members see the scheme, not the council's staff list)."""
    return is_performance_team(user) or has_role(user, Role.OFFICER)


def submits_own_milestone_update(user: User | AnonymousUser, update: MilestoneUpdate) -> bool:
    """As `submits_with_own_return`, for a milestone update."""
    if is_performance_team(user):
        return update.updated_by_id == user.pk
    return can_edit_milestone(user, update.milestone)


def milestone_updates_visible_to(user: User | AnonymousUser) -> QuerySet[MilestoneUpdate]:
    """The milestone updates this visitor may see, on any page or in any download."""
    if is_performance_team(user):
        return MilestoneUpdate.objects.all()
    allowed = Q(status=Reading.Status.PUBLISHED)
    if is_member(user):
        allowed |= Q(status__in=MEMBERS_SEE)
    if has_role(user, Role.OFFICER):
        allowed |= Q(milestone__in=milestones_editable_by(user).values("pk"))
    return MilestoneUpdate.objects.filter(allowed)


def milestone_audience(user: User | AnonymousUser) -> str:
    """Which stored milestone scores this visitor reads: the workflow's for the performance
    team, the members' for councillors and scrutiny members, the public's for everyone else
    (an officer's own drafts are on their returns, not on the shared pages)."""
    if is_performance_team(user):
        return ScoreAudience.WORKFLOW
    return ScoreAudience.MEMBERS if is_member(user) else ScoreAudience.PUBLIC


def milestone_scores_visible_to(user: User | AnonymousUser) -> QuerySet[MilestoneScore]:
    return MilestoneScore.objects.filter(audience=milestone_audience(user))


def milestone_scores_members_see() -> QuerySet[MilestoneScore]:
    """The milestone scores a committee's report is built from."""
    return MilestoneScore.objects.filter(audience=ScoreAudience.MEMBERS)


def open_data_milestone_updates() -> QuerySet[MilestoneUpdate]:
    return MilestoneUpdate.objects.filter(status=Reading.Status.PUBLISHED)
