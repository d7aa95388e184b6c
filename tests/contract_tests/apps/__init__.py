"""Implementations of the Customers contract the suite is judged against: one correct, many broken."""
