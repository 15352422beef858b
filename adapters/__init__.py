"""Platform adapters: each parses its platform's updates, calls the core and renders natively."""
