"""The documents disclosure produces: a subject access pack and a court bundle, as PDF blocks
for ``core.pdf.render_pdf``. Only what was decided for disclosure is printed; each document ends
with a log of what was withheld or referred, and why."""

from __future__ import annotations

from openmarac.core.pdf import Block

from .models import CourtOrder, Decision, ItemKind, Reason, SubjectAccessRequest

WITHHELD_FOR_SAFETY = "Information withheld to protect the safety of others"


def sar_pack(sar: SubjectAccessRequest, *, partnership_name: str) -> list[Block]:
    items = list(sar.items.select_related("supplied_by").order_by("position", "pk"))
    blocks: list[Block] = [
        (
            "p",
            f"Reference {sar.reference}. Request received on {sar.received_on:%-d %B %Y}; "
            f"due by {sar.deadline:%-d %B %Y}.",
        ),
        (
            "p",
            f"This pack holds the personal data the {partnership_name} MARAC holds about "
            f"{sar.requester_name}. Information about other people has been removed. Information "
            "another agency supplied has been passed to that agency, which will answer for it. "
            "The log at the end lists what is not in this pack and why.",
        ),
    ]
    current = ""
    for item in items:
        if item.decision not in (Decision.DISCLOSE, Decision.REDACT):
            continue
        heading = ItemKind(item.kind).label
        if heading != current:
            blocks.append(("h2", heading))
            current = heading
        text = item.disclosed_text if item.decision == Decision.REDACT else item.text
        suffix = " (other people's information removed)" if item.decision == Decision.REDACT else ""
        blocks.append(("p", f"{item.label}{suffix}"))
        blocks.append(("p", text))
    log = [["Information", "What was done", "Why"]]
    safety = 0
    for item in items:
        if item.decision == Decision.DISCLOSE:
            continue
        if item.reason == Reason.PERPETRATOR:
            safety += 1  # never described: even its kind could identify the referral
            continue
        what = Decision(item.decision).label
        if item.decision == Decision.REFER and item.supplied_by:
            what = f"Referred to {item.supplied_by.name}"
        log.append([item.label, what, Reason(item.reason).label if item.reason else ""])
    if safety:
        log.append(
            [f"{safety} {'item' if safety == 1 else 'items'}", "Withheld", WITHHELD_FOR_SAFETY]
        )
    blocks.append(("h2", "What is not in this pack, and why"))
    if len(log) > 1:
        blocks.append(("table", log))
    else:
        blocks.append(("p", "Nothing was withheld."))
    return blocks


def court_bundle(order: CourtOrder) -> list[Block]:
    case = order.case
    items = list(order.items.select_related("supplied_by").order_by("position", "pk"))
    blocks: list[Block] = [
        (
            "p",
            f"Disclosed to {order.court} in case {order.court_case_number} under its order received "
            f"on {order.received_on:%-d %B %Y}, about MARAC case {case.reference}.",
        ),
        ("p", f"What the order asks for: {order.ordered}"),
        (
            "p",
            "A MARAC is not a legal entity: the owner of information shared at a MARAC is the agency "
            "that supplied it. Information supplied by another agency is not disclosed here; the "
            "court is invited to direct its order to that agency (Family Justice Council, MARACs and "
            "disclosure into court proceedings, 2011, paragraphs 6 and 8).",
        ),
        (
            "p",
            "MARAC minutes are taken by administrators, not lawyers: they may be neither full nor "
            "entirely reliable (paragraphs 4 and 8(d)).",
        ),
    ]
    if order.chair_response:
        blocks.append(("p", f"The chair's answer: {order.get_chair_response_display().lower()}."))
    current = ""
    for item in items:
        if item.decision != Decision.DISCLOSE:
            continue
        heading = ItemKind(item.kind).label
        if heading != current:
            blocks.append(("h2", heading))
            current = heading
        blocks.append(("p", item.label))
        blocks.append(("p", item.text))
    log = [["Information", "What was done", "Why"]]
    for item in items:
        if item.decision == Decision.DISCLOSE:
            continue
        what = Decision(item.decision).label
        if item.decision == Decision.REFER and item.supplied_by:
            what = f"Referred to {item.supplied_by.name}"
        log.append([item.label, what, Reason(item.reason).label if item.reason else ""])
    blocks.append(("h2", "Not disclosed here, and why"))
    blocks.append(("table", log) if len(log) > 1 else ("p", "Everything held is disclosed."))
    return blocks
