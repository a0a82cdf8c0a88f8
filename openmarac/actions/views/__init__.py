"""Action pages, one module a sub-concept as in ``services``: the action manager, proposals,
the owning agency's progress, online planning, professionals' meetings, and the hub's line
managers and intervention library.

Views are thin: every object comes through the user's scope (``lookup``), every rule lives in
``services``, and a refused change shows its reason as a form error.
"""
