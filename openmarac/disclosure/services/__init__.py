"""Writing subject access requests and court orders. The hub calls these (the chair answers a
court order); each runs in one transaction with its audit event, which holds codes only.

Subject access (UK GDPR Art. 12, 15; 002 §7.17):

* logged with the date received; due one calendar month later, extendable once to three months
  from receipt with a reason (Art. 12(3));
* nothing is gathered until the requester's identity is checked (002 §7.17: "clarification will
  be sought to ensure they are the person whose information is wanted");
* gathering copies everything held about the data subject (``gather.held_about``) as items with
  a first decision: their own details and case roles disclosed; the MARAC's minutes and alerts to
  be redacted of other people; what another agency supplied referred to it. For an alleged
  perpetrator everything but their own identity details is withheld and locked: nothing that
  could identify the referral or the victim's location is disclosed (002 §7.17).

Court disclosure (Family Justice Council guidance, end of 002): an order is recorded with the
court, its case number, what it orders and its deadline; the chair is asked and may object
within the area's working days; the MARAC's own minutes are disclosed (the court told they may
be incomplete) and what another agency supplied is referred to it, unless it consented.
"""

from .common import DisclosureError
from .court_orders import (
    court_item_decide,
    court_order_disclosed,
    court_order_proceed,
    court_order_record,
    court_order_respond,
)
from .subject_access import (
    sar_complete,
    sar_extend,
    sar_gather,
    sar_identity_check,
    sar_item_decide,
    sar_log,
)

__all__ = [
    "DisclosureError",
    "court_item_decide",
    "court_order_disclosed",
    "court_order_proceed",
    "court_order_record",
    "court_order_respond",
    "sar_complete",
    "sar_extend",
    "sar_gather",
    "sar_identity_check",
    "sar_item_decide",
    "sar_log",
]
