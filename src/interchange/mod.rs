//! Files in and out: CSV and XLSX export, CSV import (Forsat's own format first; Odoo,
//! SuiteCRM and Pipedrive follow).
