"""An Answer shown to a reader: the platform-neutral Reply and its plain-text rendering."""
