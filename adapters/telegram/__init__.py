"""The Telegram adapter (python-telegram-bot): commands, group etiquette, inline mode, buttons.

`PLATFORM` is registered under the ``faqbot.platforms`` entry point as ``telegram``.
"""

from adapters.telegram.options import TelegramOptions
from adapters.telegram.platform import TelegramPlatform
from bot.platforms import Platform

PLATFORM: Platform[TelegramOptions] = TelegramPlatform()

__all__ = ["PLATFORM", "TelegramPlatform"]
