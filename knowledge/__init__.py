"""Knowledge packs shipped with faqbot, installed as package data (import name `faqbot_packs`).

Each folder is one pack: article.txt, source.yaml, speakers.yaml, faq.yaml and lexicon.yaml.
"""
