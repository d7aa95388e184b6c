"""The spec's operationIds, as the corpus narrows suite runs with `--operation`."""

from __future__ import annotations

CREATE = "createCustomer"
READ = "fetchCustomerById"
UPDATE = "updateCustomer"
DELETE = "deleteCustomer"
LIST_CUSTOMERS = "fetchAllCustomers"
LIST_CONTACTS = "fetchAllCustomerContacts"
ATTACH_CONTACT = "attachCustomerContact"
LIST_PARTS = "fetchAllCustomerParts"
LIST_PROGRAMS = "fetchAllCustomerPrograms"
