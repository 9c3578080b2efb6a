"""Consent-gated referrals between agencies and to services, with tracked follow-up."""
