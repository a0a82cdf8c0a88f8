"""The referral journey's forms: the referrer's ``verification``, one module a group of the
task list (``start``, ``people``, ``risk``, ``sharing``) built from ``fields``, and the agency
approver's ``approval``. Each section form's cleaned data is stored encrypted as-is."""
