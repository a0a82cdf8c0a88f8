"""Subject access requests (the hub, behind a fresh second factor) and court orders (the hub
records and discloses; the chair asked answers)."""
