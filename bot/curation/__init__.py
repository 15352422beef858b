"""What the journal tells a curator: report, suggestions, purge, the HTML report page."""
