"""Identity keeps no rows of its own.

Logins leave no rows: the session holds the identity and the audit log records
each login. The resident's consent to share contact details (PRIV-6) is personal
data about the person and lives in people.models.ContactSharingConsent.
"""
