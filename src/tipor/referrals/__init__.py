"""Consent-gated referrals between agencies and to services, with tracked follow-up."""

from tipor.referrals import grants as _grants

# Importing the package (as anything that stores or reads a referral does) lets referrals
# open cases to other agencies; without it the case file shows other agencies nothing.
_grants.register()
