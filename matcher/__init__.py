"""matcher: bovenregionale capacity matching for Dutch specialist youth care."""

__version__ = "0.1.0"
