"""Loading and validating knowledge packs: the pack files, a pack's lexicon, general language data,
a folder of packs."""
