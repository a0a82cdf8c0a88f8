from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from .decorators import is_approver, is_hub, is_information_governance

# The menu's groups, by task, in the order they are shown.
WORK = "Work"
RECORDS = "Records"
ADMINISTRATION = "Administration"
REPORTS = "Reports"
ACCOUNT = "Your account"
GROUPS = [WORK, RECORDS, ADMINISTRATION, REPORTS, ACCOUNT]


@dataclass
class NavLink:
    label: str
    href: str
    current: bool = False


@dataclass
class NavGroup:
    label: str
    slug: str
    links: list[NavLink] = field(default_factory=list)


def _menu(user: Any) -> list[tuple[str, str, str]]:
    """The menu's links for ``user``: (group, label, URL name). Named, not imported: ``core``
    stands on no app."""
    menu: list[tuple[str, str, str]] = []
    if not user.is_authenticated:
        return menu
    # Whether the user is the hub asks the database about their licence: once a page.
    hub = is_hub(user)
    sees_cases = hub or user.is_agency_rep or user.is_chair
    if hub:
        menu.append((WORK, "Triage queue", "triage:queue"))
    if hub or user.is_chair:
        menu.append((WORK, "Meetings", "meetings:calendar"))
        menu.append((WORK, "Complex cases", "triage:complex_cases"))
        menu.append((WORK, "Emergency MARACs", "emergencies:list"))
    if sees_cases:
        # Representatives own actions and read the minutes of meetings they attended.
        menu.append((WORK, "Minutes", "proceedings:index"))
        menu.append((WORK, "Actions", "actions:manager"))
    if user.is_agency_rep and user.agency_id:
        menu.append((WORK, "Research", "research:mine"))
    if hub or (user.is_agency_rep and user.agency is not None and user.agency.sector == "idva"):
        # The IDVA service's contacts with victims (the idva app).
        menu.append((WORK, "Contacting victims", "idva:contacts"))
    if is_approver(user):
        menu.append((WORK, "Approvals", "referrals:approval_list"))
    if sees_cases:
        menu.append((RECORDS, "Cases", "cases:list"))
    if hub:
        menu += [
            (ADMINISTRATION, "Areas", "partnerships:area_list"),
            (ADMINISTRATION, "Agencies", "agencies:list"),
            (ADMINISTRATION, "Accounts", "accounts:hub_accounts"),
            (ADMINISTRATION, "Licences", "licences:hub_list"),
            (ADMINISTRATION, "Audit", "audit:index"),
            (ADMINISTRATION, "Restricted cases", "caseaccess:index"),
        ]
        if user.is_hub_manager:
            menu.append((ADMINISTRATION, "Break-glass", "caseaccess:break_glass"))
    if user.is_key_contact and user.agency_id:
        menu.append((ADMINISTRATION, "Licences", "licences:mine"))
    if hub or is_information_governance(user):
        menu.append((ADMINISTRATION, "Retention", "retention:queue"))
    if hub:
        menu += [
            (ADMINISTRATION, "Archive", "retention:archive"),
            (ADMINISTRATION, "Subject access", "disclosure:sar_list"),
            (ADMINISTRATION, "Court orders", "disclosure:court_list"),
            (ADMINISTRATION, "Letter templates", "letters:templates"),
        ]
    if hub or user.is_chair or user.is_partnership_lead:
        # Figures only (the reports app decides whose areas).
        menu.append((REPORTS, "Reports", "reports:dashboard"))
    menu.append((ACCOUNT, "Your account", "accounts:security"))
    return menu


def _groups(menu: list[tuple[str, str, str]], path: str) -> list[NavGroup]:
    """The menu in its groups, the link whose address is the longest start of ``path`` marked
    as the current page (the section the page belongs to)."""
    groups = {
        label: NavGroup(label=label, slug=label.lower().replace(" ", "-")) for label in GROUPS
    }
    links = []
    for group, label, name in menu:
        link = NavLink(label=label, href=reverse(name))
        groups[group].links.append(link)
        links.append(link)
    matching = [link for link in links if path.startswith(link.href)]
    if matching:
        max(matching, key=lambda link: len(link.href)).current = True
    return [group for group in groups.values() if group.links]


def service(request: HttpRequest) -> dict[str, Any]:
    menu = _menu(request.user)
    return {
        "service_name": "OpenMARAC",
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "nav_items": [(label, name) for _, label, name in menu],
        "nav_groups": _groups(menu, request.path),
        "referrer_email": request.session.get("referrer_email")
        if hasattr(request, "session")
        else None,
    }
