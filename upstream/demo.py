"""The demo account the sandbox accepts, and the documentation's sample user id.

Settings default to them so that `make run` needs nothing; with the sandbox off, start-up
refuses each of them (upstream/checks.py), so production never talks to the real upstream
with them.
"""

PANDAPON_ACCESS_KEY = "demo-access-key"
PANDAPON_SECRET = "demo-pandapon-secret"
# The sub-account id of the PandaPon pages' examples (upstream-api.md 1.2), not anyone's.
SAMPLE_USER_ID = "2100007341207"
DAJISAAS_APP_KEY = "demo-app-key"
DAJISAAS_APP_SECRET = "demo-dajisaas-secret"
