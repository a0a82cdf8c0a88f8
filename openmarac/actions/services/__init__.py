"""Changing actions: one module a sub-concept, each service one transaction with its audit
event (and, for an action, its history entry).

* ``rules`` — what every service checks: the agencies that may own an action, the default due
  date, a frozen case (a death recorded) refusing every change, who may see, agree and update.
* ``proposals`` — proposing, agreeing, declining and discussing actions.
* ``progress`` — the owning agency's updates, completion and "not feasible".
* ``planning`` — online action planning between meetings.
* ``professionals`` — professionals' meetings, asked for and scheduled.
* ``escalation`` — line managers copied on overdue escalation.
* ``interventions`` — the hub's edits to the intervention library.

Code in the project imports from those modules. The meeting screen (``proceedings``) looks the
actions app's services up by name at run time, so the names it uses are offered here too.
"""

from .proposals import action_agree, action_propose
from .rules import ActionError, agencies_for_actions

__all__ = ["ActionError", "action_agree", "action_propose", "agencies_for_actions"]
