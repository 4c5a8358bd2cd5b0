"""A local stand-in for BankID: the RP API v6 over mutual TLS, plus a test app.

Why: the demo and every test need a BankID that behaves like the real one
(orders, hint codes, expiry, one order per person, errors as BankID sends
them) without BankID's test environment, a test phone or the network.
Run it with `manage.py bankid_simulator`, or in tests through the
`bankid_simulator` fixture of vardnav.bankid_simulator.testing.

Development only: the app is installed in demo mode and tests, never in
production, and no production module imports it. The production BankID client
is vardnav.identity.bankid.
"""

from vardnav.bankid_simulator.server import BankIdSimulator

__all__ = ["BankIdSimulator"]
