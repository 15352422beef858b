"""faqbot core: answers questions about one article, only from that article.

Nothing in this package imports a chat platform library; adapters live in ``adapters/``.
"""

__version__ = "0.1.0"
