"""A minimal local OpenID Connect provider standing in for SITHS eID via Inera's IdP.

Installed only in development and tests (settings.DEMO_IDP_ENABLED); production
refuses to start with it. See docs/decisions/0005-staff-login-oidc.md.
"""

# Where urls.py mounts the app; the staff login's default issuer in demo mode.
MOUNT_PATH = "/demo-idp"
