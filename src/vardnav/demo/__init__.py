"""Demo data for `manage.py load_demo` and the shared test personas (a plain package, not an app)."""
