"""Project-wide pytest set-up: test mode, shared fixtures live in tests/fixtures.py."""

import os
import tempfile

os.environ.setdefault("VARDNAV_ENV", "test")
# The audit anchors of a test run never mix with the demo's (var/audit-anchors.jsonl):
# a fresh directory per process; tests that anchor point AUDIT_ANCHOR_FILE at their own file.
os.environ.setdefault("AUDIT_ANCHOR_FILE", os.path.join(tempfile.mkdtemp(prefix="vardnav-test-"), "anchors.jsonl"))

pytest_plugins = ["tests.fixtures", "vardnav.bankid_simulator.testing", "vardnav.swish_simulator.testing"]
