"""Hypothesis profiles for the property tests of the statistics.

In CI (``CI=true``) the examples are derandomized, so a run is reproducible; locally they
vary from run to run and so find more over time.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci" if os.environ.get("CI", "").lower() in ("1", "true") else "dev")
