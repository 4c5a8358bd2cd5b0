"""Demo and development support: the demo world, its commands and the demo's own pages.

Why an app of its own: everything that exists only to try Vårdnav locally lives
here, so production can leave it out entirely. Settings install it in demo
mode and tests (VARDNAV_DEMO, VARDNAV_ENV=test) and never in production; no
production module imports it, while this app may import any of them.

- data.py, identities.py, services.py, prescriptions.py: the demo world as data
- loader.py: turns it into rows through the actions (`manage.py load_demo`)
- snapshot.py: replays that load quickly in tests (tests/fixtures.py)
- reset.py: empties the database, audit log included (`manage.py reset_demo`)
- mailsink.py: the local SMTP sink `manage.py rundemo` starts
- views.py: the demo's outbox and received e-mail pages under /demo/
"""
