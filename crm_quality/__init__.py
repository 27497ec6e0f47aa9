"""crm-quality: standardizers, demo data and matching for the CRM data-quality warehouse."""
