"""A question in, an Answer out: the service every adapter calls, and the bot's own wording."""
