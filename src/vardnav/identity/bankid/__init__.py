"""BankID for resident login and signing: an RP API v6 client and a local simulator.

Why a package of its own: the protocol (client.py), the animated QR (qr.py) and
the user messages (messages.py) are what the login views need; the simulator
(simulator/) and the pytest fixture (testing.py) let the demo and every test
talk real mutual-TLS HTTPS without BankID's test environment. See
docs/decisions/0004-bankid-client.md.
"""
