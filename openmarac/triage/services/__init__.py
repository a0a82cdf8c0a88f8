"""The hub's triage decisions, chasing returned referrals, and weekly updates, one module each:
``acceptance`` and ``decisions`` (return, decline), ``chasing``, ``weekly_updates``; who is told
is ``recipients``.

Each service is one transaction with its audit event and its notices. Who may call what: the
triage decisions, linking and merging are for hub coordinators; weekly updates are for anyone
who may see the case. The views check the role and the scope; these check the state of the
referral or case.
"""
