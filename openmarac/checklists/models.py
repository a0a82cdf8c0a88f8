"""Versioned risk checklist definitions, loaded from files a deployment can replace."""

from __future__ import annotations

from typing import Any

from django.db import models


class ChecklistKind(models.TextChoices):
    SCORE = "score", "Scored (number of yes answers)"
    LEVEL = "level", "Assessed level"


class ChecklistDefinition(models.Model):
    slug = models.SlugField(max_length=40)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    short_title = models.CharField(max_length=60)
    attribution = models.TextField()
    kind = models.CharField(max_length=10, choices=ChecklistKind.choices)
    supplementary = models.BooleanField(default=False)
    definition = models.JSONField()
    checksum = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="checklist_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def questions(self) -> list[dict[str, Any]]:
        return list(self.definition.get("questions", []))

    @property
    def answer_choices(self) -> list[tuple[str, str]]:
        return [(a, b) for a, b in self.definition.get("answers", [])]

    @property
    def level_choices(self) -> list[tuple[str, str]]:
        return [(a, b) for a, b in self.definition.get("levels", [])]

    def score(self, answers: dict[str, str]) -> int:
        """The number of questions answered yes: the actuarial score, nothing more."""
        ids = {q["id"] for q in self.questions}
        return sum(1 for key, value in answers.items() if key in ids and value == "yes")
