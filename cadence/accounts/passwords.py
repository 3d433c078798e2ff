"""The password strength check: zxcvbn estimates how many guesses a password takes
(dictionaries of common and breached passwords, names, English words, keyboard patterns,
dates, repeats, l33t substitutions) and refuses a score below
`settings.CADENCE_PASSWORD_MIN_SCORE` (3 of 4: about 10^10 guesses). Django's own
CommonPasswordValidator stays in front of it (AUTH_PASSWORD_VALIDATORS)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from zxcvbn import zxcvbn

#: zxcvbn looks at the first characters only; longer passwords are strong enough by length.
_CHECKED_LENGTH = 100


class GuessablePasswordValidator:
    def __init__(self, min_score: int | None = None):
        self.min_score = min_score

    def _min_score(self) -> int:
        return self.min_score if self.min_score is not None else settings.CADENCE_PASSWORD_MIN_SCORE

    def validate(self, password: str, user=None) -> None:
        personal = [
            str(value)
            for value in (
                getattr(user, "username", ""),
                getattr(user, "first_name", ""),
                getattr(user, "last_name", ""),
                getattr(user, "email", ""),
                "cadence",
                "botox",
                "migraine",
                "clinic",
            )
            if value
        ]
        result = zxcvbn(password[:_CHECKED_LENGTH], user_inputs=personal)
        if result["score"] < self._min_score():
            hint = (result.get("feedback") or {}).get("warning") or ""
            message = "This password is too easy to guess"
            message += f" ({hint.rstrip('.').lower()})." if hint else "."
            message += " Use a longer phrase of unrelated words."
            raise ValidationError(message, code="password_guessable")

    def get_help_text(self) -> str:
        return (
            "Your password must not be easy to guess: no common or leaked passwords, names, "
            "dates or keyboard patterns. A phrase of four unrelated words works well."
        )
