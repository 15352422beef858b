"""An Answer shown to a reader: the platform-neutral Reply (reply.py), plain text (render.py)."""
