"""The meeting's pages, grouped as the services are: ``conduct`` (the list of meetings and the
meeting screen), ``attendance``, ``conflicts``, ``hearings`` (a case at the meeting), ``minutes``,
``corrections`` and ``pdfs``; ``access`` holds what they share. This package re-exports nothing:
``urls`` names each view by its module."""
