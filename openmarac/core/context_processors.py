from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from .decorators import is_approver, is_hub, is_information_governance


def service(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    nav: list[tuple[str, str]] = []
    if user.is_authenticated:
        # Whether the user is the hub asks the database about their licence: once a page.
        hub = is_hub(user)
        sees_cases = hub or user.is_agency_rep or user.is_chair
        if hub:
            nav += [
                ("Triage queue", "triage:queue"),
                ("Areas", "partnerships:area_list"),
                ("Accounts", "accounts:hub_accounts"),
                ("Agencies", "agencies:list"),
                ("Licences", "licences:hub_list"),
                ("Restricted cases", "caseaccess:index"),
                ("Audit", "audit:index"),
            ]
            if user.is_hub_manager:
                nav.append(("Break-glass", "caseaccess:break_glass"))
        if sees_cases:
            nav.append(("Cases", "cases:list"))
        if hub or user.is_chair:
            nav.append(("Complex cases", "triage:complex_cases"))
            nav.append(("Emergency MARACs", "emergencies:list"))
            nav.append(("Meetings", "meetings:calendar"))
        if sees_cases:
            # Representatives own actions and read the minutes of meetings they attended.
            nav.append(("Actions", "actions:manager"))
            nav.append(("Minutes", "proceedings:index"))
        if user.is_agency_rep and user.agency_id:
            nav.append(("Research", "research:mine"))
        if hub or (user.is_agency_rep and user.agency is not None and user.agency.sector == "idva"):
            # The IDVA service's contacts with victims (the idva app), named, not imported.
            nav.append(("Contacting victims", "idva:contacts"))
        if hub or user.is_chair or user.is_partnership_lead:
            # Figures only (the reports app decides whose areas); named, not imported.
            nav.append(("Reports", "reports:dashboard"))
        if hub or is_information_governance(user):
            nav.append(("Retention", "retention:queue"))
        if hub:
            nav.append(("Archive", "retention:archive"))
            nav.append(("Subject access", "disclosure:sar_list"))
            nav.append(("Court orders", "disclosure:court_list"))
            nav.append(("Letter templates", "letters:templates"))
        if is_approver(user):
            nav.append(("Approvals", "referrals:approval_list"))
        if user.is_key_contact and user.agency_id:
            nav.append(("Licences", "licences:mine"))
        nav.append(("Your account", "accounts:security"))
    return {
        "service_name": "OpenMARAC",
        "csp_nonce": getattr(request, "csp_nonce", ""),
        "nav_items": nav,
        "referrer_email": request.session.get("referrer_email")
        if hasattr(request, "session")
        else None,
    }
