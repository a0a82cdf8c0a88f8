"""A demo partnership, built from the Kent and Medway preset, with obviously fictional data.

Everything here is invented: agencies are "Example ...", people are named after placeholder
words, and every address uses the reserved example.org domain or a non-existent postcode area.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from openmarac.accounts.models import User
from openmarac.agencies.models import Agency, AreaMembership, MembershipKind, Sector
from openmarac.cases.models import Case, CaseInvitation, CaseParticipant, ParticipantRole
from openmarac.checklists.services import checklists_load
from openmarac.core.workdays import local_date
from openmarac.demo.proceedings import load_proceedings_demo
from openmarac.demo.referral_answers import COMPLETE_SECTIONS, DEMO_DOMAIN, demo_referral_answers
from openmarac.partnerships.models import Area, Partnership
from openmarac.partnerships.services import partnership_create_from_preset
from openmarac.people.services import PersonDetails, person_create

DEMO_PASSWORD = "demo-password-not-for-real-use"


# username, first name, last name, agency key, roles
DEMO_USERS: list[tuple[str, str, str, str, dict[str, bool]]] = [
    ("coordinator", "Casey", "Coordinator", "hub", {"is_hub_coordinator": True}),
    ("chair", "Chris", "Chair", "police", {"is_chair": True}),
    (
        "police",
        "Pat",
        "Police",
        "police",
        {"is_agency_rep": True, "is_referral_approver": True, "is_key_contact": True},
    ),
    ("housing", "Harper", "Housing", "housing", {"is_agency_rep": True}),
    ("invited", "Indy", "Invited", "substance", {"is_agency_rep": True}),
    ("lead", "Lee", "Lead", "hub", {"is_partnership_lead": True}),
    ("manager", "Morgan", "Manager", "hub", {"is_hub_coordinator": True, "is_hub_manager": True}),
    ("governance", "Gale", "Governance", "hub", {"is_information_governance": True}),
]

DEMO_PEOPLE = {
    "victim_one": ("Demoname", "Victimone", datetime.date(1990, 4, 1), "female"),
    "perp_one": ("Demoname", "Perpone", datetime.date(1988, 6, 2), "male"),
    "victim_two": ("Samplena", "Victimtwo", datetime.date(1979, 1, 15), "female"),
    "perp_two": ("Samplena", "Perptwo", datetime.date(1975, 11, 30), "male"),
    "child_two": ("Littledemo", "Victimtwo", datetime.date(2015, 9, 9), "not_known"),
    "victim_five": ("Mockname", "Victimfive", datetime.date(1985, 3, 3), "female"),
    "perp_five": ("Mockname", "Perpfive", datetime.date(1983, 7, 7), "male"),
    "victim_six": ("Placeholda", "Victimsix", datetime.date(1992, 5, 5), "female"),
    "perp_six": ("Placeholda", "Perpsix", datetime.date(1990, 8, 8), "male"),
}


def demo_names() -> list[str]:
    """Every name the demo writes, so tests can prove none reaches the database in clear."""
    names = set()
    for forename, surname, _dob, _gender in DEMO_PEOPLE.values():
        names.update([forename, surname])
    from openmarac.demo.triage import DEMO_TRIAGE_NAMES

    names.update(DEMO_TRIAGE_NAMES)
    from openmarac.demo.research import CYCLE_DEMO_NAMES

    names.update(CYCLE_DEMO_NAMES)
    names.update(
        ["Wrenfield", "Thistlebrook", "Fictionalia", "Dempsey-Nobody", "Quillon", "Referrer Demo"]
    )
    return sorted(names)


def _agency(
    partnership: Partnership, name: str, sector: str, statutory: bool, **kw: object
) -> Agency:
    return Agency.objects.create(
        partnership=partnership, name=name, sector=sector, statutory=statutory, **kw
    )


@transaction.atomic
def load_demo(*, now: datetime.datetime | None = None) -> Partnership:
    """Build the demo partnership as it would look at ``now`` (by default, the clock's now).

    ``now`` dates everything the demo dates itself: the cases' year, the agreements' signing,
    the second factors, the referrals' arrival and assessment, the overdue action, Medway's
    calendar and research, and Mid-Kent's meeting today. The services the demo calls stamp
    their own times from the clock, so a caller that passes ``now`` runs the load under a clock
    set to the same instant (as the tests do); ``manage.py load_demo`` passes nothing and the
    demo is built around the real date, with its meetings ahead.
    """
    if settings.PRODUCTION:
        raise RuntimeError("The demo partnership is never loaded in production")
    now = now or timezone.now()
    today = local_date(now)
    checklists_load()
    partnership = partnership_create_from_preset(
        preset="kent-medway",
        name="Demo MARAC Partnership (fictional)",
        official_email_domains=[DEMO_DOMAIN],
        hub_email=f"marac-hub@{DEMO_DOMAIN}",
    )
    areas = {a.code: a for a in Area.objects.filter(partnership=partnership)}
    agencies = {
        "hub": _agency(partnership, "Example MARAC Hub Team", Sector.OTHER, True, is_hub=True),
        "police": _agency(partnership, "Example Constabulary", Sector.POLICE, True),
        "idva": _agency(partnership, "Example IDVA Service", Sector.IDVA, False),
        "childrens": _agency(
            partnership, "Example Children's Services", Sector.CHILDRENS_SOCIAL_CARE, True
        ),
        "health": _agency(partnership, "Example Health Trust", Sector.HEALTH, True),
        "housing": _agency(partnership, "Example Housing (West)", Sector.HOUSING, True),
        "substance": _agency(partnership, "Example Recovery Service", Sector.SUBSTANCE_USE, False),
    }
    for code, area in areas.items():
        for key in ("police", "idva", "childrens", "health"):
            AreaMembership.objects.create(
                area=area, agency=agencies[key], kind=MembershipKind.STANDING
            )
        AreaMembership.objects.create(
            area=area,
            agency=agencies["housing"],
            kind=MembershipKind.STANDING if code == "WK" else MembershipKind.BY_INVITE,
        )
        AreaMembership.objects.create(
            area=area, agency=agencies["substance"], kind=MembershipKind.BY_INVITE
        )
    users = {}
    for username, first, last, agency_key, roles in DEMO_USERS:
        user = User(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@{DEMO_DOMAIN}",
            agency=agencies[agency_key],
            **roles,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        users[username] = user

    from openmarac.demo.accounts import demo_second_factors

    demo_second_factors(list(users.values()), confirmed_at=now)

    people = {
        key: person_create(
            partnership=partnership,
            details=PersonDetails(
                forenames=forename,
                surname=surname,
                date_of_birth=dob,
                gender=gender,
                address_lines="1 Example Street\nWrenfield",
                postcode="ZZ1 1ZZ",
            ),
        )
        for key, (forename, surname, dob, gender) in DEMO_PEOPLE.items()
    }
    year = today.year
    case_one = Case.objects.create(
        partnership=partnership, area=areas["NK"], reference=f"NK-{year}-D0001"
    )
    CaseParticipant.objects.create(
        case=case_one, person=people["victim_one"], role=ParticipantRole.VICTIM
    )
    CaseParticipant.objects.create(
        case=case_one, person=people["perp_one"], role=ParticipantRole.PERPETRATOR
    )
    case_two = Case.objects.create(
        partnership=partnership, area=areas["WK"], reference=f"WK-{year}-D0002", has_children=True
    )
    CaseParticipant.objects.create(
        case=case_two, person=people["victim_two"], role=ParticipantRole.VICTIM
    )
    CaseParticipant.objects.create(
        case=case_two, person=people["perp_two"], role=ParticipantRole.PERPETRATOR
    )
    CaseParticipant.objects.create(
        case=case_two, person=people["child_two"], role=ParticipantRole.CHILD
    )
    CaseInvitation.objects.create(
        case=case_one, agency=agencies["substance"], invited_by=users["coordinator"]
    )
    _demo_governance(partnership, list(agencies.values()), list(users.values()), today=today)
    _demo_referrals(partnership, areas["EK"], agencies["police"], today=today)
    from openmarac.demo.triage import load_triage_demo

    load_triage_demo(partnership, areas, agencies, now=now)
    partnership.da_lead_email = f"da-lead@{DEMO_DOMAIN}"
    partnership.save(update_fields=["da_lead_email"])
    from openmarac.demo.research import load_cycle_demo

    load_cycle_demo(
        partnership=partnership,
        area=areas["MED"],
        coordinator=users["coordinator"],
        police=users["police"],
        today=today,
    )
    from openmarac.demo.actions import load_demo_actions

    load_demo_actions(case_one=case_one, case_two=case_two, users=users, now=now)
    load_proceedings_demo(partnership, people, today=today)
    return partnership


def _demo_governance(
    partnership: Partnership, agencies: list[Agency], users: list[User], *, today: datetime.date
) -> None:
    """Every demo agency has signed both agreements; every demo user holds the licence they need."""
    from openmarac.agencies.models import Agreement
    from openmarac.agencies.services import signature_record
    from openmarac.licences.services import licence_default_issue

    Partnership.objects.filter(pk=partnership.pk).update(
        security_contact_email=f"security@{DEMO_DOMAIN}"
    )
    signed_on = today - datetime.timedelta(days=200)
    for agency in agencies:
        for agreement in Agreement.values:
            signature_record(
                agency=agency,
                agreement=agreement,
                signed_on=signed_on,
                signed_by="Demo Signatory, Director (fictional)",
            )
    for user in users:
        licence_default_issue(user=user)


def _demo_referrals(
    partnership: Partnership, area: Area, agency: Agency, *, today: datetime.date
) -> None:
    from openmarac.referrals.models import Referral
    from openmarac.referrals.selectors import email_index
    from openmarac.referrals.services import referral_submit

    request = RequestFactory().post("/")
    request.session = {}  # type: ignore[assignment]
    request.user = _Anonymous()  # type: ignore[assignment]
    for victim, perpetrator in ((("Fictionalia", "Wrenfield"), ("Quillon", "Dempsey-Nobody")),):
        email = f"referrer@{DEMO_DOMAIN}"
        referral = Referral.objects.create(
            partnership=partnership,
            area=area,
            referrer_email=email,
            referrer_email_index=email_index(email),
            referrer_agency=agency,
            answers=demo_referral_answers(
                area, agency, victim=victim, perpetrator=perpetrator, assessed_on=today
            ),
            completed_sections=COMPLETE_SECTIONS,
        )
        referral_submit(referral=referral, request=request)
    # And one draft, so the referrer demo account shows save-and-return.
    Referral.objects.create(
        partnership=partnership,
        referrer_email=f"referrer@{DEMO_DOMAIN}",
        referrer_email_index=email_index(f"referrer@{DEMO_DOMAIN}"),
        answers={"area": {"area": str(area.pk)}},
        area=area,
        completed_sections=["area"],
    )


class _Anonymous:
    is_authenticated = False
