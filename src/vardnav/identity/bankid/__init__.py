"""BankID for resident login and signing: an RP API v6 client.

Why a package of its own: the protocol (client.py), the animated QR (qr.py) and
the user messages (messages.py) are what the login views need. The local
simulator that the demo and every test talk to over real mutual-TLS HTTPS is a
separate development-only app, vardnav.bankid_simulator. See
docs/decisions/0004-bankid-client.md.
"""
