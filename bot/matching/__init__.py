"""Reading a question and matching it to an entry: text folding, concept tokens, the matcher,
attribution, follow-ups."""
