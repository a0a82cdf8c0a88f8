"""What the worker has done: one row per sweep step and one per worker process, for monitoring."""

from __future__ import annotations

from django.db import models


class SweepStepState(models.Model):
    """The last run of one sweep step. Nothing here decides what is due: the data does."""

    name = models.CharField(max_length=80, unique=True)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_count = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)
    runs = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WorkerHeartbeat(models.Model):
    name = models.CharField(max_length=80, unique=True)
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    sweeps = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.name
