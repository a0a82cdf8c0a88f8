"""Running a meeting and its minutes. Each service is one transaction with its audit event.

Import each service from the module that holds it (this package re-exports nothing):

* ``guards``: the meeting's record and the checks a change makes first (``ProceedingsError``);
* ``notices``: who the hub and the agencies' representatives are, and telling them;
* ``attendance``: attendees, apologies, confidentiality confirmations and the quorum;
* ``conduct``: the order of the cases, the running timetable, opening and closing the meeting;
* ``conflicts``: conflicts of interest declared in a case, and the agencies present for it;
* ``hearings``: a case at the meeting, what agencies shared and its outcome;
* ``minutes``: approving and publishing the minutes and sending the agreed actions;
* ``corrections``: an agency asking for its information to be corrected, and the hub deciding.

Who may call what (views check the role; these check the state):

* attendance, apologies, confirmations, order, opening and closing the meeting, per-case records
  and outcomes: the hub coordinator or the area's chair running the meeting;
* ``conflict_declare``: the people running the meeting, or an attendee for themselves;
* ``minutes_approve``: the meeting's chair; ``minutes_section_approve``: the stand-in who chaired
  a case in place of a conflicted chair (checked here too); ``minutes_publish``, ``actions_publish``,
  ``correction_decide``: hub coordinators; ``correction_request``: the agency that shared it.
"""
