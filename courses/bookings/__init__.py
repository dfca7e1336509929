"""Bookings, waiting lists, approvals, attendance and budgets."""
