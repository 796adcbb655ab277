"""一端通 (Yiduantong): one entry, one login, one inbox and one table for township staff."""

__version__ = "0.1.0"
