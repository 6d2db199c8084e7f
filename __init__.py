"""budget-audit: checks Chinese public budget disclosures before publication."""

__version__ = "0.1.0"
