"""Demo plans: placeholder until the demo data is written."""


def seed_plans() -> None:
    """Load the demo plans (idempotent)."""
