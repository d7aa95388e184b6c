"""Contract suite that judges any implementation of the Customers v2.0.0 API against spec/."""
