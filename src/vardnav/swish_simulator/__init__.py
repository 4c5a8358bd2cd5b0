"""A local stand-in for Swish: the Swish Commerce API over mutual TLS, callbacks, and a test Swish app.

Why: the demo and the tests need a Swish that behaves like the real one (payment
requests created with PUT, status with GET, callbacks to the merchant's URL when a
payment reaches a final state, refunds, Swish's error codes) without Swish's
merchant test system (MSS), its certificates or the network. Run it with
`manage.py swish_simulator` (`make run` starts it through rundemo), or in tests
through the `swish_simulator` fixture of vardnav.swish_simulator.testing.

Development only: installed in demo mode and tests, never in production; no
production module imports it. The production client is vardnav.billing.swish.
"""

from vardnav.swish_simulator.server import SwishSimulator

__all__ = ["SwishSimulator"]
