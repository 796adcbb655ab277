"""A minimal Django project serving django-cas-server: the real CAS server of the CAS tests."""
