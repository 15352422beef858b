"""The Telegram adapter (python-telegram-bot): commands, group etiquette, inline mode, buttons.

`PLATFORM` is registered under the ``faqbot.platforms`` entry point as ``telegram``.
"""

from adapters.telegram.platform import TelegramPlatform

PLATFORM = TelegramPlatform()

__all__ = ["PLATFORM", "TelegramPlatform"]
