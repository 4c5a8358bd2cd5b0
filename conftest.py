"""Project-wide pytest set-up: test mode, shared fixtures live in tests/fixtures.py."""

import os

os.environ.setdefault("VARDNAV_ENV", "test")

pytest_plugins = ["tests.fixtures", "vardnav.bankid_simulator.testing"]
