"""The `faqbot` command line and the console chat."""
